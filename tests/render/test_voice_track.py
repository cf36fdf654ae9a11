"""The voice track read block by block from the timeline: the same samples as the assembled
session, silence past the end, and a clear "not yet" where the voice has not spoken. No Qt."""

from __future__ import annotations

import numpy as np
import pytest

from app.render import render_session
from app.render.levels import pcm_samples
from app.render.pcm import SESSION_RATE
from app.render.sounds import decoded_bell
from app.render.speech_cache import SpeechCache
from app.render.timeline import Timeline, plan_timeline
from app.render.voice_track import NotReady, VoiceTrack
from app.script import parse_script
from app.tts import FakeEngine

SCRIPT = parse_script(
    """---
title: Track
summary: Sentences, pauses and bells.
theme: test
---
[bell]
Let your body settle into the chair beneath you.
Notice where you are holding on.
[pause 2s+]
Breathe in slowly.
[bell small-gong]
"""
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    cache_root = tmp_path_factory.mktemp("cache")
    engine = FakeEngine()
    result = render_session(SCRIPT, engine, length=45.0, cache_root=cache_root)
    cache = SpeechCache(cache_root / "speech", engine, None, 120)
    clips = {cue.text: pcm_samples(cache.path_for(cue.text))[0] for cue in result.timeline.cues}
    bells = {name: pcm_samples(decoded_bell(name, cache_root))[0] for name in (None, "small-gong")}
    timeline = plan_timeline(
        SCRIPT,
        sentence_frames=lambda text: len(clips[text]),
        bell_frames=lambda name: len(bells[name]),
        rate=SESSION_RATE,
        length=45.0,
    )
    return result, timeline, clips, bells


def test_blocks_of_any_size_give_the_assembled_sessions_samples(rendered):
    result, timeline, clips, bells = rendered
    track = VoiceTrack(timeline, clips.get, lambda name: bells[name])
    assembled = pcm_samples(result.wav_path)[0]
    assert len(assembled) == timeline.total_frames
    for block in (4410, 22050, 100_003):
        pieces = [track.frames(start, block) for start in range(0, timeline.total_frames, block)]
        joined = np.concatenate(pieces)[: timeline.total_frames]
        assert np.array_equal(joined, assembled), block
    assert not track.frames(timeline.total_frames, 1000).any()  # past the end: silence


def test_a_sentence_not_yet_spoken_stops_the_block_and_says_where(rendered):
    _, timeline, clips, bells = rendered
    spoken = {text: clip for text, clip in clips.items() if text != "Breathe in slowly."}
    track = VoiceTrack(timeline, spoken.get, lambda name: bells[name])
    waiting = next(event for event in timeline.speech() if event.text == "Breathe in slowly.")
    assert track.frames(0, waiting.start).any()  # everything before it plays
    with pytest.raises(NotReady) as caught:
        track.frames(waiting.start - 100, 1000)
    assert caught.value.frame == waiting.start and caught.value.text == "Breathe in slowly."
    complete = VoiceTrack(timeline, clips.get, lambda name: bells[name])
    assert complete.frames(waiting.start, waiting.frames).any()


def test_a_clip_longer_or_shorter_than_planned_fills_exactly_its_place():
    script = parse_script("---\ntitle: T\nsummary: S.\ntheme: t\n---\nOne.\n[pause 1s]\nTwo.\n")
    timeline: Timeline = plan_timeline(script, lambda text: 1000, lambda name: 0, SESSION_RATE)
    long_clip = np.full(1500, 7, dtype=np.int16)
    short_clip = np.full(600, 9, dtype=np.int16)
    track = VoiceTrack(timeline, {"One.": long_clip, "Two.": short_clip}.get, lambda name: long_clip)
    samples = track.frames(0, timeline.total_frames)
    one, two = timeline.speech()
    assert (samples[one.start : one.end] == 7).all()  # cut to its 1000 planned frames
    assert not samples[one.end : two.start].any()
    assert (samples[two.start : two.start + 600] == 9).all() and not samples[two.start + 600 :].any()
