"""The streaming player: plays a StreamingSession through StreamOutput while its voice speaks.

The same signals and times (ms) as the file player (app/ui/player.py), plus `preparing`: true
while the next sound is a sentence the voice has not spoken yet (at the start of an uncached
session, after a seek into what is not synthesized). Pausing suspends the sink; a seek starts
the output again from the new frame and asks the session to speak what lies ahead first.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.render.streaming import StreamingSession
from app.ui.stream_output import StreamOutput

#: How often the position is reported (the captions follow it).
TICK_MS = 100


class StreamPlayer(QObject):
    positionChanged = Signal(int)
    durationChanged = Signal(int)
    playingChanged = Signal(bool)
    preparingChanged = Signal(bool)
    finished = Signal()
    errorOccurred = Signal(str)
    #: True when no audio output exists; playback goes on silently and resumes aloud when one appears.
    noAudioDeviceChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.session: StreamingSession | None = None
        self.output: StreamOutput | None = None
        self._playing = False
        self._preparing = False
        self._done = False
        self._volume = 0.8
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    # -- the session --------------------------------------------------------------------

    def load(self, session: StreamingSession, start_ms: int = 0, autoplay: bool = True) -> None:
        self.unload()
        self.session = session
        self.output = StreamOutput(session.timeline.rate, self)
        self.output.noAudioDeviceChanged.connect(self.noAudioDeviceChanged)
        start = self._frame(start_ms)
        session.start(from_frame=start)
        self.durationChanged.emit(self.duration())
        self._done = False
        self.output.start(session, start)
        self.output.set_volume(self._volume)
        if not autoplay:
            self.output.pause()
        self._set_playing(autoplay)
        self._timer.start()

    def unload(self) -> None:
        self._timer.stop()
        if self.output is not None:
            self.output.stop()
            self.output.deleteLater()
            self.output = None
        if self.session is not None:
            self.session.stop()
            self.session = None
        self._set_playing(False)
        self._set_preparing(False)

    def play(self) -> None:
        if self.output is None:
            return
        if self._done:
            self.seek(0)
        self.output.resume()
        self._set_playing(True)

    def pause(self) -> None:
        if self.output is not None:
            self.output.pause()
        self._set_playing(False)

    def toggle(self) -> None:
        self.pause() if self._playing else self.play()

    def is_playing(self) -> bool:
        return self._playing

    def is_preparing(self) -> bool:
        return self._preparing

    def position(self) -> int:
        if self.output is None or self.session is None:
            return 0
        return round(self.output.position_frames() * 1000 / self.session.timeline.rate)

    def duration(self) -> int:
        if self.session is None:
            return 0
        return round(self.session.total_frames * 1000 / self.session.timeline.rate)

    def seek(self, position_ms: int) -> None:
        if self.session is None or self.output is None:
            return
        frame = min(self._frame(max(0, position_ms)), self.session.total_frames)
        self.session.prioritize(frame)
        self._done = False
        self.output.start(self.session, frame)
        self.output.set_volume(self._volume)
        if not self._playing:
            self.output.pause()
        self.positionChanged.emit(self.position())

    def skip(self, delta_ms: int) -> None:
        self.seek(self.position() + delta_ms)

    def volume(self) -> float:
        return self._volume

    def set_volume(self, slider: float) -> None:
        self._volume = max(0.0, min(1.0, slider))
        if self.output is not None:
            self.output.set_volume(self._volume)

    def underruns(self) -> int:
        return self.output.underruns() if self.output is not None else 0

    def has_audio_device(self) -> bool:
        return StreamOutput.has_audio_device()

    # -- while playing ------------------------------------------------------------------

    def _tick(self) -> None:
        if self.output is None or self.session is None:
            return
        if self.session.error is not None:
            error, self.session.error = self.session.error, None
            self.pause()
            self.errorOccurred.emit(error.explanation)
            return
        self._set_preparing(self._playing and self.output.waiting())
        self.positionChanged.emit(self.position())
        if not self._done and self.output.finished():
            self._done = True
            self._set_playing(False)
            self.finished.emit()

    def _frame(self, position_ms: int) -> int:
        rate = self.session.timeline.rate if self.session is not None else 22050
        return round(position_ms * rate / 1000)

    def _set_playing(self, playing: bool) -> None:
        if playing != self._playing:
            self._playing = playing
            self.playingChanged.emit(playing)

    def _set_preparing(self, preparing: bool) -> None:
        if preparing != self._preparing:
            self._preparing = preparing
            self.preparingChanged.emit(preparing)

