"""The script editor widget: live problems at the right place, inserts, colours, cursor queries."""

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QFont, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QToolButton

from app.script import Bell, Pause, ScriptError, Section, Speech, parse_script
from app.ui.pages.write.highlighter import contrast
from app.ui.pages.write.problems import MAX_SHOWN_PROBLEMS
from app.ui.pages.write.script_editor import ScriptEditor
from app.ui.theme import DARK, LIGHT

SCRIPT = """---
title: Coming Home
summary: A short practice for the evening.
theme: reconnection
durations: [5m, 10m]
---
Settle in before anything begins.

# Arriving
[bell]
Let yourself land here, just as you are.
Feel the weight of your body settling.
[pause 5s]
// slow down here
Breathe in, and let the breath go.
[pause 20s+]

# Turning toward them
Bring to mind the person you share your life with.

See their face as it is today.
"""
LINES = SCRIPT.split("\n")


def line_of(text: str) -> int:
    """The 1-based line of SCRIPT that is exactly `text`."""
    return LINES.index(text) + 1


@pytest.fixture
def editor(qtbot):
    widget = ScriptEditor()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.set_text(SCRIPT)
    return widget


def place(editor: ScriptEditor, line: int, column: int) -> int:
    """The document position of a parser line/column (both 1-based), in Qt's UTF-16 units."""
    block = editor.text_edit.document().findBlockByNumber(line - 1)
    before = block.text()[: column - 1]
    return block.position() + len(before.encode("utf-16-le")) // 2


def cursor_place(editor: ScriptEditor) -> tuple[int, int]:
    cursor = editor.text_edit.textCursor()
    return cursor.blockNumber() + 1, cursor.positionInBlock() + 1


def underlines(editor: ScriptEditor) -> list[tuple[int, int]]:
    return [
        (selection.cursor.selectionStart(), selection.cursor.selectionEnd())
        for selection in editor.text_edit.extraSelections()
        if selection.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
    ]


def type_on_new_line(qtbot, editor: ScriptEditor, after_line: int, text: str) -> int:
    """Open a line below `after_line` and type `text` into it key by key; returns its number."""
    editor.move_cursor_to(after_line, len(LINES[after_line - 1]) + 1)
    qtbot.keyClick(editor.text_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.text_edit, text)
    return after_line + 1


# -- live checking --------------------------------------------------------------------------


def test_a_valid_script_has_no_problems(editor):
    assert editor.errors() == []
    assert editor.problems.count() == 0 and editor.problems.isHidden()
    assert editor.text_edit.extraSelections() == []
    assert editor.current_script() == parse_script(SCRIPT)
    assert editor.text() == SCRIPT


def test_typing_a_bad_directive_shows_it_at_its_line_and_column(qtbot, editor):
    reported = []
    editor.problemsChanged.connect(reported.append)
    line = type_on_new_line(qtbot, editor, line_of("[pause 5s]"), "[paws 5s]")
    assert line == 14
    assert editor.errors() == []  # not yet: the check waits until typing stops

    qtbot.waitUntil(lambda: editor.problems.count() == 1, timeout=5000)
    expected = ScriptError(14, 1, "unknown directive [paws 5s]", "[pause 5s]")
    assert editor.errors() == [expected]
    assert reported[-1] == [expected]
    assert editor.current_script() is None
    assert editor.problems.item(0).text() == (
        "Line 14, column 1: unknown directive [paws 5s]; did you mean [pause 5s]?"
    )
    assert not editor.problems.isHidden()
    start = place(editor, 14, 1)
    assert underlines(editor) == [(start, start + len("[paws 5s]"))]
    hover = "unknown directive [paws 5s]; did you mean [pause 5s]?"
    assert editor.problem_text_at(start) == hover
    assert editor.problem_text_at(start + 4) == hover
    assert editor.problem_text_at(place(editor, 13, 1)) == ""  # the line above has no problem
    assert editor.length_label.text() == "Length: fix the 1 problem below to see how long this takes"


