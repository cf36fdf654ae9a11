"""`kindred play`'s player: a session streamed while its voice speaks, without a window.

This is the Qt part: a QCoreApplication runs the streaming player's event loop, and the line on
the terminal (app.terminal.status_line) shows where the session is. Sound starts with the first
sentence (no render to wait for); the listen is kept in the history as the window keeps it.
Ctrl+C stops cleanly (exit status 130).
"""

from __future__ import annotations

import contextlib
import gc
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from PySide6.QtCore import QCoreApplication, QLoggingCategory, QObject, QTimer

from app import paths
from app.render.mix import Background
from app.render.sidecar import Sidecar
from app.render.sounds import decoded_sound
from app.render.streaming import StreamingSession
from app.render.timeline import Timeline
from app.script import Script
from app.terminal.play_options import ambience_for, remembered_volumes
from app.terminal.status_line import StatusLine
from app.time_text import clock_ms
from app.tts import SpeechEngine

if TYPE_CHECKING:
    from app.history import Store
    from app.ui.services.listen_recorder import ListenRecorder
    from app.ui.services.stream_player import StreamPlayer

EXIT_OK, EXIT_FAILURE, EXIT_INTERRUPTED = 0, 1, 130
#: Python runs its signal handlers only between bytecodes; this tick lets Ctrl+C in while Qt waits.
TICK_MS = 200

NO_AUDIO_DEVICE = (
    "No sound output was found, so playback is silent: connect speakers or headphones, "
    "or start the sound service (PulseAudio or PipeWire); sound starts as soon as one appears."
)
AUDIO_DEVICE_BACK = "A sound output was found: playing aloud."

#: Qt's own chatter about backends and devices ("No audio device detected" is uncategorised):
#: Kindred says what matters in its own words. QT_LOGGING_RULES in the environment still wins,
#: for debugging. Rules rather than a Python message handler: Qt's audio threads log, and a
#: Python handler would make them wait for the GIL (or crash while one is being swapped).
_QUIET_RULES = "qt.multimedia*=false\ndefault.debug=false\ndefault.info=false\ndefault.warning=false"

#: Kept for the life of the process: Qt objects must not outlive the application they belong to.
_app: QCoreApplication | None = None


