"""The app's voice: the neural voices first, the computer's own voices as the fallback.

One SpeechEngine over two: Piper (the default, a natural voice) and pyttsx3 (espeak-ng and the
system's voices, always a choice and the fallback). Each request goes to the engine whose voice
it names. When the neural voice cannot be used (piper-tts or its voice package missing, the
model file not the official one, a model that does not load), `fallback_reason` says why in
words for the user, and the system voice speaks instead; nothing else changes for the caller.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from app.tts.engine import NoVoiceError, SpeechEngine, SpeechError, SpeechRequest, Voice

NEURAL_PREFIX = "piper/"


class VoiceRouter:
    engine_id = "kindred-voices"

    def __init__(
        self,
        neural: Callable[[], SpeechEngine] | None,
        system: Callable[[], SpeechEngine],
        neural_problem: str | None = None,
    ) -> None:
        """`neural` and `system` make the engines when first needed; `neural_problem` is why
        there is no neural voice when `neural` is None."""
        self._make_neural = neural
        self._make_system = system
        self._neural: SpeechEngine | None = None
        self._system: SpeechEngine | None = None
        self.fallback_reason: str | None = None if neural else neural_problem
        # The window warms the neural voice up on a thread while a render may ask for it.
        self._starting = threading.Lock()

    # -- the engines ----------------------------------------------------------------------

    def neural(self) -> SpeechEngine | None:
        """The neural engine once its workers have loaded a voice, or None (see fallback_reason)."""
        with self._starting:
            return self._start_neural()

    def _start_neural(self) -> SpeechEngine | None:
        if self._neural is None and self._make_neural is not None:
            make, self._make_neural = self._make_neural, None
            try:
                engine = make()
                ready = getattr(engine, "ensure_ready", None)
                if ready is not None:
                    ready()
            except (SpeechError, OSError) as error:
                detail = error.explanation if isinstance(error, SpeechError) else str(error)
                self.fallback_reason = f"The natural voice could not start: {detail}"
            else:
                self._neural = engine
        return self._neural

    def reload_voices(self, voices: list, problem: str | None = None) -> None:
        """The neural voices changed (one added or removed): list them from now on."""
        with self._starting:
            if self._neural is not None:
                self._neural.set_voices(voices)  # type: ignore[attr-defined]
            elif voices and self._make_neural is None:
                from app.tts.piper_engine import PiperEngine

                self._make_neural = lambda: PiperEngine(voices)
                self.fallback_reason = problem

    def system(self) -> SpeechEngine:
        if self._system is None:
            self._system = self._make_system()
        return self._system

    def _engine_for(self, voice: str) -> SpeechEngine:
        if voice.startswith(NEURAL_PREFIX):
            neural = self.neural()
            if neural is None:
                raise SpeechError(
                    f"The voice “{voice}” cannot speak now. {self.fallback_reason or ''} "
                    "Choose another voice in Settings or with --voice."
                )
            return neural
        return self.system()

    # -- SpeechEngine -------------------------------------------------------------------

    def voices(self) -> list[Voice]:
        found: list[Voice] = []
        neural = self.neural()
        if neural is not None:
            found += neural.voices()
        try:
            found += self.system().voices()
        except NoVoiceError:
            if not found:
                raise  # neither engine has a voice: the system engine says what to install
        return found

    def default_voice(self) -> str:
        neural = self.neural()
        if neural is not None:
            return neural.default_voice()
        return self.system().default_voice()

    def resolve_voice(self, wanted: str | None) -> str:
        """The voice to speak with for a wish that may name a neural voice no longer usable."""
        if not wanted:
            return self.default_voice()
        if wanted.startswith(NEURAL_PREFIX):
            neural = self.neural()
            if neural is None:
                return self.system().default_voice()
            if wanted not in {voice.id for voice in neural.voices()}:
                return neural.default_voice()  # a voice of one's own that has been removed since
        return wanted

    def cache_identity(self, voice: str) -> str:
        return self._engine_for(voice).cache_identity(voice)

    def synthesize(
        self,
        requests: Sequence[SpeechRequest],
        on_done: Callable[[int], None] | None = None,
        should_cancel: Callable[[], bool] | None = None,
    ) -> None:
        default = self.default_voice() if any(not r.voice for r in requests) else ""
        groups: dict[int, tuple[SpeechEngine, list[int]]] = {}
        for index, request in enumerate(requests):
            engine = self._engine_for(request.voice or default)
            groups.setdefault(id(engine), (engine, []))[1].append(index)
        for engine, indexes in groups.values():
            chosen = [requests[i] for i in indexes]
            done = (lambda position, indexes=indexes: on_done(indexes[position])) if on_done else None
            engine.synthesize(chosen, on_done=done, should_cancel=should_cancel)

    def warm_up(self) -> None:
        """Start the neural voice's workers (the window calls this as it opens)."""
        neural = self.neural()
        warm = getattr(neural, "warm_up", None)
        if warm is not None:
            warm()

    def close(self) -> None:
        for engine in (self._neural, self._system):
            if engine is not None:
                engine.close()
        self._make_neural = None

    def __enter__(self) -> VoiceRouter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
