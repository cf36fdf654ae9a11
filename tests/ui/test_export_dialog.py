"""The export dialog with the fake voice: export, progress, cancel, errors, replacing, and where it opens."""

from __future__ import annotations

import json
import subprocess
import wave
from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices

from app import paths
from app.library import load_catalogue
from app.render.sounds import ambience_names
from app.script import parse_script
from app.tts import FakeEngine
from app.ui.dialogs.export import ExportDialog
from app.ui.main_window import MainWindow
from app.ui.pages.library.page import LibraryView
from tests.ui.sessions import SHORT_SCRIPT, player_view_fixture

#: The short script with many sentences, so an export takes long enough to be cancelled part-way.
LONG_SCRIPT = SHORT_SCRIPT.replace("Rest.", " ".join(f"Sentence number {n}." for n in range(40)))


@pytest.fixture
def out(tmp_path) -> Path:
    return tmp_path / "exports"


@pytest.fixture
def make_dialog(qtbot, out):
    made: list[ExportDialog] = []

    def make(script: str = SHORT_SCRIPT, engine=None, length: float | None = 9.0, **options) -> ExportDialog:
        dialog = ExportDialog(
            parse_script(script),
            engine or FakeEngine(),
            length=length,
            voice=None,
            rate=150,
            ambience=options.pop("ambience", None),
            folder=out,
            **options,
        )
        qtbot.addWidget(dialog)
        dialog.show()
        made.append(dialog)
        return dialog

    yield make
    for dialog in made:
        dialog.cancel_export()
        dialog.wait()


def ffprobe_duration(path: Path) -> float:
    report = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(json.loads(report.stdout)["format"]["duration"])


@pytest.mark.parametrize(("fmt", "ambience"), [("wav", None), ("mp3", "rain")])
def test_exporting_writes_audio_and_captions_and_says_where(
    qtbot, make_dialog, out, fmt, ambience, monkeypatch
):
    dialog = make_dialog(ambience=ambience)
    assert dialog.ambience() == (ambience or "none")
    dialog.format_buttons[fmt].click()
    target = out / f"Short Test - 9s.{fmt}"
    assert dialog.target() == target
    seen: list[float] = []
    dialog.progress.valueChanged.connect(seen.append)

    with qtbot.waitSignal(dialog.exportFinished, timeout=60_000) as finished:
        assert dialog.start_export()
        assert dialog.is_exporting() and not dialog.form.isEnabled() and dialog.status.isVisibleTo(dialog)
    result = finished.args[0]

    assert result.audio == target
    assert sorted(path.name for path in out.iterdir()) == sorted(
        [target.name, "Short Test - 9s.srt", "Short Test - 9s.vtt"]
    )  # no temporary file left beside them
    assert ffprobe_duration(target) == pytest.approx(9.0, abs=0.1)
    vtt = target.with_suffix(".vtt").read_text("utf-8")
    srt = target.with_suffix(".srt").read_text("utf-8")
    assert vtt.startswith("WEBVTT")
    for sentence in ("Breathe in.", "Breathe out.", "Rest."):
        assert sentence in vtt and sentence in srt
    # The export reported its own completion, and the bar showed it.
    assert dialog.max_progress == pytest.approx(1.0)
    assert max(seen) == 1000 and dialog.progress.value() == 1000
    # The success page names the folder and the files, and opens the folder.
    assert dialog.done_page.isVisible() and not dialog.form_page.isVisible()
    assert dialog.done_folder.text() == str(out)
    assert dialog.done_files.text().split("\n") == [target.name, "Short Test - 9s.vtt", "Short Test - 9s.srt"]
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    dialog.open_folder_button.click()
    assert opened == [str(out)]


def test_cancelling_leaves_no_file_and_says_so(qtbot, make_dialog, out):
    dialog = make_dialog(LONG_SCRIPT, FakeEngine(delay=0.2), length=14 * 60.0)
    dialog.set_format("wav")
    with qtbot.waitSignal(dialog.exportCancelled, timeout=60_000):
        dialog.export_button.click()
        qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=20_000)
        dialog.cancel_button.click()
    assert not dialog.is_exporting() and dialog.export_result is None
    assert "cancelled" in dialog.message_shown().lower()
    assert not out.exists() or list(out.iterdir()) == []
    # The dialog is usable again: the form and Export are back.
    assert dialog.form_page.isVisible() and not dialog.done_page.isVisible()
    assert dialog.form.isEnabled() and dialog.export_button.isEnabled()
    assert not dialog.status.isVisibleTo(dialog)


def test_closing_while_exporting_cancels_first_and_then_closes(qtbot, make_dialog, out):
    dialog = make_dialog(LONG_SCRIPT, FakeEngine(delay=0.2), length=14 * 60.0)
    dialog.set_format("wav")
    with qtbot.waitSignal(dialog.exportCancelled, timeout=60_000):
        dialog.start_export()
        qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=20_000)
        dialog.close_button.click()
        assert dialog.isVisible()  # still there until the export has stopped
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert not out.exists() or list(out.iterdir()) == []


