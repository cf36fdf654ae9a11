"""The settings dialog: every change is stored at once, announced, and there next time."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QComboBox, QSlider

from app import paths
from app.tts import DEFAULT_RATE_WPM, FakeEngine, Voice
from app.ui.dialogs.settings import SettingsDialog

VOICES = [
    *FakeEngine().voices(),
    Voice("gmw/en-gb", "English (Great Britain)", "en-gb"),
    Voice("roa/fr", "French (France)", "fr-fr"),
]


@pytest.fixture
def make_dialog(qtbot, store):
    def make(voices=VOICES, default="fake/calm"):
        dialog = SettingsDialog(store, voices, default)
        qtbot.addWidget(dialog)
        return dialog

    return make


def choose(combo: QComboBox, value) -> None:
    index = combo.findData(value)
    assert index >= 0, f"{value!r} is not offered"
    combo.setCurrentIndex(index)


def change_everything(dialog, voice, rate, length, ambience, theme, show_streaks) -> None:
    """Every control changed, in the order the dialog shows them."""
    choose(dialog.voice_combo, voice)
    dialog.rate_slider.setValue(rate)
    choose(dialog.length_combo, length)
    choose(dialog.ambience_combo, ambience)
    choose(dialog.theme_combo, theme)
    dialog.streaks_check.setChecked(show_streaks)


def test_each_setting_is_stored_and_announced_at_once(qtbot, make_dialog, store):
    dialog = make_dialog()
    changes = []
    dialog.settingChanged.connect(lambda key, value: changes.append((key, value)))

    change_everything(dialog, "roa/fr", 170, 15 * 60, "rain", "dark", show_streaks=False)

    expected = [
        ("voice", "roa/fr"),
        ("rate", 170),
        ("default_length", 900),
        ("default_ambience", "rain"),
        ("theme", "dark"),
        ("show_streaks", False),
    ]
    assert changes == expected
    for key, value in expected:
        assert store.get_setting(key) == value
    assert dialog.rate_value.text() == "170 words a minute"

    # Back to the defaults that are stored as values of their own.
    choose(dialog.length_combo, None)
    choose(dialog.ambience_combo, "none")
    assert store.get_setting("default_length", "unset") is None
    assert store.get_setting("default_ambience") == "none"
    assert changes[-2:] == [("default_length", None), ("default_ambience", "none")]


def test_opening_the_dialog_changes_nothing(qtbot, make_dialog, store):
    dialog = make_dialog()
    with qtbot.assertNotEmitted(dialog.settingChanged):
        dialog.show()
        qtbot.waitExposed(dialog)
    assert store.get_setting("voice") is None and store.get_setting("theme") is None
    # What is shown are the defaults.
    assert dialog.selected_voice() == "fake/calm"
    assert dialog.rate_slider.value() == DEFAULT_RATE_WPM == 120
    assert dialog.length_combo.currentData() is None
    assert dialog.ambience_combo.currentData() == "script"
    assert dialog.theme_combo.currentData() == "system"
    assert dialog.streaks_check.isChecked()


def test_hear_it_asks_for_the_selected_voice_at_the_chosen_rate(qtbot, make_dialog):
    dialog = make_dialog()
    choose(dialog.voice_combo, "gmw/en-gb")
    dialog.rate_slider.setValue(95)
    with qtbot.waitSignal(dialog.previewRequested, timeout=1000) as signal:
        qtbot.mouseClick(dialog.hear_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["gmw/en-gb", 95]


def test_choices_are_there_in_a_new_dialog(qtbot, make_dialog):
    first = make_dialog()
    change_everything(first, "fake/bright", 200, 30 * 60, "forest-night", "light", show_streaks=False)
    qtbot.mouseClick(first.buttons.button(first.buttons.StandardButton.Close), Qt.MouseButton.LeftButton)
    assert not first.isVisible()

    second = make_dialog()
    assert second.selected_voice() == "fake/bright"
    assert second.rate_slider.value() == 200
    assert second.length_combo.currentData() == 1800
    assert second.ambience_combo.currentData() == "forest-night"
    assert second.theme_combo.currentData() == "light"
    assert not second.streaks_check.isChecked()


def test_voices_show_name_and_language_and_can_be_searched(qtbot, make_dialog):
    dialog = make_dialog()
    labels = [dialog.voice_combo.itemText(i) for i in range(dialog.voice_combo.count())]
    assert "French (France) · fr-fr" in labels
    completer = dialog.voice_combo.completer()
    completer.setCompletionPrefix("france")  # matches inside the text, whatever the case
    assert completer.completionCount() == 1
    assert completer.currentCompletion() == "French (France) · fr-fr"


def test_unusual_stored_values_are_shown_faithfully_or_safely(qtbot, make_dialog, store):
    store.set_setting("default_length", 25 * 60)
    store.set_setting("default_ambience", "a-sound-since-removed")
    store.set_setting("rate", 400)
    store.set_setting("voice", "gone/voice")
    dialog = make_dialog()
    assert dialog.length_combo.currentText() == "25 min"
    assert dialog.ambience_combo.currentData() == "script"
    assert dialog.rate_slider.value() == 220
    assert dialog.selected_voice() == "fake/calm"


def test_without_voices_the_voice_controls_rest(qtbot, make_dialog):
    dialog = make_dialog(voices=[], default="")
    assert not dialog.voice_combo.isEnabled() and not dialog.hear_button.isEnabled()
    with qtbot.assertNotEmitted(dialog.previewRequested):
        dialog.request_preview()


def test_open_folder_shows_the_data_folder(qtbot, make_dialog, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    dialog = make_dialog()
    assert dialog.data_path.text() == str(paths.data_dir())
    qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened == [str(paths.data_dir())]
    assert paths.data_dir().is_dir()
    assert dialog.folder_note.isHidden()

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    assert not dialog.folder_note.isHidden() and "copy it" in dialog.folder_note.text()


def test_every_control_has_a_name_and_a_tooltip(make_dialog):
    dialog = make_dialog()
    controls = (
        dialog.findChildren(QAbstractButton)
        + dialog.findChildren(QComboBox)
        + dialog.findChildren(QSlider)
        + [dialog.data_path]
    )
    assert len(controls) >= 9
    for control in controls:
        assert control.accessibleName(), control
        assert control.toolTip(), control.accessibleName()


# -- voices of one's own -----------------------------------------------------------------

NEURAL = [
    Voice("piper/en_US-joe-medium", "Joe (United States, medium)", "en-US", "medium", "Piper (neural)"),
    Voice("piper/en_GB-mine-low", "Mine (United Kingdom, low)", "en-GB", "low", "Piper (neural)"),
    Voice("gmw/en-us", "English (America)", "en-us", "", "eSpeak NG"),
]


def test_natural_voices_come_first_labelled_with_language_and_engine(qtbot, store):
    dialog = SettingsDialog(store, NEURAL, "piper/en_US-joe-medium", own_voices={"piper/en_GB-mine-low"})
    qtbot.addWidget(dialog)
    labels = [dialog.voice_combo.itemText(i) for i in range(dialog.voice_combo.count())]
    assert labels == [
        "Joe (United States, medium) · en-US · Piper (neural)",
        "Mine (United Kingdom, low) · en-GB · Piper (neural)",
        "English (America) · en-us · eSpeak NG",
    ]


def test_only_a_voice_of_ones_own_can_be_removed_and_removal_can_be_undone(qtbot, store):
    dialog = SettingsDialog(store, NEURAL, "piper/en_US-joe-medium", own_voices={"piper/en_GB-mine-low"})
    qtbot.addWidget(dialog)
    assert not dialog.remove_voice_button.isEnabled()  # the bundled voice stays
    choose(dialog.voice_combo, "piper/en_GB-mine-low")
    assert dialog.remove_voice_button.isEnabled()
    with qtbot.waitSignal(dialog.removeVoiceRequested) as removed:
        dialog.remove_voice_button.click()
    assert removed.args == ["piper/en_GB-mine-low"]
    # The window removes it and hands back the new list, with an Undo.
    dialog.set_voices([NEURAL[0], NEURAL[2]], set())
    dialog.show_voice_note("Removed Mine (United Kingdom, low).", undo=True)
    assert dialog.selected_voice() == "piper/en_US-joe-medium"
    assert dialog.voice_combo.count() == 2 and not dialog.undo_voice_button.isHidden()
    with qtbot.waitSignal(dialog.undoRemoveRequested):
        dialog.undo_voice_button.click()


def test_add_a_voice_hands_the_chosen_file_to_the_window(qtbot, store, monkeypatch, tmp_path):
    dialog = SettingsDialog(store, NEURAL, "piper/en_US-joe-medium")
    qtbot.addWidget(dialog)
    chosen = str(tmp_path / "en_US-new-medium.onnx")
    monkeypatch.setattr(
        "app.ui.dialogs.settings_voice.QFileDialog.getOpenFileName", lambda *args, **kwargs: (chosen, "")
    )
    with qtbot.waitSignal(dialog.addVoiceRequested) as requested:
        dialog.add_voice_button.click()
    assert requested.args == [chosen]
    dialog.set_voice_busy(True)
    assert not dialog.add_voice_button.isEnabled()
    dialog.show_voice_note("Could not add the voice: it is not an ONNX model.", error=True)
    assert dialog.voice_note.objectName() == "errorLabel" and not dialog.voice_note.isHidden()


def test_a_smaller_cache_limit_is_stored_and_holds_at_once(qtbot, make_dialog, store):
    import os
    import time

    from app import paths
    from app.render.cache_limit import LIMIT_SETTING, cache_size

    old = paths.cache_dir() / "speech" / "ab" / "old.wav"
    old.parent.mkdir(parents=True, exist_ok=True)
    with open(old, "wb") as handle:
        handle.truncate(700 * 1024**2)  # sparse: 700 MB of sound from long ago, over half a gigabyte
    os.utime(old, (time.time() - 86400,) * 2)
    dialog = make_dialog()
    assert dialog.cache_combo.currentData() == 2.0  # the default
    assert dialog.cache_note.text() == "700 MB used now"
    choose(dialog.cache_combo, 0.5)
    assert store.get_setting(LIMIT_SETTING) == 0.5
    assert not old.exists() and cache_size(paths.cache_dir()) == 0
    assert dialog.cache_note.text() == "0 MB used now"


def test_a_cache_limit_set_elsewhere_is_shown_as_it_is(qtbot, make_dialog, store):
    from app.render.cache_limit import LIMIT_SETTING

    store.set_setting(LIMIT_SETTING, 3.0)
    dialog = make_dialog()
    assert dialog.cache_combo.currentData() == 3.0 and dialog.cache_combo.currentText() == "3 GB"
