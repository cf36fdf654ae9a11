"""The player: a small class over QMediaPlayer with its own signals; times are in ms.

One QMediaPlayer plays the rendered session (voice and bells); a second one loops the
ambience under it with its own volume, fading in at the start and out before the end.
Works without a window, so `kindred play` uses it too.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import Q_ARG, QMetaObject, QObject, Qt, QUrl, Signal
from PySide6.QtMultimedia import QAudio, QAudioOutput, QMediaDevices, QMediaPlayer

SKIP_MS = 15_000
AMBIENCE_FADE_IN_MS = 6_000
AMBIENCE_FADE_OUT_MS = 10_000


def slider_to_linear(slider: float) -> float:
    """A volume slider position (0-1) to the linear gain QAudioOutput wants, heard evenly."""
    position = max(0.0, min(1.0, slider))
    return float(QAudio.convertVolume(position, QAudio.LogarithmicVolumeScale, QAudio.LinearVolumeScale))


def _invoke(target: QObject, slot: str, *args: object) -> None:
    """Calls a QMediaPlayer slot synchronously with Python's GIL released.

    A plain `player.stop()` keeps the GIL while Qt's FFmpeg backend waits for its audio
    thread; that thread, when it is just then destroying an old renderer, calls
    disconnectNotify on our (Python-made) QAudioOutput, which wants the GIL: both wait for
    ever. Seen within a few calls of stop/setSource in a row. invokeMethod lets go of the GIL.
    """
    if not QMetaObject.invokeMethod(target, slot, Qt.ConnectionType.DirectConnection, *args):
        raise RuntimeError(f"{type(target).__name__} has no slot {slot}")


def _set_source(target: QMediaPlayer, url: QUrl) -> None:
    _invoke(target, "setSource", Q_ARG(QUrl, url))


def _set_position(target: QMediaPlayer, position_ms: int) -> None:
    _invoke(target, "setPosition", Q_ARG("qint64", int(position_ms)))


class Player(QObject):
    positionChanged = Signal(int)
    durationChanged = Signal(int)
    playingChanged = Signal(bool)
    finished = Signal()
    errorOccurred = Signal(str)
    #: True when no audio output exists; playback goes on silently and resumes aloud when one appears.
    noAudioDeviceChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._output = QAudioOutput(self)
        self._media = QMediaPlayer(self)
        self._media.setAudioOutput(self._output)
        self._ambience_output = QAudioOutput(self)
        self._ambience = QMediaPlayer(self)
        self._ambience.setAudioOutput(self._ambience_output)
        self._ambience.setLoops(QMediaPlayer.Loops.Infinite)
        self._volume = 0.8
        self._ambience_volume = 0.5
        self._pending_seek: int | None = None
        self._autoplay = False
        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._follow_default_output)

        self._media.positionChanged.connect(self._on_position)
        self._media.durationChanged.connect(lambda duration: self.durationChanged.emit(int(duration)))
        self._media.playbackStateChanged.connect(self._on_state)
        self._media.mediaStatusChanged.connect(self._on_status)
        self._media.errorOccurred.connect(lambda _error, text: self.errorOccurred.emit(text))
        self._output.setVolume(slider_to_linear(self._volume))
        self._ambience_output.setVolume(0.0)

    # -- the session --------------------------------------------------------------------

    def load(self, path: Path, start_ms: int = 0, autoplay: bool = True) -> None:
        """Open a finished session file; seeking waits until the media is loaded (Qt drops it before)."""
        self._pending_seek = start_ms if start_ms > 0 else None
        self._autoplay = autoplay
        _invoke(self._media, "stop")
        _set_source(self._media, QUrl.fromLocalFile(str(path)))
        # The ambience starts playing with the session, before Qt's first position update:
        # without this it would come in at the level the previous session left it at.
        self._update_ambience_level(start_ms if start_ms > 0 else 0)
        if autoplay:
            _invoke(self._media, "play")

    def unload(self) -> None:
        self._pending_seek = None  # else position() would go on reporting a seek meant for the old file
        _invoke(self._media, "stop")
        _invoke(self._ambience, "stop")
        _set_source(self._media, QUrl())

    def play(self) -> None:
        if self._media.mediaStatus() == QMediaPlayer.MediaStatus.EndOfMedia:
            _set_position(self._media, 0)
        _invoke(self._media, "play")

    def pause(self) -> None:
        _invoke(self._media, "pause")

    def toggle(self) -> None:
        if self.is_playing():
            self.pause()
        else:
            self.play()

    def is_playing(self) -> bool:
        return self._media.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def has_media(self) -> bool:
        return not self._media.source().isEmpty()

    def position(self) -> int:
        return self._pending_seek if self._pending_seek is not None else int(self._media.position())

    def duration(self) -> int:
        return int(self._media.duration())

    def seek(self, position_ms: int) -> None:
        position_ms = max(0, int(position_ms))
        duration = self.duration()
        if duration > 0:
            position_ms = min(position_ms, duration)
        if self._media.mediaStatus() in (
            QMediaPlayer.MediaStatus.LoadingMedia,
            QMediaPlayer.MediaStatus.NoMedia,
        ):
            self._pending_seek = position_ms
            return
        _set_position(self._media, position_ms)
        self._update_ambience_level(position_ms)

    def skip(self, delta_ms: int) -> None:
        self.seek(self.position() + delta_ms)

    # -- volumes ------------------------------------------------------------------------

    def volume(self) -> float:
        return self._volume

    def set_volume(self, slider: float) -> None:
        self._volume = max(0.0, min(1.0, slider))
        self._output.setVolume(slider_to_linear(self._volume))

    # -- ambience -----------------------------------------------------------------------

    def set_ambience(self, path: Path | None) -> None:
        _invoke(self._ambience, "stop")
        if path is None:
            _set_source(self._ambience, QUrl())
            return
        _set_source(self._ambience, QUrl.fromLocalFile(str(path)))
        if self.is_playing():
            _invoke(self._ambience, "play")
        self._update_ambience_level(self.position())

    def ambience_volume(self) -> float:
        return self._ambience_volume

    def set_ambience_volume(self, slider: float) -> None:
        self._ambience_volume = max(0.0, min(1.0, slider))
        self._update_ambience_level(self.position())

    def ambience_gain(self) -> float:
        """The linear gain the ambience plays at now (fades included); for tests and meters."""
        return float(self._ambience_output.volume())

    def _update_ambience_level(self, position_ms: int) -> None:
        duration = self.duration()
        fade = 1.0
        if position_ms < AMBIENCE_FADE_IN_MS:
            fade = position_ms / AMBIENCE_FADE_IN_MS
        if duration > 0 and duration - position_ms < AMBIENCE_FADE_OUT_MS:
            fade = min(fade, max(0.0, (duration - position_ms) / AMBIENCE_FADE_OUT_MS))
        # An equal-power curve: the fade sounds even rather than dropping late.
        shaped = math.sin(fade * math.pi / 2)
        self._ambience_output.setVolume(slider_to_linear(self._ambience_volume) * shaped)

    # -- Qt's events --------------------------------------------------------------------

    def _on_position(self, position: int) -> None:
        self._update_ambience_level(position)
        self.positionChanged.emit(int(position))

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        if playing and not self._ambience.source().isEmpty():
            _invoke(self._ambience, "play")
        elif not playing:
            _invoke(self._ambience, "pause")
        self.playingChanged.emit(playing)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status in (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia):
            if self._pending_seek is not None:
                target, self._pending_seek = self._pending_seek, None
                _set_position(self._media, target)
                self._update_ambience_level(target)
                self.positionChanged.emit(target)
        elif status == QMediaPlayer.MediaStatus.EndOfMedia:
            _invoke(self._ambience, "stop")
            self.finished.emit()

    def _follow_default_output(self) -> None:
        """When speakers appear or change, play on the new default without stopping."""
        device = QMediaDevices.defaultAudioOutput()
        self._output.setDevice(device)
        self._ambience_output.setDevice(device)
        self.noAudioDeviceChanged.emit(device.isNull())

    def has_audio_device(self) -> bool:
        return not QMediaDevices.defaultAudioOutput().isNull()
