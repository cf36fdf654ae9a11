"""The session timeline every consumer reads: made from a plan, written as the sidecar JSON, and
asked where in the session a moment is."""

import json

import pytest

from app.render.sidecar import (
    BellSpan,
    Chapter,
    Cue,
    PauseSpan,
    Sidecar,
    map_position,
)
from app.render.timeline import Event, SectionMark, Timeline
from app.script import parse_script

RATE = 1000  # frames are milliseconds: the seconds below are easy to check

SCRIPT = parse_script("---\ntitle: Two Rooms\nsummary: A test.\ntheme: test\n---\n# Arriving\nHello.\n")


def plan() -> Timeline:
    """A bell, two sentences of one paragraph, a flexible pause, a sentence in a second section."""
    events = (
        Event("bell", 500, 3000, 0, text=""),
        Event("speech", 3500, 1500, 0, text="Arrive.", paragraph=0),
        Event("gap", 5000, 450, 0),
        Event("speech", 5450, 2000, 0, text="Settle.", paragraph=0),
        Event("pause", 7450, 10_000, 0, flexible=True, base_frames=2000),
        Event("bell", 17_450, 3000, 1, text="singing-bowl"),
        Event("speech", 20_450, 1234, 1, text="Rest.", paragraph=1),
        Event("pause", 21_684, 2000, 1),
    )
    sections = (SectionMark("Arriving", 500), SectionMark(None, 17_450))
    return Timeline(RATE, 25_184, 17_184, events, sections)


def sidecar(cues: list[tuple[float, float]], sections: list[float], length: float) -> Sidecar:
    """A session with cues at (start, end) and sections starting at `sections`, all in seconds."""
    return Sidecar(
        title="Test",
        length=length,
        natural_length=length,
        sample_rate=RATE,
        sections=tuple(Chapter(f"Section {n}", start) for n, start in enumerate(sections)),
        cues=tuple(Cue(start, end, f"Cue {n}.", 0, n) for n, (start, end) in enumerate(cues)),
    )


# -- made from a plan, written as JSON -----------------------------------------------------------


def test_a_plan_becomes_chapters_cues_pauses_and_bells_in_seconds():
    made = Sidecar.from_timeline(SCRIPT, plan())
    assert (made.title, made.sample_rate) == ("Two Rooms", RATE)
    assert (made.length, made.natural_length) == (25.184, 17.184)
    assert made.sections == (Chapter("Arriving", 0.5), Chapter(None, 17.45))
    assert made.cues == (
        Cue(3.5, 5.0, "Arrive.", 0, 0),
        Cue(5.45, 7.45, "Settle.", 0, 0),
        Cue(20.45, 21.684, "Rest.", 1, 1),
    )
    # Gaps between sentences are no pause of the script's: only declared pauses are listed.
    assert made.pauses == (PauseSpan(7.45, 17.45, True), PauseSpan(21.684, 23.684, False))
    assert made.bells == (BellSpan(0.5, 3.5, None), BellSpan(17.45, 20.45, "singing-bowl"))


def test_seconds_are_rounded_to_a_tenth_of_a_millisecond():
    timeline = Timeline(22050, 22050 * 7 + 1, 22050 * 7 + 1, (Event("speech", 1, 22050, 0, text="Hi."),))
    made = Sidecar.from_timeline(SCRIPT, timeline)
    assert made.length == 7.0  # 7.0000454 s
    assert (made.cues[0].start, made.cues[0].end) == (0.0, 1.0)


def test_the_json_is_the_format_1_sidecar_key_for_key():
    written = Sidecar.from_timeline(SCRIPT, plan()).to_dict()
    assert written == {
        "format": 1,
        "title": "Two Rooms",
        "length": 25.184,
        "natural_length": 17.184,
        "sample_rate": RATE,
        "sections": [{"title": "Arriving", "start": 0.5}, {"title": None, "start": 17.45}],
        "cues": [
            {"start": 3.5, "end": 5.0, "text": "Arrive.", "section": 0, "paragraph": 0},
            {"start": 5.45, "end": 7.45, "text": "Settle.", "section": 0, "paragraph": 0},
            {"start": 20.45, "end": 21.684, "text": "Rest.", "section": 1, "paragraph": 1},
        ],
        "pauses": [
            {"start": 7.45, "end": 17.45, "flexible": True},
            {"start": 21.684, "end": 23.684, "flexible": False},
        ],
        "bells": [
            {"start": 0.5, "end": 3.5, "name": None},
            {"start": 17.45, "end": 20.45, "name": "singing-bowl"},
        ],
    }
    # The order of the keys is the file's too: the same text on disk as ever.
    assert list(written) == [
        "format",
        "title",
        "length",
        "natural_length",
        "sample_rate",
        "sections",
        "cues",
        "pauses",
        "bells",
    ]
    assert list(written["cues"][0]) == ["start", "end", "text", "section", "paragraph"]


