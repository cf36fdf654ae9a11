"""The front matter's fields, one by one: what each may hold, and what an author is told
when it holds something else (`theme: Choice`, `durations: 10`, `title: yes`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml

from .durations import DurationError, format_duration, parse_duration
from .limits import MAX_LENGTH_SECONDS
from .reporting import PLAIN_NUMBER, SLUG, Problems, kind_of, shown, slug_like

FIELDS = ("title", "summary", "theme", "tags", "durations", "ambience", "pronounce", "safety")
#: A `pronounce:` entry is a word or a short phrase.
MAX_PRONOUNCE_CHARS = 100
#: A line to copy for each field a script must have.
EXAMPLES = {
    "title": "title: Choosing Compassion",
    "summary": "summary: A short practice for coming back to each other",
    "theme": "theme: choice",
}


class FieldPlace:
    """Where a front-matter key is, and the YAML node of its value, for messages."""

    def __init__(self, line: int, key_text: str, value_node: yaml.Node | None):
        self.line = line
        self.key_text = key_text
        self.value_node = value_node

    def raw(self, value: Any, index: int | None = None) -> str:
        """The value as the author typed it (`yes`, not True) when it is a plain scalar."""
        node = self.value_node
        if index is not None:
            items = node.value if isinstance(node, yaml.SequenceNode) else []
            node = items[index] if index < len(items) else None
        if isinstance(node, yaml.ScalarNode):
            return shown(node.value)
        return shown(str(value)) if isinstance(value, (str, int, float, date)) else kind_of(value)


class FieldChecks:
    """Reads each field's loaded YAML value into what Meta holds; a wrong one becomes a problem
    and None (or nothing), so the other fields are still checked."""

    def __init__(self, problems: Problems):
        self.problems = problems

    def text(self, name: str, data: dict[Any, Any], field: FieldPlace) -> str | None:
        if name not in data:
            return None
        value = data[name]
        if isinstance(value, str) and value.strip():
            return value.strip()
        if value is None or isinstance(value, str):
            self.problems.add(
                field.line, 1, f"{name} is empty: write it after the colon, like {EXAMPLES[name]}"
            )
        else:
            self.type_error(name, value, field, "text")
        return None

    def slug(self, name: str, data: dict[Any, Any], field: FieldPlace, example: str) -> str | None:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if name in data and name == "theme":
                self.problems.add(
                    field.line,
                    1,
                    f"theme is empty: write a short name after the colon, like {name}: {example}",
                )
            return None
        if not isinstance(value, str):
            self.type_error(name, value, field, f"a short name like {example}")
            return None
        if not SLUG.fullmatch(value):
            guess = slug_like(value)
            self.problems.add(
                field.line,
                1,
                f"{name} must be a short name of lowercase letters, digits and hyphens, "
                f"like {example}, not {shown(value)}",
                guess or None,
            )
            return None
        return value

    def type_error(
        self, name: str, value: Any, field: FieldPlace, expected: str, index: int | None = None
    ) -> None:
        message = f"{name} must be {expected}, not {kind_of(value)}"
        if isinstance(value, (bool, int, float, date)):
            # YAML read `yes`, `10` or `2024-01-01` as something other than text.
            message += f': put it in quotes, like "{field.raw(value, index)}"'
        self.problems.add(field.line, 1, message)

    def flag(self, name: str, value: Any, field: FieldPlace) -> bool:
        """`true` or `false` (absent: false)."""
        if value is None or isinstance(value, bool):
            return bool(value)
        self.problems.add(field.line, 1, f"{name} must be true or false, not {kind_of(value)}", "true")
        return False

    def tags(self, value: Any, field: FieldPlace) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        elif not isinstance(value, list):
            self.problems.add(
                field.line, 1, f"tags must be a list like [self-compassion, conflict], not {kind_of(value)}"
            )
            return ()
        tags = []
        for index, tag in enumerate(value):
            if not isinstance(tag, str):
                self.type_error("each tag", tag, field, "text", index)
            elif not tag.strip():
                self.problems.add(field.line, 1, "a tag is empty: remove it or write a word")
            else:
                tags.append(tag.strip())
        return tuple(tags)

    def pronounce(self, value: Any, field: FieldPlace) -> tuple[tuple[str, str], ...]:
        example = "pronounce: {Nguyen: win, close your eyes: cloze your eyes}"
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.problems.add(
                field.line,
                1,
                f"pronounce must pair words with how to say them, like {example}, not {kind_of(value)}",
            )
            return ()
        pairs = []
        for written, spoken in value.items():
            if spoken is None or written is None:
                self.problems.add(
                    field.line, 1, "a pronounce entry is empty: write a word, a colon, how to say it"
                )
            elif not isinstance(written, str) or not isinstance(spoken, str):
                self.problems.add(
                    field.line, 1, f"pronounce takes words on both sides of a colon, like {example}"
                )
            elif not written.strip() or not spoken.strip():
                self.problems.add(
                    field.line, 1, "a pronounce entry is empty: write a word, a colon, how to say it"
                )
            elif len(written) > MAX_PRONOUNCE_CHARS or len(spoken) > MAX_PRONOUNCE_CHARS:
                self.problems.add(
                    field.line,
                    1,
                    f"a pronounce entry is longer than {MAX_PRONOUNCE_CHARS} characters: "
                    "keep it to a word or a phrase",
                )
            else:
                pairs.append((" ".join(written.split()), " ".join(spoken.split())))
        return tuple(pairs)

    def durations(self, value: Any, field: FieldPlace) -> tuple[float, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        elif not isinstance(value, list):
            self.problems.add(
                field.line,
                1,
                f"durations must be a list of lengths like [5m, 10m, 20m], not {kind_of(value)}",
            )
            return ()
        durations: list[float] = []
        for index, item in enumerate(value):
            seconds = self.duration(item, field, index)
            if seconds is None:
                continue
            if seconds in durations:
                self.problems.add(field.line, 1, f"duration {shown(item)} is listed twice: remove one")
                continue
            durations.append(seconds)
        return tuple(durations)

    def duration(self, item: Any, field: FieldPlace, index: int) -> float | None:
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            raw = field.raw(item, index)
            example = f"{raw}m" if PLAIN_NUMBER.fullmatch(raw) else "10m"
            self.problems.add(field.line, 1, f"duration {raw} has no unit: write a unit, e.g. {example}")
            return None
        if not isinstance(item, str):
            self.type_error("each duration", item, field, "a length like 5m", index)
            return None
        try:
            seconds = parse_duration(item)
        except DurationError as exc:
            self.problems.add(
                field.line,
                1,
                f"duration {shown(item.strip())} is not a length: {exc.problem}; "
                "write lengths like [5m, 10m, 20m]",
                exc.fix,
            )
            return None
        if seconds <= 0:
            self.problems.add(field.line, 1, f"duration {shown(item.strip())} must be longer than 0")
        elif seconds > MAX_LENGTH_SECONDS:
            self.problems.add(
                field.line,
                1,
                f"duration {shown(item.strip())} is longer than "
                f"{format_duration(MAX_LENGTH_SECONDS)}, the longest a session can be",
            )
        else:
            return seconds
        return None
