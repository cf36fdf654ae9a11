"""How one row of the library list is painted, and the star in it that can be clicked.

Rows are painted rather than made of widgets, so that a library of a thousand scripts costs
no more widgets than a library of one.
"""

from __future__ import annotations

import math

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.library.catalogue import theme_label
from app.ui.pages.library.labels import scaled_font
from app.ui.pages.library.model import HAS_ERRORS, LibraryModel

AnyIndex = QModelIndex | QPersistentModelIndex

FAVOURITE_GOLD = QColor("#d9a032")


def blend(a: QColor, b: QColor, amount: float) -> QColor:
    """`a` moved `amount` of the way towards `b`: secondary text that follows light and dark themes."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def is_dark(palette: QPalette) -> bool:
    """Whether the palette is a dark theme's: its base, behind the text, is closer to black."""
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def warning_colour(palette: QPalette) -> QColor:
    """An amber that reads as a warning on the palette's base, light or dark."""
    return QColor("#f0a070") if is_dark(palette) else QColor("#b0531c")


def star_path(centre: QPointF, radius: float) -> QPainterPath:
    """A five-pointed star, drawn rather than typed so it looks the same whatever the fonts."""
    path = QPainterPath()
    for point in range(10):
        r = radius if point % 2 == 0 else radius * 0.45
        angle = -math.pi / 2 + point * math.pi / 5
        vertex = QPointF(centre.x() + r * math.cos(angle), centre.y() + r * math.sin(angle))
        if point == 0:
            path.moveTo(vertex)
        else:
            path.lineTo(vertex)
    path.closeSubpath()
    return path


def meta_line(index: AnyIndex) -> str:
    """The row's last line: its theme, its lengths, and whether it is one of the user's own."""
    parts = [
        theme_label(str(index.data(LibraryModel.ThemeRole) or "")),
        index.data(LibraryModel.LengthsRole),
    ]
    if index.data(LibraryModel.OriginRole) == "user":
        parts.append("your script")
    return "  ·  ".join(str(part) for part in parts if part)


def _draw_elided(painter: QPainter, rect: QRect, font: QFont, colour: QColor, text: str) -> None:
    """One line of text in `rect`, cut short with an ellipsis when it does not fit."""
    painter.setFont(font)
    painter.setPen(colour)
    elided = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
    painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)


class LibraryDelegate(QStyledItemDelegate):
    """Paints a row: the title and its star, the summary, then theme and lengths (or "has errors")."""

    #: The star of the row at this (proxy) index was clicked.
    favouriteClicked = Signal(object)

    PAD_X = 14
    PAD_Y = 10
    LINE_GAP = 4
    STAR_SIZE = 22
    MARGIN = 3

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        """The fonts of the title, the summary and the meta line."""
        base = option.font
        return scaled_font(base, 1.1, bold=True), QFont(base), scaled_font(base, 0.9)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        title, summary, meta = (QFontMetrics(font) for font in self._fonts(option))
        height = (
            2 * (self.PAD_Y + self.MARGIN)
            + max(title.height(), self.STAR_SIZE)
            + self.LINE_GAP
            + summary.height()
            + self.LINE_GAP
            + meta.height()
        )
        return QSize(240, height)

    def star_rect(self, row_rect: QRect) -> QRect:
        """Where the star of the row at `row_rect` is drawn, and where a click on it counts."""
        card = row_rect.adjusted(self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN)
        return QRect(
            card.right() - self.PAD_X - self.STAR_SIZE + 4,
            card.top() + self.PAD_Y - 1,
            self.STAR_SIZE,
            self.STAR_SIZE,
        )

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        """The card, the title beside its star, the summary, then the meta line; lines too long end in …"""
        palette = option.palette
        text_colour = palette.color(QPalette.ColorRole.Text)
        base_colour = palette.color(QPalette.ColorRole.Base)
        faint = blend(text_colour, base_colour, 0.55)
        title_font, summary_font, meta_font = self._fonts(option)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = option.rect.adjusted(self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN)
        self._paint_card(painter, card, option.state, palette)

        inner = card.adjusted(self.PAD_X, self.PAD_Y, -self.PAD_X, -self.PAD_Y)
        star = self.star_rect(option.rect)
        text_width = max(10, star.left() - 8 - inner.left())
        title_height = max(QFontMetrics(title_font).height(), self.STAR_SIZE)
        title_rect = QRect(inner.left(), inner.top(), text_width, title_height)
        title = str(index.data(LibraryModel.TitleRole) or "")
        _draw_elided(painter, title_rect, title_font, text_colour, title)
        self._paint_star(painter, star, bool(index.data(LibraryModel.FavouriteRole)), faint)

        summary_rect = self._line_below(title_rect, inner, summary_font)
        summary = str(index.data(LibraryModel.SummaryRole) or "")
        _draw_elided(painter, summary_rect, summary_font, blend(text_colour, base_colour, 0.4), summary)

        meta_rect = self._line_below(summary_rect, inner, meta_font)
        if index.data(LibraryModel.HasErrorsRole):
            _draw_elided(painter, meta_rect, meta_font, warning_colour(palette), f"⚠ {HAS_ERRORS}")
        else:
            _draw_elided(painter, meta_rect, meta_font, faint, meta_line(index))
        painter.restore()

    def _paint_card(self, painter: QPainter, card: QRect, state: QStyle.StateFlag, palette: QPalette) -> None:
        """The row's background: a tint when it is selected, a shade under the mouse, else nothing."""
        # A soft tinted card for the selection rather than the style's solid bar: calmer to look at.
        if state & QStyle.StateFlag.State_Selected:
            highlight = palette.color(QPalette.ColorRole.Highlight)
            fill = QColor(highlight)
            fill.setAlphaF(0.22 if state & QStyle.StateFlag.State_Active else 0.14)
            edge = QColor(highlight)
            edge.setAlphaF(0.55)
            painter.setPen(QPen(edge, 1))
            painter.setBrush(fill)
            painter.drawRoundedRect(card, 8, 8)
        elif state & QStyle.StateFlag.State_MouseOver:
            fill = QColor(palette.color(QPalette.ColorRole.Text))
            fill.setAlphaF(0.05)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(card, 8, 8)

    def _paint_star(self, painter: QPainter, star: QRect, favourite: bool, outline: QColor) -> None:
        """A gold star for a favourite, an outline for the rest."""
        if favourite:
            painter.setPen(QPen(FAVOURITE_GOLD.darker(115), 1))
            painter.setBrush(FAVOURITE_GOLD)
        else:
            painter.setPen(QPen(outline, 1.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(star_path(QPointF(star.center()), self.STAR_SIZE * 0.4))

    def _line_below(self, above: QRect, inner: QRect, font: QFont) -> QRect:
        """The rectangle of the next line of text under `above`, as wide as the row's inside."""
        top = above.bottom() + 1 + self.LINE_GAP
        return QRect(inner.left(), top, inner.width(), QFontMetrics(font).height())

    def editorEvent(
        self, event: QEvent, model: QObject, option: QStyleOptionViewItem, index: AnyIndex
    ) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and self.star_rect(option.rect).contains(event.position().toPoint())
        ):
            self.favouriteClicked.emit(QPersistentModelIndex(index))
            return True
        return super().editorEvent(event, model, option, index)  # type: ignore[arg-type]
