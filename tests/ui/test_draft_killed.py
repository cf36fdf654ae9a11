"""The issue's promise: unsaved text survives a `kill -9` and is offered back on the next start.

A child process runs the real MainWindow, opens one of the user's scripts on the Write page,
types into it without saving, and says so once the draft is on disk; the test then kills it
with SIGKILL (no chance to close anything) and starts a new window, which must offer the
draft back with exactly the text that was typed.
"""

import signal
import time

from app import paths
from app.history import Store
from app.library import load_catalogue
from app.library.drafts import draft_key
from app.library.user_scripts import UserLibrary
from app.script.template import template_text
from app.tts import FakeEngine
from app.ui.main_window import WRITE_PAGE, MainWindow
from tests.ui.child_app import child_app, kill_hard

#: Typed key by key; the last line comes as an input method commits it (QTest types ASCII only).
TYPED_KEYS = ["Let the day soften at its edges.", "[pause 5s]", "May we be gentle with each other."]
COMMITTED = "Café au lait, warm hands — rest."

CHILD = """
import sys
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from app import paths
from app.history import Store
from app.library import load_catalogue
from app.tts import FakeEngine
from app.ui.main_window import WRITE_PAGE, MainWindow

app = QApplication([])
store = Store(paths.database_path())
window = MainWindow(store, load_catalogue(), FakeEngine())
window.show()
window.show_page(WRITE_PAGE)
page = window.editor_page
assert page.open_path(Path(sys.argv[1]))
text = page.editor.text_edit
text.setFocus()
text.moveCursor(QTextCursor.MoveOperation.End)
page.draftSaved.connect(lambda key: print("DRAFT", key, flush=True))
for line in sys.argv[2].split("|"):
    QTest.keyClick(text, Qt.Key.Key_Return)
    QTest.keyClicks(text, line)
QTest.keyClick(text, Qt.Key.Key_Return)
text.insertPlainText(sys.argv[3])
print("TYPED", flush=True)
app.exec()
"""


def test_unsaved_text_survives_a_killed_window_and_is_offered_back(qtbot, kindred_home):
    path = UserLibrary().new_script("Evening Kindness")
    saved = path.read_bytes()
    lines = []
    with child_app(CHILD, str(path), "|".join(TYPED_KEYS), COMMITTED, home=kindred_home) as child:
        # A deadline only so a broken child cannot hang the suite; nothing is asserted about speed.
        deadline = time.monotonic() + 120
        for line in child.stdout:
            lines.append(line.strip())
            if line.startswith("DRAFT ") and "TYPED" in lines:
                break
            if time.monotonic() > deadline:
                break
        kill_hard(child, f": {lines}")
    assert child.returncode == -signal.SIGKILL
    assert lines[-1] == f"DRAFT {draft_key(path)}", lines
    assert path.read_bytes() == saved  # nothing was saved: only the draft holds the text

    expected = template_text("Evening Kindness") + "\n" + "\n".join(TYPED_KEYS) + "\n" + COMMITTED
    store = Store(paths.database_path())
    window = MainWindow(store, load_catalogue(), FakeEngine())
    qtbot.addWidget(window)
    page = window.editor_page
    try:
        window.show()
        [draft] = page.pending_drafts()
        assert draft.path == path and draft.text == expected
        # The window says so wherever it opens, and the Write page offers it.
        assert "not saved" in window.banner.text() and not window.banner.isHidden()
        window.show_page(WRITE_PAGE)
        assert not page.draft_bar.isHidden() and path.name in page.draft_bar.label.text()
        page.restore_button.click()
        assert page.path == path and page.editor.text() == expected
        assert page.editor.is_modified()
        assert path.read_bytes() == saved
    finally:
        page.dialogs = _DiscardOnClose()
        window.close()
        window.player.close()
        window.preview_player.close()
        store.close()


class _DiscardOnClose:
    """The question asked when the window closes with unsaved text, answered without a dialog."""

    def ask_unsaved(self, name: str) -> str:
        return "discard"
