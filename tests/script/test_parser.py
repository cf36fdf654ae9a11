import time

import pytest

from app.script import (
    MAX_FILE_BYTES,
    MAX_LENGTH_SECONDS,
    MAX_PAUSE_SECONDS,
    Bell,
    Comment,
    Meta,
    Pause,
    Script,
    ScriptError,
    ScriptErrors,
    Section,
    Speech,
    load_script,
    parse_script,
)

# Five lines, so the body starts on line 6.
HEAD = "---\ntitle: Choosing Compassion\nsummary: A short practice.\ntheme: choice\n---\n"
META = Meta(title="Choosing Compassion", summary="A short practice.", theme="choice")

DESIGN_EXAMPLE = """\
---
title: Choosing Compassion          # required
summary: A short practice for ...   # required, one or two sentences
theme: choice                       # required, a short slug
tags: [self-compassion, conflict]   # optional
durations: [5m, 10m, 20m]           # optional: lengths offered, the first the default;
                                    # without it: the natural length (pauses at base)
ambience: rain                      # optional default background (a name in audio/)
---
# Arriving
Let your body settle into the chair beneath you.
Notice where you are holding on.

[pause 5s]
Breathe in ... and let the breath go.
[pause 20s+]
[bell]
// a note for the author; never spoken
"""


def body(text: str) -> Script:
    return parse_script(HEAD + text)


def errors_of(text: str) -> tuple[ScriptError, ...]:
    with pytest.raises(ScriptErrors) as caught:
        parse_script(text)
    return caught.value.errors


def only_error(text: str) -> ScriptError:
    errors = errors_of(text)
    assert len(errors) == 1, [str(error) for error in errors]
    return errors[0]


def place(error: ScriptError) -> tuple[int, int]:
    return error.line, error.column


# -- the example of DESIGN.md ---------------------------------------------------


def test_the_design_example_parses_to_its_structure():
    script = parse_script(DESIGN_EXAMPLE, source="choosing.md")
    assert script.meta == Meta(
        title="Choosing Compassion",
        summary="A short practice for ...",
        theme="choice",
        tags=("self-compassion", "conflict"),
        durations=(300.0, 600.0, 1200.0),
        ambience="rain",
    )
    assert script.sections == (
        Section(
            "Arriving",
            (
                Speech(
                    ("Let your body settle into the chair beneath you.", "Notice where you are holding on.")
                ),
                Pause(5.0),
                Speech(("Breathe in ... and let the breath go.",)),
                Pause(20.0, flexible=True),
                Bell(),
                Comment("a note for the author; never spoken"),
            ),
        ),
    )
    assert script.source == "choosing.md"
    assert script.default_length == 300.0


def test_items_remember_their_file_lines():
    script = parse_script(DESIGN_EXAMPLE)
    section = script.sections[0]
    assert section.line == 10
    assert [item.line for item in section.items] == [11, 14, 15, 16, 17, 18]


# -- body structure -------------------------------------------------------------


def test_text_before_the_first_heading_goes_into_an_untitled_section():
    script = body("Settle.\n# Arriving\nBreathe.\n")
    assert script.sections == (
        Section(None, (Speech(("Settle.",)),)),
        Section("Arriving", (Speech(("Breathe.",)),)),
    )


def test_no_untitled_section_when_the_body_starts_with_a_heading():
    assert [section.title for section in body("# Arriving\nBreathe.\n").sections] == ["Arriving"]
    # Blank lines alone do not make the untitled section either.
    assert [section.title for section in body("\n\n  \n# Arriving\nBreathe.\n").sections] == ["Arriving"]


def test_a_comment_before_the_first_heading_makes_the_untitled_section():
    script = body("// draft\n# Arriving\nBreathe.\n")
    assert script.sections[0] == Section(None, (Comment("draft"),))
    assert script.sections[0].line == 6


def test_consecutive_lines_form_one_paragraph_and_are_stripped():
    script = body("  Let your body settle.\n\tNotice the chair.   \n")
    assert script.sections[0].items == (Speech(("Let your body settle.", "Notice the chair.")),)
    assert script.sections[0].items[0].text == "Let your body settle. Notice the chair."


