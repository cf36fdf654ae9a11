"""Loading the front matter as YAML: the data, where each key is, and every problem placed on
the line and column of the file where an author can fix it (a tab, an unclosed quote, a key
given twice, a value PyYAML cannot build such as an impossible date)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from .front_matter_fields import FIELDS, FieldPlace
from .reporting import Problems, kind_of, shown

#: The loaded data and the place of each of its keys.
Loaded = tuple[Any, dict[Any, FieldPlace]]
#: A line inside the front matter (0 is its first) -> the line in the file.
FileLine = Callable[[int], int]

# libyaml's loader when PyYAML was built with it: ten times faster, which a library of a
# thousand scripts needs; the pure-Python loader gives the same nodes and marks otherwise.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(
    yaml_lines: list[str], opening_line: int, closing_line: int, problems: Problems
) -> Loaded | None:
    """The front matter between the `---` on `opening_line` and `closing_line` as YAML data,
    with where each key is; None after an error (reported in `problems`)."""
    return _YamlReading("\n".join(yaml_lines), opening_line + 1, closing_line, problems).read()


class _YamlReading:
    """One front matter's text being loaded, and the file's lines it came from."""

    def __init__(self, text: str, first_line: int, closing_line: int, problems: Problems):
        self.text = text
        self.first_line = first_line
        self.closing_line = closing_line
        self.problems = problems

    def file_line(self, yaml_line: int) -> int:
        # PyYAML also breaks lines at U+0085, U+2028 and U+2029; keep its count inside the front matter.
        return min(max(self.first_line + yaml_line, self.first_line), self.closing_line)

    def read(self) -> Loaded | None:
        if _FAST_LOADER is not yaml.SafeLoader and _plain_yaml(self.text):
            loaded = self.read_fast()
            if loaded is not None:
                return loaded
        return self.read_exactly()

    def read_fast(self) -> Loaded | None:
        """With libyaml; None when it fails, for the pure-Python loader to find the problem again
        and place it exactly."""
        try:
            fast = _FAST_LOADER(self.text)
            try:
                node = fast.get_single_node()
                if node is None:
                    return None, {}
                data = fast.construct_document(node)
            finally:
                fast.dispose()
            duplicate_keys(node, self.file_line, self.problems)
            return data, key_places(fast, node, self.file_line)
        except (yaml.YAMLError, ValueError, TypeError, RecursionError):
            return None

    def read_exactly(self) -> Loaded | None:
        loader = None
        node = None
        try:
            loader = yaml.SafeLoader(self.text)
            node = loader.get_single_node()
            if node is None:
                return None, {}
            duplicate_keys(node, self.file_line, self.problems)
            data = loader.construct_document(node)
            return data, key_places(loader, node, self.file_line)
        except Exception as exc:  # noqa: BLE001 - PyYAML raises ValueError for impossible dates and more
            self.report(exc, node)
        finally:
            if loader is not None:
                loader.dispose()
        return None

    def report(self, error: Exception, node: yaml.Node | None) -> None:
        """Why the front matter could not be read, at the place PyYAML points to."""
        text, first_line = self.text, self.first_line
        if isinstance(error, yaml.reader.ReaderError):
            position = error.position
            line = text.count("\n", 0, position)
            column = position - (text.rfind("\n", 0, position) + 1) + 1
            character = error.character if isinstance(error.character, int) else 0
            self.problems.add(
                self.file_line(line),
                column,
                f"the front matter holds a character that YAML does not allow (U+{character:04X}): remove it",
            )
        elif isinstance(error, yaml.MarkedYAMLError):
            self.report_marked(error)
        elif isinstance(error, yaml.YAMLError):
            self.problems.add(first_line, 1, f"the front matter is not valid YAML ({shown(str(error), 80)})")
        elif isinstance(error, RecursionError):
            self.problems.add(
                first_line, 1, "the front matter is nested too deeply: write plain fields, one per line"
            )
        else:
            line = failing_line(node, self.file_line) if node is not None else first_line
            self.problems.add(
                line,
                1,
                f"the front matter cannot be read ({shown(str(error), 80)}): "
                "put values that look like dates or numbers inside quotes",
            )

    def report_marked(self, error: yaml.MarkedYAMLError) -> None:
        """A syntax error PyYAML knows the place of; a tab gets its own message, being invisible."""
        mark = error.problem_mark or error.context_mark
        line, column = (self.file_line(mark.line), mark.column + 1) if mark else (self.first_line, 1)
        problem = (error.problem or error.context or "it cannot be read").strip().rstrip(".")
        at_tab = mark is not None and 0 <= mark.index < len(self.text) and self.text[mark.index] == "\t"
        if at_tab or re.search(r"\btab\b|'\\t'", problem):
            self.problems.add(
                line, column, "the front matter has a tab here: YAML needs spaces instead of tabs"
            )
        else:
            self.problems.add(
                line,
                column,
                f"the front matter is not valid YAML ({problem}): put values that "
                "contain a colon, # or quotes inside quotes",
            )


def _plain_yaml(text: str) -> bool:
    """Front matter the two loaders read alike: libyaml is lenient with tabs and odd line breaks."""
    return text.isascii() and "\t" not in text and all(c >= " " or c in "\n\r" for c in text)


def duplicate_keys(node: yaml.Node, file_line: FileLine, problems: Problems) -> None:
    """YAML silently keeps the last of two equal keys; an author should hear about it."""
    if not isinstance(node, yaml.MappingNode):
        return
    seen: set[str] = set()
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value in FIELDS:
            if key_node.value in seen:
                problems.add(
                    file_line(key_node.start_mark.line),
                    1,
                    f"{key_node.value} is given twice: keep one of them",
                )
            seen.add(key_node.value)


def key_places(loader: Any, node: yaml.Node, file_line: FileLine) -> dict[Any, FieldPlace]:
    """Where each top-level key is, by its loaded value (the loader that built the document)."""
    places: dict[Any, FieldPlace] = {}
    if not isinstance(node, yaml.MappingNode):
        return places
    for key_node, value_node in node.value:  # merge keys are already flattened here
        try:
            key = loader.construct_object(key_node, deep=True)
            text = key_node.value if isinstance(key_node, yaml.ScalarNode) else kind_of(key)
            places[key] = FieldPlace(file_line(key_node.start_mark.line), shown(text), value_node)
        except Exception:  # noqa: BLE001 - a key we cannot place is reported at the first line
            continue
    return places


def failing_line(node: yaml.Node, file_line: FileLine) -> int:
    """The line of the first top-level field whose value PyYAML fails to build."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            try:
                yaml.SafeLoader("").construct_document(yaml.MappingNode(node.tag, [(key_node, value_node)]))
            except Exception:  # noqa: BLE001 - the exception itself was already caught once
                return file_line(key_node.start_mark.line)
    return file_line(0)
