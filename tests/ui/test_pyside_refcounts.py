"""PySide6 must not drop references to None: before Python 3.12 that aborts the whole app.

PySide6 6.12.0 released one reference to None on every call of a method that returns
nothing (setText, setValue, setItem...). On Python 3.11 None is an ordinary object, so after
a few thousand such calls its count reaches zero and Python aborts ("none_dealloc") — the
History page with a few hundred rows crashed that way, and a long session would have too.
pyproject.toml keeps such versions out; this test fails if one comes back.
"""

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem

CALLS = 2_000


def _count_lost(call) -> int:
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        call()
    return before - sys.getrefcount(None)


# From Python 3.12 None is immortal: its count never changes, so there is nothing to watch.
@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_methods_returning_nothing_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    table = QTableWidget(4, 4)
    qtbot.addWidget(table)
    item = QTableWidgetItem("listen")
    lost = {
        "QLabel.setText": _count_lost(lambda: label.setText("breathe")),
        "QTableWidgetItem.setData": _count_lost(lambda: item.setData(Qt.ItemDataRole.UserRole, 7)),
        "QTableWidget.setRowCount": _count_lost(lambda: table.setRowCount(4)),
    }
    # A leak shows as one lost reference per call; a few either way are ordinary Python churn.
    assert all(count < CALLS // 2 for count in lost.values()), lost