@pytest.mark.parametrize("separator", ["", "   ", "// note", "[pause 1s]", "[bell]"])
def test_blank_comment_and_directive_lines_end_a_paragraph(separator):
    items = body(f"One.\n{separator}\nTwo.\n").sections[0].items
    speeches = [item for item in items if isinstance(item, Speech)]
    assert speeches == [Speech(("One.",)), Speech(("Two.",))]


def test_a_heading_ends_a_paragraph():
    script = body("One.\n# Next\nTwo.\n")
    assert script.sections[0].items == (Speech(("One.",)),)
    assert script.sections[1].items == (Speech(("Two.",)),)


def test_comments_only_at_the_start_of_a_line():
    script = body("   //   indented note  \nBreathe // still spoken\n//\n")
    assert script.sections[0].items == (
        Comment("indented note"),
        Speech(("Breathe // still spoken",)),
        Comment(""),
    )


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("# Arriving", "Arriving"),
        ("### Deeper", "Deeper"),
        ("#NoSpace", "NoSpace"),
        ("  #  Spaced  ", "Spaced"),
        ("# #1 of 3", "#1 of 3"),
        ("# Breath [in]", "Breath [in]"),
    ],
)
def test_headings(line, title):
    script = body(f"{line}\nBreathe.\n")
    assert script.sections[0].title == title


def test_empty_sections_are_kept():
    script = body("# One\n# Two\nBreathe.\n")
    assert script.sections == (Section("One"), Section("Two", (Speech(("Breathe.",)),)))


def test_a_heading_without_text_is_an_error_at_the_hash():
    error = only_error(HEAD + "Breathe.\n  ##  \n")
    assert place(error) == (7, 3)
    assert error.message == "a heading needs a title after the #, like # Arriving"


# -- directives -----------------------------------------------------------------


def test_pauses_fixed_and_flexible():
    items = (
        body("[pause 5s]\n[pause 1m30s]\n[pause 20s+]\n  [ pause   500ms ]  \n[pause 1.5s]\n")
        .sections[0]
        .items
    )
    assert items == (Pause(5.0), Pause(90.0), Pause(20.0, flexible=True), Pause(0.5), Pause(1.5))


def test_bells_default_and_named():
    items = body("[bell]\n[bell deep-bowl]\n[bell 2]\nBreathe.\n").sections[0].items
    assert items[:3] == (Bell(), Bell("deep-bowl"), Bell("2"))


def test_unknown_directive_message_of_the_design():
    text = HEAD + "Breathe.\n" + "\n" * 7 + "[paws 5s]\n"
    error = only_error(text)
    assert str(error) == "line 14, column 1: unknown directive [paws 5s]; did you mean [pause 5s]?"


def test_the_right_directive_in_the_wrong_case_is_an_error_with_the_lowercase_form():
    error = only_error(HEAD + "Breathe.\n[Pause 5s]\n")
    assert place(error) == (7, 1)
    assert error.suggestion == "[pause 5s]"
    assert "lowercase" in error.message
    assert only_error(HEAD + "Breathe.\n[BELL]\n").suggestion == "[bell]"


def test_a_directive_without_the_space_gets_one_suggested():
    assert only_error(HEAD + "Breathe.\n[pause5s]\n").suggestion == "[pause 5s]"
    assert only_error(HEAD + "Breathe.\n[bels]\n").suggestion == "[bell]"


def test_an_unknown_directive_with_nothing_close_lists_the_directives():
    error = only_error(HEAD + "Breathe.\n[softly]\n")
    assert error.suggestion is None
    assert error.message.startswith("unknown directive [softly]: the directives are [pause 5s], [pause 20s+]")


def test_empty_brackets():
    error = only_error(HEAD + "Breathe.\n [  ]\n")
    assert place(error) == (7, 2)
    assert error.message.startswith("empty brackets []")


@pytest.mark.parametrize("directive", ["[pause]", "[pause   ]"])
def test_a_pause_without_length_points_at_the_bracket(directive):
    error = only_error(HEAD + f"Breathe.\n  {directive}\n")
    assert place(error) == (7, 3)
    assert error.message == "a pause needs a length like [pause 5s] or [pause 20s+]"


