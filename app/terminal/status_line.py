"""The line `kindred play` keeps on the terminal: where the session is, and what is said.

On a terminal the line is redrawn in place; without one (a log, a pipe) a plain line is printed
every ten seconds and at each new section. Symbols become ASCII where the terminal's encoding
cannot show them.
"""

from __future__ import annotations

import shutil
from typing import TextIO

from app.render.sidecar import Sidecar
from app.time_text import clock_ms

#: Without a terminal (a log, a pipe) a plain line is printed this often, and at each new section.
PLAIN_LINE_EVERY_MS = 10_000
PLAIN_LINE_WIDTH = 120


def elide(text: str, width: int, ellipsis: str = "…") -> str:
    if len(text) <= width:
        return text
    return text[: max(0, width - len(ellipsis))].rstrip() + ellipsis


def status_text(timeline: Sidecar, position_ms: int, duration_ms: int, fallback_title: str = "") -> str:
    """`▶ 03:12 / 10:00  Section — the sentence being spoken` (only the section during a silence)."""
    seconds = position_ms / 1000
    sections = timeline.sections
    title = sections[timeline.section_index_at(seconds)].title if sections else fallback_title
    text = f"▶ {clock_ms(position_ms)} / {clock_ms(duration_ms)}"
    cue = timeline.cue_index_at(seconds)
    caption = timeline.cues[cue].text if cue is not None and timeline.cue_is_speaking(cue, seconds) else ""
    if title and caption:
        return f"{text}  {title} — {caption}"
    if title or caption:
        return f"{text}  {title or caption}"
    return text


class StatusLine:
    """One session's line on `out`; messages go on lines of their own below it."""

    def __init__(self, title: str, out: TextIO):
        self.title = title
        self.out = out
        self.interactive = isatty(out)
        self._drawn = 0  # width of the line now on the terminal, 0 when none is
        self._shown = ""
        self._next_plain_ms = 0
        self._last_section: int | None = None

    def say(self, message: str, stream: TextIO) -> None:
        """A message on a line of its own, below the progress line rather than through it."""
        if self._drawn:
            self.out.write("\n")
            self.out.flush()
            self._drawn = 0
        print(printable(message, stream), file=stream, flush=True)

    def draw(self, timeline: Sidecar, position: int, duration: int, force: bool = False) -> None:
        text = status_text(timeline, position, duration, self.title)
        if self.interactive:
            width = max(20, shutil.get_terminal_size((80, 20)).columns - 1)
            line = printable(elide(text, width), self.out)
            if line == self._shown and self._drawn:
                return
            self._shown = line
            # Spaces rather than an escape code to clear what is left of a longer line: works everywhere.
            self.out.write("\r" + line + " " * max(0, self._drawn - len(line)))
            self.out.flush()
            self._drawn = max(1, len(line))
            return
        section = timeline.section_index_at(position / 1000)
        if force or position >= self._next_plain_ms or section != self._last_section:
            self._next_plain_ms = (position // PLAIN_LINE_EVERY_MS + 1) * PLAIN_LINE_EVERY_MS
            self._last_section = section
            print(printable(elide(text, PLAIN_LINE_WIDTH), self.out), file=self.out, flush=True)


def isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


_PLAIN_SYMBOLS = {"▶": ">", "—": "-", "…": "..."}


def printable(text: str, stream: TextIO) -> str:
    """The symbols as ASCII where the terminal's encoding cannot show them (rather than a crash)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
        return text
    except LookupError:
        encoding = "ascii"
    except UnicodeEncodeError:
        pass
    for symbol, plain in _PLAIN_SYMBOLS.items():
        text = text.replace(symbol, plain)
    return text.encode(encoding, errors="replace").decode(encoding, errors="replace")
