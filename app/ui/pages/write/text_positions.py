"""Places in a line of script text, as the parser counts them and as Qt counts them.

The parser's lines and columns are 1-based and counted in characters (code points). Qt counts
positions in UTF-16 units, so an emoji is two; every conversion between them goes through here.
"""

from __future__ import annotations


def utf16_length(text: str) -> int:
    """How many positions `text` takes in a Qt document."""
    return len(text.encode("utf-16-le")) // 2


def qt_column(line: str, column: int) -> int:
    """A parser column (1-based, code points) as an offset in the block (UTF-16 units), clamped."""
    index = min(max(column - 1, 0), len(line))
    return utf16_length(line[:index])


def token_end(line: str, index: int) -> int:
    """Where the underline of an error at `index` (0-based, code points) ends: the directive's ],
    or the word's end.

    A directive's argument (`[pause 10]`) ends before the ], which belongs to the directive.
    """
    if index >= len(line):
        return index
    if line[index] == "[":
        close = line.find("]", index)
        return close + 1 if close >= 0 else len(line.rstrip())
    end = index
    while end < len(line) and not line[end].isspace() and line[end] != "]":
        end += 1
    return end