@pytest.mark.parametrize(
    ("directive", "column", "suggestion"),
    [
        ("[pause five]", 8, None),
        ("[pause 5]", 8, "[pause 5s]"),
        ("[pause 5+]", 8, "[pause 5s+]"),
        ("[pause 5min]", 8, "[pause 5m]"),
        ("[pause 20sec+]", 8, "[pause 20s+]"),
        ("[pause  -3s]", 9, "[pause 3s]"),
        ("[pause 30s1m]", 8, None),
    ],
)
def test_a_bad_pause_length_points_at_the_length(directive, column, suggestion):
    error = only_error(HEAD + f"Breathe.\n{directive}\n")
    assert place(error) == (7, column)
    assert "a pause needs a length like [pause 5s] or [pause 20s+]" in error.message
    assert error.suggestion == suggestion


def test_a_zero_pause_is_refused():
    error = only_error(HEAD + "Breathe.\n[pause 0s]\n")
    assert place(error) == (7, 8)
    assert "a pause needs a length like [pause 5s] or [pause 20s+]" in error.message


def test_a_pause_may_last_up_to_an_hour_but_not_longer():
    assert body("[pause 60m]\n").sections[0].items == (Pause(MAX_PAUSE_SECONDS),)
    assert body("[pause 1h+]\n").sections[0].items == (Pause(3600.0, flexible=True),)
    error = only_error(HEAD + "[pause 60m1ms]\n")
    assert place(error) == (6, 8)
    assert (
        error.message
        == "[pause 60m1ms] is longer than 60 minutes, the longest a single pause can be: shorten it"
    )


def test_a_pause_written_with_spaces_gets_the_joined_form_suggested():
    error = only_error(HEAD + "[pause 1m 30s]\n")
    assert place(error) == (6, 8)
    assert error.suggestion == "[pause 1m30s]"


def test_pauses_adding_up_to_more_than_three_hours_are_refused_once():
    text = HEAD + "[pause 60m]\n" * 3 + "[pause 1s]\n[pause 1s]\n"
    error = only_error(text)
    assert place(error) == (9, 1)
    assert "3h" in error.message
    assert sum(item.seconds for item in body("[pause 60m]\n" * 3).sections[0].items) == MAX_LENGTH_SECONDS


@pytest.mark.parametrize(
    ("directive", "column", "suggestion"),
    [("[bell Deep]", 7, "[bell deep]"), ("[bell deep bowl]", 7, "[bell deep-bowl]"), ("[bell _]", 7, None)],
)
def test_bell_names_must_be_slugs(directive, column, suggestion):
    error = only_error(HEAD + f"Breathe.\n{directive}\n")
    assert place(error) == (7, column)
    assert error.suggestion == suggestion


def test_an_unclosed_directive_points_at_the_bracket():
    error = only_error(HEAD + "Breathe.\n\t[pause 5s\n")
    assert place(error) == (7, 2)
    assert "has no closing ]" in error.message


def test_text_after_a_directive_points_at_the_text():
    error = only_error(HEAD + "Breathe.\n[pause 5s]   and relax\n")
    assert place(error) == (7, 14)
    assert error.message.startswith("text after [pause 5s]")


def test_square_brackets_inside_a_spoken_line_point_at_the_bracket():
    error = only_error(HEAD + "Breathe [softly] in\n")
    assert place(error) == (6, 9)
    assert error.message.startswith("square brackets are only for directives")
    # A line that starts with a word is spoken text, even if a directive follows.
    assert place(only_error(HEAD + "  Breathe in [pause 5s]\n")) == (6, 14)


# -- front matter ---------------------------------------------------------------


def test_optional_fields_default_to_empty():
    script = body("Breathe.\n")
    assert script.meta == META
    assert script.default_length is None


