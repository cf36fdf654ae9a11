"""The Write page: the user's own scripts on the left, the script editor on the right.

This module is the page itself. It holds the open script (its path, whether it is read-only),
opens, saves and leaves it, shows its state, and keeps the catalogue up to date; the panes and
the actions it wires together live beside it (see the package's docstring for the map).

Everything a writer does to files goes through UserLibrary (safe names, atomic writes, the
trash), and unsaved text goes to DraftStore about a second after typing stops, so even a
killed process loses at most that second. Every question the page asks goes through
EditorDialogs, which tests replace, so no test ever waits on a modal dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QHBoxLayout, QSplitter, QWidget

from app import settings
from app.errors import KindredError
from app.history import Store
from app.library import LibraryEntry
from app.library.drafts import Draft, DraftStore, draft_key
from app.library.user_scripts import TrashedScript, UserLibrary
from app.render.sidecar import Sidecar
from app.render.streaming import StreamingSession
from app.settings import Settings
from app.tts import SpeechEngine
from app.ui.dialogs.reading import writing_guide_dialog
from app.ui.pages.write.catalogue import same_file, sorted_catalogue, updated_catalogue
from app.ui.pages.write.dialogs import EditorDialogs
from app.ui.pages.write.document_pane import DocumentPane, the_problems
from app.ui.pages.write.draft_keeper import DraftKeeper
from app.ui.pages.write.file_actions import FileActions
from app.ui.pages.write.hearing import Hearing, paragraph_script, rendered_length_text
from app.ui.pages.write.script_list import ScriptListPane
from app.ui.services.stream_player import StreamPlayer
from app.ui.widgets.basics import local_shortcut

# paragraph_script is the window's too (a sample of the voice), imported from here.
__all__ = ["EditorPage", "paragraph_script"]


class EditorPage(QWidget):
    """The Write page. Emits what the window must do: refresh the library, play a session."""

    #: list[LibraryEntry]: the catalogue after a script was added, changed or removed
    catalogueChanged = Signal(list)
    #: (key, Script, length in seconds or None, index of the section to start at)
    playRequested = Signal(str, object, object, int)
    #: a paragraph is about to be heard (the window pauses a session so the two do not overlap)
    hearingStarted = Signal()
    #: (draft key) unsaved text is safely on disk
    draftSaved = Signal(str)

    def __init__(
        self,
        store: Store,
        engine: SpeechEngine,
        player: StreamPlayer,
        entries: list[LibraryEntry],
        library: UserLibrary | None = None,
        drafts: DraftStore | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("editorPage")
        self.store = store
        self.engine = engine
        self.player = player
        self.library = library or UserLibrary()
        self.drafts = drafts or DraftStore()
        self.entries = sorted_catalogue(entries)
        self.dialogs = EditorDialogs(self)
        #: The open script, or None; read_only for a bundled one.
        self.path: Path | None = None
        self.read_only = False
        self.guide_dialog: QDialog | None = None

        self._build()
        self.file_actions = FileActions(self)
        self.draft_keeper = DraftKeeper(self)
        self.hearing = Hearing(self)
        self._wire()

        self.editor.set_speaking_rate(Settings(store).get(settings.RATE))
        self._fill_list()
        self.show_document_state()
        self.draft_keeper.offer_left_over()

    def _build(self) -> None:
        self.list_pane = ScriptListPane()
        self.document_pane = DocumentPane()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("editorSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.list_pane)
        self.splitter.addWidget(self.document_pane)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([260, 700])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        # The controls the page works with, and tests and the window reach for, by their names.
        files = self.list_pane
        self.script_list = files.script_list
        self.new_button = files.new_button
        self.import_button = files.import_button
        self.rename_button = files.rename_button
        self.delete_button = files.delete_button
        self.export_button = files.export_button
        self.undo_bar = files.undo_bar
        self.undo_button = files.undo_button
        notices = self.document_pane
        self.draft_bar = notices.draft_bar
        self.restore_button = notices.restore_button
        self.discard_draft_button = notices.discard_draft_button
        self.message_bar = notices.message_bar
        self.stack = notices.stack
        view = notices.view
        self.doc_title = view.doc_title
        self.doc_state = view.doc_state
        self.save_button = view.save_button
        self.hear_button = view.hear_button
        self.play_here_button = view.play_here_button
        self.guide_button = view.guide_button
        self.read_only_bar = view.read_only_bar
        self.copy_button = view.copy_button
        self.editor = view.editor

    def _wire(self) -> None:
        """Every button and shortcut to what it does."""
        for control, action in (
            (self.new_button, self.new_script),
            (self.import_button, self.import_files),
            (self.rename_button, self.rename),
            (self.delete_button, self.delete),
            (self.export_button, self.export),
            (self.undo_button, self.undo_delete),
            (self.restore_button, self.restore_draft),
            (self.discard_draft_button, self.discard_draft),
            (self.document_pane.placeholder.new_button, self.new_script),
            (self.document_pane.placeholder.guide_button, self.show_writing_guide),
            (self.save_button, self.save),
            (self.hear_button, self.hear_paragraph),
            (self.play_here_button, self.play_from_here),
            (self.guide_button, self.show_writing_guide),
        ):
            control.clicked.connect(action)
        self.copy_button.clicked.connect(lambda: self.make_copy(self.path) if self.path else None)
        self.script_list.pathChosen.connect(self._on_list_choice)

        local_shortcut(QKeySequence.StandardKey.New, self, self.new_script)
        local_shortcut(QKeySequence.StandardKey.Save, self, self.save)
        local_shortcut("F1", self, self.show_writing_guide)
        local_shortcut("Ctrl+Shift+H", self, self.hear_paragraph)
        local_shortcut("Ctrl+Shift+Return", self, self.play_from_here)

        self.editor.textChanged.connect(self.draft_keeper.note_edit)
        # The document marks itself modified after it reports the edit: follow the flag itself too.
        self.editor.text_edit.document().modificationChanged.connect(
            lambda _modified: self.show_document_state()
        )

    def show_writing_guide(self) -> None:
        """The guide beside the editor, not modal: one can read it and type at the same time."""
        if self.guide_dialog is None:
            self.guide_dialog = writing_guide_dialog(self)
        self.guide_dialog.show()
        self.guide_dialog.raise_()

    # -- the list and the catalogue ----------------------------------------------------------

    def _fill_list(self) -> None:
        self.script_list.show_entries(self.entries, self.path)

    def shown_paths(self) -> list[Path]:
        """Every script the list offers, in order (user scripts first)."""
        return self.script_list.shown_paths()

    def _on_list_choice(self, path: Path) -> None:
        if self.path is not None and same_file(path, self.path):
            return
        # Deferred: a modal question inside the list's own signal would fight its selection.
        QTimer.singleShot(0, lambda: self._open_chosen(path))

    def _open_chosen(self, path: Path) -> None:
        if not self.open_path(path):
            self.script_list.select(self.path)  # cancelled: the list shows what is still open

    def catalogue_changed(self, added: Path | list[Path] | None = None, removed: Path | None = None) -> None:
        """Update the files that changed in the catalogue (not a reload of a thousand); tell the window."""
        new = [added] if isinstance(added, Path) else list(added or [])
        self.entries = updated_catalogue(self.entries, new, removed)
        self._fill_list()
        self.catalogueChanged.emit(list(self.entries))

    # -- opening and leaving -----------------------------------------------------------------

    def open_path(self, path: Path) -> bool:
        """Open a script: a user's own to edit, any other read-only. False when cancelled or refused."""
        if self.path is not None and same_file(path, self.path):
            return True
        if not self.maybe_leave():
            return False
        try:
            text = self.library.read_import(path)
        except KindredError as error:
            self.show_message(error.title, error.explanation)
            return False
        self.load(path, text, read_only=not self.library.is_user_script(path))
        return True

    def load(self, path: Path, text: str, read_only: bool) -> None:
        """Show `text` as the open script at `path`, unmodified (the caller has read the file)."""
        self.draft_keeper.forget_unkept()
        self.hide_message()  # a message about the script left behind
        self.path = path
        self.read_only = read_only
        self.editor.set_text(text)
        self.editor.set_read_only(read_only)
        self.document_pane.show_open(True)
        self.script_list.select(self.path)
        self.show_document_state()

    def close_document(self) -> None:
        """Close the open script without asking (the caller has asked or saved)."""
        self.draft_keeper.forget_unkept()
        self.path = None
        self.read_only = False
        self.editor.set_text("")
        self.document_pane.show_open(False)
        self.script_list.select(self.path)
        self.show_document_state()

    def is_modified(self) -> bool:
        return self.path is not None and not self.read_only and self.editor.is_modified()

    def maybe_leave(self) -> bool:
        """Before the open script is left: Save / Discard / Cancel when it has unsaved changes."""
        if not self.is_modified():
            return True
        assert self.path is not None
        answer = self.dialogs.ask_unsaved(self.path.name)
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.draft_keeper.forget_unkept()
            self.drafts.discard(draft_key(self.path))
            self.editor.set_modified(False)
            return True
        return False

    def show_document_state(self) -> None:
        """The buttons, bars and title as the open script (or none) allows."""
        is_open = self.path is not None
        self.list_pane.enable_file_buttons(is_open=is_open, own=is_open and not self.read_only)
        self.read_only_bar.setVisible(is_open and self.read_only)
        if self.path is None:
            return
        modified = self.editor.is_modified() and not self.read_only
        self.document_pane.view.show_state(self.path.name, read_only=self.read_only, modified=modified)

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> bool:
        """Write the text to its file (atomically); the Library shows the change at once."""
        if self.path is None or self.read_only:
            return False
        try:
            self.library.save(self.path, self.editor.text())
        except KindredError as error:
            self.show_message(error.title, error.explanation)
            return False
        self.draft_keeper.forget_unkept()
        self.drafts.discard(draft_key(self.path))
        self.editor.set_modified(False)
        self.show_document_state()
        problems = len(self.editor.check_now())
        if problems:
            self.show_message(
                "Saved, with problems to fix",
                f"The script is saved; Kindred can play it once {the_problems(problems)} below "
                f"{'are' if problems != 1 else 'is'} fixed.",
            )
        else:
            self.hide_message()
        self.catalogue_changed(added=self.path)
        return True

    # -- drafts (draft_keeper.py) --------------------------------------------------------------

    def save_draft(self) -> None:
        """Unsaved text to the draft store now (it also goes a moment after typing stops)."""
        self.draft_keeper.save_draft()

    def pending_drafts(self) -> list[Draft]:
        """The drafts of last time still on offer, the one shown first."""
        return self.draft_keeper.pending()

    def restore_draft(self) -> bool:
        """Open the first offered draft's script with the unsaved text in it, still unsaved."""
        return self.draft_keeper.restore()

    def discard_draft(self) -> None:
        self.draft_keeper.discard()

    # -- files (file_actions.py) ---------------------------------------------------------------

    def new_script(self) -> Path | None:
        return self.file_actions.new_script()

    def make_copy(self, source: Path) -> Path | None:
        return self.file_actions.make_copy(source)

    def rename(self) -> Path | None:
        return self.file_actions.rename()

    def delete(self) -> TrashedScript | None:
        return self.file_actions.delete()

    def undo_delete(self) -> Path | None:
        return self.file_actions.undo_delete()

    def import_files(self) -> list[Path]:
        return self.file_actions.import_files()

    def import_paths(self, sources: list[Path]) -> list[Path]:
        return self.file_actions.import_paths(sources)

    def export(self) -> Path | None:
        return self.file_actions.export()

    # -- hearing and playing (hearing.py) ------------------------------------------------------

    @property
    def heard(self) -> StreamingSession | None:
        """What "Hear this paragraph" played last."""
        return self.hearing.heard

    def hear_paragraph(self) -> StreamingSession | None:
        return self.hearing.hear_paragraph()

    def play_from_here(self) -> bool:
        return self.hearing.play_from_here()

    def show_rendered(self, timeline: Sidecar) -> None:
        """The figures of the session playing from this text, while the text is unchanged; they
        settle as the voice speaks (each sentence's real length replaces its estimate)."""
        if not self.hearing.plays_the_text_shown():
            return
        self.editor.set_exact_lengths(rendered_length_text(timeline.length, timeline.natural_length))

    # -- messages ------------------------------------------------------------------------------

    def show_message(self, title: str, explanation: str) -> None:
        self.document_pane.show_message(title, explanation)

    def hide_message(self) -> None:
        self.document_pane.hide_message()

    def message_text(self) -> str:
        """The message shown, or "" when none is."""
        return self.document_pane.message_text()
