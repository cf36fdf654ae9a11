"""The Write page: the user's own scripts on the left, the script editor on the right.

Everything a writer does to files goes through UserLibrary (safe names, atomic writes, the
trash), and unsaved text goes to DraftStore about a second after typing stops, so even a
killed process loses at most that second. Every question the page asks goes through
EditorDialogs, which tests replace, so no test ever waits on a modal dialog.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.errors import KindredError
from app.history import Store
from app.library import LibraryEntry
from app.library.catalogue import load_entry
from app.library.drafts import Draft, DraftStore, draft_key
from app.library.user_scripts import IMPORT_SUFFIXES, NameClash, TrashedScript, UserLibrary
from app.render.streaming import StreamingSession
from app.script import Meta, Script, Section, Speech
from app.time_text import clock_tenths
from app.tts import SpeechEngine
from app.tts.engine import DEFAULT_RATE_WPM
from app.ui.dialogs.reading import writing_guide_dialog
from app.ui.pages.write.dialogs import EditorDialogs, NoticeBar
from app.ui.pages.write.script_editor import ScriptEditor
from app.ui.services.stream_player import StreamPlayer
from app.ui.widgets.basics import button, labelled, local_shortcut

#: Unsaved text goes to the draft store this long after the last keystroke...
DRAFT_DELAY_MS = 1000
#: ...and at least this often while typing goes on without a pause.
DRAFT_MAX_AGE_S = 10.0

_PATH_ROLE = Qt.ItemDataRole.UserRole



def paragraph_script(title: str, summary: str, text: str) -> Script:
    """A script of one spoken paragraph: a paragraph to hear, or a sample of the voice."""
    return Script(Meta(title, summary, "preview"), (Section(None, (Speech((text,)),)),))


def _problems(count: int) -> str:
    return "the problem" if count == 1 else f"the {count} problems"


def _key(path: Path) -> Path:
    """Paths compared as the files they name (a library folder may be reached through a link)."""
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _sorted_catalogue(entries: list[LibraryEntry]) -> list[LibraryEntry]:
    """Bundled scripts, then the user's, each by title: the order load_catalogue gives."""
    bundled = [entry for entry in entries if entry.origin == "bundled"]
    user = sorted((entry for entry in entries if entry.origin == "user"), key=lambda e: e.title.casefold())
    return bundled + user


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
        self.entries = _sorted_catalogue(entries)
        self.dialogs = EditorDialogs(self)
        #: The open script, or None; read_only for a bundled one.
        self.path: Path | None = None
        self.read_only = False
        #: What "Hear this paragraph" plays last.
        self.heard: StreamingSession | None = None
        self.guide_dialog: QDialog | None = None
        self._trashed: TrashedScript | None = None
        self._pending_drafts: list[Draft] = []
        #: The text last sent to the player, so exact lengths are shown only for that text.
        self._played_text: str | None = None
        #: When the first edit not yet in the draft store was made (monotonic seconds), or None.
        self._unkept_since: float | None = None

        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("editorSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_list_pane())
        self.splitter.addWidget(self._build_document_pane())
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([260, 700])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        local_shortcut(QKeySequence.StandardKey.Save, self, self.save)

        self.editor.textChanged.connect(self._on_text_changed)
        # The document marks itself modified after it reports the edit: follow the flag itself too.
        self.editor.text_edit.document().modificationChanged.connect(
            lambda _modified: self._show_document_state()
        )
        self.editor.set_speaking_rate(int(store.get_setting("rate", DEFAULT_RATE_WPM)))
        self._fill_list()
        self._show_document_state()
        self._offer_drafts()

    # -- building -----------------------------------------------------------------------

    def _build_list_pane(self) -> QWidget:
        pane = QWidget()
        pane.setObjectName("scriptListPane")
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(20, 20, 10, 12)
        layout.setSpacing(10)
        heading = QLabel("Write")
        heading.setObjectName("pageHeading")
        layout.addWidget(heading)

        top = QHBoxLayout()
        top.setSpacing(8)
        self.new_button = button(
            "New",
            "New script",
            "Start a new script from a short example (Ctrl+N)",
            self.new_script,
            object_name="primaryButton",
        )
        self.import_button = button(
            "Import…",
            "Import scripts",
            "Add .md or .txt files to your scripts (or drop them here)",
            self.import_files,
        )
        top.addWidget(self.new_button)
        top.addWidget(self.import_button)
        top.addStretch(1)
        layout.addLayout(top)
        local_shortcut(QKeySequence.StandardKey.New, self, self.new_script)

        self.script_list = labelled(
            QListWidget(),
            "Scripts",
            "Your scripts, and the bundled ones to read or copy; select one to open it",
        )
        self.script_list.setObjectName("scriptList")
        self.script_list.setWordWrap(True)
        self.script_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.script_list.currentItemChanged.connect(self._on_list_choice)
        layout.addWidget(self.script_list, 1)

        bottom = QHBoxLayout()
        bottom.setSpacing(8)
        self.rename_button = button(
            "Rename…", "Rename script", "Give the open script's file a new name", self.rename
        )
        self.delete_button = button(
            "Delete", "Delete script", "Move the open script to the trash (you can undo it)", self.delete
        )
        self.export_button = button(
            "Export…",
            "Export script",
            "Save a copy of the open script as a file wherever you like",
            self.export,
        )
        bottom.addWidget(self.rename_button)
        bottom.addWidget(self.delete_button)
        bottom.addWidget(self.export_button)
        bottom.addStretch(1)
        layout.addLayout(bottom)

        self.undo_bar = NoticeBar("Undo delete")
        self.undo_button = self.undo_bar.add_button("Undo", "Undo delete", "Bring the deleted script back")
        self.undo_button.clicked.connect(self.undo_delete)
        layout.addWidget(self.undo_bar)
        return pane

    def _build_document_pane(self) -> QWidget:
        pane = QWidget()
        pane.setObjectName("documentPane")
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(12, 20, 20, 12)
        layout.setSpacing(10)

        self.draft_bar = NoticeBar("Unsaved text from last time")
        self.restore_button = self.draft_bar.add_button(
            "Restore", "Restore the unsaved text", "Open the script with the text you had not saved"
        )
        self.discard_draft_button = self.draft_bar.add_button(
            "Discard", "Discard the unsaved text", "Forget the unsaved text; the saved script stays as it is"
        )
        self.restore_button.clicked.connect(self.restore_draft)
        self.discard_draft_button.clicked.connect(self.discard_draft)
        layout.addWidget(self.draft_bar)

        self.message_bar = NoticeBar("Message")
        self.message_bar.setObjectName("errorLabel")
        close = self.message_bar.add_button("✕", "Close the message", "Close this message")
        close.setFlat(True)
        close.clicked.connect(self.message_bar.hide)
        layout.addWidget(self.message_bar)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_placeholder())
        self.stack.addWidget(self._build_document())
        layout.addWidget(self.stack, 1)
        return pane

    def _build_placeholder(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
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
        start = button("New script", "New script", "Start a new script from a short example", self.new_script)
        guide = button(
            "Read the writing guide", "Writing guide", "How scripts are written: pauses, bells, sections",
            self.show_writing_guide,
        )
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addSpacing(8)
        layout.addWidget(start, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(guide, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        return page

    def show_writing_guide(self) -> None:
        """The guide beside the editor, not modal: one can read it and type at the same time."""
        if self.guide_dialog is None:
            self.guide_dialog = writing_guide_dialog(self)
        self.guide_dialog.show()
        self.guide_dialog.raise_()

    def _build_document(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        # The file's name and state, then Save; a long name is cut off rather than widening the window.
        title_row = QHBoxLayout()
        title_row.setSpacing(12)
        self.doc_title = QLabel()
        self.doc_title.setObjectName("listenHeading")
        self.doc_title.setTextFormat(Qt.TextFormat.PlainText)
        self.doc_title.setMinimumWidth(1)
        self.doc_state = QLabel()
        self.doc_state.setObjectName("pageSubtitle")
        self.doc_state.setTextFormat(Qt.TextFormat.PlainText)
        self.doc_state.setMinimumWidth(1)
        self.save_button = button(
            "Save", "Save", "Save the script (Ctrl+S)", self.save, object_name="primaryButton"
        )
        title_row.addWidget(self.doc_title)
        title_row.addWidget(self.doc_state, 0, Qt.AlignmentFlag.AlignBaseline)
        title_row.addStretch(1)
        title_row.addWidget(self.save_button)
        layout.addLayout(title_row)

        # What the cursor is on: hear it, or play the session from its section.
        listen_row = QHBoxLayout()
        listen_row.setSpacing(8)
        self.hear_button = button(
            "Hear this paragraph",
            "Hear this paragraph",
            "Hear the paragraph under the cursor in your chosen voice (Ctrl+Shift+H)",
            self.hear_paragraph,
        )
        self.play_here_button = button(
            "Play from here",
            "Play from here",
            "Play the session from the section the cursor is in, as the text is now (Ctrl+Shift+Return)",
            self.play_from_here,
        )
        self.guide_button = button(
            "Writing guide", "Writing guide", "How scripts are written: pauses, bells, sections (F1)",
            self.show_writing_guide,
        )
        listen_row.addWidget(self.hear_button)
        listen_row.addWidget(self.play_here_button)
        listen_row.addStretch(1)
        listen_row.addWidget(self.guide_button)
        layout.addLayout(listen_row)
        local_shortcut("F1", self, self.show_writing_guide)
        local_shortcut("Ctrl+Shift+H", self, self.hear_paragraph)
        local_shortcut("Ctrl+Shift+Return", self, self.play_from_here)

        self.read_only_bar = NoticeBar("Bundled meditation")
        self.read_only_bar.label.setText(
            "This meditation comes with Kindred and stays as it is. Make a copy to change it."
        )
        self.copy_button = self.read_only_bar.add_button(
            "Make a copy to edit",
            "Make a copy to edit",
            "Copy this meditation into your scripts and open the copy",
        )
        self.copy_button.clicked.connect(lambda: self.make_copy(self.path) if self.path else None)
        layout.addWidget(self.read_only_bar)

        self.editor = ScriptEditor()
        layout.addWidget(self.editor, 1)
        return page

    # -- the list -------------------------------------------------------------------------

    def _fill_list(self) -> None:
        """Your scripts first (title, then the file name), then the bundled ones to read or copy."""
        with QSignalBlocker(self.script_list):
            self.script_list.clear()
            user = [entry for entry in self.entries if entry.origin == "user"]
            bundled = [entry for entry in self.entries if entry.origin == "bundled"]
            self._add_heading("Your scripts")
            if not user:
                self._add_heading("None yet: press New", muted=True)
            for entry in user:
                text = f"{entry.title}\n{entry.path.name}"
                if entry.script is None:
                    text += "  ·  has errors"
                self._add_row(text, entry.path)
            if bundled:
                self._add_heading("Bundled with Kindred")
            for entry in bundled:
                self._add_row(entry.title, entry.path)
            self._select_open_path()

    def _add_heading(self, text: str, muted: bool = False) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        font = item.font()
        font.setBold(not muted)
        font.setItalic(muted)
        item.setFont(font)
        self.script_list.addItem(item)

    def _add_row(self, text: str, path: Path) -> None:
        item = QListWidgetItem(text)
        item.setData(_PATH_ROLE, str(path))
        item.setToolTip(str(path))
        self.script_list.addItem(item)

    def _select_open_path(self) -> None:
        with QSignalBlocker(self.script_list):
            self.script_list.setCurrentRow(-1)
            if self.path is None:
                return
            wanted = _key(self.path)
            for row in range(self.script_list.count()):
                data = self.script_list.item(row).data(_PATH_ROLE)
                if data and _key(Path(data)) == wanted:
                    self.script_list.setCurrentRow(row)
                    return

    def shown_paths(self) -> list[Path]:
        """Every script the list offers, in order (user scripts first)."""
        return [
            Path(self.script_list.item(row).data(_PATH_ROLE))
            for row in range(self.script_list.count())
            if self.script_list.item(row).data(_PATH_ROLE)
        ]

    def _on_list_choice(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        data = current.data(_PATH_ROLE) if current is not None else None
        if not data or (self.path is not None and _key(Path(data)) == _key(self.path)):
            return
        # Deferred: a modal question inside the list's own signal would fight its selection.
        QTimer.singleShot(0, lambda: self._open_chosen(Path(data)))

    def _open_chosen(self, path: Path) -> None:
        if not self.open_path(path):
            self._select_open_path()  # cancelled: the list shows what is still open

    # -- the catalogue ---------------------------------------------------------------------

    def _changed(self, added: Path | list[Path] | None = None, removed: Path | None = None) -> None:
        """Update the files that changed in the catalogue (not a reload of a thousand); tell the window."""
        new = [added] if isinstance(added, Path) else list(added or [])
        gone = {_key(path) for path in [*new, *([removed] if removed is not None else [])]}
        self.entries = [entry for entry in self.entries if _key(entry.path) not in gone]
        self.entries.extend(load_entry(path, "user") for path in new)  # read as the catalogue reads it
        self.entries = _sorted_catalogue(self.entries)
        self._fill_list()
        self.catalogueChanged.emit(list(self.entries))

    # -- opening and leaving ---------------------------------------------------------------

    def open_path(self, path: Path) -> bool:
        """Open a script: a user's own to edit, any other read-only. False when cancelled or refused."""
        if self.path is not None and _key(path) == _key(self.path):
            return True
        if not self.maybe_leave():
            return False
        try:
            text = self.library.read_import(path)
        except KindredError as error:
            self.show_message(error.title, error.explanation)
            return False
        self._load(path, text, read_only=not self.library.is_user_script(path))
        return True

    def _load(self, path: Path, text: str, read_only: bool) -> None:
        self._forget_unkept()
        self.message_bar.hide()  # a message about the script left behind
        self.path = path
        self.read_only = read_only
        self.editor.set_text(text)
        self.editor.set_read_only(read_only)
        self.stack.setCurrentIndex(1)
        self._select_open_path()
        self._show_document_state()

    def close_document(self) -> None:
        """Close the open script without asking (the caller has asked or saved)."""
        self._forget_unkept()
        self.path = None
        self.read_only = False
        self.editor.set_text("")
        self.stack.setCurrentIndex(0)
        self._select_open_path()
        self._show_document_state()

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
            self._forget_unkept()
            self.drafts.discard(draft_key(self.path))
            self.editor.set_modified(False)
            return True
        return False

    def _show_document_state(self) -> None:
        is_open = self.path is not None
        user = is_open and not self.read_only
        self.rename_button.setEnabled(user)
        self.delete_button.setEnabled(user)
        self.export_button.setEnabled(is_open)
        self.read_only_bar.setVisible(is_open and self.read_only)
        if not is_open:
            return
        assert self.path is not None
        self.doc_title.setText(self.path.name)
        modified = self.editor.is_modified() and not self.read_only
        if self.read_only:
            state = "bundled with Kindred, read-only"
        else:
            state = "unsaved changes" if modified else "saved"
        self.doc_state.setText(state)
        self.save_button.setEnabled(user)
        self.save_button.setVisible(not self.read_only)

    def _on_text_changed(self) -> None:
        # Not is_modified(): on the first edit the document has not yet marked itself modified.
        # save_draft checks again when the timer fires.
        if self.path is None or self.read_only:
            return
        now = time.monotonic()
        if self._unkept_since is None:
            self._unkept_since = now
        if now - self._unkept_since >= DRAFT_MAX_AGE_S:
            self.save_draft()  # a long unbroken stretch of typing is kept too
        else:
            self._draft_timer.start()

    # -- saving ----------------------------------------------------------------------------

    def save(self) -> bool:
        """Write the text to its file (atomically); the Library shows the change at once."""
        if self.path is None or self.read_only:
            return False
        try:
            self.library.save(self.path, self.editor.text())
        except KindredError as error:
            self.show_message(error.title, error.explanation)
            return False
        self._forget_unkept()
        self.drafts.discard(draft_key(self.path))
        self.editor.set_modified(False)
        self._show_document_state()
        problems = len(self.editor.check_now())
        if problems:
            self.show_message(
                "Saved, with problems to fix",
                f"The script is saved; Kindred can play it once {_problems(problems)} below "
                f"{'are' if problems != 1 else 'is'} fixed.",
            )
        else:
            self.message_bar.hide()
        self._changed(added=self.path)
        return True

    # -- drafts ----------------------------------------------------------------------------

    def _forget_unkept(self) -> None:
        """No draft is due: the text was saved, kept as a draft, discarded or closed."""
        self._draft_timer.stop()
        self._unkept_since = None

    def save_draft(self) -> None:
        """Unsaved text to the draft store now (the timer calls this after typing stops)."""
        self._forget_unkept()
        if self.path is None or self.read_only:
            return
        key = draft_key(self.path)
        if not self.editor.is_modified():
            self.drafts.discard(key)  # undone back to the saved text: nothing left to keep
            return
        try:
            self.drafts.save(key, self.path, self.editor.text())
        except OSError as error:
            self.show_message(
                "Unsaved text could not be kept",
                f"Writing a safety copy failed ({error.strerror}). Save the script to keep your changes.",
            )
            return
        self.draftSaved.emit(key)

    def _offer_drafts(self) -> None:
        """Drafts left by a previous run (closed or killed), offered back one at a time."""
        pending = []
        for draft in self.drafts.drafts():
            if draft.path is not None and draft.path.is_file():
                with contextlib.suppress(OSError, UnicodeDecodeError):
                    if draft.path.read_text("utf-8").removeprefix("\ufeff") == draft.text:
                        self.drafts.discard(draft.key)  # saved after all: nothing to offer
                        continue
            pending.append(draft)
        self._pending_drafts = pending
        self._show_next_draft()

    def _show_next_draft(self) -> None:
        if not self._pending_drafts:
            self.draft_bar.hide()
            return
        draft = self._pending_drafts[0]
        name = draft.path.name if draft.path is not None else "a new script"
        when = draft.saved_at.astimezone().strftime("%d %b %H:%M")
        more = len(self._pending_drafts) - 1
        self.draft_bar.label.setText(
            f"Kindred kept changes to “{name}” that were not saved ({when})."
            + (f" {more} more after this one." if more else "")
        )
        self.draft_bar.show()

    def pending_drafts(self) -> list[Draft]:
        return list(self._pending_drafts)

    def restore_draft(self) -> bool:
        """Open the first offered draft's script with the unsaved text in it, still unsaved."""
        if not self._pending_drafts or not self.maybe_leave():
            return False
        draft = self._pending_drafts.pop(0)
        path = draft.path
        if path is None or not path.is_file() or not self.library.is_user_script(path):
            # Its file is gone (deleted, or never saved): the text gets a new file of its own.
            self.drafts.discard(draft.key)
            path = self.library.new_script("Restored draft")
            self._changed(added=path)
        try:
            saved_text = self.library.read_import(path)
        except KindredError:
            saved_text = ""
        self._load(path, saved_text, read_only=False)
        # Put in as an edit, not loaded: the text is unsaved, and Undo goes back to the saved one.
        cursor = QTextCursor(self.editor.text_edit.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(draft.text)
        self.editor.set_modified(True)
        self.editor.check_now()
        self._show_document_state()
        self.save_draft()
        self._show_next_draft()
        return True

    def discard_draft(self) -> None:
        if self._pending_drafts:
            self.drafts.discard(self._pending_drafts.pop(0).key)
        self._show_next_draft()

    # -- new, copy, rename, delete ----------------------------------------------------------

    def new_script(self) -> Path | None:
        """A new script from the template, at a safe name made from the title asked for."""
        title = self.dialogs.ask_title()
        if title is None or not self.maybe_leave():
            return None
        try:
            path = self.library.new_script(title)
        except KindredError as error:
            self.show_message(error.title, error.explanation)
            return None
        self._changed(added=path)
        self._open_created(path)
        return path

    def make_copy(self, source: Path) -> Path | None:
        """A bundled (or any) script copied into the user's scripts and opened to edit."""
        if not self.maybe_leave():
            return None
        try:
            path = self.library.copy_of(source)
        except KindredError as error:
            self.show_message(error.title, error.explanation)
            return None
        self._changed(added=path)
        self._open_created(path)
        return path

    def _open_created(self, path: Path) -> None:
        try:
            text = self.library.read_import(path)
        except KindredError as error:
            self.show_message(error.title, error.explanation)
            return
        self._load(path, text, read_only=False)
        self.editor.text_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def rename(self) -> Path | None:
        if self.path is None or self.read_only:
            return None
        new_name = self.dialogs.ask_new_name(self.path.stem)
        if new_name is None or not new_name.strip():
            return None
        old = self.path
        try:
            path = self.library.rename(old, new_name)
        except NameClash as clash:
            self.show_message(
                "That name is taken",
                f"Your scripts already include “{clash.existing.name}”. Choose another name.",
            )
            return None
        except KindredError as error:
            self.show_message(error.title, error.explanation)
            return None
        self.path = path
        self.store.rename_script(old.stem, path.stem)  # slugs name favourites, positions, listens
        self.message_bar.hide()
        if self.editor.is_modified():
            # The unsaved text follows the file to its new name.
            self.drafts.discard(draft_key(old))
            self.save_draft()
        self._changed(added=path, removed=old)
        self._show_document_state()
        return path

    def delete(self) -> TrashedScript | None:
        """Move the open script to the trash; the undo bar brings it back."""
        if self.path is None or self.read_only:
            return None
        path = self.path
        try:
            item = self.library.delete(path)
        except KindredError as error:
            self.show_message(error.title, error.explanation)
            return None
        # Unsaved changes go with it: its draft stays until the next start, so Undo can bring them too.
        if self.editor.is_modified():
            self.save_draft()
        self.close_document()
        self.message_bar.hide()
        self._trashed = item
        self.undo_bar.label.setText(f"“{path.name}” moved to the trash.")
        self.undo_bar.show()
        self._changed(removed=path)
        return item

    def undo_delete(self) -> Path | None:
        item, self._trashed = self._trashed, None
        self.undo_bar.hide()
        if item is None:
            return None
        try:
            path = self.library.restore(item)
        except KindredError as error:
            self.show_message(error.title, error.explanation)
            return None
        self._changed(added=path)
        draft = self.drafts.get(draft_key(item.original))
        if draft is not None and _key(path) == _key(item.original):
            self._pending_drafts.insert(0, draft)
            self.restore_draft()
        else:
            self.open_path(path)
        return path

    # -- import and export -----------------------------------------------------------------

    def import_files(self) -> list[Path]:
        return self.import_paths(self.dialogs.choose_import_files())

    def import_paths(self, sources: list[Path]) -> list[Path]:
        """Import files into the user's scripts: safe names, never an overwrite without asking."""
        imported: list[Path] = []
        refused: list[KindredError] = []
        for source in sources:
            try:
                imported.append(self.library.import_file(source))
            except NameClash as clash:
                choice = self.dialogs.ask_clash(clash.existing.name)
                if choice not in ("replace", "keep_both"):
                    continue
                if choice == "replace" and self.path is not None and _key(self.path) == _key(clash.existing):
                    if not self.maybe_leave():
                        continue
                    self.close_document()
                try:
                    imported.append(self.library.import_file(source, on_clash=choice))
                except KindredError as error:
                    refused.append(error)
            except KindredError as error:
                refused.append(error)
        if imported:
            self._changed(added=imported)
        if imported and self.maybe_leave():
            self._open_created(imported[-1])
        if len(refused) == 1:
            self.show_message(refused[0].title, refused[0].explanation)  # the explanation names the file
        elif refused:
            lines = [f"{error.title}: {error.explanation}" for error in refused]
            self.show_message(f"{len(refused)} files were not imported", "\n" + "\n".join(lines))
        return imported

    def export(self) -> Path | None:
        """A copy of the open script as a file where the user chooses; asks before replacing one."""
        if self.path is None:
            return None
        if self.is_modified() and not self.save():
            return None
        target = self.dialogs.choose_export_file(paths.music_dir() / self.path.name)
        if target is None:
            return None
        if target.suffix.lower() not in IMPORT_SUFFIXES:
            target = target.with_name(target.name + ".md")
        try:
            try:
                self.library.export_script(self.path, target)
            except NameClash:
                if not self.dialogs.ask_overwrite(target):
                    return None
                self.library.export_script(self.path, target, overwrite=True)
        except KindredError as error:
            self.show_message(error.title, error.explanation)
            return None
        self.show_message("Exported", f"A copy of the script is at {target}.")
        return target

    # -- hearing and playing ---------------------------------------------------------------

    def hear_paragraph(self) -> StreamingSession | None:
        """Speak the paragraph under the cursor with the voice and rate chosen in Settings."""
        if self.path is None:
            return None
        text = self.editor.paragraph_at_cursor()
        if not text:
            self.show_message(
                "Nothing to hear here", "Put the cursor in a paragraph of spoken text, then try again."
            )
            return None
        script = paragraph_script("Hear this paragraph", "One paragraph of a script.", text)
        voice = self.store.get_setting("voice")
        rate = int(self.store.get_setting("rate", DEFAULT_RATE_WPM))
        try:
            session = StreamingSession(
                script, self.engine, length=None, voice=voice, rate=rate, cache_root=paths.cache_dir()
            )
        except KindredError as error:
            self.show_message(error.title, error.explanation)
            return None
        self.heard = session
        self.hearingStarted.emit()
        self.player.load(session)
        return session

    def play_from_here(self) -> bool:
        """The text as it is now (saved or not) played from the start of the cursor's section."""
        if self.path is None:
            return False
        errors = self.editor.check_now()
        script = self.editor.current_script()
        if script is None:
            count = len(errors)
            self.show_message(
                "Fix the problems first",
                f"Kindred can play the script once {_problems(count)} below the text "
                f"{'are' if count != 1 else 'is'} fixed.",
            )
            return False
        self.message_bar.hide()
        self._played_text = self.editor.text()
        self.playRequested.emit(
            self.path.stem, script, script.default_length, self.editor.section_index_at_cursor()
        )
        return True

    def show_rendered(self, timeline: dict) -> None:
        """The figures of the session playing from this text, while the text is unchanged; they
        settle as the voice speaks (each sentence's real length replaces its estimate)."""
        if self.path is None or self._played_text != self.editor.text():
            return
        length, natural = float(timeline["length"]), float(timeline.get("natural_length", timeline["length"]))
        text = f"Plays for {clock_tenths(length)}"
        if abs(natural - length) >= 0.05:
            text += f" · shortest {clock_tenths(natural)}"
        self.editor.set_exact_lengths(text)

    # -- messages --------------------------------------------------------------------------

    def show_message(self, title: str, explanation: str) -> None:
        lead = title if title.endswith((".", "!", "?")) else f"{title}."
        self.message_bar.label.setText(f"{lead} {explanation}")
        self.message_bar.show()

    def message_text(self) -> str:
        """The message shown, or "" when none is."""
        return self.message_bar.label.text() if not self.message_bar.isHidden() else ""