def test_all_fields_and_their_forms():
    script = parse_script(
        "---\ntitle: '  Love: a practice  '\nsummary: >\n  Two lines\n  folded.\ntheme: choice-2\n"
        "tags: conflict\ndurations: 1h5m\nambience: soft-rain\n---\nBreathe.\n"
    )
    assert script.meta == Meta(
        title="Love: a practice",
        summary="Two lines folded.",
        theme="choice-2",
        tags=("conflict",),
        durations=(3900.0,),
        ambience="soft-rain",
    )


def test_durations_keep_the_authors_order_and_allow_three_hours():
    script = parse_script(HEAD.replace("---\n", "---\ndurations: [20m, 5m, 3h, 1m30s]\n", 1) + "Breathe.\n")
    assert script.meta.durations == (1200.0, 300.0, 10800.0, 90.0)
    assert script.default_length == 1200.0


def test_empty_optional_fields_are_absent():
    script = parse_script(HEAD.replace("---\n", "---\ntags:\ndurations: []\nambience:\n", 1) + "Breathe.\n")
    assert script.meta == META


def test_duration_errors_point_at_the_durations_line():
    text = (
        "---\ntitle: T\nsummary: S\ntheme: t\ndurations: [10, 5min, 0s, 4h, 5m, 300s, true, five]\n---\nHi.\n"
    )
    errors = errors_of(text)
    assert all(place(error) == (5, 1) for error in errors)
    assert [error.describe() for error in errors] == [
        "duration 10 has no unit: write a unit, e.g. 10m",
        "duration 5min is not a length: unknown unit min; write lengths like [5m, 10m, 20m]"
        "; did you mean 5m?",
        "duration 0s must be longer than 0",
        "duration 4h is longer than 3h, the longest a session can be",
        "duration 300s is listed twice: remove one",
        'each duration must be a length like 5m, not true/false: put it in quotes, like "true"',
        "duration five is not a length: it does not start with a number; write lengths like [5m, 10m, 20m]",
    ]


def test_unknown_fields_get_a_suggestion():
    error = only_error(HEAD.replace("title:", "titel:") + "Breathe.\n")
    assert place(error) == (2, 1)
    assert str(error) == "line 2, column 1: unknown field titel; did you mean title?"


def test_unknown_fields_without_a_close_match_list_the_fields():
    error = only_error(HEAD.replace("---\n", "---\nvoice: anna\n", 1) + "Breathe.\n")
    assert place(error) == (2, 1)
    assert (
        error.message
        == "unknown field voice: the fields are title, summary, theme, tags, durations, ambience, "
        "pronounce and safety"
    )


def test_a_non_text_key_is_an_unknown_field_on_its_line():
    error = only_error(HEAD.replace("theme: choice\n", "theme: choice\n2024: yes\n") + "Breathe.\n")
    assert place(error) == (5, 1)
    assert error.message.startswith("unknown field 2024")


def test_missing_required_fields_point_at_the_opening_line():
    errors = errors_of("---\nsummary: S\n---\nBreathe.\n")
    assert [(place(error), error.message) for error in errors] == [
        ((1, 1), "the front matter has no title: add a line like title: Choosing Compassion"),
        ((1, 1), "the front matter has no theme: add a line like theme: choice"),
    ]


def test_empty_front_matter_misses_all_three_fields():
    assert [error.message.split(":")[0] for error in errors_of("---\n---\nBreathe.\n")] == [
        "the front matter has no title",
        "the front matter has no summary",
        "the front matter has no theme",
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("title: 2024", 'title must be text, not a number: put it in quotes, like "2024"'),
        ("title: yes", 'title must be text, not true/false: put it in quotes, like "yes"'),
        ("title: [a, b]", "title must be text, not a list"),
        ("title:", "title is empty: write it after the colon, like title: Choosing Compassion"),
        ("title: '   '", "title is empty: write it after the colon, like title: Choosing Compassion"),
        ("theme: on", 'theme must be a short name like choice, not true/false: put it in quotes, like "on"'),
        ("theme:", "theme is empty: write a short name after the colon, like theme: choice"),
        ("tags: {a: 1}", "tags must be a list like [self-compassion, conflict], not a set of fields"),
        ("tags: [ok, 3]", 'each tag must be text, not a number: put it in quotes, like "3"'),
        ("tags: [ok, '']", "a tag is empty: remove it or write a word"),
        ("durations: {a: 1}", "durations must be a list of lengths like [5m, 10m, 20m], not a set of fields"),
        ("ambience: 3", 'ambience must be a short name like rain, not a number: put it in quotes, like "3"'),
    ],
)
def test_wrong_types_name_the_field_and_what_was_expected(line, message):
    field = line.split(":")[0]
    lines = ["---", "title: T", "summary: S", "theme: t"]
    lines = [item for item in lines if not item.startswith(field + ":")] + [line, "---", "Breathe."]
    error = only_error("\n".join(lines))
    assert error.message == message
    assert place(error) == (lines.index(line) + 1, 1)


