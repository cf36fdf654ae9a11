"""Fixtures the screen tests share: the history database of the test's private home."""

import pytest

from app import paths
from app.history import ListenLog, Store


@pytest.fixture
def store():
    """The database the app itself would open (under the test's KINDRED_HOME), closed after."""
    opened = Store(paths.database_path())
    yield opened
    opened.close()


@pytest.fixture
def log(store):
    return ListenLog(store)
