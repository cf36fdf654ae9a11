"""Crash-safe drafts: unsaved editor text, kept on disk so that it survives a killed process.

One small JSON file per draft, written atomically and fsynced: after a crash or `kill -9`
each draft is the last complete version, never half of one. A file that cannot be read
(a disk error, someone's editing) is moved aside into `unreadable/`, never a reason to fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app import paths
from app.files import atomic_write_text

FORMAT = 1
NEW_PREFIX = "new-"
UNREADABLE = "unreadable"
# Keys become file names: only what draft_key() makes is accepted, so no key can leave the folder.
_KEY = re.compile(r"(?:new|script)-[0-9a-f]{8,64}")


@dataclass(frozen=True)
class Draft:
    key: str  # draft_key(path), or "new-<uuid>" for a script never saved
    path: Path | None  # the script file it belongs to (None: not saved yet)
    text: str
    saved_at: datetime  # aware


def draft_key(path: Path | None) -> str:
    """The same key for the same script file however it is spelt; a new key for each unsaved script."""
    if path is None:
        return NEW_PREFIX + uuid.uuid4().hex
    resolved = str(Path(path).expanduser().resolve())
    return "script-" + hashlib.sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class DraftStore:
    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder is not None else paths.data_dir() / "drafts"

    def save(self, key: str, path: Path | None, text: str) -> None:
        """Keep `text` as the draft `key`, replacing its previous version atomically."""
        record = {
            "format": FORMAT,
            "key": key,
            "path": None if path is None else str(path),
            # ASCII JSON escapes any character, even a lone surrogate an editor may hold.
            "text": text,
            "saved_at": datetime.now().astimezone().isoformat(),
        }
        atomic_write_text(self._file(key), json.dumps(record))

    def drafts(self) -> list[Draft]:
        """Every readable draft, newest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for file in self.folder.glob("*.json"):
            draft = self._read(file)
            if draft is not None:
                found.append(draft)
        return sorted(found, key=lambda draft: draft.saved_at, reverse=True)

    def get(self, key: str) -> Draft | None:
        file = self._file(key)
        return self._read(file) if file.exists() else None

    def discard(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._file(key))

    def _file(self, key: str) -> Path:
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a draft key: {key!r}")
        return self.folder / f"{key}.json"

    def _read(self, file: Path) -> Draft | None:
        try:
            record = json.loads(file.read_bytes())
            draft = _draft_of(record, file.stem)
        except FileNotFoundError:
            return None  # discarded by another window a moment ago
        except (OSError, ValueError, TypeError, KeyError, RecursionError):
            draft = None
        if draft is None:
            self._move_aside(file)
        return draft

    def _move_aside(self, file: Path) -> None:
        """Keep a broken draft out of the way (not deleted: it may still hold someone's words)."""
        aside = self.folder / UNREADABLE
        target = aside / file.name
        number = 1
        while target.exists():
            number += 1
            target = aside / f"{file.stem}-{number}{file.suffix}"
        with contextlib.suppress(OSError):
            aside.mkdir(parents=True, exist_ok=True)
            os.replace(file, target)


def _draft_of(record: object, stem: str) -> Draft | None:
    """A Draft from a file's JSON, or None when anything in it is not as save() writes it."""
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return None
    key, path, text, saved_at = (record.get(name) for name in ("key", "path", "text", "saved_at"))
    if key != stem or not isinstance(text, str) or not isinstance(saved_at, str):
        return None
    if path is not None and not isinstance(path, str):
        return None
    when = datetime.fromisoformat(saved_at)
    if when.tzinfo is None:
        return None
    return Draft(key=key, path=None if path is None else Path(path), text=text, saved_at=when)
