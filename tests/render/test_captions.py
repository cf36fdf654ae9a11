"""Captions written beside an export: WebVTT and SRT that parse and say what the timeline says."""

import html
import re

from app.render.captions import captions_srt, captions_vtt
from app.render.sidecar import Cue, Sidecar


def spoken(*cues: tuple[float, float, str]) -> Sidecar:
    """A session saying `cues` (start, end, text), each a paragraph of its own."""
    said = tuple(Cue(start, end, text, 0, number) for number, (start, end, text) in enumerate(cues))
    return Sidecar(title="Captions", length=4000.0, natural_length=4000.0, sample_rate=22050, cues=said)


TIMELINE = spoken(
    (0.5, 2.0, "Let your body settle."),
    (2.45, 3.5744, "Notice <the> breath & rest."),
    (61.25, 64.0, "A line\nthat was wrapped."),
    (3723.0041, 3725.9, "Over an hour in --> still fine."),
    (3800.0, 3801.0, "   "),  # nothing to show: left out
)
SPOKEN = [
    "Let your body settle.",
    "Notice <the> breath & rest.",
    "A line that was wrapped.",
    "Over an hour in --> still fine.",
]


def seconds(stamp: str) -> float:
    hours, minutes, rest = stamp.replace(",", ".").split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def parse_cues(text: str, separator: str) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue of a WebVTT (after its header) or SRT file, strictly."""
    stamp = rf"\d\d:\d\d:\d\d{re.escape(separator)}\d\d\d"
    cues = []
    for block in text.strip().split("\n\n"):
        lines = block.split("\n")
        assert lines[0].isdigit(), block
        assert int(lines[0]) == len(cues) + 1
        match = re.fullmatch(rf"({stamp}) --> ({stamp})", lines[1])
        assert match, lines[1]
        assert len(lines) == 3, block  # one line of text per cue
        cues.append((seconds(match.group(1)), seconds(match.group(2)), lines[2]))
    return cues


def parse_vtt(text: str) -> list[tuple[float, float, str]]:
    assert text.startswith("WEBVTT\n\n")
    cues = parse_cues(text[len("WEBVTT\n\n") :], ".")
    for _, _, cue_text in cues:
        assert "<" not in cue_text and "-->" not in cue_text  # markup and timing arrows are escaped
    return [(start, end, html.unescape(cue_text)) for start, end, cue_text in cues]


def assert_in_order(cues: list[tuple[float, float, str]]) -> None:
    previous_end = 0.0
    for start, end, _ in cues:
        assert previous_end <= start < end
        previous_end = end


def test_webvtt_has_a_header_and_every_spoken_sentence_at_its_time():
    cues = parse_vtt(captions_vtt(TIMELINE))
    assert [text for _, _, text in cues] == SPOKEN
    assert [(start, end) for start, end, _ in cues] == [
        (0.5, 2.0),
        (2.45, 3.574),
        (61.25, 64.0),
        (3723.004, 3725.9),
    ]
    assert_in_order(cues)


def test_srt_numbers_its_cues_and_uses_commas_in_times():
    text = captions_srt(TIMELINE)
    assert text.startswith("1\n00:00:00,500 --> 00:00:02,000\nLet your body settle.\n\n2\n")
    assert "01:02:03,004 --> 01:02:05,900" in text
    cues = parse_cues(text, ",")
    assert [cue_text for _, _, cue_text in cues] == SPOKEN  # SRT takes text as it is
    assert_in_order(cues)


def test_webvtt_escapes_what_would_read_as_markup():
    text = captions_vtt(TIMELINE)
    assert "Notice &lt;the&gt; breath &amp; rest." in text
    assert "Over an hour in --&gt; still fine." in text


def test_overlapping_or_empty_cues_are_made_valid():
    timeline = spoken((1.0, 3.0, "First."), (2.5, 2.5, "Overlaps and has no length."))
    for cues in (parse_vtt(captions_vtt(timeline)), parse_cues(captions_srt(timeline), ",")):
        assert_in_order(cues)
        assert cues[1][0] == 3.0


def test_a_timeline_without_speech_gives_empty_captions():
    assert captions_vtt(spoken()) == "WEBVTT\n"
    assert captions_srt(spoken()) == ""
