"""Every file location Kindred uses.

platformdirs gives the per-user folders; KINDRED_HOME puts all of them under one folder
(tests and portable use). Functions, not constants, so a changed environment is honoured.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Kindred"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _home_override() -> Path | None:
    value = os.environ.get("KINDRED_HOME")
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    home = _home_override()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    home = _home_override()
    return home / "cache" if home else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def music_dir() -> Path:
    home = _home_override()
    return home / "music" if home else Path(platformdirs.user_music_dir()) / APP_NAME


def user_library_dir() -> Path:
    return data_dir() / "library"


def database_path() -> Path:
    return data_dir() / "kindred.sqlite3"


def speech_cache_dir() -> Path:
    return cache_dir() / "speech"


def render_cache_dir() -> Path:
    return cache_dir() / "renders"


def bundled_scripts_dir() -> Path:
    return PROJECT_ROOT / "scripts"


def audio_dir() -> Path:
    return PROJECT_ROOT / "audio"


def bells_dir() -> Path:
    return audio_dir() / "bells"


def ambience_dir() -> Path:
    return audio_dir() / "ambience"
