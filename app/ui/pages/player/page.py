"""The player screen: captions, transcript, chapters, controls, length and background sound."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSignalBlocker,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QSlider,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.errors import KindredError
from app.history import ListenLog, Store
from app.library import LibraryEntry
from app.render.cache_limit import LIMIT_SETTING, trim_soon
from app.render.estimate import playable_lengths
from app.render.mix import Background, slider_to_gain
from app.render.session import timeline_to_dict
from app.render.sidecar import cue_index_at, cue_is_speaking, section_index_at
from app.render.sounds import decoded_ambience
from app.render.streaming import StreamingSession
from app.render.timeline import Timeline
from app.script import Script, format_duration
from app.time_text import clock_ms
from app.tts import SpeechEngine
from app.tts.engine import DEFAULT_RATE_WPM
from app.ui.dialogs.export import ExportDialog, open_export_dialog, retire_export_dialog
from app.ui.services.listen_recorder import ListenRecorder
from app.ui.services.stream_player import SKIP_MS, StreamPlayer
from app.ui.widgets.ambience_choice import fill_ambience_combo
from app.ui.widgets.basics import button, labelled

#: How often the place in a session is saved while playing, so a crash loses little.
SAVE_EVERY_MS = 5_000
#: The pages of the screen, in their stack.
PLAYING_PAGE, COMPLETE_PAGE, PROBLEM_PAGE = 0, 1, 2
#: With less than this share left a session counts as finished: there is nothing to resume.
NEARLY_DONE_SHARE = 0.1
#: The background combo's first item, before the sounds.
PLAYER_AMBIENCE_FIXED = (("No background", None),)


@dataclass
class NowPlaying:
    key: str  # the library slug, or "timer"
    title: str
    script: Script
    length: float | None
    timeline: dict | None = None  # the plan as it is now; settles as the voice speaks


class _SentenceRows(QStyledItemDelegate):
    """Measures each transcript sentence at the width its list has now. Qt measures a row at a width
    a little off the one it paints it at (and without the stylesheet's padding), so a long sentence
    got one line too few and its end was cut."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        view = self.parent()
        one_line = QStyleOptionViewItem(option)
        one_line.rect = QRect()  # no width: the sentence on one line, padding and all
        self.initStyleOption(one_line, index)
        natural = super().sizeHint(one_line, index).width()
        text_margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        padding = natural - one_line.fontMetrics.horizontalAdvance(one_line.text) - 2 * text_margin
        wrapped = QStyleOptionViewItem(option)
        wrapped.rect = QRect(0, 0, view.viewport().width() - padding, 1)  # a height of 0 is "no rect"
        return super().sizeHint(wrapped, index)


class PlayerView(QWidget):
    """Plays one session at a time, streamed while its voice speaks, and follows the position."""

    backRequested = Signal()
    sessionStarted = Signal(str)  # title
    timelineChanged = Signal(dict)  # the sidecar of the session playing, as it settles
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
        self._timeline: dict | None = None
        self._loops: dict[str, Background] = {}  # background loops decoded, by name
        self._current_cue: int | None = None
        self._current_section = -1
        self._start_section: int | None = None
        self._seeking = False
        self.export_dialog: ExportDialog | None = None
        self._save_timer = QTimer(self)
        self._save_timer.setInterval(SAVE_EVERY_MS)
        self._save_timer.timeout.connect(self.save_position)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_playing_page())
        self.pages.addWidget(self._build_complete_page())
        self.pages.addWidget(self._build_problem_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        player.positionChanged.connect(self._on_position)
        player.durationChanged.connect(self._on_duration)
        player.playingChanged.connect(self._on_playing)
        player.finished.connect(self._on_finished)
        player.preparingChanged.connect(self._on_preparing)
        player.timelineChanged.connect(self._on_timeline_changed)
        player.errorOccurred.connect(lambda text: self.problem.emit("Playback stopped", text))
        self.volume.setValue(round(100 * float(store.get_setting("volume", 0.8))))
        self.ambience_volume.setValue(round(100 * float(store.get_setting("ambience_volume", 0.5))))
        self.player.set_volume(self.volume.value() / 100)

    # -- pages --------------------------------------------------------------------------

    def _build_playing_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("playingPage")
        outer = QVBoxLayout(page)
        outer.setContentsMargins(24, 16, 24, 16)

        header = QHBoxLayout()
        self.back_button = button(
            "‹ Library", "Back to the library", "Back to the library", self.backRequested
        )
        self.title_label = QLabel()
        self.title_label.setObjectName("sessionTitle")
        header.addWidget(self.back_button)
        header.addSpacing(12)
        header.addWidget(self.title_label, 1)
        self.length_picker = labelled(
            QComboBox(), "Session length", "Change the length; the voice keeps your place"
        )
        self.length_picker.activated.connect(self._on_length_picked)
        header.addWidget(QLabel("Length"))
        header.addWidget(self.length_picker)
        header.addSpacing(8)
        self.export_button = button(
            "Export…",
            "Export",
            "Save this session as an audio file, at this length and with this background sound",
            self.open_export,
            object_name="exportButton",
        )
        self.export_button.setEnabled(False)
        header.addWidget(self.export_button)
        outer.addLayout(header)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter = splitter
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 12, 12, 0)
        self.section_label = QLabel()
        self.section_label.setObjectName("captionSection")
        self.section_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel()
        self.caption.setObjectName("caption")
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setMinimumHeight(140)
        labelled(self.caption, "Caption", "What the voice is saying now")
        left_layout.addStretch(1)
        self.preparing_label = QLabel("The voice is preparing what comes next…")
        self.preparing_label.setObjectName("preparing")
        self.preparing_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preparing_label.hide()
        left_layout.addWidget(self.section_label)
        left_layout.addWidget(self.caption)
        left_layout.addWidget(self.preparing_label)
        left_layout.addStretch(1)
        chapters_label = QLabel("Chapters")
        chapters_label.setObjectName("paneHeading")
        self.chapters = labelled(QListWidget(), "Chapters", "Jump to a chapter")
        self.chapters.setObjectName("chapters")
        self.chapters.itemActivated.connect(self._on_chapter_activated)
        self.chapters.itemClicked.connect(self._on_chapter_activated)
        self.chapters.setMaximumHeight(170)
        left_layout.addWidget(chapters_label)
        left_layout.addWidget(self.chapters)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(12, 12, 0, 0)
        transcript_label = QLabel("Transcript")
        transcript_label.setObjectName("paneHeading")
        self.transcript = labelled(
            QListWidget(), "Transcript", "Everything the voice says; click a line to go there"
        )
        self.transcript.setObjectName("transcript")
        # Long sentences wrap onto more lines, never cut: rows of their own heights, measured
        # again whenever the width changes (a scrollbar appearing, the splitter moved).
        self.transcript.setWordWrap(True)
        self.transcript.setUniformItemSizes(False)
        self.transcript.setResizeMode(QListView.ResizeMode.Adjust)
        self.transcript.setItemDelegate(_SentenceRows(self.transcript))
        self.transcript.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.transcript.itemClicked.connect(self._on_transcript_clicked)
        right_layout.addWidget(transcript_label)
        right_layout.addWidget(self.transcript)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        outer.addWidget(splitter, 1)

        seek_row = QHBoxLayout()
        self.elapsed = QLabel("00:00")
        self.remaining = QLabel("-00:00")
        self.seek_slider = labelled(QSlider(Qt.Orientation.Horizontal), "Position", "Move to another moment")
        self.seek_slider.setObjectName("seek")
        self.seek_slider.sliderPressed.connect(lambda: setattr(self, "_seeking", True))
        self.seek_slider.sliderReleased.connect(self._on_seek_released)
        self.seek_slider.sliderMoved.connect(lambda value: self.elapsed.setText(clock_ms(value)))
        seek_row.addWidget(self.elapsed)
        seek_row.addWidget(self.seek_slider, 1)
        seek_row.addWidget(self.remaining)
        outer.addLayout(seek_row)

        controls = QHBoxLayout()
        self.back15 = button(
            "↺ 15 s", "Back 15 seconds", "Back 15 seconds (Left arrow)", lambda: self.player.skip(-SKIP_MS)
        )
        self.play_button = button(
            "Play", "Play or pause", "Play or pause (Space)", self.player.toggle, object_name="playButton"
        )
        self.forward15 = button(
            "15 s ↻",
            "Forward 15 seconds",
            "Forward 15 seconds (Right arrow)",
            lambda: self.player.skip(SKIP_MS),
        )
        self.volume = labelled(QSlider(Qt.Orientation.Horizontal), "Volume", "Voice volume")
        self.volume.setRange(0, 100)
        self.volume.setMaximumWidth(140)
        self.volume.valueChanged.connect(self._on_volume)
        self.ambience = labelled(QComboBox(), "Background sound", "A sound under the voice, or none")
        fill_ambience_combo(self.ambience, PLAYER_AMBIENCE_FIXED)
        self.ambience.activated.connect(self._on_ambience_picked)
        self.ambience_volume = labelled(
            QSlider(Qt.Orientation.Horizontal), "Background volume", "Background volume"
        )
        self.ambience_volume.setRange(0, 100)
        self.ambience_volume.setMaximumWidth(120)
        self.ambience_volume.valueChanged.connect(self._on_ambience_volume)
        controls.addWidget(QLabel("Volume"))
        controls.addWidget(self.volume)
        controls.addStretch(1)
        controls.addWidget(self.back15)
        controls.addWidget(self.play_button)
        controls.addWidget(self.forward15)
        controls.addStretch(1)
        controls.addWidget(self.ambience)
        self.ambience_volume_label = QLabel("Background volume")
        self.ambience_volume_label.setBuddy(self.ambience_volume)
        controls.addWidget(self.ambience_volume_label)
        controls.addWidget(self.ambience_volume)
        outer.addLayout(controls)
        return page

    def _build_message_page(self, heading_name: str) -> tuple[QWidget, QLabel, QLabel]:
        """A calm centred page: a heading, a line of text, and the way back to the library."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        heading = QLabel()
        heading.setObjectName(heading_name)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel()
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        back = button("Back to the library", "Back to the library", "Back to the library", self.backRequested)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addWidget(back, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        return page, heading, text

    def _build_complete_page(self) -> QWidget:
        page, heading, self.complete_text = self._build_message_page("completeHeading")
        heading.setText("Session complete")
        return page

    def _build_problem_page(self) -> QWidget:
        page, self.problem_title, self.problem_text = self._build_message_page("problemTitle")
        return page

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
        self._choose_ambience(script, ambience)
        self._start_session(resume_ms)
        self._fill_length_picker(script, length)  # once the sound is on its way

    def _start_session(self, resume_ms: int, keep_place: tuple[dict, int] | None = None) -> None:
        """Plays the session at once; its sentences are spoken as it goes (see StreamingSession)."""
        assert self.now is not None
        try:
            session = self._new_session()
        except KindredError as error:
            self.now.timeline = None
            self._timeline = None
            self._show_problem(error.title, error.explanation)
            return
        timeline = timeline_to_dict(self.now.script, session.timeline)
        self.now.timeline = self._timeline = timeline
        if keep_place is not None:
            old_timeline, old_position = keep_place
            resume_ms = map_position(old_timeline, timeline, old_position)
        elif self._start_section is not None:
            resume_ms = section_start_ms(timeline, self._start_section)
        # Only the first start of a session starts at the section; a new length keeps the place.
        self._start_section = None
        # Sound first: the screen is filled while the output already plays.
        self.player.load(session, start_ms=resume_ms, autoplay=True)
        self._fill_transcript(timeline)
        self.title_label.setText(self.now.title)
        self._current_cue, self._current_section = None, -1
        self.pages.setCurrentIndex(PLAYING_PAGE)
        self._on_position(resume_ms)
        self._save_timer.start()
        self._record_start(keep_place is not None)
        self.sessionStarted.emit(self.now.title)
        self.timelineChanged.emit(timeline)

    def _new_session(self) -> StreamingSession:
        assert self.now is not None
        voice = self.store.get_setting("voice")
        rate = int(self.store.get_setting("rate", DEFAULT_RATE_WPM))
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

    def _on_preparing(self, preparing: bool) -> None:
        self.preparing_label.setVisible(preparing)

    def _on_timeline_changed(self, plan: Timeline) -> None:
        """Sentences arrive at their real lengths: the pauses ahead move, captions follow."""
        if self.now is None:
            return
        timeline = timeline_to_dict(self.now.script, plan)
        self.now.timeline = self._timeline = timeline
        for index, section in enumerate(timeline["sections"]):
            item = self.chapters.item(index)
            if item is not None:
                item.setText(_chapter_text(section))
        for index, cue in enumerate(timeline["cues"]):
            item = self.transcript.item(index)
            if item is not None:
                item.setData(Qt.ItemDataRole.UserRole, round(cue["start"] * 1000))
        self.timelineChanged.emit(timeline)

    # -- length -------------------------------------------------------------------------

    def _fill_length_picker(self, script: Script, length: float | None) -> None:
        with QSignalBlocker(self.length_picker):
            self.length_picker.clear()
            rate = int(self.store.get_setting("rate", DEFAULT_RATE_WPM))
            offered = playable_lengths(script, rate)
            if length is not None and length not in offered:
                offered.append(length)
            for seconds in offered:
                self.length_picker.addItem(
                    "Natural" if seconds is None else format_duration(seconds), seconds
                )
            self.length_picker.setCurrentIndex(max(0, self.length_picker.findData(length)))
        self.length_picker.setEnabled(len(offered) > 1)

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

    # -- background sound and volume ----------------------------------------------------

    def _choose_ambience(self, script: Script, ambience: str | None) -> None:
        if ambience == "default":
            ambience = preferred_ambience(self.store, script)
        if ambience == "none":
            ambience = None
        index = self.ambience.findData(ambience)
        self.ambience.setCurrentIndex(index if index >= 0 else 0)

    def refresh_ambience_choices(self) -> None:
        """After a sound was added or removed in Settings; the one playing stays, even if removed."""
        fill_ambience_combo(self.ambience, PLAYER_AMBIENCE_FIXED, keep=self.ambience.currentData())

    def _on_ambience_picked(self, index: int) -> None:
        self._apply_background()

    def _background(self) -> Background | None:
        """The background chosen, at the level of its slider (decoded once per name)."""
        name = self.ambience.currentData()
        if not name:
            return None
        loop = self._loops.get(name)
        if loop is None:
            loop = self._loops[name] = Background.load(decoded_ambience(name, paths.cache_dir()), 1.0)
        return Background(loop.loop, slider_to_gain(self.ambience_volume.value() / 100))

    def _apply_background(self) -> None:
        try:
            self.player.set_background(self._background())
        except KindredError as error:
            self.problem.emit(error.title, error.explanation)

    # -- export -------------------------------------------------------------------------

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

    def _on_volume(self, value: int) -> None:
        self.player.set_volume(value / 100)
        self.store.set_setting("volume", value / 100)

    def _on_ambience_volume(self, value: int) -> None:
        self._apply_background()
        self.store.set_setting("ambience_volume", value / 100)

    # -- following the position ---------------------------------------------------------

    def _fill_transcript(self, timeline: dict) -> None:
        self.chapters.clear()
        for index, section in enumerate(timeline["sections"]):
            item = QListWidgetItem(_chapter_text(section))
            item.setData(Qt.ItemDataRole.UserRole, index)
            self.chapters.addItem(item)
        self.transcript.clear()
        for cue in timeline["cues"]:
            item = QListWidgetItem(cue["text"])
            item.setData(Qt.ItemDataRole.UserRole, round(cue["start"] * 1000))
            self.transcript.addItem(item)
        if not timeline["cues"]:
            self.caption.setText("Silence. Rest here until the bell.")

    def _on_duration(self, duration: int) -> None:
        self.seek_slider.setRange(0, max(0, duration))

    def _on_position(self, position: int) -> None:
        if self._timeline is None:
            return
        if not self._seeking:
            with QSignalBlocker(self.seek_slider):
                self.seek_slider.setValue(position)
            self.elapsed.setText(clock_ms(position))
        duration = self.player.duration() or round(self._timeline["length"] * 1000)
        self.remaining.setText("-" + clock_ms(duration - position))
        seconds = position / 1000
        section = section_index_at(self._timeline, seconds)
        if section != self._current_section and self._timeline["sections"]:
            self._current_section = section
            self.section_label.setText(self._timeline["sections"][section]["title"] or "")
            self.chapters.setCurrentRow(section)
        cue = cue_index_at(self._timeline, seconds)
        if cue != self._current_cue:
            self._current_cue = cue
            if cue is not None:
                self.caption.setText(self._timeline["cues"][cue]["text"])
                self.transcript.setCurrentRow(cue)
                self.transcript.scrollToItem(
                    self.transcript.item(cue), QListWidget.ScrollHint.PositionAtCenter
                )
        # Between sentences the last caption stays, dimmed, so the eye is not jolted.
        speaking = cue_is_speaking(self._timeline, cue, seconds)
        if self.caption.property("speaking") != speaking:  # restyling on every tick is wasted work
            self.caption.setProperty("speaking", speaking)
            self.caption.style().unpolish(self.caption)
            self.caption.style().polish(self.caption)

    def _on_playing(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
        if not playing:
            self.save_position()

    def _on_seek_released(self) -> None:
        self._seeking = False
        self.player.seek(self.seek_slider.value())

    def _on_chapter_activated(self, item: QListWidgetItem) -> None:
        if self._timeline is None:
            return
        index = int(item.data(Qt.ItemDataRole.UserRole))
        # Rounded up as "Play from here" does: rounding down lands in the section before.
        self.player.seek(section_start_ms(self._timeline, index))

    def _on_transcript_clicked(self, item: QListWidgetItem) -> None:
        self.player.seek(int(item.data(Qt.ItemDataRole.UserRole)))

    def _on_finished(self) -> None:
        if self.now is None:
            return
        self._save_timer.stop()
        if self.recorder is not None:
            self.recorder.end(True)
        if self.now.key != "timer":
            self.store.clear_position(self.now.key)
        minutes = round((self._timeline or {}).get("length", 0) / 60)
        self.complete_text.setText(
            f"{self.now.title} · {minutes} min\n\nTake a moment before you move on. "
            "Perhaps carry one kind intention into the rest of your day."
        )
        self.pages.setCurrentIndex(COMPLETE_PAGE)
        # What the voice added to the cache for it: the least recently used makes room now,
        # when nothing is starting to play (the window trims at start too).
        trim_soon(self.store.get_setting(LIMIT_SETTING))
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
        length_ms = round((self.now.length or self.now.timeline["length"]) * 1000)
        self.store.save_position(self.now.key, length_ms, position, max(self._current_section, 0))

    # -- the listening log --------------------------------------------------------------

    def _record_start(self, same_listen: bool) -> None:
        if self.recorder is None or self.now is None or self.now.timeline is None:
            return
        length = float(self.now.length or self.now.timeline.get("length", 0))
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
        return max(self._current_section, 0)

    def caption_text(self) -> str:
        return self.caption.text()


def _chapter_text(section: dict) -> str:
    return f"{section['title'] or 'Beginning'}    {clock_ms(round(section['start'] * 1000))}"


def preferred_ambience(store: Store, script: Script) -> str | None:
    """The background a session starts with: the one chosen in Settings, or the script's own."""
    preference = store.get_setting("default_ambience", "script")
    ambience = script.meta.ambience if preference == "script" else preference
    return None if ambience == "none" else ambience


