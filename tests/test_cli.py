"""`kindred` on the command line: exit statuses, messages, and what each command writes.

Most tests run the real program (`python -m app ...`) so that exit statuses and the exact
stderr are what a person sees; cheap ones call `app.cli.main` in-process with capsys.
Rendering uses the fake voice (KINDRED_ENGINE=fake) except where marked realvoice.
"""

from __future__ import annotations

import io
import os
import pty
import re
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from app.cli import main
from app.terminal.progress import ProgressDisplay
from tests.program import ROOT, kindred
from tests.terminal import read_until_closed

BUNDLED = ROOT / "scripts" / "choosing-compassion.md"
HAS_ESPEAK = shutil.which("espeak-ng") is not None

GOOD = """---
title: Evening Kindness
summary: A short practice for the end of the day.
theme: evening
durations: [1m, 2m]
---
# Settling
Breathe in slowly.
[pause 5s+]
And let the breath go.
"""

NATURAL = """---
title: Natural Length
summary: A practice without offered lengths.
theme: test
---
Breathe in.
[pause 2s]
Breathe out.
"""

# Line 8 column 1: a misspelt directive; line 10 column 3: an unknown one, indented by two.
TWO_ERRORS = """---
title: Two Mistakes
summary: A script with two errors.
theme: test
---
# Start
Breathe in.
[paws 5s]
Breathe out.
  [chime]
"""

UNKNOWN_BELL = """---
title: Wrong Bell
summary: Names a bell that does not exist.
theme: test
---
Breathe in.
[bell gongg]
Breathe out.
"""


@pytest.fixture(autouse=True)
def fake_voice(monkeypatch):
    """The fast deterministic voice, for the in-process calls and (through the env) the subprocesses."""
    monkeypatch.setenv("KINDRED_ENGINE", "fake")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as reader:
        return reader.getnframes() / reader.getframerate()


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout


# -- usage -------------------------------------------------------------------------------


def test_no_arguments_opens_the_window(monkeypatch):
    import app.ui.app

    opened = []
    monkeypatch.setattr(app.ui.app, "run", lambda argv, asked=None, in_tray=False: opened.append(argv) or 0)
    assert main([]) == 0
    assert opened == [sys.argv[:1]]


def test_help_lists_every_command():
    result = kindred("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: kindred")
    for command in ("list", "check", "render", "play", "voices", "doctor"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.MULTILINE), command
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["bogus"], "invalid choice: 'bogus'", id="unknown-command"),
        pytest.param(["render", BUNDLED], "required: -o/--output", id="missing-output"),
        pytest.param(
            ["render", BUNDLED, "--length", "ten", "-o", "out.wav"], "invalid length 'ten'", id="bad-length"
        ),
        pytest.param(
            ["render", BUNDLED, "--length", "0s", "-o", "out.wav"], "invalid length '0s'", id="zero-length"
        ),
        pytest.param(
            ["render", BUNDLED, "--rate", "fast", "-o", "out.wav"],
            "invalid rate 'fast'",
            id="rate-not-a-number",
        ),
        pytest.param(
            ["render", BUNDLED, "--rate", "1000", "-o", "out.wav"], "between 80 and 250", id="rate-too-high"
        ),
        pytest.param(
            ["render", BUNDLED, "-o", "out.mp3"], "must be a .wav file, not 'out.mp3'", id="mp3-output"
        ),
        pytest.param(["check"], "required: FILE", id="check-without-files"),
    ],
)
def test_wrong_usage_exits_2_with_one_line_naming_the_problem(args, expected):
    result = kindred(*args)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert lines[0].startswith("kindred")
    assert result.stdout == ""
    assert_no_traceback(result)


def test_wrong_usage_is_refused_before_any_work(tmp_path):
    # An .mp3 output is a usage error even when the script does not exist: nothing is looked up or rendered.
    result = kindred("render", "no-such-meditation", "-o", tmp_path / "out.mp3")
    assert result.returncode == 2
    assert "must be a .wav file" in result.stderr
    assert list(tmp_path.iterdir()) == []


# -- check -------------------------------------------------------------------------------


def test_check_a_good_file_says_ok(tmp_path, capsys):
    path = write(tmp_path / "good.md", GOOD)
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert out == f"{path}: OK (Evening Kindness)\n"


