"""Reading the script format (see "The script format" in DESIGN.md).

The parser collects every problem it finds instead of stopping at the first, so an
author sees all of them at once, and it raises nothing but ScriptErrors whatever the
text: a script may come from anyone, and the editor calls this on every keystroke.
"""

from __future__ import annotations

import difflib
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .durations import DurationError, format_duration, parse_duration
from .errors import ScriptError, ScriptErrors
from .model import Bell, Comment, Item, Meta, Pause, Script, Section, Speech

MAX_FILE_BYTES = 1024 * 1024
MAX_PAUSE_SECONDS = 3600
MAX_LENGTH_SECONDS = 3 * 3600

# Pure-Python YAML reads about 100 KB a second; a front matter holds a few short fields,
# so a huge one is a mistake that should not freeze the editor for seconds.
MAX_FRONT_MATTER_CHARS = 64 * 1024

FIELDS = ("title", "summary", "theme", "tags", "durations", "ambience", "pronounce")
#: A `pronounce:` entry is a word or a short phrase.
MAX_PRONOUNCE_CHARS = 100
DIRECTIVES = ("pause", "bell")

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_HEADING = re.compile(r"(#+)(.*)", re.DOTALL)
_TOKEN = re.compile(r"\S+")
_UNDECODABLE = re.compile("[\udc80-\udcff]")  # bytes that surrogateescape could not decode
_HALF_CHARACTER = re.compile("[\ud800-\udfff]")  # a lone surrogate, from a YAML escape

_PAUSE_FORM = "a pause needs a length like [pause 5s] or [pause 20s+]"
_DIRECTIVE_LIST = "the directives are [pause 5s], [pause 20s+], [bell] and [bell NAME]"
_EXAMPLES = {
    "title": "title: Choosing Compassion",
    "summary": "summary: A short practice for coming back to each other",
    "theme": "theme: choice",
}

# libyaml's loader when PyYAML was built with it: ten times faster, which a library of a
# thousand scripts needs; the pure-Python loader gives the same nodes and marks otherwise.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _plain_yaml(text: str) -> bool:
    """Front matter the two loaders read alike: libyaml is lenient with tabs and odd line breaks."""
    return text.isascii() and "\t" not in text and all(c >= " " or c in "\n\r" for c in text)


def parse_script(text: str, source: str = "<script>") -> Script:
    """Parse a whole script. Raises ScriptErrors listing every problem, sorted by place."""
    # A character is at most 4 bytes, so most texts need no encoding to know their size.
    if len(text) > MAX_FILE_BYTES // 4:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_FILE_BYTES:
            raise ScriptErrors([_size_error(size, "script")], source)
    return _Parser(_split_lines(text), source).parse()