def test_read_back_from_its_json_it_is_the_same_sidecar():
    made = Sidecar.from_timeline(SCRIPT, plan())
    again = Sidecar.from_dict(json.loads(json.dumps(made.to_dict(), ensure_ascii=False, indent=1)))
    assert again == made
    assert again.to_dict() == made.to_dict()


def test_a_sidecar_written_before_the_natural_length_reads_its_length_as_natural():
    old = Sidecar.from_timeline(SCRIPT, plan()).to_dict()
    del old["natural_length"]
    assert Sidecar.from_dict(old).natural_length == 25.184


def test_it_is_frozen():
    made = Sidecar.from_timeline(SCRIPT, plan())
    with pytest.raises(AttributeError):
        made.length = 1.0  # type: ignore[misc]


# -- where in the session -----------------------------------------------------------------------


def test_the_cue_at_a_moment_is_the_one_spoken_or_the_last_one_before_it():
    timeline = sidecar([(1.0, 2.0), (10.0, 11.0)], [0.0], 20.0)
    assert timeline.cue_index_at(0.5) is None  # before the first word
    assert timeline.cue_index_at(1.0) == 0
    assert timeline.cue_index_at(1.5) == 0
    assert timeline.cue_index_at(5.0) == 0  # the silence after it
    assert timeline.cue_index_at(10.0) == 1
    assert timeline.cue_index_at(19.0) == 1
    assert sidecar([], [], 5.0).cue_index_at(3.0) is None


def test_a_cue_is_speaking_from_its_start_until_its_end():
    timeline = sidecar([(1.0, 2.0), (10.0, 11.0)], [0.0], 20.0)
    assert not timeline.cue_is_speaking(None, 0.5)
    assert timeline.cue_is_speaking(0, 1.0)
    assert timeline.cue_is_speaking(0, 1.999)
    assert not timeline.cue_is_speaking(0, 2.0)  # its end is the silence's start
    assert not timeline.cue_is_speaking(timeline.cue_index_at(5.0), 5.0)


def test_the_section_at_a_moment_counts_the_lead_in_as_the_first():
    timeline = sidecar([(1.0, 2.0)], [0.5, 10.0, 15.0], 20.0)
    assert timeline.section_index_at(0.0) == 0  # before the first section's words
    assert timeline.section_index_at(9.999) == 0
    assert timeline.section_index_at(10.0) == 1
    assert timeline.section_index_at(19.0) == 2
    assert sidecar([], [], 5.0).section_index_at(3.0) == 0


def test_a_section_starts_at_its_first_millisecond_rounded_up():
    timeline = sidecar([], [0.5, 10.0004, 15.0], 20.0)
    assert timeline.section_start_ms(0) == 0  # the first from the very start, lead-in and all
    assert timeline.section_start_ms(-1) == 0
    assert timeline.section_start_ms(1) == 10_001  # a millisecond earlier is the section before
    assert timeline.section_index_at(timeline.section_start_ms(1) / 1000) == 1
    assert timeline.section_start_ms(2) == 15_000
    assert timeline.section_start_ms(9) == 15_000  # past the last: the last
    assert sidecar([], [], 5.0).section_start_ms(2) == 0


# -- the same place at another length -----------------------------------------------------------


def test_map_position_keeps_the_sentence_or_the_share_of_the_silence():
    old = sidecar([(1.0, 2.0), (10.0, 11.0)], [0.0], 20.0)
    new = sidecar([(1.0, 2.0), (20.0, 21.0)], [0.0], 40.0)
    assert map_position(old, new, 1500) == 1500
    assert map_position(old, new, 6000) == 11000  # half way through the silence after the first cue
    assert map_position(old, new, 10500) == 20500
    # After the last sentence the silence runs to the end of the session.
    assert map_position(old, new, 15_500) == 21_000 + round(0.5 * 19_000)


def test_before_the_first_sentence_the_place_is_the_start_of_its_section():
    old = sidecar([(3.0, 4.0), (10.0, 11.0)], [0.5, 10.0], 20.0)
    new = sidecar([(3.0, 4.0), (20.0, 21.0)], [0.5, 20.0], 40.0)
    assert map_position(old, new, 1000) == 500
    # A sentence the new plan does not have (yet): the start of the section it was in.
    shorter = sidecar([(3.0, 4.0)], [0.5, 20.0], 40.0)
    assert map_position(old, shorter, 10_500) == 20_000
    assert map_position(old, sidecar([], [], 40.0), 10_500) == 0
