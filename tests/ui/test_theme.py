"""Both looks come from one stylesheet: every placeholder filled, every image it names present;
"Follow system" follows a live switch of the desktop between light and dark."""

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from app.library import load_catalogue
from app.tts import FakeEngine
from app.ui.main_window import HISTORY_PAGE, MainWindow
from app.ui.theme import DARK, LIGHT, apply_theme, stylesheet


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_placeholder_is_filled_and_every_image_exists(scheme):
    text = stylesheet(scheme)
    assert re.findall(r"@[A-Z_]+@", text) == []
    images = re.findall(r"url\(([^)]+)\)", text)
    assert any(Path(image).name == f"check-{scheme}.svg" for image in images)
    assert all(Path(image).is_file() for image in images), images


@pytest.fixture
def app_look():
    """The application is shared by every test: its palette and stylesheet are put back after."""
    app = QApplication.instance()
    # Windows of earlier tests, closed (their databases too) and only marked for deletion, would
    # still hear the desktop's switch below.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    palette, sheet = QPalette(app.palette()), app.styleSheet()
    yield app
    app.setPalette(palette)
    app.setStyleSheet(sheet)


def history_window(qtbot, store):
    window = MainWindow(store, load_catalogue(), FakeEngine())
    qtbot.addWidget(window)
    window.show_page(HISTORY_PAGE)
    return window


def chart_colours(window):
    """The colours the history chart paints its title, axis labels and bars with."""
    chart = window.history_view.chart
    return (
        chart.titleBrush().color().name(),
        {axis.labelsColor().name() for axis in chart.axes()},
        chart.series()[0].barSets()[0].color().name(),
    )


def test_following_the_system_a_live_switch_restyles_the_window_and_the_chart(qtbot, store, app_look):
    store.set_setting("theme", "system")
    apply_theme(app_look, "system", Qt.ColorScheme.Light)
    window = history_window(qtbot, store)
    assert chart_colours(window) == (LIGHT["TEXT"], {LIGHT["TEXT"]}, LIGHT["ACCENT"])

    # Offscreen, QStyleHints.setColorScheme neither changes colorScheme() nor emits (checked with
    # PySide6 6.11): the desktop's announcement is emitted here as the platform would.
    app_look.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert app_look.palette().window().color().name() == DARK["BASE"]
    assert app_look.styleSheet() == stylesheet("dark")
    assert chart_colours(window) == (DARK["TEXT"], {DARK["TEXT"]}, DARK["ACCENT"])

    app_look.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert app_look.styleSheet() == stylesheet("light")
    assert chart_colours(window) == (LIGHT["TEXT"], {LIGHT["TEXT"]}, LIGHT["ACCENT"])


def test_a_chosen_look_ignores_the_system_switch(qtbot, store, app_look):
    store.set_setting("theme", "light")
    apply_theme(app_look, "light")
    window = history_window(qtbot, store)
    app_look.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert app_look.palette().window().color().name() == LIGHT["BASE"]
    assert app_look.styleSheet() == stylesheet("light")
    assert chart_colours(window) == (LIGHT["TEXT"], {LIGHT["TEXT"]}, LIGHT["ACCENT"])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_disabled_controls_are_drawn_muted(qtbot, app_look, scheme):
    from PySide6.QtWidgets import QComboBox, QSpinBox

    apply_theme(app_look, scheme)
    muted = (DARK if scheme == "dark" else LIGHT)["MUTED"]
    for control in (QSpinBox(), QComboBox()):
        qtbot.addWidget(control)
        control.setEnabled(False)
        control.ensurePolished()
        assert control.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text).name() == muted
