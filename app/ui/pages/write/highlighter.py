"""Colours for the script format: front matter, headings, directives, flexible pauses, comments.

The highlighter reads each line the way the parser does (app.script.body) (a line is a heading, a
directive, a comment or spoken text by its first character), so what looks like a directive
is one. It never judges: wrong directives are coloured as directives and the live check
underlines them. Every colour is taken from the widget's palette and then nudged until it
reads well on the editor's background, so the light and dark themes both work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QPalette, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from app.tts.pronounce import COMMON_RESPELLINGS, Respelling, own_rules
from app.ui.pages.write.text_positions import utf16_length

# Block states: where a line sits in the script. Qt gives the first block a previous state of -1.
_START = 0  # only blank lines so far: a front matter may still open
_FRONT = 1  # inside the front matter
_BODY = 2  # after the front matter (or a script without one)

_FRONT_KEY = re.compile(r"^(\s*)([^\s:#\-][^:]*?)\s*:(?=\s|$)")
_FRONT_COMMENT = re.compile(r"(?:^|\s)(#.*)$")
_LIST_DASH = re.compile(r"^(\s*)(-)(?=\s|$)")

#: The hue of flexible pauses (a warm amber), so they stand apart from the theme's accent.
_FLEXIBLE_HUE = 32
#: WCAG contrast ratios: ordinary text needs 4.5; muted comments may be quieter but legible.
_TEXT_CONTRAST = 4.5
_MUTED_CONTRAST = 3.0


def _luminance(colour: QColor) -> float:
    """WCAG relative luminance."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    """WCAG contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable(colour: QColor, background: QColor, ratio: float = _TEXT_CONTRAST) -> QColor:
    """The colour with its hue kept, made darker (light background) or lighter (dark) until legible."""
    result = QColor(colour)
    result.setAlpha(255)
    darken = _luminance(background) > 0.5
    hue, saturation, lightness = result.hslHueF(), result.hslSaturationF(), result.lightnessF()
    for _ in range(40):
        if contrast(result, background) >= ratio:
            break
        lightness = max(0.0, lightness - 0.025) if darken else min(1.0, lightness + 0.025)
        result = QColor.fromHslF(max(hue, 0.0), saturation, lightness)
    return result


@dataclass(frozen=True)
class ScriptColours:
    """The formats of each kind of line, derived from one palette."""

    delimiter: QTextCharFormat
    key: QTextCharFormat
    heading: QTextCharFormat
    directive: QTextCharFormat
    flexible: QTextCharFormat
    comment: QTextCharFormat
    pronounced: QTextCharFormat  # a word said otherwise than written (a pronunciation applies)

    @classmethod
    def from_palette(cls, palette: QPalette) -> ScriptColours:
        background = palette.color(QPalette.ColorRole.Base)
        accent = readable(palette.color(QPalette.ColorRole.Highlight), background)
        muted = readable(palette.color(QPalette.ColorRole.Mid), background, _MUTED_CONTRAST)
        warm = readable(
            QColor.fromHslF(_FLEXIBLE_HUE / 360, max(accent.hslSaturationF(), 0.55), accent.lightnessF()),
            background,
        )

        def fmt(colour: QColor, *, bold: bool = False, italic: bool = False) -> QTextCharFormat:
            result = QTextCharFormat()
            result.setForeground(colour)
            if bold:
                result.setFontWeight(QFont.Weight.Bold)
            result.setFontItalic(italic)
            return result

        directive = fmt(accent, bold=True)
        tint = QColor(accent)
        tint.setAlphaF(0.12)
        directive.setBackground(tint)
        flexible = fmt(warm, bold=True, italic=True)
        warm_tint = QColor(warm)
        warm_tint.setAlphaF(0.14)
        flexible.setBackground(warm_tint)
        pronounced = QTextCharFormat()
        pronounced.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        pronounced.setUnderlineColor(accent)
        return cls(
            pronounced=pronounced,
            delimiter=fmt(muted),
            key=fmt(accent, bold=True),
            heading=fmt(accent, bold=True),
            directive=directive,
            flexible=flexible,
            comment=fmt(muted, italic=True),
        )