def test_fixing_the_directive_clears_the_problem_and_underline(qtbot, editor):
    scripts = []
    editor.scriptChanged.connect(scripts.append)
    line = type_on_new_line(qtbot, editor, line_of("[pause 5s]"), "[paws 5s]")
    qtbot.waitUntil(lambda: editor.problems.count() == 1, timeout=5000)
    start = place(editor, line, 1)

    # Select "paws" and type "pause" over it, key by key.
    cursor = editor.text_edit.textCursor()
    cursor.setPosition(start + 1)
    cursor.setPosition(start + 5, QTextCursor.MoveMode.KeepAnchor)
    editor.text_edit.setTextCursor(cursor)
    qtbot.keyClicks(editor.text_edit, "pause")
    assert editor.text().split("\n")[line - 1] == "[pause 5s]"

    qtbot.waitUntil(lambda: editor.problems.count() == 0, timeout=5000)
    assert editor.errors() == []
    assert editor.text_edit.extraSelections() == []
    assert editor.problem_text_at(start) == ""
    assert editor.problems.isHidden()
    assert scripts[-1] is not None and scripts[-1] == editor.current_script()
    assert scripts[-1].sections[1].items[3] == Pause(5.0)


def test_an_error_after_wide_characters_is_underlined_at_its_column(qtbot, editor):
    # 🌿 is one character to the parser and two UTF-16 units to Qt (QTest cannot type it: pasted).
    line = type_on_new_line(qtbot, editor, line_of("Feel the weight of your body settling."), "Rest ")
    editor.text_edit.insertPlainText("🌿")
    qtbot.keyClicks(editor.text_edit, " here [bell]")
    qtbot.waitUntil(lambda: editor.problems.count() == 1, timeout=5000)
    (error,) = editor.errors()
    assert (error.line, error.column) == (line, len("Rest 🌿 here ") + 1)
    start = place(editor, line, error.column)
    assert (
        start - editor.text_edit.document().findBlockByNumber(line - 1).position() == len("Rest 🌿 here ") + 1
    )
    assert underlines(editor) == [(start, start + len("[bell]"))]
    assert "square brackets are only for directives" in editor.problem_text_at(start + 2)
    editor.move_cursor_to(error.line, error.column)
    assert editor.text_edit.textCursor().position() == start


def test_a_problem_with_nothing_to_underline_marks_its_whole_line(editor):
    editor.set_text(SCRIPT.replace("[pause 5s]", "[pause 5s"))  # no closing ]: underlined to the line's end
    start = place(editor, line_of("[pause 5s]"), 1)
    assert underlines(editor) == [(start, start + len("[pause 5s"))]

    editor.set_text("---\ntitle: Empty\nsummary: Nothing yet.\ntheme: empty\n---\n")
    (error,) = editor.errors()
    assert error.message.startswith("there is nothing to speak")
    (selection,) = editor.text_edit.extraSelections()
    assert selection.format.property(QTextCharFormat.Property.FullWidthSelection) is True
    assert editor.problem_text_at(place(editor, error.line, 1)) == error.describe()


