"""`kindred install-desktop`: the menu entry, icon and metainfo in the user's XDG folders, and
the desktop metadata that ships in resources/ (checked by the desktop's own validators)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from app import desktop_install, paths
from app.cli import main
from tests.program import ROOT

VALIDATE_DESKTOP = shutil.which("desktop-file-validate")
VALIDATE_APPSTREAM = shutil.which("appstreamcli")


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def exec_value(entry: Path) -> str:
    lines = [line for line in entry.read_text("utf-8").splitlines() if line.startswith("Exec=")]
    assert len(lines) == 1
    return lines[0].removeprefix("Exec=")


def unquote_exec(value: str) -> list[str]:
    """The command a desktop runs for Exec=`value`, read as the Desktop Entry spec says: the
    string's escapes first, then arguments split at spaces, double quotes grouping, and inside
    quotes a backslash taking the next of " ` $ \\ literally."""
    assert "%" not in value.replace("%%", "")  # no field codes: Kindred opens no files
    text = value.replace("\\\\", "\\").replace("%%", "%")
    arguments, current, quoted, index = [], "", False, 0
    while index < len(text):
        char = text[index]
        if quoted and char == "\\" and text[index + 1 : index + 2] in ('"', "`", "$", "\\"):
            current += text[index + 1]
            index += 1
        elif char == '"':
            quoted = not quoted
        elif char == " " and not quoted:
            arguments.append(current)
            current = ""
        else:
            current += char
        index += 1
    assert not quoted
    return [*arguments, current]


def test_install_writes_entry_icon_and_metainfo_whose_exec_runs_this_kindred(data_home, capsys):
    assert main(["install-desktop"]) == 0
    out = capsys.readouterr().out
    files = desktop_install.desktop_files(data_home)
    for path in files.all():
        assert path.is_file()
        assert f"wrote {path}" in out
    assert files.entry == data_home / "applications" / "io.github.kindred.Kindred.desktop"
    assert files.icon == data_home / "icons/hicolor/scalable/apps/io.github.kindred.Kindred.svg"
    assert files.icon.read_bytes() == paths.app_icon_path().read_bytes()
    text = files.entry.read_text("utf-8")
    assert "@" not in text  # every placeholder filled in
    assert "Icon=io.github.kindred.Kindred\n" in text
    command = unquote_exec(exec_value(files.entry))
    assert Path(command[0]).is_absolute() and os.access(command[0], os.X_OK)
    # The command is this environment's own: it answers as Kindred does.
    result = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("kindred ")
    # Readable by the desktop's menu like any file the user makes (not mkstemp's 0600).
    assert files.entry.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_remove_takes_out_exactly_what_install_wrote(data_home, capsys):
    other = data_home / "applications" / "someone-else.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\nName=Other\n", encoding="utf-8")
    assert main(["install-desktop"]) == 0
    assert main(["install-desktop", "--remove"]) == 0
    out = capsys.readouterr().out
    for path in desktop_install.desktop_files(data_home).all():
        assert not path.exists()
        assert f"Removed {path}" in out
    assert other.read_text("utf-8") == "[Desktop Entry]\nName=Other\n"
    # Again: nothing there, and it says so.
    assert main(["install-desktop", "--remove"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


def test_install_replaces_the_entry_of_the_old_make_target_but_not_a_stranger(data_home):
    apps = data_home / "applications"
    icons = data_home / "icons/hicolor/scalable/apps"
    apps.mkdir(parents=True)
    icons.mkdir(parents=True)
    (apps / "kindred.desktop").write_text("[Desktop Entry]\nName=Kindred\nExec=/old/kindred\n", "utf-8")
    (icons / "kindred.svg").write_text("<svg/>", "utf-8")
    desktop_install.install()
    assert not (apps / "kindred.desktop").exists() and not (icons / "kindred.svg").exists()

    (apps / "kindred.desktop").write_text("[Desktop Entry]\nName=Kindred Notes\n", "utf-8")
    desktop_install.install()
    assert (apps / "kindred.desktop").exists()  # another program's entry of the same file name stays


def test_an_unset_or_relative_xdg_data_home_means_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")
    assert desktop_install.xdg_data_home() == tmp_path / ".local" / "share"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert desktop_install.xdg_data_home() == tmp_path / ".local" / "share"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["/usr/bin/kindred"], "/usr/bin/kindred"),
        (["/home/a b/.venv/bin/kindred"], '"/home/a b/.venv/bin/kindred"'),
        (["/opt/100%/kindred"], "/opt/100%%/kindred"),
        (['/x/say "hi"/python', "-m", "app"], '"/x/say \\\\"hi\\\\"/python" -m app'),
        (["/x/$HOME/python"], '"/x/\\\\$HOME/python"'),
    ],
)
def test_exec_line_quotes_as_the_desktop_entry_spec_asks(command, expected):
    line = desktop_install.exec_line(command)
    assert line == expected
    assert unquote_exec(line) == command


def test_a_missing_template_is_a_clear_error_and_writes_nothing(data_home, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(paths, "bundled_dir", lambda: tmp_path / "empty")
    assert main(["install-desktop"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("Could not add Kindred to the menu: Kindred's own file ")
    assert "kindred doctor" in error
    assert not data_home.exists()


@pytest.mark.skipif(VALIDATE_DESKTOP is None, reason="desktop-file-validate is not installed")
def test_the_written_desktop_entry_validates_without_errors_or_hints(data_home):
    files = desktop_install.install(command=["/home/a b/bin/kindred"])
    result = subprocess.run([VALIDATE_DESKTOP, str(files.entry)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "" and result.stderr.strip() == ""


@pytest.mark.skipif(VALIDATE_APPSTREAM is None, reason="appstreamcli is not installed")
def test_the_metainfo_validates_and_names_the_desktop_entry():
    result = subprocess.run(
        [VALIDATE_APPSTREAM, "validate", "--no-net", str(paths.metainfo_path())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation was successful" in result.stdout
    text = paths.metainfo_path().read_text("utf-8")
    assert f'<launchable type="desktop-id">{paths.desktop_template_path().name}</launchable>' in text
    assert "<project_license>GPL-3.0-or-later</project_license>" in text
    # Every screenshot it shows is one the repository has.
    for name in ("library", "player", "editor", "history", "timer"):
        assert f"docs/screenshots/{name}.png</image>" in text
        assert (ROOT / "docs" / "screenshots" / f"{name}.png").is_file()
