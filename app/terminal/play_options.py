"""What `kindred play` hears besides the script: the background sound asked for, and the volumes
the window remembers, so that the terminal sounds the same as the window."""

from __future__ import annotations

from pathlib import Path

from app import paths
from app.render.sounds import ambience_source
from app.script import Script

DEFAULT_VOLUME = 0.8
DEFAULT_AMBIENCE_VOLUME = 0.5


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
        return DEFAULT_VOLUME, DEFAULT_AMBIENCE_VOLUME
    try:
        from app.history import Store

        store = Store(database)
        try:
            volume = store.get_setting("volume", DEFAULT_VOLUME)
            ambience = store.get_setting("ambience_volume", DEFAULT_AMBIENCE_VOLUME)
        finally:
            store.close()
    except Exception:  # an unreadable history must not stop a session from playing
        return DEFAULT_VOLUME, DEFAULT_AMBIENCE_VOLUME
    return _fraction(volume, DEFAULT_VOLUME), _fraction(ambience, DEFAULT_AMBIENCE_VOLUME)


def _fraction(value: object, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return max(0.0, min(1.0, float(value)))
