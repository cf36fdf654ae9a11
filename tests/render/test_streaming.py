"""A session played while its voice speaks: read block by block as a player pulls it, with the
voice 20 % faster or slower than planned, it still lasts exactly the chosen length. No Qt."""

from __future__ import annotations

import time

import numpy as np
import pytest

from app.render.pcm import SESSION_RATE
from app.render.streaming import StreamingSession
from app.script import parse_script
from app.tts import FakeEngine
from app.tts.engine import SpeechRequest

SCRIPT = parse_script(
    """---
title: Streaming
summary: Planned from the pace, spoken at another.
theme: test
---
# Arriving
[bell]
Let your body settle into the chair beneath you.
Notice where you are holding on, and let it soften.
[pause 4s+]
# Resting
Breathe in slowly, and let the breath go.
[pause 2s]
There is nothing you need to fix right now.
[pause 10s+]
# Returning
When you are ready, let your eyes open.
[pause 3s+]
"""
)
LENGTH = 60.0


class SkewedVoice(FakeEngine):
    """The fake voice speaking `skew` times as long as the rate says, slowly (a real voice's pace)."""

    def __init__(self, skew: float):
        super().__init__(delay=0.05)
        self.skew = skew

    def synthesize(self, requests, on_done=None, should_cancel=None):
        skewed = [
            SpeechRequest(r.text, r.out_path, r.voice, round(r.rate / self.skew), r.postprocess)
            for r in requests
        ]
        super().synthesize(skewed, on_done, should_cancel)


def play_through(
    session: StreamingSession, block: int = 4096, speedup: float = 20.0, timeout: float = 30.0
) -> np.ndarray:
    """What a player pulls, block by block at `speedup` times real time (a player keeps pace
    with the speakers), waiting where the voice has not spoken yet."""
    pieces, cursor, deadline = [], 0, time.monotonic() + timeout
    while cursor < session.total_frames:
        assert time.monotonic() < deadline, "the session never became ready"
        count = min(block, session.total_frames - cursor)
        samples = session.read(cursor, count)
        if samples is None:
            time.sleep(0.01)
            continue
        pieces.append(samples)
        cursor += count
        time.sleep(count / SESSION_RATE / speedup)
    return np.concatenate(pieces)


@pytest.mark.parametrize("skew", [0.8, 1.2])
def test_a_voice_20_percent_off_its_pace_still_ends_on_the_chosen_length(skew, tmp_path):
    session = StreamingSession(
        SCRIPT, SkewedVoice(skew), length=LENGTH, voice=None, rate=120, cache_root=tmp_path
    )
    planned = [event.frames for event in session.timeline.speech()]
    session.start()
    heard = play_through(session)
    assert session.wait(10)
    assert len(heard) == session.total_frames == round(LENGTH * SESSION_RATE)
    assert session.exact
    final = session.timeline.speech()
    # The real lengths are in: each sentence differs from its estimate by about the skew.
    ratios = [event.frames / estimate for event, estimate in zip(final, planned, strict=True)]
    assert all(abs(r - skew) < 0.25 for r in ratios), ratios
    # Sound where the final plan speaks, silence in its pauses (the fake voice has no padding
    # left once trimmed): the plan that was heard is the plan that was kept.
    for event in final:
        assert np.abs(heard[event.start : event.end]).max() > 1000, event.text
    for event in session.timeline.events:
        if event.kind == "pause":
            assert not heard[event.start : event.end].any()


def test_the_lead_in_plays_at_once_and_the_first_sentence_waits_for_the_voice(tmp_path):
    engine = SkewedVoice(1.0)
    session = StreamingSession(SCRIPT, engine, length=LENGTH, voice=None, rate=120, cache_root=tmp_path)
    bell = next(event for event in session.timeline.events if event.kind == "bell")
    assert session.read(0, bell.end) is not None  # lead-in and bell need no voice
    first = session.timeline.speech()[0]
    assert session.read(first.start, 100) is None  # not spoken yet: the player prepares
    session.start()
    assert session.wait(10)
    assert session.read(first.start, 100) is not None


def test_after_a_seek_the_sentences_ahead_are_spoken_first(tmp_path):
    engine = SkewedVoice(1.0)
    session = StreamingSession(SCRIPT, engine, length=LENGTH, voice=None, rate=120, cache_root=tmp_path)
    resting = session.timeline.sections[1].start
    session.start(from_frame=resting)
    assert session.wait(10)
    spoken = engine.synthesized
    assert spoken[0] == "Breathe in slowly, and let the breath go."
    assert spoken[-2:] == [
        "Let your body settle into the chair beneath you.",
        "Notice where you are holding on, and let it soften.",
    ]


def test_a_second_session_of_the_same_script_needs_no_voice(tmp_path):
    first = StreamingSession(SCRIPT, FakeEngine(), length=LENGTH, voice=None, rate=120, cache_root=tmp_path)
    first.start()
    assert first.wait(10)
    engine = FakeEngine()
    again = StreamingSession(SCRIPT, engine, length=LENGTH, voice=None, rate=120, cache_root=tmp_path)
    again.start()
    assert again.wait(10) and engine.synthesized == []
    assert again.read(0, again.total_frames) is not None  # every sentence ready from the start


def test_the_background_fades_in_and_follows_a_new_level_from_where_it_is(tmp_path):
    """The ambience is mixed into the blocks a player pulls: silent at the very start, rising
    over its fade-in, and at another level for blocks read after the level changes."""
    from app.render.mix import FADE_IN_SECONDS, Background

    loop = (np.sin(np.arange(SESSION_RATE) * 2 * np.pi * 220 / SESSION_RATE) * 0.5).astype(np.float32)
    session = StreamingSession(
        SCRIPT,
        FakeEngine(),
        length=LENGTH,
        voice=None,
        rate=120,
        cache_root=tmp_path,
        background=Background(loop, 0.5),
    )
    window = SESSION_RATE // 10

    def level(frame: int) -> float:
        block = session.read(frame, window)  # within the lead-in or a pause: only the background
        assert block is not None
        return float(np.sqrt(np.mean(block.astype(np.float64) ** 2)))

    lead_in_end = session.timeline.events[0].end
    assert level(0) < level(lead_in_end - window)  # the fade-in has begun
    pause = next(
        e for e in session.timeline.events if e.kind == "pause" and e.start > FADE_IN_SECONDS * SESSION_RATE
    )
    full = level(pause.start)
    assert full == pytest.approx(0.5 * 0.5 * 32768 / np.sqrt(2), rel=0.05)  # the loop's RMS at its gain
    session.set_background(Background(loop, 0.25))
    assert level(pause.start) == pytest.approx(full / 2, rel=0.02)
    session.set_background(None)
    assert level(pause.start) == 0.0
    session.stop()
