"""Errors found in a script, each with its place and, where obvious, a suggestion."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: What must not reach a terminal as it is: control characters (a line break would split the
#: one-line format, an escape sequence would act), and the marks that reorder text on screen.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with every such character written as its escape (\\n, \\x1b, \\u202e)."""

    def escape(match: re.Match[str]) -> str:
        character = match.group()
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(character) or (
            f"\\x{ord(character):02x}" if ord(character) < 0x100 else f"\\u{ord(character):04x}"
        )

    return _UNPRINTABLE.sub(escape, text)


@dataclass(frozen=True)
class ScriptError:
    line: int
    column: int
    message: str
    suggestion: str | None = None

    def describe(self) -> str:
        text = self.message
        if self.suggestion:
            text += f"; did you mean {self.suggestion}?"
        return text

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.describe()}"


class ScriptErrors(Exception):
    """All the problems of one script, sorted by place."""

    def __init__(self, errors: list[ScriptError] | tuple[ScriptError, ...], source: str = "<script>"):
        self.errors = tuple(sorted(errors, key=lambda e: (e.line, e.column)))
        self.source = source
        super().__init__(self.format())

    def format(self) -> str:
        """One `FILE:LINE:COL: message` line per error, as compilers print them; whatever of the
        script's own text is in a message is escaped, so each stays one harmless line."""
        source = printable(self.source)
        return "\n".join(f"{source}:{e.line}:{e.column}: {printable(e.describe())}" for e in self.errors)
