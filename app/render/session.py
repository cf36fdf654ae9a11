"""Rendering a script into a finished session: the one entry point the app and CLI call."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.files import atomic_write_text, ensure_room
from app.render.assemble import RenderCancelled, assemble_session
from app.render.cache_limit import in_use, mark_used
from app.render.estimate import refuse_too_long
from app.render.pcm import SESSION_RATE, frame_count
from app.render.sidecar import Sidecar
from app.render.sounds import bell_source, decoded_bell, sound_digest
from app.render.speech_cache import PROCESSING_VERSION, SpeechCache
from app.render.timeline import LengthError, plan_timeline, utterances_of
from app.script import Bell, Script, script_to_text
from app.tts import chosen_voice
from app.tts.engine import DEFAULT_RATE_WPM, SpeechCancelled, SpeechEngine
from app.tts.pronounce import COMMON_RESPELLINGS

#: Raise when the layout of sessions or sidecars changes, so old renders are not reused.
RENDER_VERSION = 1
#: Share of the progress bar that synthesis takes on a cold render.
SYNTHESIS_SHARE = 0.8

ProgressCallback = Callable[[float, str], None]

__all__ = ["RenderCancelled", "RenderResult", "LengthError", "render_session"]


@dataclass(frozen=True)
class RenderResult:
    wav_path: Path
    timeline_path: Path
    timeline: Sidecar  # what the sidecar at timeline_path says
    from_cache: bool
    synthesized: int  # utterances the voice had to speak for this render


def render_session(
    script: Script,
    engine: SpeechEngine,
    *,
    length: float | None = None,
    voice: str | None = None,
    rate: int = DEFAULT_RATE_WPM,
    cache_root: Path | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> RenderResult:
    """Render `script` at `length` seconds (its default, or its natural length, when None).

    Returns the cached session at once when the same render exists. Raises LengthError for a
    length the script cannot fill, RenderCancelled when should_cancel() turns true (leaving no
    file behind), and the engine's SpeechError when the voice fails.
    """
    cache_root = Path(cache_root) if cache_root else paths.cache_dir()
    length = length if length is not None else script.default_length
    voice = chosen_voice(engine, voice)
    report = progress or (lambda fraction, stage: None)

    key = _render_key(script, engine, voice, rate, length)
    wav_path = cache_root / "renders" / f"{key}.wav"
    timeline_path = wav_path.with_suffix(".json")
    if wav_path.exists() and timeline_path.exists():
        mark_used(wav_path, timeline_path)  # the cache keeps what is used, not what is old
        report(1.0, "Ready")
        sidecar = Sidecar.from_dict(json.loads(timeline_path.read_text("utf-8")))
        return RenderResult(wav_path, timeline_path, sidecar, True, 0)

    refuse_too_long(script, rate)  # before the voice speaks a word of it
    cache = SpeechCache(cache_root / "speech", engine, voice, rate, script.meta.pronounce)
    sentences = utterances_of(script)
    report(0.0, "Preparing the voice")
    bell_names = {item.name for _, item in script.items() if isinstance(item, Bell)}
    # ffmpeg decodes the bells while the voice speaks.
    with ThreadPoolExecutor(max_workers=1) as pool:
        decoding = {name: pool.submit(decoded_bell, name, cache_root) for name in bell_names}
        try:
            made = cache.fill(
                sentences,
                on_progress=lambda done, total: report(SYNTHESIS_SHARE * done / total, "Speaking the script"),
                should_cancel=should_cancel,
            )
        except SpeechCancelled as cancelled:
            raise RenderCancelled() from cancelled
        bells = {name: future.result() for name, future in decoding.items()}

    # Planned and assembled from the same clips: they are used now (so no other Kindred's trim
    # takes them while this one assembles) and held for this process's own trims.
    clips = [cache.path_for(text) for text in dict.fromkeys(sentences)]
    mark_used(*clips)
    with in_use(clips):
        return _assemble(script, cache, bells, length, wav_path, made, report, should_cancel)


def _assemble(
    script: Script,
    cache: SpeechCache,
    bells: dict[str | None, Path],  # by name; None is the default bell
    length: float | None,
    wav_path: Path,
    made: int,
    report: ProgressCallback,
    should_cancel: Callable[[], bool] | None,
) -> RenderResult:
    timeline_path = wav_path.with_suffix(".json")
    timeline = plan_timeline(
        script,
        sentence_frames=cache.frames,
        bell_frames=lambda name: frame_count(bells[name]),
        rate=SESSION_RATE,
        length=length,
    )
    start = SYNTHESIS_SHARE if made else 0.0
    ensure_room(wav_path.parent, timeline.total_frames * 2 + 4096)  # 16-bit mono, and its header
    assemble_session(
        timeline,
        speech_clip=cache.path_for,
        bell_clip=lambda name: bells[name],
        out_path=wav_path,
        on_progress=lambda fraction: report(start + (1 - start) * fraction, "Putting the session together"),
        should_cancel=should_cancel,
    )
    sidecar = Sidecar.from_timeline(script, timeline)
    atomic_write_text(timeline_path, json.dumps(sidecar.to_dict(), ensure_ascii=False, indent=1))
    report(1.0, "Ready")
    return RenderResult(wav_path, timeline_path, sidecar, False, made)


def _render_key(script: Script, engine: SpeechEngine, voice: str, rate: int, length: float | None) -> str:
    bells = sorted({item.name or "" for _, item in script.items() if isinstance(item, Bell)})
    identity = {
        "version": [RENDER_VERSION, PROCESSING_VERSION, SESSION_RATE],
        "script": script_to_text(script),
        "engine": engine.cache_identity(voice),
        "pronunciations": [rule.pattern.pattern + "=" + rule.replacement for rule in COMMON_RESPELLINGS],
        "voice": voice,
        "rate": rate,
        "length": None if length is None else round(length, 3),
        "bells": [sound_digest(bell_source(name or None)) for name in bells],
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode("utf-8")).hexdigest()[:32]
