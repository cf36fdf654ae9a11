"""Timeline arithmetic: where every sentence, pause and bell falls, to the frame."""

import pytest

from app.render.timeline import (
    LEAD_IN,
    LEAD_OUT,
    PARAGRAPH_GAP,
    SENTENCE_GAP,
    LengthError,
    plan_timeline,
)
from app.script import parse_script

RATE = 1000  # one frame per millisecond keeps the expected numbers readable

HEADER = "---\ntitle: T\nsummary: S\ntheme: t\n---\n"


def sentence_frames(text: str) -> int:
    return 100 * len(text.split())  # 100 ms per word


def bell_frames(name):
    return {None: 5000, "soft-chime": 3000}[name]


def plan(body: str, length=None):
    return plan_timeline(parse_script(HEADER + body), sentence_frames, bell_frames, RATE, length)


def kinds(timeline):
    return [(e.kind, e.frames) for e in timeline.events]


def test_paragraphs_without_pause_get_the_natural_gap():
    timeline = plan("One two.\n\nThree four five.\n")
    assert kinds(timeline) == [
        ("gap", LEAD_IN * RATE),
        ("speech", 200),
        ("gap", PARAGRAPH_GAP * RATE),
        ("speech", 300),
        ("gap", LEAD_OUT * RATE),
    ]
    assert timeline.total_frames == LEAD_IN * RATE + 200 + PARAGRAPH_GAP * RATE + 300 + LEAD_OUT * RATE


def test_pauses_between_utterances_are_exactly_their_sum_with_no_natural_gap():
    timeline = plan("One.\n\n[pause 2s]\n[pause 500ms]\n\nTwo.\n")
    speech = timeline.speech()
    assert speech[1].start - speech[0].end == 2500


def test_a_heading_between_paragraphs_gives_the_natural_gap_and_starts_the_chapter_on_the_voice():
    timeline = plan("# First\nOne.\n# Second\nTwo.\n")
    speech = timeline.speech()
    assert speech[1].start - speech[0].end == PARAGRAPH_GAP * RATE
    assert [(m.title, m.start) for m in timeline.sections] == [
        ("First", LEAD_IN * RATE),
        ("Second", speech[1].start),
    ]


def test_sentences_of_a_paragraph_are_separate_utterances_with_a_breath_between():
    timeline = plan("Breathe in slowly. Let it go.\n")
    first, second = timeline.speech()
    assert (first.text, second.text) == ("Breathe in slowly.", "Let it go.")
    assert second.start - first.end == SENTENCE_GAP * RATE
    assert first.paragraph == second.paragraph


def test_a_bell_takes_its_ring_out_and_pauses_around_it_are_as_declared():
    timeline = plan("Hello.\n[pause 1s]\n[bell]\n[pause 2s]\n[bell soft-chime]\nBye.\n")
    assert kinds(timeline)[1:-1] == [
        ("speech", 100),
        ("pause", 1000),
        ("bell", 5000),
        ("pause", 2000),
        ("bell", 3000),
        ("speech", 100),
    ]


def test_natural_length_without_a_requested_length():
    timeline = plan("One.\n[pause 10s+]\nTwo.\n")
    assert (
        timeline.total_frames
        == timeline.natural_frames
        == LEAD_IN * RATE + 100 + 10000 + 100 + LEAD_OUT * RATE
    )


def test_flexible_pauses_share_the_extra_time_in_proportion_to_their_base():
    timeline = plan("One.\n[pause 10s+]\nTwo.\n[pause 30s+]\nThree.\n[pause 5s]\n", length=120)
    assert timeline.total_frames == 120 * RATE
    flexible = [e for e in timeline.events if e.flexible]
    fixed = [e for e in timeline.events if e.kind == "pause" and not e.flexible]
    extra = 120 * RATE - timeline.natural_frames
    assert [e.frames - e.base_frames for e in flexible] == [extra // 4, extra * 3 // 4]
    assert fixed[0].frames == 5000


def test_uneven_shares_still_add_up_to_the_exact_frame():
    timeline = plan("One.\n[pause 7s+]\nTwo.\n[pause 11s+]\nThree.\n[pause 13s+]\n", length=600.001)
    assert timeline.total_frames == 600001
    assert sum(e.frames for e in timeline.events) == 600001
    assert all(e.frames >= e.base_frames for e in timeline.events if e.flexible)


def test_events_are_contiguous():
    timeline = plan("# A\nOne. Two.\n[pause 3s+]\n[bell]\n# B\nThree.\n\nFour.\n", length=60)
    cursor = 0
    for event in timeline.events:
        assert event.start == cursor
        cursor = event.end
    assert cursor == timeline.total_frames == 60000


def test_a_length_below_the_minimum_is_refused_with_the_minimum():
    with pytest.raises(LengthError) as raised:
        plan("One.\n[pause 30s+]\nTwo.\n", length=20)
    assert "needs at least 33s" in raised.value.explanation
    assert "Choose 33s or longer" in raised.value.explanation


def test_a_script_without_flexible_pauses_only_plays_at_its_natural_length():
    with pytest.raises(LengthError) as raised:
        plan("One.\n[pause 30s]\nTwo.\n", length=600)
    assert "no flexible pauses" in raised.value.explanation
    natural = plan("One.\n[pause 30s]\nTwo.\n")
    at_natural = plan("One.\n[pause 30s]\nTwo.\n", length=natural.total_frames / RATE + 0.02)
    assert at_natural.total_frames == natural.total_frames


def test_a_section_that_begins_with_a_pause_starts_at_that_pause():
    timeline = plan("# A\nOne.\n# B\n[pause 4s]\nTwo.\n")
    pause = next(e for e in timeline.events if e.kind == "pause")
    assert timeline.sections[1].start == pause.start
