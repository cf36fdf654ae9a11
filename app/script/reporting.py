"""How the parser reports problems: the list it gathers them in, and the ways it quotes an
author's text in a message (short, and as an author reads it, never as Python sees it)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .errors import ScriptError

#: A short name: lowercase letters, digits and single hyphens (themes, ambiences, bells).
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: A number with no unit, which a length needs.
PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


class Problems:
    """Every problem found in one script so far. The parser goes on after each, so an author
    sees all of them at once."""

    def __init__(self) -> None:
        self.errors: list[ScriptError] = []

    def add(self, line: int, column: int, message: str, suggestion: str | None = None) -> None:
        self.errors.append(ScriptError(line, column, message, suggestion))

    def __len__(self) -> int:
        return len(self.errors)


def shown(text: str, limit: int = 40) -> str:
    """Text quoted in a message, cut short so one absurd line cannot flood the screen."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slug_like(text: str) -> str:
    """The slug an author probably meant: `Deep Bowl` -> `deep-bowl` (may be empty)."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def kind_of(value: Any) -> str:
    """How a YAML value reads to an author, never its repr: it may be huge (alias bombs)."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bytes):
        return "binary data"
    return f"a {type(value).__name__}"
