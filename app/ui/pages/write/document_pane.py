"""The right side of the Write page: notices on top, then the open script or, with none open, a
placeholder that says how to begin.

Like the list pane it only shows: the page wires its buttons and tells it what is open.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from app.ui.pages.write.dialogs import NoticeBar
from app.ui.pages.write.script_editor import ScriptEditor
from app.ui.widgets.basics import button


def the_problems(count: int) -> str:
    """How a message names the problems listed below the text."""
    return "the problem" if count == 1 else f"the {count} problems"


class Placeholder(QWidget):
    """What the pane shows while no script is open: a title, a hint, and two ways to begin."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 40, 24, 24)
        title = QLabel("Write a meditation of your own")
        title.setObjectName("listenHeading")
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        hint = QLabel(
            "Start a new script from a short example, open one of yours on the left, or make a copy "
            "of a bundled meditation to change it. You can also drop .md or .txt files on the window."
        )
        hint.setObjectName("pageSubtitle")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.new_button = button("New script", "New script", "Start a new script from a short example")
        self.guide_button = button(
            "Read the writing guide", "Writing guide", "How scripts are written: pauses, bells, sections"
        )
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addSpacing(8)
        layout.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.guide_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)


class DocumentView(QWidget):
    """The open script: its name and state with Save, the listening buttons, the editor."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(self._build_title_row())
        layout.addLayout(self._build_listen_row())
        self.read_only_bar = NoticeBar("Bundled meditation")
        self.read_only_bar.label.setText(
            "This meditation comes with Kindred and stays as it is. Make a copy to change it."
        )
        self.copy_button = self.read_only_bar.add_button(
            "Make a copy to edit",
            "Make a copy to edit",
            "Copy this meditation into your scripts and open the copy",
        )
        layout.addWidget(self.read_only_bar)
        self.editor = ScriptEditor()
        layout.addWidget(self.editor, 1)

    def _build_title_row(self) -> QHBoxLayout:
        """The file's name and state, then Save; a long name is cut off rather than widening the window."""
        row = QHBoxLayout()
        row.setSpacing(12)
        self.doc_title = QLabel()
        self.doc_title.setObjectName("listenHeading")
        self.doc_title.setTextFormat(Qt.TextFormat.PlainText)
        self.doc_title.setMinimumWidth(1)
        self.doc_state = QLabel()
        self.doc_state.setObjectName("pageSubtitle")
        self.doc_state.setTextFormat(Qt.TextFormat.PlainText)
        self.doc_state.setMinimumWidth(1)
        self.save_button = button("Save", "Save", "Save the script (Ctrl+S)", object_name="primaryButton")
        row.addWidget(self.doc_title)
        row.addWidget(self.doc_state, 0, Qt.AlignmentFlag.AlignBaseline)
        row.addStretch(1)
        row.addWidget(self.save_button)
        return row

    def _build_listen_row(self) -> QHBoxLayout:
        """What the cursor is on: hear it, or play the session from its section; and the guide."""
        row = QHBoxLayout()
        row.setSpacing(8)
        self.hear_button = button(
            "Hear this paragraph",
            "Hear this paragraph",
            "Hear the paragraph under the cursor in your chosen voice (Ctrl+Shift+H)",
        )
        self.play_here_button = button(
            "Play from here",
            "Play from here",
            "Play the session from the section the cursor is in, as the text is now (Ctrl+Shift+Return)",
        )
        self.guide_button = button(
            "Writing guide", "Writing guide", "How scripts are written: pauses, bells, sections (F1)"
        )
        row.addWidget(self.hear_button)
        row.addWidget(self.play_here_button)
        row.addStretch(1)
        row.addWidget(self.guide_button)
        return row

    def show_state(self, name: str, *, read_only: bool, modified: bool) -> None:
        """The open file's name and whether it is saved; Save and the read-only bar to match."""
        self.doc_title.setText(name)
        if read_only:
            self.doc_state.setText("bundled with Kindred, read-only")
        else:
            self.doc_state.setText("unsaved changes" if modified else "saved")
        self.save_button.setEnabled(not read_only)
        self.save_button.setVisible(not read_only)


class DocumentPane(QWidget):
    """The draft bar and the message bar above the placeholder or the open script."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("documentPane")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 20, 20, 12)
        layout.setSpacing(10)

        self.draft_bar = NoticeBar("Unsaved text from last time")
        self.restore_button = self.draft_bar.add_button(
            "Restore", "Restore the unsaved text", "Open the script with the text you had not saved"
        )
        self.discard_draft_button = self.draft_bar.add_button(
            "Discard", "Discard the unsaved text", "Forget the unsaved text; the saved script stays as it is"
        )
        layout.addWidget(self.draft_bar)

        self.message_bar = NoticeBar("Message")
        self.message_bar.setObjectName("errorLabel")
        close = self.message_bar.add_button("✕", "Close the message", "Close this message")
        close.setFlat(True)
        close.clicked.connect(self.message_bar.hide)
        layout.addWidget(self.message_bar)

        self.placeholder = Placeholder()
        self.view = DocumentView()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.view)
        layout.addWidget(self.stack, 1)

    def show_open(self, is_open: bool) -> None:
        """The open script's view, or the placeholder when none is open."""
        self.stack.setCurrentWidget(self.view if is_open else self.placeholder)

    def show_message(self, title: str, explanation: str) -> None:
        lead = title if title.endswith((".", "!", "?")) else f"{title}."
        self.message_bar.label.setText(f"{lead} {explanation}")
        self.message_bar.show()

    def hide_message(self) -> None:
        self.message_bar.hide()

    def message_text(self) -> str:
        """The message shown, or "" when none is."""
        return self.message_bar.label.text() if not self.message_bar.isHidden() else ""
