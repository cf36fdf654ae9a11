"""Shared test set-up: headless Qt, a private Kindred home for every test, and its history database."""

import os

# Qt aborts the whole process without a display unless this is set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from app import paths  # noqa: E402
from app.history import ListenLog, Store  # noqa: E402


@pytest.fixture(autouse=True)
def no_desktop_bus(monkeypatch):
    """No test talks to the desktop's own session bus (a window playing would really hold off
    sleep there): the D-Bus tests start a private bus and point their programs at it."""
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)


@pytest.fixture(autouse=True)
def kindred_home(tmp_path, monkeypatch):
    """Every test gets its own data, cache and music folders (docs/architecture.md: KINDRED_HOME)."""
    home = tmp_path / "kindred-home"
    monkeypatch.setenv("KINDRED_HOME", str(home))
    return home


@pytest.fixture
def store(kindred_home):
    """The database the app itself would open (under the test's KINDRED_HOME), closed after."""
    opened = Store(paths.database_path())
    yield opened
    opened.close()


@pytest.fixture
def log(store):
    return ListenLog(store)
