"""The files an export writes: all of them in place, or none.

The audio file goes where the user asked and its captions beside it (same stem, .vtt and .srt).
The target is checked before any work; every file is written under a temporary name in the
target's folder and renamed into place only when all are complete; a cancel, an error or a full
disk removes them all, with the folders made for them. An OSError met on the way is said in
words a person can act on (ExportError).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
from pathlib import Path
from types import TracebackType

from app.errors import KindredError
from app.files import atomic_output

CAPTION_SUFFIXES = (".vtt", ".srt")


class ExportError(KindredError):
    title = "Could not save the file"


def caption_paths(target: Path) -> tuple[Path, ...]:
    """Where the captions of an export to `target` go: beside it, as .vtt and .srt."""
    return tuple(Path(target).with_suffix(suffix) for suffix in CAPTION_SUFFIXES)


def disk_full(folder: Path) -> ExportError:
    return ExportError(f"The disk holding {folder} is full. Free some space or choose another folder.")


def explain(error: OSError, target: Path) -> ExportError:
    """An OSError met while writing `target`, as a person can act on it."""
    if isinstance(error, (FileExistsError, NotADirectoryError)):
        return ExportError(f"{target.parent} is not a folder. Choose a folder to save into.")
    if isinstance(error, PermissionError) or error.errno == errno.EROFS:
        return ExportError(f"Kindred may not write to {target.parent}. Choose another folder.")
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(target.parent)
    return ExportError(f"{target}: {error.strerror or error}. Choose another folder or file name.")


def check_target(target: Path, overwrite: bool) -> None:
    """Raises ExportError when `target` (or a caption beside it) cannot or may not be written."""
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


class Staging:
    """Files written under temporary names beside their targets, renamed into place together."""

    def __init__(self, target: Path):
        self.target = target
        self.staged: dict[Path, Path] = {}  # final path: temporary path
        self.created: list[Path] = []  # folders made for the export, removed again on failure

    def __enter__(self) -> Staging:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if kind is None:
            return
        self.discard()
        if isinstance(error, OSError):
            raise explain(error, self.target) from None

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
            check_target(self.target, overwrite)
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


def copy_wav(source: Path, target: Path) -> None:
    """`kindred render -o`: the rendered session copied to `target`, whole or not at all."""
    try:
        with atomic_output(target) as handle, open(source, "rb") as reader:
            shutil.copyfileobj(reader, handle, length=1 << 20)
    except OSError as error:
        raise explain(error, target) from None
