"""Every file location Kindred uses.

platformdirs gives the per-user folders; KINDRED_HOME puts all of them under one folder
(tests and portable use). Functions, not constants, so a changed environment is honoured.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "Kindred"
#: The desktop's name for Kindred: the .desktop file, the icon and the AppStream id share it.
APP_ID = "io.github.kindred.Kindred"
#: Where the wheel puts the repository's top-level scripts/, audio/, resources/ and docs/
#: (pyproject.toml maps them there), inside the package so that they travel with it.
BUNDLED_FOLDER = "_bundled"


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


def bundled_dir() -> Path:
    """The folder holding everything that ships with Kindred: scripts/, audio/, resources/, docs/.

    Installed (a wheel, pipx) that is `app/_bundled` inside the package. In a developer's
    checkout (an editable install included) the same files are the repository's own top-level
    folders, recognised by the pyproject.toml beside the package; nothing else is assumed.
    """
    package = Path(str(resources.files("app")))
    installed = package / BUNDLED_FOLDER
    if installed.is_dir() or not (package.parent / "pyproject.toml").is_file():
        return installed  # where an installed copy must have them, even when they are missing
    return package.parent


def is_installed() -> bool:
    """True for a copy installed from a wheel, False for a developer's checkout."""
    return bundled_dir().name == BUNDLED_FOLDER


def bundled_scripts_dir() -> Path:
    return bundled_dir() / "scripts"


def audio_dir() -> Path:
    return bundled_dir() / "audio"


def resources_dir() -> Path:
    """Icons, the stylesheet, the .desktop template and the AppStream metainfo."""
    return bundled_dir() / "resources"


def app_icon_path() -> Path:
    return resources_dir() / "kindred.svg"


def stylesheet_path() -> Path:
    return resources_dir() / "style.qss"


def desktop_template_path() -> Path:
    return resources_dir() / f"{APP_ID}.desktop"


def metainfo_path() -> Path:
    return resources_dir() / f"{APP_ID}.metainfo.xml"


def writing_guide_path() -> Path:
    return bundled_dir() / "docs" / "writing-scripts.md"


def notice_path() -> Path:
    """The third-party notices (Qt, espeak-ng, FFmpeg …) shown in About."""
    return bundled_dir() / "NOTICE"


def license_path() -> Path:
    """The full text of the GNU General Public License, version 3: Kindred's licence."""
    return bundled_dir() / "LICENSE"


def bells_dir() -> Path:
    return audio_dir() / "bells"


def ambience_dir() -> Path:
    return audio_dir() / "ambience"


def user_ambience_dir() -> Path:
    """Background sounds the user added in Settings (already looped and levelled WAVs)."""
    return data_dir() / "ambience"
