"""Putting a session where the user asked, completely or not at all.

`export_session` renders (or takes from the render cache), mixes the background under the
voice, brings the mix to -16 LUFS with true peaks at most -1 dBTP, and encodes it with its
tags, chapters and captions. Every file is written under a temporary name in the target's
folder and renamed into place only when all of them are complete; a cancel, an error or a
full disk removes them all.

Speed: the session is read once, mixed a block at a time and piped to ffmpeg while ffmpeg
encodes the block before; its loudness is measured once and kept beside the render.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import os
import queue
import secrets
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.errors import KindredError
from app.files import atomic_output
from app.leftovers import owned_prefix
from app.render.assemble import RenderCancelled
from app.render.cache_limit import in_use
from app.render.captions import captions_srt, captions_vtt
from app.render.encode import SPECS, FormatSpec, encode_command, ffmetadata, tag_items, wav_header_with_tags
from app.render.ffmpeg import dies_with_parent, ffmpeg_or_raise, ffmpeg_with_encoder, find_ffmpeg
from app.render.levels import pcm_samples, wav_levels
from app.render.mix import Background, PeakTracker, mixed_blocks, plan_mix
from app.render.pcm import wav_header
from app.render.session import RenderResult, render_session
from app.render.sounds import decoded_ambience
from app.script import Script
from app.tts.engine import DEFAULT_RATE_WPM, SpeechEngine

FORMATS = ("mp3", "opus", "flac", "wav")
ARTIST = "Kindred"
ALBUM = "Kindred Meditations"
GENRE = "Meditation"
CAPTION_SUFFIXES = (".vtt", ".srt")
#: The true-peak ceiling of what is handed to the encoder. Lossy codecs reshape the waveform
#: and raise peaks (Opus by 0.5 dB on speech here): they get a dB more headroom.
CEILING_DB = {"mp3": -2.0, "opus": -2.0, "flac": -1.2, "wav": -1.2}
#: Share of the progress bar a render takes when the voice has to speak (none from the cache).
RENDER_SHARE = 0.5

ProgressCallback = Callable[[float, str], None]


class ExportError(KindredError):
    title = "Could not save the file"


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


def caption_paths(target: Path) -> tuple[Path, ...]:
    return tuple(Path(target).with_suffix(suffix) for suffix in CAPTION_SUFFIXES)


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
    _check_target(target, request.overwrite)
    if spec.encoder is not None and spec.encoder.startswith("lib"):
        # An encoder from a library (LAME, libopus) may be missing from a system's ffmpeg.
        program, origin = ffmpeg_with_encoder(spec.encoder, spec.label)
    elif spec.encoder is not None:
        program = ffmpeg_or_raise()  # ffmpeg's own encoders (FLAC) are in every build
        origin = find_ffmpeg()[1]
    else:
        found = find_ffmpeg()  # WAV is written without ffmpeg (which decodes the sounds)
        program, origin = found if found else ("", "none")
    name = request.ambience if request.ambience is not None else request.script.meta.ambience
    loop = decoded_ambience(name, cache_root) if name and name != "none" else None

    with _Staging(target) as staging:
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

    with _Staging(target) as staging:
        blocks = mixed_blocks(speech, rate, plan, peaks)
        audio = staging.reserve(target)
        if spec.encoder is None:
            _write_wav(audio, len(speech), rate, tags, blocks, encoded)
        else:
            items = tag_items(tags, timeline["sections"], spec.chapters)
            metadata = ffmetadata(items, timeline["sections"], timeline["length"])
            # An untouched session goes to ffmpeg as the file it is: no pipe, no copy.
            source = render.wav_path if plan.untouched else blocks
            _encode(program, spec, rate, items, metadata, audio, source, len(speech), encoded, should_cancel)
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
        length_s=float(timeline["length"]),
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


class _Pipe(threading.Thread):
    """Feeds ffmpeg's standard input from a short queue, so the next block is mixed while
    ffmpeg encodes this one (the write waits for ffmpeg; numpy and ffmpeg run side by side)."""

    def __init__(self, stdin):
        super().__init__(daemon=True)
        self.stdin = stdin
        self.blocks: queue.Queue[bytes | None] = queue.Queue(maxsize=3)
        self.error: OSError | None = None

    def run(self) -> None:
        try:
            while (data := self.blocks.get()) is not None:
                self.stdin.write(data)
        except OSError as error:  # ffmpeg stopped reading: it failed, or was stopped
            self.error = error
        finally:
            with contextlib.suppress(OSError):
                self.stdin.close()
            # Never leave the producer waiting on a full queue.
            with contextlib.suppress(queue.Empty):
                while True:
                    self.blocks.get_nowait()

    def put(self, data: bytes | None, should_cancel: Callable[[], bool] | None) -> None:
        while self.is_alive():
            if should_cancel is not None and should_cancel():
                raise RenderCancelled()
            try:
                self.blocks.put(data, timeout=0.1)
                return
            except queue.Full:
                continue

    def finish(self) -> None:
        """Ends the thread whatever it is doing (the caller has stopped ffmpeg or fed it everything)."""
        with contextlib.suppress(queue.Full):
            self.blocks.put_nowait(None)
        self.join(timeout=10)


class _Progress(threading.Thread):
    """Reads ffmpeg's `-progress` reports: how far into the audio it has encoded."""

    def __init__(self, stdout, rate: int):
        super().__init__(daemon=True)
        self.stdout = stdout
        self.rate = rate
        self.frames = 0

    def run(self) -> None:
        for line in self.stdout:
            if line.startswith(b"out_time_us="):
                with contextlib.suppress(ValueError):
                    self.frames = max(self.frames, int(line[12:]) * self.rate // 1_000_000)


def _encode(
    program: str,
    spec: FormatSpec,
    rate: int,
    tags: dict[str, str],
    metadata: str,
    output: Path,
    source: Path | Iterator[tuple[int, bytes]],
    frames: int,
    encoded: Callable[[int], None],
    should_cancel: Callable[[], bool] | None,
) -> None:
    """Run ffmpeg on a WAV file, or on the blocks piped to it, into `output`; fsync the result."""
    metadata_path = None
    if spec.chapters == "chapters":
        fd, metadata_path = tempfile.mkstemp(prefix=owned_prefix("export"), suffix=".ffmeta")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(metadata)
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below, with the rest
    piped = not isinstance(source, Path)
    process = pipe = reader = None
    try:
        command = encode_command(
            program, spec, tags, str(output), None if piped else str(source), metadata_path
        )
        try:
            # A session of its own: Ctrl+C in a terminal reaches Kindred, which stops ffmpeg and cleans up.
            process = subprocess.Popen(
                dies_with_parent(command),
                stdin=subprocess.PIPE if piped else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors,
                start_new_session=True,
            )
        except OSError as error:  # not about the target's folder: say so, not "may not write to …"
            raise ExportError(
                f"ffmpeg ({program}) could not be started: {error.strerror or error}. "
                "Run `kindred doctor` to check it.",
                f"Could not make the {spec.label}",
            ) from None
        reader = _Progress(process.stdout, rate)
        reader.start()
        if piped:
            pipe = _Pipe(process.stdin)
            pipe.start()
            pipe.put(wav_header(frames, rate), should_cancel)
            for done, data in source:
                if pipe.error is not None or not pipe.is_alive():
                    break
                pipe.put(data, should_cancel)
                encoded(done)
            pipe.put(None, should_cancel)
        while True:
            try:
                returncode = process.wait(timeout=0.1)
                break
            except subprocess.TimeoutExpired:
                if not piped:
                    encoded(reader.frames)  # checks for a cancel too
                elif should_cancel is not None and should_cancel():
                    raise RenderCancelled() from None
        if returncode != 0 or (pipe is not None and pipe.error is not None):
            errors.seek(0)
            raise _ffmpeg_error(errors.read().decode("utf-8", "replace"), spec, output)
        with open(output, "rb+") as written:
            os.fsync(written.fileno())
    finally:
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        if pipe is not None:
            pipe.finish()
        if reader is not None:
            reader.join(timeout=10)
        if process is not None:
            process.stdout.close()
        errors.close()
        if metadata_path is not None:
            os.unlink(metadata_path)


def _ffmpeg_error(message: str, spec: FormatSpec, output: Path) -> ExportError:
    if "No space left on device" in message:
        return _disk_full(output.parent)
    if "Permission denied" in message or "Read-only file system" in message:
        return ExportError(f"Kindred may not write to {output.parent}. Choose another folder.")
    last = message.strip().splitlines()[-1] if message.strip() else "it stopped without saying why"
    return ExportError(
        f"ffmpeg could not write the {spec.label} file: {last}", f"Could not make the {spec.label}"
    )


# -- files ------------------------------------------------------------------------------


def _disk_full(folder: Path) -> ExportError:
    return ExportError(f"The disk holding {folder} is full. Free some space or choose another folder.")


def _explain(error: OSError, target: Path) -> ExportError:
    """An OSError met while writing `target`, as a person can act on it."""
    if isinstance(error, (FileExistsError, NotADirectoryError)):
        return ExportError(f"{target.parent} is not a folder. Choose a folder to save into.")
    if isinstance(error, PermissionError) or error.errno == errno.EROFS:
        return ExportError(f"Kindred may not write to {target.parent}. Choose another folder.")
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _disk_full(target.parent)
    return ExportError(f"{target}: {error.strerror or error}. Choose another folder or file name.")


def _check_target(target: Path, overwrite: bool) -> None:
    if target.is_dir():
        raise ExportError(f"{target} is a folder. Give a file name to save the session as.")
    if not overwrite:
        for path in (target, *caption_paths(target)):
            if os.path.lexists(path):
                raise ExportError(
                    f"{path} already exists. Choose another name, or allow replacing it.", "The file exists"
                )
    folder = target.parent
    while not os.path.lexists(folder) and folder != folder.parent:
        folder = folder.parent  # the missing folders below the nearest existing one are created
    if not folder.is_dir():
        raise ExportError(
            f"{folder} is a file, not a folder, so {target} cannot be written. Choose another folder."
        )


class _Staging:
    """Files written under temporary names beside their targets, renamed into place together."""

    def __init__(self, target: Path):
        self.target = target
        self.staged: dict[Path, Path] = {}  # final path: temporary path
        self.created: list[Path] = []  # folders made for the export, removed again on failure

    def __enter__(self) -> _Staging:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            return
        self.discard()
        if isinstance(error, OSError):
            raise _explain(error, self.target) from None

    def _folder(self) -> Path:
        folder = self.target.parent
        missing = []
        while not folder.exists() and folder != folder.parent:
            missing.append(folder)
            folder = folder.parent
        for path in reversed(missing):
            path.mkdir()
            self.created.append(path)
        return self.target.parent

    def reserve(self, final: Path) -> Path:
        """A new empty file beside `final` (mode as the user's umask allows, unlike mkstemp's 0600)."""
        folder = self._folder()
        while True:
            temporary = folder / f".{final.name}.{secrets.token_hex(4)}.part"
            try:
                os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            except FileExistsError:
                continue
            self.staged[final] = temporary
            return temporary

    def probe(self) -> None:
        """Fails now, before any work, when the target's folder cannot be written."""
        self.reserve(self.target)
        self.discard()  # folders made for the probe too: a render that fails must leave nothing

    def write_text(self, final: Path, text: str) -> None:
        with open(self.reserve(final), "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())

    def commit(self, overwrite: bool) -> None:
        """Rename every file into place, the audio last; on a failure, take back the ones placed."""
        order = sorted(self.staged, key=lambda final: final == self.target)
        if not overwrite:
            _check_target(self.target, overwrite)
        placed = []
        try:
            for final in order:
                os.replace(self.staged[final], final)
                placed.append(final)
        except BaseException:
            for final in placed:
                with contextlib.suppress(OSError):
                    os.unlink(final)
            raise
        self.staged.clear()
        with contextlib.suppress(OSError):  # the renames themselves survive a power cut
            directory = os.open(self.target.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)

    def discard(self) -> None:
        for temporary in self.staged.values():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        self.staged.clear()
        for folder in reversed(self.created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self.created.clear()


# -- `kindred render -o` ------------------------------------------------------------------


def copy_wav(source: Path, target: Path) -> None:
    try:
        with atomic_output(target) as handle, open(source, "rb") as reader:
            shutil.copyfileobj(reader, handle, length=1 << 20)
    except OSError as error:
        raise _explain(error, target) from None
