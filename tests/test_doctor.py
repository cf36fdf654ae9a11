"""`kindred doctor`'s checks, one by one: OK when things are fine, otherwise what is wrong and the fix."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from app import doctor, paths
from app.doctor import Check
from app.tts import NoVoiceError

HAS_ESPEAK = shutil.which("espeak-ng") is not None

BROKEN_SCRIPT = """---
title: Broken
summary: Has an error.
theme: test
---
Breathe in.
[paws 5s]
"""


@pytest.fixture
def linux(monkeypatch):
    """The Linux branches (apt hints, sound servers) on any machine."""
    monkeypatch.setattr(doctor.platform, "system", lambda: "Linux")


@pytest.fixture
def bin_dir(tmp_path, monkeypatch):
    """An otherwise empty PATH, for stand-in programs."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


def fake_program(folder: Path, name: str, body: str, interpreter: str = "/bin/sh") -> Path:
    program = folder / name
    program.write_text(f"#!{interpreter}\n{body}\n")
    program.chmod(0o755)
    return program


# -- folders -----------------------------------------------------------------------------


def test_check_folder_creates_a_missing_folder_and_leaves_nothing_in_it(tmp_path):
    folder = tmp_path / "deep" / "data"
    check = doctor.check_folder("data folder", folder)
    assert check.ok and check.name == "data folder"
    assert check.detail.startswith(str(folder)) and check.detail.endswith("GB free)")
    assert folder.is_dir()
    assert list(folder.iterdir()) == []


def test_check_folder_under_a_file_fails_and_says_how_to_fix_it(tmp_path):
    # Tests run as root, which chmod cannot stop: nobody can create a folder under a regular file.
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    folder = blocker / "home" / "data"
    check = doctor.check_folder("data folder", folder)
    assert check.name == "data folder"
    assert not check.ok
    assert str(folder) in check.detail
    assert f"{blocker} is a file, not a folder" in check.detail
    assert "move that file away or set KINDRED_HOME" in check.detail
    assert blocker.read_text() == "not a folder"


def test_check_folder_that_is_a_file_fails(tmp_path):
    target = tmp_path / "cache"
    target.write_text("")
    check = doctor.check_folder("cache folder", target)
    assert not check.ok
    assert f"{target} is a file, not a folder" in check.detail


# -- ffmpeg ------------------------------------------------------------------------------


def test_check_ffmpeg_without_ffmpeg_fails_with_the_install_command(bin_dir, linux, monkeypatch):
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # nor the pip-installed fallback
    check = doctor.check_ffmpeg()
    assert check.name == "ffmpeg"
    assert not check.ok
    assert "apt install ffmpeg" in check.detail
    assert "pip install imageio-ffmpeg" in check.detail


def test_check_ffmpeg_finds_the_system_one(bin_dir):
    program = fake_program(bin_dir, "ffmpeg", "exit 0")
    check = doctor.check_ffmpeg()
    assert check == Check("ffmpeg", True, f"{program} (from the system)")


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
def test_check_ffmpeg_on_this_machine():
    check = doctor.check_ffmpeg()
    assert check.ok
    assert "ffmpeg" in check.detail


# -- audio output ------------------------------------------------------------------------


def test_check_audio_output_always_explains_itself():
    check = doctor.check_audio_output()
    assert isinstance(check, Check)
    assert check.name == "audio output"
    assert check.detail.strip()


def test_check_audio_output_lists_the_sound_servers_outputs(bin_dir, linux):
    fake_program(
        bin_dir, "pactl", r"printf '0\talsa_output.pci-0000_00_1f.3.analog-stereo\tPipeWire\ts32le\tIDLE\n'"
    )
    check = doctor.check_audio_output()
    assert check == Check("audio output", True, "1 output(s): alsa_output.pci-0000_00_1f.3.analog-stereo")


def test_check_audio_output_with_no_outputs_says_to_connect_some(bin_dir, linux):
    fake_program(bin_dir, "pactl", "exit 0")
    check = doctor.check_audio_output()
    assert not check.ok
    assert "connect speakers or headphones" in check.detail


