"""The player screen with the fake voice: play, captions, chapters, length change, resume."""

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from app.render.sidecar import Cue, Sidecar
from app.script import parse_script
from app.ui.pages.player.page import COMPLETE_PAGE, PLAYING_PAGE
from app.ui.theme import apply_theme
from tests.ui.sessions import SHORT_SCRIPT, player_view_fixture


@pytest.fixture
def view(qtbot):
    yield from player_view_fixture(qtbot, with_log=False)


def open_and_wait(qtbot, view, length=9.0, resume_ms=0):
    with qtbot.waitSignal(view.sessionStarted, timeout=20_000):
        view.open_script("short-test", parse_script(SHORT_SCRIPT), length, resume_ms)


def test_playing_advances_follows_captions_and_completes(qtbot, view):
    open_and_wait(qtbot, view)
    assert view.pages.currentIndex() == PLAYING_PAGE
    assert view.chapters.count() == 3 and view.transcript.count() == 3
    qtbot.waitUntil(lambda: view.player.position() > 1500, timeout=5000)
    qtbot.waitUntil(lambda: view.caption_text() == "Breathe out.", timeout=8000)
    assert view.transcript.currentRow() == 1
    assert view.section_label.text() == "Two"
    with qtbot.waitSignal(view.sessionCompleted, timeout=15_000):
        pass
    assert view.pages.currentIndex() == COMPLETE_PAGE


def test_chapter_jump_and_seek(qtbot, view):
    open_and_wait(qtbot, view)
    qtbot.waitUntil(lambda: view.player.duration() > 0, timeout=5000)
    view.chapters.itemClicked.emit(view.chapters.item(2))
    qtbot.waitUntil(lambda: view.current_section() == 2, timeout=5000)
    assert view.caption_text() == "Rest."
    view.player.seek(0)
    qtbot.waitUntil(lambda: view.current_section() == 0, timeout=5000)


def test_changing_the_length_keeps_the_sentence(qtbot, view):
    open_and_wait(qtbot, view)
    qtbot.waitUntil(lambda: view.player.duration() > 0, timeout=5000)
    view.player.seek(round(view._timeline.sections[1].start * 1000) + 200)
    qtbot.waitUntil(
        lambda: view.current_section() == 1 and view.caption_text() == "Breathe out.", timeout=5000
    )
    with qtbot.waitSignal(view.sessionStarted, timeout=20_000):
        view.length_picker.setCurrentIndex(1)
        view.length_picker.activated.emit(1)
    assert view._timeline.length == pytest.approx(14.0, abs=0.01)
    assert view.player.duration() == 14_000
    # The same sentence goes on, at its place in the longer session.
    cue = view._timeline.cues[1]
    assert cue.start * 1000 <= view.player.position() <= cue.end * 1000
    assert view.current_section() == 1 and view.caption_text() == "Breathe out."


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


@pytest.fixture
def styled():
    """The app's light stylesheet (its row padding is what Qt measured rows without), put back after."""
    app = QApplication.instance()
    palette, sheet = QPalette(app.palette()), app.styleSheet()
    apply_theme(app, "light")
    yield
    app.setPalette(palette)
    app.setStyleSheet(sheet)


def test_a_long_transcript_sentence_wraps_and_keeps_every_line_when_the_list_narrows(qtbot, view, styled):
    long = "Bring to mind a recent moment with your partner that left you tight or tired, and stay there."
    cues = [Cue(float(second), second + 0.5, "Once more.", 0, second) for second in range(30)]
    said = (*cues, Cue(30.0, 38.0, long, 0, 30))
    view.transcript.fill(
        Sidecar(title="Long", length=40.0, natural_length=40.0, sample_rate=22050, cues=said)
    )
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    transcript = view.transcript
    model = transcript.model()
    one_line = transcript.visualRect(model.index(0, 0)).height()
    row = model.index(30, 0)
    # With the scrollbar there, the row is as wide as the list shows (not cut on the right) and taller
    # than one line.
    qtbot.waitUntil(lambda: transcript.visualRect(row).width() <= transcript.viewport().width())
    wrapped = transcript.visualRect(row).height()
    assert wrapped > one_line
    view.splitter.setSizes([750, 150])
    qtbot.waitUntil(lambda: transcript.visualRect(row).height() > wrapped)
    assert transcript.visualRect(row).width() <= transcript.viewport().width()


def test_the_background_volume_slider_has_a_label(view):
    label = view.ambience_volume_label
    assert label.buddy() is view.ambience_volume
    assert label.text() == "Background volume"
    assert not label.isHidden()
    assert view.ambience_volume.accessibleName() == "Background volume"
