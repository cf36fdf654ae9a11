"""The device the sound output's sink reads: the PCM the feeder pushed, in the order it was
pushed, and silence when there is none; it keeps the position and counts the gaps.

Part of the sound output (stream_output.py explains the whole): the feeder thread pushes blocks
in (stream_feeder.py), the sink on the audio thread, or the silent clock, reads them out
(stream_sink.py). The constants here are the sink's format and timing, which all of them share.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from PySide6.QtCore import QIODevice

#: The sound server's buffer: what is heard follows a seek within this; the feeder's own buffer
#: (stream_feeder.BUFFER_S) is what keeps the sound from running dry.
SINK_BUFFER_S = 0.1
#: What the sink is given for each session frame: two frames (the rate doubled) of two float channels.
RATE_FACTOR = 2
CHANNELS = 2
BYTES_PER_FRAME = RATE_FACTOR * CHANNELS * 4
#: A new stream of the sound server takes this long to get going (the first in a process up to
#: 1 s): the pause in its reading then is not a glitch.
STREAM_START_S = 1.5


class PullDevice(QIODevice):
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
            since_read = now - self.last_read if self.last_read is not None else 0.0
            late = since_read > SINK_BUFFER_S
            if self.playing and late and not starting:
                self.underruns += 1  # the sink was not fed for longer than its buffer lasts
                self.late += 1
                if len(self.late_gaps) < 100:
                    frame = self.first_frame + self.delivered // BYTES_PER_FRAME
                    self.late_gaps.append((frame, since_read))
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

    def writeData(self, data: bytes | bytearray | memoryview, size: int, /) -> int:  # noqa: N802 (Qt's name)
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