def test_check_audio_output_without_pactl_looks_for_the_server_socket(bin_dir, linux, tmp_path, monkeypatch):
    runtime = tmp_path / "run"
    (runtime / "pulse").mkdir(parents=True)
    (runtime / "pulse" / "native").touch()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    check = doctor.check_audio_output()
    assert check == Check("audio output", True, f"a sound server is running ({runtime})")


def test_check_audio_output_without_a_sound_server_fails_with_a_fix(bin_dir, linux, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "empty-run"))
    check = doctor.check_audio_output()
    assert not check.ok
    assert "no PulseAudio or PipeWire sound server" in check.detail
    assert "apt install pulseaudio" in check.detail


def test_check_audio_output_survives_a_broken_pactl(bin_dir, linux, tmp_path, monkeypatch):
    # A pactl whose interpreter is missing cannot even start: the check falls back, no traceback.
    fake_program(bin_dir, "pactl", "", interpreter="/nonexistent/interpreter")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "empty-run"))
    check = doctor.check_audio_output()
    assert not check.ok
    assert "sound server" in check.detail


# -- voice -------------------------------------------------------------------------------


@pytest.mark.realvoice
@pytest.mark.skipif(not HAS_ESPEAK, reason="espeak-ng is not installed")
def test_check_voice_with_the_real_engine():
    check = doctor.check_voice()
    assert check.name == "system voice"
    assert check.ok, check.detail
    assert check.detail.startswith("pyttsx3-")
    assert "default gmw/en-us" in check.detail


def test_check_voice_without_a_voice_fails_with_the_engines_explanation(monkeypatch):
    explanation = "Kindred speaks with eSpeak NG. Install it with `sudo apt install espeak-ng`."

    class Voiceless:
        engine_id = "stand-in"

        def __init__(self, workers=None):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc_info):
            return None

        def voices(self):
            raise NoVoiceError(explanation)

        def default_voice(self):
            raise NoVoiceError(explanation)

    monkeypatch.setattr("app.tts.Pyttsx3Engine", Voiceless)
    check = doctor.check_voice()
    assert check == Check("system voice", False, explanation)


# -- the rest, and all together ----------------------------------------------------------


def test_check_python_is_ok_here():
    check = doctor.check_python()
    assert check.ok
    assert check.detail.startswith(f"{sys.version_info.major}.{sys.version_info.minor}.")


def test_check_sounds_counts_the_bundled_bells():
    check = doctor.check_sounds()
    assert check.ok
    assert check.detail.startswith("3 bells")


def test_check_library_names_a_broken_user_script(kindred_home):
    assert doctor.check_library().ok
    broken = kindred_home / "data" / "library" / "broken.md"
    broken.parent.mkdir(parents=True)
    broken.write_text(BROKEN_SCRIPT, encoding="utf-8")
    check = doctor.check_library()
    assert not check.ok
    assert str(broken) in check.detail and "kindred check" in check.detail


def test_run_checks_covers_everything_once(monkeypatch):
    # The real voice is tested above; here a stand-in keeps this fast and independent of espeak-ng.
    def stand_in() -> Check:
        return Check("system voice", True, "stand-in")

    def natural_stand_in() -> Check:
        return Check("natural voice", True, "stand-in")

    stand_ins = {doctor.check_voice: stand_in, doctor.check_natural_voice: natural_stand_in}
    checks = [stand_ins.get(check, check) for check in doctor.CHECKS]
    assert stand_in in checks
    monkeypatch.setattr(doctor, "CHECKS", checks)
    checks = doctor.run_checks()
    names = [check.name for check in checks]
    assert len(names) == len(set(names))
    for needed in (
        "Python",
        "system voice",
        "natural voice",
        "ffmpeg",
        "audio output",
        "data folder",
        "cache folder",
        "sounds",
        "library",
        "Kindred's files",
    ):
        assert needed in names
    assert all(isinstance(check, Check) and check.detail for check in checks)


# -- Kindred's own files -----------------------------------------------------------------


