import pytest
import yaml

from app.script import Bell, Comment, Meta, Pause, Script, Section, Speech, parse_script, script_to_text

RICH = Script(
    meta=Meta(
        title="Choosing Compassion",
        summary="A short practice for the moment after an argument.",
        theme="choice",
        tags=("self-compassion", "conflict"),
        durations=(300.0, 600.0, 1200.0),
        ambience="rain",
    ),
    sections=(
        Section(None, (Comment("written for the 2024 library"), Speech(("Welcome.",)))),
        Section(
            "Arriving",
            (
                Speech(
                    ("Let your body settle into the chair beneath you.", "Notice where you are holding on.")
                ),
                Speech(("A second paragraph.",)),
                Pause(5.0),
                Pause(20.0, flexible=True),
                Bell(),
                Bell("deep-bowl"),
                Comment("a note for the author; never spoken"),
            ),
        ),
        Section("Empty for now"),
        Section("Closing", (Pause(90.5, flexible=True), Speech(("Thank you.",)), Pause(0.25))),
    ),
)


def minimal(**changes) -> Script:
    meta = Meta(title="T", summary="S", theme="t")
    sections = (Section(None, (Speech(("Breathe.",)),)),)
    fields = {"meta": meta, "sections": sections, **changes}
    return Script(**fields)


def test_a_rich_script_round_trips():
    assert parse_script(script_to_text(RICH)) == RICH


def test_the_written_text_is_what_an_author_would_write():
    text = script_to_text(RICH)
    assert text.startswith(
        "---\n"
        "title: Choosing Compassion\n"
        "summary: A short practice for the moment after an argument.\n"
        "theme: choice\n"
        "tags: [self-compassion, conflict]\n"
        "durations: [5m, 10m, 20m]\n"
        "ambience: rain\n"
        "---\n"
        "// written for the 2024 library\n"
        "Welcome.\n"
        "\n"
        "# Arriving\n"
        "Let your body settle into the chair beneath you.\n"
        "Notice where you are holding on.\n"
        "\n"
        "A second paragraph.\n"
        "[pause 5s]\n"
        "[pause 20s+]\n"
        "[bell]\n"
        "[bell deep-bowl]\n"
        "// a note for the author; never spoken\n"
    )
    assert text.endswith("# Closing\n[pause 1m30.5s+]\nThank you.\n[pause 250ms]\n")


def test_optional_fields_are_left_out_when_empty():
    text = script_to_text(minimal())
    assert text == "---\ntitle: T\nsummary: S\ntheme: t\n---\nBreathe.\n"
    assert parse_script(text) == minimal()


@pytest.mark.parametrize(
    "title",
    [
        "Love: a practice",
        "Choosing #1",
        'It\'s "ours"',
        "'quoted'",
        "yes",
        "10",
        "null",
        "- a list?",
        "[not a list]",
        "{not: a map}",
        "& anchor * alias ! tag | >",
        "%percent @at `tick`",
        "---",
        "Tab\tinside",
        "Café ☕ \U0001f600",
        "ends with colon:",
        "back\\slash",
    ],
)
def test_titles_that_yaml_would_misread_are_quoted(title):
    script = minimal(meta=Meta(title=title, summary=title, theme="t", tags=(title,)))
    text = script_to_text(script)
    assert text.splitlines()[1].startswith("title: ")
    assert parse_script(text) == script


def test_a_multi_line_summary_stays_on_one_line_of_the_file():
    script = minimal(meta=Meta(title="T", summary="First line.\nSecond: line.", theme="t"))
    text = script_to_text(script)
    assert text.splitlines()[2] == 'summary: "First line.\\nSecond: line."'
    assert parse_script(text) == script


def test_tags_with_commas_and_brackets_round_trip():
    script = minimal(meta=Meta(title="T", summary="S", theme="t", tags=("a, b", "[c]", "d")))
    text = script_to_text(script)
    assert yaml.safe_load(text.splitlines()[4]) == {"tags": ["a, b", "[c]", "d"]}
    assert parse_script(text) == script


def test_durations_are_written_as_lengths():
    script = minimal(meta=Meta(title="T", summary="S", theme="t", durations=(90.0, 3600.0, 0.5, 10800.0)))
    text = script_to_text(script)
    assert "durations: [1m30s, 1h, 500ms, 3h]\n" in text
    assert parse_script(text) == script


def test_a_heading_right_after_the_front_matter_and_headings_that_look_like_syntax():
    script = minimal(
        sections=(
            Section("#1 [first]", (Speech(("Breathe.",)),)),
            Section("// not a comment", (Pause(1.0),)),
        )
    )
    text = script_to_text(script)
    assert "---\n# #1 [first]\n" in text
    assert parse_script(text) == script


def test_comments_round_trip_including_empty_ones_and_ones_that_look_like_syntax():
    comments = (Comment(""), Comment("[pause 5s]"), Comment("# not a heading"), Comment("// twice"))
    script = minimal(sections=(Section(None, (*comments, Speech(("Breathe.",)))),))
    assert parse_script(script_to_text(script)) == script


def test_flexible_pauses_and_named_bells_round_trip():
    items = (Pause(0.001, flexible=True), Pause(3600.0), Bell("a-1"), Bell(), Pause(1 / 3, flexible=True))
    script = minimal(sections=(Section(None, items),))
    assert parse_script(script_to_text(script)) == script


@pytest.mark.parametrize(
    "line",
    ["", " padded", "# heading", "// comment", "[pause 5s]", "with [bracket]", "two\nlines"],
)
def test_a_spoken_line_that_would_read_back_differently_is_refused(line):
    script = minimal(sections=(Section(None, (Speech((line,)),)),))
    with pytest.raises(ValueError):
        script_to_text(script)


def test_an_untitled_section_after_the_first_is_refused():
    script = minimal(sections=(Section("A", (Speech(("x",)),)), Section(None, (Speech(("y",)),))))
    with pytest.raises(ValueError, match="only the first section"):
        script_to_text(script)