def test_clicking_a_problem_moves_the_cursor_there(qtbot, editor):
    text = SCRIPT.replace("[bell]", "[bel]").replace("[pause 20s+]", "[pause 20x+]")
    editor.set_text(text)
    editor.show()
    qtbot.waitExposed(editor)
    assert [(e.line, e.column) for e in editor.errors()] == [(10, 1), (16, 8)]
    assert editor.problems.item(1).text().startswith("Line 16, column 8: 20x+ is not a pause length")
    editor.move_cursor_to(1, 1)

    item = editor.problems.item(1)
    rect = editor.problems.visualItemRect(item)
    qtbot.mouseClick(editor.problems.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert cursor_place(editor) == (16, 8)
    assert editor.text_edit.textCursor().block().text()[7:] == "20x+]"

    rect = editor.problems.visualItemRect(editor.problems.item(0))
    qtbot.mouseClick(editor.problems.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert cursor_place(editor) == (10, 1)


def test_set_text_checks_at_once_and_check_now_skips_the_wait(qtbot, editor):
    editor.set_text(SCRIPT.replace("theme: reconnection", "theme: Re Connection"))
    assert [(e.line, e.column, e.suggestion) for e in editor.errors()] == [(4, 1, "re-connection")]
    editor.set_text(SCRIPT)
    assert editor.errors() == []
    type_on_new_line(qtbot, editor, 7, "[paws 5s]")
    assert [e.line for e in editor.check_now()] == [8]
    assert editor.problems.count() == 1


def test_very_many_problems_are_listed_up_to_a_limit(editor):
    editor.set_text(SCRIPT + "\n".join(f"[oops {n}]" for n in range(300)))
    assert len(editor.errors()) == 300
    assert editor.problems.count() == MAX_SHOWN_PROBLEMS + 1
    assert editor.problems.item(MAX_SHOWN_PROBLEMS).text() == "… and 100 more problems: fix these first"
    assert len(underlines(editor)) == 300


# -- inserting ------------------------------------------------------------------------------

INSERTS = [
    ("insert_pause", "[pause 5s]", Pause(5.0)),
    ("insert_flexible_pause", "[pause 20s+]", Pause(20.0, flexible=True)),
    ("insert_bell", "[bell]", Bell()),
    ("insert_section", "# New section", None),
]
PLACES = {
    # where the cursor is -> the lines around the new one
    "blank line": (line_of("See their face as it is today.") - 1, 1),
    "end of a line": (line_of("Feel the weight of your body settling."), 39),
    "start of a line": (line_of("Feel the weight of your body settling."), 1),
    "middle of a line": (line_of("Feel the weight of your body settling."), 10),
}


@pytest.mark.parametrize("where", list(PLACES))
@pytest.mark.parametrize(("method", "inserted", "item"), INSERTS)
def test_each_insert_puts_valid_syntax_on_its_own_line(editor, method, inserted, item, where):
    line, column = PLACES[where]
    editor.move_cursor_to(line, column)
    getattr(editor, method)()

    lines = editor.text().split("\n")
    new_line = cursor_place(editor)[0]
    assert lines[new_line - 1] == inserted
    assert lines.count(inserted) == LINES.count(inserted) + 1
    # Nothing else changed: the other lines are the old ones, split where the cursor was.
    old = LINES[line - 1]
    if where == "middle of a line":
        assert lines[new_line - 2 : new_line + 1] == [old[: column - 1], inserted, old[column - 1 :]]
    elif where == "blank line":
        assert len(lines) == len(LINES)
    else:
        assert len(lines) == len(LINES) + 1 and old in lines
    script = parse_script(editor.text())
    assert editor.check_now() == []
    if item is None:
        assert Section("New section") in [Section(s.title) for s in script.sections]
        assert editor.text_edit.textCursor().selectedText() == "New section"  # typing names it
    else:
        assert any(found == item and found.line == new_line for _, found in script.items())
    assert editor.is_modified()


def test_an_insert_in_the_front_matter_goes_to_the_start_of_the_body(editor):
    editor.move_cursor_to(2, 5)
    editor.insert_bell()
    assert editor.text().split("\n")[5:8] == ["---", "[bell]", "Settle in before anything begins."]
    assert editor.check_now() == []


def test_an_insert_is_one_undo_step(editor):
    editor.move_cursor_to(line_of("Feel the weight of your body settling."), 10)
    editor.insert_flexible_pause()
    editor.text_edit.undo()
    assert editor.text() == SCRIPT


def test_the_insert_bar_has_named_buttons_with_shortcuts(qtbot, editor):
    buttons = {
        button.text(): button
        for button in editor.insert_bar.findChildren(QToolButton)
        if button.objectName() == "insertButton"
    }
    assert list(buttons) == ["Pause", "Flexible pause", "Bell", "Section"]
    keys = {name: button.defaultAction().shortcut().toString() for name, button in buttons.items()}
    assert keys == {
        "Pause": "Ctrl+Shift+P",
        "Flexible pause": "Ctrl+Shift+F",
        "Bell": "Ctrl+Shift+B",
        "Section": "Ctrl+Shift+S",
    }
    for name, button in buttons.items():
        assert button.accessibleName() == f"Insert {name.lower()}"
        assert keys[name] in button.toolTip()
    assert editor.problems.accessibleName() and editor.length_label.accessibleName()
    assert editor.text_edit.accessibleName() == "Script text"

    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=5000)
    editor.move_cursor_to(line_of("Settle in before anything begins."), 1)
    qtbot.keyClick(
        editor.text_edit,
        Qt.Key.Key_B,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert editor.text().split("\n")[6:8] == ["[bell]", "Settle in before anything begins."]

    qtbot.mouseClick(buttons["Pause"], Qt.MouseButton.LeftButton)
    assert editor.text().split("\n")[6:9] == ["[bell]", "[pause 5s]", "Settle in before anything begins."]


# -- state ----------------------------------------------------------------------------------


def test_set_text_resets_modified_and_undo(qtbot, editor):
    edits = []
    editor.textChanged.connect(lambda: edits.append(editor.text()))
    assert not editor.is_modified()
    type_on_new_line(qtbot, editor, 7, "Softly.")
    assert editor.is_modified()
    assert edits[-1].split("\n")[7] == "Softly."
    count = len(edits)

    editor.set_text(SCRIPT)
    assert not editor.is_modified()
    assert len(edits) == count  # loading is not an edit
    assert not editor.text_edit.document().isUndoAvailable()
    editor.set_modified(True)
    assert editor.is_modified()


def test_read_only_prevents_typing_and_inserting(qtbot, editor):
    editor.set_read_only(True)
    editor.move_cursor_to(7, 1)
    qtbot.keyClicks(editor.text_edit, "changed")
    editor.insert_pause()
    editor.insert_section()
    assert editor.text() == SCRIPT
    assert not editor.is_modified()
    assert not any(action.isEnabled() for action in editor.insert_bar.actions() if action.text())
    editor.set_read_only(False)
    qtbot.keyClicks(editor.text_edit, "A")
    assert editor.text().split("\n")[6] == "ASettle in before anything begins."


def test_a_dropped_file_is_left_to_the_window(editor):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile("/tmp/my-script.md")])
    event = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    editor.text_edit.dragEnterEvent(event)
    assert not event.isAccepted()


