"""Errors found in a script, each with its place and, where obvious, a suggestion."""

from __future__ import annotations

from dataclasses import dataclass


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
        """One `FILE:LINE:COL: message` line per error, as compilers print them."""
        return "\n".join(f"{self.source}:{e.line}:{e.column}: {e.describe()}" for e in self.errors)
