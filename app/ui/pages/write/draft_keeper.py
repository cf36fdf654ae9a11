"""Unsaved text kept safe: written to the DraftStore as one types, offered back after a crash.

Unsaved text goes to the draft store about a second after typing stops (DRAFT_DELAY_MS), and
at least every DRAFT_MAX_AGE_S while typing goes on without a pause, so even a killed process
loses little. Drafts a previous run left behind (closed or killed) are offered back one at a
time in the page's draft bar: Restore opens the script with the text in it, still unsaved.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor

from app.errors import KindredError
from app.library.drafts import Draft, DraftStore, draft_key

if TYPE_CHECKING:
    from app.ui.pages.write.page import EditorPage

#: Unsaved text goes to the draft store this long after the last keystroke...
DRAFT_DELAY_MS = 1000
#: ...and at least this often while typing goes on without a pause.
DRAFT_MAX_AGE_S = 10.0


def drafts_left_over(store: DraftStore) -> list[Draft]:
    """The drafts worth offering back; one whose file holds its text was saved after all, and goes."""
    pending = []
    for draft in store.drafts():
        if draft.path is not None and draft.path.is_file():
            with contextlib.suppress(OSError, UnicodeDecodeError):
                if draft.path.read_text("utf-8").removeprefix("\ufeff") == draft.text:
                    store.discard(draft.key)  # saved after all: nothing to offer
                    continue
        pending.append(draft)
    return pending


class DraftKeeper:
    """The open script's unsaved text to disk on time, and the drafts of last time on offer."""

    def __init__(self, page: EditorPage):
        self.page = page
        self._pending: list[Draft] = []
        #: When the first edit not yet in the draft store was made (monotonic seconds), or None.
        self._unkept_since: float | None = None
        self._timer = QTimer(page)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DRAFT_DELAY_MS)
        self._timer.timeout.connect(self.save_draft)

    # -- keeping the open script's text ----------------------------------------------------

    def note_edit(self) -> None:
        """The text changed: keep it after a pause, or now when typing has gone on a long while."""
        # Not is_modified(): on the first edit the document has not yet marked itself modified.
        # save_draft checks again when the timer fires.
        if self.page.path is None or self.page.read_only:
            return
        now = time.monotonic()
        if self._unkept_since is None:
            self._unkept_since = now
        if now - self._unkept_since >= DRAFT_MAX_AGE_S:
            self.save_draft()  # a long unbroken stretch of typing is kept too
        else:
            self._timer.start()

    def forget_unkept(self) -> None:
        """No draft is due: the text was saved, kept as a draft, discarded or closed."""
        self._timer.stop()
        self._unkept_since = None

    def save_draft(self) -> None:
        """Unsaved text to the draft store now (the timer calls this after typing stops)."""
        self.forget_unkept()
        page = self.page
        if page.path is None or page.read_only:
            return
        key = draft_key(page.path)
        if not page.editor.is_modified():
            page.drafts.discard(key)  # undone back to the saved text: nothing left to keep
            return
        try:
            page.drafts.save(key, page.path, page.editor.text())
        except OSError as error:
            page.show_message(
                "Unsaved text could not be kept",
                f"Writing a safety copy failed ({error.strerror}). Save the script to keep your changes.",
            )
            return
        page.draftSaved.emit(key)

    # -- offering drafts back --------------------------------------------------------------

    def offer_left_over(self) -> None:
        """Drafts left by a previous run (closed or killed), offered back one at a time."""
        self._pending = drafts_left_over(self.page.drafts)
        self._show_next()

    def offer_first(self, draft: Draft) -> None:
        """Put `draft` first in line (the draft of a script whose delete was undone)."""
        self._pending.insert(0, draft)

    def pending(self) -> list[Draft]:
        return list(self._pending)

    def restore(self) -> bool:
        """Open the first offered draft's script with the unsaved text in it, still unsaved."""
        page = self.page
        if not self._pending or not page.maybe_leave():
            return False
        draft = self._pending.pop(0)
        path = draft.path
        if path is None or not path.is_file() or not page.library.is_user_script(path):
            # Its file is gone (deleted, or never saved): the text gets a new file of its own.
            page.drafts.discard(draft.key)
            path = page.library.new_script("Restored draft")
            page.catalogue_changed(added=path)
        try:
            saved_text = page.library.read_import(path)
        except KindredError:
            saved_text = ""
        page.load(path, saved_text, read_only=False)
        # Put in as an edit, not loaded: the text is unsaved, and Undo goes back to the saved one.
        cursor = QTextCursor(page.editor.text_edit.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(draft.text)
        page.editor.set_modified(True)
        page.editor.check_now()
        page.show_document_state()
        self.save_draft()
        self._show_next()
        return True

    def discard(self) -> None:
        """Forget the first offered draft; its script stays as it was saved."""
        if self._pending:
            self.page.drafts.discard(self._pending.pop(0).key)
        self._show_next()

    def _show_next(self) -> None:
        bar = self.page.draft_bar
        if not self._pending:
            bar.hide()
            return
        draft = self._pending[0]
        name = draft.path.name if draft.path is not None else "a new script"
        when = draft.saved_at.astimezone().strftime("%d %b %H:%M")
        more = len(self._pending) - 1
        bar.label.setText(
            f"Kindred kept changes to “{name}” that were not saved ({when})."
            + (f" {more} more after this one." if more else "")
        )
        bar.show()