def test_a_theme_that_is_not_a_slug_gets_one_suggested():
    error = only_error(HEAD.replace("theme: choice", "theme: Self Compassion") + "Breathe.\n")
    assert place(error) == (4, 1)
    assert error.suggestion == "self-compassion"


def test_a_misspelt_field_is_not_also_reported_missing():
    errors = errors_of("---\nTitle: T\nsummary: S\ntheme: t\n---\nBreathe.\n")
    assert [error.describe() for error in errors] == ["unknown field Title; did you mean title?"]


def test_a_field_given_twice_is_an_error_at_the_second():
    error = only_error(HEAD.replace("theme: choice\n", "theme: choice\ntitle: Again\n") + "Breathe.\n")
    assert place(error) == (5, 1)
    assert error.message == "title is given twice: keep one of them"


def test_missing_front_matter_is_reported_and_the_body_still_checked():
    errors = errors_of("Breathe.\n[paws 5s]\n")
    assert [place(error) for error in errors] == [(1, 1), (2, 1)]
    assert errors[0].message.startswith("a script must start with front matter: a line ---")
    assert "title, summary and theme" in errors[0].message


def test_front_matter_after_blank_lines_is_read_but_must_move_to_line_one():
    errors = errors_of("\n\n" + HEAD + "[paws 5s]\n")
    assert [place(error) for error in errors] == [(1, 1), (8, 1)]
    assert "remove the blank lines before the --- on line 3" in errors[0].message


def test_unclosed_front_matter():
    error = only_error("---\ntitle: T\nsummary: S\ntheme: t\nBreathe.\n")
    assert place(error) == (1, 1)
    assert error.message == "the front matter is never closed: add a line --- after its last field"


def test_a_yaml_syntax_error_points_at_its_file_line_and_column():
    error = only_error("---\ntitle: T\nsummary: Love: a practice\ntheme: t\n---\nBreathe.\n")
    assert place(error) == (3, 14)
    assert error.message.startswith(
        "the front matter is not valid YAML (mapping values are not allowed here)"
    )


def test_a_yaml_error_does_not_hide_body_errors():
    errors = errors_of("---\ntitle: 'T\n---\n[paws 5s]\n")
    assert len(errors) == 2
    assert errors[0].message.startswith("the front matter is not valid YAML")
    assert place(errors[1]) == (4, 1)


def test_a_tab_in_the_front_matter_is_explained():
    error = only_error("---\ntitle:\tT\nsummary: S\ntheme: t\n---\nBreathe.\n")
    assert place(error) == (2, 7)
    assert error.message == "the front matter has a tab here: YAML needs spaces instead of tabs"


def test_front_matter_that_is_not_fields():
    error = only_error("---\n- title\n- summary\n---\nBreathe.\n")
    assert place(error) == (2, 1)
    assert error.message.startswith("the front matter must be fields, one per line")


def test_a_character_yaml_forbids_is_placed():
    error = only_error("---\ntitle: T\nsummary: S\x00\ntheme: t\n---\nBreathe.\n")
    assert place(error) == (3, 11)
    assert "U+0000" in error.message


def test_an_impossible_date_is_placed_on_its_line():
    error = only_error(HEAD.replace("theme: choice\n", "theme: choice\nwritten: 2024-13-40\n") + "Breathe.\n")
    assert place(error) == (5, 1)
    assert "month must be in 1..12" in error.message


