"""The script editor widget: the text, its colours, live problems, insert buttons, the length.

The page (app.ui.pages.write.page) owns files, drafts and playback; this widget only edits text
and says what is wrong with it. Checking runs app.script.parse_script a moment after typing
stops (CHECK_DELAY_MS), so a long script does not slow every keystroke; each problem is
underlined where the parser points, listed below the text, and shown on hover.

Lines and columns are the parser's: 1-based, counted in characters (code points). Qt counts
positions in UTF-16 units, so an emoji is two; every conversion goes through _qt_column.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QHelpEvent,
    QKeySequence,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTextEdit,
    QToolBar,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.errors import KindredError
from app.script import Script, ScriptError, ScriptErrors, Speech, parse_script, unused_pronunciations
from app.tts.engine import DEFAULT_RATE_WPM
from app.ui.pages.write.highlighter import ScriptHighlighter, readable
from app.ui.widgets.basics import labelled

#: What the insert actions write; each parses on a line of its own.
PAUSE_TEXT = "[pause 5s]"
FLEXIBLE_PAUSE_TEXT = "[pause 20s+]"
BELL_TEXT = "[bell]"
SECTION_TITLE = "New section"

#: Rows in the problems list; a pasted novel could hold thousands of stray brackets, and past
#: this many a list helps nobody. errors() still returns them all.
MAX_SHOWN_PROBLEMS = 200
#: The problems list shows this many rows before it scrolls, so the text keeps its room.
PROBLEM_ROWS = 4

_ERROR_RED = QColor("#c0392b")


@dataclass(frozen=True)
class _Mark:
    """Where one error is underlined, in document positions (UTF-16 units)."""

    start: int
    end: int
    block: int
    error: ScriptError


def _qt_column(line: str, column: int) -> int:
    """A parser column (1-based, code points) as an offset in the block (UTF-16 units), clamped."""
    index = min(max(column - 1, 0), len(line))
    return len(line[:index].encode("utf-16-le")) // 2


def _token_end(line: str, index: int) -> int:
    """Where the underline of an error at `index` ends: the directive's ], or the word's end.

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


class _ScriptTextEdit(QPlainTextEdit):
    """The editing area: problem tooltips on hover; dropped files go to the window to import."""

    def __init__(self, editor: ScriptEditor):
        super().__init__(editor)
        self._editor = editor

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        # Here rather than on the editor: a parent hears of a new palette before its children have it.
        editor = getattr(self, "_editor", None)  # None while Qt is still building the widget
        if editor is not None and event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            editor._on_theme_change()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            position = self.cursorForPosition(event.pos()).position()
            text = self._editor.problem_text_at(position)
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    # A dropped file is an import, which the page's window handles; as text it would insert
    # the file's URL. Ignored here, the drag goes on to the parent widgets.
    @staticmethod
    def _is_file_drag(mime: QMimeData) -> bool:
        return mime.hasUrls() and any(url.isLocalFile() for url in mime.urls())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if self._is_file_drag(event.mimeData()):
            event.ignore()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt's name)
        if self._is_file_drag(event.mimeData()):
            event.ignore()
            return
        super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        if self._is_file_drag(event.mimeData()):
            event.ignore()
            return
        super().dropEvent(event)


