"""The Write page's copy of the catalogue: in the catalogue's order, updated file by file.

Paths are compared as the files they name: the library folder may be reached through a link,
so one script can come by two spellings of its path.
"""

from __future__ import annotations

from pathlib import Path

from app.library import LibraryEntry
from app.library.catalogue import load_entry


def file_key(path: Path) -> Path:
    """The path as the file it names, for comparing two paths."""
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def same_file(first: Path, second: Path) -> bool:
    return file_key(first) == file_key(second)


def sorted_catalogue(entries: list[LibraryEntry]) -> list[LibraryEntry]:
    """Bundled scripts, then the user's, each by title: the order load_catalogue gives."""
    bundled = [entry for entry in entries if entry.origin == "bundled"]
    user = sorted((entry for entry in entries if entry.origin == "user"), key=lambda e: e.title.casefold())
    return bundled + user


def updated_catalogue(
    entries: list[LibraryEntry], added: list[Path], removed: Path | None
) -> list[LibraryEntry]:
    """The entries with the files that changed read again, and only those (not a reload of a thousand)."""
    gone = {file_key(path) for path in [*added, *([removed] if removed is not None else [])]}
    kept = [entry for entry in entries if file_key(entry.path) not in gone]
    kept.extend(load_entry(path, "user") for path in added)  # read as the catalogue reads it
    return sorted_catalogue(kept)
