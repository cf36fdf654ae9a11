"""Limits are enforced before any work starts, and `check` refuses what `render` would refuse."""

from __future__ import annotations

import pytest

from app.cli import main
from app.render import render_session
from app.render.timeline import LengthError
from app.script import parse_script
from app.tts import FakeEngine


class CountingVoice(FakeEngine):
    def __init__(self) -> None:
        super().__init__()
        self.spoken = 0

    def synthesize(self, requests, on_done=None, should_cancel=None):
        self.spoken += len(requests)
        super().synthesize(requests, on_done, should_cancel)


def script(body: str, durations: str = "") -> str:
    front = "---\ntitle: Many\nsummary: S.\ntheme: calm\n"
    return front + (f"durations: {durations}\n" if durations else "") + "---\n" + body


@pytest.mark.parametrize(
    "body",
    [
        "Breathe.\n" + "[bell soft-chime]\n" * 5000,
        "# Words\n" + "A long line of words to be said slowly and with care. " * 15_000 + "\n",
    ],
    ids=["5000 bells", "a wall of text"],
)
def test_a_session_over_three_hours_is_refused_before_the_voice_speaks(body, tmp_path):
    voice = CountingVoice()
    with pytest.raises(LengthError, match="longer than 3h, the longest a session can be"):
        render_session(parse_script(script(body)), voice, cache_root=tmp_path)
    assert voice.spoken == 0
    assert not (tmp_path / "renders").exists() or list((tmp_path / "renders").iterdir()) == []


@pytest.mark.parametrize(
    ("pause", "durations", "said"),
    [
        ("[pause 5s]", "[5m]", "cannot be played: with no flexible pause"),
        ("[pause 5s+]", "[0.5ms]", "is too short"),
    ],
)
def test_check_refuses_a_length_render_would_refuse(pause, durations, said, tmp_path, capsys):
    path = tmp_path / "rigid.md"
    path.write_text(script(f"Breathe in.\n{pause}\nBreathe out.\n", durations), "utf-8")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:5:1: durations:" in out and said in out
    with pytest.raises(LengthError):
        render_session(parse_script(path.read_text("utf-8")), FakeEngine(), cache_root=tmp_path)
