"""Logs every listen from the player: time actually heard, checkpoints, and how it ended.

Heard time is wall-clock time while playing, counted only for position steps that match the
time that passed: a seek jumps the position far faster (or backwards) and is not listening.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from app.history import ListenLog
from app.ui.services.stream_player import StreamPlayer

#: How often the heard time is written while playing (the issue asks for at least every 10 s).
CHECKPOINT_MS = 5_000
#: A position step further than this from the wall time that passed is a seek, not listening.
JUMP_TOLERANCE_S = 1.5


class ListenRecorder(QObject):
    """Follows one `StreamPlayer` and writes its listens to a `ListenLog`."""

    listenFinished = Signal(int, bool)  # listen id, completed

    def __init__(self, player: StreamPlayer, log: ListenLog, parent: QObject | None = None):
        super().__init__(parent if parent is not None else player)
        self.player = player
        self.log = log
        self.listen_id: int | None = None
        self.heard_s = 0.0
        self._timer_sit = False
        self._last_pos: int | None = None  # ms, the last position seen
        self._last_wall: float | None = None  # monotonic s when it was seen while playing
        self._checkpoints = QTimer(self)
        self._checkpoints.setInterval(CHECKPOINT_MS)
        self._checkpoints.timeout.connect(self.checkpoint)
        player.positionChanged.connect(self._on_position)
        player.playingChanged.connect(self._on_playing)

    @property
    def active(self) -> bool:
        return self.listen_id is not None

    def begin(self, key: str, title: str, theme: str | None, length_s: float, timer: bool) -> int:
        """Starts a new listen (ending any listen still open, as not completed by the player)."""
        self.end(False)
        self._timer_sit = timer
        self.listen_id = self.log.start_listen("timer" if timer else key, title, theme, max(0.0, length_s))
        self.heard_s = 0.0
        self._last_pos = self.player.position()
        self._last_wall = time.monotonic() if self.player.is_playing() else None
        if self.player.is_playing():
            self._checkpoints.start()
        return self.listen_id

    def set_length(self, length_s: float) -> None:
        """The listener chose another length part way: the same listen goes on, measured against it."""
        if self.listen_id is not None:
            self.log.edit(self.listen_id, length_s=max(0.0, length_s))

    def checkpoint(self) -> None:
        if self.listen_id is not None:
            self.log.checkpoint(self.listen_id, self.heard_s)

    def end(self, completed_by_player: bool) -> None:
        """Finishes the open listen, if any; the player reaching the end of a timer completes it."""
        if self.listen_id is None:
            return
        self._checkpoints.stop()
        if completed_by_player:
            self._count_tail()
        listen_id, self.listen_id = self.listen_id, None
        # ListenLog's rule decides (90% heard); a timer that ran to its end is done whatever was skipped.
        completed = True if (completed_by_player and self._timer_sit) else None
        listen = self.log.finish(listen_id, self.heard_s, completed=completed)
        self._last_pos = self._last_wall = None
        self.listenFinished.emit(listen_id, listen.completed)

    # -- following the player ---------------------------------------------------------------

    def _step(self, position: int) -> None:
        """Counts the step from the last position to `position` if it was heard, not jumped."""
        now = time.monotonic()
        if self._last_pos is not None and self._last_wall is not None:
            moved = (position - self._last_pos) / 1000
            passed = now - self._last_wall
            if moved > 0 and abs(moved - passed) <= JUMP_TOLERANCE_S:
                self.heard_s += moved
        self._last_pos = position
        self._last_wall = now if self.player.is_playing() else None

    def _on_position(self, position: int) -> None:
        if self.listen_id is None:
            return
        if self.player.is_playing():
            self._step(position)
        else:
            # A seek while paused: remember where, count nothing.
            self._last_pos, self._last_wall = position, None

    def _on_playing(self, playing: bool) -> None:
        if self.listen_id is None:
            return
        if playing:
            self._last_pos = self.player.position()
            self._last_wall = time.monotonic()
            self._checkpoints.start()
        else:
            # Count up to where it stopped (the end of the file, at the end) before the clock stops.
            if self._last_wall is not None:
                self._step(self.player.position())
            self._last_wall = None
            self._checkpoints.stop()
            self.checkpoint()

    def _count_tail(self) -> None:
        # The last position update comes a little before the end of the file: count that bit too.
        duration = self.player.duration()
        if duration > 0 and self._last_pos is not None and self._last_wall is not None:
            tail = (duration - self._last_pos) / 1000
            if tail > 0 and abs(tail - (time.monotonic() - self._last_wall)) <= JUMP_TOLERANCE_S:
                self.heard_s += tail
