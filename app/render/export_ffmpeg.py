"""Running ffmpeg for an export: the mixed session piped in (or its WAV file named), progress read
back, a cancel or an error stopping it, and what it said turned into words a person can act on.

Speed: the next block is mixed while ffmpeg encodes the one before (a short queue between them),
and an untouched session is handed to ffmpeg as the file it is, with no pipe and no copy.
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from app.leftovers import owned_prefix
from app.render.assemble import RenderCancelled
from app.render.encode import FormatSpec, encode_command
from app.render.export_files import ExportError, disk_full
from app.render.ffmpeg import dies_with_parent
from app.render.pcm import wav_header

#: How often the wait for ffmpeg looks up: to report progress and to notice a cancel.
POLL_S = 0.1


class _Pipe(threading.Thread):
    """Feeds ffmpeg's standard input from a short queue, so the next block is mixed while
    ffmpeg encodes this one (the write waits for ffmpeg; numpy and ffmpeg run side by side)."""

    def __init__(self, stdin: IO[bytes]):
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
                self.blocks.put(data, timeout=POLL_S)
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

    def __init__(self, stdout: IO[bytes], rate: int):
        super().__init__(daemon=True)
        self.stdout = stdout
        self.rate = rate
        self.frames = 0

    def run(self) -> None:
        for line in self.stdout:
            if line.startswith(b"out_time_us="):
                with contextlib.suppress(ValueError):
                    self.frames = max(self.frames, int(line[12:]) * self.rate // 1_000_000)


@dataclass
class _Run:
    """One ffmpeg at work: its process, the thread reading its progress, the one feeding it."""

    process: subprocess.Popen[bytes]
    reader: _Progress
    pipe: _Pipe | None = None
    returncode: int | None = None

    def feed(
        self,
        header: bytes,
        blocks: Iterator[tuple[int, bytes]],
        encoded: Callable[[int], None],
        should_cancel: Callable[[], bool] | None,
    ) -> None:
        """The WAV stream through the pipe, block by block; stops early when ffmpeg stops reading."""
        assert self.pipe is not None
        self.pipe.put(header, should_cancel)
        for done, data in blocks:
            if self.pipe.error is not None or not self.pipe.is_alive():
                break  # ffmpeg's own message says why, once it has ended
            self.pipe.put(data, should_cancel)
            encoded(done)
        self.pipe.put(None, should_cancel)

    def wait(self, meanwhile: Callable[[], None]) -> None:
        """Until ffmpeg ends; `meanwhile` runs as it works (and may raise RenderCancelled)."""
        while True:
            try:
                self.returncode = self.process.wait(timeout=POLL_S)
                return
            except subprocess.TimeoutExpired:
                pass
            meanwhile()

    @property
    def failed(self) -> bool:
        return self.returncode != 0 or (self.pipe is not None and self.pipe.error is not None)


def encode(
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
    """Run ffmpeg on a WAV file, or on the blocks piped to it, into `output`; fsync the result.

    `metadata` (ffmpeg's metadata file: tags and chapters) is used by the formats whose chapters
    ffmpeg writes; `encoded(frames)` is told how far it has got, and checks for a cancel.
    """
    metadata_path = _metadata_file(metadata) if spec.chapters == "chapters" else None
    try:
        input_path = str(source) if isinstance(source, Path) else None
        command = encode_command(program, spec, tags, str(output), input_path, metadata_path)
        with (
            tempfile.TemporaryFile() as errors,
            _running(command, program, spec, rate, errors, piped=input_path is None) as run,
        ):
            if isinstance(source, Path):
                run.wait(lambda: encoded(run.reader.frames))
            else:
                run.feed(wav_header(frames, rate), source, encoded, should_cancel)
                run.wait(lambda: _check_cancel(should_cancel))
            if run.failed:
                errors.seek(0)
                raise ffmpeg_error(errors.read().decode("utf-8", "replace"), spec, output)
        with open(output, "rb+") as written:
            os.fsync(written.fileno())
    finally:
        if metadata_path is not None:
            os.unlink(metadata_path)


def _metadata_file(metadata: str) -> str:
    fd, path = tempfile.mkstemp(prefix=owned_prefix("export"), suffix=".ffmeta")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(metadata)
    return path


def _check_cancel(should_cancel: Callable[[], bool] | None) -> None:
    if should_cancel is not None and should_cancel():
        raise RenderCancelled()


@contextlib.contextmanager
def _running(
    command: list[str], program: str, spec: FormatSpec, rate: int, errors: IO[bytes], piped: bool
) -> Iterator[_Run]:
    """ffmpeg started with its helper threads; on the way out, whatever happened, it is stopped
    (killed if still running) and the threads are ended."""
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
    assert process.stdout is not None  # both asked for as pipes above
    run = _Run(process, _Progress(process.stdout, rate))
    try:
        run.reader.start()
        if piped:
            assert process.stdin is not None
            run.pipe = _Pipe(process.stdin)
            run.pipe.start()
        yield run
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if run.pipe is not None:
            run.pipe.finish()
        run.reader.join(timeout=10)
        process.stdout.close()


def ffmpeg_error(message: str, spec: FormatSpec, output: Path) -> ExportError:
    """What ffmpeg wrote on failing (its standard error), as the export's error."""
    if "No space left on device" in message:
        return disk_full(output.parent)
    if "Permission denied" in message or "Read-only file system" in message:
        return ExportError(f"Kindred may not write to {output.parent}. Choose another folder.")
    last = message.strip().splitlines()[-1] if message.strip() else "it stopped without saying why"
    return ExportError(
        f"ffmpeg could not write the {spec.label} file: {last}", f"Could not make the {spec.label}"
    )
