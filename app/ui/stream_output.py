"""Sound streamed to the speakers: QAudioSink pulls 16-bit PCM from a device this module feeds.

With no sound output at all, a clock thread takes the sound at the speakers' pace instead, so a
session goes on silently (its position moves, it ends) and continues aloud, from where it is,
as soon as an output appears.

QAudioSink in pull mode reads a QIODevice from its own thread, so `readData` must be cheap: a
feeder thread mixes the session ahead into a buffer (at least BUFFER_S of sound) from a block
source, and a busy UI thread never starves the sound. When the buffer runs dry (the voice has
not spoken the next sentence yet, or the machine is overloaded) the device hands out silence
and counts an underrun. The position is what the speakers have been given of the session,
not of that padding.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Protocol

import numpy as np
from PySide6.QtCore import QIODevice, QObject, Signal
from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices

from app.ui.player import slider_to_linear

#: What the feeder keeps ready ahead of the speakers.
BUFFER_S = 0.75
#: Frames mixed at a time: small enough to be quick, large enough to be few.
BLOCK_FRAMES = 2048
#: How long the feeder waits before asking a source that was not ready again.
RETRY_S = 0.02
#: The device's own buffer, and how long a start waits for the first block to be mixed.
SINK_BUFFER_S = 0.25
PRIME_WAIT_S = 0.25


class BlockSource(Protocol):
    rate: int
    total_frames: int

    def read(self, start: int, frames: int) -> np.ndarray | None:
        """int16 samples of frames start..start+frames, or None when they are not ready yet."""
        ...


class _PullDevice(QIODevice):
    """The QIODevice QAudioSink reads; every method is quick and takes one lock."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.chunks: deque[bytes] = deque()
        self.buffered = 0  # bytes in `chunks`
        self.delivered = 0  # session bytes handed to the sink
        self.padded = 0  # bytes of silence handed over where the session had none ready
        self.underruns = 0  # the buffer ran dry mid-sound: a glitch
        self.waits = 0  # silence while the voice prepares what comes next: not a glitch
        self.waiting = False  # the feeder waits for a sentence the voice has not spoken yet
        self.primed = False  # the feeder has pushed its first block (the sink may ask before)
        self.ended = False

    def isSequential(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def bytesAvailable(self) -> int:  # noqa: N802 (Qt's name)
        return 1 << 30  # always "more": an empty buffer gives silence rather than stopping the sink

    def readData(self, maxlen: int) -> bytes:  # noqa: N802 (Qt's name)
        wanted = maxlen - (maxlen & 1)
        out = bytearray()
        with self.lock:
            while self.chunks and len(out) < wanted:
                chunk = self.chunks.popleft()
                room = wanted - len(out)
                if len(chunk) > room:
                    self.chunks.appendleft(chunk[room:])
                    chunk = chunk[:room]
                out += chunk
            self.buffered -= len(out)
            self.delivered += len(out)
            if len(out) < wanted and not self.ended:
                # Silence in the middle is not the session's; after its end nothing is counted,
                # so that what was played catches up with what was given.
                self.padded += wanted - len(out)
                if self.waiting or not self.primed:
                    self.waits += 1
                else:
                    self.underruns += 1
        return bytes(out) + bytes(wanted - len(out))

    def writeData(self, data: bytes) -> int:  # noqa: N802 (Qt's name)
        return -1  # read-only

    def push(self, data: bytes, last: bool = False) -> None:
        with self.lock:
            self.chunks.append(data)
            self.buffered += len(data)
            self.primed = True
            self.ended = last  # with the last block, under the lock: no read in between counts it as padding


class _SilentClock(threading.Thread):
    """Reads the device in real time where no speakers are: what a sink would have played."""

    STEP_S = 0.02

    def __init__(self, device: _PullDevice, rate: int):
        super().__init__(name="kindred-silent-clock", daemon=True)
        self.device, self.rate = device, rate
        self.stop = threading.Event()
        self.paused = threading.Event()
        self.taken = 0  # bytes read, the counterpart of a sink's processedUSecs

    def run(self) -> None:
        last = time.monotonic()
        owed = 0.0
        while not self.stop.wait(self.STEP_S):
            now = time.monotonic()
            if self.paused.is_set():
                last = now
                continue
            owed += (now - last) * self.rate * 2
            last = now
            count = int(owed) - int(owed) % 2
            if count:
                self.device.readData(count)
                self.taken += count
                owed -= count


class StreamOutput(QObject):
    """Plays a BlockSource from a frame on; `position_frames()` is what has been played."""

    #: True when no sound output exists: playing on silently, aloud again when one appears.
    noAudioDeviceChanged = Signal(bool)

    def __init__(self, rate: int, parent: QObject | None = None):
        super().__init__(parent)
        self.rate = rate
        self.format = QAudioFormat()
        self.format.setSampleRate(rate)
        self.format.setChannelCount(1)
        self.format.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self._sink: QAudioSink | None = None
        self._device: _PullDevice | None = None
        self._feeder: threading.Thread | None = None
        self._stop = threading.Event()
        self._start_frame = 0
        self._volume = 1.0
        self._clock: _SilentClock | None = None
        self._source: BlockSource | None = None
        self._paused = False
        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._follow_default_output)

    def start(self, source: BlockSource, start_frame: int = 0) -> None:
        self.stop()
        self._source = source
        self._paused = False
        self._start_frame = start_frame
        self._device = _PullDevice()
        self._device.open(QIODevice.OpenModeFlag.ReadOnly)
        self._stop = threading.Event()
        self._feeder = threading.Thread(
            target=_feed, args=(source, start_frame, self._device, self._stop, self.rate), daemon=True,
            name="kindred-stream-feeder",
        )
        self._feeder.start()
        # The sink takes a buffer's worth at once when it starts: were the feeder not ready, that
        # would be silence played before the first sound. A cached block is ready in a few ms.
        deadline = time.monotonic() + PRIME_WAIT_S
        while not (self._device.primed or self._device.waiting) and time.monotonic() < deadline:
            time.sleep(0.002)
        device = QMediaDevices.defaultAudioOutput()
        if device.isNull():
            self._clock = _SilentClock(self._device, self.rate)
            self._clock.start()
            return
        self._sink = QAudioSink(device, self.format, self)
        # A short buffer at the device: what is played follows a seek or a pause at once; the
        # feeder's own buffer (BUFFER_S) is what keeps the sound from running dry.
        self._sink.setBufferSize(int(SINK_BUFFER_S * self.rate) * 2)
        self._sink.setVolume(self._volume)
        self._sink.start(self._device)

    @staticmethod
    def has_audio_device() -> bool:
        return not QMediaDevices.defaultAudioOutput().isNull()

    def pause(self) -> None:
        self._paused = True
        if self._sink is not None:
            self._sink.suspend()
        if self._clock is not None:
            self._clock.paused.set()

    def resume(self) -> None:
        self._paused = False
        if self._sink is not None:
            self._sink.resume()
        if self._clock is not None:
            self._clock.paused.clear()

    def stop(self) -> None:
        self._stop.set()
        if self._clock is not None:
            self._clock.stop.set()
            self._clock.join(timeout=2)
            self._clock = None
        if self._sink is not None:
            self._sink.stop()
            self._sink.deleteLater()
            self._sink = None
        if self._feeder is not None:
            self._feeder.join(timeout=2)
            self._feeder = None
        if self._device is not None:
            self._device.close()
            self._device = None

    def set_volume(self, slider: float) -> None:
        """A slider position (0-1), heard evenly: Qt's logarithmic scale to the sink's linear gain."""
        self._volume = slider_to_linear(slider)
        if self._sink is not None:
            self._sink.setVolume(self._volume)

    def underruns(self) -> int:
        return self._device.underruns if self._device is not None else 0

    def waiting(self) -> bool:
        """Silent because the voice has not spoken what comes next (the player shows "preparing")."""
        device = self._device
        return device is not None and device.waiting and device.buffered == 0

    def position_frames(self) -> int:
        """The session frame the speakers are at: what the device has played, less the silence
        it was given while the session had nothing ready (that silence is not the session's)."""
        if self._device is None or (self._sink is None and self._clock is None):
            return self._start_frame
        if self._sink is not None:
            played = round(self._sink.processedUSecs() * self.rate / 1_000_000)
        else:
            played = self._clock.taken // 2
        with self._device.lock:
            delivered, padded = self._device.delivered // 2, self._device.padded // 2
        return self._start_frame + max(0, min(delivered, played - padded))

    def finished(self) -> bool:
        """The source has ended and the speakers have played all of it (not only been given it)."""
        device = self._device
        if device is None or not device.ended or device.buffered:
            return False
        with device.lock:
            delivered = device.delivered // 2
        return self.position_frames() >= self._start_frame + delivered

    # -- outputs that come and go -------------------------------------------------------

    def _follow_default_output(self) -> None:
        """Speakers plugged in (or out): go on from where the session is, on the new default."""
        if self._source is None or self._device is None:
            self.noAudioDeviceChanged.emit(not self.has_audio_device())
            return
        position, paused = self.position_frames(), self._paused
        self.start(self._source, position)
        if paused:
            self.pause()
        self.noAudioDeviceChanged.emit(not self.has_audio_device())


def _feed(source: BlockSource, start: int, device: _PullDevice, stop: threading.Event, rate: int) -> None:
    """The feeder thread: keeps BUFFER_S of the session ready in the device."""
    ahead = int(BUFFER_S * rate) * 2
    cursor = start
    while not stop.is_set():
        if cursor >= source.total_frames:
            device.ended = True
            return
        if device.buffered >= ahead:
            stop.wait(RETRY_S)
            continue
        count = min(BLOCK_FRAMES, source.total_frames - cursor)
        block = source.read(cursor, count)
        device.waiting = block is None
        if block is None:
            stop.wait(RETRY_S)  # the voice has not spoken it yet
            continue
        cursor += count
        device.push(np.asarray(block, dtype="<i2").tobytes(), last=cursor >= source.total_frames)

