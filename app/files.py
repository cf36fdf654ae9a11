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
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=stage)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            # mkstemp's 0600 keeps the half-written file private; the finished one gets the mode
            # any program would give it (a replaced file keeps its own).
            os.chmod(tmp_name, _final_mode(path))
            os.fsync(handle.fileno())
        _move_into_place(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
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
