"""`make screenshots`: the real window under Xvfb, photographed on each screen.

Run through xvfb-run (the Makefile does): it opens Kindred with a private KINDRED_HOME,
walks to the library, the player mid-session with captions, the timer and the settings,
and saves one PNG of each into docs/screenshots/.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("KINDRED_HOME", tempfile.mkdtemp(prefix="kindred-shots-"))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog  # noqa: E402

from app import paths  # noqa: E402
from app.history import Store  # noqa: E402
from app.library import load_catalogue  # noqa: E402
from app.tts import create_engine  # noqa: E402
from app.ui.main_window import MainWindow, app_icon  # noqa: E402
from app.ui.settings_dialog import SettingsDialog  # noqa: E402
from app.ui.theme import apply_theme  # noqa: E402

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


def main() -> int:
    app = QApplication(sys.argv)
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
    wait(app, 60, until=lambda: view.pages.currentIndex() == 1 and window.player.duration() > 0)
    # Mid-session: the second chapter, on a spoken sentence.
    # A long sentence of the second chapter, caught while it is spoken.
    cue = next(c for c in view._timeline["cues"] if c["section"] == 1 and c["end"] - c["start"] > 4)
    window.player.seek(round(cue["start"] * 1000) + 500)
    wait(app, 1.0)
    window.player.pause()
    wait(app, 0.5)
    save(window, "player")
    view.save_position()

    window.show_page(2)
    wait(app, 0.5)
    save(window, "timer")

    # The history of this run: the session just heard, ended as the listener leaves it.
    window.player_view.end_listen()
    window.show_page(3)
    wait(app, 0.8)
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
    QTimer.singleShot(0, window.quit)
    window.quit()
    engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
