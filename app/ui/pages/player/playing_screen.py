"""The page shown while a session plays, and how it shows a place in the session.

From the top: the title with the length picker and Export; the caption (the sentence being spoken,
under its section) with the chapters below it, beside the transcript; the position slider; the
play and skip buttons between the voice's volume and the background sound.

Widgets and what they show only: the PlayerView connects them to the player and the store.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.render.sidecar import Sidecar
from app.time_text import clock_ms
from app.ui.pages.player.session_choices import PLAYER_AMBIENCE_FIXED
from app.ui.pages.player.transcript import ChapterList, TranscriptList
from app.ui.widgets.ambience_choice import fill_ambience_combo
from app.ui.widgets.basics import button, labelled

#: Shown in place of a caption when the session has nothing to say.
SILENT_SESSION_CAPTION = "Silence. Rest here until the bell."


class PlayingScreen(QWidget):
    """The playing page; see the module's docstring."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("playingPage")
        self.current_cue: int | None = None
        self.current_section = -1  # none shown yet
        self._seeking = False  # the slider is held: it follows the hand, not the sound
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.addLayout(self._build_header())
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self._build_caption_pane())
        self.splitter.addWidget(self._build_transcript_pane())
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        outer.addWidget(self.splitter, 1)
        outer.addLayout(self._build_seek_row())
        outer.addLayout(self._build_controls())

    # -- building ---------------------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        self.back_button = button("‹ Library", "Back to the library", "Back to the library")
        self.title_label = QLabel()
        self.title_label.setObjectName("sessionTitle")
        header.addWidget(self.back_button)
        header.addSpacing(12)
        header.addWidget(self.title_label, 1)
        self.length_picker = labelled(
            QComboBox(), "Session length", "Change the length; the voice keeps your place"
        )
        header.addWidget(QLabel("Length"))
        header.addWidget(self.length_picker)
        header.addSpacing(8)
        self.export_button = button(
            "Export…",
            "Export",
            "Save this session as an audio file, at this length and with this background sound",
            object_name="exportButton",
        )
        self.export_button.setEnabled(False)  # until a session is open
        header.addWidget(self.export_button)
        return header

    def _build_caption_pane(self) -> QWidget:
        """The sentence being spoken under its section's title, and the chapters below."""
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 12, 12, 0)
        self.section_label = QLabel()
        self.section_label.setObjectName("captionSection")
        self.section_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel()
        self.caption.setObjectName("caption")
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setMinimumHeight(140)
        labelled(self.caption, "Caption", "What the voice is saying now")
        self.preparing_label = QLabel("The voice is preparing what comes next…")
        self.preparing_label.setObjectName("preparing")
        self.preparing_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preparing_label.hide()
        layout.addStretch(1)
        layout.addWidget(self.section_label)
        layout.addWidget(self.caption)
        layout.addWidget(self.preparing_label)
        layout.addStretch(1)
        self.chapters = ChapterList()
        layout.addWidget(_pane_heading("Chapters"))
        layout.addWidget(self.chapters)
        return pane

    def _build_transcript_pane(self) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(12, 12, 0, 0)
        self.transcript = TranscriptList()
        layout.addWidget(_pane_heading("Transcript"))
        layout.addWidget(self.transcript)
        return pane

    def _build_seek_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.elapsed = QLabel("00:00")
        self.remaining = QLabel("-00:00")
        self.seek_slider = labelled(QSlider(Qt.Orientation.Horizontal), "Position", "Move to another moment")
        self.seek_slider.setObjectName("seek")
        self.seek_slider.sliderPressed.connect(lambda: setattr(self, "_seeking", True))
        # Connected before the view's own handler, which seeks: the sound leads again from there.
        self.seek_slider.sliderReleased.connect(lambda: setattr(self, "_seeking", False))
        self.seek_slider.sliderMoved.connect(lambda value: self.elapsed.setText(clock_ms(value)))
        row.addWidget(self.elapsed)
        row.addWidget(self.seek_slider, 1)
        row.addWidget(self.remaining)
        return row

    def _build_controls(self) -> QHBoxLayout:
        """Volume on the left, play and skip in the middle, the background sound on the right."""
        controls = QHBoxLayout()
        self.back15 = button("↺ 15 s", "Back 15 seconds", "Back 15 seconds (Left arrow)")
        self.play_button = button("Play", "Play or pause", "Play or pause (Space)", object_name="playButton")
        self.forward15 = button("15 s ↻", "Forward 15 seconds", "Forward 15 seconds (Right arrow)")
        self.volume = labelled(QSlider(Qt.Orientation.Horizontal), "Volume", "Voice volume")
        self.volume.setRange(0, 100)
        self.volume.setMaximumWidth(140)
        controls.addWidget(QLabel("Volume"))
        controls.addWidget(self.volume)
        controls.addStretch(1)
        controls.addWidget(self.back15)
        controls.addWidget(self.play_button)
        controls.addWidget(self.forward15)
        controls.addStretch(1)
        self._add_background_controls(controls)
        return controls

    def _add_background_controls(self, controls: QHBoxLayout) -> None:
        self.ambience = labelled(QComboBox(), "Background sound", "A sound under the voice, or none")
        fill_ambience_combo(self.ambience, PLAYER_AMBIENCE_FIXED)
        self.ambience_volume = labelled(
            QSlider(Qt.Orientation.Horizontal), "Background volume", "Background volume"
        )
        self.ambience_volume.setRange(0, 100)
        self.ambience_volume.setMaximumWidth(120)
        self.ambience_volume_label = QLabel("Background volume")
        self.ambience_volume_label.setBuddy(self.ambience_volume)
        controls.addWidget(self.ambience)
        controls.addWidget(self.ambience_volume_label)
        controls.addWidget(self.ambience_volume)

    # -- showing a session ------------------------------------------------------------------

    def show_session(self, title: str, timeline: Sidecar) -> None:
        """A session starting (or starting again at another length): its title, chapters and words."""
        self.chapters.fill(timeline)
        self.transcript.fill(timeline)
        if not timeline.cues:
            self.caption.setText(SILENT_SESSION_CAPTION)
        self.title_label.setText(title)
        self.current_cue, self.current_section = None, -1

    def retime(self, timeline: Sidecar) -> None:
        """The same session with its sentences at their real lengths: the times move, nothing else."""
        self.chapters.retime(timeline)
        self.transcript.retime(timeline)

    def show_position(self, timeline: Sidecar, position: int, duration: int) -> None:
        """The place `position` (ms) of `duration`: clocks, slider, section, caption and transcript."""
        if not self._seeking:
            with QSignalBlocker(self.seek_slider):
                self.seek_slider.setValue(position)
            self.elapsed.setText(clock_ms(position))
        self.remaining.setText("-" + clock_ms(duration - position))
        seconds = position / 1000
        section = timeline.section_index_at(seconds)
        if section != self.current_section and timeline.sections:
            self.current_section = section
            self.section_label.setText(timeline.sections[section].title or "")
            self.chapters.setCurrentRow(section)
        cue = timeline.cue_index_at(seconds)
        if cue != self.current_cue:
            self.current_cue = cue
            if cue is not None:
                self.caption.setText(timeline.cues[cue].text)
                self.transcript.show_row(cue)
        # Between sentences the last caption stays, dimmed, so the eye is not jolted.
        self._show_speaking(timeline.cue_is_speaking(cue, seconds))

    def _show_speaking(self, speaking: bool) -> None:
        if self.caption.property("speaking") == speaking:
            return  # restyling on every tick is wasted work
        self.caption.setProperty("speaking", speaking)
        self.caption.style().unpolish(self.caption)
        self.caption.style().polish(self.caption)


def _pane_heading(text: str) -> QLabel:
    heading = QLabel(text)
    heading.setObjectName("paneHeading")
    return heading
