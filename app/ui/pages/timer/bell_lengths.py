"""The bells' lengths as the renderer plays them, for the timer to place its bells exactly."""

from __future__ import annotations

from pathlib import Path

from app import paths
from app.render.pcm import SESSION_RATE, frame_count
from app.render.sounds import bell_names, decoded_bell


def bell_durations(cache_root: Path | None = None) -> dict[str, float]:
    """Each bell's length in seconds, exactly as the renderer will use it (decoded once, cached).

    It lives here rather than in app.library.timer because the library may not import the
    renderer (docs/architecture.md's layering); the timer script needs these lengths to place bells exactly.
    """
    root = Path(cache_root) if cache_root else paths.cache_dir()
    return {name: frame_count(decoded_bell(name, root)) / SESSION_RATE for name in bell_names()}
