"""The catalogue of bundled and user scripts."""

from app.library.catalogue import LibraryEntry, find_entry, load_catalogue

__all__ = ["LibraryEntry", "find_entry", "load_catalogue"]
