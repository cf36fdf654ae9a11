"""The listen recorder with the fake voice: heard time, seeks not counted, checkpoints, completion."""

import pytest

from app.script import parse_script
from app.tts import FakeEngine
from app.ui.pages.player.page import PlayerView
from app.ui.services.stream_player import StreamPlayer
from tests.ui.sessions import SHORT_SCRIPT, player_view_fixture


@pytest.fixture
def view(qtbot):
    yield from player_view_fixture(qtbot, with_log=True)


def open_and_wait(qtbot, view, length=9.0):
    with qtbot.waitSignal(view.sessionStarted, timeout=20_000):
        view.open_script("short-test", parse_script(SHORT_SCRIPT), length)


def test_a_session_heard_to_the_end_is_logged_with_checkpoints_and_completed(qtbot, view):
    recorder = view.recorder
    recorder._checkpoints.setInterval(300)  # the real 5 s would make the test slow
    open_and_wait(qtbot, view)
    listen_id = recorder.listen_id
    log = recorder.log
    assert log.get(listen_id).in_progress and log.get(listen_id).theme == "test"
    # A checkpoint is written while playing, before the end.
    qtbot.waitUntil(lambda: log.get(listen_id).heard_s > 1.0, timeout=8000)
    assert log.get(listen_id).in_progress
    with qtbot.waitSignal(recorder.listenFinished, timeout=20_000) as finished:
        pass
    assert finished.args == [listen_id, True]
    listen = log.get(listen_id)
    assert not listen.in_progress and listen.completed
    assert 8.1 <= listen.heard_s <= 9.6
    assert recorder.listen_id is None


def test_a_seek_jump_is_not_counted_as_heard(qtbot, view):
    recorder = view.recorder
    open_and_wait(qtbot, view)
    listen_id = recorder.listen_id
    qtbot.waitUntil(lambda: view.player.position() > 1000, timeout=8000)
    view.player.seek(7000)
    with qtbot.waitSignal(recorder.listenFinished, timeout=20_000) as finished:
        pass
    listen = recorder.log.get(listen_id)
    # About 1 s before the jump and 2 s after it; the 6 s skipped are not listening.
    assert 2.0 <= listen.heard_s <= 5.0
    assert finished.args == [listen_id, False] and not listen.completed


def test_leaving_for_another_session_ends_the_listen_unfinished(qtbot, view):
    recorder = view.recorder
    open_and_wait(qtbot, view)
    first = recorder.listen_id
    qtbot.waitUntil(lambda: recorder.heard_s > 0.5, timeout=8000)
    with qtbot.waitSignal(recorder.listenFinished, timeout=5000) as finished:
        open_and_wait(qtbot, view)
    assert finished.args == [first, False]
    assert recorder.listen_id not in (None, first)
    assert 0.5 <= recorder.log.get(first).heard_s < 4


def test_no_log_means_no_recorder(qtbot, store):
    player = StreamPlayer()
    widget = PlayerView(player, FakeEngine(), store)
    qtbot.addWidget(widget)
    assert widget.recorder is None
    widget.end_listen()  # harmless without a log