def is_flexible_pause(stripped: str) -> bool:
    """`[pause 20s+]`: its one argument ends with +, as the parser reads it."""
    close = stripped.find("]")
    words = stripped[1 : close if close >= 0 else len(stripped)].split()
    return len(words) == 2 and words[0] == "pause" and words[1].endswith("+")


class ScriptHighlighter(QSyntaxHighlighter):
    """Highlights a QTextDocument holding a script; call set_palette when the theme changes."""

    def __init__(self, document: QTextDocument, palette: QPalette):
        super().__init__(document)
        self.colours = ScriptColours.from_palette(palette)
        self.respellings: tuple[Respelling, ...] = COMMON_RESPELLINGS

    def set_pronunciations(self, pronounce: tuple[tuple[str, str], ...]) -> None:
        """The script's own `pronounce:` entries (the common fixes are always marked too)."""
        respellings = COMMON_RESPELLINGS + own_rules(pronounce)
        if respellings != self.respellings:
            self.respellings = respellings
            self.rehighlight()

    def set_palette(self, palette: QPalette) -> None:
        self.colours = ScriptColours.from_palette(palette)
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        previous = self.previousBlockState()
        stripped = text.strip()
        if previous in (-1, _START):
            if not stripped:
                self.setCurrentBlockState(_START)
            elif stripped == "---":
                self.setFormat(0, len(text), self.colours.delimiter)
                self.setCurrentBlockState(_FRONT)
            else:
                self.setCurrentBlockState(_BODY)
                self._body_line(text, stripped)
        elif previous == _FRONT:
            if stripped == "---":
                self.setFormat(0, len(text), self.colours.delimiter)
                self.setCurrentBlockState(_BODY)
            else:
                self.setCurrentBlockState(_FRONT)
                self._front_line(text)
        else:
            self.setCurrentBlockState(_BODY)
            self._body_line(text, stripped)

    def _front_line(self, text: str) -> None:
        key = _FRONT_KEY.match(text)
        if key:
            self.setFormat(key.start(2), key.end() - key.start(2), self.colours.key)
        dash = _LIST_DASH.match(text)
        if dash:
            self.setFormat(dash.start(2), 1, self.colours.delimiter)
        # Python's str indexes are code points; Qt's are UTF-16 units. Comments start after ASCII.
        comment = _FRONT_COMMENT.search(text)
        if comment and '"' not in text and "'" not in text:
            start = utf16_length(text[: comment.start(1)])
            self.setFormat(start, utf16_length(text) - start, self.colours.comment)

    def _body_line(self, text: str, stripped: str) -> None:
        if not stripped:
            return
        indent = utf16_length(text[: len(text) - len(text.lstrip())])
        length = utf16_length(text) - indent
        if stripped.startswith("//"):
            self.setFormat(indent, length, self.colours.comment)
        elif stripped.startswith("#"):
            self.setFormat(indent, length, self.colours.heading)
        elif stripped.startswith("["):
            colours = self.colours.flexible if is_flexible_pause(stripped) else self.colours.directive
            close = stripped.find("]")
            end = utf16_length(stripped[: close + 1]) if close >= 0 else length
            self.setFormat(indent, end, colours)
        else:
            self._mark_pronounced(text)

    def _mark_pronounced(self, text: str) -> None:
        """A dotted underline under words the voice will say as respelled, not as written."""
        for rule in self.respellings:
            for match in rule.pattern.finditer(text):
                # The common rules match with their context: mark only the word they change.
                start, end = match.span()
                word = match.group(0).split()[-1] if match.re.groups else match.group(0)
                if match.re.groups:
                    start = end - len(word)
                begin = utf16_length(text[:start])
                self.setFormat(begin, utf16_length(text[start:end]), self.colours.pronounced)
