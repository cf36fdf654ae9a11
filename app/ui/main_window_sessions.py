"""Starting sessions: the library's Play and Continue, the timer's Start, the editor's "Play from
here" and `kindred play` all open on the player page; this is where each one's start comes from."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from app.history import Store
from app.library import LibraryEntry
from app.render.sidecar import Sidecar
from app.script import Script
from app.time_text import minutes_and_seconds
from app.ui.pages.player.page import PlayerView
from app.ui.pages.write.page import EditorPage

#: The player's key for the timer's sessions (the library's are their slugs).
TIMER_KEY = "timer"


class SessionLauncher(QObject):
    """`show_player()` brings the player page forward; questions are asked over `window`."""

    def __init__(
        self,
        window: QWidget,
        store: Store,
        player_view: PlayerView,
        editor_page: EditorPage,
        show_player: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self.store = store
        self.player_view = player_view
        self.editor_page = editor_page
        self.show_player = show_player
        #: The player key of the session the editor asked for, so its exact length goes back there.
        self.editor_key: str | None = None

    def play_entry(self, entry: LibraryEntry, length: float | None) -> None:
        """From the start, or from where the listener stopped it last time if they say so."""
        saved = self.store.position(entry.slug)
        if saved is not None and saved[1] > 0:
            length_ms, position_ms, _section = saved
            answer = QMessageBox.question(
                self._window,
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
        self._open()
        self.player_view.open_entry(entry, length)

    def resume_entry(self, entry: LibraryEntry, length: float, position_ms: int) -> None:
        self._open()
        self.player_view.open_entry(entry, length, resume_ms=position_ms)

    def start_timer(self, script: Script, ambience: str | None) -> None:
        self._open()
        self.player_view.open_script(TIMER_KEY, script, script.default_length, ambience=ambience or "none")

    def play_from_editor(self, key: str, script: Script, length: float | None, section: int) -> None:
        """The editor's "Play from here": its text, from the start of the cursor's section."""
        self._open(editor_key=key)
        self.player_view.open_script(key, script, length, start_section=section)

    def play_script(self, key: str, script: Script, length: float | None, ambience: str) -> None:
        """`kindred play` while the window is open: from the start, as in the terminal."""
        self._open()
        self.player_view.open_script(key, script, length, ambience=ambience)

    def follow_timeline(self, timeline: Sidecar) -> None:
        """A session the editor asked for was rendered: the editor shows its exact length."""
        now = self.player_view.now
        if now is not None and now.key == self.editor_key:
            self.editor_page.show_rendered(timeline)

    def _open(self, editor_key: str | None = None) -> None:
        self.editor_key = editor_key
        self.show_player()