def test_check_prints_every_error_as_file_line_col_and_fails(tmp_path):
    path = write(tmp_path / "two.md", TWO_ERRORS)
    result = kindred("check", path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    assert lines[0].startswith(f"{path}:8:1: unknown directive [paws 5s]")
    assert lines[0].endswith("did you mean [pause 5s]?")
    assert lines[1].startswith(f"{path}:10:3: unknown directive [chime]")
    assert_no_traceback(result)


def test_check_hints_gives_notes_on_pace_and_care_without_failing(tmp_path, capsys):
    rushed = GOOD.replace(
        "Breathe in slowly.\n[pause 5s+]\nAnd let the breath go.", "Breathe in, and breathe out.\n[pause 5s+]"
    )
    path = write(tmp_path / "rushed.md", rushed)
    assert main(["check", "--hints", str(path)]) == 0  # advice, not an error
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{path}: OK (Evening Kindness)"
    assert lines[1].startswith(f"{path}:8: note (breath): ")
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: OK (Evening Kindness)\n"  # only when asked
    assert main(["check", "--hints", str(BUNDLED)]) == 0
    assert capsys.readouterr().out == f"{BUNDLED}: OK (Choosing Compassion)\n"  # the library is clean


def test_check_a_missing_file_fails_with_a_clear_message(tmp_path, capsys):
    path = tmp_path / "nowhere.md"
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert out == f"{path}: cannot read the file: No such file or directory\n"


def test_check_reports_each_file_and_fails_when_any_fails(tmp_path, capsys):
    good = write(tmp_path / "good.md", GOOD)
    bad = write(tmp_path / "two.md", TWO_ERRORS)
    assert main(["check", str(good), str(bad), str(BUNDLED)]) == 1
    out = capsys.readouterr().out
    assert f"{good}: OK" in out
    assert f"{bad}:8:1:" in out and f"{bad}:10:3:" in out
    assert f"{BUNDLED}: OK (Choosing Compassion)" in out


def test_check_refuses_an_unknown_bell_and_names_the_real_ones(tmp_path, capsys):
    path = write(tmp_path / "bell.md", UNKNOWN_BELL)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{path}:7:1: unknown bell [bell gongg]")
    assert "small-gong" in out


def test_check_suggests_the_nearest_bell(tmp_path, capsys):
    path = write(tmp_path / "bell.md", UNKNOWN_BELL)
    assert main(["check", str(path)]) == 1
    assert "did you mean [bell small-gong]?" in capsys.readouterr().out


def test_check_reports_a_pronounce_entry_the_script_never_says(tmp_path, capsys):
    names = "pronounce: {breath: breth, Nguyen: win}\n"
    text = GOOD.replace("durations: [1m, 2m]\n", "durations: [1m, 2m]\n" + names)
    path = write(tmp_path / "names.md", text)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:6:1: pronounce: “Nguyen” is never said in the script; check its spelling" in out
    assert "breath" not in out  # said in the script: fine


# -- list --------------------------------------------------------------------------------


def test_list_shows_bundled_and_user_scripts_with_their_lengths(kindred_home, capsys):
    library = kindred_home / "data" / "library"
    write(library / "evening.md", GOOD)
    write(library / "natural.md", NATURAL)
    write(library / "broken.md", TWO_ERRORS)

    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()

    def line_of(name: str) -> str:
        found = [line for line in lines if line.startswith(name)]
        assert len(found) == 1, (name, lines)
        return found[0]

    assert re.fullmatch(r"Choosing Compassion\s+bundled\s+10m, 20m, 30m", line_of("Choosing Compassion"))
    assert re.fullmatch(r"Evening Kindness\s+user\s+1m, 2m", line_of("Evening Kindness"))
    assert re.fullmatch(r"Natural Length\s+user\s+natural length", line_of("Natural Length"))
    broken = line_of("broken")
    assert re.search(r"\buser\b", broken)
    assert "has errors" in broken and f"kindred check {library / 'broken.md'}" in broken
    origins = [("user" if re.search(r"\buser\b", line) else "bundled") for line in lines]
    assert origins == sorted(origins)  # every bundled script before the user's own


def test_list_with_only_the_bundled_script(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "Choosing Compassion" in out and "10m, 20m, 30m" in out


# -- render ------------------------------------------------------------------------------


def test_render_writes_exactly_the_chosen_length_then_reuses_the_cache(tmp_path):
    first = tmp_path / "first.wav"
    result = kindred("render", BUNDLED, "--length", "10m", "-o", first)
    assert result.returncode == 0, result.stderr
    assert abs(wav_seconds(first) - 600.0) <= 0.05
    assert result.stdout.startswith(f"Wrote {first} (10m, Choosing Compassion) in ")
    # stderr is a pipe here: plain progress lines, never a bar redrawn with carriage returns.
    progress = result.stderr.splitlines()
    assert "\r" not in result.stderr
    assert len(progress) >= 3
    assert all(re.fullmatch(r"\s*\d{1,3}% \S.*", line) for line in progress), progress
    assert progress[-1] == "100% Ready"
    assert any("Speaking the script" in line for line in progress)

    # The same session again, this time by its library name: straight from the render cache.
    second = tmp_path / "second.wav"
    again = kindred("render", "choosing-compassion", "--length", "10m", "-o", second)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == f"Wrote {second} (10m, Choosing Compassion) from the cache"
    assert second.read_bytes() == first.read_bytes()


def test_render_shows_a_bar_on_a_terminal(tmp_path):
    script = write(tmp_path / "good.md", GOOD)
    out = tmp_path / "out.wav"
    env = dict(os.environ, KINDRED_ENGINE="fake")
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "render", str(script), "-o", str(out)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=terminal,
        )
    finally:
        os.close(terminal)
    shown = read_until_closed(controller)
    stdout, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    text = shown.decode()
    assert "\r[" in text
    assert re.search(r"\[#+\] 100% Ready", text)
    assert text.rstrip(" ").endswith("\n")  # the bar is finished before anything else is printed
    assert not re.search(r"^\s*\d{1,3}% \S", text, re.MULTILINE)  # no plain progress lines
    assert stdout.decode().startswith(f"Wrote {out} (1m, Evening Kindness)")


def test_progress_display_redraws_one_line_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    display = ProgressDisplay(stream)
    display.update(0.5, "Speaking the script")
    display.update(1.0, "Ready")
    display.finish()
    written = stream.getvalue()
    assert written.startswith("\r[")
    assert " 50% Speaking the script" in written
    assert "100% Ready" in written
    assert written.count("\n") == 1 and written.endswith("\n")


def test_progress_display_prints_one_plain_line_per_stage_or_tenth():
    stream = io.StringIO()
    display = ProgressDisplay(stream)
    for fraction in (0.0, 0.01, 0.05, 0.12, 0.13, 0.5):
        display.update(fraction, "Speaking the script")
    display.update(0.5, "Putting the session together")
    display.finish()
    assert stream.getvalue().splitlines() == [
        "  0% Speaking the script",
        " 12% Speaking the script",
        " 50% Speaking the script",
        " 50% Putting the session together",
    ]


def test_render_refuses_a_length_below_the_minimum(tmp_path):
    out = tmp_path / "short.wav"
    result = kindred("render", BUNDLED, "--length", "1m", "-o", out)
    assert result.returncode == 1
    message = result.stderr.splitlines()[-1]
    assert re.search(r"at least \d+m(\d+s)?\b", message), message
    assert "1m is too short" in message
    assert not out.exists()
    assert_no_traceback(result)


def test_render_of_an_unknown_library_name_fails_clearly(tmp_path):
    out = tmp_path / "out.wav"
    result = kindred("render", "no-such-meditation", "-o", out)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "No such script: “no-such-meditation” is neither a file nor a script in the library. "
        "See `kindred list`."
    ]
    assert not out.exists()


