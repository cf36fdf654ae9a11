"""Writing a Script back to the text format, so that parsing the result gives it back.

The editor and the render cache rely on `parse_script(script_to_text(s)) == s`; the
writer therefore refuses (ValueError) what it cannot write faithfully, such as a
spoken line that would read back as a heading, rather than quietly change a script.
"""

from __future__ import annotations

from typing import Any

import yaml

from .durations import format_duration
from .model import Bell, Comment, Item, Pause, Script, Speech

# Wide enough that PyYAML never folds a value over two lines.
_NO_WRAP = 2**30


def script_to_text(script: Script) -> str:
    """The script in the text format, front matter first, ending with a newline."""
    meta = script.meta
    lines = ["---", _field("title", meta.title), _field("summary", meta.summary), _field("theme", meta.theme)]
    if meta.tags:
        lines.append(_field("tags", list(meta.tags)))
    if meta.durations:
        lines.append(_field("durations", [format_duration(seconds) for seconds in meta.durations]))
    if meta.ambience is not None:
        lines.append(_field("ambience", meta.ambience))
    if meta.pronounce:
        lines.append(_field("pronounce", dict(meta.pronounce)))
    if meta.safety:
        lines.append(_field("safety", True))
    lines.append("---")
    for index, section in enumerate(script.sections):
        if section.title is None:
            if index:
                raise ValueError("only the first section can be without a title")
        else:
            _check_one_line(section.title, "a section title")
            if index:
                lines.append("")
            lines.append(f"# {section.title}")
        previous: Item | None = None
        for item in section.items:
            # Two paragraphs in a row need a blank line, or they would read back as one.
            if isinstance(item, Speech) and isinstance(previous, Speech):
                lines.append("")
            lines.extend(_item_lines(item))
            previous = item
    return "\n".join(lines) + "\n"


def _field(name: str, value: Any) -> str:
    """One front-matter line, quoted only where YAML needs it (`title: 'Love: a practice'`).

    Plain style is tried first because it is what a person writes; double quotes, which
    can escape any character, are the fallback. Either is checked by reading it back.
    """
    expected = {name: value}
    flow = None if isinstance(value, (list, dict)) else False  # inline: `tags: [a, b]`, `pronounce: {a: b}`
    plain = yaml.safe_dump(
        expected, allow_unicode=True, sort_keys=False, width=_NO_WRAP, default_flow_style=flow
    )
    if isinstance(value, list):
        quoted = f"{name}: [" + ", ".join(_double_quoted(item) for item in value) + "]"
    else:
        quoted = f"{name}: {_double_quoted(value)}"
    for line in (plain.removesuffix("\n"), quoted):
        if _reads_back(line, expected):
            return line
    raise ValueError(f"cannot write {name} {value!r} in the front matter")  # pragma: no cover


def _double_quoted(value: str) -> str:
    return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=_NO_WRAP).removesuffix("\n")


def _reads_back(line: str, expected: dict[str, Any]) -> bool:
    # The parser splits lines at CR and LF only, but PyYAML also at U+0085, U+2028 and U+2029.
    if any(mark in line for mark in "\r\n\x85\u2028\u2029"):
        return False
    try:
        return yaml.safe_load(line) == expected
    except yaml.YAMLError:
        return False


def _item_lines(item: Item) -> list[str]:
    if isinstance(item, Speech):
        for line in item.lines:
            _check_spoken_line(line)
        return list(item.lines)
    if isinstance(item, Pause):
        return [f"[pause {format_duration(item.seconds)}{'+' if item.flexible else ''}]"]
    if isinstance(item, Bell):
        return [f"[bell {item.name}]" if item.name else "[bell]"]
    if isinstance(item, Comment):
        _check_one_line(item.text, "a comment")
        return [f"// {item.text}" if item.text else "//"]
    raise TypeError(f"not a script item: {item!r}")


def _check_one_line(text: str, what: str) -> None:
    if "\n" in text or "\r" in text:
        raise ValueError(f"{what} must be one line: {text!r}")


def _check_spoken_line(line: str) -> None:
    _check_one_line(line, "a spoken line")
    if not line or line != line.strip():
        raise ValueError(f"a spoken line must be non-empty and without surrounding spaces: {line!r}")
    if line.startswith(("#", "//")) or "[" in line:
        raise ValueError(f"a spoken line cannot start with # or // or contain [: {line!r}")
