"""The player: plays a StreamingSession through StreamOutput while its voice speaks; times in ms.

Works without a window, so `kindred play` uses it too. Besides the usual signals it has
`preparing` (true while the next sound is a sentence the voice has not spoken yet: at the
start of an uncached session, after a seek into what is not synthesized) and `timelineChanged`
(the plan settles as sentences arrive at their real lengths: captions and chapters follow).
One output serves every session the player plays: a seek or a new session swaps what it
plays, at once, and nothing is torn down between them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.render.mix import Background
from app.render.pcm import SESSION_RATE
from app.render.streaming import StreamingSession
from app.render.timeline import Timeline
from app.ui.services.stream_output import StreamOutput

#: How often the position is reported (the captions follow it).
TICK_MS = 100
SKIP_MS = 15_000


class StreamPlayer(QObject):
    positionChanged = Signal(int)
    durationChanged = Signal(int)
    playingChanged = Signal(bool)
    preparingChanged = Signal(bool)
    timelineChanged = Signal(object)  # Timeline
    finished = Signal()
    errorOccurred = Signal(str)
    #: True when no audio output exists; playback goes on silently and resumes aloud when one appears.
    noAudioDeviceChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.session: StreamingSession | None = None
        self.output = StreamOutput(SESSION_RATE, self)
        self.output.noAudioDeviceChanged.connect(self.noAudioDeviceChanged)
        self._timeline: Timeline | None = None
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
        self._timeline = session.timeline
        start = self._frame(start_ms)
        session.start(from_frame=start)
        self.durationChanged.emit(self.duration())
        self._done = False
        self.output.set_volume(self._volume)
        self.output.start(session, start)
        if not autoplay:
            self.output.pause()
        self._set_playing(autoplay)
        self._timer.start()

    def unload(self) -> None:
        self._timer.stop()
        self.output.stop()
        if self.session is not None:
            self.session.stop()
            self.session = None
        self._timeline = None
        self._set_playing(False)
        self._set_preparing(False)

    def close(self) -> None:
        """Ends the sound output's thread (the window quitting)."""
        self.unload()
        self.output.close()

    def prepare_output(self) -> None:
        """Opens the sound output before the first Play, which then starts at once."""
        self.output.prepare()

    def has_media(self) -> bool:
        return self.session is not None

    def play(self) -> None:
        if self.session is None:
            return
        if self._done:
            self.seek(0)
        self.output.resume()
        self._set_playing(True)

    def pause(self) -> None:
        self.output.pause()
        self._set_playing(False)

    def toggle(self) -> None:
        self.pause() if self._playing else self.play()

    def is_playing(self) -> bool:
        return self._playing

    def is_preparing(self) -> bool:
        return self._preparing

    def position(self) -> int:
        if self.session is None:
            return 0
        return round(self.output.position_frames() * 1000 / SESSION_RATE)

    def duration(self) -> int:
        if self.session is None:
            return 0
        return round(self.session.total_frames * 1000 / SESSION_RATE)

    def seek(self, position_ms: int) -> None:
        if self.session is None:
            return
        frame = min(self._frame(max(0, position_ms)), self.session.total_frames)
        self.session.prioritize(frame)
        self._done = False
        self._restart(frame)
        self.positionChanged.emit(self.position())

    def skip(self, delta_ms: int) -> None:
        self.seek(self.position() + delta_ms)

    # -- volumes and the background -----------------------------------------------------

    def volume(self) -> float:
        return self._volume

    def set_volume(self, slider: float) -> None:
        """The voice's (the whole output's) volume: the sink's gain, heard at once."""
        self._volume = max(0.0, min(1.0, slider))
        self.output.set_volume(self._volume)

    def set_background(self, background: Background | None) -> None:
        """Another background sound or level under the session, heard from where it is now."""
        if self.session is None:
            return
        self.session.set_background(background)
        self._restart(self.output.position_frames())

    def underruns(self) -> int:
        return self.output.underruns()

    def underrun_kinds(self) -> tuple[int, int]:
        """(dry, late): the feeder had nothing ready; the sink's thread was held up."""
        return self.output.underrun_kinds()

    def has_audio_device(self) -> bool:
        return StreamOutput.has_audio_device()

    # -- while playing ------------------------------------------------------------------

    def _restart(self, frame: int) -> None:
        """Plays on from `frame` with what the session is now (the buffered sound is dropped)."""
        assert self.session is not None
        self.output.start(self.session, frame)
        if not self._playing:
            self.output.pause()

    def _tick(self) -> None:
        if self.session is None:
            return
        if self.session.error is not None:
            error, self.session.error = self.session.error, None
            self.pause()
            self.errorOccurred.emit(error.explanation)
            return
        if self.session.timeline is not self._timeline:
            before = self._timeline
            if before is None or self.session.timeline.total_frames != before.total_frames:
                self.durationChanged.emit(self.duration())  # only when the pauses could not absorb it
            self._timeline = self.session.timeline
            self.timelineChanged.emit(self._timeline)
        self._set_preparing(self._playing and self.output.waiting())
        self.positionChanged.emit(self.position())
        if not self._done and self.output.finished():
            self._done = True
            self.output.pause()
            self._set_playing(False)
            self.finished.emit()

    @staticmethod
    def _frame(position_ms: int) -> int:
        return round(position_ms * SESSION_RATE / 1000)

    def _set_playing(self, playing: bool) -> None:
        if playing != self._playing:
            self._playing = playing
            self.playingChanged.emit(playing)

    def _set_preparing(self, preparing: bool) -> None:
        if preparing != self._preparing:
            self._preparing = preparing
            self.preparingChanged.emit(preparing)