def test_render_of_a_script_with_errors_prints_them(tmp_path):
    path = write(tmp_path / "two.md", TWO_ERRORS)
    result = kindred("render", path, "-o", tmp_path / "out.wav")
    assert result.returncode == 1
    assert f"{path}:8:1:" in result.stderr and f"{path}:10:3:" in result.stderr
    assert not (tmp_path / "out.wav").exists()
    assert_no_traceback(result)


def test_render_into_a_folder_that_cannot_exist_fails_before_rendering(tmp_path):
    # Tests run as root, which chmod cannot stop: a path under a regular file is unwritable for anyone.
    blocker = write(tmp_path / "afile", "not a folder")
    out = blocker / "sub" / "out.wav"
    result = kindred("render", BUNDLED, "-o", out)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Could not save the file: {blocker} is a file, not a folder, so {out} cannot be written. "
        "Choose another folder."
    ]
    assert blocker.read_text() == "not a folder"
    assert_no_traceback(result)


def test_render_onto_a_folder_fails_clearly(tmp_path):
    folder = tmp_path / "session.wav"
    folder.mkdir()
    result = kindred("render", BUNDLED, "-o", folder)
    assert result.returncode == 1
    assert f"{folder} is a folder" in result.stderr
    assert_no_traceback(result)


def test_render_with_an_unusable_cache_folder_fails_without_a_traceback(tmp_path, monkeypatch):
    blocker = write(tmp_path / "afile", "not a folder")
    monkeypatch.setenv("KINDRED_HOME", str(blocker / "home"))
    result = kindred("render", BUNDLED, "-o", tmp_path / "out.wav")
    assert result.returncode == 1
    last = result.stderr.splitlines()[-1]
    assert str(blocker) in last and "kindred doctor" in last
    assert_no_traceback(result)


def test_render_with_an_unknown_voice_fails_clearly(tmp_path):
    result = kindred("render", BUNDLED, "--voice", "nobody", "-o", tmp_path / "out.wav")
    assert result.returncode == 1
    assert "no voice with the id “nobody”" in result.stderr
    assert "kindred voices" in result.stderr
    assert_no_traceback(result)


