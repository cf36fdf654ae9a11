"""The user's own scripts: `.md` files in the user library folder, created, edited and deleted safely.

Nothing here ever overwrites a file by accident: a new name that is taken raises NameClash (the
window asks what to do), deleting moves the file into a trash it can be restored from, and
bundled scripts are never written. Files from outside (imports) are checked before a byte
of them is kept, and any name, however hostile, becomes a plain file name inside the folder.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import tempfile
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app import paths
from app.errors import KindredError
from app.files import atomic_output, atomic_write_bytes, move_file_atomically
from app.leftovers import partial_prefix
from app.script import ScriptErrors, parse_script
from app.script.parser import MAX_FILE_BYTES
from app.script.template import clean_title, template_text, title_line

SUFFIX = ".md"
IMPORT_SUFFIXES = (".md", ".txt")
MAX_STEM_CHARS = 80
MAX_STEM_BYTES = 200  # most file systems allow 255 bytes a name; room is left for "-2" and temp names
COPY_MARK = " (my copy)"
CLASH_CHOICES = ("ask", "keep_both", "replace")

# Windows refuses these as file names whatever the extension (CON.md included).
_DEVICE_NAMES = frozenset(
    ["con", "prn", "aux", "nul", "conin$", "conout$", "clock$"]
    + [f"{port}{n}" for port in ("com", "lpt") for n in [*"123456789", "¹", "²", "³"]]
)
_RESERVED = set('<>:"/\\|?*')
# Apostrophes join a word (can't -> cant, as the bundled file names); everything else separates.
_JOINERS = {"'", "’", "`", "´"}
_TITLE_LINE = re.compile(r"title\s*:")
_KIND_NAMES = {".pdf": "a PDF", ".docx": "a Word document", ".doc": "a Word document", ".rtf": "an RTF file"}


class ScriptFileError(KindredError):
    """A file refused: not UTF-8, too big, not a text file, or unreadable."""

    title = "This file cannot be used"


class NameClash(KindredError):
    """A file of that name exists; nothing was written. The window asks: replace, keep both, or cancel."""

    title = "A file with that name exists"

    def __init__(self, existing: Path, free_path: Path):
        super().__init__(
            f"There is already a file called {existing.name} in {existing.parent}. "
            f"Replace it, or keep both (the new one as {free_path.name})."
        )
        self.existing = existing
        self.free_path = free_path


class ReadOnlyScript(KindredError):
    """Writing a bundled script, or any file outside the user's folder."""

    title = "This script cannot be changed"


class LibraryWriteError(KindredError):
    """The disk refused a write (full, read-only, no permission, not a folder)."""

    title = "Could not save the file"


@dataclass(frozen=True)
class TrashedScript:
    original: Path  # where it was
    trashed: Path  # where it is now (inside the trash folder)


# -- names ----------------------------------------------------------------------------------------


def safe_file_name(name: str) -> str:
    """Any title or file name -> a safe `stem.md` that stays inside one folder.

    Only the last path component counts (`../../x.md` -> `x.md`); reserved characters
    <>:"/\\|?*, control characters and leading dots go; Windows device names (CON, NUL, COM1 ...)
    get a suffix; the stem is a lowercase hyphenated slug like the bundled files', at most
    80 characters and 200 bytes (a shortened stem ends in a hash of the whole, so two long
    names stay apart); an empty result is "untitled.md".
    """
    last = re.split(r"[/\\]", unicodedata.normalize("NFKC", name))[-1]
    stem, dot, suffix = last.rpartition(".")
    if dot and suffix.lower() in ("md", "txt", "markdown"):
        last = stem
    words, word = [], []
    for char in last.lower():
        if char in _JOINERS:
            continue
        if unicodedata.category(char)[0] in "LNM":  # letters, digits, accents of any script
            word.append(char)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    slug = "-".join(words) or "untitled"
    if len(slug) > MAX_STEM_CHARS or len(slug.encode("utf-8")) > MAX_STEM_BYTES:
        slug = _shortened(slug, "-" + _short_hash(slug))
    if slug in _DEVICE_NAMES:
        slug += "-script"
    return slug + SUFFIX


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _shortened(stem: str, ending: str) -> str:
    """`stem` cut so that stem + ending keeps within the limits, never ending in a hyphen."""
    room = MAX_STEM_CHARS - len(ending)
    cut = stem[:room]
    while len((cut + ending).encode("utf-8")) > MAX_STEM_BYTES:
        cut = cut[:-1]
    return cut.rstrip("-") + ending


