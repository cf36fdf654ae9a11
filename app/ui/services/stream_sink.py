"""What reads the device at the speakers' pace: the QAudioSink, hosted on the audio thread,
or, where no sound output exists, a clock thread that takes the sound as a sink would have.

Part of the sound output (stream_output.py explains the whole, and why the sink and the device
live on a thread of their own).
"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QCoreApplication, QObject, QThread, Slot
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSink

from app.ui.services.stream_device import BYTES_PER_FRAME, SINK_BUFFER_S, PullDevice


class SilentClock(threading.Thread):
    """Reads the device in real time where no speakers are: what a sink would have played."""

    STEP_S = 0.02

    def __init__(self, device: PullDevice, rate: int):
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


class SinkHost(QObject):
    """Owns the QAudioSink on the audio thread; its slots run there (queued from the UI)."""

    def __init__(self, device: PullDevice, audio_format: QAudioFormat):
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
