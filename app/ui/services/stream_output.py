"""Sound streamed to the speakers: one QAudioSink, for the output's life, pulls 16-bit PCM from a
device this module feeds.

Measured on PySide6 6.11 through PulseAudio (see benchmarks/bench_ui.py):
- the sink pulls through the event loop of the thread it lives in *and* of the thread its
  device lives in, so both live on a thread of their own: with either on the UI thread, a busy
  window stops the pulling and the sound breaks (0.5 s of work, 0.5 s without a read);
- a stream started soon after another one was stopped stays silent for about 2 s, so the sink
  is started once and never stopped while the output lives: a new session or a seek swaps what
  the device hands out, a pause suspends the sink (resuming takes ~50 ms);
- `processedUSecs` is only what was written to the server, so the position here is kept by
  the device itself: the session frames it has handed over;
- the sink reads 16 KiB at a time whatever its buffer size: 0.37 s of the session's own
  22,050 Hz mono 16-bit sound, too late for a seek to be heard at once. The output is
  therefore 44,100 Hz stereo float (16 KiB is 46 ms): each block is doubled in rate by
  linear interpolation (the voice has nothing above 11 kHz to lose) and in channels.

A feeder thread mixes the session ahead into the device (at least BUFFER_S of sound) from a
block source, so `readData` is cheap. When that buffer runs dry (the voice has not spoken the
next sentence yet, or the machine is overloaded) the device hands out silence; a dry buffer
mid-sound, and a sink that was not asked for sound for longer than its own buffer lasts, are
counted as underruns. With no sound output at all, a clock thread takes the sound at the
speakers' pace instead, so a session goes on silently (its position moves, it ends) and
continues aloud, from where it is, as soon as an output appears.

The parts, each in its own module: the device the sink reads (stream_device.py), the feeder
thread that fills it (stream_feeder.py), the sink's host on the audio thread and the silent
clock (stream_sink.py); StreamOutput, here, starts, swaps and stops them from the UI thread.
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref

from PySide6.QtCore import QIODevice, QMetaObject, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtMultimedia import QAudio, QAudioDevice, QAudioFormat, QMediaDevices

from app.ui.services.stream_device import CHANNELS, RATE_FACTOR, SINK_BUFFER_S, PullDevice
from app.ui.services.stream_feeder import BlockSource, feed
from app.ui.services.stream_sink import SilentClock, SinkHost

#: After a session is taken away the sink plays silence this long, then is suspended: its
#: buffer then holds silence, and the next session does not begin with the end of this one.
IDLE_SUSPEND_MS = 400


def slider_to_linear(slider: float) -> float:
    """A volume slider position (0-1) to the linear gain the sink wants, heard evenly."""
    position = max(0.0, min(1.0, slider))
    return float(
        QAudio.convertVolume(
            position, QAudio.VolumeScale.LogarithmicVolumeScale, QAudio.VolumeScale.LinearVolumeScale
        )
    )


_open_outputs: weakref.WeakSet[StreamOutput] = weakref.WeakSet()


@atexit.register
def _close_open_outputs() -> None:
    # A QThread still running when Python exits aborts the process.
    for output in list(_open_outputs):
        output.close()


class StreamOutput(QObject):
    """Plays a BlockSource from a frame on; `position_frames()` is what has been played."""

    #: True when no sound output exists: playing on silently, aloud again when one appears.
    noAudioDeviceChanged = Signal(bool)
    _open = Signal(QAudioDevice)
    _suspend = Signal()
    _resume = Signal()
    _set_gain = Signal(float)

    def __init__(self, rate: int, parent: QObject | None = None):
        super().__init__(parent)
        self.rate = rate
        self.format = QAudioFormat()
        self.format.setSampleRate(rate * RATE_FACTOR)
        self.format.setChannelCount(CHANNELS)
        self.format.setSampleFormat(QAudioFormat.SampleFormat.Float)
        self._device = PullDevice()
        self._device.open(QIODevice.OpenModeFlag.ReadOnly)
        self._thread: QThread | None = None
        self._host: SinkHost | None = None
        self._clock: SilentClock | None = None
        self._feeder: threading.Thread | None = None
        self._stop = threading.Event()
        self._source: BlockSource | None = None
        self._paused = True
        self._gain = 1.0
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_SUSPEND_MS)
        self._idle.timeout.connect(self._suspend_output)
        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._follow_default_output)

    def prepare(self) -> None:
        """Opens the sound output ahead of the first session (its first start is the slow one)."""
        if self._host is None and self._clock is None:
            self._open_output()

    def start(self, source: BlockSource, start_frame: int = 0) -> None:
        """Plays `source` from `start_frame`, at once in place of whatever played before."""
        self._idle.stop()
        self._stop_feeder()
        self._source = source
        generation = self._device.attach(start_frame)
        self._stop = threading.Event()
        self._feeder = threading.Thread(
            target=feed,
            args=(source, start_frame, self._device, generation, self._stop, self.rate),
            daemon=True,
            name="kindred-stream-feeder",
        )
        self._feeder.start()
        self.prepare()
        self._paused = True
        self.resume()

    @staticmethod
    def has_audio_device() -> bool:
        return not QMediaDevices.defaultAudioOutput().isNull()

    def pause(self) -> None:
        self._paused = True
        self._device.set_playing(False)
        self._suspend_output()

    def resume(self) -> None:
        if self._source is None:
            return
        self._paused = False
        self._idle.stop()
        self._device.set_playing(True)
        if self._clock is not None:
            self._clock.paused.clear()
        else:
            self._resume.emit()

    def stop(self) -> None:
        """No session: the output plays silence for a moment, then waits suspended."""
        self._stop_feeder()
        self._source = None
        self._paused = True
        self._device.detach()
        if self._host is not None:
            self._idle.start()
        elif self._clock is not None:
            self._clock.paused.set()

    def close(self) -> None:
        """Ends the audio thread; the output cannot be used afterwards."""
        self.stop()
        self._idle.stop()
        self._close_output()
        _open_outputs.discard(self)

    def set_volume(self, slider: float) -> None:
        """A slider position (0-1), heard evenly: Qt's logarithmic scale to the sink's linear gain."""
        self._gain = slider_to_linear(slider)
        if self._host is not None:
            self._set_gain.emit(self._gain)

    def underruns(self) -> int:
        return self._device.underruns

    def underrun_kinds(self) -> tuple[int, int]:
        return self._device.dry, self._device.late

    def waiting(self) -> bool:
        """Silent because the voice has not spoken what comes next (the player shows "preparing")."""
        return self._source is not None and self._device.waiting and self._device.buffered == 0

    def position_frames(self) -> int:
        """The session frame handed to the speakers last (the silence given while the session
        had nothing ready is not the session's and is not counted)."""
        return self._device.position()

    def finished(self) -> bool:
        """The source has ended and the speakers have played all of it (not only been given it)."""
        drained = self._device.drained_at
        if self._source is None or drained is None:
            return False
        return time.monotonic() - drained >= SINK_BUFFER_S

    # -- the sound output ---------------------------------------------------------------

    def _open_output(self) -> None:
        device = QMediaDevices.defaultAudioOutput()
        if device.isNull():
            self._clock = SilentClock(self._device, self.rate)
            if self._paused:
                self._clock.paused.set()
            self._clock.start()
            return
        self._thread = QThread()
        self._thread.setObjectName("kindred-audio")
        self._host = SinkHost(self._device, self.format)
        self._host.volume = self._gain
        self._host.moveToThread(self._thread)
        # The device too (it goes back when the sink closes): the sink reads it through the
        # event loop of the device's own thread, so a device left on the UI thread went silent
        # whenever the window was busy (measured: 0.5 s of work there, 0.5 s without a read).
        self._device.moveToThread(self._thread)
        self._open.connect(self._host.open)
        self._suspend.connect(self._host.suspend)
        self._resume.connect(self._host.resume)
        self._set_gain.connect(self._host.set_volume)
        self._thread.start()
        _open_outputs.add(self)
        self._open.emit(device)

    def _close_output(self) -> None:
        if self._clock is not None:
            self._clock.stop.set()
            self._clock.join(timeout=2)
            self._clock = None
        if self._host is not None and self._thread is not None:
            QMetaObject.invokeMethod(self._host, "close", Qt.ConnectionType.BlockingQueuedConnection)
            for signal in (self._open, self._suspend, self._resume, self._set_gain):
                signal.disconnect()
            self._thread.quit()
            self._thread.wait(2000)
            self._host.deleteLater()
            self._host = self._thread = None

    def _suspend_output(self) -> None:
        if self._clock is not None:
            self._clock.paused.set()
        elif self._host is not None:
            self._suspend.emit()

    def _stop_feeder(self) -> None:
        self._stop.set()
        if self._feeder is not None:
            self._feeder.join(timeout=2)
            self._feeder = None

    # -- outputs that come and go -------------------------------------------------------

    def _follow_default_output(self) -> None:
        """Speakers plugged in (or out): go on from where the session is, on the new default."""
        if self._host is None and self._clock is None:
            self.noAudioDeviceChanged.emit(not self.has_audio_device())
            return
        source, position, paused = self._source, self.position_frames(), self._paused
        self.stop()
        self._close_output()
        self._open_output()
        if source is not None:
            self.start(source, position)
            if paused:
                self.pause()
        self.noAudioDeviceChanged.emit(not self.has_audio_device())
