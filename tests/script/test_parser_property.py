"""Properties: the parser answers any text with a Script or ScriptErrors, and the writer
and the parser are inverse on every valid Script."""

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.script import (
    MAX_LENGTH_SECONDS,
    MAX_PAUSE_SECONDS,
    Bell,
    Comment,
    Meta,
    Pause,
    Script,
    ScriptErrors,
    Section,
    Speech,
    parse_script,
    script_to_text,
)

PROPERTY = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FRAGMENTS = [
    "---", "title: x", "title: Love: a practice", "summary: y", "theme: z", "theme: Bad Theme", "titel: x",
    "tags: [a, b]", "tags: {a: 1}", "durations: [5m, 10]", "durations: [1m30s, 4h, 0s]",
    "ambience: rain",
    "[pause 5s]", "[pause 20s+]", "[pause]", "[pause 90m]", "[pause 1m 30s]", "[pause five]", "[pause 60m]",
    "[bell]", "[bell deep]", "[bell A B]", "[Pause 5s]", "[paws 5s]", "[pause5s]", "[]", "[", "]", "[x] y",
    "# H", "#", "## ", "// c", "//", "Breathe in.", "text [x]", "", "  ", "\t", "\x00", "\ufeff", "\u2028",
    "&a [*a]", "a: &a [1, 2]", "b: [*a, *a, *a]", "c: *a", "? [x]\n: y",
    "!!python/object/apply:os.system [ls]",
    "d: 2024-13-40", "- a", "{", "'", '"', "title: \t x", "... ", "%YAML 1.1", "<<: {title: m}",
]  # fmt: skip

fragment = st.sampled_from(FRAGMENTS) | st.text(max_size=12)
line_break = st.sampled_from(["\n", "\r\n", "\r"])
script_like = st.builds(
    lambda prefix, lines, joiner: prefix + joiner.join(lines),
    st.sampled_from(["", "---\ntitle: T\nsummary: S\ntheme: t\n---\n", "\ufeff"]),
    st.lists(fragment, max_size=25),
    line_break,
)


def check_answer(text: str) -> None:
    """A Script that writes back to itself, or errors that point inside the text."""
    try:
        script = parse_script(text, source="any.md")
    except ScriptErrors as caught:
        assert caught.errors, "ScriptErrors without any error"
        line_count = len(text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        for error in caught.errors:
            assert 1 <= error.line <= line_count, str(error)
            assert error.column >= 1, str(error)
            assert error.message and not error.describe().endswith("."), str(error)
        assert list(caught.errors) == sorted(caught.errors, key=lambda error: (error.line, error.column))
        assert caught.source == "any.md"
        return
    assert isinstance(script, Script)
    assert parse_script(script_to_text(script)) == script


@PROPERTY
@given(st.text())
def test_any_text_yields_a_script_or_script_errors(text):
    check_answer(text)


@PROPERTY
@given(script_like)
def test_script_like_text_yields_a_script_or_script_errors(text):
    check_answer(text)


# -- valid scripts ----------------------------------------------------------------

# No surrogates: a script is UTF-8 text, and a lone surrogate cannot be written as UTF-8.
any_character = st.characters(exclude_categories=("Cs",))
one_line_character = st.characters(exclude_categories=("Cs",), exclude_characters="\r\n")


def stripped(characters, max_size=20, allow_empty=False):
    """Text without surrounding whitespace, mapped rather than filtered to keep generation fast."""
    text = st.text(characters, max_size=max_size).map(str.strip)
    return text if allow_empty else text.map(lambda value: value or "x")


def as_spoken(text: str) -> str:
    """Any line made into one that reads back as text: no [, no heading or comment start."""
    text = text.replace("[", "(").strip() or "x"
    return "x" + text if text.startswith(("#", "//")) else text


slug = st.lists(
    st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6), min_size=1, max_size=3
).map("-".join)
spoken_line = stripped(one_line_character).map(as_spoken)
meta = st.builds(
    Meta,
    title=stripped(any_character),
    summary=stripped(any_character, max_size=40),
    theme=slug,
    tags=st.lists(stripped(any_character, max_size=10), max_size=3).map(tuple),
    durations=st.lists(
        st.floats(0, MAX_LENGTH_SECONDS, exclude_min=True)
        | st.integers(1, 180).map(lambda minutes: minutes * 60.0),
        unique=True,
        max_size=4,
    ).map(tuple),
    ambience=st.none() | slug,
)
item = st.one_of(
    st.builds(Speech, st.lists(spoken_line, min_size=1, max_size=3).map(tuple)),
    st.builds(
        Pause,
        st.floats(min_value=0, max_value=MAX_PAUSE_SECONDS, exclude_min=True)
        | st.sampled_from([0.5, 5.0, 20.0]),
        st.booleans(),
    ),
    st.builds(Bell, st.none() | slug),
    st.builds(Comment, stripped(one_line_character, allow_empty=True)),
)
items = st.lists(item, max_size=4).map(tuple)
titled_section = st.builds(Section, stripped(one_line_character), items)
untitled_section = st.builds(Section, st.none(), st.lists(item, min_size=1, max_size=4).map(tuple))


@st.composite
def valid_scripts(draw):
    first = draw(st.lists(untitled_section, max_size=1))
    sections = (*first, *draw(st.lists(titled_section, max_size=3)))
    body = [entry for section in sections for entry in section.items]
    assume(any(isinstance(entry, (Speech, Pause)) for entry in body))
    assume(sum(entry.seconds for entry in body if isinstance(entry, Pause)) <= MAX_LENGTH_SECONDS)
    return Script(meta=draw(meta), sections=sections)


@PROPERTY
@given(valid_scripts())
def test_a_valid_script_round_trips_through_its_text(script):
    text = script_to_text(script)
    parsed = parse_script(text)
    assert parsed == script
    # Line numbers of the parsed script point at the lines that were written for each item.
    lines = text.split("\n")
    for _, entry in parsed.items():
        if isinstance(entry, Pause):
            assert lines[entry.line - 1].startswith("[pause ")
        elif isinstance(entry, Speech):
            assert lines[entry.line - 1] == entry.lines[0]
