"""The user's own record: settings, favourites, resume positions (and, later, every listen)."""

from app.history.store import Store, StoreError

__all__ = ["Store", "StoreError"]
