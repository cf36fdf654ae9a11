"""After a completed session: an optional, skippable moment of reflection kept with the listen."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTextEdit, QVBoxLayout, QWidget

from app.history import ListenLog
from app.ui.widgets.basics import labelled

PROMPT = "What did you notice? What is one kind thing you could offer your partner today?"


class NoteDialog(QDialog):
    """Save keeps the note with listen `listen_id`; Skip (or closing) keeps nothing."""

    noteSaved = Signal(int)  # listen id

    def __init__(self, log: ListenLog, listen_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.log = log
        self.listen_id = listen_id
        self.setObjectName("noteDialog")
        self.setWindowTitle("A moment to reflect")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        heading = QLabel("A moment to reflect")
        heading.setObjectName("noteHeading")
        prompt = QLabel(PROMPT)
        prompt.setWordWrap(True)
        self.text = labelled(QTextEdit(), "Reflection", "A few words for yourself; only you will see them")
        self.text.setObjectName("noteText")
        self.text.setPlaceholderText("Optional")
        self.text.setAcceptRichText(False)
        self.save_button = labelled(QPushButton("Save"), "Save the note", "Keep this note with the session")
        self.save_button.setDefault(True)
        self.skip_button = labelled(QPushButton("Skip"), "Skip", "Close without a note")
        self.save_button.clicked.connect(self.save)
        self.skip_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.save_button)
        for widget in (heading, prompt, self.text):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.resize(460, 300)

    def save(self) -> None:
        self.log.set_note(self.listen_id, self.text.toPlainText())
        self.noteSaved.emit(self.listen_id)
        self.accept()
