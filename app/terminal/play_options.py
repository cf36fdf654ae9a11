"""What `kindred play` hears besides the script: the background sound asked for, and the volumes
the window remembers, so that the terminal sounds the same as the window."""

from __future__ import annotations

from pathlib import Path

from app import paths, settings
from app.render.sounds import ambience_source
from app.script import Script
from app.settings import Settings


def ambience_for(script: Script, ambience: str | None) -> Path | None:
    """None means the script's own ambience; "none" means silence underneath. Unknown names raise."""
    name = script.meta.ambience if ambience is None else ambience
    if not name or name.strip().lower() == "none":
        return None
    return ambience_source(name.strip())


def remembered_volumes() -> tuple[float, float]:
    """The volumes the window remembers, so the terminal sounds the same; defaults without a history."""
    database = paths.database_path()
    if not database.exists():  # reading must not create a database
        return settings.VOLUME.default, settings.AMBIENCE_VOLUME.default
    try:
        from app.history import Store

        store = Store(database)
        try:
            values = Settings(store)
            return values.get(settings.VOLUME), values.get(settings.AMBIENCE_VOLUME)
        finally:
            store.close()
    except Exception:  # an unreadable history must not stop a session from playing
        return settings.VOLUME.default, settings.AMBIENCE_VOLUME.default