def test_an_alias_bomb_is_answered_quickly():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    text = "---\n" + "\n".join(levels) + "\ntags: *a9\ntitle: T\nsummary: S\ntheme: t\n---\nBreathe.\n"
    started = time.monotonic()
    errors = errors_of(text)
    assert time.monotonic() - started < 2
    assert errors[-1].message == "each tag must be text, not a list"


def test_deeply_nested_yaml_is_an_error_not_a_crash():
    errors = errors_of("---\ntitle: " + "[" * 5000 + "\n---\nBreathe.\n")
    assert errors[0].line == 2


# -- whole-script checks and limits ---------------------------------------------


def test_all_errors_are_reported_sorted_by_place():
    text = HEAD.replace("title:", "titel:") + "Breathe [in].\n[paws 5s]\n[pause]\n#\n"
    with pytest.raises(ScriptErrors) as caught:
        parse_script(text, source="demo.md")
    assert [place(error) for error in caught.value.errors] == [(2, 1), (6, 9), (7, 1), (8, 1), (9, 1)]
    lines = str(caught.value).splitlines()
    assert lines[0] == "demo.md:2:1: unknown field titel; did you mean title?"
    assert caught.value.source == "demo.md"


@pytest.mark.parametrize("text", ["", "# Only a heading\n", "[bell]\n// note\n", "\n\n"])
def test_nothing_to_speak_and_no_pause_is_refused(text):
    error = only_error(HEAD + text)
    assert error.message == "there is nothing to speak and no pause: add a line of text or a [pause]"
    assert place(error) == (6, 1)


def test_a_pause_alone_is_enough():
    assert body("[pause 5s]").sections == (Section(None, (Pause(5.0),)),)


def test_nothing_to_speak_is_not_added_to_a_body_error():
    assert only_error(HEAD + "[paws 5s]\n").message.startswith("unknown directive")


def test_a_text_over_the_size_limit_is_refused_with_one_error():
    text = HEAD + "Breathe.\n" + "// " + "x" * MAX_FILE_BYTES + "\n"
    error = only_error(text)
    assert place(error) == (1, 1)
    assert f"{len(text.encode()):,} bytes" in error.message
    assert "1,048,576 bytes (1 MB)" in error.message


