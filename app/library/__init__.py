"""The catalogue of bundled and user scripts, the user's own scripts, and their drafts."""

from app.library.catalogue import LibraryEntry, find_entry, load_catalogue, resolve_script
from app.library.drafts import Draft, DraftStore, draft_key
from app.library.user_scripts import (
    LibraryWriteError,
    NameClash,
    ReadOnlyScript,
    ScriptFileError,
    TrashedScript,
    UserLibrary,
    safe_file_name,
)

__all__ = [
    "Draft",
    "DraftStore",
    "LibraryEntry",
    "LibraryWriteError",
    "NameClash",
    "ReadOnlyScript",
    "ScriptFileError",
    "TrashedScript",
    "UserLibrary",
    "draft_key",
    "find_entry",
    "load_catalogue",
    "resolve_script",
    "safe_file_name",
]
