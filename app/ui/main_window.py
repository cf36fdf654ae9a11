"""The window: a calm sidebar, and the library, player, timer, writing and settings behind it."""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, QSize, Qt, QThreadPool, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDropEvent, QIcon, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QSystemTrayIcon,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.errors import KindredError
from app.history import ListenLog, Store
from app.library import LibraryEntry
from app.library.drafts import DraftStore
from app.library.user_scripts import IMPORT_SUFFIXES, UserLibrary
from app.render.streaming import StreamingSession
from app.script import Script
from app.time_text import minutes_and_seconds
from app.tts import SpeechEngine, neural_voices
from app.tts.piper_voices import PiperVoiceFile, user_voices
from app.tts.voice_import import TrashedVoice, import_voice, remove_voice, restore_voice
from app.ui.dialogs.export import ExportDialog, open_export_dialog, retire_export_dialog
from app.ui.dialogs.note import NoteDialog
from app.ui.dialogs.reading import about_dialog
from app.ui.dialogs.settings import SettingsDialog
from app.ui.pages.history.page import HistoryView
from app.ui.pages.library.page import LibraryView
from app.ui.pages.player.page import PlayerView, preferred_ambience
from app.ui.pages.timer.page import TimerView
from app.ui.pages.write.page import EditorPage, paragraph_script
from app.ui.services.inhibit import SleepInhibitor
from app.ui.services.mpris import publish_media_controls
from app.ui.services.pool_task import CallTask
from app.ui.services.reminder_notifier import DailyReminder
from app.ui.services.stream_player import SKIP_MS, StreamPlayer
from app.ui.theme import SystemSchemeFollower, apply_theme
from app.ui.widgets.basics import button

PREVIEW_TEXT = "Hello. This is how I sound. Let us take a slow breath together."
#: The pages by their index in the window's stack; indexes never change (tests and code use them).
PAGES = ("Library", "Now playing", "Timer", "History", "Write")
HISTORY_PAGE = 3
WRITE_PAGE = 4
#: The order of the sidebar's buttons: Write belongs with the other things one does, before History.
SIDEBAR_ORDER = (0, 1, 2, WRITE_PAGE, HISTORY_PAGE)
_NAV_TIPS = {WRITE_PAGE: "Write and change your own meditation scripts"}
#: The window's first size, when none was saved: the library list and its details side by side.
FIRST_SIZE = QSize(1100, 720)
#: Kept free around the first window on a small screen (or one at 150 %), for the title bar and panels.
SCREEN_MARGIN = 40


def first_window_size(available: QSize) -> QSize:
    """FIRST_SIZE, smaller where the screen's free area is: the whole window is seen from the start."""
    return FIRST_SIZE.boundedTo(available - QSize(2 * SCREEN_MARGIN, 2 * SCREEN_MARGIN))


def _own_voice_ids() -> set[str]:
    return {voice.id for voice in user_voices()}


def app_icon() -> QIcon:
    return QIcon(str(paths.app_icon_path()))


