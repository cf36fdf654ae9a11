"""Where every sentence, pause and bell of a session falls.

All arithmetic is in whole frames at the session rate, so the planned length is exact and
nothing drifts however many pieces a session has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from app.errors import KindredError
from app.script import MAX_LENGTH_SECONDS, Bell, Pause, Script, Speech, format_duration
from app.tts.sentences import split_sentences

#: Silence between two paragraphs with no pause directive between them (docs/architecture.md).
PARAGRAPH_GAP = 1.5
#: A breath between the sentences of one paragraph; shorter than any declared pause.
SENTENCE_GAP = 0.45
#: Quiet before the first sound and after the last, so players never clip the edges.
LEAD_IN = 0.5
LEAD_OUT = 1.5
#: How far the natural length may be from a requested one and still count as it.
LENGTH_TOLERANCE = 0.05

EventKind = Literal["speech", "pause", "gap", "bell"]


class LengthError(KindredError):
    title = "That length does not fit this meditation"


@dataclass(frozen=True)
class Event:
    kind: EventKind
    start: int  # frames from the start of the session
    frames: int
    section: int
    text: str = ""  # the sentence of a speech event, the bell's name of a bell event
    flexible: bool = False
    base_frames: int = 0  # a pause's declared length, before stretching
    paragraph: int = -1  # speech events of one paragraph share this number

    @property
    def end(self) -> int:
        return self.start + self.frames


@dataclass(frozen=True)
class SectionMark:
    title: str | None
    start: int


@dataclass(frozen=True)
class Timeline:
    rate: int
    total_frames: int
    natural_frames: int
    events: tuple[Event, ...]
    sections: tuple[SectionMark, ...] = field(default=())

    @property
    def length_seconds(self) -> float:
        return self.total_frames / self.rate

    def speech(self) -> list[Event]:
        return [event for event in self.events if event.kind == "speech"]


def utterances_of(script: Script) -> list[str]:
    """Every sentence the voice must speak, in order (the same text may repeat)."""
    return [
        sentence
        for _, item in script.items()
        if isinstance(item, Speech)
        for sentence in split_sentences(item.text)
    ]


def plan_timeline(
    script: Script,
    sentence_frames: Callable[[str], int],
    bell_frames: Callable[[str | None], int],
    rate: int,
    length: float | None = None,
    limit: bool = True,
) -> Timeline:
    """Lay the script out in time; with `length`, stretch the flexible pauses to fill it exactly.

    Raises LengthError when the length is shorter than the script needs, or when the script
    has no flexible pause and the length differs from its natural length; and (with `limit`)
    when the session would last longer than MAX_LENGTH_SECONDS, before any of it is made.
    """
    events = _natural_events(script, sentence_frames, bell_frames, rate)
    natural = sum(event.frames for event in events)
    if limit and natural > MAX_LENGTH_SECONDS * rate:
        raise LengthError(
            f"“{script.meta.title}” would last about {format_duration(_round_up_seconds(natural / rate))}, "
            f"longer than {format_duration(MAX_LENGTH_SECONDS)}, the longest a session can be. Shorten the "
            "script (fewer bells, pauses or words)."
        )
    total = natural
    if length is not None:
        total = _checked_total(script, events, natural, rate, length)
        events = _stretch(events, total - natural)
    placed, cursor = [], 0
    for event in events:
        placed.append(replace(event, start=cursor))
        cursor += event.frames
    return Timeline(
        rate, cursor, natural, tuple(placed), section_marks([s.title for s in script.sections], placed)
    )


def _natural_events(script, sentence_frames, bell_frames, rate) -> list[Event]:
    def frames(seconds: float) -> int:
        return round(seconds * rate)

    events: list[Event] = [Event("gap", 0, frames(LEAD_IN), 0)]
    previous_sound: str | None = None  # "speech" or "bell"
    pause_since_sound = False
    paragraph = 0
    for section_index, item in script.items():
        if isinstance(item, Pause):
            base = frames(item.seconds)
            events.append(Event("pause", 0, base, section_index, flexible=item.flexible, base_frames=base))
            pause_since_sound = True
        elif isinstance(item, Bell):
            events.append(Event("bell", 0, bell_frames(item.name), section_index, text=item.name or ""))
            previous_sound, pause_since_sound = "bell", False
        elif isinstance(item, Speech):
            if previous_sound == "speech" and not pause_since_sound:
                # The gap belongs to the section that is ending, so a chapter starts on its voice.
                events.append(Event("gap", 0, frames(PARAGRAPH_GAP), events[-1].section))
            for index, sentence in enumerate(split_sentences(item.text)):
                if index:
                    events.append(Event("gap", 0, frames(SENTENCE_GAP), section_index))
                events.append(
                    Event(
                        "speech",
                        0,
                        sentence_frames(sentence),
                        section_index,
                        text=sentence,
                        paragraph=paragraph,
                    )
                )
            paragraph += 1
            previous_sound, pause_since_sound = "speech", False
    events.append(Event("gap", 0, frames(LEAD_OUT), events[-1].section))
    return events


def _checked_total(script: Script, events: list[Event], natural: int, rate: int, length: float) -> int:
    requested = round(length * rate)
    tolerance = round(LENGTH_TOLERANCE * rate)
    flexible = any(event.flexible for event in events)
    shortest = format_duration(_round_up_seconds(natural / rate))
    if requested < natural - tolerance:
        raise LengthError(
            f"“{script.meta.title}” needs at least {shortest}; "
            f"{format_duration(length)} is too short. Choose {shortest} or longer."
        )
    if not flexible and abs(requested - natural) > tolerance:
        raise LengthError(
            f"“{script.meta.title}” has no flexible pauses, so it only plays at its natural length "
            f"of about {shortest}. Choose that length, or add a pause like [pause 20s+] to the script."
        )
    return max(requested, natural) if flexible else natural


def _round_up_seconds(seconds: float) -> float:
    whole = int(seconds)
    return float(whole if whole == seconds else whole + 1)


def _stretch(events: list[Event], extra: int) -> list[Event]:
    """Share `extra` frames among flexible pauses in proportion to their base length."""
    flexible = [i for i, event in enumerate(events) if event.flexible]
    if extra <= 0 or not flexible:
        return events
    stretched = list(events)
    for i, share in share_extra(events, flexible, extra).items():
        stretched[i] = replace(events[i], frames=events[i].frames + share)
    return stretched


def share_extra(events: list[Event], flexible: list[int], extra: int) -> dict[int, int]:
    """`extra` frames for the events at `flexible`, in proportion to their declared lengths;
    the largest remainders take the frames integer division leaves over, so the sum is exact."""
    if not flexible:
        return {}
    base_total = sum(events[i].base_frames for i in flexible)
    if base_total == 0:  # only [pause 0s+]: shared evenly
        shares = {i: extra // len(flexible) for i in flexible}
        for i in flexible[: extra - sum(shares.values())]:
            shares[i] += 1
        return shares
    shares = {i: extra * events[i].base_frames // base_total for i in flexible}
    leftover = extra - sum(shares.values())
    by_remainder = sorted(flexible, key=lambda i: (extra * events[i].base_frames) % base_total, reverse=True)
    for i in by_remainder[:leftover]:
        shares[i] += 1
    return shares


def section_marks(titles: list[str | None], events: list[Event]) -> tuple[SectionMark, ...]:
    """Each section (chapter) starts where its first event does; the lead-in belongs to none."""
    first_event_start: dict[int, int] = {}
    for event in events[1:]:
        first_event_start.setdefault(event.section, event.start)
    marks, previous = [], 0
    for index, title in enumerate(titles):
        start = first_event_start.get(index, previous)
        marks.append(SectionMark(title, start))
        previous = start
    return tuple(marks)
