"""Kindred as a user gets it: the sdist and the wheel built from a clean copy of the tree, the
wheel installed into a new environment outside the checkout, and the installed `kindred` run
from another folder.

The new environment reuses the test environment's packages (a .pth file naming its
site-packages; the editable install of the checkout that lives there is not activated by it),
so nothing is downloaded twice; Kindred itself comes only from the wheel, which the first test
checks.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tarfile
import time
import wave
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.script import load_script
from tests.program import ROOT

#: The scripts of the checkout, all of which the wheel must carry (13 voiced and the silent one).
BUNDLED_COUNT = len(list((ROOT / "scripts").glob("*.md")))

HAS_ESPEAK = shutil.which("espeak-ng") is not None
#: What the wheel must carry besides the code: every file of these, mapped under app/_bundled/.
BUNDLED_SOURCES = ("scripts", "audio/bells", "audio/ambience", "resources")
BUNDLED_FILES = ("docs/writing-scripts.md", "NOTICE", "LICENSE")


@dataclass(frozen=True)
class Installed:
    wheel: Path
    sdist: Path
    build_log: str
    venv: Path
    site_packages: Path
    workdir: Path
    env: dict[str, str]

    def bin(self, name: str) -> Path:
        return self.venv / "bin" / name

    def run(self, *args: str | Path, timeout: float = 180, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.bin("kindred")), *map(str, args)],
            cwd=self.workdir,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def _clean_copy(target: Path) -> None:
    """The tree as committed or about to be (tracked and new files), without caches or .venv."""
    if (ROOT / ".git").exists() and shutil.which("git"):
        listed = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            check=True,
        ).stdout
        names = [name for name in listed.decode().split("\0") if name and (ROOT / name).is_file()]
    else:  # an unpacked sdist has no .git: all of it is clean
        names = [
            str(path.relative_to(ROOT))
            for path in ROOT.rglob("*")
            if path.is_file() and not {".venv", "__pycache__", ".pytest_cache"} & set(path.parts)
        ]
    for name in names:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    base = tmp_path_factory.mktemp("packaging")
    source, dist = base / "source", base / "dist"
    source.mkdir()
    _clean_copy(source)
    # `build` makes the sdist, then the wheel from the unpacked sdist: whatever the sdist lacks,
    # the wheel lacks too. No isolation: the backend (hatchling) is already in the test environment.
    built = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = dist.glob("kindred-*.whl")
    (sdist,) = dist.glob("kindred-*.tar.gz")

    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    site_packages = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site_packages / "kindred-test-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )

    workdir = base / "elsewhere"
    workdir.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "KINDRED_"))}
    env.update(
        KINDRED_HOME=str(base / "home"),
        QT_QPA_PLATFORM="offscreen",
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        XDG_DATA_HOME=str(base / "xdg-data"),
    )
    return Installed(wheel, sdist, built.stdout + built.stderr, venv, site_packages, workdir, env)


def _bundled_sources() -> list[str]:
    """The repository's files that must travel in the wheel, as paths under app/_bundled/."""
    names = [
        str(path.relative_to(ROOT))
        for folder in BUNDLED_SOURCES
        for path in sorted((ROOT / folder).iterdir())
        if path.is_file()
    ]
    return names + list(BUNDLED_FILES)


def test_the_wheel_is_built_from_the_sdist_and_carries_every_file_the_app_needs(installed):
    assert "Building wheel from sdist" in installed.build_log
    with zipfile.ZipFile(installed.wheel) as wheel:
        in_wheel = set(wheel.namelist())
        metadata = wheel.read(next(n for n in in_wheel if n.endswith(".dist-info/METADATA"))).decode()
        entry_points = wheel.read(next(n for n in in_wheel if n.endswith("entry_points.txt"))).decode()
    for name in _bundled_sources():
        assert f"app/_bundled/{name}" in in_wheel, name
    assert "app/_bundled/scripts/choosing-compassion.md" in in_wheel
    assert not any(name.startswith(("tests/", "scripts/", "audio/", "resources/")) for name in in_wheel)
    assert "License-Expression: GPL-3.0-or-later" in metadata
    assert "License-File: LICENSE" in metadata and "License-File: NOTICE" in metadata
    assert "Project-URL: Documentation, https://" in metadata
    assert "kindred = app.cli:main" in entry_points
    assert "[gui_scripts]\nkindred-window = app.cli:open_window" in entry_points


