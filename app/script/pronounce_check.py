"""A check of a parsed script that its syntax cannot catch: `pronounce:` entries for words
the script never says, most likely misspelt (a warning in `kindred check` and the editor)."""

from __future__ import annotations

import re

from .errors import ScriptError
from .front_matter import field_line
from .model import Script, Speech


def unused_pronunciations(script: Script, text: str | None = None) -> list[ScriptError]:
    """`pronounce:` entries whose word or phrase the script never says (a typo, most likely).
    `text` is the script's text when it is not (yet) its file's, as in the editor."""
    spoken = [item.text for _, item in script.items() if isinstance(item, Speech)]
    problems = []
    line = field_line(script.source if text is None else None, text, "pronounce")
    for written, _ in script.meta.pronounce:
        words = r"\s+".join(map(re.escape, written.split()))
        pattern = re.compile(r"(?<!\w)" + words + r"(?!\w)", re.IGNORECASE)
        if not any(pattern.search(text) for text in spoken):
            problems.append(
                ScriptError(
                    line, 1, f"pronounce: “{written}” is never said in the script; check its spelling"
                )
            )
    return problems
