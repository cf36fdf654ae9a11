"""Shared test set-up: headless Qt, and a private Kindred home for every test."""

import os

# Qt aborts the whole process without a display unless this is set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def kindred_home(tmp_path, monkeypatch):
    """Every test gets its own data, cache and music folders (DESIGN.md: KINDRED_HOME)."""
    home = tmp_path / "kindred-home"
    monkeypatch.setenv("KINDRED_HOME", str(home))
    return home
