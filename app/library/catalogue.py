"""The catalogue: every bundled script and every script of the user's own."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app import paths
from app.errors import KindredError
from app.script import Script, ScriptError, ScriptErrors, load_script

Origin = Literal["bundled", "user"]


@dataclass(frozen=True)
class LibraryEntry:
    path: Path
    origin: Origin
    script: Script | None  # None when the file has errors
    errors: tuple[ScriptError, ...] = ()

    @property
    def slug(self) -> str:
        return self.path.stem

    @property
    def title(self) -> str:
        return self.script.meta.title if self.script else self.path.stem


def load_entry(path: Path, origin: Origin) -> LibraryEntry:
    """One script file as a catalogue entry; a broken or unreadable file keeps its errors."""
    try:
        return LibraryEntry(path, origin, load_script(path))
    except ScriptErrors as problems:
        return LibraryEntry(path, origin, None, problems.errors)
    except OSError as error:
        return LibraryEntry(
            path, origin, None, (ScriptError(1, 1, f"cannot read the file: {error.strerror}"),)
        )


def load_catalogue(bundled_dir: Path | None = None, user_dir: Path | None = None) -> list[LibraryEntry]:
    """Bundled scripts, then the user's, each sorted by title; broken files are kept with their errors."""
    entries: list[LibraryEntry] = []
    places: tuple[tuple[Path, Origin], ...] = (
        (bundled_dir or paths.bundled_scripts_dir(), "bundled"),
        (user_dir or paths.user_library_dir(), "user"),
    )
    for folder, origin in places:
        if not folder.is_dir():
            continue
        found = [load_entry(path, origin) for path in sorted(folder.glob("*.md"))]
        entries.extend(sorted(found, key=lambda entry: entry.title.casefold()))
    return entries


def find_entry(name: str, entries: list[LibraryEntry]) -> LibraryEntry | None:
    """A script by file name, slug or title, case-insensitively."""
    wanted = name.casefold()
    for entry in entries:
        if wanted in (entry.slug.casefold(), entry.path.name.casefold(), entry.title.casefold()):
            return entry
    return None


def resolve_script(name: str, *, files: bool = True) -> tuple[str, Script]:
    """A script named on the command line, and the key its listens are kept under: a file (when
    `files`), or a library entry by file name, slug or title. Raises KindredError when there is
    none, ScriptErrors when it has errors."""
    path = Path(name)
    if files and path.is_file():
        return path.stem, load_script(path)
    entry = find_entry(name, load_catalogue())
    if entry is None:
        raise KindredError(
            f"“{name}” is neither a file nor a script in the library. See `kindred list`.", "No such script"
        )
    if entry.script is None:
        raise ScriptErrors(entry.errors, str(entry.path))
    return entry.slug, entry.script


def theme_label(theme: str) -> str:
    """A theme slug as people read it: `self-compassion` -> `Self compassion`."""
    words = theme.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]