class MainWindow(QMainWindow):
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
            QApplication.instance(), lambda: str(store.get_setting("theme", "system")), self
        )
        self.player = StreamPlayer(self)
        self.preview_player = StreamPlayer(self)
        # The sound server's first stream in a process takes up to a second to start: now,
        # rather than after the first Play.
        self.player.prepare_output()
        self._quitting = False
        self._no_questions = False
        self.settings_dialog: SettingsDialog | None = None
        self._removed_voice: TrashedVoice | None = None
        self._voice_task: CallTask | None = None
        self._warm_task: CallTask | None = None

        self.library = LibraryView(entries, store)
        # The window's own Ctrl+F works from every page; two shortcuts on one key would cancel out.
        self.library.search_shortcut.setEnabled(False)
        self.log = ListenLog(store)
        # Listens left open by an app that was killed end at their last checkpoint.
        self.log.close_abandoned()
        self.player_view = PlayerView(self.player, engine, store, log=self.log)
        self.timer_view = TimerView(store)
        self.history_view = HistoryView(self.log, store)
        self.editor_page = EditorPage(
            store, engine, self.preview_player, entries, library=user_library, drafts=drafts
        )
        #: The player key of the session the editor asked for, so its exact length goes back there.
        self._editor_key: str | None = None
        self.note_dialog: NoteDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self.pages = QStackedWidget()
        for page in (self.library, self.player_view, self.timer_view, self.history_view, self.editor_page):
            self.pages.addWidget(page)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self._build_sidebar())
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.banner.linkActivated.connect(lambda _link: self.show_page(WRITE_PAGE))
        self.banner.hide()
        column.addWidget(self.banner)
        column.addWidget(self.pages, 1)
        row.addLayout(column, 1)
        self.setCentralWidget(central)

        self.library.playRequested.connect(self.play_entry)
        self.library.resumeRequested.connect(self.resume_entry)
        self.timer_view.startRequested.connect(self.start_timer)
        self.player_view.backRequested.connect(lambda: self.show_page(0))
        self.player_view.sessionCompleted.connect(lambda _title: self.library.refresh_continue())
        self.player_view.problem.connect(self.show_problem)
        assert self.player_view.recorder is not None
        self.player_view.recorder.listenFinished.connect(self._on_listen_finished)
        self.player.playingChanged.connect(self._on_playing_changed)
        self.player.noAudioDeviceChanged.connect(self._on_audio_device)
        self.library.copyRequested.connect(
            lambda entry: self._write(lambda: self.editor_page.make_copy(entry.path))
        )
        self.library.editRequested.connect(
            lambda entry: self._write(lambda: self.editor_page.open_path(entry.path))
        )
        self.library.exportRequested.connect(self.export_entry)
        self._warm_up_voice()
        self.editor_page.catalogueChanged.connect(self.library.set_entries)
        self.editor_page.playRequested.connect(self.play_from_editor)
        self.editor_page.hearingStarted.connect(self.player.pause)
        self.player_view.timelineChanged.connect(self._on_timeline_changed)

        self._install_shortcuts()
        self._build_tray()
        # While a session plays the computer neither suspends nor blanks; given back at pause, end, quit.
        self.sleep_inhibitor = SleepInhibitor(parent=self)
        self.player.playingChanged.connect(self.sleep_inhibitor.follow)
        # The daily reminder (Settings), checked while the window is open or in the tray.
        self.reminder = DailyReminder(store, self.log, self)
        self.reminder.openRequested.connect(self.open_on_session)
        self.reminder.start()
        # Media keys and the desktop's player controls (MPRIS); None without a session bus.
        self.media_controls = publish_media_controls(self, self.player, self.player_view, self.quit)
        self._restore_geometry()
        if not self.player.has_audio_device():
            self._on_audio_device(True)
        if self.editor_page.pending_drafts():
            self._offer_drafts()
        # Files dropped anywhere on the window are imported (the filter sees drops on every child).
        self.setAcceptDrops(True)
        QApplication.instance().installEventFilter(self)

    # -- layout -------------------------------------------------------------------------

    def _build_sidebar(self) -> QWidget:
        sidebar = QWidget()
        sidebar.setObjectName("sidebar")
        sidebar.setFixedWidth(200)
        layout = QVBoxLayout(sidebar)
        layout.setContentsMargins(10, 8, 10, 14)
        brand = QLabel("Kindred")
        brand.setObjectName("brand")
        layout.addWidget(brand)
        self.nav = QButtonGroup(self)
        self.nav.setExclusive(True)
        for index in SIDEBAR_ORDER:
            name = PAGES[index]
            page_button = button(name, name, _NAV_TIPS.get(index, f"Show {name.lower()}"))
            page_button.setCheckable(True)
            self.nav.addButton(page_button, index)
            layout.addWidget(page_button)
        self.nav.button(0).setChecked(True)
        self.nav.idClicked.connect(self.show_page)
        layout.addStretch(1)
        self.settings_button = button(
            "Settings", "Settings", "Voice, speaking rate, lengths, appearance", self.open_settings
        )
        self.about_button = button(
            "About",
            "About Kindred",
            "About Kindred",
            self.show_about,
        )
        for dialog_button in (self.settings_button, self.about_button):
            # Checkable like the page buttons: while its dialog is open, the sidebar marks it.
            dialog_button.setCheckable(True)
            layout.addWidget(dialog_button)
        return sidebar

    def show_about(self) -> None:
        with self._sidebar_marking(self.about_button):
            about_dialog(self).exec()

    def show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.nav.button(index).setChecked(True)
        if index == 0:
            self.library.refresh_continue()
        elif index == HISTORY_PAGE:
            self.history_view.refresh()
        elif index == WRITE_PAGE and self.banner.property("drafts"):
            self.banner.setProperty("drafts", False)
            self.banner.hide()

    def _write(self, action: Callable[[], object]) -> None:
        """Go to the Write page, then do what the library asked there."""
        self.show_page(WRITE_PAGE)
        action()

    # -- playing ------------------------------------------------------------------------

    def play_entry(self, entry: LibraryEntry, length: float | None) -> None:
        saved = self.store.position(entry.slug)
        if saved is not None and saved[1] > 0:
            length_ms, position_ms, _section = saved
            answer = QMessageBox.question(
                self,
                "Continue where you left off?",
                f"You stopped “{entry.title}” at {minutes_and_seconds(position_ms // 1000)}. "
                "Continue from there?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.resume_entry(entry, length_ms / 1000, position_ms)
                return
            self.store.clear_position(entry.slug)
        self._editor_key = None
        self.show_page(1)
        self.player_view.open_entry(entry, length)

    def export_entry(self, entry: LibraryEntry, length: float | None) -> ExportDialog | None:
        """The library's Export…: the background sound a session of it would start with."""
        if entry.script is None:
            return None
        retire_export_dialog(self.export_dialog)
        self.export_dialog = open_export_dialog(
            self, self.store, self.engine, entry.script, length, preferred_ambience(self.store, entry.script)
        )
        return self.export_dialog

    def resume_entry(self, entry: LibraryEntry, length: float, position_ms: int) -> None:
        self._editor_key = None
        self.show_page(1)
        self.player_view.open_entry(entry, length, resume_ms=position_ms)

    def start_timer(self, script: Script, ambience: str | None) -> None:
        self._editor_key = None
        self.show_page(1)
        self.player_view.open_script("timer", script, script.default_length, ambience=ambience or "none")

    def play_from_editor(self, key: str, script: Script, length: float | None, section: int) -> None:
        """The editor's "Play from here": its text, from the start of the cursor's section."""
        self._editor_key = key
        self.show_page(1)
        self.player_view.open_script(key, script, length, start_section=section)

    def _on_timeline_changed(self, timeline: dict) -> None:
        now = self.player_view.now
        if now is not None and now.key == self._editor_key:
            self.editor_page.show_rendered(timeline)

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

    # -- settings -----------------------------------------------------------------------

    def open_settings(self) -> None:
        try:
            voices, default = self.engine.voices(), self.engine.default_voice()
        except Exception as error:  # the voice may be missing: settings still open
            voices, default = [], ""
            self.show_problem("No voice is available", getattr(error, "explanation", str(error)))
        dialog = SettingsDialog(self.store, voices, default, self, own_voices=_own_voice_ids())
        dialog.previewRequested.connect(self.preview_voice)
        dialog.settingChanged.connect(self._on_setting_changed)
        dialog.addVoiceRequested.connect(lambda path: self.add_voice(dialog, path))
        dialog.removeVoiceRequested.connect(lambda voice: self.remove_voice(dialog, voice))
        dialog.undoRemoveRequested.connect(lambda: self.undo_remove_voice(dialog))
        dialog.soundsChanged.connect(self.refresh_ambience_choices)
        self.settings_dialog = dialog
        with self._sidebar_marking(self.settings_button):
            dialog.exec()
        self.settings_dialog = None

    @contextlib.contextmanager
    def _sidebar_marking(self, marked: QPushButton) -> Iterator[None]:
        """While a modal dialog is open, the sidebar marks its button rather than the page behind it,
        then the page's again."""
        self.nav.setExclusive(False)  # an exclusive group will not leave all its buttons unchecked
        for page_button in self.nav.buttons():
            page_button.setChecked(False)
        marked.setChecked(True)
        try:
            yield
        finally:
            marked.setChecked(False)
            self.nav.button(self.pages.currentIndex()).setChecked(True)
            self.nav.setExclusive(True)

    def refresh_ambience_choices(self) -> None:
        """A background sound was added or removed in Settings: the player and timer offer what is there."""
        self.player_view.refresh_ambience_choices()
        self.timer_view.refresh_ambience_choices()

    # -- voices -------------------------------------------------------------------------

    def _warm_up_voice(self) -> None:
        """Start the natural voice as the window opens, so the first Play does not wait ~1 s for
        its model; then say once if the system voice has to speak instead."""
        warm_up = getattr(self.engine, "warm_up", None)
        if warm_up is None:
            return
        self._warm_task = CallTask(warm_up, "The voice could not start")
        self._warm_task.finished.connect(lambda _result: self._tell_voice_fallback())
        self._warm_task.failed.connect(lambda _title, _text: self._tell_voice_fallback())
        self._warm_task.start_on(QThreadPool.globalInstance())

    def _tell_voice_fallback(self) -> None:
        reason = getattr(self.engine, "fallback_reason", None)
        if not reason or self.store.get_setting("voice_fallback_told") == reason:
            return
        self.store.set_setting("voice_fallback_told", reason)
        self.show_problem(
            "The natural voice is not available",
            f"{reason} Until it is, the computer's own voice (eSpeak NG) speaks the meditations; "
            "`kindred doctor` says how to fix this.",
        )

    def _refresh_voices(self, dialog: SettingsDialog, select: str | None = None) -> None:
        reload = getattr(self.engine, "reload_voices", None)
        if reload is not None:
            found, problem = neural_voices()
            reload(found, problem)
        dialog.set_voices(self.engine.voices(), _own_voice_ids(), select)

    def add_voice(self, dialog: SettingsDialog, path: str) -> None:
        dialog.set_voice_busy(True)
        dialog.show_voice_note("Checking the voice: it is loaded and tried before it is added…")
        task = CallTask(lambda: import_voice(Path(path)), "Could not add the voice")

        def added(voice: PiperVoiceFile) -> None:
            dialog.set_voice_busy(False)
            self._refresh_voices(dialog, select=voice.id)
            dialog.show_voice_note(f"Added {voice.name}. Press “Hear it” to listen.")

        def failed(title: str, explanation: str) -> None:
            dialog.set_voice_busy(False)
            dialog.show_voice_note(f"{title}: {explanation}", error=True)

        task.finished.connect(added)
        task.failed.connect(failed)
        self._voice_task = task
        task.start_on(QThreadPool.globalInstance())

    def remove_voice(self, dialog: SettingsDialog, voice_id: str) -> None:
        try:
            self._removed_voice = remove_voice(voice_id)
        except (KindredError, OSError) as error:
            dialog.show_voice_note(getattr(error, "explanation", str(error)), error=True)
            return
        if self.store.get_setting("voice") == voice_id:
            self.store.set_setting("voice", None)
        self._refresh_voices(dialog)
        dialog.show_voice_note(f"Removed {self._removed_voice.voice.name}.", undo=True)

    def undo_remove_voice(self, dialog: SettingsDialog) -> None:
        if self._removed_voice is None:
            return
        try:
            voice = restore_voice(self._removed_voice)
        except OSError as error:
            dialog.show_voice_note(f"The voice could not be brought back ({error.strerror}).", error=True)
            return
        self._removed_voice = None
        self._refresh_voices(dialog, select=voice.id)
        dialog.show_voice_note(f"{voice.name} is back.")

    def _on_setting_changed(self, key: str, value: object) -> None:
        if key == "theme":
            apply_theme(QApplication.instance(), str(value))

    def preview_voice(self, voice: str, rate: int) -> None:
        script = paragraph_script("Voice preview", "A sample of the voice.", PREVIEW_TEXT)
        try:
            session = StreamingSession(
                script, self.engine, length=None, voice=voice, rate=rate, cache_root=paths.cache_dir()
            )
        except KindredError as error:
            self.show_problem(error.title, error.explanation)
            return
        self.player.pause()
        self.preview_player.load(session)

    # -- messages -----------------------------------------------------------------------

    def show_problem(self, title: str, explanation: str) -> None:
        self.banner.setText(f"<b>{title}</b> — {explanation}")
        self.banner.show()
        QTimer.singleShot(15_000, self.banner.hide)

    def _offer_drafts(self) -> None:
        """Unsaved text from the last run waits on the Write page; say so wherever the window opens."""
        count = len(self.editor_page.pending_drafts())
        what = "changes" if count == 1 else f"{count} sets of changes"
        text = (
            f"<b>Kindred kept {what} you had not saved</b> — "
            f'<a href="write">open Write</a> to restore or discard {"them" if count == 1 else "each"}.'
        )
        if self.banner.isVisible() and self.banner.text():
            text = f"{self.banner.text()}<br>{text}"
        self.banner.setText(text)
        self.banner.setProperty("drafts", True)
        self.banner.show()

    def _on_audio_device(self, missing: bool) -> None:
        if missing:
            self.banner.setText(
                "<b>No sound output found</b> — sessions play silently for now and continue aloud as soon "
                "as speakers or headphones are connected."
            )
            self.banner.show()
        else:
            self.banner.hide()

    # -- keyboard -----------------------------------------------------------------------

    def _install_shortcuts(self) -> None:
        search = QShortcut(QKeySequence.StandardKey.Find, self)
        search.activated.connect(self._focus_search)

    def _focus_search(self) -> None:
        self.show_page(0)
        self.library.focus_search()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Space and the arrows control playback, except where they are typing or choosing."""
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return self._on_drag(watched, event)
        if event.type() != QEvent.Type.KeyPress or not self.isActiveWindow():
            return False
        key = event.key() if isinstance(event, QKeyEvent) else None
        if key not in (Qt.Key.Key_Space, Qt.Key.Key_Left, Qt.Key.Key_Right) or not self.player.has_media():
            return False
        focus = QApplication.focusWidget()
        if isinstance(focus, (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)) or (
            isinstance(focus, QComboBox) and focus.isEditable()
        ):
            return False
        if key == Qt.Key.Key_Space:
            self.player.toggle()
        else:
            self.player.skip(-SKIP_MS if key == Qt.Key.Key_Left else SKIP_MS)
        return True

    # -- dropped files ------------------------------------------------------------------------

    @staticmethod
    def dropped_scripts(mime: QMimeData) -> list[Path]:
        """The .md and .txt files among dropped things; anything else is not for Kindred."""
        if not mime.hasUrls():
            return []
        files = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        return [path for path in files if path.suffix.lower() in IMPORT_SUFFIXES]

    def _on_drag(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QWidget) or watched.window() is not self:
            return False
        mime = event.mimeData() if isinstance(event, QDropEvent) else None  # drag enter/move are drop events
        sources = self.dropped_scripts(mime) if mime is not None else []
        if not sources:
            return False  # text dragged within the window is not an import
        event.acceptProposedAction()
        if event.type() == QEvent.Type.Drop:
            # After the drop has finished: importing may ask a question, and a drag must not wait on one.
            QTimer.singleShot(0, lambda: self.import_dropped(sources))
        return True

    # -- tray and closing ---------------------------------------------------------------

    def _build_tray(self) -> None:
        self.tray: QSystemTrayIcon | None = None
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        self.tray = QSystemTrayIcon(app_icon(), self)
        self.tray.setToolTip("Kindred")
        menu = QMenu(self)
        self.tray_play = QAction("Play", self)
        self.tray_play.triggered.connect(self.player.toggle)
        show = QAction("Show or hide Kindred", self)
        show.triggered.connect(self.toggle_visible)
        quit_action = QAction("Quit", self)
        quit_action.triggered.connect(self.quit)
        for action in (self.tray_play, show, quit_action):
            menu.addAction(action)
        self.tray.setContextMenu(menu)
        self.tray.activated.connect(
            lambda reason: (
                self.toggle_visible() if reason == QSystemTrayIcon.ActivationReason.Trigger else None
            )
        )
        self.tray.show()

    def _on_playing_changed(self, playing: bool) -> None:
        now = self.player_view.now
        self.library.set_playing(now.key if playing and now is not None else None)
        if self.tray is not None:
            self.tray_play.setText("Pause" if playing else "Play")

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

    def play_from_command_line(self, key: str, script: Script, length: float | None, ambience: str) -> None:
        """`kindred play` while the window is open: from the start (as in the terminal), in front."""
        self._editor_key = None
        self.show_page(1)
        self.player_view.open_script(key, script, length, ambience=ambience)
        self.bring_to_front()

    def open_on_session(self, slug: str | None) -> None:
        """The reminder was answered: the window, in front, on the last session played (if any)."""
        self.show_page(0)
        if slug is not None:
            self.library.show_slug(slug)
        self.bring_to_front()

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
        self._save_geometry()
        if not self._quitting and self.tray is not None and self.player.is_playing():
            # Closing while a session plays keeps it playing; the tray brings the window back.
            event.ignore()
            self.hide()
            if not self.store.get_setting("tray_told", False):
                self.tray.showMessage(
                    "Kindred is still playing", "Use the tray icon to pause or show the window."
                )
                self.store.set_setting("tray_told", True)
            return
        if not self._no_questions and not self.editor_page.maybe_leave():
            event.ignore()  # Cancel: the unsaved script stays open
            return
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
        event.accept()

    def _splitters(self) -> dict:
        return {
            "library_splitter": self.library.splitter,
            "player_splitter": self.player_view.splitter,
            "editor_splitter": self.editor_page.splitter,
        }

    def _save_geometry(self) -> None:
        self.store.set_setting(
            "window_geometry", base64.b64encode(bytes(self.saveGeometry())).decode("ascii")
        )
        for key, splitter in self._splitters().items():
            self.store.set_setting(key, base64.b64encode(bytes(splitter.saveState())).decode("ascii"))

    def _restore_geometry(self) -> None:
        for key, splitter in self._splitters().items():
            state = self.store.get_setting(key)
            if state:
                splitter.restoreState(base64.b64decode(state))
        saved = self.store.get_setting("window_geometry")
        if saved:
            self.restoreGeometry(base64.b64decode(saved))
        else:
            self.resize(first_window_size(self.screen().availableGeometry().size()))
