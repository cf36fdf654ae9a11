"""The layering of DESIGN.md, read from the imports of every module."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

#: What each part of app/ may import from app/ (DESIGN.md's arrows). Shared helpers at the
#: top of the package (errors, files, paths, leftovers) are open to all.
SHARED = {"errors", "files", "paths", "leftovers", "time_text"}
ALLOWED = {
    "script": {"script"} | SHARED,
    "tts": {"tts"} | SHARED,
    "render": {"render", "tts", "script"} | SHARED,
    "library": {"library", "script"} | SHARED,
    "history": {"history"} | SHARED,
}


def _modules():
    for path in sorted(APP.rglob("*.py")):
        parts = path.relative_to(APP).with_suffix("").parts
        yield path, parts


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_the_checker_sees_imports():
    # Guards the test itself: it must find the imports it is meant to police.
    sample = _imports(APP / "render" / "session.py")
    assert "app.render.timeline" in sample


def test_only_ui_imports_pyside6():
    offenders = [
        f"{path.relative_to(APP)} imports {name}"
        for path, parts in _modules()
        if parts[0] != "ui"
        for name in _imports(path)
        if name.split(".")[0] in {"PySide6", "shiboken6"}
    ]
    assert offenders == []


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_core_packages_import_only_what_design_allows(package):
    offenders = []
    for path, parts in _modules():
        if parts[0] != package:
            continue
        for name in _imports(path):
            pieces = name.split(".")
            if pieces[0] == "app" and len(pieces) > 1 and pieces[1] not in ALLOWED[package]:
                offenders.append(f"{path.relative_to(APP)} imports {name}")
    assert offenders == []


def test_shared_helpers_import_no_package():
    offenders = []
    for path, parts in _modules():
        if len(parts) == 1 and parts[0] in SHARED:
            offenders += [
                f"{path.name} imports {n}"
                for n in _imports(path)
                if n.startswith("app.") and n.split(".")[1] not in SHARED
            ]
    assert offenders == []


def test_headless_commands_do_not_load_qt():
    code = (
        "import sys, contextlib, io\n"
        "from app.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['list'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=APP.parent, check=True
    )
    assert result.stdout.strip() == "[]"
