"""Starting the window: `kindred` with no arguments, or `python -m app`."""

from __future__ import annotations

import gc
import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app import paths, settings
from app.errors import KindredError
from app.history import Store
from app.leftovers import remove_leftovers
from app.library import load_catalogue
from app.render.cache_limit import trim_soon
from app.render.sound_import import empty_trash as empty_sound_trash
from app.settings import Settings
from app.tts import create_engine
from app.tts.voice_import import empty_trash
from app.ui.main_window import MainWindow, app_icon
from app.ui.services.single_instance import Reached, become_the_instance
from app.ui.theme import apply_theme
from app.ui.window_requests import answer_request


def run(argv: list[str] | None = None, asked: Reached | None = None, in_tray: bool = False) -> int:
    """`asked`: what single_instance.raise_open_window found, when the caller asked already."""
    app = QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("Kindred")
    app.setDesktopFileName(paths.APP_ID)  # the .desktop file install-desktop writes
    app.setWindowIcon(app_icon())
    # Before the database is opened: a second start of this home hands over to the open window.
    instance = become_the_instance(app, asked)
    if instance is None:
        return 0
    try:
        store = Store(paths.database_path())
    except KindredError as error:
        QMessageBox.critical(None, error.title, error.explanation)
        return 1
    apply_theme(app, Settings(store).get(settings.THEME))
    recovered = store.recovery_message()
    if recovered is not None:
        QMessageBox.information(
            None, "Your history was damaged", f"{recovered} Your scripts and sessions are not affected."
        )
    # Voices and sounds removed in Settings last time (kept then for Undo) go for good now, and so
    # does what a Kindred killed mid-work left behind (only what no running Kindred is still writing).
    empty_trash()
    empty_sound_trash()
    remove_leftovers()
    trim_soon(Settings(store).get(settings.CACHE_LIMIT_GB))
    # The voice starts on a thread as the window opens (MainWindow), so the window appears at once.
    engine = create_engine()
    window = MainWindow(store, load_catalogue(), engine)
    instance.serve(lambda request: answer_request(window, request))
    # Started at login (`--tray`): only the tray icon, unless there is no tray to come back from.
    if not (in_tray and window.tray is not None):
        window.show()
    # What exists now lives as long as the window: out of the garbage collector's full passes,
    # which otherwise hold every thread (the sound's too) for ~40 ms or more each time.
    gc.freeze()
    _quit_on_termination(window)
    try:
        return app.exec()
    finally:
        instance.close()
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
