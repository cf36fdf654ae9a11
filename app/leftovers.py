"""What a Kindred killed mid-work leaves behind, found and removed at the next start.

Every temporary file or folder Kindred makes carries the id of the process that made it:
`kindred-<kind>-<pid>-…` in the system's temporary folder, `.<target>.kindred-<pid>-….part`
beside a file being written, `….part-<pid>.wav` in the speech cache. Those places (and every
folder of the cache) are always looked into; any other folder that holds a partial file (an
export's, a script's) is noted in the cache (`writing/<pid>-…`) for as long as the write
lasts, so that it can be looked into again.
`remove_leftovers()` removes what belongs to processes that no longer run, and nothing else:
another Kindred's work in progress is left alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

_OWNED = re.compile(r"^kindred-[a-z]+-(\d+)-")
_PARTIAL = re.compile(r"^\..+\.kindred-(\d+)-[^/]*\.part$")
_WORKER_PART = re.compile(r"\.part-(\d+)\.wav$")
_NOTE = re.compile(r"^(\d+)-[0-9a-f]+$")


def owned_prefix(kind: str) -> str:
    """The start of the name of a temporary file or folder of this process."""
    return f"kindred-{kind}-{os.getpid()}-"


def partial_prefix(target_name: str) -> str:
    """The start of the name of a partial file beside `target_name`, made by this process."""
    return f".{target_name}.kindred-{os.getpid()}-"


@contextlib.contextmanager
def noted_folder(folder: Path) -> Iterator[None]:
    """While the block runs, `folder` (where a partial file is being written) is noted, so a
    kill mid-way leaves a way back to what it left there."""
    from app import paths

    if _looked_into_anyway(Path(folder), paths.cache_dir()):
        yield  # the cache's own writes (every speech clip, every sidecar) need no note
        return
    notes = paths.cache_dir() / "writing"
    note = notes / f"{os.getpid()}-{hashlib.sha256(str(folder).encode()).hexdigest()[:16]}"
    try:
        notes.mkdir(parents=True, exist_ok=True)
        note.write_text(str(folder), "utf-8")
        noted = True
    except OSError:
        noted = False  # an unwritable cache must not stop the write itself
    try:
        yield
    finally:
        if noted:
            with contextlib.suppress(OSError):
                note.unlink()


def remove_leftovers() -> list[Path]:
    """Removes what processes that no longer run left behind; returns what was removed."""
    from app import paths

    removed: list[Path] = []
    cache = paths.cache_dir()
    folders = [Path(tempfile.gettempdir()), *(entry for entry in _entries(cache) if entry.is_dir())]
    notes = cache / "writing"
    for note in _entries(notes):
        match = _NOTE.match(note.name)
        if match and not process_running(int(match.group(1))):
            with contextlib.suppress(OSError, UnicodeDecodeError):
                folders.append(Path(note.read_text("utf-8")))
            with contextlib.suppress(OSError):
                note.unlink()
    for folder in dict.fromkeys(folders):
        for entry in _entries(folder):
            owner = _owner(entry.name)
            if owner is not None and not process_running(owner):
                with contextlib.suppress(OSError):
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry)
                    else:
                        entry.unlink()
                    removed.append(entry)
    return removed


def _looked_into_anyway(folder: Path, cache: Path) -> bool:
    """The temporary folder and the cache's folders: remove_leftovers reads them every time."""
    return folder == Path(tempfile.gettempdir()) or folder.parent == cache


def _owner(name: str) -> int | None:
    for pattern in (_OWNED, _PARTIAL, _WORKER_PART):
        match = pattern.search(name)
        if match:
            return int(match.group(1))
    return None


def _entries(folder: Path) -> list[Path]:
    try:
        return list(Path(folder).iterdir())
    except OSError:
        return []


def process_running(pid: int) -> bool:
    """Whether process `pid` runs (another user's counts as running: left alone)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    except OSError:
        return True  # when in doubt, leave it
    return True
