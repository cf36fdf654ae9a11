"""The bundled library: every script parses, is complete, and renders at every length it offers."""

import importlib.util
import wave
from pathlib import Path

import pytest

from app.render import render_session, utterances_of
from app.render.estimate import estimate_lengths
from app.render.pcm import SESSION_RATE
from app.render.sounds import asset_errors
from app.script import Bell, Pause, Speech, format_duration, load_script
from app.tts import FakeEngine
from app.tts.engine import DEFAULT_RATE_WPM

SCRIPTS = sorted((Path(__file__).resolve().parents[2] / "scripts").glob("*.md"))
#: One-way fingerprints of the excerpt's eight-word runs (tools/excerpt_fingerprints.py writes them):
#: the excerpt itself is not ours to ship.
EXCERPT_RUNS = Path(__file__).resolve().parent / "excerpt_runs.txt"


def _fingerprint_tool():
    path = Path(__file__).resolve().parents[2] / "tools" / "excerpt_fingerprints.py"
    spec = importlib.util.spec_from_file_location("excerpt_fingerprints", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_library_has_at_least_ten_guided_scripts_and_a_silent_one():
    scripts = [load_script(path) for path in SCRIPTS]
    guided = [s for s in scripts if any(isinstance(item, Speech) for _, item in s.items())]
    silent = [s for s in scripts if not any(isinstance(item, Speech) for _, item in s.items())]
    assert len(guided) >= 10
    assert len(silent) >= 1


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.stem)
def test_every_script_parses_with_complete_front_matter_and_known_sounds(path):
    script = load_script(path)
    meta = script.meta
    assert meta.title and meta.summary and meta.theme and meta.tags
    assert meta.durations, "every bundled script offers its lengths"
    assert asset_errors(script) == []


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.stem)
def test_every_section_has_speech_or_a_deliberate_silence(path):
    script = load_script(path)
    assert len(script.sections) >= 2
    for section in script.sections:
        kinds = {type(item) for item in section.items}
        assert kinds & {Speech, Pause, Bell}, f"section {section.title!r} is empty"


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.stem)
def test_every_offered_length_renders_to_exactly_that_length(path, tmp_path):
    script = load_script(path)
    engine = FakeEngine()
    for length in script.meta.durations:
        result = render_session(script, engine, length=length, cache_root=tmp_path)
        with wave.open(str(result.wav_path)) as reader:
            assert reader.getnframes() == round(length * SESSION_RATE), format_duration(length)
        result.wav_path.unlink()  # keeps the test's disk use small


@pytest.mark.parametrize("rate", [DEFAULT_RATE_WPM, 140])
def test_every_offered_length_fits_with_the_margin_for_a_voice_slower_than_estimated(rate):
    """A session is planned before its sentences are spoken: what the library offers must fit
    even when the voice comes out SPEECH_MARGIN slower than the estimate. (At a slower rate of
    the listener's choosing, the player offers only the lengths that still fit.)"""
    for path in SCRIPTS:
        estimate = estimate_lengths(load_script(path), rate)
        too_short = [format_duration(o.length_s) for o in estimate.offered if not o.fits]
        assert too_short == [], f"{path.name} at {rate} wpm: {too_short}"


def test_sentences_are_distinct_within_each_script():
    for path in SCRIPTS:
        sentences = utterances_of(load_script(path))
        repeated = {s for s in sentences if sentences.count(s) > 1 and len(s.split()) > 3}
        assert repeated == set(), f"{path.name} repeats {repeated}"


def test_no_script_copies_a_sentence_of_the_excerpt():
    """Eight consecutive words of the excerpt in a script count as copying."""
    tool = _fingerprint_tool()
    lines = EXCERPT_RUNS.read_text("utf-8").splitlines()
    fingerprints = {line for line in lines if line and not line.startswith("#")}
    assert len(fingerprints) > 500  # the whole excerpt, not an empty or truncated file
    for path in SCRIPTS:
        spoken = " ".join(utterances_of(load_script(path)))
        copied = [run for run in tool.runs(spoken) if tool.fingerprint(run) in fingerprints]
        assert copied == [], f"{path.name} copies the excerpt: {copied[:3]}"
