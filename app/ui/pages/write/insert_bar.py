"""The editor's insert buttons (pause, flexible pause, bell, section) and what they write.

Each insert puts its directive on a line of its own, where the parser reads it, as one undo
step; one asked for inside the front matter goes to the first line of the body instead.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QTextCursor, QTextDocument
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QToolBar, QToolButton, QWidget

from app.ui.widgets.basics import labelled

#: What the insert actions write; each parses on a line of its own.
PAUSE_TEXT = "[pause 5s]"
FLEXIBLE_PAUSE_TEXT = "[pause 20s+]"
BELL_TEXT = "[bell]"
SECTION_TITLE = "New section"


class InsertBar(QToolBar):
    """A row of text buttons, one an insert, each with a shortcut that works while typing."""

    def __init__(self, owner: QWidget):
        super().__init__("Insert", owner)
        # The shortcuts follow the keyboard focus within `owner` (the whole editor), not the bar's.
        self._owner = owner
        self.setObjectName("insertBar")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setMovable(False)
        self.setFloatable(False)
        labelled(self, "Insert", "Insert a pause, a flexible pause, a bell or a section")
        caption = QLabel("Insert:")
        caption.setObjectName("insertCaption")
        self.addWidget(caption)
        self.pause_action = self._insert_action("Pause", "Ctrl+Shift+P", f"a fixed pause {PAUSE_TEXT}")
        self.flexible_pause_action = self._insert_action(
            "Flexible pause",
            "Ctrl+Shift+F",
            f"a flexible pause {FLEXIBLE_PAUSE_TEXT}, which grows with the length",
        )
        self.bell_action = self._insert_action("Bell", "Ctrl+Shift+B", f"a bell {BELL_TEXT}")
        self.section_action = self._insert_action("Section", "Ctrl+Shift+S", "a section heading # Title")

    def set_inserting(self, allowed: bool) -> None:
        """Every insert on or off (off for a read-only script)."""
        for action in (self.pause_action, self.flexible_pause_action, self.bell_action, self.section_action):
            action.setEnabled(allowed)

    def _insert_action(self, name: str, keys: str, what: str) -> QAction:
        action = QAction(name, self._owner)
        action.setShortcut(QKeySequence(keys))
        # Only while the editor (or its toolbar) has focus: other pages keep these keys.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"Insert {what} on its own line ({shortcut})")
        self.addAction(action)
        self._owner.addAction(action)  # the shortcut works while typing, not only with the bar focused
        button = self.widgetForAction(action)
        if isinstance(button, QToolButton):
            button.setObjectName("insertButton")
            labelled(button, f"Insert {name.lower()}", action.toolTip())
        return action


def insert_section(text_edit: QPlainTextEdit) -> None:
    """A heading; its title is left selected so typing replaces it."""
    cursor = insert_line(text_edit, f"# {SECTION_TITLE}")
    if cursor is not None:
        end = cursor.position()
        cursor.setPosition(end - len(SECTION_TITLE))
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        text_edit.setTextCursor(cursor)


def insert_line(text_edit: QPlainTextEdit, line: str) -> QTextCursor | None:
    """Insert `line` on a line of its own at the cursor (after the front matter, if inside it).

    Returns the cursor at the end of the new line, or None when the text is read-only.
    """
    if text_edit.isReadOnly():
        return None
    cursor = text_edit.textCursor()
    cursor.clearSelection()
    body_start = body_start_block(text_edit.document())
    if cursor.blockNumber() < body_start:
        # A directive inside the front matter would break it: the body's first line instead.
        block = text_edit.document().findBlockByNumber(body_start)
        if block.isValid():
            cursor = QTextCursor(block)
        else:
            cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.beginEditBlock()
    _write_own_line(cursor, line)
    cursor.endEditBlock()
    text_edit.setTextCursor(cursor)
    text_edit.setFocus(Qt.FocusReason.OtherFocusReason)
    return cursor


def _write_own_line(cursor: QTextCursor, line: str) -> None:
    """Write `line` at the cursor, breaking the block around it so it stands alone."""
    block_text = cursor.block().text()
    at = cursor.positionInBlock()
    before, after = block_text[:at], block_text[at:]
    if not block_text.strip():
        # An empty (or blank) line becomes the new line.
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(line)
        return
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


def body_start_block(document: QTextDocument) -> int:
    """The block number of the first body line: after the closing ---, or 0 without front matter."""
    if document.firstBlock().text().strip() != "---":
        return 0
    block = document.firstBlock().next()
    while block.isValid():
        if block.text().strip() == "---":
            return block.blockNumber() + 1
        block = block.next()
    return 0  # never closed: the check reports it, and there is no body to aim for
