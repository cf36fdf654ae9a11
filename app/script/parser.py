"""Reading the script format (see "The script format" in docs/architecture.md): the entry
points, `parse_script` and `load_script`, and what they check before the text is read.

The parser collects every problem it finds instead of stopping at the first, so an author
sees all of them at once, and it raises nothing but ScriptErrors whatever the text: a script
may come from anyone, and the editor calls this on every keystroke. The front matter is read
in app.script.front_matter, the body in app.script.body.
"""

from __future__ import annotations

import os
import re

from .body import read_body
from .directives import DIRECTIVES
from .errors import ScriptError, ScriptErrors
from .front_matter import MAX_FRONT_MATTER_CHARS, field_line, read_front_matter
from .front_matter_fields import FIELDS, MAX_PRONOUNCE_CHARS
from .limits import MAX_FILE_BYTES, MAX_LENGTH_SECONDS, MAX_PAUSE_SECONDS
from .model import Pause, Script, Section, Speech
from .pronounce_check import unused_pronunciations
from .reporting import Problems

__all__ = [
    "DIRECTIVES",
    "FIELDS",
    "MAX_FILE_BYTES",
    "MAX_FRONT_MATTER_CHARS",
    "MAX_LENGTH_SECONDS",
    "MAX_PAUSE_SECONDS",
    "MAX_PRONOUNCE_CHARS",
    "field_line",
    "load_script",
    "parse_script",
    "unused_pronunciations",
]

_UNDECODABLE = re.compile("[\udc80-\udcff]")  # bytes that surrogateescape could not decode


def parse_script(text: str, source: str = "<script>") -> Script:
    """Parse a whole script. Raises ScriptErrors listing every problem, sorted by place."""
    # A character is at most 4 bytes, so most texts need no encoding to know their size.
    if len(text) > MAX_FILE_BYTES // 4:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_FILE_BYTES:
            raise ScriptErrors([_size_error(size, "script")], source)
    return _parse_lines(_split_lines(text), source)


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


def _parse_lines(lines: list[str], source: str) -> Script:
    problems = Problems()
    meta, body_start = read_front_matter(lines, problems)
    sections: tuple[Section, ...] = ()
    if body_start is not None:
        errors_before = len(problems)
        sections = read_body(lines, body_start, problems)
        has_content = any(isinstance(item, (Speech, Pause)) for section in sections for item in section.items)
        # After an error in the body, "nothing to speak" is usually that error again.
        if not has_content and len(problems) == errors_before:
            line = min(body_start + 1, len(lines))
            problems.add(line, 1, "there is nothing to speak and no pause: add a line of text or a [pause]")
    if problems.errors or meta is None:
        raise ScriptErrors(problems.errors, source)
    return Script(meta=meta, sections=sections, source=source)


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
