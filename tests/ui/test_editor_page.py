"""The Write page: new, save, rename, delete with undo, imports of hostile files, drafts, hearing, playing.

Every question the page asks goes through `page.dialogs`, replaced here by scripted answers,
so no test waits on a modal dialog.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from app import paths
from app.history import Store
from app.library import load_catalogue
from app.library.drafts import DraftStore, draft_key
from app.library.user_scripts import UserLibrary
from app.script import MAX_FILE_BYTES, Speech, parse_script
from app.script.template import template_text
from app.time_text import clock_tenths
from app.tts import FakeEngine
from app.ui.main_window import WRITE_PAGE, MainWindow
from app.ui.pages.write.page import EditorPage
from app.ui.services.stream_player import StreamPlayer

BUNDLED = paths.bundled_scripts_dir() / "pause-before-you-react.md"


class ScriptedDialogs:
    """Stands in for EditorDialogs: answers set by the test, every question recorded."""

    def __init__(self) -> None:
        self.title: str | None = "Evening Kindness"
        self.name: str | None = None
        self.files: list[Path] = []
        self.export: Path | None = None
        self.clash = "cancel"
        self.overwrite = False
        self.unsaved = "cancel"
        self.asked: list[tuple[str, str]] = []

    def ask_title(self) -> str | None:
        self.asked.append(("title", ""))
        return self.title

    def ask_new_name(self, current: str) -> str | None:
        self.asked.append(("name", current))
        return self.name

    def choose_import_files(self) -> list[Path]:
        self.asked.append(("import", ""))
        return self.files

    def choose_export_file(self, suggested: Path) -> Path | None:
        self.asked.append(("export", suggested.name))
        return self.export

    def ask_clash(self, name: str) -> str:
        self.asked.append(("clash", name))
        return self.clash

    def ask_overwrite(self, path: Path) -> bool:
        self.asked.append(("overwrite", path.name))
        return self.overwrite

    def ask_unsaved(self, name: str) -> str:
        self.asked.append(("unsaved", name))
        return self.unsaved

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.asked]


def make_page(qtbot, store: Store) -> tuple[EditorPage, StreamPlayer]:
    player = StreamPlayer()
    page = EditorPage(store, FakeEngine(), player, load_catalogue())
    page.dialogs = ScriptedDialogs()
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    return page, player


@pytest.fixture
def page(qtbot, store):
    widget, player = make_page(qtbot, store)
    yield widget
    player.close()


@pytest.fixture
def window(qtbot, store):
    widget = MainWindow(store, load_catalogue(), FakeEngine())
    widget.editor_page.dialogs = ScriptedDialogs()
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.editor_page.dialogs.unsaved = "discard"
    widget.close()
    widget.player.close()
    widget.preview_player.close()


def library_folder() -> Path:
    return paths.user_library_dir()


def user_files() -> list[str]:
    folder = library_folder()
    return sorted(path.name for path in folder.iterdir() if path.is_file()) if folder.is_dir() else []


def type_at_end(qtbot, page: EditorPage, text: str) -> None:
    """Typed as a person types, key by key (QTest takes ASCII only, and Return for a new line)."""
    page.editor.text_edit.moveCursor(QTextCursor.MoveOperation.End)
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(page.editor.text_edit, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(page.editor.text_edit, line)


def line_number(text: str, line: str) -> int:
    return text.split("\n").index(line) + 1


# -- new, save, rename, delete --------------------------------------------------------------


def test_new_creates_a_file_from_the_template_and_opens_it(qtbot, page):
    with qtbot.waitSignal(page.catalogueChanged) as changed:
        path = page.new_script()
    assert path == library_folder() / "evening-kindness.md"
    assert path.read_text("utf-8") == template_text("Evening Kindness")
    assert page.path == path and not page.read_only
    assert page.editor.text() == template_text("Evening Kindness")
    assert not page.editor.text_edit.isReadOnly() and not page.editor.is_modified()
    assert page.doc_title.text() == "evening-kindness.md"
    assert page.shown_paths()[0] == path  # your scripts come first in the list
    entry = next(entry for entry in changed.args[0] if entry.path == path)
    assert entry.origin == "user" and entry.title == "Evening Kindness"
    assert page.editor.check_now() == []  # the template is a valid script


def test_save_then_reload_gives_the_same_text(qtbot, page, store):
    path = page.new_script()
    type_at_end(qtbot, page, "\nRest here a little longer, and smile.\n[pause 5s]\n")
    assert page.editor.is_modified() and page.doc_state.text() == "unsaved changes"
    typed = page.editor.text()
    with qtbot.waitSignal(page.catalogueChanged):
        qtbot.keyClick(page.editor.text_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert path.read_text("utf-8") == typed
    assert not page.editor.is_modified() and page.doc_state.text() == "saved"
    other, player = make_page(qtbot, store)
    try:
        assert other.open_path(path)
        assert other.editor.text() == typed
        assert not other.editor.is_modified()
    finally:
        player.close()


def test_rename_gives_the_file_a_safe_new_name(qtbot, page):
    old = page.new_script()
    page.dialogs.name = "Morning Light"
    with qtbot.waitSignal(page.catalogueChanged):
        new = page.rename()
    assert new == library_folder() / "morning-light.md"
    assert not old.exists() and new.read_text("utf-8") == template_text("Evening Kindness")
    assert page.path == new and page.doc_title.text() == "morning-light.md"
    assert new in page.shown_paths() and old not in page.shown_paths()
    # A 300-character name, with a path and reserved characters in it, still makes one safe file.
    page.dialogs.name = "../../" + "Very long <name>: " * 17
    assert len(page.dialogs.name) > 300
    longest = page.rename()
    assert longest is not None and longest.parent == library_folder()
    assert len(longest.stem) <= 80 and not set('<>:"/\\|?*') & set(longest.name)
    assert user_files() == [longest.name]


def test_a_renamed_script_keeps_its_star_and_its_place(qtbot, page, store):
    old = page.new_script()
    store.set_favourite(old.stem, True)
    store.save_position(old.stem, 300_000, 42_000, 1)
    page.dialogs.name = "Morning Light"
    new = page.rename()
    assert store.favourites() == {new.stem}
    assert store.position(new.stem) == (300_000, 42_000, 1) and store.position(old.stem) is None


def test_rename_to_a_taken_name_refuses_and_changes_nothing(qtbot, page):
    first = page.new_script()
    page.dialogs.title = "Second"
    second = page.new_script()
    page.dialogs.name = "Evening Kindness"
    assert page.rename() is None
    assert "taken" in page.message_text() and "evening-kindness.md" in page.message_text()
    assert first.exists() and second.exists() and page.path == second


def test_delete_then_undo_restores_the_same_bytes(qtbot, page):
    path = page.new_script()
    type_at_end(qtbot, page, "\nA last kind word.\n")
    page.save()
    before = path.read_bytes()
    with qtbot.waitSignal(page.catalogueChanged) as changed:
        page.delete_button.click()
    assert not path.exists() and user_files() == []
    assert all(entry.path != path for entry in changed.args[0])
    assert page.path is None and not page.undo_bar.isHidden()
    assert "moved to the trash" in page.undo_bar.label.text()
    with qtbot.waitSignal(page.catalogueChanged):
        page.undo_button.click()
    assert path.read_bytes() == before
    assert page.path == path and page.editor.text() == before.decode("utf-8")
    assert page.undo_bar.isHidden()


# -- imports --------------------------------------------------------------------------------


SMALL = "---\ntitle: Small\nsummary: A small one.\ntheme: test\n---\nBreathe.\n[pause 2s]\n"


def test_an_import_named_with_dots_lands_in_the_library_only(tmp_path, page):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "x.md").write_text(SMALL, "utf-8")
    imported = page.import_paths([tmp_path / "a" / "b" / ".." / ".." / "x.md"])
    assert imported == [library_folder() / "x.md"]
    assert user_files() == ["x.md"]
    assert not (library_folder().parent / "x.md").exists()
    assert not (library_folder().parent.parent / "x.md").exists()
    assert page.path == imported[0] and page.editor.text() == SMALL


def test_an_import_with_a_very_long_name_gets_a_short_safe_one(tmp_path, page):
    # 255 bytes is the longest name Linux allows; a 300-character name is covered by the rename test.
    source = tmp_path / ("kindness " * 27 + ".md")
    source.write_text(SMALL, "utf-8")
    [imported] = page.import_paths([source])
    assert imported.parent == library_folder() and len(imported.stem) <= 80
    assert imported.read_text("utf-8") == SMALL


def test_an_import_with_reserved_characters_gets_a_safe_name(tmp_path, page):
    source = tmp_path / 'a<b>c:d"e|f?g*h\\i.md'
    source.write_text(SMALL, "utf-8")
    [imported] = page.import_paths([source])
    assert imported.parent == library_folder()
    assert not set('<>:"/\\|?*') & set(imported.name) and imported.suffix == ".md"
    assert imported.read_text("utf-8") == SMALL


def test_a_non_utf8_file_is_refused_with_a_message_and_nothing_imported(tmp_path, page):
    source = tmp_path / "latin.md"
    source.write_bytes(SMALL.replace("Breathe.", "Respirez là.").encode("latin-1"))
    with pytest.raises(Exception) as refused:
        UserLibrary().read_import(source)
    assert page.import_paths([source]) == []
    assert refused.value.title in page.message_text()
    assert refused.value.explanation in page.message_text()
    assert "UTF-8" in page.message_text()
    assert user_files() == [] and page.path is None


def test_an_oversized_file_is_refused_with_a_message(tmp_path, page):
    source = tmp_path / "huge.txt"
    source.write_text(SMALL + "Breathe.\n" * (MAX_FILE_BYTES // 9 + 1), "utf-8")
    assert page.import_paths([source]) == []
    assert "too big" in page.message_text() and "huge.txt" in page.message_text()
    assert user_files() == []


def test_a_name_clash_asks_and_cancel_keeps_the_old_file_untouched(tmp_path, page):
    source = tmp_path / "calm.md"
    source.write_text(SMALL, "utf-8")
    [first] = page.import_paths([source])
    before = first.read_bytes()
    source.write_text(SMALL.replace("Breathe.", "Breathe slowly."), "utf-8")
    page.dialogs.clash = "cancel"
    assert page.import_paths([source]) == []
    assert page.dialogs.asked[-1] == ("clash", "calm.md")
    assert first.read_bytes() == before and user_files() == ["calm.md"]


def test_a_name_clash_keep_both_adds_a_second_file(tmp_path, page):
    source = tmp_path / "calm.md"
    source.write_text(SMALL, "utf-8")
    [first] = page.import_paths([source])
    before = first.read_bytes()
    changed = SMALL.replace("Breathe.", "Breathe slowly.")
    source.write_text(changed, "utf-8")
    page.dialogs.clash = "keep_both"
    [second] = page.import_paths([source])
    assert page.dialogs.kinds().count("clash") == 1
    assert second != first and second.parent == library_folder()
    assert first.read_bytes() == before and second.read_text("utf-8") == changed
    assert user_files() == sorted([first.name, second.name])
    assert page.path == second


def test_import_from_the_file_dialog(tmp_path, page):
    source = tmp_path / "from-dialog.txt"
    source.write_text(SMALL, "utf-8")
    page.dialogs.files = [source]
    page.import_button.click()
    assert user_files() == ["from-dialog.md"]
    assert page.path == library_folder() / "from-dialog.md"


def drop(target, files: list[Path]) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in files])
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(
        QPoint(20, 20), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        QPointF(20, 20), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(target, event)
    return event


def test_dropping_a_file_on_the_window_imports_it(qtbot, tmp_path, window):
    source = tmp_path / "dropped.md"
    source.write_text(SMALL, "utf-8")
    event = drop(window, [source])
    assert event.isAccepted()
    qtbot.waitUntil(lambda: (library_folder() / "dropped.md").exists())
    page = window.editor_page
    assert window.pages.currentIndex() == WRITE_PAGE
    assert page.path == library_folder() / "dropped.md" and page.editor.text() == SMALL
    assert "Small" in window.library.visible_titles()


def test_dropping_a_file_on_the_editor_imports_it_instead_of_pasting_its_name(qtbot, tmp_path, window):
    page = window.editor_page
    opened = page.new_script()
    window.show_page(WRITE_PAGE)
    text = page.editor.text()
    source = tmp_path / "onto-the-text.md"
    source.write_text(SMALL, "utf-8")
    drop(page.editor.text_edit.viewport(), [source])
    qtbot.waitUntil(lambda: page.path == library_folder() / "onto-the-text.md")
    assert opened.read_text("utf-8") == text
    assert page.editor.text() == SMALL


# -- bundled scripts ------------------------------------------------------------------------


def test_bundled_scripts_are_read_only_in_the_editor(qtbot, page):
    before = BUNDLED.read_bytes()
    assert page.open_path(BUNDLED)
    assert page.read_only and page.editor.text_edit.isReadOnly()
    assert not page.read_only_bar.isHidden() and page.save_button.isHidden()
    assert not page.rename_button.isEnabled() and not page.delete_button.isEnabled()
    qtbot.keyClicks(page.editor.text_edit, "changed")
    assert not page.editor.is_modified()
    assert not page.save() and page.delete() is None
    assert BUNDLED.read_bytes() == before


def test_make_a_copy_from_the_read_only_editor(qtbot, page):
    before = BUNDLED.read_bytes()
    page.open_path(BUNDLED)
    page.copy_button.click()
    assert page.path is not None and page.path.parent == library_folder()
    assert not page.read_only and not page.editor.text_edit.isReadOnly()
    assert "title: Pause Before You React (my copy)" in page.editor.text()
    assert BUNDLED.read_bytes() == before


def test_make_a_copy_from_the_library_opens_an_editable_copy(qtbot, window):
    before = BUNDLED.read_bytes()
    entry = next(e for e in load_catalogue() if e.path == BUNDLED)
    window.library.select_entry(entry)
    assert not window.library.copy_button.isHidden() and window.library.edit_button.isHidden()
    window.library.copy_button.click()
    page = window.editor_page
    assert window.pages.currentIndex() == WRITE_PAGE
    assert page.path is not None and page.path.parent == library_folder() and not page.read_only
    type_at_end(qtbot, page, "\nMy own closing words.\n")
    assert page.save()
    assert BUNDLED.read_bytes() == before
    assert "Pause Before You React (my copy)" in window.library.visible_titles()
    # The copy is the user's own: the Library now offers Edit for it, which opens it in Write.
    copy = next(e for e in window.editor_page.entries if e.path == page.path)
    window.show_page(0)
    window.library.select_entry(copy)
    assert window.library.copy_button.isHidden() and not window.library.edit_button.isHidden()
    window.library.edit_button.click()
    assert window.pages.currentIndex() == WRITE_PAGE and page.path == copy.path


# -- leaving, exporting ---------------------------------------------------------------------


def test_leaving_unsaved_changes_asks_save_discard_or_cancel(qtbot, page):
    first = page.new_script()
    type_at_end(qtbot, page, "\nUnsaved words.\n")
    typed = page.editor.text()
    page.dialogs.unsaved = "cancel"
    assert not page.open_path(BUNDLED)
    assert page.path == first and page.editor.text() == typed and page.editor.is_modified()
    page.dialogs.unsaved = "save"
    assert page.open_path(BUNDLED)
    assert first.read_text("utf-8") == typed and page.path == BUNDLED
    assert page.dialogs.kinds().count("unsaved") == 2


def test_discarding_unsaved_changes_removes_their_draft(qtbot, page):
    first = page.new_script()
    type_at_end(qtbot, page, "\nNot kept.\n")
    page.save_draft()
    assert page.drafts.get(draft_key(first)) is not None
    page.dialogs.unsaved = "discard"
    assert page.open_path(BUNDLED)
    assert page.drafts.get(draft_key(first)) is None
    assert first.read_text("utf-8") == template_text("Evening Kindness")


def test_export_writes_a_copy_and_asks_before_replacing(qtbot, tmp_path, page):
    path = page.new_script()
    page.dialogs.export = tmp_path / "shared.md"
    assert page.export() == tmp_path / "shared.md"
    assert (tmp_path / "shared.md").read_bytes() == path.read_bytes()
    type_at_end(qtbot, page, "\nChanged after the export.\n")
    page.save()
    page.dialogs.overwrite = False
    assert page.export() is None
    assert page.dialogs.asked[-1] == ("overwrite", "shared.md")
    assert (tmp_path / "shared.md").read_text("utf-8") == template_text("Evening Kindness")
    page.dialogs.overwrite = True
    assert page.export() == tmp_path / "shared.md"
    assert (tmp_path / "shared.md").read_bytes() == path.read_bytes()


def test_closing_the_window_with_unsaved_changes_asks_and_cancel_keeps_it_open(qtbot, window):
    page = window.editor_page
    path = page.new_script()
    type_at_end(qtbot, page, "\nStill writing.\n")
    page.dialogs.unsaved = "cancel"
    assert not window.close()
    assert window.isVisible() and page.editor.is_modified()
    page.dialogs.unsaved = "save"
    assert window.close()
    assert path.read_text("utf-8").endswith("Still writing.\n")


# -- drafts ---------------------------------------------------------------------------------


def test_unsaved_text_is_offered_back_by_the_next_page(qtbot, page, store):
    path = page.new_script()
    with qtbot.waitSignal(page.draftSaved, timeout=10_000) as saved:
        type_at_end(qtbot, page, "\nWords I did not save.\n")
    assert saved.args == [draft_key(path)]
    typed = page.editor.text()
    assert path.read_text("utf-8") == template_text("Evening Kindness")

    again, player = make_page(qtbot, store)
    try:
        [draft] = again.pending_drafts()
        assert draft.path == path and draft.text == typed
        assert not again.draft_bar.isHidden() and path.name in again.draft_bar.label.text()
        again.restore_button.click()
        assert again.path == path and again.editor.text() == typed
        assert again.editor.is_modified() and again.draft_bar.isHidden()
        assert path.read_text("utf-8") == template_text("Evening Kindness")  # still not saved
        assert again.save()
        assert path.read_text("utf-8") == typed and again.drafts.get(draft_key(path)) is None
    finally:
        player.close()


def test_a_draft_can_be_discarded_and_a_saved_one_is_not_offered(qtbot, page, store):
    path = page.new_script()
    type_at_end(qtbot, page, "\nA passing thought.\n")
    page.save_draft()
    again, player = make_page(qtbot, store)
    again.discard_draft_button.click()
    assert again.pending_drafts() == [] and again.draft_bar.isHidden()
    assert DraftStore().drafts() == []
    assert path.read_text("utf-8") == template_text("Evening Kindness")
    player.close()


# -- hearing and playing --------------------------------------------------------------------


def test_hear_this_paragraph_renders_that_paragraph(qtbot, page):
    page.new_script()
    text = page.editor.text()
    line = line_number(text, "Bring to mind someone who makes you smile.")
    page.editor.move_cursor_to(line + 1, 5)
    with qtbot.waitSignal(page.hearingStarted):
        page.hear_button.click()
    session = page.heard
    assert session is not None
    paragraph = next(
        item
        for _, item in parse_script(text).items()
        if isinstance(item, Speech) and item.line <= line + 1 < item.line + len(item.lines)
    )
    assert paragraph.text.startswith("Bring to mind someone who makes you smile. Silently wish them well.")
    [section] = session.script.sections
    assert [item.text for item in section.items] == [paragraph.text]
    assert session.target_frames == session.timeline.natural_frames  # its natural length
    qtbot.waitUntil(lambda: page.player.has_media(), timeout=20_000)


def test_hear_this_paragraph_off_the_text_says_where_to_put_the_cursor(qtbot, page):
    page.new_script()
    page.editor.move_cursor_to(1, 1)  # the front matter's first line
    assert page.hear_paragraph() is None
    assert "Put the cursor in a paragraph" in page.message_text()


def test_play_from_here_plays_the_unsaved_text_from_the_cursors_section(qtbot, window):
    page = window.editor_page
    path = page.new_script()
    window.show_page(WRITE_PAGE)
    # Unsaved: the heading changes in the editor only.
    editing = page.editor.text().replace("# Resting in kindness", "# Resting together")
    cursor = page.editor.text_edit.textCursor()
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.insertText(editing)
    assert page.editor.is_modified()
    page.editor.move_cursor_to(line_number(editing, "Now turn the same wish toward yourself."), 1)
    page.play_here_button.click()
    view = window.player_view
    assert window.pages.currentIndex() == 1
    qtbot.waitUntil(lambda: window.player.is_playing() and window.player.position() > 0, timeout=30_000)
    sections = view.now.timeline.sections
    assert [section.title for section in sections] == ["Arriving", "Resting together"]
    assert view.current_section() == 1 and view.section_label.text() == "Resting together"
    assert window.player.position() >= sections[1].start * 1000
    assert path.read_text("utf-8") == template_text("Evening Kindness")  # played, not saved
    # The length of that session is shown in the editor, until the text changes.
    length = view.now.timeline.length
    assert page.editor.exact_label.text().startswith(f"Plays for {clock_tenths(length)}")
    assert not page.editor.exact_label.isHidden()


def test_play_from_here_with_errors_says_to_fix_them(qtbot, window):
    page = window.editor_page
    page.new_script()
    type_at_end(qtbot, page, "\n[paws 5s]\n")
    assert not page.play_from_here()
    assert "Fix the problems first" in page.message_text()
    assert window.pages.currentIndex() != 1 and window.player_view.now is None


def test_minutes_seconds_to_the_tenth():
    assert clock_tenths(600) == "10:00.0"
    assert clock_tenths(61.26) == "1:01.3"
    assert clock_tenths(59.96) == "1:00.0"


def test_a_long_unbroken_stretch_of_typing_is_kept_without_waiting_for_a_pause(qtbot, page, monkeypatch):
    monkeypatch.setattr("app.ui.pages.write.draft_keeper.DRAFT_MAX_AGE_S", 0.0)
    path = page.new_script()
    type_at_end(qtbot, page, "\nNo pause at all")
    # Kept while typing, with no event loop turn for the pause timer to fire.
    draft = page.drafts.get(draft_key(path))
    assert draft is not None and draft.text == page.editor.text()


def test_undoing_back_to_the_saved_text_leaves_no_draft(qtbot, page):
    path = page.new_script()
    type_at_end(qtbot, page, "\nA word")
    page.save_draft()
    assert page.drafts.get(draft_key(path)) is not None
    while page.editor.is_modified():
        page.editor.text_edit.undo()
    page.save_draft()
    assert page.drafts.get(draft_key(path)) is None


def test_a_broken_script_of_ones_own_opens_from_the_library_with_its_problems(qtbot, store):
    library_folder().mkdir(parents=True, exist_ok=True)
    broken = library_folder() / "broken.md"
    broken.write_text(SMALL.replace("[pause 2s]", "[paws 2s]"), "utf-8")
    window = MainWindow(store, load_catalogue(), FakeEngine())
    window.editor_page.dialogs = ScriptedDialogs()
    qtbot.addWidget(window)
    entry = next(e for e in load_catalogue() if e.path == broken)
    window.library.select_entry(entry)
    assert window.library.details_stack.currentIndex() == 2 and not window.library.fix_button.isHidden()
    window.library.fix_button.click()
    page = window.editor_page
    assert window.pages.currentIndex() == WRITE_PAGE and page.path == broken and not page.read_only
    assert [(error.line, error.column) for error in page.editor.errors()] == [(7, 1)]
    assert page.editor.problems.count() == 1 and "paws" in page.editor.problems.item(0).text()
    window.player.close()
