"""Re-planning a playing session as real durations arrive: the total stays exact, nothing heard
moves, and the flexible pauses not yet reached absorb the difference. Pure Python, no Qt."""

from __future__ import annotations

import pytest

from app.render.replan import replan_timeline
from app.render.timeline import plan_timeline
from app.script import parse_script
from app.tts.fake import speech_seconds

RATE = 22050
SCRIPT = parse_script(
    """---
title: Skewed
summary: Planned from an estimate, spoken at another pace.
theme: test
---
# Arriving
Let your body settle into the chair beneath you.
Notice where you are holding on.
[pause 5s+]
# Resting
Breathe in slowly, and let the breath go.
[pause 3s]
There is nothing to fix right now.
[pause 20s+]
# Returning
When you are ready, open your eyes.
[pause 10s+]
[bell]
"""
)


def estimated(sentence: str) -> int:
    return round(speech_seconds(sentence, 120) * RATE)


def plan(length: float):
    return plan_timeline(SCRIPT, estimated, lambda name: 3 * RATE, RATE, length=length)


@pytest.mark.parametrize("skew", [0.8, 1.2])
def test_real_durations_20_percent_off_keep_the_total_exact(skew):
    planned = plan(120.0)
    real = {event.text: round(event.frames * skew) for event in planned.speech()}
    result = replan_timeline(planned, real.get, locked_until=0)
    assert result.exact
    assert result.timeline.total_frames == planned.total_frames == 120 * RATE
    for event in result.timeline.speech():
        assert event.frames == real[event.text]
    # Every pause keeps at least its declared length; the fixed one is untouched.
    pauses = [event for event in result.timeline.events if event.kind == "pause"]
    assert all(event.frames >= event.base_frames for event in pauses)
    assert [event.frames for event in pauses if not event.flexible] == [3 * RATE]
    # Contiguous: each event starts where the one before ends.
    events = result.timeline.events
    assert all(b.start == a.end for a, b in zip(events, events[1:], strict=False))


def test_nothing_already_heard_moves_and_only_later_pauses_absorb():
    planned = plan(120.0)
    head = planned.speech()[2].start + 100  # in the third sentence
    real = {event.text: round(event.frames * 1.2) for event in planned.speech()}
    result = replan_timeline(planned, real.get, locked_until=head)
    before = [event for event in planned.events if event.start < head]
    assert list(result.timeline.events[: len(before)]) == before
    assert result.exact and result.timeline.total_frames == planned.total_frames
    # The sentence being heard keeps its planned length; the ones after take their real one.
    third = result.timeline.speech()[2]
    assert third.frames == planned.speech()[2].frames
    assert [e.frames for e in result.timeline.speech()[3:]] == [real[e.text] for e in planned.speech()[3:]]
    first_flexible = next(e for e in planned.events if e.flexible)
    assert result.timeline.events[planned.events.index(first_flexible)] == first_flexible  # already heard


def test_chapter_marks_follow_the_moved_events():
    planned = plan(120.0)
    real = {event.text: round(event.frames * 1.2) for event in planned.speech()}
    result = replan_timeline(planned, real.get, locked_until=0).timeline
    for mark, index in zip(result.sections, (0, 1, 2), strict=True):
        first = next(event for event in result.events[1:] if event.section == index)
        assert mark.start == first.start
    assert [mark.title for mark in result.sections] == ["Arriving", "Resting", "Returning"]


def test_when_the_flexible_silence_cannot_absorb_it_the_total_moves_and_says_so():
    planned = plan(None)  # the natural length: every flexible pause at its minimum already
    real = {event.text: round(event.frames * 1.2) for event in planned.speech()}
    result = replan_timeline(planned, real.get, locked_until=0)
    assert not result.exact
    grown = sum(real[e.text] - e.frames for e in planned.speech())
    assert result.timeline.total_frames == planned.total_frames + grown
    shorter = {event.text: round(event.frames * 0.8) for event in planned.speech()}
    # Shorter speech at the natural length: the pauses stretch, and the length holds.
    assert replan_timeline(planned, shorter.get, locked_until=0).exact


def test_unknown_durations_keep_their_estimates():
    planned = plan(120.0)
    assert replan_timeline(planned, lambda text: None, locked_until=0).timeline == planned
