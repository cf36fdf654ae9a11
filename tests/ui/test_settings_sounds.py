"""Settings → Background sound: Add a sound… (imported off the UI thread), Remove, Undo; and the
player and timer offering what is there afterwards."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from app import paths
from app.library import load_catalogue
from app.render.ffmpeg import ffmpeg_or_raise
from app.render.pcm import read_wav
from app.render.sound_import import import_sound
from app.render.sounds import user_ambience_names
from app.tts import FakeEngine
from app.ui.dialogs.settings import SettingsDialog
from app.ui.main_window import MainWindow
from app.ui.pages.timer.page import TimerView
from tests.ui.sessions import player_view_fixture


def hum_file(folder: Path, name: str = "Kitchen Hum.flac", seconds: float = 8.0) -> Path:
    """A noisy hum with silence around it, encoded by ffmpeg."""
    rate = 22050
    t = np.arange(round(seconds * rate)) / rate
    sound = 0.2 * np.sin(2 * np.pi * 120 * t) + 0.05 * np.random.default_rng(5).standard_normal(len(t))
    samples = np.concatenate([np.zeros(rate // 2), sound, np.zeros(rate)]).astype("<f4")
    target = folder / name
    command = [ffmpeg_or_raise(), "-v", "error", "-y", "-f", "f32le", "-ar", str(rate), "-ac", "1"]
    subprocess.run([*command, "-i", "-", str(target)], input=samples.tobytes(), check=True)
    return target


def offered(combo) -> list:
    return [combo.itemData(i) for i in range(combo.count())]


def choose_file(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(
        "app.ui.dialogs.settings_sessions.QFileDialog.getOpenFileName",
        lambda *args, **kwargs: (str(path), ""),
    )


@pytest.fixture
def dialog(qtbot, store):
    widget = SettingsDialog(store, FakeEngine().voices(), "fake/calm")
    qtbot.addWidget(widget)
    return widget


def test_add_a_sound_imports_it_off_the_ui_thread_and_makes_it_the_default(
    qtbot, dialog, store, monkeypatch, tmp_path
):
    choose_file(monkeypatch, hum_file(tmp_path))
    threads = []

    def recording_import(path):
        threads.append(threading.current_thread())
        return import_sound(path)

    monkeypatch.setattr("app.ui.dialogs.settings_sessions.import_sound", recording_import)
    announced = []
    dialog.settingChanged.connect(lambda key, value: announced.append((key, value)))
    assert not dialog.remove_sound_button.isEnabled()  # "The script's own" is not a sound to remove

    with qtbot.waitSignal(dialog.soundsChanged, timeout=20_000):
        dialog.add_sound_button.click()
        assert not dialog.add_sound_button.isEnabled()  # busy until the loop is made
        assert dialog.add_sound_button.text() == "Adding the sound…"

    assert threads and threads[0] is not threading.main_thread()
    assert "kitchen-hum" in offered(dialog.ambience_combo)
    assert dialog.ambience_combo.currentData() == "kitchen-hum"
    assert dialog.ambience_combo.currentText() == "Kitchen hum"
    assert store.get_setting("default_ambience") == "kitchen-hum"
    assert announced == [("default_ambience", "kitchen-hum")]
    assert dialog.add_sound_button.isEnabled() and dialog.add_sound_button.text() == "Add a sound…"
    assert dialog.remove_sound_button.isEnabled()
    assert dialog.sound_note.text().startswith("Added “Kitchen hum”, a 6-second loop")
    assert dialog.sound_note.text().endswith("Scripts name it ambience: kitchen-hum")
    assert (paths.user_ambience_dir() / "kitchen-hum.wav").is_file()


def test_a_refused_file_shows_the_reason_and_adds_nothing(qtbot, dialog, store, monkeypatch, tmp_path):
    text = tmp_path / "shopping list.txt"
    text.write_text("oat milk\nrice\n", "utf-8")
    choose_file(monkeypatch, text)
    before = offered(dialog.ambience_combo)
    with qtbot.assertNotEmitted(dialog.soundsChanged):
        dialog.add_sound_button.click()
        qtbot.waitUntil(lambda: dialog.add_sound_button.isEnabled(), timeout=20_000)
    assert dialog.sound_note.objectName() == "errorLabel" and not dialog.sound_note.isHidden()
    assert dialog.sound_note.text().startswith(
        "Could not add the sound: shopping list.txt is not an audio file Kindred can read"
    )
    assert offered(dialog.ambience_combo) == before
    assert store.get_setting("default_ambience") is None
    assert not paths.user_ambience_dir().exists() or list(paths.user_ambience_dir().iterdir()) == []


def test_cancelling_the_file_dialog_does_nothing(qtbot, dialog, monkeypatch):
    monkeypatch.setattr(
        "app.ui.dialogs.settings_sessions.QFileDialog.getOpenFileName", lambda *a, **k: ("", "")
    )
    with qtbot.assertNotEmitted(dialog.soundsChanged, wait=200):
        dialog.add_sound_button.click()
    assert dialog.add_sound_button.isEnabled() and dialog.sound_note.isHidden()


def test_remove_a_sound_and_undo_it(qtbot, store, tmp_path):
    name = import_sound(hum_file(tmp_path, "Fan.flac")).name
    store.set_setting("default_ambience", name)
    dialog = SettingsDialog(store, FakeEngine().voices(), "fake/calm")
    qtbot.addWidget(dialog)
    assert dialog.ambience_combo.currentData() == name and dialog.remove_sound_button.isEnabled()
    saved = (paths.user_ambience_dir() / f"{name}.wav").read_bytes()

    with qtbot.waitSignal(dialog.soundsChanged):
        dialog.remove_sound_button.click()
    assert name not in offered(dialog.ambience_combo) and user_ambience_names() == []
    assert dialog.ambience_combo.currentData() == "script"
    assert store.get_setting("default_ambience") == "script"
    assert dialog.sound_note.text() == "Removed “Fan”." and not dialog.undo_sound_button.isHidden()
    assert not dialog.remove_sound_button.isEnabled()

    with qtbot.waitSignal(dialog.soundsChanged):
        dialog.undo_sound_button.click()
    assert dialog.ambience_combo.currentData() == name
    assert store.get_setting("default_ambience") == name
    assert (paths.user_ambience_dir() / f"{name}.wav").read_bytes() == saved
    assert dialog.sound_note.text() == "“Fan” is back." and dialog.undo_sound_button.isHidden()

    # The bundled sounds stay: nothing to remove there.
    dialog.ambience_combo.setCurrentIndex(dialog.ambience_combo.findData("rain"))
    assert not dialog.remove_sound_button.isEnabled()


def test_the_player_and_timer_offer_what_is_there(qtbot, store, tmp_path):
    timer = TimerView(store, bell_seconds={"singing-bowl": 10.0, "soft-chime": 5.0, "small-gong": 9.0})
    qtbot.addWidget(timer)
    views = player_view_fixture(qtbot, with_log=False)
    player = next(views)
    try:
        added = import_sound(hum_file(tmp_path, "Fan.flac"))
        assert added.name not in offered(timer.ambience)
        timer.refresh_ambience_choices()
        player.refresh_ambience_choices()
        assert added.name in offered(timer.ambience) and added.name in offered(player.ambience)

        # The player plays the stored loop itself under the voice.
        player.ambience.setCurrentIndex(player.ambience.findData(added.name))
        timer.ambience.setCurrentIndex(timer.ambience.findData(added.name))
        assert store.get_setting("timer_ambience") == added.name
        loop, _ = read_wav(added.path)
        assert np.max(np.abs(player._background().loop - loop)) < 1e-6

        # Removed: the timer goes back to none (and remembers that); the player, where it is
        # playing, keeps showing it until something else is chosen.
        from app.render.sound_import import remove_sound

        remove_sound(added.name)
        timer.refresh_ambience_choices()
        player.refresh_ambience_choices()
        assert added.name not in offered(timer.ambience) and timer.selected_ambience() is None
        assert store.get_setting("timer_ambience") is None
        assert player.ambience.currentData() == added.name
        player.ambience.setCurrentIndex(0)
        player.refresh_ambience_choices()
        assert added.name not in offered(player.ambience)
    finally:
        next(views, None)


def test_a_sound_added_in_settings_reaches_the_open_window(qtbot, store, monkeypatch, tmp_path):
    window = MainWindow(store, load_catalogue(), FakeEngine())
    qtbot.addWidget(window)
    choose_file(monkeypatch, hum_file(tmp_path, "Fan.flac"))

    def in_the_dialog():
        dialog = window.settings_dialog
        dialog.soundsChanged.connect(dialog.accept)  # closes once the sound is in
        dialog.add_sound_button.click()

    QTimer.singleShot(0, in_the_dialog)
    # Should the sound never come, the dialog closes anyway and the asserts below say so. The
    # timer belongs to the window, so it dies with it rather than firing in a later test.
    guard = QTimer(window)
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: window.settings_dialog and window.settings_dialog.reject())
    guard.start(20_000)
    try:
        window.open_settings()  # modal: returns when the dialog closes
        assert "fan" in offered(window.player_view.ambience)
        assert "fan" in offered(window.timer_view.ambience)
    finally:
        window.player.close()
        window.preview_player.close()