def test_an_unwritable_folder_shows_the_error_and_writes_nothing(qtbot, make_dialog, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a plain file")
    dialog = make_dialog()
    dialog.set_format("wav")
    dialog.set_target(blocker / "session.wav")
    with qtbot.waitSignal(dialog.exportFailed, timeout=60_000) as failed:
        dialog.export_button.click()
    title, explanation = failed.args
    assert title and explanation
    shown = dialog.message_shown()
    assert title in shown and explanation in shown
    assert "Traceback" not in shown and "Error:" not in shown
    assert blocker.read_text() == "a plain file"
    assert [path.name for path in tmp_path.iterdir() if path.name != "kindred-home"] == ["not-a-folder"]
    # Still usable: another target can be chosen and exported.
    assert dialog.form.isEnabled() and dialog.export_button.isEnabled() and dialog.form_page.isVisible()


def test_an_existing_file_is_replaced_only_when_the_answer_is_yes(qtbot, make_dialog, out):
    out.mkdir()
    dialog = make_dialog()
    dialog.set_format("wav")
    target = dialog.target()
    assert target is not None
    target.write_bytes(b"an older export")
    asked = []
    dialog.ask_replace = lambda path, existing: asked.append((path, existing)) or False
    assert not dialog.start_export()
    assert asked == [(target, [target])]
    assert not dialog.is_exporting()
    assert target.read_bytes() == b"an older export"
    assert list(out.iterdir()) == [target]
    assert "Nothing was replaced" in dialog.message_shown()

    dialog.ask_replace = lambda path, existing: True
    with qtbot.waitSignal(dialog.exportFinished, timeout=60_000):
        dialog.export_button.click()
    assert target.read_bytes()[:4] == b"RIFF"
    with wave.open(str(target)) as audio:
        assert audio.getnframes() / audio.getframerate() == pytest.approx(9.0, abs=0.1)


def test_the_file_name_follows_the_format_and_the_length_until_it_is_typed(make_dialog, out):
    dialog = make_dialog(fmt="mp3")
    assert dialog.target() == out / "Short Test - 9s.mp3"
    dialog.set_format("flac")
    assert dialog.target() == out / "Short Test - 9s.flac"
    dialog.length_picker.setCurrentIndex(dialog.length_picker.findData(14.0))
    assert dialog.length() == 14.0 and dialog.target() == out / "Short Test - 14s.flac"
    dialog.set_target(out / "walk")
    dialog.set_format("opus")
    assert dialog.target() == out / "walk.opus"
    dialog.length_picker.setCurrentIndex(dialog.length_picker.findData(9.0))
    assert dialog.target() == out / "walk.opus"  # the name the person typed stays theirs
    dialog.choose_target = lambda suggested: out / "chosen.mp3"
    dialog.choose_button.click()
    assert dialog.target() == out / "chosen.opus"
    # The naming rules themselves are tested in tests/render/test_export_naming.py.


def test_the_background_sound_is_offered_as_chosen(make_dialog):
    names = ambience_names()
    assert names, "the bundled ambience loops are missing"
    with_sound = make_dialog(ambience=names[0], ambience_volume=0.3)
    assert with_sound.ambience_check.isChecked() and with_sound.ambience() == names[0]
    assert "30%" in with_sound.ambience_note.text()
    with_sound.ambience_check.setChecked(False)
    assert with_sound.ambience() == "none" and not with_sound.ambience_picker.isEnabled()
    without = make_dialog(ambience=None)
    assert not without.ambience_check.isChecked() and without.ambience() == "none"


# -- where the dialog opens ------------------------------------------------------------


@pytest.fixture
def view(qtbot):
    yield from player_view_fixture(qtbot, with_log=False)


def test_the_players_export_button_opens_the_dialog_for_the_session(qtbot, view):
    assert not view.export_button.isEnabled()  # nothing is open yet
    view.store.set_setting("voice", "fake/bright")
    view.store.set_setting("rate", 170)
    script = parse_script(SHORT_SCRIPT)
    with qtbot.waitSignal(view.sessionStarted, timeout=20_000):
        view.open_script("short-test", script, 14.0)
    name = ambience_names()[-1]
    view.ambience.setCurrentIndex(view.ambience.findData(name))
    view.ambience_volume.setValue(35)
    assert view.export_button.isEnabled()

    view.export_button.click()
    dialog = view.export_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.script is script and dialog.length() == 14.0
    assert dialog.length_picker.currentText() == "14s"
    assert dialog.ambience() == name and dialog.ambience_volume == pytest.approx(0.35)
    assert (dialog.voice, dialog.rate) == ("fake/bright", 170)
    assert dialog.target() == paths.music_dir() / "Short Test - 14s.mp3"
    dialog.reject()
    assert not dialog.isVisible()


@pytest.fixture
def window(qtbot, store):
    widget = MainWindow(store, load_catalogue(), FakeEngine())
    qtbot.addWidget(widget)
    yield widget
    widget.player.close()
    widget.preview_player.close()


def test_the_librarys_export_button_opens_the_dialog_at_the_chosen_length(qtbot, window):
    library: LibraryView = window.library
    entry = next(e for e in load_catalogue() if e.script is not None and len(e.script.meta.durations) > 1)
    assert library.select_entry(entry)
    library.length_picker.setCurrentIndex(1)
    with qtbot.waitSignal(library.exportRequested) as requested:
        library.export_button.click()
    assert requested.args[0].slug == entry.slug
    assert requested.args[1] == float(entry.script.meta.durations[1])
    dialog = window.export_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.script.meta.title == entry.title
    assert dialog.length() == float(entry.script.meta.durations[1])
    dialog.reject()
