"""`kindred new TITLE`: a script of one's own from the template, its path printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app import paths
from app.cli import main
from app.script import load_script
from app.script.template import template_text
from tests.program import ROOT, kindred


def test_new_creates_a_script_from_the_template_and_prints_its_path():
    result = kindred("new", "Evening: Kindness")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    path = Path(result.stdout.strip())
    assert path == paths.user_library_dir() / "evening-kindness.md"
    assert path.read_text("utf-8") == template_text("Evening: Kindness")
    assert load_script(path).meta.title == "Evening: Kindness"


def test_new_never_overwrites_and_the_library_lists_both(capsys):
    assert main(["new", "Evening Kindness"]) == 0
    assert main(["new", "Evening Kindness"]) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert Path(first).name == "evening-kindness.md"
    assert Path(second).name == "evening-kindness-2.md"
    assert main(["list"]) == 0
    listed = [line for line in capsys.readouterr().out.splitlines() if " user " in line]
    assert len(listed) == 2 and all(line.startswith("Evening Kindness") for line in listed)


def test_new_with_a_hostile_title_stays_in_the_library(capsys):
    assert main(["new", "../../etc/CON"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == paths.user_library_dir() / "con-script.md"
    assert load_script(path).meta.title == "../../etc/CON"


def test_new_without_a_title_fails_clearly(capsys):
    assert main(["new", "   "]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("No title: Give the script a title")
    assert not paths.user_library_dir().exists()
    usage = kindred("new")
    assert usage.returncode == 2
    assert "required: TITLE" in usage.stderr


def test_new_into_an_unwritable_library_fails_without_a_traceback(tmp_path):
    # Tests run as root, which chmod cannot stop: nothing can be created under a regular file.
    blocker = tmp_path / "home-is-a-file"
    blocker.write_text("not a folder\n", "utf-8")
    env = dict(os.environ, KINDRED_HOME=str(blocker))
    result = subprocess.run(
        [sys.executable, "-m", "app", "new", "Mine"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Could not save the file: ")
    assert "is not a folder" in result.stderr


def test_new_does_not_load_qt():
    program = (
        "import contextlib, io, sys\n"
        "from app.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['new', 'Quiet']) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'app.ui'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
