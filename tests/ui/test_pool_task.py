"""Work on a pool thread reports to the window even when it finishes before anyone listened."""

from PySide6.QtCore import QThreadPool

from app.errors import KindredError
from app.ui.services.pool_task import CallTask


class Refused(KindredError):
    title = "Refused"


def test_work_finished_before_anyone_listened_still_reports(qtbot):
    pool = QThreadPool()
    task = CallTask(lambda: 42)
    task.start_on(pool)
    # The work is over on its thread before anything connects to `finished` (as a quick call
    # can be, between start_on() returning and the caller's connect).
    assert pool.waitForDone(10_000)
    with qtbot.waitSignal(task.finished, timeout=10_000) as finished:
        pass
    assert finished.args == [42]
    assert task.done


def test_a_refusal_and_a_bug_arrive_as_messages(qtbot):
    pool = QThreadPool()

    def refuse():
        raise Refused("Choose another file.")

    refused, broken = CallTask(refuse), CallTask(lambda: 1 / 0, failure_title="Could not add it")
    messages = {}
    for name, task in (("refused", refused), ("broken", broken)):
        task.failed.connect(lambda title, text, name=name: messages.setdefault(name, (title, text)))
        task.start_on(pool)
    assert pool.waitForDone(10_000)
    qtbot.waitUntil(lambda: len(messages) == 2, timeout=10_000)
    assert messages["refused"] == ("Refused", "Choose another file.")
    title, text = messages["broken"]
    assert title == "Could not add it" and "ZeroDivisionError" in text
