"""The player: one session at a time, streamed while its voice speaks, and the screen following it.

PlayerView is what the window holds. It opens a session, plays it through the StreamPlayer,
keeps the playing screen (playing_screen) in step with the position and with the plan as the
sentences settle, changes the length or the background sound without losing the place, saves
where the listener is, and records the listen. The other pages of its stack say a session is
complete, or why it cannot play (message_page).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QListWidgetItem, QStackedWidget, QVBoxLayout, QWidget

from app import paths, settings
from app.errors import KindredError
from app.history import ListenLog, Store
from app.library import LibraryEntry
from app.render.cache_limit import trim_soon
from app.render.mix import Background
from app.render.sidecar import Sidecar, map_position
from app.render.streaming import StreamingSession
from app.render.timeline import Timeline
from app.script import Script
from app.settings import Settings
from app.tts import SpeechEngine
from app.ui.dialogs.export import ExportDialog, open_export_dialog, retire_export_dialog
from app.ui.pages.player.message_page import MessagePage
from app.ui.pages.player.playing_screen import PlayingScreen
from app.ui.pages.player.session_choices import (
    PLAYER_AMBIENCE_FIXED,
    BackgroundLoops,
    choose_ambience,
    fill_length_picker,
    preferred_ambience,
)
from app.ui.pages.player.transcript import ChapterList, TranscriptList
from app.ui.services.listen_recorder import ListenRecorder
from app.ui.services.stream_player import SKIP_MS, StreamPlayer
from app.ui.widgets.ambience_choice import fill_ambience_combo

# preferred_ambience is the window's too (what a session starts with), imported from here.
__all__ = ["COMPLETE_PAGE", "PLAYING_PAGE", "PROBLEM_PAGE", "NowPlaying", "PlayerView", "preferred_ambience"]

#: How often the place in a session is saved while playing, so a crash loses little.
SAVE_EVERY_MS = 5_000
#: The pages of the screen, in their stack.
PLAYING_PAGE, COMPLETE_PAGE, PROBLEM_PAGE = 0, 1, 2
#: With less than this share left a session counts as finished: there is nothing to resume.
NEARLY_DONE_SHARE = 0.1


@dataclass
class NowPlaying:
    key: str  # the library slug, or "timer"
    title: str
    script: Script
    length: float | None
    timeline: Sidecar | None = None  # the plan as it is now; settles as the voice speaks


class PlayerView(QWidget):
    """Plays one session at a time, streamed while its voice speaks, and follows the position."""

    backRequested = Signal()
    sessionStarted = Signal(str)  # title
    timelineChanged = Signal(object)  # the Sidecar of the session playing, as it settles
    sessionCompleted = Signal(str)
    problem = Signal(str, str)  # title, explanation (the window shows it)

    def __init__(
        self,
        player: StreamPlayer,
        engine: SpeechEngine,
        store: Store,
        parent: QWidget | None = None,
        log: ListenLog | None = None,
    ):
        super().__init__(parent)
        self.player = player
        self.engine = engine
        self.store = store
        # Without a log (some tests) nothing is recorded.
        self.recorder = ListenRecorder(player, log, self) if log is not None else None
        self.now: NowPlaying | None = None
        self._timeline: Sidecar | None = None
        self._loops = BackgroundLoops()
        self._start_section: int | None = None
        self.export_dialog: ExportDialog | None = None
        self._save_timer = QTimer(self)
        self._save_timer.setInterval(SAVE_EVERY_MS)
        self._save_timer.timeout.connect(self.save_position)

        self.playing_screen = PlayingScreen()
        self._name_controls(self.playing_screen)
        complete, problem = MessagePage("completeHeading"), MessagePage("problemTitle")
        complete.heading.setText("Session complete")
        self.complete_text = complete.text
        self.problem_title, self.problem_text = problem.heading, problem.text
        self.pages = QStackedWidget(self)
        for page in (self.playing_screen, complete, problem):  # PLAYING_PAGE, COMPLETE_PAGE, PROBLEM_PAGE
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        for back in (self.back_button, complete.back_button, problem.back_button):
            back.clicked.connect(self.backRequested)
        self._connect_controls()
        self._follow(player)
        self.volume.setValue(round(100 * Settings(store).get(settings.VOLUME)))
        self.ambience_volume.setValue(round(100 * Settings(store).get(settings.AMBIENCE_VOLUME)))
        self.player.set_volume(self.volume.value() / 100)

    def _name_controls(self, screen: PlayingScreen) -> None:
        """The playing screen's controls by name on the view: the window, its media controls and
        the tests reach them here."""
        self.back_button, self.title_label = screen.back_button, screen.title_label
        self.length_picker, self.export_button = screen.length_picker, screen.export_button
        self.splitter, self.chapters, self.transcript = screen.splitter, screen.chapters, screen.transcript
        self.section_label, self.caption = screen.section_label, screen.caption
        self.preparing_label = screen.preparing_label
        self.elapsed, self.remaining, self.seek_slider = screen.elapsed, screen.remaining, screen.seek_slider
        self.back15, self.play_button, self.forward15 = screen.back15, screen.play_button, screen.forward15
        self.volume, self.ambience = screen.volume, screen.ambience
        self.ambience_volume = screen.ambience_volume
        self.ambience_volume_label = screen.ambience_volume_label

    def _connect_controls(self) -> None:
        self.length_picker.activated.connect(self._on_length_picked)
        self.export_button.clicked.connect(self.open_export)
        self.chapters.itemActivated.connect(self._on_chapter_activated)
        self.chapters.itemClicked.connect(self._on_chapter_activated)
        self.transcript.itemClicked.connect(self._on_transcript_clicked)
        self.seek_slider.sliderReleased.connect(self._on_seek_released)
        self.back15.clicked.connect(lambda: self.player.skip(-SKIP_MS))
        self.play_button.clicked.connect(self.player.toggle)
        self.forward15.clicked.connect(lambda: self.player.skip(SKIP_MS))
        self.volume.valueChanged.connect(self._on_volume)
        self.ambience.activated.connect(self._on_ambience_picked)
        self.ambience_volume.valueChanged.connect(self._on_ambience_volume)

    def _follow(self, player: StreamPlayer) -> None:
        player.positionChanged.connect(self._on_position)
        player.durationChanged.connect(self._on_duration)
        player.playingChanged.connect(self._on_playing)
        player.finished.connect(self._on_finished)
        player.preparingChanged.connect(self.preparing_label.setVisible)
        player.timelineChanged.connect(self._on_timeline_changed)
        player.errorOccurred.connect(lambda text: self.problem.emit("Playback stopped", text))

    # -- opening a session --------------------------------------------------------------

    def open_entry(self, entry: LibraryEntry, length: float | None, resume_ms: int = 0) -> None:
        assert entry.script is not None
        self.open_script(entry.slug, entry.script, length, resume_ms)

    def open_script(
        self,
        key: str,
        script: Script,
        length: float | None,
        resume_ms: int = 0,
        ambience: str | None = "default",
        start_section: int | None = None,
    ) -> None:
        """Play at once, the voice speaking ahead of the listener; `ambience` "default" follows
        settings and script. `start_section` starts at that section instead of `resume_ms` (the
        editor's "Play from here").
        """
        self.save_position()
        self.end_listen()
        self.player.unload()
        self._save_timer.stop()
        self.now = NowPlaying(key, script.meta.title, script, length)
        self.export_button.setEnabled(True)
        self._start_section = start_section
        choose_ambience(self.ambience, self.store, script, ambience)
        self._start_session(resume_ms)
        rate = Settings(self.store).get(settings.RATE)
        fill_length_picker(self.length_picker, script, length, rate)  # once the sound is on its way

    def _start_session(self, resume_ms: int, keep_place: tuple[Sidecar, int] | None = None) -> None:
        """Plays the session at once; its sentences are spoken as it goes (see StreamingSession)."""
        assert self.now is not None
        try:
            session = self._new_session()
        except KindredError as error:
            self.now.timeline = None
            self._timeline = None
            self._show_problem(error.title, error.explanation)
            return
        timeline = Sidecar.from_timeline(self.now.script, session.timeline)
        self.now.timeline = self._timeline = timeline
        if keep_place is not None:
            old_timeline, old_position = keep_place
            resume_ms = map_position(old_timeline, timeline, old_position)
        elif self._start_section is not None:
            resume_ms = timeline.section_start_ms(self._start_section)
        # Only the first start of a session starts at the section; a new length keeps the place.
        self._start_section = None
        # Sound first: the screen is filled while the output already plays.
        self.player.load(session, start_ms=resume_ms, autoplay=True)
        self.playing_screen.show_session(self.now.title, timeline)
        self.pages.setCurrentIndex(PLAYING_PAGE)
        self._on_position(resume_ms)
        self._save_timer.start()
        self._record_start(keep_place is not None)
        self.sessionStarted.emit(self.now.title)
        self.timelineChanged.emit(timeline)

    def _new_session(self) -> StreamingSession:
        assert self.now is not None
        voice = Settings(self.store).get(settings.VOICE)
        rate = Settings(self.store).get(settings.RATE)
        return StreamingSession(
            self.now.script,
            self.engine,
            length=self.now.length,
            voice=voice,
            rate=rate,
            cache_root=paths.cache_dir(),
            background=self._background(),
        )

    def _show_problem(self, title: str, text: str) -> None:
        self.problem_title.setText(title)
        self.problem_text.setText(text)
        self.pages.setCurrentIndex(PROBLEM_PAGE)
        self.problem.emit(title, text)

    def _on_timeline_changed(self, plan: Timeline) -> None:
        """Sentences arrive at their real lengths: the pauses ahead move, captions follow."""
        if self.now is None:
            return
        timeline = Sidecar.from_timeline(self.now.script, plan)
        self.now.timeline = self._timeline = timeline
        self.playing_screen.retime(timeline)
        self.timelineChanged.emit(timeline)

    def _on_length_picked(self, index: int) -> None:
        if self.now is None or self._timeline is None:
            return
        length = self.length_picker.itemData(index)
        if length == self.now.length:
            return
        old_timeline, old_position = self._timeline, self.player.position()
        self.player.unload()
        self.now.length = length
        self._start_session(0, keep_place=(old_timeline, old_position))

    # -- background sound, volume and export --------------------------------------------------

    def refresh_ambience_choices(self) -> None:
        """After a sound was added or removed in Settings; the one playing stays, even if removed."""
        fill_ambience_combo(self.ambience, PLAYER_AMBIENCE_FIXED, keep=self.ambience.currentData())

    def _on_ambience_picked(self, index: int) -> None:
        self._apply_background()

    def _background(self) -> Background | None:
        """The background chosen, at the level of its slider (decoded once per name)."""
        return self._loops.background(self.ambience.currentData(), self.ambience_volume.value() / 100)

    def _apply_background(self) -> None:
        try:
            self.player.set_background(self._background())
        except KindredError as error:
            self.problem.emit(error.title, error.explanation)

    def set_volume(self, volume: float) -> None:
        """The voice's volume (0 to 1) through its slider, so that the slider and the setting follow."""
        self.volume.setValue(round(100 * max(0.0, min(1.0, volume))))

    def _on_volume(self, value: int) -> None:
        self.player.set_volume(value / 100)
        Settings(self.store).set(settings.VOLUME, value / 100)

    def _on_ambience_volume(self, value: int) -> None:
        self._apply_background()
        Settings(self.store).set(settings.AMBIENCE_VOLUME, value / 100)

    def open_export(self) -> ExportDialog | None:
        """The export dialog for the session open here: its length, its background sound and level."""
        if self.now is None:
            return None
        retire_export_dialog(self.export_dialog)
        self.export_dialog = open_export_dialog(
            self,
            self.store,
            self.engine,
            self.now.script,
            self.now.length,
            self.ambience.currentData(),
            self.ambience_volume.value() / 100,
        )
        return self.export_dialog

    # -- following the position ---------------------------------------------------------

    def _on_duration(self, duration: int) -> None:
        self.seek_slider.setRange(0, max(0, duration))

    def _on_position(self, position: int) -> None:
        if self._timeline is None:
            return
        duration = self.player.duration() or round(self._timeline.length * 1000)
        self.playing_screen.show_position(self._timeline, position, duration)

    def _on_playing(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
        if not playing:
            self.save_position()

    def _on_seek_released(self) -> None:
        self.player.seek(self.seek_slider.value())

    def _on_chapter_activated(self, item: QListWidgetItem) -> None:
        if self._timeline is None:
            return
        # Rounded up as "Play from here" does: rounding down lands in the section before.
        self.player.seek(self._timeline.section_start_ms(ChapterList.index_of(item)))

    def _on_transcript_clicked(self, item: QListWidgetItem) -> None:
        self.player.seek(TranscriptList.start_ms(item))

    def _on_finished(self) -> None:
        if self.now is None:
            return
        self._save_timer.stop()
        if self.recorder is not None:
            self.recorder.end(True)
        if self.now.key != "timer":
            self.store.clear_position(self.now.key)
        minutes = round((self._timeline.length if self._timeline is not None else 0) / 60)
        self.complete_text.setText(
            f"{self.now.title} · {minutes} min\n\nTake a moment before you move on. "
            "Perhaps carry one kind intention into the rest of your day."
        )
        self.pages.setCurrentIndex(COMPLETE_PAGE)
        # What the voice added to the cache for it: the least recently used makes room now,
        # when nothing is starting to play (the window trims at start too).
        trim_soon(Settings(self.store).get(settings.CACHE_LIMIT_GB))
        self.sessionCompleted.emit(self.now.title)

    # -- resume -------------------------------------------------------------------------

    def save_position(self) -> None:
        """Remember where the listener is, unless the session is (nearly) over or is a timer."""
        if (
            self.now is None
            or self.now.key == "timer"
            or self.now.timeline is None
            or not self.player.has_media()
        ):
            return
        position, duration = self.player.position(), self.player.duration()
        if duration <= 0 or position <= 0:
            return
        if duration - position < NEARLY_DONE_SHARE * duration:
            self.store.clear_position(self.now.key)
            return
        length_ms = round((self.now.length or self.now.timeline.length) * 1000)
        self.store.save_position(self.now.key, length_ms, position, self.current_section())

    # -- the listening log --------------------------------------------------------------

    def _record_start(self, same_listen: bool) -> None:
        if self.recorder is None or self.now is None or self.now.timeline is None:
            return
        length = float(self.now.length or self.now.timeline.length)
        if same_listen and self.recorder.active:
            # A new length for the session playing: the same listen goes on.
            self.recorder.set_length(length)
            return
        timer = self.now.key == "timer"
        theme = None if timer else (self.now.script.meta.theme or None)
        self.recorder.begin(self.now.key, self.now.title, theme, length, timer)

    def end_listen(self) -> None:
        """Ends the listen being recorded (the session is left, or the app closes) as not finished."""
        if self.recorder is not None:
            self.recorder.end(False)

    def current_section(self) -> int:
        return max(self.playing_screen.current_section, 0)

    def caption_text(self) -> str:
        return self.caption.text()
