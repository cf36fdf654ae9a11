"""The script editor widget: the text, its colours, live problems, insert buttons, the length.

The page (app.ui.pages.write.page) owns files, drafts and playback; this widget only edits text
and says what is wrong with it. Checking runs app.script.parse_script a moment after typing
stops (CHECK_DELAY_MS), so a long script does not slow every keystroke; each problem is
underlined where the parser points, listed below the text, and shown on hover.

Its parts live beside it: text_area (the text box), highlighter (the colours), problems (the
underlines and the list), insert_bar (the inserts), length_line (the estimate), paragraphs
(what the cursor is on). Lines and columns are the parser's: 1-based, counted in characters;
text_positions turns them into Qt's UTF-16 positions.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from app.script import Script, ScriptError, ScriptErrors, parse_script, unused_pronunciations
from app.tts.engine import DEFAULT_RATE_WPM
from app.ui.pages.write.highlighter import ScriptHighlighter
from app.ui.pages.write.hint_notes import HintNotes
from app.ui.pages.write.insert_bar import (
    BELL_TEXT,
    FLEXIBLE_PAUSE_TEXT,
    PAUSE_TEXT,
    InsertBar,
    insert_line,
    insert_section,
)
from app.ui.pages.write.length_line import LengthLine
from app.ui.pages.write.paragraphs import raw_paragraph_at, section_index_at, spoken_paragraph_at
from app.ui.pages.write.problems import ProblemList, ProblemMark, problem_marks, underlines
from app.ui.pages.write.text_area import ScriptTextEdit
from app.ui.pages.write.text_positions import qt_column


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
        self._marks: list[ProblemMark] = []
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
        self.problems.placeChosen.connect(self.move_cursor_to)
        self.notes.placeChosen.connect(self.move_cursor_to)
        self.check_now()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        self.insert_bar = InsertBar(self)
        self.pause_action = self.insert_bar.pause_action
        self.flexible_pause_action = self.insert_bar.flexible_pause_action
        self.bell_action = self.insert_bar.bell_action
        self.section_action = self.insert_bar.section_action
        self.pause_action.triggered.connect(self.insert_pause)
        self.flexible_pause_action.triggered.connect(self.insert_flexible_pause)
        self.bell_action.triggered.connect(self.insert_bell)
        self.section_action.triggered.connect(self.insert_section)
        layout.addWidget(self.insert_bar)

        self.text_edit = ScriptTextEdit(self, self.problem_text_at, self._on_theme_change)
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

        self.length_line = LengthLine(self)
        self.length_label = self.length_line.length_label
        self.exact_label = self.length_line.exact_label
        layout.addWidget(self.length_line)

        self.problems = ProblemList(self)
        layout.addWidget(self.problems)
        self.notes = HintNotes(self)
        layout.addWidget(self.notes)

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
        self.insert_bar.set_inserting(not read_only)

    def is_modified(self) -> bool:
        return self.text_edit.document().isModified()

    def set_modified(self, modified: bool) -> None:
        self.text_edit.document().setModified(modified)

    def set_speaking_rate(self, rate: int) -> None:
        """The voice's words per minute, for the length estimate (the page passes the setting)."""
        if rate != self._rate:
            self._rate = rate
            self._show_length()
            self.notes.show_script(self._script, self._rate)

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
        self.notes.show_script(self._script, self._rate)
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
        return "\n".join(mark.error.describe() for mark in self._marks if mark.covers(position, block))

    def _show_problems(self) -> None:
        document = self.text_edit.document()
        self._marks = problem_marks(document, self._errors)
        self.text_edit.setExtraSelections(underlines(document, self._marks, self.text_edit.palette()))
        self.problems.show_errors(self._errors)

    def _show_length(self) -> None:
        self.length_line.show_estimate(self._script, len(self._errors), self._rate)

    def set_exact_lengths(self, text: str | None) -> None:
        """Show the length of the session playing from this text ("Plays for 10 min"); None hides it."""
        self.length_line.show_exact(text)

    # -- the cursor ---------------------------------------------------------------------

    def move_cursor_to(self, line: int, column: int) -> None:
        """Put the cursor at a 1-based line and column, as a ScriptError gives them (clamped)."""
        document = self.text_edit.document()
        block = document.findBlockByNumber(max(line, 1) - 1)
        if not block.isValid():
            block = document.lastBlock()
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + qt_column(block.text(), column))
        self.text_edit.setTextCursor(cursor)
        self.text_edit.ensureCursorVisible()
        self.text_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _cursor_line(self) -> int:
        return self.text_edit.textCursor().blockNumber() + 1

    def section_index_at_cursor(self) -> int:
        """Index into current_script().sections of the section the cursor is in (0 before any)."""
        self._ensure_checked()
        if self._script is None:
            return 0
        return section_index_at(self._script, self._cursor_line())

    def paragraph_at_cursor(self) -> str:
        """The spoken text of the paragraph under the cursor, "" on anything that is not spoken."""
        self._ensure_checked()
        if self._script is not None:
            return spoken_paragraph_at(self._script, self._cursor_line())
        return raw_paragraph_at(self.text(), self._cursor_line())

    # -- inserting ----------------------------------------------------------------------

    def insert_pause(self) -> None:
        insert_line(self.text_edit, PAUSE_TEXT)

    def insert_flexible_pause(self) -> None:
        insert_line(self.text_edit, FLEXIBLE_PAUSE_TEXT)

    def insert_bell(self) -> None:
        insert_line(self.text_edit, BELL_TEXT)

    def insert_section(self) -> None:
        """A heading; its title is left selected so typing replaces it."""
        insert_section(self.text_edit)

    # -- theme --------------------------------------------------------------------------

    def _on_theme_change(self) -> None:
        """The text area's palette or style changed: recolour the text and the underlines."""
        if getattr(self, "highlighter", None) is None:
            return  # Qt may send the events while the widget is being built
        self.highlighter.set_palette(self.text_edit.palette())
        self._show_problems()
