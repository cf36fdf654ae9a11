"""Sound streamed to the speakers: one QAudioSink, for the output's life, pulls 16-bit PCM from a
device this module feeds.

Measured on PySide6 6.11 through PulseAudio (see STACK_NOTES and benchmarks/bench_ui.py):
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
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from collections import deque
from typing import Protocol

import numpy as np
from PySide6.QtCore import (
    QCoreApplication,
    QIODevice,
    QMetaObject,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtMultimedia import QAudio, QAudioDevice, QAudioFormat, QAudioSink, QMediaDevices

#: What the feeder keeps ready ahead of the speakers.
BUFFER_S = 0.75
#: Frames mixed at a time: small enough to be quick, large enough to be few.
BLOCK_FRAMES = 2048
#: How long the feeder waits before asking a source that was not ready again.
RETRY_S = 0.02
#: The sound server's buffer: what is heard follows a seek within this; the feeder's own buffer
#: (BUFFER_S) is what keeps the sound from running dry.
SINK_BUFFER_S = 0.1
#: What the sink is given for each session frame: two frames (the rate doubled) of two float channels.
RATE_FACTOR = 2
CHANNELS = 2
BYTES_PER_FRAME = RATE_FACTOR * CHANNELS * 4
#: A new stream of the sound server takes this long to get going (the first in a process up to
#: 1 s): the pause in its reading then is not a glitch.
STREAM_START_S = 1.5
#: After a session is taken away the sink plays silence this long, then is suspended: its
#: buffer then holds silence, and the next session does not begin with the end of this one.
IDLE_SUSPEND_MS = 400


def slider_to_linear(slider: float) -> float:
    """A volume slider position (0-1) to the linear gain the sink wants, heard evenly."""
    position = max(0.0, min(1.0, slider))
    return float(QAudio.convertVolume(position, QAudio.LogarithmicVolumeScale, QAudio.LinearVolumeScale))


class BlockSource(Protocol):
    rate: int
    total_frames: int

    def read(self, start: int, frames: int) -> np.ndarray | None:
        """int16 samples of frames start..start+frames, or None when they are not ready yet."""
        ...


class _PullDevice(QIODevice):
    """The QIODevice the sink reads, for the output's whole life; every method is quick and
    takes one lock. A new source (a session, a seek) starts a new `generation`: what an older
    feeder still pushes is dropped, and the position starts again at the new frame."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.chunks: deque[bytes] = deque()
        self.buffered = 0  # bytes in `chunks`
        self.generation = 0
        self.first_frame = 0  # the session frame the current source started at
        self.delivered = 0  # bytes of the current source handed to the sink
        self.playing = False  # a source is attached and not paused: silence now is a gap
        self.underruns = 0  # the buffer ran dry mid-sound, or the sink was starved: a glitch
        self.dry = 0  # of which: the feeder had nothing ready
        self.late = 0  # of which: the sink's thread was not let run for longer than its buffer lasts
        self.late_gaps: list[tuple[int, float]] = []  # (session frame, seconds without a read): the log
        self.waits = 0  # silence while the voice prepares what comes next: not a glitch
        self.waiting = False  # the feeder waits for a sentence the voice has not spoken yet
        self.primed = False  # the feeder has pushed the first block of this source
        self.ended = False  # the source's last block has been pushed
        self.drained_at: float | None = None  # when the last of an ended source was handed over
        self.last_read: float | None = None
        self.opened_at = 0.0  # when a sink was opened on the device

    def isSequential(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def bytesAvailable(self) -> int:  # noqa: N802 (Qt's name)
        return 1 << 30  # always "more": an empty buffer gives silence rather than stopping the sink

    def readData(self, maxlen: int) -> bytes:  # noqa: N802 (Qt's name)
        wanted = maxlen - maxlen % (CHANNELS * 4)  # whole stereo frames: a float is never split
        out = bytearray()
        now = time.monotonic()
        with self.lock:
            starting = now - self.opened_at < STREAM_START_S
            late = self.last_read is not None and now - self.last_read > SINK_BUFFER_S
            if self.playing and late and not starting:
                self.underruns += 1  # the sink was not fed for longer than its buffer lasts
                self.late += 1
                if len(self.late_gaps) < 100:
                    frame = self.first_frame + self.delivered // BYTES_PER_FRAME
                    self.late_gaps.append((frame, now - self.last_read))
            self.last_read = now if self.playing else None
            while self.chunks and len(out) < wanted:
                chunk = self.chunks.popleft()
                room = wanted - len(out)
                if len(chunk) > room:
                    self.chunks.appendleft(chunk[room:])
                    chunk = chunk[:room]
                out += chunk
            self.buffered -= len(out)
            self.delivered += len(out)  # whole frames: the sink asks for 16 KiB, and a frame is 16 bytes
            if len(out) < wanted and self.playing:
                if self.ended:
                    if self.drained_at is None:
                        self.drained_at = now
                elif self.waiting or not self.primed:
                    self.waits += 1
                else:
                    self.underruns += 1
                    self.dry += 1
        return bytes(out) + bytes(wanted - len(out))

    def writeData(self, data: bytes) -> int:  # noqa: N802 (Qt's name)
        return -1  # read-only

    def attach(self, first_frame: int) -> int:
        """A new source from `first_frame` on: what is buffered goes; returns its generation."""
        with self.lock:
            self.generation += 1
            self.chunks.clear()
            self.buffered = 0
            self.first_frame = first_frame
            self.delivered = 0
            self.waiting = self.primed = self.ended = False
            self.drained_at = None
            self.last_read = None
            return self.generation

    def detach(self) -> None:
        with self.lock:
            self.generation += 1
            self.chunks.clear()
            self.buffered = 0
            self.playing = False
            self.last_read = None

    def set_playing(self, playing: bool) -> None:
        with self.lock:
            self.playing = playing
            self.last_read = None  # a paused sink is not asked: that pause is not starvation

    def push(self, data: bytes, generation: int, last: bool = False) -> bool:
        """Adds a block of the source of `generation`; False when that source was replaced."""
        with self.lock:
            if generation != self.generation:
                return False
            self.chunks.append(data)
            self.buffered += len(data)
            self.primed = True
            # Only now, with the sound in place: a read between "ready" and the push is no gap.
            self.waiting = False
            self.ended = last  # with the last block, under the lock: no read in between counts it as a gap
            return True

    def wait_for_voice(self, generation: int) -> None:
        """The feeder waits for the voice (its next push ends the wait)."""
        with self.lock:
            if generation == self.generation:
                self.waiting = True

    def position(self) -> int:
        with self.lock:
            return self.first_frame + self.delivered // BYTES_PER_FRAME


class _SilentClock(threading.Thread):
    """Reads the device in real time where no speakers are: what a sink would have played."""

    STEP_S = 0.02

    def __init__(self, device: _PullDevice, rate: int):
        super().__init__(name="kindred-silent-clock", daemon=True)
        self.device, self.rate = device, rate
        self.stop = threading.Event()
        self.paused = threading.Event()

    def run(self) -> None:
        last = time.monotonic()
        owed = 0.0
        while not self.stop.wait(self.STEP_S):
            now = time.monotonic()
            if self.paused.is_set():
                last = now
                continue
            owed += (now - last) * self.rate * BYTES_PER_FRAME
            last = now
            count = int(owed) - int(owed) % BYTES_PER_FRAME
            if count:
                self.device.readData(count)
                owed -= count


class _SinkHost(QObject):
    """Owns the QAudioSink on the audio thread; its slots run there (queued from the UI)."""

    def __init__(self, device: _PullDevice, audio_format: QAudioFormat):
        super().__init__()
        self.device = device
        self.format = audio_format
        self.sink: QAudioSink | None = None
        self.volume = 1.0

    @Slot(QAudioDevice)
    def open(self, output: QAudioDevice) -> None:
        self._stop_sink()
        self.sink = QAudioSink(output, self.format, self)
        self.sink.setBufferSize(int(SINK_BUFFER_S * self.format.sampleRate()) * self.format.bytesPerFrame())
        self.sink.setVolume(self.volume)
        self.device.opened_at = time.monotonic()
        self.sink.start(self.device)
        self.sink.suspend()

    @Slot()
    def suspend(self) -> None:
        if self.sink is not None:
            self.sink.suspend()

    @Slot()
    def resume(self) -> None:
        if self.sink is not None:
            self.sink.resume()

    @Slot(float)
    def set_volume(self, volume: float) -> None:
        self.volume = volume
        if self.sink is not None:
            self.sink.setVolume(volume)

    @Slot()
    def close(self) -> None:
        self._stop_sink()
        app = QCoreApplication.instance()
        if app is not None and self.device.thread() == QThread.currentThread():
            # Only its own thread can give it away: back home, for an output opened later.
            self.device.moveToThread(app.thread())

    def _stop_sink(self) -> None:
        if self.sink is not None:
            self.sink.stop()
            self.sink.deleteLater()
            self.sink = None


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
        self._device = _PullDevice()
        self._device.open(QIODevice.OpenModeFlag.ReadOnly)
        self._thread: QThread | None = None
        self._host: _SinkHost | None = None
        self._clock: _SilentClock | None = None
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
            target=_feed,
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
            self._clock = _SilentClock(self._device, self.rate)
            if self._paused:
                self._clock.paused.set()
            self._clock.start()
            return
        self._thread = QThread()
        self._thread.setObjectName("kindred-audio")
        self._host = _SinkHost(self._device, self.format)
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


def _feed(
    source: BlockSource, start: int, device: _PullDevice, generation: int, stop: threading.Event, rate: int
) -> None:
    """The feeder thread: keeps BUFFER_S of the session ready in the device."""
    ahead = int(BUFFER_S * rate) * BYTES_PER_FRAME
    cursor = start
    previous = np.float32(0.0)
    if cursor >= source.total_frames:
        device.push(b"", generation, last=True)  # started at the very end: nothing left to play
    while not stop.is_set() and cursor < source.total_frames:
        if device.buffered >= ahead:
            stop.wait(RETRY_S)
            continue
        count = min(BLOCK_FRAMES, source.total_frames - cursor)
        block = source.read(cursor, count)
        if block is None:
            device.wait_for_voice(generation)
            stop.wait(RETRY_S)  # the voice has not spoken it yet
            continue
        cursor += count
        data, previous = to_output(block, previous)
        if not device.push(data, generation, last=cursor >= source.total_frames):
            return  # replaced by a newer source


def to_output(block: np.ndarray, previous: np.float32) -> tuple[bytes, np.float32]:
    """16-bit mono samples as the sink's stereo float at twice the rate, and the last sample
    (the interpolation carries on from it in the next block)."""
    samples = np.asarray(block, dtype=np.float32) * np.float32(1 / 32768)
    doubled = np.empty((len(samples), RATE_FACTOR), dtype=np.float32)
    doubled[:, 1] = samples
    doubled[:, 0] = samples
    if len(samples):
        doubled[1:, 0] += samples[:-1]
        doubled[0, 0] += previous
        doubled[:, 0] *= np.float32(0.5)  # halfway between a sample and the one before
        previous = samples[-1]
    stereo = np.repeat(doubled.reshape(-1, 1), CHANNELS, axis=1)
    return stereo.astype("<f4").tobytes(), previous