def load_script(path: str | os.PathLike[str]) -> Script:
    """Read and parse a script file. A missing or unreadable file raises its OSError."""
    source = str(path)
    with open(path, "rb") as file:
        # Read one byte past the limit rather than trusting the size a stat reports.
        data = file.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            size = max(os.fstat(file.fileno()).st_size, len(data))
            raise ScriptErrors([_size_error(size, "file")], source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScriptErrors(_encoding_errors(data), source) from None
    return parse_script(text, source)


def _size_error(size: int, what: str) -> ScriptError:
    return ScriptError(
        1,
        1,
        f"the {what} is {size:,} bytes, more than the limit of {MAX_FILE_BYTES:,} bytes (1 MB): "
        "shorten it or split it into several scripts",
    )


def _encoding_errors(data: bytes) -> list[ScriptError]:
    """One error per line that holds bytes which are not UTF-8, at the first such byte."""
    errors = []
    for number, line in enumerate(_split_lines(data.decode("utf-8", "surrogateescape")), start=1):
        bad = _UNDECODABLE.search(line)
        if bad:
            byte = ord(bad.group()) - 0xDC00
            errors.append(
                ScriptError(
                    number,
                    bad.start() + 1,
                    f"this is not UTF-8 text (byte 0x{byte:02x} cannot be read): "
                    "save the file with UTF-8 encoding",
                )
            )
    return errors


def _split_lines(text: str) -> list[str]:
    """File lines as an editor counts them: a BOM dropped, CRLF, CR and LF all end a line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _shown(text: str, limit: int = 40) -> str:
    """Text quoted in a message, cut short so one absurd line cannot flood the screen."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _slug_like(text: str) -> str:
    """The slug an author probably meant: `Deep Bowl` -> `deep-bowl` (may be empty)."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def _kind(value: Any) -> str:
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


class _Field:
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
            return _shown(node.value)
        return _shown(str(value)) if isinstance(value, (str, int, float, date)) else _kind(value)


class _Parser:
    def __init__(self, lines: list[str], source: str):
        self.lines = lines
        self.source = source
        self.errors: list[ScriptError] = []

    def error(self, line: int, column: int, message: str, suggestion: str | None = None) -> None:
        self.errors.append(ScriptError(line, column, message, suggestion))

    def parse(self) -> Script:
        meta, body_start = self.front_matter()
        sections: tuple[Section, ...] = ()
        if body_start is not None:
            errors_before = len(self.errors)
            sections = self.body(body_start)
            has_content = any(
                isinstance(item, (Speech, Pause)) for section in sections for item in section.items
            )
            # After an error in the body, "nothing to speak" is usually that error again.
            if not has_content and len(self.errors) == errors_before:
                line = min(body_start + 1, len(self.lines))
                self.error(line, 1, "there is nothing to speak and no pause: add a line of text or a [pause]")
        if self.errors or meta is None:
            raise ScriptErrors(self.errors, self.source)
        return Script(meta=meta, sections=sections, source=self.source)

    # -- front matter -------------------------------------------------------------

    def front_matter(self) -> tuple[Meta | None, int | None]:
        """The Meta (None after an error) and the index of the first body line.

        The body index is None when the body cannot be told apart from the front matter.
        """
        lines = self.lines
        opening = 0
        if lines[0].strip() != "---":
            first = next((i for i, line in enumerate(lines) if line.strip()), None)
            if first is not None and lines[first].strip() == "---":
                self.error(
                    1,
                    1,
                    f"the front matter must start on line 1: remove the blank lines before "
                    f"the --- on line {first + 1}",
                )
                opening = first
            else:
                # Read the whole text as body too, so its errors are reported as well.
                self.error(
                    1,
                    1,
                    "a script must start with front matter: a line ---, then the fields title, "
                    "summary and theme, one per line, then another line ---",
                )
                return None, 0
        closing = next((i for i in range(opening + 1, len(lines)) if lines[i].strip() == "---"), None)
        if closing is None:
            self.error(
                opening + 1, 1, "the front matter is never closed: add a line --- after its last field"
            )
            return None, None
        yaml_lines = lines[opening + 1 : closing]
        size = sum(len(line) + 1 for line in yaml_lines)
        if size > MAX_FRONT_MATTER_CHARS:
            self.error(
                opening + 1,
                1,
                f"the front matter is {size:,} characters long, more than the limit of "
                f"{MAX_FRONT_MATTER_CHARS:,}: keep it to a few short fields and end it with a line ---",
            )
            return None, closing + 1
        return self.meta(yaml_lines, opening + 1, closing + 1), closing + 1

    def meta(self, yaml_lines: list[str], opening_line: int, closing_line: int) -> Meta | None:
        loaded = self.load_yaml(yaml_lines, opening_line, closing_line)
        if loaded is None:
            return None
        data, fields = loaded
        first_line = opening_line + 1
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.error(
                first_line,
                1,
                f"the front matter must be fields, one per line, like "
                f"{_EXAMPLES['title']}, not {_kind(data)}",
            )
            return None
        errors_before = len(self.errors)

        def where(key: str) -> _Field:
            return fields.get(key) or _Field(first_line, key, None)

        if self.half_characters(data, where, first_line):
            return None

        suggested = set()
        for key in data:
            if key not in FIELDS:
                name = where(key).key_text if key in fields else _shown(str(key))
                close = difflib.get_close_matches(name.lower(), FIELDS, n=1, cutoff=0.6)
                message = f"unknown field {name}"
                if not close:
                    message += ": the fields are " + ", ".join(FIELDS[:-1]) + " and " + FIELDS[-1]
                self.error(where(key).line, 1, message, close[0] if close else None)
                suggested.update(close)
        for name in ("title", "summary", "theme"):
            # A misspelt `titel` already says what to do; "no title" would say it twice.
            if name not in data and name not in suggested:
                self.error(
                    opening_line, 1, f"the front matter has no {name}: add a line like {_EXAMPLES[name]}"
                )

        title = self.text_field("title", data, where("title"))
        summary = self.text_field("summary", data, where("summary"))
        theme = self.slug_field("theme", data, where("theme"), "choice")
        tags = self.tags(data.get("tags"), where("tags"))
        durations = self.durations(data.get("durations"), where("durations"))
        ambience = self.slug_field("ambience", data, where("ambience"), "rain")
        pronounce = self.pronounce(data.get("pronounce"), where("pronounce"))
        if len(self.errors) > errors_before or title is None or summary is None or theme is None:
            return None
        return Meta(
            title=title,
            summary=summary,
            theme=theme,
            tags=tags,
            durations=durations,
            ambience=ambience,
            pronounce=pronounce,
        )

    def half_characters(self, data: dict[Any, Any], where: Any, first_line: int) -> bool:
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
            self.error(
                line,
                column,
                f"{_shown(str(field.key_text).encode('utf-8', 'backslashreplace').decode())} holds "
                f"\\u{ord(half):04x}, an escape for half of a character that no text can hold: "
                "write the character itself, or the full escape of both its halves",
            )
            found = True
        return found

    def load_yaml(
        self, yaml_lines: list[str], opening_line: int, closing_line: int
    ) -> tuple[Any, dict[Any, _Field]] | None:
        """The front matter as YAML data, with where each key is; None after an error."""
        text = "\n".join(yaml_lines)
        first_line = opening_line + 1

        def file_line(yaml_line: int) -> int:
            # PyYAML also breaks lines at U+0085, U+2028 and U+2029; keep its count inside the front matter.
            return min(max(first_line + yaml_line, first_line), closing_line)

        if _FAST_LOADER is not yaml.SafeLoader and _plain_yaml(text):
            try:
                fast = _FAST_LOADER(text)
                try:
                    node = fast.get_single_node()
                    if node is None:
                        return None, {}
                    data = fast.construct_document(node)
                finally:
                    fast.dispose()
                self.duplicate_keys(node, file_line)
                return data, self.key_places(fast, node, file_line)
            except (yaml.YAMLError, ValueError, TypeError, RecursionError):
                pass  # the pure-Python loader below finds the problem again and places it exactly
        loader = None
        node = None
        try:
            loader = yaml.SafeLoader(text)
            node = loader.get_single_node()
            if node is None:
                return None, {}
            self.duplicate_keys(node, file_line)
            data = loader.construct_document(node)
            return data, self.key_places(loader, node, file_line)
        except yaml.reader.ReaderError as exc:
            position = exc.position
            line = text.count("\n", 0, position)
            column = position - (text.rfind("\n", 0, position) + 1) + 1
            character = exc.character if isinstance(exc.character, int) else 0
            self.error(
                file_line(line),
                column,
                f"the front matter holds a character that YAML does not allow (U+{character:04X}): remove it",
            )
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, column = (file_line(mark.line), mark.column + 1) if mark else (first_line, 1)
            problem = (exc.problem or exc.context or "it cannot be read").strip().rstrip(".")
            at_tab = mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t"
            if at_tab or re.search(r"\btab\b|'\\t'", problem):
                self.error(line, column, "the front matter has a tab here: YAML needs spaces instead of tabs")
            else:
                self.error(
                    line,
                    column,
                    f"the front matter is not valid YAML ({problem}): put values that "
                    "contain a colon, # or quotes inside quotes",
                )
        except yaml.YAMLError as exc:
            self.error(first_line, 1, f"the front matter is not valid YAML ({_shown(str(exc), 80)})")
        except RecursionError:
            self.error(
                first_line, 1, "the front matter is nested too deeply: write plain fields, one per line"
            )
        except Exception as exc:  # noqa: BLE001 - PyYAML raises ValueError for impossible dates and more
            line = _failing_line(node, file_line) if node is not None else first_line
            self.error(
                line,
                1,
                f"the front matter cannot be read ({_shown(str(exc), 80)}): "
                "put values that look like dates or numbers inside quotes",
            )
        finally:
            if loader is not None:
                loader.dispose()
        return None

    def duplicate_keys(self, node: yaml.Node, file_line: Any) -> None:
        """YAML silently keeps the last of two equal keys; an author should hear about it."""
        if not isinstance(node, yaml.MappingNode):
            return
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value in FIELDS:
                if key_node.value in seen:
                    self.error(
                        file_line(key_node.start_mark.line),
                        1,
                        f"{key_node.value} is given twice: keep one of them",
                    )
                seen.add(key_node.value)

    @staticmethod
    def key_places(loader: yaml.SafeLoader, node: yaml.Node, file_line: Any) -> dict[Any, _Field]:
        places: dict[Any, _Field] = {}
        if not isinstance(node, yaml.MappingNode):
            return places
        for key_node, value_node in node.value:  # merge keys are already flattened here
            try:
                key = loader.construct_object(key_node, deep=True)
                text = key_node.value if isinstance(key_node, yaml.ScalarNode) else _kind(key)
                places[key] = _Field(file_line(key_node.start_mark.line), _shown(text), value_node)
            except Exception:  # noqa: BLE001 - a key we cannot place is reported at the first line
                continue
        return places

    def text_field(self, name: str, data: dict[Any, Any], field: _Field) -> str | None:
        if name not in data:
            return None
        value = data[name]
        if isinstance(value, str) and value.strip():
            return value.strip()
        if value is None or isinstance(value, str):
            self.error(field.line, 1, f"{name} is empty: write it after the colon, like {_EXAMPLES[name]}")
        else:
            self.type_error(name, value, field, "text")
        return None

    def slug_field(self, name: str, data: dict[Any, Any], field: _Field, example: str) -> str | None:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if name in data and name == "theme":
                self.error(
                    field.line,
                    1,
                    f"theme is empty: write a short name after the colon, like {name}: {example}",
                )
            return None
        if not isinstance(value, str):
            self.type_error(name, value, field, f"a short name like {example}")
            return None
        if not _SLUG.fullmatch(value):
            guess = _slug_like(value)
            self.error(
                field.line,
                1,
                f"{name} must be a short name of lowercase letters, digits and hyphens, "
                f"like {example}, not {_shown(value)}",
                guess or None,
            )
            return None
        return value

    def type_error(
        self, name: str, value: Any, field: _Field, expected: str, index: int | None = None
    ) -> None:
        message = f"{name} must be {expected}, not {_kind(value)}"
        if isinstance(value, (bool, int, float, date)):
            # YAML read `yes`, `10` or `2024-01-01` as something other than text.
            message += f': put it in quotes, like "{field.raw(value, index)}"'
        self.error(field.line, 1, message)

    def tags(self, value: Any, field: _Field) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        elif not isinstance(value, list):
            self.error(
                field.line, 1, f"tags must be a list like [self-compassion, conflict], not {_kind(value)}"
            )
            return ()
        tags = []
        for index, tag in enumerate(value):
            if not isinstance(tag, str):
                self.type_error("each tag", tag, field, "text", index)
            elif not tag.strip():
                self.error(field.line, 1, "a tag is empty: remove it or write a word")
            else:
                tags.append(tag.strip())
        return tuple(tags)

    def pronounce(self, value: Any, field: _Field) -> tuple[tuple[str, str], ...]:
        example = "pronounce: {Nguyen: win, close your eyes: cloze your eyes}"
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.error(
                field.line,
                1,
                f"pronounce must pair words with how to say them, like {example}, not {_kind(value)}",
            )
            return ()
        pairs = []
        for written, spoken in value.items():
            if spoken is None or written is None:
                self.error(field.line, 1, "a pronounce entry is empty: write a word, a colon, how to say it")
            elif not isinstance(written, str) or not isinstance(spoken, str):
                self.error(field.line, 1, f"pronounce takes words on both sides of a colon, like {example}")
            elif not written.strip() or not spoken.strip():
                self.error(field.line, 1, "a pronounce entry is empty: write a word, a colon, how to say it")
            elif len(written) > MAX_PRONOUNCE_CHARS or len(spoken) > MAX_PRONOUNCE_CHARS:
                self.error(
                    field.line,
                    1,
                    f"a pronounce entry is longer than {MAX_PRONOUNCE_CHARS} characters: "
                    "keep it to a word or a phrase",
                )
            else:
                pairs.append((" ".join(written.split()), " ".join(spoken.split())))
        return tuple(pairs)

    def durations(self, value: Any, field: _Field) -> tuple[float, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        elif not isinstance(value, list):
            self.error(
                field.line, 1, f"durations must be a list of lengths like [5m, 10m, 20m], not {_kind(value)}"
            )
            return ()
        durations: list[float] = []
        for index, item in enumerate(value):
            seconds = self.duration(item, field, index)
            if seconds is None:
                continue
            if seconds in durations:
                self.error(field.line, 1, f"duration {_shown(item)} is listed twice: remove one")
                continue
            durations.append(seconds)
        return tuple(durations)

    def duration(self, item: Any, field: _Field, index: int) -> float | None:
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            raw = field.raw(item, index)
            example = f"{raw}m" if _PLAIN_NUMBER.fullmatch(raw) else "10m"
            self.error(field.line, 1, f"duration {raw} has no unit: write a unit, e.g. {example}")
            return None
        if not isinstance(item, str):
            self.type_error("each duration", item, field, "a length like 5m", index)
            return None
        try:
            seconds = parse_duration(item)
        except DurationError as exc:
            self.error(
                field.line,
                1,
                f"duration {_shown(item.strip())} is not a length: {exc.problem}; "
                "write lengths like [5m, 10m, 20m]",
                exc.fix,
            )
            return None
        if seconds <= 0:
            self.error(field.line, 1, f"duration {_shown(item.strip())} must be longer than 0")
        elif seconds > MAX_LENGTH_SECONDS:
            self.error(
                field.line,
                1,
                f"duration {_shown(item.strip())} is longer than "
                f"{format_duration(MAX_LENGTH_SECONDS)}, the longest a session can be",
            )
        else:
            return seconds
        return None

    # -- body ---------------------------------------------------------------------

    def body(self, start: int) -> tuple[Section, ...]:
        sections: list[Section] = []
        title: str | None = None
        section_line = start + 1
        items: list[Item] = []
        paragraph: list[str] = []
        paragraph_line = 0
        pause_total = 0.0

        def end_paragraph() -> None:
            if paragraph:
                items.append(Speech(tuple(paragraph), paragraph_line))
                paragraph.clear()

        for index in range(start, len(self.lines)):
            number = index + 1
            line = self.lines[index]
            stripped = line.strip()
            indent = len(line) - len(line.lstrip())
            if not stripped:
                end_paragraph()
            elif stripped.startswith("//"):
                end_paragraph()
                items.append(Comment(stripped[2:].strip(), number))
            elif stripped.startswith("#"):
                end_paragraph()
                # The untitled first section exists only if something comes before the first heading.
                if title is not None or items:
                    sections.append(Section(title, tuple(items), section_line))
                heading = _HEADING.fullmatch(stripped)
                title = heading.group(2).strip() if heading else ""
                if not title:
                    self.error(number, indent + 1, "a heading needs a title after the #, like # Arriving")
                items = []
                section_line = number
            elif stripped.startswith("["):
                end_paragraph()
                item = self.directive(stripped, number, indent)
                if item is not None:
                    items.append(item)
                if isinstance(item, Pause):
                    before = pause_total
                    pause_total += item.seconds
                    if pause_total > MAX_LENGTH_SECONDS >= before:
                        self.error(
                            number,
                            indent + 1,
                            f"the pauses up to here add up to "
                            f"{format_duration(pause_total)}, more than the "
                            f"{format_duration(MAX_LENGTH_SECONDS)} a session can last: shorten them",
                        )
            else:
                bracket = line.find("[")
                if bracket >= 0:
                    self.error(
                        number,
                        bracket + 1,
                        "square brackets are only for directives like [pause 5s] "
                        "or [bell], each on a line of its own: remove the [ or move the directive "
                        "to its own line",
                    )
                if not paragraph:
                    paragraph_line = number
                paragraph.append(stripped)
        end_paragraph()
        if title is not None or items:
            sections.append(Section(title, tuple(items), section_line))
        return tuple(sections)

    def directive(self, stripped: str, number: int, indent: int) -> Item | None:
        """A `[...]` line. Errors point at the `[`, or at the argument when only it is wrong."""
        column = indent + 1
        close = stripped.find("]")
        if close < 0:
            self.error(
                number,
                column,
                f"{_shown(stripped)} has no closing ]: a directive is a whole line like [pause 5s] or [bell]",
            )
            return None
        after = stripped[close + 1 :]
        if after.strip():
            offset = close + 1 + len(after) - len(after.lstrip())
            self.error(
                number,
                indent + offset + 1,
                f"text after {_shown(stripped[: close + 1])}: put the "
                "directive and the text on lines of their own",
            )
        inner = stripped[1:close]
        # Column of each word: the `[` is at `indent`, the inside starts one later.
        tokens = [(match.group(), indent + 2 + match.start()) for match in _TOKEN.finditer(inner)]
        if not tokens:
            self.error(number, column, "empty brackets []: write a directive like [pause 5s] or [bell]")
            return None
        word, args = tokens[0][0], tokens[1:]
        if word == "pause":
            return self.pause(args, number, column)
        if word == "bell":
            return self.bell(args, number)
        self.unknown_directive(word, args, inner, number, column)
        return None

    def unknown_directive(
        self, word: str, args: list[tuple[str, int]], inner: str, number: int, column: int
    ) -> None:
        rest = " ".join(arg for arg, _ in args)
        lower = word.lower()

        def written(name: str, argument: str = rest) -> str:
            return f"[{name} {argument}]" if argument else f"[{name}]"

        shown = f"[{_shown(inner.strip())}]"
        if lower in DIRECTIVES:
            self.error(
                number,
                column,
                f"unknown directive {shown}: directives are written in lowercase",
                written(lower),
            )
            return
        glued = next(
            (name for name in DIRECTIVES if lower.startswith(name) and word[len(name) :][:1].isdigit()), None
        )
        if glued:  # `[pause5s]`
            suggestion: str | None = written(glued, " ".join([word[len(glued) :], *(arg for arg, _ in args)]))
        else:
            close = difflib.get_close_matches(lower, DIRECTIVES, n=1, cutoff=0.6)
            suggestion = written(close[0]) if close else None
        message = f"unknown directive {shown}"
        if suggestion is None:
            message += f": {_DIRECTIVE_LIST}; any other square brackets are not allowed"
        self.error(number, column, message, suggestion)

    def pause(self, args: list[tuple[str, int]], number: int, column: int) -> Pause | None:
        if not args:
            self.error(number, column, _PAUSE_FORM)
            return None
        argument, argument_column = args[0]
        if len(args) > 1:
            joined = "".join(arg for arg, _ in args)
            self.error(
                number,
                argument_column,
                "a pause takes one length, written without spaces, like [pause 1m30s]",
                f"[pause {joined}]" if _readable_pause(joined) else None,
            )
            return None
        flexible = argument.endswith("+")
        plus = "+" if flexible else ""
        length = argument[:-1] if flexible else argument
        try:
            seconds = parse_duration(length)
        except DurationError as exc:
            fix = exc.fix
            if fix is None and _PLAIN_NUMBER.fullmatch(length):
                fix = length + "s"  # a bare number in a pause most likely means seconds
            self.error(
                number,
                argument_column,
                f"{_shown(argument)} is not a pause length: {exc.problem}; {_PAUSE_FORM}",
                f"[pause {fix}{plus}]" if fix else None,
            )
            return None
        if seconds <= 0:
            self.error(
                number, argument_column, f"[pause {_shown(argument)}] is no pause at all: {_PAUSE_FORM}"
            )
            return None
        if seconds > MAX_PAUSE_SECONDS:
            self.error(
                number,
                argument_column,
                f"[pause {_shown(argument)}] is longer than "
                f"{MAX_PAUSE_SECONDS // 60} minutes, the longest a single pause can be: shorten it",
            )
            return None
        return Pause(seconds, flexible, number)

    def bell(self, args: list[tuple[str, int]], number: int) -> Bell | None:
        if not args:
            return Bell(None, number)
        name, name_column = args[0]
        if len(args) > 1:
            guess = _slug_like("-".join(arg for arg, _ in args))
            self.error(
                number,
                name_column,
                "a bell takes at most one name, without spaces, like [bell deep]",
                f"[bell {guess}]" if guess else None,
            )
            return None
        if not _SLUG.fullmatch(name):
            guess = _slug_like(name)
            self.error(
                number,
                name_column,
                f"bell name {_shown(name)} must be a short name of lowercase letters, "
                "digits and hyphens, like [bell deep]",
                f"[bell {guess}]" if guess else None,
            )
            return None
        return Bell(name, number)


def _readable_pause(argument: str) -> bool:
    try:
        seconds = parse_duration(argument[:-1] if argument.endswith("+") else argument)
    except DurationError:
        return False
    return 0 < seconds <= MAX_PAUSE_SECONDS


def _failing_line(node: yaml.Node, file_line: Any) -> int:
    """The line of the first top-level field whose value PyYAML fails to build."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            try:
                yaml.SafeLoader("").construct_document(yaml.MappingNode(node.tag, [(key_node, value_node)]))
            except Exception:  # noqa: BLE001 - the exception itself was already caught once
                return file_line(key_node.start_mark.line)
    return file_line(0)


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


def field_line(source: str | None, text: str | None, name: str) -> int:
    """The line of a front-matter field in `text` or the script's file (1 when unknown)."""
    try:
        lines = (text if text is not None else Path(str(source)).read_text("utf-8")).splitlines()
    except (OSError, UnicodeDecodeError, ValueError):
        return 1
    return next((number for number, text in enumerate(lines, 1) if text.startswith(f"{name}:")), 1)


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