# -- cursor queries -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "section", "paragraph"),
    [
        ("title: Coming Home", 0, ""),
        ("Settle in before anything begins.", 0, "Settle in before anything begins."),
        ("# Arriving", 1, ""),
        ("[bell]", 1, ""),
        (
            "Feel the weight of your body settling.",
            1,
            "Let yourself land here, just as you are. Feel the weight of your body settling.",
        ),
        ("// slow down here", 1, ""),
        ("Breathe in, and let the breath go.", 1, "Breathe in, and let the breath go."),
        ("# Turning toward them", 2, ""),
        (
            "Bring to mind the person you share your life with.",
            2,
            "Bring to mind the person you share your life with.",
        ),
        ("See their face as it is today.", 2, "See their face as it is today."),
    ],
)
def test_section_and_paragraph_at_the_cursor(editor, text, section, paragraph):
    script = editor.current_script()
    assert [s.title for s in script.sections] == [None, "Arriving", "Turning toward them"]
    editor.move_cursor_to(line_of(text), 3)
    assert editor.section_index_at_cursor() == section
    assert editor.paragraph_at_cursor() == paragraph


def test_paragraph_at_the_cursor_while_the_script_has_errors(editor):
    editor.set_text(SCRIPT.replace("[bell]", "[bel]"))
    assert editor.current_script() is None
    editor.move_cursor_to(line_of("Let yourself land here, just as you are."), 1)
    assert editor.paragraph_at_cursor() == (
        "Let yourself land here, just as you are. Feel the weight of your body settling."
    )
    editor.move_cursor_to(line_of("[bell]"), 1)
    assert editor.paragraph_at_cursor() == ""
    assert editor.section_index_at_cursor() == 0


def test_queries_see_text_typed_just_now(qtbot, editor):
    # The page asks right after a keystroke, before the debounced check has run.
    line = type_on_new_line(qtbot, editor, line_of("See their face as it is today."), "# Closing")
    qtbot.keyClick(editor.text_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.text_edit, "Thank yourself.")
    assert editor.section_index_at_cursor() == 3
    assert editor.paragraph_at_cursor() == "Thank yourself."
    assert editor.current_script().sections[3] == Section("Closing", (Speech(("Thank yourself.",)),))
    assert cursor_place(editor)[0] == line + 1


# -- the length line ------------------------------------------------------------------------


def test_the_length_line_shows_the_estimate_and_the_exact_length(qtbot, editor):
    from app.render.estimate import estimate_lengths

    expected = estimate_lengths(editor.current_script()).describe()
    assert expected and editor.length_label.text() == f"Estimated length: {expected}"

    editor.set_speaking_rate(90)
    slower = estimate_lengths(editor.current_script(), 90).describe()
    assert editor.length_label.text() == f"Estimated length: {slower}"

    editor.set_exact_lengths("Plays for 10 min")
    assert editor.exact_label.text() == "Plays for 10 min" and not editor.exact_label.isHidden()
    type_on_new_line(qtbot, editor, 7, "More words to speak, slowly and kindly.")
    assert editor.exact_label.isHidden()  # the rendering was of the text before this edit
    qtbot.waitUntil(lambda: editor.length_label.text() != f"Estimated length: {slower}", timeout=5000)
    longer = estimate_lengths(editor.current_script(), 90)
    assert editor.length_label.text() == f"Estimated length: {longer.describe()}"


# -- colours --------------------------------------------------------------------------------


def formats_of(editor: ScriptEditor, line: int) -> list:
    block = editor.text_edit.document().findBlockByNumber(line - 1)
    return [(r.start, r.length, QTextCharFormat(r.format)) for r in block.layout().formats()]


