"""A rendered session's timeline as everything after the renderer reads it: chapters, captions,
pauses and bells, in seconds.

`Sidecar` is the one record that crosses from the renderer to the player, the terminal's line,
the desktop's media controls, the captions and the export. It is also the JSON written beside
each render (`to_dict`, format 1) and read back from the render cache (`from_dict`).

Plain data only: frozen dataclasses of numbers and text, and the questions a player asks of
them (which sentence is being spoken, which chapter is playing, where one begins, and where the
same place is in the same session at another length).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from app.render.timeline import Timeline
from app.script import Script

#: The sidecar's layout on disk; `kindred render` and the render cache read and write this one.
SIDECAR_FORMAT = 1
#: Seconds are written to a tenth of a millisecond: exact enough to find a frame, short to read.
SECONDS_DIGITS = 4


@dataclass(frozen=True)
class Chapter:
    """A section of the script: its heading (None before the first one) and where it begins."""

    title: str | None
    start: float


@dataclass(frozen=True)
class Cue:
    """One sentence the voice speaks: when, what, and in which section and paragraph."""

    start: float
    end: float
    text: str
    section: int
    paragraph: int


@dataclass(frozen=True)
class PauseSpan:
    """A silence the script asked for; a flexible one stretches to fill the session's length."""

    start: float
    end: float
    flexible: bool


@dataclass(frozen=True)
class BellSpan:
    """A bell's sound: None is the default bell."""

    start: float
    end: float
    name: str | None


@dataclass(frozen=True)
class Sidecar:
    """A session's timeline in seconds; see the module's docstring."""

    title: str
    length: float
    natural_length: float  # the length with every flexible pause at its declared minimum
    sample_rate: int
    sections: tuple[Chapter, ...] = ()
    cues: tuple[Cue, ...] = ()
    pauses: tuple[PauseSpan, ...] = ()
    bells: tuple[BellSpan, ...] = ()

    # -- made from, and written as -------------------------------------------------------

    @classmethod
    def from_timeline(cls, script: Script, timeline: Timeline) -> Sidecar:
        """The sidecar of `timeline`, the plan of `script` (frames become rounded seconds)."""
        rate = timeline.rate

        def seconds(frames: int) -> float:
            return round(frames / rate, SECONDS_DIGITS)

        events = timeline.events
        return cls(
            title=script.meta.title,
            length=seconds(timeline.total_frames),
            natural_length=seconds(timeline.natural_frames),
            sample_rate=rate,
            sections=tuple(Chapter(mark.title, seconds(mark.start)) for mark in timeline.sections),
            cues=tuple(
                Cue(seconds(event.start), seconds(event.end), event.text, event.section, event.paragraph)
                for event in events
                if event.kind == "speech"
            ),
            pauses=tuple(
                PauseSpan(seconds(event.start), seconds(event.end), event.flexible)
                for event in events
                if event.kind == "pause"
            ),
            bells=tuple(
                BellSpan(seconds(event.start), seconds(event.end), event.text or None)
                for event in events
                if event.kind == "bell"
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        """The sidecar JSON's content, key for key as it has always been written."""
        return {
            "format": SIDECAR_FORMAT,
            "title": self.title,
            "length": self.length,
            "natural_length": self.natural_length,
            "sample_rate": self.sample_rate,
            "sections": [{"title": chapter.title, "start": chapter.start} for chapter in self.sections],
            "cues": [
                {
                    "start": cue.start,
                    "end": cue.end,
                    "text": cue.text,
                    "section": cue.section,
                    "paragraph": cue.paragraph,
                }
                for cue in self.cues
            ],
            "pauses": [
                {"start": pause.start, "end": pause.end, "flexible": pause.flexible} for pause in self.pauses
            ],
            "bells": [{"start": bell.start, "end": bell.end, "name": bell.name} for bell in self.bells],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sidecar:
        """A sidecar read back from its JSON (a cached render)."""
        length = float(data["length"])
        return cls(
            title=str(data["title"]),
            length=length,
            # Renders cached before the natural length was written lack it: theirs was not known.
            natural_length=float(data.get("natural_length", length)),
            sample_rate=int(data["sample_rate"]),
            sections=tuple(Chapter(item["title"], float(item["start"])) for item in data["sections"]),
            cues=tuple(
                Cue(
                    float(item["start"]),
                    float(item["end"]),
                    str(item["text"]),
                    int(item["section"]),
                    int(item["paragraph"]),
                )
                for item in data["cues"]
            ),
            pauses=tuple(
                PauseSpan(float(item["start"]), float(item["end"]), bool(item["flexible"]))
                for item in data["pauses"]
            ),
            bells=tuple(
                BellSpan(float(item["start"]), float(item["end"]), item["name"]) for item in data["bells"]
            ),
        )

    # -- where in the session --------------------------------------------------------------

    @cached_property
    def _cue_starts(self) -> list[float]:
        # Asked on every tick of the position: worked out once per sidecar, not once per tick.
        return [cue.start for cue in self.cues]

    @cached_property
    def _section_starts(self) -> list[float]:
        return [chapter.start for chapter in self.sections]

    def cue_index_at(self, seconds: float) -> int | None:
        """The cue being spoken at `seconds`, or the last one spoken before it; None before the first."""
        index = bisect_right(self._cue_starts, seconds) - 1
        return index if index >= 0 else None

    def cue_is_speaking(self, index: int | None, seconds: float) -> bool:
        """Whether cue `index` (as cue_index_at gives it) is being spoken at `seconds`, not over."""
        if index is None:
            return False
        cue = self.cues[index]
        return cue.start <= seconds < cue.end

    def section_index_at(self, seconds: float) -> int:
        """The section playing at `seconds`; the first one before it begins (and with none at all)."""
        return max(0, bisect_right(self._section_starts, seconds) - 1)

    def section_start_ms(self, index: int) -> int:
        """Where section `index` begins; the first one from the very start.

        Rounded up: a millisecond before the start still belongs to the section before.
        """
        if index <= 0 or not self.sections:
            return 0
        return math.ceil(self.sections[min(index, len(self.sections) - 1)].start * 1000)

    def gap_end(self, index: int) -> float:
        """Where the silence after cue `index` ends: at the next cue, or at the end of the session."""
        return self.cues[index + 1].start if index + 1 < len(self.cues) else self.length


def map_position(old: Sidecar, new: Sidecar, position_ms: int) -> int:
    """The same place in a re-rendered session: same sentence, or the same share of the silence after it.

    Only silences change between lengths, so the listener stays in the same section.
    """
    seconds = position_ms / 1000
    index = old.cue_index_at(seconds)
    if index is None or index >= len(new.cues):
        section = old.section_index_at(seconds)
        return round(new.sections[section].start * 1000) if new.sections else 0
    old_cue, new_cue = old.cues[index], new.cues[index]
    if seconds < old_cue.end:
        return round((new_cue.start + seconds - old_cue.start) * 1000)
    share = (seconds - old_cue.end) / max(1e-6, old.gap_end(index) - old_cue.end)
    return round((new_cue.end + share * (new.gap_end(index) - new_cue.end)) * 1000)
