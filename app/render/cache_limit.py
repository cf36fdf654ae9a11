"""The cache folder kept under a size: the least recently used renders and speech clips go first.

What is kept: rendered sessions (`renders/<key>.wav` with its sidecar, one item) and speech
clips (`speech/<xx>/<digest>.wav`). The decoded bells and background sounds, the voices'
notes and the notes of writes in progress are small and always kept.

"Recently used" is the files' modification time: a render found in the cache and a clip
found there are touched (`mark_used`), so time of use is what orders them, whatever the file
system does with access times. Never removed:
- what any Kindred uses now (`in_use`: the session playing, the render being exported): this
  process's own count, and for renders a mark beside the file, `.<name>.kindred-<pid>-inuse.part`,
  that other processes see (a mark left by a killed one is a leftover: app/leftovers.py);
- a render made or found in the last RENDER_RECENT_S (the instant between its making and its
  holder marking it), a clip in the last CLIP_RECENT_S (another Kindred's session may be about
  to read it: sessions hold their clips in their own process only).
A removed clip costs the voice speaking it again; a removed render, assembling it again.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.leftovers import partial_prefix, process_running

#: The setting (in gigabytes) and its default.
LIMIT_SETTING = "cache_limit_gb"
DEFAULT_LIMIT_GB = 2.0
#: The choices a person can make: below this the voice would speak most sessions again.
MIN_LIMIT_GB = 0.25
MAX_LIMIT_GB = 1000.0
#: What was used this recently may be about to be read by another Kindred: never removed.
RENDER_RECENT_S = 2.0
CLIP_RECENT_S = 120.0
_MARK_SUFFIX = "inuse.part"

_GIB = 1024**3
_in_use: Counter[Path] = Counter()
_in_use_lock = threading.Lock()
_trimming = threading.Lock()


@dataclass(frozen=True)
class Trimmed:
    removed: int  # items (a render with its sidecar is one)
    freed_bytes: int
    kept_bytes: int  # what the cache holds afterwards
    over_limit_kept: int  # items kept although over the limit: in use or used just now


def limit_bytes(setting: object) -> int:
    """The stored setting as bytes; a value that is not a sane number of gigabytes is the default."""
    if isinstance(setting, bool) or not isinstance(setting, (int, float)):
        return int(DEFAULT_LIMIT_GB * _GIB)
    if not MIN_LIMIT_GB <= setting <= MAX_LIMIT_GB:  # also false for NaN
        return int(DEFAULT_LIMIT_GB * _GIB)
    return int(setting * _GIB)


def mark_used(*paths: Path) -> None:
    """Now is these files' time of last use (a file gone or read-only is simply not touched)."""
    for path in paths:
        with contextlib.suppress(OSError):
            os.utime(path)


@contextlib.contextmanager
def in_use(paths: Iterable[Path]) -> Iterator[None]:
    """While the block runs, `paths` are never removed by a trim in this process."""
    held = [Path(path) for path in paths]
    hold(held)
    try:
        yield
    finally:
        release(held)


def hold(paths: Iterable[Path]) -> None:
    with _in_use_lock:
        for path in map(Path, paths):
            if _in_use[path] == 0 and _is_render(path):
                with contextlib.suppress(OSError):  # unmarked, it is still kept by this process
                    _mark_of(path).touch()
            _in_use[path] += 1


def release(paths: Iterable[Path]) -> None:
    with _in_use_lock:
        for path in map(Path, paths):
            _in_use[path] -= 1
            if _in_use[path] <= 0:
                del _in_use[path]
                if _is_render(path):
                    with contextlib.suppress(OSError):
                        _mark_of(path).unlink()


def cache_size(cache_root: Path) -> int:
    """Bytes of renders and speech clips in the cache."""
    return sum(item.size for item in _items(Path(cache_root)))


