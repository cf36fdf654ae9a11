"""The body of a script, after its front matter: sections under `#` headings, each a run of
paragraphs to speak, directives (app.script.directives) and `//` comments.

A line is one of: blank (it ends a paragraph), a comment, a heading, a directive, or text,
which joins the paragraph above it.
"""

from __future__ import annotations

import re

from .directives import read_directive
from .durations import format_duration
from .limits import MAX_LENGTH_SECONDS
from .model import Comment, Item, Pause, Section, Speech
from .reporting import Problems

_HEADING = re.compile(r"(#+)(.*)", re.DOTALL)


def read_body(lines: list[str], start: int, problems: Problems) -> tuple[Section, ...]:
    """The sections of the body, which begins at index `start` of `lines`."""
    body = _Body(start, problems)
    for index in range(start, len(lines)):
        body.read_line(index + 1, lines[index])
    return body.finish()


class _Body:
    """The sections read so far, and the section and paragraph being read."""

    def __init__(self, start: int, problems: Problems):
        self.problems = problems
        self.sections: list[Section] = []
        self.title: str | None = None  # None: the untitled part before the first heading
        self.section_line = start + 1
        self.items: list[Item] = []
        self.paragraph: list[str] = []
        self.paragraph_line = 0
        self.pause_total = 0.0

    def read_line(self, number: int, line: str) -> None:
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if not stripped:
            self.end_paragraph()
        elif stripped.startswith("//"):
            self.end_paragraph()
            self.items.append(Comment(stripped[2:].strip(), number))
        elif stripped.startswith("#"):
            self.end_paragraph()
            self.heading(stripped, number, indent)
        elif stripped.startswith("["):
            self.end_paragraph()
            self.directive(stripped, number, indent)
        else:
            self.text(line, stripped, number)

    def finish(self) -> tuple[Section, ...]:
        self.end_paragraph()
        self.end_section()
        return tuple(self.sections)

    def end_paragraph(self) -> None:
        if self.paragraph:
            self.items.append(Speech(tuple(self.paragraph), self.paragraph_line))
            self.paragraph.clear()

    def end_section(self) -> None:
        # The untitled first section exists only if something comes before the first heading.
        if self.title is not None or self.items:
            self.sections.append(Section(self.title, tuple(self.items), self.section_line))

    def heading(self, stripped: str, number: int, indent: int) -> None:
        self.end_section()
        heading = _HEADING.fullmatch(stripped)
        self.title = heading.group(2).strip() if heading else ""
        if not self.title:
            self.problems.add(number, indent + 1, "a heading needs a title after the #, like # Arriving")
        self.items = []
        self.section_line = number

    def directive(self, stripped: str, number: int, indent: int) -> None:
        item = read_directive(stripped, number, indent, self.problems)
        if item is not None:
            self.items.append(item)
        if isinstance(item, Pause):
            before = self.pause_total
            self.pause_total += item.seconds
            # Said once, at the pause that crosses the limit, not at every pause after it.
            if self.pause_total > MAX_LENGTH_SECONDS >= before:
                self.problems.add(
                    number,
                    indent + 1,
                    f"the pauses up to here add up to "
                    f"{format_duration(self.pause_total)}, more than the "
                    f"{format_duration(MAX_LENGTH_SECONDS)} a session can last: shorten them",
                )

    def text(self, line: str, stripped: str, number: int) -> None:
        bracket = line.find("[")
        if bracket >= 0:
            self.problems.add(
                number,
                bracket + 1,
                "square brackets are only for directives like [pause 5s] "
                "or [bell], each on a line of its own: remove the [ or move the directive "
                "to its own line",
            )
        if not self.paragraph:
            self.paragraph_line = number
        self.paragraph.append(stripped)
