"""Questions the player asks of a session's timeline sidecar: which cue, which section, when."""

from __future__ import annotations

from bisect import bisect_right


def cue_index_at(timeline: dict, seconds: float) -> int | None:
    """The cue being spoken at `seconds`, or the last one spoken before it; None before the first."""
    starts = [cue["start"] for cue in timeline["cues"]]
    index = bisect_right(starts, seconds) - 1
    return index if index >= 0 else None


def cue_is_speaking(timeline: dict, index: int | None, seconds: float) -> bool:
    if index is None:
        return False
    cue = timeline["cues"][index]
    return cue["start"] <= seconds < cue["end"]


def section_index_at(timeline: dict, seconds: float) -> int:
    starts = [section["start"] for section in timeline["sections"]]
    return max(0, bisect_right(starts, seconds) - 1)


def section_start(timeline: dict, index: int) -> float:
    sections = timeline["sections"]
    return sections[max(0, min(index, len(sections) - 1))]["start"] if sections else 0.0