@pytest.mark.realvoice
@pytest.mark.skipif(not HAS_ESPEAK, reason="espeak-ng is not installed")
def test_render_with_the_real_voice(tmp_path):
    script = write(tmp_path / "good.md", GOOD)
    out = tmp_path / "real.wav"
    result = kindred("render", script, "--length", "1m", "-o", out, engine=None)
    assert result.returncode == 0, result.stderr
    assert abs(wav_seconds(out) - 60.0) <= 0.05
    assert result.stdout.startswith(f"Wrote {out} (1m, Evening Kindness) in ")


# -- voices and doctor -------------------------------------------------------------------


@pytest.mark.realvoice
@pytest.mark.skipif(not HAS_ESPEAK, reason="espeak-ng is not installed")
def test_voices_lists_the_real_voices_with_the_default_marked():
    result = kindred("voices", engine=None)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    marked = [line for line in lines if line.startswith("*")]
    assert len(marked) == 1
    # The natural voice is the default; the system's voices are listed after it, with their engine.
    assert re.match(r"\* piper/en_US-joe-medium\s+en-US\s+Piper \(neural\)\s+medium\s+Joe", marked[0])
    assert any(re.match(r"  gmw/en-us\s+en-us\s+eSpeak NG\s+-\s+English", line) for line in lines)
    assert lines[-1].endswith("voices; * marks the default.")


def test_voices_with_the_fake_engine(capsys):
    assert main(["voices"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("* fake/calm")
    assert lines[1].startswith("  fake/bright")
    assert lines[-1] == "2 voices; * marks the default."


@pytest.mark.parametrize("command", [["voices"], ["list"], ["--help"]])
def test_output_into_a_closed_pipe_ends_quietly(command):
    """`kindred voices | head`: the reader is gone before the first line; no "Broken pipe"."""
    env = dict(os.environ, KINDRED_ENGINE="fake")
    read_end, write_end = os.pipe()
    os.close(read_end)  # as `head` does once it has what it wants: every write now fails with EPIPE
    try:
        result = subprocess.run(
            [sys.executable, "-m", "app", *command],
            cwd=ROOT,
            env=env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == 0


def test_render_output_gets_the_mode_the_umask_allows(tmp_path):
    out = tmp_path / "out.wav"
    old = os.umask(0o022)
    try:
        assert main(["render", str(write(tmp_path / "good.md", GOOD)), "--length", "1m", "-o", str(out)]) == 0
        assert out.stat().st_mode & 0o777 == 0o644
        os.umask(0o077)
        private = tmp_path / "private.wav"
        assert main(["render", str(tmp_path / "good.md"), "--length", "1m", "-o", str(private)]) == 0
        assert private.stat().st_mode & 0o777 == 0o600
        # A file that is replaced keeps the mode its owner gave it.
        out.chmod(0o640)
        assert main(["render", str(tmp_path / "good.md"), "--length", "1m", "-o", str(out)]) == 0
        assert out.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)


def test_doctor_prints_one_ok_or_fail_line_per_check():
    result = kindred("doctor")
    lines = result.stdout.splitlines()
    assert lines, result.stderr
    assert all(re.match(r"(OK  |FAIL) [A-Za-z][A-Za-z' ]*: \S", line) for line in lines), lines
    names = [line[5:].split(":")[0] for line in lines]
    for needed in ("system voice", "ffmpeg", "audio output", "data folder", "cache folder"):
        assert needed in names
    failed = [line for line in lines if line.startswith("FAIL")]
    assert result.returncode == (1 if failed else 0)
    assert re.search(r"^OK   data folder: ", result.stdout, re.MULTILINE)
    assert_no_traceback(result)


def test_doctor_says_what_is_wrong_with_an_unusable_home(tmp_path, monkeypatch):
    blocker = write(tmp_path / "afile", "not a folder")
    monkeypatch.setenv("KINDRED_HOME", str(blocker / "home"))
    result = kindred("doctor")
    assert result.returncode == 1
    data = [line for line in result.stdout.splitlines() if line.startswith("FAIL data folder:")]
    assert len(data) == 1
    assert f"{blocker} is a file, not a folder" in data[0] and "KINDRED_HOME" in data[0]
    assert_no_traceback(result)


# -- no Qt -------------------------------------------------------------------------------


def test_no_command_imports_qt(tmp_path):
    script = write(tmp_path / "good.md", GOOD)
    program = """
import contextlib, io, sys
from app.cli import main
script, out = sys.argv[1], sys.argv[2]
for argv in (["list"], ["check", script], ["voices"], ["doctor"], ["render", script, "-o", out]):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(argv)
print(sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6")
             or m == "app.ui" or m.startswith("app.ui.")))
"""
    env = dict(os.environ, KINDRED_ENGINE="fake")
    result = subprocess.run(
        [sys.executable, "-c", program, str(script), str(tmp_path / "out.wav")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert (tmp_path / "out.wav").exists()
