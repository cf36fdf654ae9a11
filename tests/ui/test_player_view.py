"""The player screen with the fake voice: play, captions, chapters, length change, resume, cancel."""

import pytest

from app.script import parse_script
from app.tts import FakeEngine
from app.ui.player_view import map_position
from tests.ui.sessions import SHORT_SCRIPT, player_view_fixture


@pytest.fixture
def view(qtbot):
    yield from player_view_fixture(qtbot, with_log=False)


def open_and_wait(qtbot, view, length=9.0, resume_ms=0):
    with qtbot.waitSignal(view.sessionStarted, timeout=20_000):
        view.open_script("short-test", parse_script(SHORT_SCRIPT), length, resume_ms)


def test_playing_advances_follows_captions_and_completes(qtbot, view):
    open_and_wait(qtbot, view)
    assert view.pages.currentIndex() == 1
    assert view.chapters.count() == 3 and view.transcript.count() == 3
    qtbot.waitUntil(lambda: view.player.position() > 1500, timeout=5000)
    qtbot.waitUntil(lambda: view.caption_text() == "Breathe out.", timeout=8000)
    assert view.transcript.currentRow() == 1
    assert view.section_label.text() == "Two"
    with qtbot.waitSignal(view.sessionCompleted, timeout=15_000):
        pass
    assert view.pages.currentIndex() == 2


def test_chapter_jump_and_seek(qtbot, view):
    open_and_wait(qtbot, view)
    qtbot.waitUntil(lambda: view.player.duration() > 0, timeout=5000)
    view.chapters.itemClicked.emit(view.chapters.item(2))
    qtbot.waitUntil(lambda: view.current_section() == 2, timeout=5000)
    assert view.caption_text() == "Rest."
    view.player.seek(0)
    qtbot.waitUntil(lambda: view.current_section() == 0, timeout=5000)


def test_changing_the_length_keeps_the_section(qtbot, view):
    open_and_wait(qtbot, view)
    qtbot.waitUntil(lambda: view.player.duration() > 0, timeout=5000)
    view.player.seek(round(view._timeline["sections"][1]["start"] * 1000) + 200)
    qtbot.waitUntil(lambda: view.current_section() == 1, timeout=5000)
    with qtbot.waitSignal(view.sessionStarted, timeout=20_000):
        view.length_picker.setCurrentIndex(1)
        view.length_picker.activated.emit(1)
    assert view._timeline["length"] == pytest.approx(14.0, abs=0.01)
    qtbot.waitUntil(lambda: view.player.position() > 0, timeout=5000)
    assert view.current_section() == 1


def test_leaving_part_way_saves_the_place_and_resume_starts_there(qtbot, view):
    open_and_wait(qtbot, view)
    qtbot.waitUntil(lambda: view.player.duration() > 0, timeout=5000)
    view.player.seek(3000)
    qtbot.waitUntil(lambda: view.player.position() >= 3000, timeout=5000)
    view.player.pause()
    view.save_position()
    saved = view.store.position("short-test")
    assert saved is not None and saved[0] == 9000 and saved[1] >= 3000
    open_and_wait(qtbot, view, resume_ms=saved[1])
    qtbot.waitUntil(lambda: view.player.position() >= saved[1], timeout=5000)


def test_cancelling_a_render_goes_back_and_leaves_no_session(qtbot, view, kindred_home):
    view.renders.engine = FakeEngine(delay=0.2)
    long_script = SHORT_SCRIPT.replace("Rest.", " ".join(f"Sentence number {n}." for n in range(40)))
    with qtbot.waitSignal(view.backRequested, timeout=20_000):
        view.open_script("slow", parse_script(long_script), 14.0 * 60)
        qtbot.waitUntil(lambda: view.render_progress.value() > 0, timeout=10_000)
        view.cancel_button.click()
    assert list(kindred_home.glob("cache/renders/*")) == []


def test_map_position_keeps_the_sentence_or_the_share_of_the_silence():
    old = {
        "length": 20,
        "sections": [{"start": 0}],
        "cues": [{"start": 1, "end": 2}, {"start": 10, "end": 11}],
    }
    new = {
        "length": 40,
        "sections": [{"start": 0}],
        "cues": [{"start": 1, "end": 2}, {"start": 20, "end": 21}],
    }
    assert map_position(old, new, 1500) == 1500
    assert map_position(old, new, 6000) == 11000  # half way through the silence after the first cue
    assert map_position(old, new, 10500) == 20500
