"""The Library screen: search, filters, favourites, Continue, details, errors, and a big library."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from app.history import Store
from app.library import LibraryEntry, load_catalogue
from app.script import parse_script
from app.ui.pages.library.continue_strip import ContinueItem, minutes_left_text
from app.ui.pages.library.model import LibraryFilterModel, LibraryModel
from app.ui.pages.library.page import LibraryView

SCRIPTS = {
    "harbour": """---
title: Quiet Harbour
summary: Rest after a long day and let the tide of worry go out.
theme: rest
tags: [evening, body]
durations: [5m, 10m, 20m]
---
# Arriving
Let the day settle.
[pause 5s+]
# Resting
Breathe out slowly.
[pause 5s+]
# Returning
Come back when you are ready.
""",
    "repair": """---
title: Mending After a Quarrel
summary: For the hour after an argument, when your body is still stirred.
theme: repair
tags: [conflict, partner]
durations: [10m, 20m]
---
# Arriving
Notice your breath.
[pause 5s+]
""",
    "open-sky": """---
title: Open Sky
summary: A wide and spacious practice of kindness for your partner and yourself.
theme: kindness
tags: [loving-kindness, partner]
---
Let kindness spread like the sky.
[pause 5s]
""",
    "small-steps": """---
title: Small Steps of Kindness
summary: Three minutes for a hard moment at home.
theme: kindness
tags: [reactivity]
durations: [3m, 5m]
---
# Pausing
Stop for a breath.
[pause 5s+]
""",
}

BROKEN = """---
title: Broken One
summary: Has a typo.
theme: rest
---
# Start
Hello there.
[paws 5s]
"""


@pytest.fixture
def entries(tmp_path: Path) -> list[LibraryEntry]:
    bundled = tmp_path / "bundled"
    user = tmp_path / "user"
    bundled.mkdir()
    user.mkdir()
    for slug, text in SCRIPTS.items():
        (bundled / f"{slug}.md").write_text(text, encoding="utf-8")
    (user / "broken-one.md").write_text(BROKEN, encoding="utf-8")
    found = load_catalogue(bundled, user)
    assert len(found) == 5
    return found


@pytest.fixture
def view(qtbot, entries, store) -> LibraryView:
    widget = LibraryView(entries, store)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    return widget


def entry_named(entries: list[LibraryEntry], slug: str) -> LibraryEntry:
    return next(entry for entry in entries if entry.slug == slug)


ALL_TITLES = [
    "Mending After a Quarrel",
    "Open Sky",
    "Quiet Harbour",
    "Small Steps of Kindness",
    "broken-one.md",
]


def test_lists_every_script_with_its_lengths_and_errors(view):
    assert view.visible_titles() == ALL_TITLES
    model = view.list_view.model()
    rows = [model.index(row, 0) for row in range(model.rowCount())]
    lengths = {index.data(LibraryModel.TitleRole): index.data(LibraryModel.LengthsRole) for index in rows}
    assert lengths["Quiet Harbour"] == "5m · 10m · 20m"
    assert lengths["Open Sky"] == "natural length"
    broken = model.index(4, 0)
    assert broken.data(LibraryModel.HasErrorsRole) is True
    assert "has errors" in broken.data(Qt.ItemDataRole.AccessibleTextRole)
    assert view.count_label.text() == "5 meditations"


def test_search_by_title_tag_and_summary_word(qtbot, view):
    qtbot.keyClicks(view.search_field, "harb")
    assert view.visible_titles() == ["Quiet Harbour"]

    view.search_field.clear()
    qtbot.keyClicks(view.search_field, "PARTNER")  # a tag, case-insensitively
    assert view.visible_titles() == ["Mending After a Quarrel", "Open Sky"]

    view.search_field.setText("argument")  # a word only in a summary
    assert view.visible_titles() == ["Mending After a Quarrel"]

    view.search_field.setText("kindness partner")  # every word must match
    assert view.visible_titles() == ["Open Sky"]
    assert view.selected_entry().title == "Open Sky"
    assert view.count_label.text() == "1 of 5"
    assert view.list_stack.currentWidget() is view.list_view

    view.search_field.clear()
    assert view.visible_titles() == ALL_TITLES


def test_no_match_shows_an_empty_state(qtbot, view):
    qtbot.keyClicks(view.search_field, "volcano")
    assert view.visible_titles() == []
    assert view.list_stack.currentWidget() is view.empty_state
    assert view.empty_title.text() == "No meditations match “volcano”"
    assert view.selected_entry() is None
    qtbot.mouseClick(view.clear_filters_button, Qt.MouseButton.LeftButton)
    assert view.search_field.text() == ""
    assert view.visible_titles() == ALL_TITLES
    assert view.list_stack.currentWidget() is view.list_view


def test_theme_filter(view):
    combo = view.theme_filter
    assert combo.itemText(0) == "All themes"
    assert [combo.itemData(i) for i in range(1, combo.count())] == ["kindness", "repair", "rest"]
    combo.setCurrentIndex(combo.findData("kindness"))
    assert view.visible_titles() == ["Open Sky", "Small Steps of Kindness"]
    view.search_field.setText("three")
    assert view.visible_titles() == ["Small Steps of Kindness"]
    view.search_field.clear()
    combo.setCurrentIndex(0)
    assert view.visible_titles() == ALL_TITLES


def test_favourite_toggle_filter_and_persistence(qtbot, view, entries, store):
    assert view.select_entry(entry_named(entries, "open-sky"))
    assert view.favourite_button.text() == "☆ Add to favourites"
    qtbot.mouseClick(view.favourite_button, Qt.MouseButton.LeftButton)
    assert store.favourites() == {"open-sky"}
    assert view.favourite_button.isChecked()
    assert view.favourite_button.text() == "★ Favourite"

    # The star painted in a row toggles too.
    view.show()
    qtbot.waitExposed(view)
    harbour_row = view.visible_titles().index("Quiet Harbour")
    rect = view.list_view.visualRect(view.list_view.model().index(harbour_row, 0))
    star = view._delegate.star_rect(rect).center()
    qtbot.mouseClick(view.list_view.viewport(), Qt.MouseButton.LeftButton, pos=star)
    assert store.favourites() == {"open-sky", "harbour"}

    qtbot.mouseClick(view.favourites_filter, Qt.MouseButton.LeftButton)
    assert view.visible_titles() == ["Open Sky", "Quiet Harbour"]

    # Unstarring under "Favourites only" takes the row away.
    assert view.select_entry(entry_named(entries, "harbour"))
    qtbot.mouseClick(view.favourite_button, Qt.MouseButton.LeftButton)
    assert store.favourites() == {"open-sky"}
    assert view.visible_titles() == ["Open Sky"]

    # Another view over the same database remembers.
    again = LibraryView(entries, Store(store.path))
    qtbot.addWidget(again)
    again.favourites_filter.setChecked(True)
    assert again.visible_titles() == ["Open Sky"]


def test_favourites_only_with_none_says_how_to_add_one(view):
    view.favourites_filter.setChecked(True)
    assert view.visible_titles() == []
    assert view.empty_title.text() == "No favourites yet"


def test_details_show_sections_and_default_length(entries, store, qtbot):
    store.set_setting("default_length", 600)
    view = LibraryView(entries, store)
    qtbot.addWidget(view)
    view.select_entry(entry_named(entries, "harbour"))
    assert view.details_stack.currentIndex() == 1
    assert view.details_title.text() == "Quiet Harbour"
    assert view.details_meta.text().startswith("Rest")
    assert view.details_tags.text() == "Tags: evening, body"
    assert view.details_sections.text().splitlines() == ["1.  Arriving", "2.  Resting", "3.  Returning"]
    picker = view.length_picker
    assert [picker.itemText(i) for i in range(picker.count())] == ["5m", "10m", "20m"]
    assert view.chosen_length() == 600.0  # the setting, offered by this script

    view.select_entry(entry_named(entries, "small-steps"))
    assert view.chosen_length() == 180.0  # 10m not offered: the script's first


def test_enter_on_a_row_plays_at_the_chosen_length(qtbot, view, entries):
    view.select_entry(entry_named(entries, "repair"))
    view.length_picker.setCurrentIndex(1)
    view.list_view.setFocus()
    with qtbot.waitSignal(view.playRequested) as signal:
        qtbot.keyClick(view.list_view, Qt.Key.Key_Return)
    assert signal.args == [entry_named(entries, "repair"), 1200.0]

    view.select_entry(entry_named(entries, "open-sky"))
    with qtbot.waitSignal(view.playRequested) as signal:
        qtbot.keyClick(view.list_view, Qt.Key.Key_Enter)
    assert signal.args == [entry_named(entries, "open-sky"), None]  # its natural length

    with qtbot.waitSignal(view.playRequested) as signal:
        qtbot.mouseClick(view.play_button, Qt.MouseButton.LeftButton)
    assert signal.args[0].slug == "open-sky"


def test_double_click_plays(qtbot, view, entries):
    view.show()
    qtbot.waitExposed(view)
    row = view.visible_titles().index("Quiet Harbour")
    rect = view.list_view.visualRect(view.list_view.model().index(row, 0))
    point = QPoint(rect.left() + rect.width() // 3, rect.center().y())  # away from the star
    qtbot.mouseClick(view.list_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    with qtbot.waitSignal(view.playRequested) as signal:
        qtbot.mouseDClick(view.list_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert signal.args == [entry_named(entries, "harbour"), 300.0]


def test_search_field_keys(qtbot, view):
    view.show()
    # Shortcuts only reach an active window.
    with qtbot.waitActive(view):
        view.activateWindow()
    view.list_view.setFocus()
    qtbot.keyClick(view.list_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search_field.hasFocus()
    qtbot.keyClicks(view.search_field, "sky")
    qtbot.keyClick(view.search_field, Qt.Key.Key_Down)
    assert view.list_view.hasFocus()
    assert view.selected_entry().title == "Open Sky"
    view.focus_search()
    qtbot.keyClick(view.search_field, Qt.Key.Key_Escape)
    assert view.search_field.text() == ""


def test_continue_row_resumes_a_part_way_session(qtbot, entries, store):
    store.save_position("repair", 1_200_000, 480_000, 1)
    store.save_position("no-longer-here", 600_000, 1_000)
    view = LibraryView(entries, store)
    qtbot.addWidget(view)
    assert not view.continue_strip.isHidden()
    assert view.continue_titles() == ["Mending After a Quarrel"]
    items = view.continue_strip.findChildren(ContinueItem)
    assert len(items) == 1
    assert items[0].title_label.text() == "Mending After a Quarrel"
    assert items[0].left_label.text() == "12 min left"
    with qtbot.waitSignal(view.resumeRequested) as signal:
        qtbot.mouseClick(items[0], Qt.MouseButton.LeftButton)
    assert signal.args == [entry_named(entries, "repair"), 1200.0, 480_000]

    store.clear_position("repair")
    view.refresh_continue()
    assert view.continue_titles() == []
    assert view.continue_strip.isHidden()


def test_minutes_left_rounds_up():
    assert minutes_left_text(1_200_000, 480_000) == "12 min left"
    assert minutes_left_text(600_000, 599_000) == "1 min left"
    assert minutes_left_text(600_000, 539_000) == "2 min left"


def test_entry_with_errors_shows_them_and_offers_to_open_the_file(qtbot, view, entries, monkeypatch):
    broken = entry_named(entries, "broken-one")
    assert view.select_entry(broken)
    assert view.details_stack.currentIndex() == 2
    assert view.error_title.text() == "broken-one.md"
    assert view.error_headline.text() == "This script has an error"
    assert "Line 8, column 1: unknown directive [paws 5s]" in view.error_text.text()
    assert "[pause 5s]" in view.error_text.text()

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(view.open_file_button, Qt.MouseButton.LeftButton)
    assert opened == [str(broken.path)]

    # Nothing to play: Enter does not ask for it.
    plays = []
    view.playRequested.connect(lambda *args: plays.append(args))
    qtbot.keyClick(view.list_view, Qt.Key.Key_Return)
    assert plays == []


def test_set_entries_keeps_the_selection_and_themes(qtbot, view, entries, tmp_path):
    view.select_entry(entry_named(entries, "repair"))
    extra = LibraryEntry(
        tmp_path / "user" / "dawn.md",
        "user",
        parse_script("---\ntitle: Dawn\nsummary: Morning light.\ntheme: morning\n---\nWake gently.\n"),
    )
    view.set_entries([*entries, extra])
    assert view.selected_entry().slug == "repair"
    assert "Dawn" in view.visible_titles()
    assert view.theme_filter.findData("morning") > 0


def _generated(count: int, folder: Path) -> list[LibraryEntry]:
    themes = ["rest", "repair", "kindness", "courage", "grief"]
    found = []
    for number in range(count):
        text = (
            f"---\ntitle: Practice {number:04d}\n"
            f"summary: A {'gentle' if number % 3 == 0 else 'steady'} practice, number {number}.\n"
            f"theme: {themes[number % 5]}\ntags: [tag{number % 7}]\ndurations: [5m, 10m]\n---\n"
            f"# Start\nHello {number}.\n[pause 5s+]\n"
        )
        found.append(LibraryEntry(folder / f"practice-{number:04d}.md", "user", parse_script(text)))
    return found


def test_a_thousand_user_scripts_stay_fast_and_correct(qtbot, store, tmp_path):
    entries = _generated(1000, tmp_path)
    view = LibraryView(entries, store)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    assert len(view.visible_titles()) == 1000

    view.search_field.setText("gentle tag3")
    expected = [f"Practice {n:04d}" for n in range(1000) if n % 3 == 0 and n % 7 == 3]
    assert view.visible_titles() == expected
    view.theme_filter.setCurrentIndex(view.theme_filter.findData("grief"))
    assert view.visible_titles() == [t for t in expected if int(t.split()[1]) % 5 == 4]
    view.search_field.setText("practice 0999")  # "0999" is in the title only
    assert view.visible_titles() == ["Practice 0999"]
    # Fast by design rather than by a stopwatch: the rows are painted by one delegate, so a
    # thousand scripts make no more widgets than one does (a per-row widget design would).
    one = LibraryView(entries[:1], store)
    qtbot.addWidget(one)
    assert len(view.findChildren(QWidget)) == len(one.findChildren(QWidget))


def test_filter_model_alone(tmp_path):
    entries = _generated(50, tmp_path)
    model = LibraryModel(entries, {"practice-0007"})
    proxy = LibraryFilterModel()
    proxy.setSourceModel(model)
    proxy.set_favourites_only(True)
    assert [proxy.entry_at(r).slug for r in range(proxy.rowCount())] == ["practice-0007"]
    proxy.set_favourites_only(False)
    proxy.set_search("  NUMBER   12. ")
    assert [proxy.entry_at(r).title for r in range(proxy.rowCount())] == ["Practice 0012"]
    assert model.rowCount(model.index(0)) == 0
    assert model.data(QModelIndex()) is None


def test_the_details_fit_a_narrow_pane_without_a_sideways_scrollbar(qtbot, entries, store):
    view = LibraryView(entries, store)
    qtbot.addWidget(view)
    view.resize(700, 600)
    view.show()
    qtbot.waitExposed(view)
    view.select_entry(entry_named(entries, "open-sky"))
    view.splitter.setSizes([400, 300])
    scroll = view.splitter.widget(1)
    qtbot.waitUntil(lambda: scroll.viewport().width() <= 300)
    page = view.details_stack.currentWidget()
    assert not scroll.horizontalScrollBar().isVisible()
    assert page.minimumSizeHint().width() <= scroll.viewport().width()
    # The buttons moved to a second line rather than past the edge, which keeps its margin.
    right = page.width() - page.layout().contentsMargins().right()
    for button in (view.play_button, view.favourite_button, view.export_button):
        assert button.geometry().right() < right
    assert view.favourite_button.y() > view.play_button.y()


def test_continue_leaves_out_the_session_playing_now(qtbot, entries, store):
    store.save_position("repair", 1_200_000, 480_000, 1)
    store.save_position("harbour", 600_000, 60_000, 0)
    view = LibraryView(entries, store)
    qtbot.addWidget(view)
    assert sorted(view.continue_titles()) == ["Mending After a Quarrel", "Quiet Harbour"]
    view.set_playing("repair")
    assert view.continue_titles() == ["Quiet Harbour"]
    view.set_entries(entries)  # a rebuilt catalogue still leaves it out
    assert view.continue_titles() == ["Quiet Harbour"]
    view.set_playing(None)  # paused or ended: it can be continued again
    assert sorted(view.continue_titles()) == ["Mending After a Quarrel", "Quiet Harbour"]
