"""A session that plays while its voice speaks.

It is planned at once from the voice's pace (every voice is calibrated to the rate, so a
sentence takes about words × 60 / rate seconds), and its sentences are synthesized in play
order on a thread of its own, a few at a time (one per speech worker). Each arriving sentence
is put in at its real length by re-planning, which moves only what is not yet mixed and lets
the flexible pauses ahead absorb the difference: the session still ends at the chosen length.
`read()` is what a streaming player pulls; it answers None for a block that reaches a
sentence not spoken yet (the player waits, "preparing").
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Callable
from pathlib import Path

import numpy as np

from app.render.cache_limit import hold, release
from app.render.estimate import SPEECH_MARGIN, sentence_seconds
from app.render.levels import pcm_samples
from app.render.mix import Background
from app.render.pcm import SESSION_RATE
from app.render.replan import replan_timeline
from app.render.sounds import decoded_bell
from app.render.speech_cache import SpeechCache
from app.render.timeline import LENGTH_TOLERANCE, LengthError, Timeline, plan_timeline, utterances_of
from app.render.voice_track import SessionSource, VoiceTrack
from app.script import Bell, Script, format_duration
from app.tts.engine import SpeechCancelled, SpeechEngine, SpeechError

#: Sentences sent to the voice at a time: as many as it has workers, so each is busy.
BATCH = 2


class StreamingSession:
    def __init__(
        self,
        script: Script,
        engine: SpeechEngine,
        *,
        length: float | None,
        voice: str | None,
        rate: int,
        cache_root: Path,
        background: Background | None = None,
        on_change: Callable[[Timeline], None] | None = None,
    ) -> None:
        self.script = script
        self.cache = SpeechCache(Path(cache_root) / "speech", engine, voice, rate, script.meta.pronounce)
        self.rate = rate
        self.on_change = on_change or (lambda timeline: None)
        names = {item.name for _, item in script.items() if isinstance(item, Bell)}
        self._bells = {name: pcm_samples(decoded_bell(name, Path(cache_root)))[0] for name in names}
        self._clips: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._mixed_until = 0  # frames already handed to the player: they never move again
        self._cancel = threading.Event()
        self.error: SpeechError | None = None
        # Its clips stay in the cache while it lives: a length change or a seek reads them again.
        texts = list(dict.fromkeys(self._order(script)))
        held = [self.cache.path_for(text) for text in texts]
        hold(held)
        self._release = weakref.finalize(self, release, held)
        for text in texts:
            if not self.cache.missing([text]):
                self._clips[text] = pcm_samples(self.cache.path_for(text))[0]
        self.timeline = plan_timeline(
            script,
            sentence_frames=self._frames_of,
            bell_frames=lambda name: len(self._bells[name]),
            rate=SESSION_RATE,
            length=length,
        )
        if length is not None and any(event.flexible for event in self.timeline.events):
            self._check_margin(length)
        self.target_frames = self.timeline.total_frames
        self.exact = True
        self._background = background
        self._source = self._make_source()
        self._todo = [text for text in texts if text not in self._clips]
        self._thread: threading.Thread | None = None

    # -- what the player uses -----------------------------------------------------------

    @property
    def total_frames(self) -> int:
        return self.timeline.total_frames

    def read(self, start: int, frames: int) -> np.ndarray | None:
        with self._lock:
            block = self._source.read(start, frames)
            if block is not None:
                self._mixed_until = max(self._mixed_until, start + frames)
            return block

    def start(self, from_frame: int = 0) -> None:
        """Synthesize what is missing, in play order from `from_frame`, on a thread."""
        self.prioritize(from_frame)
        self._thread = threading.Thread(target=self._synthesize, name="kindred-streaming", daemon=True)
        self._thread.start()

    def prioritize(self, frame: int) -> None:
        """After a seek: speak what lies ahead of `frame` first, and keep what is before it in
        place, so the sentence sought does not move while the listener waits for it."""
        with self._lock:
            self._mixed_until = max(self._mixed_until, frame)
            self._todo.sort(key=lambda text: self._play_order(text, frame))

    def set_background(self, background: Background | None) -> None:
        """Another background sound or level: blocks read from now on have it."""
        with self._lock:
            self._background = background
            self._source = self._make_source()

    def stop(self) -> None:
        self._cancel.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._release()

    def wait(self, timeout: float | None = None) -> bool:
        """Until every sentence is spoken (tests, export); True when they are."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self._todo

    # -- synthesis ----------------------------------------------------------------------

    def _synthesize(self) -> None:
        while self._todo and not self._cancel.is_set():
            with self._lock:
                batch, self._todo = self._todo[:BATCH], self._todo[BATCH:]
            try:
                self.cache.fill(batch, should_cancel=self._cancel.is_set)
            except (SpeechCancelled, SpeechError) as error:
                with self._lock:
                    self._todo = batch + self._todo
                if isinstance(error, SpeechError):
                    self.error = error
                return
            arrived = {text: pcm_samples(self.cache.path_for(text))[0] for text in batch}
            with self._lock:
                self._clips.update(arrived)
                result = replan_timeline(
                    self.timeline, self._known_frames, self._mixed_until, target_frames=self.target_frames
                )
                self.timeline, self.exact = result.timeline, result.exact
                self._source = self._make_source()
            self.on_change(self.timeline)

    # -- helpers ------------------------------------------------------------------------

    def _make_source(self) -> SessionSource:
        track = VoiceTrack(self.timeline, self._clips.get, lambda name: self._bells[name])
        return SessionSource(track, self._background)

    def _frames_of(self, text: str) -> int:
        clip = self._clips.get(text)
        return len(clip) if clip is not None else round(sentence_seconds(text, self.rate) * SESSION_RATE)

    def _check_margin(self, length: float) -> None:
        """Refuses a length that fits only if no sentence comes out longer than estimated:
        the same margin as the lengths offered (app.render.estimate.SPEECH_MARGIN)."""
        guessed = sum(e.frames for e in self.timeline.speech() if e.text not in self._clips)
        needed = self.timeline.natural_frames + round(SPEECH_MARGIN * guessed)
        if round(length * SESSION_RATE) < needed - round(LENGTH_TOLERANCE * SESSION_RATE):
            shortest = format_duration(float(math.ceil(needed / SESSION_RATE)))
            raise LengthError(
                f"“{self.script.meta.title}” needs at least {shortest} with this voice and rate; "
                f"{format_duration(length)} is too short. Choose {shortest} or longer."
            )

    def _known_frames(self, text: str) -> int | None:
        clip = self._clips.get(text)
        return None if clip is None else len(clip)

    def _play_order(self, text: str, from_frame: int) -> tuple[int, int]:
        """Sentences at or after the play head first, in order; those before it last."""
        start = next((e.start for e in self.timeline.speech() if e.text == text and e.end > from_frame), None)
        if start is not None:
            return (0, start)
        first = next(e.start for e in self.timeline.speech() if e.text == text)
        return (1, first)

    @staticmethod
    def _order(script: Script) -> list[str]:
        return utterances_of(script)
