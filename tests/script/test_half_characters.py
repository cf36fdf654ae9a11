"""A YAML escape for half of a character ("\\ud800") in the front matter: a clean error at its
place, never a crash of `check`, `render` or `list`."""

from __future__ import annotations

import pytest

from app import paths
from app.cli import main
from app.script import ScriptErrors, parse_script

BODY = "# One\nBreathe in.\n"


def script_with(field: str) -> str:
    lines = {"title": 'title: "Quiet"', "summary": "summary: S.", "theme": "theme: calm"}
    name = field.split(":", 1)[0]
    lines[name] = field
    return "---\n" + "\n".join(lines.values()) + "\n---\n" + BODY


@pytest.mark.parametrize(
    ("field", "line", "column"),
    [
        ('title: "\\ud800"', 2, 8),
        ('theme: "calm\\udfff"', 4, 8),
        ('ambience: "\\ud83d"', 5, 11),
        ('durations: ["10m", "\\ud800"]', 5, 12),
    ],
)
def test_an_escape_for_half_a_character_is_an_error_at_its_place(field, line, column):
    text = script_with(field)
    with pytest.raises(ScriptErrors) as refused:
        parse_script(text)
    [error] = refused.value.errors
    assert (error.line, error.column) == (line, column), error
    assert "half of a character" in error.message
    error.message.encode("utf-8")  # the message itself can be printed


def test_check_and_list_report_it_without_a_traceback(kindred_home, capsys):
    library = paths.user_library_dir()
    library.mkdir(parents=True, exist_ok=True)
    bad = library / "half.md"
    bad.write_text(script_with('title: "\\ud800"'), "utf-8")
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:2:8:" in out and "half of a character" in out
    assert main(["list"]) == 0
    listed = capsys.readouterr()
    assert "Choosing Compassion" in listed.out  # every other entry is still listed
    assert "Traceback" not in listed.err
    assert main(["render", str(bad), "-o", str(kindred_home / "out.wav")]) == 1
    assert not (kindred_home / "out.wav").exists()


def test_check_messages_escape_what_would_break_the_line_or_the_terminal(tmp_path, capsys):
    """Newlines, escape sequences and bidi overrides from the script are shown as escapes."""
    text = '---\ntitle: Fine\nsummary: S.\ntheme: "two\\nlines"\n---\n[pau\x1b[31mse 5s]\n[chime\u202e 3s]\n'
    path = tmp_path / "hostile.md"
    path.write_text(text, "utf-8")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert all(line.startswith(f"{path}:") for line in lines), out  # one line per problem
    assert "\x1b" not in out and "\u202e" not in out
    assert "\\x1b" in out and "\\u202e" in out and "two\\nlines" in out