class ScriptEditor(QWidget):
    """Text area + highlighter + live problems + insert toolbar + length line."""

    textChanged = Signal()  # every edit by the user or an insert action (not set_text: a load is no edit)
    problemsChanged = Signal(list)  # list[ScriptError] after each (debounced) check
    scriptChanged = Signal(object)  # the parsed Script, or None while it has errors
    CHECK_DELAY_MS: int = 300

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("scriptEditor")
        self._errors: list[ScriptError] = []
        self._marks: list[_Mark] = []
        self._script: Script | None = None
        self._rate = DEFAULT_RATE_WPM
        self._loading = False
        self._build()
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(self.CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.check_now)
        # contentsChange, not textChanged: re-highlighting emits textChanged without any edit.
        self.text_edit.document().contentsChange.connect(self._on_contents_change)
        self.problems.itemClicked.connect(self._go_to_problem)
        self.problems.itemActivated.connect(self._go_to_problem)
        self.check_now()

    # -- building -----------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        self.insert_bar = QToolBar("Insert", self)
        self.insert_bar.setObjectName("insertBar")
        self.insert_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.insert_bar.setMovable(False)
        self.insert_bar.setFloatable(False)
        labelled(self.insert_bar, "Insert", "Insert a pause, a flexible pause, a bell or a section")
        caption = QLabel("Insert:")
        caption.setObjectName("insertCaption")
        self.insert_bar.addWidget(caption)
        self.pause_action = self._insert_action("Pause", "Ctrl+Shift+P", f"a fixed pause {PAUSE_TEXT}")
        self.flexible_pause_action = self._insert_action(
            "Flexible pause",
            "Ctrl+Shift+F",
            f"a flexible pause {FLEXIBLE_PAUSE_TEXT}, which grows with the length",
        )
        self.bell_action = self._insert_action("Bell", "Ctrl+Shift+B", f"a bell {BELL_TEXT}")
        self.section_action = self._insert_action("Section", "Ctrl+Shift+S", "a section heading # Title")
        self.pause_action.triggered.connect(self.insert_pause)
        self.flexible_pause_action.triggered.connect(self.insert_flexible_pause)
        self.bell_action.triggered.connect(self.insert_bell)
        self.section_action.triggered.connect(self.insert_section)
        layout.addWidget(self.insert_bar)

        self.text_edit = _ScriptTextEdit(self)
        self.text_edit.setObjectName("scriptText")
        self.text_edit.setTabChangesFocus(True)  # keyboard users can leave the text; a script needs no tabs
        self.text_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text_edit.setAccessibleName("Script text")
        # No fixed tooltip: hovering shows the problem under the mouse.
        self.text_edit.setAccessibleDescription(
            "The meditation script: front matter between --- lines, # headings, spoken text, "
            "[pause 5s], [pause 20s+], [bell] and // comments"
        )
        self.text_edit.document().setDocumentMargin(12)  # the text should not touch the frame
        self.highlighter = ScriptHighlighter(self.text_edit.document(), self.text_edit.palette())
        layout.addWidget(self.text_edit, 1)

        lengths = QHBoxLayout()
        lengths.setSpacing(16)
        self.length_label = QLabel()
        self.length_label.setObjectName("lengthLine")
        self.length_label.setTextFormat(Qt.TextFormat.PlainText)
        self.length_label.setWordWrap(True)
        labelled(self.length_label, "Estimated length", "The length this script takes, estimated as you type")
        self.exact_label = QLabel()
        self.exact_label.setObjectName("exactLength")
        self.exact_label.setTextFormat(Qt.TextFormat.PlainText)
        labelled(self.exact_label, "Rendered length", "The exact length of the last rendering of this text")
        self.exact_label.hide()
        lengths.addWidget(self.length_label, 1)
        lengths.addWidget(self.exact_label)
        layout.addLayout(lengths)

        self.problems = QListWidget(self)
        self.problems.setObjectName("problemList")
        # Messages wrap rather than scroll sideways: the suggestion is at the end of the line.
        self.problems.setWordWrap(True)
        self.problems.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.problems.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problems.installEventFilter(self)
        self._problems_width = -1
        labelled(self.problems, "Problems", "Problems in the script; click one to go to its place")
        self.problems.hide()
        layout.addWidget(self.problems)

    def _insert_action(self, name: str, keys: str, what: str) -> QAction:
        action = QAction(name, self)
        action.setShortcut(QKeySequence(keys))
        # Only while the editor (or its toolbar) has focus: other pages keep these keys.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"Insert {what} on its own line ({shortcut})")
        self.insert_bar.addAction(action)
        self.addAction(action)  # the shortcut works while typing, not only with the toolbar focused
        button = self.insert_bar.widgetForAction(action)
        if isinstance(button, QToolButton):
            button.setObjectName("insertButton")
            labelled(button, f"Insert {name.lower()}", action.toolTip())
        return action

    # -- text ---------------------------------------------------------------------------

    def text(self) -> str:
        # The document's raw text keeps non-breaking spaces and line separators that
        # toPlainText would change; U+2029 is how it ends each line.
        return self.text_edit.document().toRawText().replace("\u2029", "\n")

    def set_text(self, text: str) -> None:
        """Load a script: checked at once, unmodified, with a fresh undo history."""
        if text.startswith("\ufeff"):
            text = text[1:]  # the parser ignores a BOM; kept, it would shift line 1's columns
        self._loading = True
        try:
            self.text_edit.setPlainText(text)
        finally:
            self._loading = False
        self.set_modified(False)
        self.set_exact_lengths(None)
        self.check_now()

    def set_read_only(self, read_only: bool) -> None:
        self.text_edit.setReadOnly(read_only)
        for action in (self.pause_action, self.flexible_pause_action, self.bell_action, self.section_action):
            action.setEnabled(not read_only)

    def is_modified(self) -> bool:
        return self.text_edit.document().isModified()

    def set_modified(self, modified: bool) -> None:
        self.text_edit.document().setModified(modified)

    def set_speaking_rate(self, rate: int) -> None:
        """The voice's words per minute, for the length estimate (the page passes the setting)."""
        if rate != self._rate:
            self._rate = rate
            self._show_length()

    def _on_contents_change(self, _position: int, removed: int, added: int) -> None:
        if self._loading or not (removed or added):
            return
        self.set_exact_lengths(None)  # a rendered length belongs to the text as it was
        self._check_timer.start()
        self.textChanged.emit()

    # -- checking -----------------------------------------------------------------------

    def check_now(self) -> list[ScriptError]:
        """Parse the text now (the debounced check does this too) and show what is wrong."""
        self._check_timer.stop()
        try:
            self._script = parse_script(self.text())
            # A pronunciation for a word the script never says is a typo to show, not a blocker.
            self._errors = unused_pronunciations(self._script, self.text())
            self.highlighter.set_pronunciations(self._script.meta.pronounce)
        except ScriptErrors as exc:
            self._script = None
            self._errors = list(exc.errors)
        self._show_problems()
        self._show_length()
        self.problemsChanged.emit(list(self._errors))
        self.scriptChanged.emit(self._script)
        return list(self._errors)

    def _ensure_checked(self) -> None:
        if self._check_timer.isActive():
            self.check_now()

    def errors(self) -> list[ScriptError]:
        return list(self._errors)

    def current_script(self) -> Script | None:
        return self._script

    def problem_text_at(self, position: int) -> str:
        """The hover text at a document position: every problem underlined there, or ""."""
        block = self.text_edit.document().findBlock(position).blockNumber()

        def covers(mark: _Mark) -> bool:
            # A whole-line mark (nothing to underline) covers its line; an underline, its span.
            return mark.start <= position <= mark.end if mark.start < mark.end else mark.block == block

        return "\n".join(mark.error.describe() for mark in self._marks if covers(mark))

    def _show_problems(self) -> None:
        document = self.text_edit.document()
        self._marks = []
        for error in self._errors:
            block = document.findBlockByNumber(error.line - 1)
            if not block.isValid():
                block = document.lastBlock()
            line = block.text()
            index = min(max(error.column - 1, 0), len(line))
            start = block.position() + _qt_column(line, index + 1)
            end = block.position() + _qt_column(line, _token_end(line, index) + 1)
            self._marks.append(_Mark(start, end, block.blockNumber(), error))

        palette = self.text_edit.palette()
        red = readable(_ERROR_RED, palette.color(QPalette.ColorRole.Base))
        tint = QColor(red)
        tint.setAlphaF(0.22)
        selections = []
        for mark in self._marks:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(document)
            cursor.setPosition(mark.start)
            fmt = QTextCharFormat()
            if mark.end > mark.start:
                cursor.setPosition(mark.end, QTextCursor.MoveMode.KeepAnchor)
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
                fmt.setUnderlineColor(red)
                fmt.setBackground(tint)  # a thin wavy line alone is easy to miss
            else:
                # Nothing to underline (an empty line, the end of a line): tint the whole line.
                fmt.setBackground(tint)
                fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
        self.text_edit.setExtraSelections(selections)

        self.problems.clear()
        for error in self._errors[:MAX_SHOWN_PROBLEMS]:
            item = QListWidgetItem(f"Line {error.line}, column {error.column}: {error.describe()}")
            item.setData(Qt.ItemDataRole.UserRole, (error.line, error.column))
            self.problems.addItem(item)
        hidden = len(self._errors) - MAX_SHOWN_PROBLEMS
        if hidden > 0:
            more = QListWidgetItem(f"… and {hidden} more problems: fix these first")
            more.setFlags(Qt.ItemFlag.NoItemFlags)
            self.problems.addItem(more)
        self.problems.setVisible(bool(self._errors))
        self._fit_problems()

    def _fit_problems(self) -> None:
        """As tall as its first few rows (as wrapped now); more scroll, so the text keeps its room."""
        count = min(self.problems.count(), PROBLEM_ROWS)
        if not count:
            return
        if not self.problems.isVisible():
            # Not laid out yet, so no width to wrap at: one line a row until it is shown. (Rows
            # wrapped at a hidden widget's tiny width would be tall enough to grow the window.)
            line = self.problems.fontMetrics().lineSpacing() + 12
            self.problems.setFixedHeight(count * line + 2 * self.problems.frameWidth() + 12)
            return
        self.problems.doItemsLayout()
        rows = sum(self.problems.visualItemRect(self.problems.item(i)).height() for i in range(count))
        chrome = self.problems.height() - self.problems.viewport().height()  # frame and padding
        self.problems.setFixedHeight(rows + max(chrome, 2 * self.problems.frameWidth()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        # Shown, or at a new width, the messages wrap anew (a new height alone changes nothing).
        if watched is self.problems and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            width = self.problems.width()
            if width != self._problems_width or event.type() == QEvent.Type.Show:
                self._problems_width = width
                self._fit_problems()
        return super().eventFilter(watched, event)

    def _show_length(self) -> None:
        if self._script is None:
            count = len(self._errors)
            self.length_label.setText(
                f"Length: fix the {count} problem{'s' if count != 1 else ''} below to see how long this takes"
            )
            return
        # Imported here: the estimate is a renderer module, loaded only when first needed.
        from app.render.estimate import estimate_lengths

        try:
            estimate = estimate_lengths(self._script, self._rate)
        except (KindredError, OSError) as exc:
            # A missing bell or sound file: the text is fine, only the estimate cannot be made.
            self.length_label.setText(f"Length: {exc}")
            return
        self.length_label.setText(f"Estimated length: {estimate.describe()}")

    def set_exact_lengths(self, text: str | None) -> None:
        """Show the length of the session playing from this text ("Plays for 10 min"); None hides it."""
        self.exact_label.setText(text or "")
        self.exact_label.setVisible(bool(text))

    # -- the cursor ---------------------------------------------------------------------

    def move_cursor_to(self, line: int, column: int) -> None:
        """Put the cursor at a 1-based line and column, as a ScriptError gives them (clamped)."""
        document = self.text_edit.document()
        block = document.findBlockByNumber(max(line, 1) - 1)
        if not block.isValid():
            block = document.lastBlock()
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + _qt_column(block.text(), column))
        self.text_edit.setTextCursor(cursor)
        self.text_edit.ensureCursorVisible()
        self.text_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        place = item.data(Qt.ItemDataRole.UserRole)
        if place:
            self.move_cursor_to(*place)

    def _cursor_line(self) -> int:
        return self.text_edit.textCursor().blockNumber() + 1

    def section_index_at_cursor(self) -> int:
        """Index into current_script().sections of the section the cursor is in (0 before any)."""
        self._ensure_checked()
        if self._script is None:
            return 0
        line = self._cursor_line()
        index = 0
        for number, section in enumerate(self._script.sections):
            if section.line <= line:
                index = number
        return index

    def paragraph_at_cursor(self) -> str:
        """The spoken text of the paragraph under the cursor, "" on anything that is not spoken."""
        self._ensure_checked()
        line = self._cursor_line()
        if self._script is not None:
            for _, item in self._script.items():
                if isinstance(item, Speech) and item.line <= line < item.line + len(item.lines):
                    return item.text
            return ""
        return self._raw_paragraph(line)

    def _raw_paragraph(self, line: int) -> str:
        """The paragraph around a line read from the text itself, while the script has errors."""
        lines = self.text().split("\n")
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

    # -- inserting ----------------------------------------------------------------------

    def insert_pause(self) -> None:
        self._insert_line(PAUSE_TEXT)

    def insert_flexible_pause(self) -> None:
        self._insert_line(FLEXIBLE_PAUSE_TEXT)

    def insert_bell(self) -> None:
        self._insert_line(BELL_TEXT)

    def insert_section(self) -> None:
        """A heading; its title is left selected so typing replaces it."""
        cursor = self._insert_line(f"# {SECTION_TITLE}")
        if cursor is not None:
            end = cursor.position()
            cursor.setPosition(end - len(SECTION_TITLE))
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            self.text_edit.setTextCursor(cursor)

    def _insert_line(self, line: str) -> QTextCursor | None:
        """Insert `line` on a line of its own at the cursor (after the front matter, if inside it)."""
        if self.text_edit.isReadOnly():
            return None
        cursor = self.text_edit.textCursor()
        cursor.clearSelection()
        body_start = self._body_start_block()
        if cursor.blockNumber() < body_start:
            # A directive inside the front matter would break it: the body's first line instead.
            block = self.text_edit.document().findBlockByNumber(body_start)
            if block.isValid():
                cursor = QTextCursor(block)
            else:
                cursor.movePosition(QTextCursor.MoveOperation.End)
        block_text = cursor.block().text()
        at = cursor.positionInBlock()
        before, after = block_text[:at], block_text[at:]
        cursor.beginEditBlock()
        if not block_text.strip():
            # An empty (or blank) line becomes the new line.
            cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(line)
        else:
            text = line
            if before.strip():
                text = "\n" + text
            else:
                cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
            if after.strip():
                text += "\n"
            cursor.insertText(text)
            if after.strip():
                cursor.movePosition(QTextCursor.MoveOperation.Left)  # stay at the end of the new line
        cursor.endEditBlock()
        self.text_edit.setTextCursor(cursor)
        self.text_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return cursor

    def _body_start_block(self) -> int:
        """The block number of the first body line: after the closing ---, or 0 without front matter."""
        document = self.text_edit.document()
        if document.firstBlock().text().strip() != "---":
            return 0
        block = document.firstBlock().next()
        while block.isValid():
            if block.text().strip() == "---":
                return block.blockNumber() + 1
            block = block.next()
        return 0  # never closed: the check reports it, and there is no body to aim for

    # -- theme --------------------------------------------------------------------------

    def _on_theme_change(self) -> None:
        """The text area's palette or style changed: recolour the text and the underlines."""
        if getattr(self, "highlighter", None) is None:
            return  # Qt may send the events while the widget is being built
        self.highlighter.set_palette(self.text_edit.palette())
        self._show_problems()