def _numbered(path: Path, number: int) -> Path:
    ending = f"-{number}"
    return path.with_name(_shortened(path.stem, ending) + path.suffix)


def free_path(path: Path) -> Path:
    """`path` if no file has its name (in any case), else the first free `stem-2.md`, `stem-3.md` ..."""
    taken = _names_in(path.parent)
    candidate, number = path, 1
    while candidate.name.casefold() in taken or os.path.lexists(candidate):
        number += 1
        candidate = _numbered(path, number)
    return candidate


def existing_file(path: Path) -> Path | None:
    """The file that takes `path`'s name: itself, or one differing only in case (which clashes on
    Windows and macOS disks, and when the folder is synced to one); None when the name is free."""
    if os.path.lexists(path):
        return path
    wanted = path.name.casefold()
    return next(
        (
            path.parent / name
            for name in sorted(_names_in(path.parent, fold=False))
            if name.casefold() == wanted
        ),
        None,
    )


def _names_in(folder: Path, fold: bool = True) -> set[str]:
    try:
        names = os.listdir(folder)
    except OSError:
        return set()
    return {name.casefold() for name in names} if fold else set(names)


# -- the library ----------------------------------------------------------------------------------


class UserLibrary:
    def __init__(self, folder: Path | None = None, trash: Path | None = None):
        self.folder = Path(folder) if folder is not None else paths.user_library_dir()
        self.trash = Path(trash) if trash is not None else paths.data_dir() / "trash"

    def scripts(self) -> list[Path]:
        """The user's scripts, sorted by name."""
        if not self.folder.is_dir():
            return []
        # By stem, so that "mine.md" comes before "mine-2.md".
        return sorted(self.folder.glob("*" + SUFFIX), key=lambda path: (path.stem.casefold(), path.name))

    def is_user_script(self, path: Path) -> bool:
        """A `.md` file directly in the user folder (after following links), and not in the trash."""
        try:
            resolved = Path(path).resolve()
            folder = self.folder.resolve()
            trash = self.trash.resolve()
        except (OSError, RuntimeError):
            return False
        return (
            resolved.suffix == SUFFIX
            and resolved.parent == folder
            and resolved != folder
            and trash not in resolved.parents
        )

    def new_script(self, title: str) -> Path:
        """A new script from the template, at a free name made from the title."""
        return self._create(self.folder / safe_file_name(clean_title(title)), template_text(title))

    def copy_of(self, source: Path) -> Path:
        """A copy of any script (a bundled one to customise), titled "<title> (my copy)"."""
        text = self.read_import(source)
        try:
            title = parse_script(text, str(source)).meta.title + COPY_MARK
            text = _with_title(text, title)
        except ScriptErrors:
            title = Path(source).stem + COPY_MARK  # a broken script is copied as it is, to be fixed
        return self._create(self.folder / safe_file_name(title), text)

    def save(self, path: Path, text: str) -> None:
        """Write the script atomically; ReadOnlyScript for a bundled script or any other file."""
        self._check_writable(path)
        data = _encoded(text)
        try:
            atomic_write_bytes(Path(path), data)
        except OSError as error:
            raise _write_error(error, Path(path)) from None

    def rename(self, path: Path, new_name: str) -> Path:
        """Give a user script a new (safe) name; NameClash when another file has it."""
        path = Path(path)
        self._check_writable(path)
        if not path.is_file():
            raise KindredError(f"{path.name} is no longer in {path.parent}.", "Cannot rename the script")
        target = self.folder / safe_file_name(new_name)
        if target.name == path.name:
            return path
        existing = existing_file(target)
        if existing is not None and not _same_file(path, existing):
            raise NameClash(existing, free_path(target))
        try:
            if _same_file(path, target):
                os.replace(path, target)  # a change of case only, on a case-insensitive disk
            elif not _link_new(path, target):
                raise NameClash(target, free_path(target))  # appeared a moment ago
            else:
                os.unlink(path)
        except OSError as error:
            raise _write_error(error, target) from None
        return target

    def delete(self, path: Path) -> TrashedScript:
        """Move a user script into the trash, from where restore() brings it back."""
        path = Path(path)
        self._check_writable(path)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        # A folder per deleted file keeps its name as it was, and two deletions of one name apart.
        trashed = self.trash / f"{stamp}-{uuid.uuid4().hex[:8]}" / path.name
        try:
            move_file_atomically(path, trashed)
        except FileNotFoundError:
            with contextlib.suppress(OSError):
                trashed.parent.rmdir()
            raise KindredError(f"{path.name} is no longer in {path.parent}.", "Nothing to delete") from None
        except OSError as error:
            raise _write_error(error, trashed) from None
        return TrashedScript(original=path, trashed=trashed)

    def restore(self, item: TrashedScript) -> Path:
        """Put a deleted script back where it was, or beside it under a free name if that is taken now."""
        if not item.trashed.is_file():
            raise KindredError(
                f"{item.original.name} is no longer in the trash ({item.trashed.parent}).",
                "Cannot restore the script",
            )
        data = item.trashed.read_bytes()
        target = item.original
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if existing_file(target) is not None:
                target = free_path(item.original)
            while not _link_new(item.trashed, target, data):
                target = free_path(item.original)  # taken a moment ago
            os.unlink(item.trashed)
        except OSError as error:
            raise _write_error(error, target) from None
        with contextlib.suppress(OSError):
            item.trashed.parent.rmdir()  # the folder made for it, now empty
        return target

    def read_import(self, source: Path) -> str:
        """The text of a file to import: .md or .txt, at most 1 MB, UTF-8 (a BOM is dropped).

        Raises ScriptFileError saying what is wrong and where.
        """
        source = Path(source)
        suffix = source.suffix.lower()
        if source.is_dir():
            raise ScriptFileError(f"{source} is a folder, not a file.")
        if suffix not in IMPORT_SUFFIXES:
            kind = _KIND_NAMES.get(suffix, f"a {suffix} file" if suffix else "a file without .md or .txt")
            raise ScriptFileError(
                f"{source.name} is {kind}. Kindred imports scripts saved as plain text: "
                ".md or .txt files. Copy the text into a new script instead."
            )
        if source.exists() and not source.is_file():
            # A pipe or device named .md would block the read or never end.
            raise ScriptFileError(f"{source} is not a regular file.")
        try:
            with open(source, "rb") as handle:
                # One byte past the limit tells "too big" without trusting the size a stat reports.
                data = handle.read(MAX_FILE_BYTES + 1)
                size = max(len(data), os.fstat(handle.fileno()).st_size)
        except OSError as error:
            raise ScriptFileError(f"{source} cannot be read: {error.strerror or error}.") from None
        if len(data) > MAX_FILE_BYTES:
            raise ScriptFileError(
                f"{source.name} is {size:,} bytes, more than the limit of {MAX_FILE_BYTES:,} bytes (1 MB). "
                "A script is a few pages of text: shorten it or split it into several scripts.",
                "This file is too big",
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
            raise ScriptFileError(
                f"{source.name} is not UTF-8 text: line {line}, byte {column} (0x{data[error.start]:02x}) "
                "cannot be read. Open it in a text editor and save it with UTF-8 encoding.",
                "This file is not UTF-8 text",
            ) from None
        if "\x00" in text:
            raise ScriptFileError(
                f"{source.name} holds binary data, not text. Import a script saved as plain text.",
                "This file is not text",
            )
        return text.removeprefix("\ufeff")

    def import_file(self, source: Path, on_clash: str = "ask") -> Path:
        """Copy a checked .md/.txt file into the folder under a safe name; returns where it is.

        `on_clash`: "ask" raises NameClash, "keep_both" takes a free name, "replace" moves the
        old file to the trash first. The text need not parse: the editor shows its errors.
        """
        if on_clash not in CLASH_CHOICES:
            raise ValueError(f"on_clash must be one of {CLASH_CHOICES}, not {on_clash!r}")
        text = self.read_import(source)
        target = self.folder / safe_file_name(Path(source).name)
        existing = existing_file(target)
        if existing is not None and on_clash == "ask":
            raise NameClash(existing, free_path(target))
        if existing is not None and on_clash == "replace":
            self.delete(existing)  # to the trash, never lost
            try:
                atomic_write_bytes(target, _encoded(text))
            except OSError as error:
                raise _write_error(error, target) from None
            return target
        return self._create(target, text)

    def export_script(self, path: Path, target: Path, overwrite: bool = False) -> None:
        """Copy a script to `target` completely or not at all; NameClash if it exists and not `overwrite`."""
        target = Path(target)
        if target.is_dir():
            raise LibraryWriteError(f"{target} is a folder. Give a file name ending in .md.")
        existing = existing_file(target)
        if existing is not None and not overwrite:
            raise NameClash(existing, free_path(target))
        try:
            source = open(path, "rb")  # noqa: SIM115 - closed below, after the copy
        except OSError as error:
            raise KindredError(
                f"{path} cannot be read: {error.strerror or error}.", "Could not export the script"
            ) from None
        with source:
            try:
                with atomic_output(target) as handle:
                    shutil.copyfileobj(source, handle, length=1 << 20)
            except OSError as error:
                raise _write_error(error, target, exporting=True) from None

    # -- helpers ----------------------------------------------------------------------------------

    def _check_writable(self, path: Path) -> None:
        if not self.is_user_script(path):
            raise ReadOnlyScript(
                f"{Path(path).name} is not one of your scripts in {self.folder}, so Kindred does not "
                "change it. Make a copy to edit it."
            )

    def _create(self, target: Path, text: str) -> Path:
        """Write a new file at `target` or the first free name after it; never replaces a file."""
        data = _encoded(text)
        wanted, target = target, free_path(target)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            while not _write_new(target, data):
                target = free_path(wanted)  # a file of that name appeared meanwhile
        except OSError as error:
            raise _write_error(error, target) from None
        return target


def _with_title(text: str, title: str) -> str:
    """`text` with the front matter's title line replaced; everything else kept byte for byte."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            break
        if _TITLE_LINE.match(line):
            ending = line[len(line.rstrip("\r\n")) :]
            lines[index] = title_line(title) + ending
            return "".join(lines)
    return text


def _encoded(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ScriptFileError(
            f"The text holds a character that cannot be saved (at character {error.start + 1}). Remove it."
        ) from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _write_new(target: Path, data: bytes) -> bool:
    """Write `data` as a new file `target`, complete or not at all; False if the name is taken."""
    fd, tmp = tempfile.mkstemp(prefix=partial_prefix(target.name), suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return _link_new(Path(tmp), target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _link_new(source: Path, target: Path, data: bytes | None = None) -> bool:
    """Give the finished file `source` the name `target` too, only if no file has it (False then).

    A hard link cannot replace a file, unlike a rename, so no check-then-write race can
    overwrite one. Where links are not possible (another disk, FAT, some network shares) the
    bytes are copied into a new file after a check: `data`, or those of `source`.
    """
    try:
        os.link(source, target)
        return True
    except FileExistsError:
        return False
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.ENOTSUP, errno.EMLINK, errno.EOPNOTSUPP):
            raise
    if os.path.lexists(target):
        return False
    with atomic_output(target) as handle:
        handle.write(data if data is not None else Path(source).read_bytes())
    return True


def _write_error(error: OSError, target: Path, exporting: bool = False) -> KindredError:
    """The disk's refusal as a message that says what to do."""
    folder = target.parent
    if exporting:
        advice = "Choose another folder."
    else:
        advice = "Kindred keeps your scripts there; `kindred doctor` checks Kindred's folders."
    if isinstance(error, (FileExistsError, NotADirectoryError)) or error.errno == errno.ENOTDIR:
        return LibraryWriteError(f"{folder} is not a folder (a file is in the way). {advice}")
    if isinstance(error, PermissionError) or error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return LibraryWriteError(f"Kindred may not write to {folder}. {advice}")
    if error.errno == errno.ENOSPC:
        where = " or choose another folder" if exporting else ""
        return LibraryWriteError(f"The disk holding {folder} is full. Free some space{where}.")
    return LibraryWriteError(f"{target}: {error.strerror or error}. {advice}")