def section_start_ms(timeline: dict, index: int) -> int:
    """Where section `index` of a rendered session begins; the first one from the very start.

    Rounded up: a millisecond before the start still belongs to the section before.
    """
    sections = timeline["sections"]
    if index <= 0 or not sections:
        return 0
    return math.ceil(sections[min(index, len(sections) - 1)]["start"] * 1000)


def map_position(old: dict, new: dict, position_ms: int) -> int:
    """The same place in a re-rendered session: same sentence, or the same share of the silence after it.

    Only silences change between lengths, so the listener stays in the same section.
    """
    seconds = position_ms / 1000
    index = cue_index_at(old, seconds)
    if index is None or index >= len(new["cues"]):
        section = section_index_at(old, seconds)
        return round(new["sections"][section]["start"] * 1000) if new["sections"] else 0
    old_cue, new_cue = old["cues"][index], new["cues"][index]
    if seconds < old_cue["end"]:
        return round((new_cue["start"] + seconds - old_cue["start"]) * 1000)
    old_gap_end = old["cues"][index + 1]["start"] if index + 1 < len(old["cues"]) else old["length"]
    new_gap_end = new["cues"][index + 1]["start"] if index + 1 < len(new["cues"]) else new["length"]
    share = (seconds - old_cue["end"]) / max(1e-6, old_gap_end - old_cue["end"])
    return round((new_cue["end"] + share * (new_gap_end - new_cue["end"])) * 1000)
