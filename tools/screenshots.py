"""`make screenshots`: the real window under Xvfb, photographed on each screen.

Run through xvfb-run (the Makefile does): it opens Kindred with a private KINDRED_HOME,
walks to the library, the player mid-session with captions (and its export dialog), the
timer, the history (with its add-practice and edit dialogs), the settings and the Write page
(a script of one's own with a mistake in it, and a bundled one read-only), and saves one PNG
of each into docs/screenshots/ (or --out).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("KINDRED_HOME", tempfile.mkdtemp(prefix="kindred-shots-"))

from PySide6.QtCore import QDate, QTimer  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog  # noqa: E402

from app import paths  # noqa: E402
from app.history import Store  # noqa: E402
from app.library import load_catalogue  # noqa: E402
from app.tts import create_engine  # noqa: E402
from app.ui.dialogs.settings import SettingsDialog  # noqa: E402
from app.ui.main_window import WRITE_PAGE, MainWindow, app_icon  # noqa: E402
from app.ui.pages.player.page import PLAYING_PAGE  # noqa: E402
from app.ui.theme import apply_theme  # noqa: E402
from tests.pulse import private_pulse  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def wait(app: QApplication, seconds: float, until=None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if until is not None and until():
            return
        time.sleep(0.02)


def save(widget, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(OUT / f"{name}.png"))
    print(f"saved {OUT / name}.png")


class _Answers:
    """The Write page's questions answered without dialogs: the title of the new script, and
    "discard" for the unsaved mistake when the window closes."""

    def ask_title(self) -> str:
        return "Evening Kindness"

    def ask_unsaved(self, name: str) -> str:
        return "discard"


def write_with_a_problem(app: QApplication, window: MainWindow) -> None:
    """The Write page as an author sees it mid-edit: one of their scripts, one directive mistyped."""
    page = window.editor_page
    page.dialogs = _Answers()
    window.show_page(WRITE_PAGE)
    page.new_script()
    document = page.editor.text_edit.document()
    block = document.begin()
    while block.isValid() and block.text() != "[pause 3s]":
        block = block.next()
    block = block.next()
    while block.isValid() and block.text() != "[pause 3s]":
        block = block.next()
    # Typed over, as a hurried author would: "[pause 3s]" becomes "[paws 3s]".
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + 1)
    cursor.setPosition(block.position() + 6, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText("paws")
    page.editor.text_edit.setTextCursor(cursor)
    page.editor.text_edit.setFocus()
    wait(app, 1.5, until=lambda: bool(page.editor.errors()))
    wait(app, 0.5)


def main(argv: list[str] | None = None) -> int:
    global OUT
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--out", type=Path, default=OUT, help=f"folder for the PNGs (default: {OUT.relative_to(ROOT)})"
    )
    args = parser.parse_args(argv)
    # With --out elsewhere, a trial run leaves the pictures the documentation shows alone.
    OUT = args.out.resolve()
    # A real (silent) sound device, so the pictures show the app as on a desktop with speakers,
    # not its "No sound output found" banner. Set before Qt looks for audio devices.
    with private_pulse() as pulse:
        os.environ.update(pulse.client_env())
        return take_screenshots()


def take_screenshots() -> int:
    app = QApplication(sys.argv[:1])
    app.setWindowIcon(app_icon())
    store = Store(paths.database_path())
    apply_theme(app, os.environ.get("KINDRED_THEME", "light"))
    engine = create_engine()
    window = MainWindow(store, load_catalogue(), engine)
    window.resize(1180, 760)
    window.show()
    wait(app, 1.0)

    entries = [e for e in load_catalogue() if e.script is not None]
    choosing = next(e for e in entries if e.slug == "choosing-compassion")
    window.library.select_entry(choosing)
    wait(app, 0.5)
    save(window, "library")

    window.play_entry(choosing, 600.0)
    view = window.player_view
    wait(app, 60, until=lambda: view.pages.currentIndex() == PLAYING_PAGE and window.player.duration() > 0)
    # Mid-session: the second chapter, on a spoken sentence.
    # A long sentence of the second chapter, caught while it is spoken.
    cue = next(c for c in view._timeline.cues if c.section == 1 and c.end - c.start > 4)
    window.player.seek(round(cue.start * 1000) + 500)
    # The voice may still have to speak it: "preparing" until then.
    wait(app, 60, until=lambda: window.player.position() > cue.start * 1000 + 900)
    window.player.pause()
    wait(app, 0.5)
    save(window, "player")
    view.save_position()

    # Export from the player: this session, its length and background, as a file for a walk.
    export = view.open_export()
    assert export is not None
    # The folder as a reader would see it, not this run's private KINDRED_HOME.
    export.set_target(Path("~/Music/Kindred") / export.target().name)
    wait(app, 0.8)
    save(export, "export")
    export.reject()
    wait(app, 0.3)

    window.show_page(2)
    wait(app, 0.5)
    save(window, "timer")

    # The history of this run: the session just heard, ended as the listener leaves it.
    window.player_view.end_listen()
    window.show_page(3)
    wait(app, 0.8)
    history = window.history_view
    # A practice without the app, entered as a person would: the dialog, then the page with it.
    adding = history.add_practice()
    walked = date.today() - timedelta(days=2)
    adding.date.setDate(QDate(walked.year, walked.month, walked.day))
    adding.minutes.setValue(20)
    adding.note.setPlainText("A slow walk by the river, one breath for each step.")
    wait(app, 0.5)
    save(adding, "history-add")
    adding.save_button.click()
    wait(app, 0.5)
    history.select_listen(history.log.listens(limit=1)[0].id)
    editing = history.edit_selected()
    assert editing is not None
    wait(app, 0.5)
    save(editing, "history-edit")
    editing.reject()
    wait(app, 0.3)
    save(window, "history")

    voices = engine.voices()
    dialog = SettingsDialog(store, voices, engine.default_voice(), window)
    dialog.show()
    wait(app, 0.8)
    save(dialog, "settings")
    dialog.done(QDialog.DialogCode.Accepted)

    window.show_page(0)
    wait(app, 0.5)
    save(window, "library-continue")

    # A bundled meditation opened on the Write page: to read, hear, play, or copy, never changed.
    window.show_page(WRITE_PAGE)
    window.editor_page.open_path(choosing.path)
    wait(app, 0.5)
    save(window, "editor-bundled")
    write_with_a_problem(app, window)
    save(window, "editor")
    QTimer.singleShot(0, window.quit)
    window.quit()
    engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