def test_the_sdist_holds_every_file_the_wheel_needs(installed):
    with tarfile.open(installed.sdist) as sdist:
        top = sdist.getnames()[0].split("/")[0]
        in_sdist = {name.removeprefix(f"{top}/") for name in sdist.getnames()}
    for name in [*_bundled_sources(), "pyproject.toml", "README.md"]:
        assert name in in_sdist, name
    assert not any(".venv" in name or "__pycache__" in name for name in in_sdist)


def test_kindred_runs_from_the_installed_package_not_the_checkout(installed):
    result = subprocess.run(
        [
            str(installed.bin("python")),
            "-c",
            "import app, app.paths as p; print(app.__file__); print(p.bundled_dir())",
        ],
        cwd=installed.workdir,
        env=installed.env,
        capture_output=True,
        text=True,
        check=True,
    )
    package, bundled = result.stdout.splitlines()
    assert Path(package).is_relative_to(installed.site_packages)
    assert Path(bundled) == installed.site_packages / "app" / "_bundled"
    assert installed.bin("kindred-window").is_file()


def test_installed_list_shows_every_bundled_meditation(installed):
    result = installed.run("list")
    assert result.returncode == 0, result.stderr
    titles = [load_script(path).meta.title for path in sorted((ROOT / "scripts").glob("*.md"))]
    assert len(titles) == BUNDLED_COUNT >= 12
    lines = result.stdout.splitlines()
    assert len(lines) == len(titles)
    for title in titles:
        assert any(line.startswith(title) and "bundled" in line for line in lines), title


def test_installed_check_accepts_every_bundled_script(installed):
    scripts = sorted((installed.site_packages / "app" / "_bundled" / "scripts").glob("*.md"))
    assert len(scripts) == BUNDLED_COUNT  # every one of the checkout's travels in the wheel
    result = installed.run("check", *scripts)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": OK (") == BUNDLED_COUNT


@pytest.mark.skipif(not HAS_ESPEAK, reason="espeak-ng is not installed")
def test_installed_render_of_a_bundled_session_at_its_shortest_length(installed):
    """With the real voice, so the speech workers must find the installed package by themselves."""
    shortest = min(
        (load_script(path) for path in (ROOT / "scripts").glob("*.md")),
        key=lambda script: script.meta.durations[0] if script.meta.durations else float("inf"),
    )
    length = shortest.meta.durations[0]
    output = installed.workdir / "shortest.wav"
    old_mask = os.umask(0o022)
    try:
        result = installed.run("render", shortest.meta.title, "--length", f"{length:g}s", "-o", output)
    finally:
        os.umask(old_mask)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Wrote {output} (")
    with wave.open(str(output), "rb") as reader:
        assert abs(reader.getnframes() / reader.getframerate() - length) <= 0.05
    assert output.stat().st_mode & 0o777 == 0o644  # as any program makes a file, not 0600


def test_installed_doctor_fails_at_most_for_the_sound_device(installed):
    result = installed.run("doctor", timeout=120)
    lines = result.stdout.splitlines()
    failures = [line for line in lines if line.startswith("FAIL")]
    assert all(line.startswith("FAIL audio output") for line in failures), result.stdout
    bundled = installed.site_packages / "app" / "_bundled"
    assert f"OK   Kindred's files: {bundled} (installed copy)" in lines
    assert f"OK   library: {BUNDLED_COUNT} bundled meditations, 0 of your own" in lines
    assert any(line.startswith("OK   sounds: 3 bells, 4 ambience loops") for line in lines)


def test_installed_window_starts_and_quits_cleanly(installed):
    process = subprocess.Popen(
        [str(installed.bin("kindred"))],
        cwd=installed.workdir,
        env=installed.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(5)
        assert process.poll() is None, process.communicate()[1]  # still up: it did not die at start
        process.send_signal(signal.SIGTERM)  # as a desktop session ending does
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr


def test_installed_install_desktop_points_at_the_installed_command(installed):
    data_home = Path(installed.env["XDG_DATA_HOME"])
    result = installed.run("install-desktop")
    assert result.returncode == 0, result.stderr
    entry = data_home / "applications" / "io.github.kindred.Kindred.desktop"
    icon = data_home / "icons" / "hicolor" / "scalable" / "apps" / "io.github.kindred.Kindred.svg"
    exec_lines = [line for line in entry.read_text("utf-8").splitlines() if line.startswith("Exec=")]
    assert exec_lines == [f"Exec={installed.bin('kindred')}"]
    assert installed.bin("kindred").is_file() and os.access(installed.bin("kindred"), os.X_OK)
    assert icon.is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout

    removed = installed.run("install-desktop", "--remove")
    assert removed.returncode == 0, removed.stderr
    assert not entry.exists() and not icon.exists()
