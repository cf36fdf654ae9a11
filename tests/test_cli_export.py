"""`kindred export` on the command line: files written, usage, refusals, Ctrl+C.

The real program runs (`python -m app export ...`) with the fake voice, so exit statuses and
stderr are what a person sees.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.cli import main
from tests.program import ROOT, kindred
from tests.render.test_captions import parse_vtt

SCRIPT = """---
title: Evening Kindness
summary: A short practice for the end of the day.
theme: evening
durations: [1m, 2m]
---
# Settling
Breathe in slowly.
[pause 5s+]
# Letting go
And let the breath go.
[pause 5s+]
"""


@pytest.fixture
def script(tmp_path) -> Path:
    path = tmp_path / "evening.md"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


def probe(path: Path) -> dict:
    command = ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-show_chapters", "-of", "json"]
    return json.loads(
        subprocess.run([*command, str(path)], capture_output=True, check=True, text=True).stdout
    )


def test_export_writes_the_audio_and_its_captions(script, tmp_path):
    out = tmp_path / "out" / "evening.opus"
    result = kindred("export", script, "--length", "1m", "--ambience", "rain", "-o", out)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        rf"Wrote {re.escape(str(out))} \(1m, Evening Kindness, Opus, -1[56]\.\d LUFS\) "
        r"with captions evening\.vtt and evening\.srt in \d+\.\d s\n",
        result.stdout,
    )
    assert sorted(path.name for path in out.parent.iterdir()) == [
        "evening.opus",
        "evening.srt",
        "evening.vtt",
    ]
    info = probe(out)
    assert float(info["format"]["duration"]) == pytest.approx(60.0, abs=0.1)
    assert info["streams"][0]["tags"]["title"] == "Evening Kindness"
    assert [chapter["tags"]["title"] for chapter in info["chapters"]] == ["Settling", "Letting go"]
    assert [text for _, _, text in parse_vtt((tmp_path / "out" / "evening.vtt").read_text("utf-8"))] == [
        "Breathe in slowly.",
        "And let the breath go.",
    ]
    # stderr is a pipe: plain progress lines, ending with the whole.
    lines = result.stderr.splitlines()
    assert all(re.fullmatch(r"\s*\d{1,3}% \S.*", line) for line in lines), lines
    assert "Encoding Opus" in result.stderr
    assert lines[-1] == "100% Done"


def test_the_format_comes_from_the_file_name_or_names_it(script, tmp_path):
    assert kindred("export", script, "-o", tmp_path / "a.FLAC").returncode == 0
    assert probe(tmp_path / "a.FLAC")["streams"][0]["codec_name"] == "flac"
    result = kindred("export", script, "--format", "mp3", "-o", tmp_path / "b")
    assert result.returncode == 0, result.stderr
    assert probe(tmp_path / "b.mp3")["streams"][0]["codec_name"] == "mp3"
    assert (tmp_path / "b.vtt").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(
            ["-o", "out"],
            "give --format, or an output name ending in .mp3, .opus, .flac, .wav",
            id="no-format",
        ),
        pytest.param(
            ["--format", "flac", "-o", "out.mp3"], "ends in .mp3 but --format is flac", id="mismatch"
        ),
        pytest.param(["--format", "ogg", "-o", "out.ogg"], "invalid choice: 'ogg'", id="unknown-format"),
        pytest.param(["--ambience-volume", "150", "-o", "x.mp3"], "choose between 0 and 100", id="volume"),
        pytest.param([], "required: -o/--output", id="no-output"),
    ],
)
def test_wrong_usage_exits_2_with_one_line(script, tmp_path, args, expected):
    result = kindred("export", script, *args)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert list(tmp_path.iterdir()) == [script]


def test_an_existing_file_is_kept_unless_forced(script, tmp_path):
    out = tmp_path / "evening.wav"
    out.write_bytes(b"mine")
    result = kindred("export", script, "-o", out)
    assert result.returncode == 1
    assert result.stderr.strip() == f"The file exists: {out} already exists. Add --force to replace it."
    assert out.read_bytes() == b"mine"
    assert kindred("export", script, "-o", out, "--force").returncode == 0
    assert out.read_bytes()[:4] == b"RIFF"


def test_a_folder_that_is_a_file_fails_clearly_and_writes_nothing(script, tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder")
    result = kindred("export", script, "-o", blocker / "evening.mp3")
    assert result.returncode == 1
    assert "is a file, not a folder" in result.stderr and "Traceback" not in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["evening.md", "notes.txt"]


def test_an_unknown_background_is_named(script, tmp_path):
    result = kindred("export", script, "--ambience", "thunder", "-o", tmp_path / "x.mp3")
    assert result.returncode == 1
    assert "There is no ambience called “thunder”" in result.stderr
    assert not (tmp_path / "x.mp3").exists()


def test_ctrl_c_stops_the_export_and_leaves_nothing(script, tmp_path):
    """A long session, interrupted while ffmpeg encodes it, as Ctrl+C in a terminal would."""
    out = tmp_path / "out" / "long.opus"
    env = dict(os.environ, KINDRED_ENGINE="fake")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "export",
            str(script),
            "--length",
            "60m",
            "--ambience",
            "ocean",
            "-o",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As from a terminal: a test run started in the background (`make test &`) passes
        # SIGINT on as ignored, and Python then never turns Ctrl+C into KeyboardInterrupt.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        seen = ""
        while "Encoding Opus" not in seen:
            line = process.stderr.readline()
            assert line, f"the export ended before encoding: {seen}"
            seen += line
        encoding = out.parent.exists() and any(out.parent.iterdir())  # the file being written
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert encoding
    assert process.returncode == 130
    assert stderr.strip().endswith("Stopped.") and "Traceback" not in stderr
    assert stdout == ""
    time.sleep(0.5)  # ffmpeg, had it survived, would still be writing
    assert not out.parent.exists()  # nor the folder made for it


def test_export_needs_no_qt(script, tmp_path):
    program = """
import contextlib, io, sys
from app.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    status = main(["export", sys.argv[1], "-o", sys.argv[2]])
qt = [m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6") or m.startswith("app.ui")]
print(status, sorted(qt))
"""
    result = subprocess.run(
        [sys.executable, "-c", program, str(script), str(tmp_path / "out.flac")],
        cwd=ROOT,
        env=dict(os.environ, KINDRED_ENGINE="fake"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "0 []", result.stderr


def test_help_lists_export(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    text = capsys.readouterr().out
    for option in (
        "--length",
        "--format",
        "--ambience",
        "--ambience-volume",
        "--voice",
        "--rate",
        "--force",
        "-o",
    ):
        assert option in text