def trim_cache(cache_root: Path, limit: int, now: float | None = None) -> Trimmed:
    """Removes least recently used items until the cache holds at most `limit` bytes."""
    with _trimming:  # two trims at once would both count what the other removes
        now = time.time() if now is None else now
        items = sorted(_items(Path(cache_root)), key=lambda item: item.last_used)
        total = sum(item.size for item in items)
        with _in_use_lock:
            held = set(_in_use)
        removed = freed = kept_over = 0
        for item in items:
            if total <= limit:
                break
            recent = RENDER_RECENT_S if item.render else CLIP_RECENT_S
            if now - item.last_used < recent or any(path in held for path in item.paths) or item.marked():
                kept_over += 1
                continue
            gone = item.remove()
            if gone:
                removed += 1
                freed += gone
                total -= gone
        return Trimmed(removed, freed, total, kept_over)


@dataclass
class _Item:
    paths: list[Path]
    size: int
    last_used: float
    render: bool = False

    def marked(self) -> bool:
        """Whether a running Kindred has marked this render as in use."""
        return any(_marked(path) for path in self.paths if _is_render(path))

    def remove(self) -> int:
        """Bytes freed; the sidecar goes first, so a render is never found without it."""
        freed = 0
        for path in sorted(self.paths, key=lambda path: path.suffix != ".json"):
            try:
                size = path.stat().st_size
                path.unlink()
            except OSError:
                continue  # gone already (another Kindred trimmed it) or not ours to remove
            freed += size
        return freed


def _items(cache_root: Path) -> list[_Item]:
    items: list[_Item] = []
    renders: dict[str, _Item] = {}
    for path, size, mtime in _files(cache_root / "renders"):
        if path.suffix not in (".wav", ".json") or path.name.startswith("."):
            continue  # a partial file of a write in progress: leftovers.py deals with those
        item = renders.setdefault(path.stem, _Item([], 0, 0.0, render=True))
        item.paths.append(path)
        item.size += size
        item.last_used = max(item.last_used, mtime)
    items.extend(renders.values())
    for folder in _folders(cache_root / "speech"):
        for path, size, mtime in _files(folder):
            if path.suffix == ".wav" and ".part" not in path.name:
                items.append(_Item([path], size, mtime))
    return items


def _folders(root: Path) -> list[Path]:
    try:
        return [Path(entry.path) for entry in os.scandir(root) if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _files(folder: Path) -> Iterator[tuple[Path, int, float]]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            stat = entry.stat(follow_symlinks=False)
        except OSError:
            continue  # removed meanwhile
        yield Path(entry.path), stat.st_size, stat.st_mtime


_background: threading.Thread | None = None


def trim_soon(setting: object, cache_root: Path | None = None) -> None:
    """Trims to the limit of the stored `setting` on a thread of its own (a full cache takes a
    while to look through); when a trim is already under way this one is not needed."""
    global _background
    limit = limit_bytes(setting)
    cache_root = cache_root if cache_root is not None else paths.cache_dir()
    if _background is not None and _background.is_alive():
        return

    def trim() -> None:
        with contextlib.suppress(OSError):  # best effort: the next trim tries again
            trim_cache(cache_root, limit)

    _background = threading.Thread(target=trim, name="kindred-cache-trim", daemon=True)
    _background.start()


def _is_render(path: Path) -> bool:
    return path.parent.name == "renders" and path.suffix == ".wav"


def _mark_of(path: Path) -> Path:
    """This process's mark beside a render it uses: a partial-file name, so leftovers.py removes
    it once this process is gone."""
    return path.with_name(f"{partial_prefix(path.name)}{_MARK_SUFFIX}")


def _marked(path: Path) -> bool:
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.kindred-(\d+)-{re.escape(_MARK_SUFFIX)}$")
    for mark in path.parent.glob(f".{glob.escape(path.name)}.kindred-*"):
        found = pattern.match(mark.name)
        if found and process_running(int(found.group(1))):
            return True
    return False
