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
            os.fsync(handle.fileno())
        _move_into_place(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


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