def palette_of(colours: dict[str, str]) -> QPalette:
    palette = QPalette()
    for role, name in (
        (QPalette.ColorRole.Base, "CARD"),
        (QPalette.ColorRole.Text, "TEXT"),
        (QPalette.ColorRole.Highlight, "ACCENT"),
        (QPalette.ColorRole.Mid, "MUTED"),
        (QPalette.ColorRole.Window, "BASE"),
        (QPalette.ColorRole.WindowText, "TEXT"),
    ):
        palette.setColor(role, QColor(colours[name]))
    return palette


KINDS = {
    "key": ("title: Coming Home", 0, len("title:")),
    "heading": ("# Arriving", 0, len("# Arriving")),
    "directive": ("[pause 5s]", 0, len("[pause 5s]")),
    "flexible": ("[pause 20s+]", 0, len("[pause 20s+]")),
    "comment": ("// slow down here", 0, len("// slow down here")),
}


@pytest.mark.parametrize("colours", [LIGHT, DARK], ids=["light", "dark"])
def test_each_kind_of_line_has_its_own_readable_look(editor, colours):
    editor.setPalette(palette_of(colours))
    base = QColor(colours["CARD"])
    assert (
        formats_of(editor, line_of("Let yourself land here, just as you are.")) == []
    )  # spoken text is plain
    looks = {}
    for kind, (text, start, length) in KINDS.items():
        ((range_start, range_length, fmt),) = formats_of(editor, line_of(text))
        assert (range_start, range_length) == (start, length), kind
        colour = fmt.foreground().color()
        assert colour != QColor(colours["TEXT"]), kind
        assert contrast(colour, base) >= (3.0 if kind == "comment" else 4.5), kind
        looks[kind] = (colour.name(), fmt.fontWeight(), fmt.fontItalic(), fmt.background().color().name())
    assert looks["heading"][1] == QFont.Weight.Bold
    assert looks["comment"][2] is True
    assert looks["flexible"] != looks["directive"]  # a flexible pause stands apart from a fixed one
    assert len({look[0] for look in looks.values()}) >= 3
    # The value of a front-matter field and the --- lines are not keys.
    ((_, length, _),) = formats_of(editor, line_of("title: Coming Home"))
    assert length == len("title:")
    assert (
        formats_of(editor, 1)[0][2].foreground().color() == formats_of(editor, 6)[0][2].foreground().color()
    )


def test_the_colours_follow_a_theme_change(editor):
    editor.setPalette(palette_of(LIGHT))
    light = formats_of(editor, line_of("# Arriving"))[0][2].foreground().color()
    editor.setPalette(palette_of(DARK))
    dark = formats_of(editor, line_of("# Arriving"))[0][2].foreground().color()
    assert light != dark
    assert light.lightness() < dark.lightness()


def test_a_script_without_front_matter_is_coloured_as_body(editor):
    editor.set_text("# Alone\n[pause 5s]\ntitle: not a key here\n")
    assert formats_of(editor, 1) and formats_of(editor, 2)
    assert formats_of(editor, 3) == []


def test_pace_and_care_notes_show_under_a_valid_script_and_lead_to_their_line(qtbot, editor):
    editor.show()
    qtbot.waitExposed(editor)
    # "Breathe in, and let the breath go." asks for both breaths in one go: a gentle note.
    breath_line = line_of("Breathe in, and let the breath go.")
    assert editor.errors() == [] and editor.notes.isVisible()
    texts = [editor.notes.item(i).text() for i in range(editor.notes.count())]
    assert any(text.startswith(f"Line {breath_line} · ") for text in texts), texts
    assert not editor.problems.isVisible()  # advice, not a problem: nothing blocks playing

    editor.move_cursor_to(1, 1)
    row = next(i for i, text in enumerate(texts) if text.startswith(f"Line {breath_line} · "))
    rect = editor.notes.visualItemRect(editor.notes.item(row))
    qtbot.mouseClick(editor.notes.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert cursor_place(editor)[0] == breath_line

    # Each breath given its own time: that note goes.
    editor.set_text(
        SCRIPT.replace(
            "Breathe in, and let the breath go.", "Breathe in.\n[pause 4s]\nAnd breathe out.\n[pause 5s]"
        )
    )
    texts = [editor.notes.item(i).text() for i in range(editor.notes.count())]
    assert not any(f"Line {breath_line} · " in text for text in texts)


def test_no_notes_while_the_script_has_problems(qtbot, editor):
    editor.set_text(SCRIPT.replace("[bell]", "[bel]"))
    assert editor.errors() and editor.notes.count() == 0 and editor.notes.isHidden()
