"""Putting a session where the user asked, completely or not at all.

`export_session` renders (or takes from the render cache), mixes the background under the
voice, brings the mix to -16 LUFS with true peaks at most -1 dBTP, and encodes it with its
tags, chapters and captions. The files are all put in place together or none is
(app.render.export_files); ffmpeg runs as app.render.export_ffmpeg says.

Speed: the session is read once, mixed a block at a time and piped to ffmpeg while ffmpeg
encodes the block before; its loudness is measured once and kept beside the render.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.render.assemble import RenderCancelled
from app.render.cache_limit import in_use
from app.render.captions import captions_srt, captions_vtt
from app.render.encode import SPECS, FormatSpec, ffmetadata, tag_items, wav_header_with_tags
from app.render.export_ffmpeg import encode
from app.render.export_files import (
    CAPTION_SUFFIXES,
    ExportError,
    Staging,
    caption_paths,
    check_target,
    copy_wav,
)
from app.render.ffmpeg import ffmpeg_or_raise, ffmpeg_with_encoder, find_ffmpeg
from app.render.levels import pcm_samples, wav_levels
from app.render.mix import Background, PeakTracker, mixed_blocks, plan_mix
from app.render.session import RenderResult, render_session
from app.render.sounds import decoded_ambience
from app.script import Script
from app.tts.engine import DEFAULT_RATE_WPM, SpeechEngine

# Where the files go and how they are written lives in export_files; these names stay here too.
__all__ = [
    "CAPTION_SUFFIXES",
    "FORMATS",
    "ExportError",
    "ExportRequest",
    "ExportResult",
    "caption_paths",
    "copy_wav",
    "export_session",
]

FORMATS = ("mp3", "opus", "flac", "wav")
ARTIST = "Kindred"
ALBUM = "Kindred Meditations"
GENRE = "Meditation"
#: The true-peak ceiling of what is handed to the encoder. Lossy codecs reshape the waveform
#: and raise peaks (Opus by 0.5 dB on speech here): they get a dB more headroom.
CEILING_DB = {"mp3": -2.0, "opus": -2.0, "flac": -1.2, "wav": -1.2}
#: Share of the progress bar a render takes when the voice has to speak (none from the cache).
RENDER_SHARE = 0.5

ProgressCallback = Callable[[float, str], None]


@dataclass(frozen=True)
class ExportRequest:
    script: Script
    length: float | None  # seconds; None = the script's default (as render_session)
    voice: str | None
    rate: int
    ambience: str | None  # a name from audio/ambience, "none", or None = the script's default
    format: str  # one of FORMATS
    target: Path  # the audio file to write (captions go beside it: same stem .vtt/.srt)
    ambience_volume: float = 0.5  # the background's level under the voice, as the player's slider
    overwrite: bool = False  # False: an existing target raises ExportError saying so


@dataclass(frozen=True)
class ExportResult:
    audio: Path
    captions: tuple[Path, ...]  # (.vtt, .srt)
    length_s: float
    # Integrated loudness of what went to the encoder, worked out from the measured levels of
    # voice and background and the gain (ffmpeg's ebur128 agrees within 0.3 LU in the tests).
    loudness_lufs: float
    true_peak_db: float  # its highest true peak (a lossy codec adds up to ~0.5 dB, within the headroom)
    ffmpeg: str  # which ffmpeg: "system" or "imageio-ffmpeg" ("none": a WAV, made without ffmpeg)


def export_session(
    request: ExportRequest,
    engine: SpeechEngine,
    progress: ProgressCallback | None = None,
    should_cancel: Callable[[], bool] | None = None,
    *,
    cache_root: Path | None = None,
) -> ExportResult:
    """Export the session `request` describes; see the module's docstring.

    Raises ExportError (the target cannot be written, exists, or the disk is full),
    RenderCancelled when should_cancel() turns true, and the render's own errors
    (LengthError, SpeechError, UnknownSound, FfmpegMissing). Nothing is left behind on any of them.
    """
    from app import paths

    if request.format not in FORMATS:
        raise ExportError(f"Kindred exports {', '.join(FORMATS)}, not “{request.format}”.", "Unknown format")
    spec = SPECS[request.format]
    target = Path(request.target)
    cache_root = Path(cache_root) if cache_root else paths.cache_dir()
    report = progress or (lambda fraction, stage: None)

    def check_cancel() -> None:
        if should_cancel is not None and should_cancel():
            raise RenderCancelled()

    # Everything that can be refused is refused before the voice speaks, which can take minutes.
    check_target(target, request.overwrite)
    program, origin = _ffmpeg_for(spec)
    name = request.ambience if request.ambience is not None else request.script.meta.ambience
    loop = decoded_ambience(name, cache_root) if name and name != "none" else None

    with Staging(target) as staging:
        staging.probe()

    def render_progress(fraction: float, stage: str) -> None:
        if stage != "Ready":
            report(RENDER_SHARE * fraction, stage)

    render = render_session(
        request.script,
        engine,
        length=request.length,
        voice=request.voice,
        rate=request.rate or DEFAULT_RATE_WPM,
        cache_root=cache_root,
        progress=render_progress,
        should_cancel=should_cancel,
    )
    check_cancel()
    with in_use([render.wav_path, render.timeline_path]):  # a trim elsewhere in this process keeps it
        return _mix_and_encode(request, render, spec, program, origin, target, loop, report, should_cancel)


def _ffmpeg_for(spec: FormatSpec) -> tuple[str, str]:
    """The ffmpeg that writes `spec`, and where it comes from; ("", "none") for a WAV without one."""
    if spec.encoder is not None and spec.encoder.startswith("lib"):
        # An encoder from a library (LAME, libopus) may be missing from a system's ffmpeg.
        return ffmpeg_with_encoder(spec.encoder, spec.label)
    if spec.encoder is None:
        return find_ffmpeg() or ("", "none")  # WAV is written without ffmpeg (which decodes the sounds)
    ffmpeg_or_raise()  # ffmpeg's own encoders (FLAC) are in every build; without one, says how to get it
    found = find_ffmpeg()
    assert found is not None  # ffmpeg_or_raise has just found it
    return found


def _mix_and_encode(
    request: ExportRequest,
    render: RenderResult,
    spec: FormatSpec,
    program: str,
    origin: str,
    target: Path,
    loop: Path | None,
    report: ProgressCallback,
    should_cancel: Callable[[], bool] | None,
) -> ExportResult:
    def check_cancel() -> None:
        if should_cancel is not None and should_cancel():
            raise RenderCancelled()

    base = 0.0 if render.from_cache else RENDER_SHARE
    report(base, "Measuring loudness")
    levels = wav_levels(render.wav_path, should_cancel)
    speech, rate = pcm_samples(render.wav_path)
    background = Background.load(loop, request.ambience_volume) if loop is not None else None
    plan = plan_mix(levels.steps, levels.true_peak_db, len(speech), rate, background, CEILING_DB[spec.name])
    peaks = PeakTracker(plan.peak_bound_db if plan.untouched else float("-inf"))
    timeline = render.timeline
    tags = _tags(request.script)
    total = max(1, len(speech))
    stage = f"Encoding {spec.label}" if spec.encoder else f"Writing {spec.label}"

    def encoded(frames: int) -> None:
        check_cancel()
        report(base + (1 - base) * 0.98 * frames / total, stage)

    with Staging(target) as staging:
        blocks = mixed_blocks(speech, rate, plan, peaks)
        audio = staging.reserve(target)
        if spec.encoder is None:
            _write_wav(audio, len(speech), rate, tags, blocks, encoded)
        else:
            sections = timeline.sections
            items = tag_items(tags, sections, spec.chapters)
            metadata = ffmetadata(items, sections, timeline.length)
            # An untouched session goes to ffmpeg as the file it is: no pipe, no copy.
            source = render.wav_path if plan.untouched else blocks
            encode(program, spec, rate, items, metadata, audio, source, len(speech), encoded, should_cancel)
        captions = (captions_vtt(timeline), captions_srt(timeline))
        for path, text in zip(caption_paths(target), captions, strict=True):
            staging.write_text(path, text)
        check_cancel()
        report(0.99, "Saving")
        staging.commit(request.overwrite)
    if peaks.highest_db == float("-inf"):
        # Nothing came within a dB of the ceiling: the bound from the parts' own peaks holds.
        peaks.highest_db = min(plan.ceiling_db, plan.peak_bound_db)
    report(1.0, "Done")
    return ExportResult(
        audio=target,
        captions=caption_paths(target),
        length_s=timeline.length,
        loudness_lufs=round(float(plan.loudness_lufs), 2),
        true_peak_db=round(float(peaks.highest_db), 2),
        ffmpeg=origin,
    )


def _tags(script: Script) -> dict[str, str]:
    return {
        "title": script.meta.title,
        "artist": ARTIST,
        "album": ALBUM,
        "genre": GENRE,
        "comment": " ".join(script.meta.summary.split()),
        "date": str(datetime.date.today().year),
    }


# -- writing ----------------------------------------------------------------------------


def _write_wav(
    path: Path,
    frames: int,
    rate: int,
    tags: dict[str, str],
    blocks: Iterator[tuple[int, bytes]],
    encoded: Callable[[int], None],
) -> None:
    with open(path, "wb") as handle:
        handle.write(wav_header_with_tags(frames, rate, tags))
        for done, data in blocks:
            handle.write(data)
            encoded(done)
        handle.flush()
        os.fsync(handle.fileno())