def test_the_size_limit_counts_utf8_bytes():
    filler = "é" * (MAX_FILE_BYTES // 2 + 100)  # fewer characters than the limit, more bytes
    assert len(filler) < MAX_FILE_BYTES < len(filler.encode())
    assert "more than the limit" in only_error(HEAD + "Breathe.\n// " + filler).message
    fitting = "Breathe.\n// " + "é" * ((MAX_FILE_BYTES - 200) // 2)
    assert len((HEAD + fitting).encode()) <= MAX_FILE_BYTES
    assert body(fitting).meta == META


def test_crlf_cr_and_a_bom_are_read_like_lf():
    expected = body("# A\nOne.\nTwo.\n\n[pause 5s]\n")
    crlf = "\ufeff" + (HEAD + "# A\nOne.\nTwo.\n\n[pause 5s]\n").replace("\n", "\r\n")
    assert parse_script(crlf) == expected
    assert parse_script(crlf.replace("\r\n", "\r")) == expected
    # Line numbers stay those of the file.
    assert place(only_error(crlf.replace("[pause 5s]", "[paws 5s]"))) == (10, 1)


def test_weird_text_is_spoken_not_crashed_on():
    script = body("Breathe\x00 in\u2028out\x85 \U0001f600\n")
    assert script.sections[0].items == (Speech(("Breathe\x00 in\u2028out\x85 \U0001f600",)),)


# -- load_script ----------------------------------------------------------------


def test_load_script_reads_a_file(tmp_path):
    path = tmp_path / "choosing.md"
    path.write_bytes(b"\xef\xbb\xbf" + DESIGN_EXAMPLE.replace("\n", "\r\n").encode())
    script = load_script(path)
    assert script == parse_script(DESIGN_EXAMPLE)
    assert script.source == str(path)
    assert load_script(str(path)) == script


def test_load_script_reports_errors_with_the_file_name(tmp_path):
    path = tmp_path / "bad.md"
    path.write_text(HEAD + "[paws 5s]\n", encoding="utf-8")
    with pytest.raises(ScriptErrors) as caught:
        load_script(path)
    assert str(caught.value) == f"{path}:6:1: unknown directive [paws 5s]; did you mean [pause 5s]?"


def test_load_script_refuses_a_file_over_the_limit(tmp_path):
    path = tmp_path / "big.md"
    path.write_bytes(b"x" * (MAX_FILE_BYTES + 10))
    with pytest.raises(ScriptErrors) as caught:
        load_script(path)
    (error,) = caught.value.errors
    assert place(error) == (1, 1)
    assert error.message.startswith("the file is 1,048,586 bytes, more than the limit of 1,048,576 bytes")


def test_load_script_places_bytes_that_are_not_utf8(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes((HEAD + "Caf\xe9 time.\r\nOK.\n\xe9t\xe9\n").encode("latin-1"))
    with pytest.raises(ScriptErrors) as caught:
        load_script(path)
    assert [place(error) for error in caught.value.errors] == [(6, 4), (8, 1)]
    assert caught.value.errors[0].message.startswith("this is not UTF-8 text (byte 0xe9 cannot be read)")


def test_load_script_counts_columns_in_characters_after_a_bom(tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf\xc3\xa9\xff")
    with pytest.raises(ScriptErrors) as caught:
        load_script(path)
    assert [place(error) for error in caught.value.errors] == [(1, 2)]


def test_load_script_lets_a_missing_file_raise(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_script(tmp_path / "missing.md")


# -- message style --------------------------------------------------------------


def test_messages_start_lowercase_and_have_no_final_period():
    text = (
        "---\ntitel: T\nsummary: 3\ntheme: A B\ndurations: [5, 1x]\ntags: {a: b}\nambience: Rain\n---\n"
        "Hi [there]\n[paws 5s]\n[Pause 5s]\n[pause]\n[pause five]\n[pause 0s]\n[pause 90m]\n[bell A B]\n"
        "[pause 5s] x\n[pause 5s\n[]\n#\n"
    )
    errors = errors_of(text)
    assert len(errors) >= 15
    for error in errors:
        assert error.message[:1].islower() or error.message.startswith("["), error.message
        assert not error.describe().endswith("."), error.message


def test_a_tab_used_for_indentation_is_explained_on_its_line():
    error = only_error(HEAD.replace("---\n", "---\ntags:\n\t- a\n", 1) + "Breathe.\n")
    assert place(error) == (3, 1)
    assert "tab" in error.message


def test_an_empty_ambience_is_no_ambience():
    assert (
        body("Breathe.\n").meta == parse_script(HEAD.replace("---\n", "---\nambience: ''\n", 1) + "Hi.").meta
    )


def test_a_huge_front_matter_is_refused_without_reading_it(monkeypatch):
    from app.script import front_matter
    from app.script.parser import MAX_FRONT_MATTER_CHARS

    def read_yaml(*args):
        raise AssertionError("the huge front matter was handed to the YAML loader")

    monkeypatch.setattr(front_matter, "read_yaml", read_yaml)
    filler = "# padding\n" * (MAX_FRONT_MATTER_CHARS // 10 + 1)
    errors = errors_of("---\n" + filler + "title: T\nsummary: S\ntheme: t\n---\n[paws 5s]\n")
    assert [place(error) for error in errors] == [(1, 1), (6560, 1)]
    size = len(filler) + len("title: T\nsummary: S\ntheme: t\n")
    assert errors[0].message.startswith(
        f"the front matter is {size:,} characters long, more than the limit of 65,536"
    )


def test_safety_is_true_or_false():
    front = "---\ntitle: T\nsummary: S.\ntheme: test\nsafety: {}\n---\nHello.\n"
    assert parse_script(front.format("true")).meta.safety is True
    assert parse_script(front.replace("safety: {}\n", "")).meta.safety is False
    with pytest.raises(ScriptErrors) as caught:
        parse_script(front.format("maybe"))
    assert [(e.line, e.message, e.suggestion) for e in caught.value.errors] == [
        (5, "safety must be true or false, not text", "true")
    ]
