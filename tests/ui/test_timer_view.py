"""The timer page: the script it starts has its bells at the right times; choices are remembered."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QSpinBox

from app.render import render_session
from app.time_text import clock
from app.tts import FakeEngine
from app.ui.pages.timer.bell_lengths import bell_durations
from app.ui.pages.timer.page import TimerView
from app.ui.widgets.ambience_choice import sound_label

MS = 0.001


@pytest.fixture(scope="module")
def bell_seconds(tmp_path_factory):
    return bell_durations(tmp_path_factory.mktemp("bells"))


@pytest.fixture
def make_view(qtbot, store, bell_seconds):
    def make(**kwargs):
        kwargs.setdefault("bell_seconds", bell_seconds)
        view = TimerView(store, **kwargs)
        qtbot.addWidget(view)
        return view

    return make


def choose(combo: QComboBox, name: str | None) -> None:
    index = combo.findData(name)
    assert index >= 0, f"{name!r} is not offered"
    combo.setCurrentIndex(index)


def start(qtbot, view):
    with qtbot.waitSignal(view.startRequested, timeout=5000) as signal:
        qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    return signal.args


def rendered_bells(script, tmp_path):
    result = render_session(script, FakeEngine(), cache_root=tmp_path)
    return result.timeline.length, [(bell.start, bell.name) for bell in result.timeline.bells]


def test_interval_bells_ring_at_their_minutes(qtbot, make_view, bell_seconds, tmp_path):
    view = make_view()
    qtbot.mouseClick(view.preset_buttons[10], Qt.MouseButton.LeftButton)
    view.interval_check.setChecked(True)
    view.interval_spin.setValue(3)
    choose(view.interval_bell, "small-gong")
    choose(view.end_bell, "soft-chime")
    choose(view.ambience, "rain")

    script, ambience = start(qtbot, view)
    assert ambience == "rain"
    assert script.meta.title == "Timer · 10 min"
    length, bells = rendered_bells(script, tmp_path)
    assert length == pytest.approx(600, abs=MS)
    expected = [(0.5, "singing-bowl"), (180, "small-gong"), (360, "small-gong"), (540, "small-gong")]
    expected.append((600 - 1.5 - bell_seconds["soft-chime"], "soft-chime"))
    assert [name for _, name in bells] == [name for _, name in expected]
    assert [at for at, _ in bells] == pytest.approx([at for at, _ in expected], abs=MS)


def test_without_interval_bells_only_the_start_and_end_ring(qtbot, make_view, bell_seconds, tmp_path):
    view = make_view()
    view.length_spin.setValue(7)
    view.interval_check.setChecked(False)
    assert not view.interval_spin.isEnabled() and not view.interval_bell.isEnabled()

    script, ambience = start(qtbot, view)
    assert ambience is None
    length, bells = rendered_bells(script, tmp_path)
    assert length == pytest.approx(420, abs=MS)
    end = 420 - 1.5 - bell_seconds["singing-bowl"]
    assert bells == [
        (pytest.approx(0.5, abs=MS), "singing-bowl"),
        (pytest.approx(end, abs=MS), "singing-bowl"),
    ]


def test_an_impossible_timer_explains_itself_and_does_not_start(qtbot, make_view):
    view = make_view()
    view.length_spin.setValue(5)
    view.interval_check.setChecked(True)
    view.interval_spin.setValue(5)  # the only interval bell would fall on the end
    with qtbot.assertNotEmitted(view.startRequested):
        qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    assert not view.error_label.isHidden()
    assert "no room for an interval bell" in view.error_label.text()

    # Fixing the choice clears the message, and the timer starts.
    view.interval_spin.setValue(2)
    assert view.error_label.isHidden()
    script, _ = start(qtbot, view)
    assert [section.title for section in script.sections] == ["Sitting", "Interval 2", "Interval 3"]


def test_the_preview_line_says_when_the_bells_ring(qtbot, make_view):
    view = make_view()
    view.show()
    qtbot.mouseClick(view.preset_buttons[20], Qt.MouseButton.LeftButton)
    view.interval_check.setChecked(True)
    view.interval_spin.setValue(5)
    choose(view.end_bell, None)
    assert view.summary.text() == "A bell to begin, at 0:00, and interval bells at 5:00, 10:00 and 15:00."


def test_the_preview_line_names_each_bell_by_its_part(qtbot, make_view, bell_seconds):
    view = make_view()
    view.show()
    qtbot.mouseClick(view.preset_buttons[20], Qt.MouseButton.LeftButton)
    choose(view.start_bell, "singing-bowl")
    choose(view.end_bell, "singing-bowl")
    # The end bell begins so that it has rung out, with the quiet after it, at the 20 minutes.
    end_at = clock(20 * 60 - 1.5 - bell_seconds["singing-bowl"])
    assert end_at != "20:00"
    assert view.summary.text() == (
        f"A bell to begin, at 0:00, and one to end, at {end_at}, so that it has rung out by 20:00."
    )
    view.interval_check.setChecked(True)
    view.interval_spin.setValue(10)
    assert view.summary.text() == (
        f"A bell to begin, at 0:00; an interval bell at 10:00; and one to end, at {end_at}, "
        "so that it has rung out by 20:00."
    )
    choose(view.start_bell, None)
    assert view.summary.text() == (
        f"An interval bell at 10:00, and a bell to end, at {end_at}, so that it has rung out by 20:00."
    )


def test_presets_and_custom_length_agree(qtbot, make_view):
    view = make_view()
    qtbot.mouseClick(view.preset_buttons[45], Qt.MouseButton.LeftButton)
    assert view.length_spin.value() == 45 and view.length_seconds() == 2700
    view.length_spin.setValue(25)  # a custom length: no preset is lit
    assert not any(button.isChecked() for button in view.preset_buttons.values())
    view.length_spin.setValue(15)
    assert view.preset_buttons[15].isChecked()


def test_choices_are_remembered_in_the_store(qtbot, make_view, store):
    view = make_view()
    view.length_spin.setValue(35)
    view.interval_check.setChecked(True)
    view.interval_spin.setValue(7)
    choose(view.start_bell, None)
    choose(view.interval_bell, "singing-bowl")
    choose(view.end_bell, "small-gong")
    choose(view.ambience, "ocean")
    assert store.get_setting("timer_length") == 35 * 60
    assert store.get_setting("timer_interval") == 7 * 60
    assert store.get_setting("timer_start_bell") is None
    assert store.get_setting("timer_end_bell") == "small-gong"
    assert store.get_setting("timer_ambience") == "ocean"

    again = make_view()
    assert again.length_spin.value() == 35 and again.interval_check.isChecked()
    assert again.interval_spin.value() == 7
    assert again.start_bell.currentData() is None
    assert again.interval_bell.currentData() == "singing-bowl"
    assert again.end_bell.currentData() == "small-gong"
    assert again.selected_ambience() == "ocean"

    # Turning intervals off keeps the chosen interval for next time.
    again.interval_check.setChecked(False)
    third = make_view()
    assert not third.interval_check.isChecked() and third.interval_spin.value() == 7


def test_a_sound_that_has_gone_falls_back_to_the_default(qtbot, make_view, store):
    store.set_setting("timer_end_bell", "no-such-bell")
    store.set_setting("timer_ambience", "no-such-sound")
    view = make_view()
    assert view.end_bell.currentData() == "singing-bowl"
    assert view.selected_ambience() is None


def test_bell_lengths_are_measured_when_first_needed(qtbot, make_view, bell_seconds):
    view = make_view(bell_seconds=None)
    view.length_spin.setValue(3)
    script, _ = start(qtbot, view)
    assert script.default_length == 180
    assert bell_durations() == bell_seconds  # decoded into this test's own cache, same lengths


def test_every_control_has_a_name_and_a_tooltip(make_view):
    view = make_view()
    controls = view.findChildren(QAbstractButton) + view.findChildren(QComboBox) + view.findChildren(QSpinBox)
    assert len(controls) >= 14
    for control in controls:
        assert control.accessibleName(), control
        assert control.toolTip(), control.accessibleName()
    assert sound_label("singing-bowl") == "Singing bowl"
