"""What a line of a script belongs to: its section, and the spoken paragraph it is part of.

"Hear this paragraph" and "Play from here" ask these about the cursor's line (1-based, as the
parser counts). A script that parses is asked through its model; one with errors still has
paragraphs to hear, read from the text itself.
"""

from __future__ import annotations

from app.script import Script, Speech


def section_index_at(script: Script, line: int) -> int:
    """Index into script.sections of the section `line` is in (0 before any heading)."""
    index = 0
    for number, section in enumerate(script.sections):
        if section.line <= line:
            index = number
    return index


def spoken_paragraph_at(script: Script, line: int) -> str:
    """The spoken text of the paragraph on `line`, "" on anything that is not spoken."""
    for _, item in script.items():
        if isinstance(item, Speech) and item.line <= line < item.line + len(item.lines):
            return item.text
    return ""


def raw_paragraph_at(text: str, line: int) -> str:
    """The paragraph around `line` read from the text itself, for a script that has errors."""
    lines = text.split("\n")
    body = 0
    if lines and lines[0].strip() == "---":
        body = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), len(lines))

    def spoken(index: int) -> bool:
        stripped = lines[index].strip()
        return bool(stripped) and not stripped.startswith(("//", "#", "["))

    index = line - 1
    if index < body or index >= len(lines) or not spoken(index):
        return ""
    first = index
    while first - 1 >= body and spoken(first - 1):
        first -= 1
    last = index
    while last + 1 < len(lines) and spoken(last + 1):
        last += 1
    return " ".join(lines[i].strip() for i in range(first, last + 1))