@pytest.fixture
def installed_copy(tmp_path, monkeypatch):
    """A copy of the bundled files laid out as a wheel installs them (app/_bundled), which the
    checks then use; the test removes pieces of it."""
    from tests.program import ROOT

    bundled = tmp_path / "site-packages" / "app" / "_bundled"
    for name in ("scripts", "audio", "resources"):
        shutil.copytree(ROOT / name, bundled / name)
    (bundled / "docs").mkdir()
    shutil.copy2(ROOT / "docs" / "writing-scripts.md", bundled / "docs")
    shutil.copy2(ROOT / "NOTICE", bundled / "NOTICE")
    monkeypatch.setattr(doctor.paths, "bundled_dir", lambda: bundled)
    monkeypatch.setattr(doctor.sys, "prefix", str(tmp_path / "pipx" / "venvs" / "kindred"))
    return bundled


def test_check_bundled_files_in_a_checkout_names_the_checkout():
    check = doctor.check_bundled_files()
    assert check.ok
    assert check.detail.endswith("(developer checkout)")


def test_check_bundled_files_of_a_complete_installed_copy_says_where_they_are(installed_copy):
    expected = Check("Kindred's files", True, f"{installed_copy} (installed copy)")
    assert doctor.check_bundled_files() == expected
    assert doctor.check_sounds().ok and doctor.check_library().ok


def test_a_missing_stylesheet_and_icon_fail_with_the_exact_reinstall_command(installed_copy):
    (installed_copy / "resources" / "style.qss").unlink()
    (installed_copy / "resources" / "kindred.svg").unlink()
    check = doctor.check_bundled_files()
    assert not check.ok
    assert f"missing in {installed_copy}: resources/style.qss, resources/kindred.svg" in check.detail
    assert check.detail.endswith("reinstall Kindred with `pipx reinstall kindred`")


def test_no_bundled_scripts_is_a_failure_not_an_empty_library(installed_copy):
    for script in (installed_copy / "scripts").glob("*.md"):
        script.unlink()
    check = doctor.check_library()
    assert not check.ok
    assert "no bundled meditations in" in check.detail and "pipx reinstall kindred" in check.detail


def test_a_missing_default_bell_fails(installed_copy):
    (installed_copy / "audio" / "bells" / "singing-bowl.ogg").unlink()
    check = doctor.check_sounds()
    assert not check.ok
    assert "not the default bell “singing-bowl”" in check.detail and "reinstall" in check.detail


def test_missing_background_sounds_fail_and_name_the_scripts_that_need_them(installed_copy):
    for loop in (installed_copy / "audio" / "ambience").iterdir():
        loop.unlink()
    assert "no background sounds" in doctor.check_sounds().detail
    check = doctor.check_library()
    assert not check.ok
    assert "sounds used by" in check.detail and ".md" in check.detail


def test_reinstall_hint_for_a_plain_venv_names_its_own_python_and_the_wheel(installed_copy, monkeypatch):
    monkeypatch.setattr(doctor.sys, "prefix", "/home/someone/.venv")
    monkeypatch.setattr(doctor, "installed_from", lambda: "/home/someone/kindred-0.1.0-py3-none-any.whl")
    assert doctor.reinstall_hint() == (
        f"reinstall Kindred with `{sys.executable} -m pip install --force-reinstall --no-deps "
        "/home/someone/kindred-0.1.0-py3-none-any.whl`"
    )


def test_installed_from_reads_what_pip_recorded():
    # The test environment holds the checkout as an editable install: pip recorded its folder.
    from tests.program import ROOT

    assert doctor.installed_from() == str(ROOT)


def test_the_cache_folder_says_how_much_sound_it_keeps_and_its_limit(store):
    from app.render.cache_limit import LIMIT_SETTING

    store.set_setting(LIMIT_SETTING, 5)
    clip = paths.cache_dir() / "speech" / "ab" / "clip.wav"
    clip.parent.mkdir(parents=True, exist_ok=True)
    clip.write_bytes(b"\0" * 3_000_000)
    check = doctor.check_cache_folder()
    assert check.ok
    assert check.detail.endswith("; 3 MB of sound kept, at most 5 GB")
