"""The layering of docs/architecture.md, read from the imports of every module."""

import subprocess
import sys

import pytest

from tests.quality.modules import APP, imports, modules

#: What each part of app/ may import from app/ (the architecture's table). Shared helpers at
#: the top of the package are open to all.
SHARED = {"errors", "files", "paths", "leftovers", "time_text"}
ALLOWED = {
    "script": {"script"} | SHARED,
    "tts": {"tts"} | SHARED,
    "render": {"render", "tts", "script"} | SHARED,
    "library": {"library", "script"} | SHARED,
    "history": {"history"} | SHARED,
    "terminal": {"terminal", "render", "library", "history", "tts", "script", "settings"} | SHARED,
    # The settings' defaults come from where they matter; the core never reads settings.
    "settings": {"settings", "render", "tts", "library", "reminders"} | SHARED,
}
#: Inside app/ui: what each kind of folder may import from app.ui (a page: its own package only).
UI_ALLOWED = {
    "widgets": {"widgets", "theme"},
    "services": {"services"},
    "dialogs": {"dialogs", "widgets", "services", "theme"},
}


def _app_imports(path, parts):
    return [name for name in imports(path, parts) if name == "app" or name.startswith("app.")]


def test_the_checker_sees_imports():
    # Guards the test itself: it must find the imports it is meant to police, relative ones too.
    sample = imports(APP / "render" / "session.py", ("render", "session"))
    assert "app.render.timeline" in sample
    script_package = imports(APP / "script" / "__init__.py", ("script", "__init__"))
    assert any(name.startswith("app.script.") for name in script_package)


def test_only_ui_imports_pyside6():
    offenders = [
        f"{path.relative_to(APP)} imports {name}"
        for path, parts in modules()
        if parts[0] != "ui"
        for name in imports(path, parts)
        if name.split(".")[0] in {"PySide6", "shiboken6"}
    ]
    assert offenders == []


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_core_packages_import_only_what_the_architecture_allows(package):
    offenders = []
    for path, parts in modules():
        if parts[0] != package:
            continue
        for name in _app_imports(path, parts):
            pieces = name.split(".")
            if len(pieces) > 1 and pieces[1] not in ALLOWED[package]:
                offenders.append(f"{path.relative_to(APP)} imports {name}")
    assert offenders == []


def test_shared_helpers_import_no_package():
    offenders = []
    for path, parts in modules():
        if len(parts) == 1 and parts[0] in SHARED:
            offenders += [
                f"{path.name} imports {name}"
                for name in _app_imports(path, parts)
                if len(name.split(".")) > 1 and name.split(".")[1] not in SHARED
            ]
    assert offenders == []


def test_only_the_front_ends_import_the_window_and_the_window_never_imports_the_cli():
    offenders = []
    for path, parts in modules():
        for name in _app_imports(path, parts):
            # The front ends: the window itself, and the command line's one module (not app.commands).
            if name.startswith("app.ui") and parts[0] != "ui" and parts not in {("cli",), ("__main__",)}:
                offenders.append(f"{path.relative_to(APP)} imports {name}")
            if name.startswith(("app.cli", "app.commands")) and parts[0] == "ui":
                offenders.append(f"{path.relative_to(APP)} imports {name}")
    assert offenders == []


def test_a_page_never_imports_another_page():
    offenders = []
    for path, parts in modules():
        if parts[:2] != ("ui", "pages") or len(parts) < 4:
            continue
        for name in _app_imports(path, parts):
            pieces = name.split(".")
            if pieces[:3] == ["app", "ui", "pages"] and len(pieces) > 3 and pieces[3] != parts[2]:
                offenders.append(f"{path.relative_to(APP)} imports {name}")
    assert offenders == []


@pytest.mark.parametrize("kind", sorted(UI_ALLOWED))
def test_lower_ui_folders_never_import_higher_ones(kind):
    """Widgets and services serve the pages and dialogs; they never reach up to them."""
    offenders = []
    for path, parts in modules():
        if parts[:2] != ("ui", kind):
            continue
        for name in _app_imports(path, parts):
            pieces = name.split(".")
            if pieces[:2] == ["app", "ui"] and len(pieces) > 2 and pieces[2] not in UI_ALLOWED[kind]:
                offenders.append(f"{path.relative_to(APP)} imports {name}")
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