def play_in_terminal(
    script: Script,
    length: float | None,
    voice: str | None,
    rate: int,
    ambience: str | None,
    engine: SpeechEngine,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Stream the session to its end or until Ctrl+C: 0 when complete, 130 when stopped.

    `ambience` is a name from audio/ambience, "none", or None for the script's default.
    Raises KindredError (unknown ambience, a length the script cannot fill, no voice) for
    the command line to report.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    sound = ambience_for(script, ambience)  # before anything else: a typo should not wait for the voice
    QLoggingCategory.setFilterRules(_QUIET_RULES)
    # Imported only now: loading QtMultimedia already logs, and the rules above must come first.
    from app.ui.services.stream_player import StreamPlayer

    app = _application()
    volume, ambience_volume = remembered_volumes()
    cache_root = paths.cache_dir()
    background = None
    if sound is not None:
        background = Background.load(decoded_sound(sound, cache_root), ambience_volume)
    session = StreamingSession(
        script, engine, length=length, voice=voice, rate=rate, cache_root=cache_root, background=background
    )
    player = StreamPlayer()
    player.set_volume(volume)
    terminal = _TerminalSession(app, player, session, script.meta.title, out, err)
    previous_sigint = signal.signal(signal.SIGINT, lambda _signum, _frame: terminal.interrupt())
    listens = _ListenKeeper(player, script)
    try:
        terminal.silent = not player.has_audio_device()
        if terminal.silent:
            terminal.say(NO_AUDIO_DEVICE, err)
        player.load(session)
        listens.begin(session.total_frames / session.timeline.rate)
        gc.freeze()  # what exists now lasts the session: out of the collector's full passes (see app.ui.app)
        terminal.start()
        if terminal.exit_code is None:
            app.exec()
    finally:
        signal.signal(signal.SIGINT, previous_sigint)
        terminal.close()
        listens.end(completed=terminal.exit_code == EXIT_OK)
        player.close()
    return EXIT_INTERRUPTED if terminal.exit_code is None else terminal.exit_code


class _ListenKeeper:
    """The history of a terminal session, as the window keeps it; an unusable history (locked,
    damaged) is left alone and the session plays all the same."""

    def __init__(self, player: StreamPlayer, script: Script):
        self.player, self.script = player, script
        self.store: Store | None = None
        self.recorder: ListenRecorder | None = None

    def begin(self, length_s: float) -> None:
        try:
            from app.history import ListenLog, Store
            from app.ui.services.listen_recorder import ListenRecorder

            store = self.store = Store(paths.database_path())
            recorder = self.recorder = ListenRecorder(self.player, ListenLog(store))
            key = Path(self.script.source).stem if self.script.source else self.script.meta.title
            recorder.begin(key, self.script.meta.title, self.script.meta.theme, length_s, timer=False)
        except Exception:  # noqa: BLE001 - the history must never stop a session
            self.store = self.recorder = None

    def end(self, completed: bool) -> None:
        try:
            if self.recorder is not None:
                self.recorder.end(completed)
        finally:
            if self.store is not None:
                self.store.close()


def _application() -> QCoreApplication:
    global _app
    existing = QCoreApplication.instance()
    if existing is not None:
        return existing
    _app = QCoreApplication([sys.argv[0] if sys.argv else "kindred"])
    return _app


class _TerminalSession(QObject):
    """Draws the progress line and ends the event loop when the session ends or is stopped."""

    def __init__(
        self,
        app: QCoreApplication,
        player: StreamPlayer,
        session: StreamingSession,
        title: str,
        out: TextIO,
        err: TextIO,
    ):
        super().__init__()
        self.app = app
        self.player = player
        self.session = session
        self._plan: Timeline | None = None
        self._sidecar: Sidecar | None = None
        self.out = out
        self.err = err
        self.line = StatusLine(title, out)
        self.exit_code: int | None = None
        self.silent = False  # no sound output: playing on without sound
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        player.finished.connect(self._complete)
        player.errorOccurred.connect(self._failed)
        player.noAudioDeviceChanged.connect(self._device_changed)

    def start(self) -> None:
        self._timer.start()

    def close(self) -> None:
        self._timer.stop()
        for signal_, slot in (
            (self.player.finished, self._complete),
            (self.player.errorOccurred, self._failed),
            (self.player.noAudioDeviceChanged, self._device_changed),
        ):
            with contextlib.suppress(RuntimeError):
                signal_.disconnect(slot)

    # -- how it ends --------------------------------------------------------------------

    def interrupt(self) -> None:
        """From the SIGINT handler, which Python runs on the main thread between Qt's events."""
        if self.exit_code is not None:
            return
        position = self.player.position()
        self.player.pause()
        self._end(EXIT_INTERRUPTED, f"Stopped at {clock_ms(position)}.", self.out)

    def _complete(self) -> None:
        if self.exit_code is not None:
            return
        duration = self._duration()
        self._draw(duration, duration, force=True)
        self._end(EXIT_OK, "Session complete.", self.out)

    def _failed(self, message: str) -> None:
        if self.exit_code is not None:
            return
        self.player.pause()
        self._end(
            EXIT_FAILURE,
            f"Playback failed: {message or 'the session file could not be played'}. "
            "Run `kindred doctor` to check the audio output, or save the session with `kindred render`.",
            self.err,
        )

    def _end(self, code: int, message: str, stream: TextIO) -> None:
        self.exit_code = code
        self._timer.stop()
        self.say(message, stream)
        # Queued rather than called: a Ctrl+C just before the loop starts must still end it
        # (quit() does nothing while no event loop runs).
        QTimer.singleShot(0, self.app.quit)

    # -- what is shown ------------------------------------------------------------------

    def _device_changed(self, missing: bool) -> None:
        if missing == self.silent:
            return  # another output came or went; what is heard did not change
        self.silent = missing
        self.say(NO_AUDIO_DEVICE if missing else AUDIO_DEVICE_BACK, self.err)

    def say(self, message: str, stream: TextIO) -> None:
        """A message on a line of its own, below the progress line rather than through it."""
        self.line.say(message, stream)

    @property
    def timeline(self) -> Sidecar:
        """The session's plan as it is now (sentences settle as the voice speaks them); made
        into a Sidecar again only when it has changed."""
        plan = self.session.timeline
        if self._sidecar is None or self._plan is not plan:
            self._plan, self._sidecar = plan, Sidecar.from_timeline(self.session.script, plan)
        return self._sidecar

    def _duration(self) -> int:
        return self.player.duration()

    def _tick(self) -> None:
        if self.player.is_playing():
            self._draw(self.player.position(), self._duration())

    def _draw(self, position: int, duration: int, force: bool = False) -> None:
        self.line.draw(self.timeline, position, duration, force)
