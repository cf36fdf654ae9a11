"""Atomic writes: a file is either the old one or the complete new one, never half of each."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from app.errors import KindredError
from app.leftovers import noted_folder, partial_prefix


class DiskFull(KindredError, OSError):
    """A write that found no room, with the folder named. Still an OSError (ENOSPC), so code
    that explains failed writes in its own words (the script library) goes on doing so."""

    title = "The disk is full"

    def __init__(self, explanation: str) -> None:
        super().__init__(explanation)
        self.errno, self.strerror = errno.ENOSPC, os.strerror(errno.ENOSPC)


#: The errors of a disk (or a quota) that has no room left.
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT}


def no_room(error: OSError, folder: Path, needed: int | None = None) -> DiskFull | None:
    """The message for a write into `folder` that failed for want of room; None for other errors."""
    if error.errno not in _NO_ROOM:
        return None
    return DiskFull(_room_text(Path(folder), needed))


def ensure_room(folder: Path, needed: int) -> None:
    """Raises DiskFull before a write of about `needed` bytes into `folder` that cannot fit."""
    try:
        free = shutil.disk_usage(_existing(Path(folder))).free
    except OSError:
        return  # unknown: the write itself will say
    if free < needed:
        raise DiskFull(_room_text(Path(folder), needed))


def _room_text(folder: Path, needed: int | None) -> str:
    try:
        free = f"{shutil.disk_usage(_existing(folder)).free / 1e6:,.0f} MB free"
    except OSError:
        free = "no room left"
    wanted = f", and this needs about {needed / 1e6:,.0f} MB" if needed else ""
    return (
        f"The disk that holds {folder} is full ({free}{wanted}). Free some space there, or set "
        "another folder (KINDRED_HOME for Kindred's data and cache, TMPDIR for temporary files), "
        "and try again; nothing was changed."
    )


def _existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


@contextlib.contextmanager
def atomic_output(path: Path, stage_elsewhere: bool = False) -> Iterator[BinaryIO]:
    """Yield a binary file; on success fsync it and rename it into place as `path`.

    On any exception (cancel included) the target is untouched and the temporary file removed.
    With `stage_elsewhere` the file is written in the system's temporary folder, so that even
    a process killed mid-write leaves nothing in the target's folder (used for caches, which
    other processes read while this one writes).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    stage = None if stage_elsewhere else path.parent
    # Named with this process's id: a kill mid-write leaves a file the next start can tell is
    # nobody's any more (app.leftovers), and the folder is noted until the write is done.
    fd, tmp_name = tempfile.mkstemp(prefix=partial_prefix(path.name), suffix=".part", dir=stage)
    try:
        with noted_folder(Path(tmp_name).parent), os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            # mkstemp's 0600 keeps the half-written file private; the finished one gets the mode
            # any program would give it (a replaced file keeps its own).
            os.chmod(tmp_name, _final_mode(path))
            os.fsync(handle.fileno())
        _move_into_place(tmp_name, path)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        full = no_room(error, Path(tmp_name).parent) if isinstance(error, OSError) else None
        if full is not None:
            raise full from error
        raise


def _final_mode(path: Path) -> int:
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return 0o666 & ~current_umask()


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere the only way to read it is to set it, and put it back at once
    os.umask(mask)
    return mask


def move_file_atomically(source: Path, target: Path) -> None:
    """Rename a finished file into place, copying first when it lives on another disk."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    _move_into_place(str(source), Path(target))


def place_if_absent(source: Path, target: Path) -> bool:
    """Moves a finished file to `target` unless a file is there already (then `source` is simply
    removed); True when this one was placed. Two processes making the same cache file converge
    on the first one, and a file in place never changes under a reader: what was planned from
    it is what is heard from it."""
    source, target = Path(source), Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = source
    try:
        if os.stat(source).st_dev != os.stat(target.parent).st_dev:
            # On another disk (the temporary folder is often a RAM disk): copied beside the
            # target first, under a name leftovers.py knows, so placing it is still one step.
            fd, name = tempfile.mkstemp(prefix=partial_prefix(target.name), suffix=".part", dir=target.parent)
            os.close(fd)
            staged = Path(name)
            shutil.copyfile(source, staged)
        try:
            os.link(staged, target)  # fails, changing nothing, when the target exists
            return True
        except FileExistsError:
            return False
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                raise
            os.replace(staged, target)  # a file system without hard links: the last one wins there
            return True
    finally:
        for leftover in {source, staged}:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(leftover)


def _move_into_place(tmp_name: str, path: Path) -> None:
    try:
        os.replace(tmp_name, path)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        # The temporary folder is on another disk (often a RAM disk): copy beside the
        # target first, so the final step is still a rename.
        with atomic_output(path) as handle, open(tmp_name, "rb") as source:
            shutil.copyfileobj(source, handle, length=1 << 20)
        os.unlink(tmp_name)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_output(path) as handle:
        handle.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
