"""`kindred install-desktop`: Kindred in the desktop's menu, started by the installed command.

Writes the .desktop entry, the icon and the AppStream metainfo into the user's XDG data folder
(no root needed), and takes exactly those files out again with `--remove`. The entry runs the
`kindred` of the Python environment this very copy is installed in (a pipx venv, a project's
.venv), so it keeps working when the terminal that ran the command is gone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.errors import KindredError
from app.files import atomic_write_bytes

#: Characters that the Desktop Entry spec says must be quoted in an Exec argument.
_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
#: Inside a quoted Exec argument these take a backslash.
_EXEC_ESCAPED = set('"`$\\')
#: Written by the old `make install-desktop`; replaced, so that the menu shows Kindred once.
_LEGACY_NAMES = ("kindred.desktop", "kindred.svg")


class DesktopInstallError(KindredError):
    title = "Could not add Kindred to the menu"


@dataclass(frozen=True)
class DesktopFiles:
    entry: Path
    icon: Path
    metainfo: Path

    def all(self) -> tuple[Path, Path, Path]:
        return (self.entry, self.icon, self.metainfo)


def xdg_data_home() -> Path:
    # The spec: an unset, empty or relative XDG_DATA_HOME means ~/.local/share.
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def desktop_files(data_home: Path | None = None) -> DesktopFiles:
    home = data_home or xdg_data_home()
    return DesktopFiles(
        entry=home / "applications" / f"{paths.APP_ID}.desktop",
        icon=home / "icons" / "hicolor" / "scalable" / "apps" / f"{paths.APP_ID}.svg",
        metainfo=home / "metainfo" / f"{paths.APP_ID}.metainfo.xml",
    )


def launcher_command() -> list[str]:
    """The installed `kindred` beside this Python, else this Python running the package.

    sys.executable is used as given, not resolved: resolving a venv's python symlink would
    leave the venv and lose Kindred's packages.
    """
    python = Path(sys.executable).absolute()
    beside = python.parent / "kindred"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    return [str(python), "-m", "app"]


def exec_line(command: list[str]) -> str:
    """The Exec= value for `command`, quoted and escaped as the Desktop Entry spec asks."""
    return " ".join(_exec_argument(argument) for argument in command)


def _exec_argument(argument: str) -> str:
    if any(char in _EXEC_RESERVED for char in argument):
        argument = '"' + "".join("\\" + c if c in _EXEC_ESCAPED else c for c in argument) + '"'
    # The value is a desktop-file string first (a backslash is written twice), and a lone % would
    # be read as a field code.
    return argument.replace("\\", "\\\\").replace("%", "%%")


def desktop_entry_text(command: list[str]) -> str:
    template = paths.desktop_template_path().read_text("utf-8")
    return template.replace("@EXEC@", exec_line(command)).replace("@ICON@", paths.APP_ID)


def install(data_home: Path | None = None, command: list[str] | None = None) -> DesktopFiles:
    """Writes the menu entry, icon and metainfo (each atomically); returns where they went."""
    files = desktop_files(data_home)
    try:
        entry = desktop_entry_text(command or launcher_command()).encode("utf-8")
        icon = paths.app_icon_path().read_bytes()
        metainfo = paths.metainfo_path().read_bytes()
    except OSError as error:
        raise DesktopInstallError(
            f"Kindred's own file {error.filename} is missing ({error.strerror}). "
            "Run `kindred doctor`: it says how to reinstall Kindred."
        ) from None
    try:
        # The icon first: a menu that sees the entry should find its icon already there.
        atomic_write_bytes(files.icon, icon)
        atomic_write_bytes(files.metainfo, metainfo)
        atomic_write_bytes(files.entry, entry)
    except OSError as error:
        raise DesktopInstallError(
            f"{error.filename or files.entry.parent} could not be written ({error.strerror}). "
            "Check that folder's permissions, or set XDG_DATA_HOME to a folder you own."
        ) from None
    _remove_legacy(files)
    _refresh_menu(files.entry.parent)
    return files


def remove(data_home: Path | None = None) -> list[Path]:
    """Takes out what `install` wrote; returns the files that were there."""
    files = desktop_files(data_home)
    removed = [path for path in files.all() if _unlink(path)]
    removed += _remove_legacy(files)
    if removed:
        _refresh_menu(files.entry.parent)
    return removed


def _remove_legacy(files: DesktopFiles) -> list[Path]:
    """The entry and icon of the old `make install-desktop`, only where they are Kindred's."""
    legacy_entry = files.entry.parent / _LEGACY_NAMES[0]
    legacy_icon = files.icon.parent / _LEGACY_NAMES[1]
    try:
        ours = "Name=Kindred\n" in legacy_entry.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        ours = False
    if not ours:
        return []
    return [path for path in (legacy_entry, legacy_icon) if _unlink(path)]


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as error:
        raise DesktopInstallError(
            f"{path} could not be removed ({error.strerror}). Remove it yourself or fix its folder's "
            "permissions."
        ) from None
    return True


def _refresh_menu(applications: Path) -> None:
    # Most menus notice new files by themselves; the cache of MIME handlers needs this nudge.
    tool = shutil.which("update-desktop-database")
    if tool and applications.is_dir():
        # The entry is written either way; a failure leaves only a cache the menu rebuilds itself.
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            subprocess.run([tool, "-q", str(applications)], check=False, capture_output=True, timeout=30)
