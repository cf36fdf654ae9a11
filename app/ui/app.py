"""Starting the window: `kindred` with no arguments, or `python -m app`."""

from __future__ import annotations

import gc
import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app import paths
from app.errors import KindredError
from app.history import Store
from app.leftovers import remove_leftovers
from app.library import load_catalogue
from app.render.cache_limit import LIMIT_SETTING, limit_bytes, trim_soon
from app.tts import create_engine
from app.tts.voice_import import empty_trash
from app.ui.main_window import MainWindow, app_icon
from app.ui.theme import apply_theme


def run(argv: list[str] | None = None) -> int:
    app = QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("Kindred")
    app.setDesktopFileName(paths.APP_ID)  # the .desktop file install-desktop writes
    app.setWindowIcon(app_icon())
    try:
        store = Store(paths.database_path())
    except KindredError as error:
        QMessageBox.critical(None, error.title, error.explanation)
        return 1
    apply_theme(app, str(store.get_setting("theme", "system")))
    recovered = store.recovery_message()
    if recovered is not None:
        QMessageBox.information(
            None, "Your history was damaged", f"{recovered} Your scripts and sessions are not affected."
        )
    # Voices removed in Settings last time (kept then for Undo) go for good now, and so does what
    # a Kindred killed mid-work left behind (only what no running Kindred is still writing).
    empty_trash()
    remove_leftovers()
    trim_soon(paths.cache_dir(), limit_bytes(store.get_setting(LIMIT_SETTING)))
    # The voice starts on a thread as the window opens (MainWindow), so the window appears at once.
    engine = create_engine()
    window = MainWindow(store, load_catalogue(), engine)
    window.show()
    # What exists now lives as long as the window: out of the garbage collector's full passes,
    # which otherwise hold every thread (the sound's too) for ~40 ms or more each time.
    gc.freeze()
    _quit_on_termination(window)
    try:
        return app.exec()
    finally:
        engine.close()
        store.close()


def _quit_on_termination(window: MainWindow) -> None:
    """SIGTERM (logout, `kill`) and SIGINT (Ctrl+C) end Kindred as Quit does, listen saved."""

    def request_quit(signum: int, frame: object) -> None:
        QTimer.singleShot(0, window.quit_without_questions)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, request_quit)
    # Python runs a signal handler only when the interpreter gets control; inside Qt's event loop
    # that is when a Python slot runs, so a light timer hands it control a few times a second.
    heartbeat = QTimer(window)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(250)
