"""Synthesized utterances, levelled and trimmed, kept by a hash of everything that shapes them.

A second render of the same script synthesizes nothing; editing one sentence re-synthesizes
only that sentence.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from app.files import no_room, place_if_absent
from app.leftovers import owned_prefix
from app.render.cache_limit import mark_used
from app.render.loudness import level_speech
from app.render.pcm import SESSION_RATE, frame_count, read_wav, to_session_rate, write_wav
from app.tts import chosen_voice
from app.tts.engine import SpeechEngine, SpeechRequest
from app.tts.pronounce import own_rules, respell

#: Raise when the processing below changes, so old clips are not reused.
PROCESSING_VERSION = 1
#: Speech is trimmed where it stays below this level: the same threshold silence is measured at.
TRIM_THRESHOLD_DB = -50.0
EDGE_FADE_SECONDS = 0.003


class SpeechCache:
    """Clips by their written text; what is synthesized (and keyed) is the text as it is said.

    The key holds the engine's identity for the voice (engine, version, model hash, settings),
    the rate, and the spoken text, which carries every pronunciation applied.
    """

    def __init__(
        self,
        folder: Path,
        engine: SpeechEngine,
        voice: str | None,
        rate: int,
        pronounce: Sequence[tuple[str, str]] = (),
    ):
        self.folder = Path(folder)
        self.engine = engine
        self.voice = chosen_voice(engine, voice)
        self.rate = rate
        self.identity = engine.cache_identity(self.voice)
        self.respellings = own_rules(pronounce)
        self._paths: dict[str, Path] = {}

    def spoken(self, text: str) -> str:
        return respell(text, self.respellings)

    def path_for(self, text: str) -> Path:
        path = self._paths.get(text)
        if path is None:  # each text once: respelling runs every rule over it, on the way to Play
            identity = "\0".join(
                [self.identity, self.voice, str(self.rate), self.spoken(text), str(PROCESSING_VERSION)]
            )
            digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()
            path = self._paths[text] = self.folder / digest[:2] / f"{digest[2:34]}.wav"
        return path

    def missing(self, texts: Iterable[str]) -> list[str]:
        """Texts not spoken yet; those that are count as used now (the cache keeps them longest)."""
        missing = []
        for text in dict.fromkeys(texts):
            path = self.path_for(text)
            if path.exists():
                mark_used(path)
            else:
                missing.append(text)
        return missing

    def frames(self, text: str) -> int:
        return frame_count(self.path_for(text))

    def fill(
        self,
        texts: Iterable[str],
        on_progress: Callable[[int, int], None] | None = None,
        should_cancel: Callable[[], bool] | None = None,
    ) -> int:
        """Synthesize and process every text not yet cached; returns how many were made.

        Processing (levelling, trimming) runs where the voice runs, in its worker processes,
        so it is spread over the machine's cores.
        """
        todo = self.missing(texts)
        if not todo:
            return 0
        self.folder.mkdir(parents=True, exist_ok=True)
        # The voice's raw output goes to the system's temporary folder: a render killed
        # mid-way leaves only finished clips in the cache, never raw or partial files.
        try:
            raw_dir = Path(tempfile.mkdtemp(prefix=owned_prefix("speech")))
        except OSError as error:
            raise no_room(error, Path(tempfile.gettempdir())) or error from error
        requests = [
            SpeechRequest(
                self.spoken(text), raw_dir / f"{index}.wav", self.voice, self.rate, postprocess=PROCESS_CLIP
            )
            for index, text in enumerate(todo)
        ]
        done = 0

        def finished(index: int) -> None:
            nonlocal done
            # Another Kindred may have spoken the same sentence meanwhile: the first clip stays,
            # so every session planned with it is heard with it.
            place_if_absent(requests[index].out_path, self.path_for(todo[index]))
            done += 1
            if on_progress:
                on_progress(done, len(todo))

        try:
            self.engine.synthesize(requests, on_done=finished, should_cancel=should_cancel)
        finally:
            shutil.rmtree(raw_dir, ignore_errors=True)
        return len(todo)


#: Levelling and trimming run inside the engine's worker processes, in parallel (see SpeechRequest).
PROCESS_CLIP = "app.render.speech_cache:process_clip_file"


def process_clip_file(path: str) -> None:
    """Turn the voice's raw WAV into a cache clip, in place: session rate, levelled, trimmed."""
    samples, rate = read_wav(Path(path))
    clip = trim_silence(level_speech(to_session_rate(samples, rate), SESSION_RATE))
    write_wav(Path(path), clip)


def trim_silence(samples: np.ndarray, threshold_db: float = TRIM_THRESHOLD_DB) -> np.ndarray:
    """Cut the voice's own leading and trailing quiet, so pauses between utterances are exact."""
    threshold = 10 ** (threshold_db / 20)
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if len(loud) == 0:
        return samples[:0]
    clip = samples[loud[0] : loud[-1] + 1].copy()
    # A few ms of fade keep the cut from clicking; the signal there is already near silence.
    fade = min(len(clip) // 2, int(EDGE_FADE_SECONDS * SESSION_RATE))
    if fade:
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
        clip[:fade] *= ramp
        clip[-fade:] *= ramp[::-1]
    return clip
