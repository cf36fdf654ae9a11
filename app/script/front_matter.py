"""The front matter: the block between two `---` lines at the top of a script, read into Meta.

Finding the block (and saying what is wrong when it is missing, late or never closed), then its
YAML (app.script.front_matter_yaml), then its fields (app.script.front_matter_fields).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .front_matter_fields import EXAMPLES, FIELDS, FieldChecks, FieldPlace
from .front_matter_yaml import read_yaml
from .model import Meta
from .reporting import Problems, kind_of, shown

# Pure-Python YAML reads about 100 KB a second; a front matter holds a few short fields,
# so a huge one is a mistake that should not freeze the editor for seconds.
MAX_FRONT_MATTER_CHARS = 64 * 1024

_HALF_CHARACTER = re.compile("[\ud800-\udfff]")  # a lone surrogate, from a YAML escape

#: The place of a key in the front matter, by the key.
Where = Callable[[Any], FieldPlace]


def read_front_matter(lines: list[str], problems: Problems) -> tuple[Meta | None, int | None]:
    """The Meta (None after an error) and the index of the first body line.

    The body index is None when the body cannot be told apart from the front matter.
    """
    opening = 0
    if lines[0].strip() != "---":
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is not None and lines[first].strip() == "---":
            problems.add(
                1,
                1,
                f"the front matter must start on line 1: remove the blank lines before "
                f"the --- on line {first + 1}",
            )
            opening = first
        else:
            # Read the whole text as body too, so its errors are reported as well.
            problems.add(
                1,
                1,
                "a script must start with front matter: a line ---, then the fields title, "
                "summary and theme, one per line, then another line ---",
            )
            return None, 0
    closing = next((i for i in range(opening + 1, len(lines)) if lines[i].strip() == "---"), None)
    if closing is None:
        problems.add(opening + 1, 1, "the front matter is never closed: add a line --- after its last field")
        return None, None
    yaml_lines = lines[opening + 1 : closing]
    size = sum(len(line) + 1 for line in yaml_lines)
    if size > MAX_FRONT_MATTER_CHARS:
        problems.add(
            opening + 1,
            1,
            f"the front matter is {size:,} characters long, more than the limit of "
            f"{MAX_FRONT_MATTER_CHARS:,}: keep it to a few short fields and end it with a line ---",
        )
        return None, closing + 1
    return _meta(yaml_lines, opening + 1, closing + 1, problems), closing + 1


def _meta(yaml_lines: list[str], opening_line: int, closing_line: int, problems: Problems) -> Meta | None:
    loaded = read_yaml(yaml_lines, opening_line, closing_line, problems)
    if loaded is None:
        return None
    data, fields = loaded
    first_line = opening_line + 1
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.add(
            first_line,
            1,
            f"the front matter must be fields, one per line, like {EXAMPLES['title']}, not {kind_of(data)}",
        )
        return None
    errors_before = len(problems)

    def where(key: Any) -> FieldPlace:
        return fields.get(key) or FieldPlace(first_line, key, None)

    if _half_characters(data, where, first_line, problems):
        return None
    _unknown_and_missing_fields(data, fields, where, opening_line, problems)

    checks = FieldChecks(problems)
    title = checks.text("title", data, where("title"))
    summary = checks.text("summary", data, where("summary"))
    theme = checks.slug("theme", data, where("theme"), "choice")
    tags = checks.tags(data.get("tags"), where("tags"))
    durations = checks.durations(data.get("durations"), where("durations"))
    ambience = checks.slug("ambience", data, where("ambience"), "rain")
    pronounce = checks.pronounce(data.get("pronounce"), where("pronounce"))
    safety = checks.flag("safety", data.get("safety"), where("safety"))
    if len(problems) > errors_before or title is None or summary is None or theme is None:
        return None
    return Meta(
        title=title,
        summary=summary,
        theme=theme,
        tags=tags,
        durations=durations,
        ambience=ambience,
        pronounce=pronounce,
        safety=safety,
    )


def _unknown_and_missing_fields(
    data: dict[Any, Any], fields: dict[Any, FieldPlace], where: Where, opening_line: int, problems: Problems
) -> None:
    suggested = set()
    for key in data:
        if key not in FIELDS:
            name = where(key).key_text if key in fields else shown(str(key))
            close = difflib.get_close_matches(name.lower(), FIELDS, n=1, cutoff=0.6)
            message = f"unknown field {name}"
            if not close:
                message += ": the fields are " + ", ".join(FIELDS[:-1]) + " and " + FIELDS[-1]
            problems.add(where(key).line, 1, message, close[0] if close else None)
            suggested.update(close)
    for name in ("title", "summary", "theme"):
        # A misspelt `titel` already says what to do; "no title" would say it twice.
        if name not in data and name not in suggested:
            problems.add(opening_line, 1, f"the front matter has no {name}: add a line like {EXAMPLES[name]}")


def _half_characters(data: dict[Any, Any], where: Where, first_line: int, problems: Problems) -> bool:
    """A YAML escape such as "\\ud800" makes half of a character, which no file or screen can
    take: reported where it is (else every later step that writes the text would crash)."""
    found = False
    for key, value in data.items():
        in_key = _half_character(key)
        half = in_key or _half_character(value)
        if half is None:
            continue
        field = where(key)
        node = field.value_node if in_key is None else None
        line = first_line + node.start_mark.line if node is not None else field.line
        column = node.start_mark.column + 1 if node is not None else 1
        problems.add(
            line,
            column,
            f"{shown(str(field.key_text).encode('utf-8', 'backslashreplace').decode())} holds "
            f"\\u{ord(half):04x}, an escape for half of a character that no text can hold: "
            "write the character itself, or the full escape of both its halves",
        )
        found = True
    return found


def _half_character(value: Any, seen: set[int] | None = None) -> str | None:
    """The first lone surrogate in a loaded YAML value (text, or inside lists and maps), if any.
    Each list or map is looked into once: YAML aliases can make one of them appear a billion
    times (the "alias bomb")."""
    if isinstance(value, str):
        match = _HALF_CHARACTER.search(value)
        return match.group() if match else None
    if not isinstance(value, list | tuple | dict):
        return None
    seen = set() if seen is None else seen
    if id(value) in seen:
        return None
    seen.add(id(value))
    items = [part for pair in value.items() for part in pair] if isinstance(value, dict) else value
    for item in items:
        found = _half_character(item, seen)
        if found is not None:
            return found
    return None


def field_line(source: str | None, text: str | None, name: str) -> int:
    """The line of a front-matter field in `text` or the script's file (1 when unknown)."""
    try:
        lines = (text if text is not None else Path(str(source)).read_text("utf-8")).splitlines()
    except (OSError, UnicodeDecodeError, ValueError):
        return 1
    return next((number for number, text in enumerate(lines, 1) if text.startswith(f"{name}:")), 1)
