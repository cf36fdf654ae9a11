"""The window: a calm sidebar, and the library, player, timer, writing and settings behind it.

This module puts the pages and the window's parts together and connects them. The parts:
main_window_sidebar (the page buttons), main_window_banner (the strip above the pages),
main_window_sessions (what Play, Start and "Play from here" open), main_window_voices (warming
the voice up, and the voice work Settings asks for), main_window_tray, main_window_input (keys
and dropped files) and main_window_geometry (the size kept between runs).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import paths, settings
from app.history import ListenLog, Store
from app.library import LibraryEntry
from app.library.drafts import DraftStore
from app.library.user_scripts import UserLibrary
from app.script import Script
from app.settings import Settings
from app.tts import SpeechEngine
from app.ui.dialogs.export import ExportDialog, open_export_dialog, retire_export_dialog
from app.ui.dialogs.note import NoteDialog
from app.ui.dialogs.reading import about_dialog
from app.ui.dialogs.settings import SettingsDialog
from app.ui.main_window_banner import Banner
from app.ui.main_window_geometry import (
    FIRST_SIZE,
    SCREEN_MARGIN,
    first_window_size,
    restore_layout,
    save_layout,
)
from app.ui.main_window_input import KeysAndDrops
from app.ui.main_window_sessions import SessionLauncher
from app.ui.main_window_sidebar import (
    HISTORY_PAGE,
    LIBRARY_PAGE,
    PAGES,
    PLAYER_PAGE,
    SIDEBAR_ORDER,
    WRITE_PAGE,
    Sidebar,
)
from app.ui.main_window_tray import TrayIcon, tray_icon
from app.ui.main_window_voices import PREVIEW_TEXT, WindowVoices, own_voice_ids
from app.ui.pages.history.page import HistoryView
from app.ui.pages.library.page import LibraryView
from app.ui.pages.player.page import PlayerView, preferred_ambience
from app.ui.pages.timer.page import TimerView
from app.ui.pages.write.page import EditorPage
from app.ui.services.inhibit import SleepInhibitor
from app.ui.services.mpris import publish_media_controls
from app.ui.services.reminder_notifier import DailyReminder
from app.ui.services.stream_player import StreamPlayer
from app.ui.theme import SystemSchemeFollower, apply_theme

# Names other modules and tests know from here, wherever they now live.
__all__ = [
    "FIRST_SIZE",
    "HISTORY_PAGE",
    "PAGES",
    "PREVIEW_TEXT",
    "SCREEN_MARGIN",
    "SIDEBAR_ORDER",
    "WRITE_PAGE",
    "MainWindow",
    "app_icon",
    "first_window_size",
]


def app_icon() -> QIcon:
    return QIcon(str(paths.app_icon_path()))


def _application() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication), "the window needs a QApplication"
    return app


class MainWindow(QMainWindow):
    """The pages in a stack beside the sidebar; closing it while a session plays keeps it in the tray."""

    def __init__(
        self,
        store: Store,
        entries: list[LibraryEntry],
        engine: SpeechEngine,
        *,
        user_library: UserLibrary | None = None,
        drafts: DraftStore | None = None,
    ):
        super().__init__()
        self.store = store
        self.engine = engine
        self.setWindowTitle("Kindred")
        self.setWindowIcon(app_icon())
        # "Follow system" follows a switch of the desktop's light/dark while Kindred runs.
        self.scheme_follower = SystemSchemeFollower(
            _application(), lambda: Settings(store).get(settings.THEME), self
        )
        self.player = StreamPlayer(self)
        self.preview_player = StreamPlayer(self)
        # The sound server's first stream in a process takes up to a second to start: now,
        # rather than after the first Play.
        self.player.prepare_output()
        self._quitting = False
        self._no_questions = False
        self.settings_dialog: SettingsDialog | None = None
        self.note_dialog: NoteDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self._build_pages(entries, user_library, drafts)
        self._build_layout()
        self.voices = WindowVoices(engine, store, self.player, self.preview_player, self.show_problem, self)
        self.sessions = SessionLauncher(
            self, store, self.player_view, self.editor_page, lambda: self.show_page(PLAYER_PAGE)
        )
        self._connect_pages()
        self.voices.warm_up()
        self._start_services()
        restore_layout(self.store, self, self._splitters())
        if not self.player.has_audio_device():
            self.banner.show_audio_device(True)
        if self.editor_page.pending_drafts():
            self.banner.offer_drafts(len(self.editor_page.pending_drafts()))
        # Files dropped anywhere on the window are imported (the filter sees drops on every child).
        self.setAcceptDrops(True)
        self.keys_and_drops = KeysAndDrops(self, self.player, self.import_dropped)
        _application().installEventFilter(self.keys_and_drops)

    # -- layout -------------------------------------------------------------------------

    def _build_pages(
        self, entries: list[LibraryEntry], user_library: UserLibrary | None, drafts: DraftStore | None
    ) -> None:
        store = self.store
        self.library = LibraryView(entries, store)
        # The window's own Ctrl+F works from every page; two shortcuts on one key would cancel out.
        self.library.search_shortcut.setEnabled(False)
        self.log = ListenLog(store)
        # Listens left open by an app that was killed end at their last checkpoint.
        self.log.close_abandoned()
        self.player_view = PlayerView(self.player, self.engine, store, log=self.log)
        self.timer_view = TimerView(store)
        self.history_view = HistoryView(self.log, store)
        self.editor_page = EditorPage(
            store, self.engine, self.preview_player, entries, library=user_library, drafts=drafts
        )
        self.pages = QStackedWidget()
        for page in (self.library, self.player_view, self.timer_view, self.history_view, self.editor_page):
            self.pages.addWidget(page)

    def _build_layout(self) -> None:
        """The sidebar on the left; the banner over the pages on the right."""
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.sidebar = Sidebar(self.open_settings, self.show_about)
        self.nav = self.sidebar.nav
        self.nav.idClicked.connect(self.show_page)
        self.settings_button = self.sidebar.settings_button
        self.about_button = self.sidebar.about_button
        row.addWidget(self.sidebar)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        self.banner = Banner()
        self.banner.writeRequested.connect(lambda: self.show_page(WRITE_PAGE))
        column.addWidget(self.banner)
        column.addWidget(self.pages, 1)
        row.addLayout(column, 1)
        self.setCentralWidget(central)

    def _connect_pages(self) -> None:
        self.library.playRequested.connect(self.play_entry)
        self.library.resumeRequested.connect(self.sessions.resume_entry)
        self.timer_view.startRequested.connect(self.sessions.start_timer)
        self.player_view.backRequested.connect(lambda: self.show_page(LIBRARY_PAGE))
        self.player_view.sessionCompleted.connect(lambda _title: self.library.refresh_continue())
        self.player_view.problem.connect(self.show_problem)
        assert self.player_view.recorder is not None
        self.player_view.recorder.listenFinished.connect(self._on_listen_finished)
        self.player.playingChanged.connect(self._on_playing_changed)
        self.player.noAudioDeviceChanged.connect(self.banner.show_audio_device)
        self.library.copyRequested.connect(
            lambda entry: self._write(lambda: self.editor_page.make_copy(entry.path))
        )
        self.library.editRequested.connect(
            lambda entry: self._write(lambda: self.editor_page.open_path(entry.path))
        )
        self.library.exportRequested.connect(self.export_entry)
        self.editor_page.catalogueChanged.connect(self.library.set_entries)
        self.editor_page.playRequested.connect(self.sessions.play_from_editor)
        self.editor_page.hearingStarted.connect(self.player.pause)
        self.player_view.timelineChanged.connect(self.sessions.follow_timeline)

    def _start_services(self) -> None:
        """The shortcut, the tray, and what the window does for the desktop while it is open."""
        search = QShortcut(QKeySequence.StandardKey.Find, self)
        search.activated.connect(self._focus_search)
        self.tray: TrayIcon | None = tray_icon(
            self, app_icon(), self.player.toggle, self.toggle_visible, self.quit
        )
        # While a session plays the computer neither suspends nor blanks; given back at pause, end, quit.
        self.sleep_inhibitor = SleepInhibitor(parent=self)
        self.player.playingChanged.connect(self.sleep_inhibitor.follow)
        # The daily reminder (Settings), checked while the window is open or in the tray.
        self.reminder = DailyReminder(self.store, self.log, self)
        self.reminder.openRequested.connect(self.open_on_session)
        self.reminder.start()
        # Media keys and the desktop's player controls (MPRIS); None without a session bus.
        self.media_controls = publish_media_controls(self, self.player, self.player_view, self.quit)

    def show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.sidebar.mark_page(index)
        if index == LIBRARY_PAGE:
            self.library.refresh_continue()
        elif index == HISTORY_PAGE:
            self.history_view.refresh()
        elif index == WRITE_PAGE:
            self.banner.drafts_seen()

    def _write(self, action: Callable[[], object]) -> None:
        """Go to the Write page, then do what the library asked there."""
        self.show_page(WRITE_PAGE)
        action()

    def _focus_search(self) -> None:
        self.show_page(LIBRARY_PAGE)
        self.library.focus_search()

    def show_problem(self, title: str, explanation: str) -> None:
        self.banner.show_problem(title, explanation)

    # -- playing ------------------------------------------------------------------------

    def play_entry(self, entry: LibraryEntry, length: float | None) -> None:
        self.sessions.play_entry(entry, length)

    def play_from_command_line(self, key: str, script: Script, length: float | None, ambience: str) -> None:
        """`kindred play` while the window is open: from the start (as in the terminal), in front."""
        self.sessions.play_script(key, script, length, ambience)
        self.bring_to_front()

    def export_entry(self, entry: LibraryEntry, length: float | None) -> ExportDialog | None:
        """The library's Export…: the background sound a session of it would start with."""
        if entry.script is None:
            return None
        retire_export_dialog(self.export_dialog)
        self.export_dialog = open_export_dialog(
            self, self.store, self.engine, entry.script, length, preferred_ambience(self.store, entry.script)
        )
        return self.export_dialog

    def open_on_session(self, slug: str | None) -> None:
        """The reminder was answered: the window, in front, on the last session played (if any)."""
        self.show_page(LIBRARY_PAGE)
        if slug is not None:
            self.library.show_slug(slug)
        self.bring_to_front()

    def _on_playing_changed(self, playing: bool) -> None:
        now = self.player_view.now
        self.library.set_playing(now.key if playing and now is not None else None)
        if self.tray is not None:
            self.tray.follow_playing(playing)

    def import_dropped(self, sources: list[Path]) -> None:
        self.show_page(WRITE_PAGE)
        self.editor_page.import_paths(sources)

    def _on_listen_finished(self, listen_id: int, completed: bool) -> None:
        self.history_view.refresh()
        if completed:
            # Non-modal: the reflection is an offer, never in the way.
            self.note_dialog = NoteDialog(self.log, listen_id, self)
            self.note_dialog.noteSaved.connect(lambda _id: self.history_view.refresh())
            self.note_dialog.open()

    # -- settings and about -------------------------------------------------------------

    def open_settings(self) -> None:
        voices, default = self.voices.offered()
        dialog = SettingsDialog(self.store, voices, default, self, own_voices=own_voice_ids())
        self.voices.serve(dialog)
        dialog.settingChanged.connect(self._on_setting_changed)
        dialog.soundsChanged.connect(self.refresh_ambience_choices)
        self.settings_dialog = dialog
        with self.sidebar.marking(self.settings_button, self.pages.currentIndex):
            dialog.exec()
        self.settings_dialog = None

    def _on_setting_changed(self, key: str, value: object) -> None:
        if key == settings.THEME.key:
            apply_theme(_application(), str(value))

    def refresh_ambience_choices(self) -> None:
        """A background sound was added or removed in Settings: the player and timer offer what is there."""
        self.player_view.refresh_ambience_choices()
        self.timer_view.refresh_ambience_choices()

    def show_about(self) -> None:
        with self.sidebar.marking(self.about_button, self.pages.currentIndex):
            about_dialog(self).exec()

    # -- showing, hiding and closing ------------------------------------------------------

    def toggle_visible(self) -> None:
        if self.isVisible():
            self.hide()
        else:
            self.showNormal()
            self.raise_()
            self.activateWindow()

    def bring_to_front(self) -> None:
        """Kindred started again: the window comes back from the tray or the taskbar, in front."""
        if self.isMinimized():
            # Only the minimized flag goes: a maximized window comes back maximized, not shrunk.
            self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()

    def quit_without_questions(self) -> None:
        """The system ends Kindred (logout, SIGTERM, Ctrl+C in its terminal): nobody is there to
        answer a question, so unsaved text goes to the drafts, offered back at the next start."""
        self.editor_page.save_draft()
        self._no_questions = True
        self.quit()

    def quit(self) -> None:
        self._quitting = True
        if self.close():
            QApplication.quit()
        else:
            self._quitting = False  # the writer chose to stay with unsaved text

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        save_layout(self.store, self, self._splitters())
        if not self._quitting and self.tray is not None and self.player.is_playing():
            # Closing while a session plays keeps it playing; the tray brings the window back.
            event.ignore()
            self.hide()
            self.tray.tell_still_playing_once(self.store)
            return
        if not self._no_questions and not self.editor_page.maybe_leave():
            event.ignore()  # Cancel: the unsaved script stays open
            return
        self._stop_everything()
        event.accept()

    def _stop_everything(self) -> None:
        """The window is going: the listen is kept, sound and services stop, exports end cleanly."""
        self.player_view.save_position()
        self.player_view.end_listen()
        self.player.close()
        self.sleep_inhibitor.release()
        self.reminder.stop()
        self.preview_player.close()
        # An export still running stops (leaving nothing behind) before the window goes.
        exports = [d for d in (self.export_dialog, self.player_view.export_dialog) if d is not None]
        for dialog in exports:
            dialog.cancel_export()
        for dialog in exports:
            dialog.wait(5000)

    def _splitters(self) -> dict[str, QSplitter]:
        """The panes whose shares are remembered, by name (see settings.splitter_state)."""
        return {
            "library": self.library.splitter,
            "player": self.player_view.splitter,
            "editor": self.editor_page.splitter,
        }
