"""Rendering with the fake voice: exact lengths, caching, sidecars, levelling, cancelling."""

import json
import wave

import numpy as np
import pytest

from app.render import LengthError, RenderCancelled, Sidecar, render_session
from app.render.pcm import SESSION_RATE
from app.script import load_script, parse_script
from app.tts import FakeEngine
from tests.audio_measure import ebur128

SCRIPT = """---
title: Test Session
summary: A test.
theme: test
durations: [2m, 3m]
---
# Arriving
Let your body settle. Notice the breath.
[pause 3s]
Breathe in, and let it go.
[pause 10s+]
[bell]
# Closing
May you be kind to yourself.

Thank you for practising.
[pause 5s+]
"""


def frames_of(path):
    with wave.open(str(path)) as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (1, 2, SESSION_RATE)
        return reader.getnframes()


@pytest.fixture
def script():
    return parse_script(SCRIPT)


def test_each_offered_length_renders_to_exactly_that_length(script, tmp_path):
    engine = FakeEngine()
    for length in (120.0, 180.0, 137.25):
        result = render_session(script, engine, length=length, cache_root=tmp_path)
        assert frames_of(result.wav_path) == round(length * SESSION_RATE)
        assert result.timeline.length == pytest.approx(length, abs=0.001)


def test_without_a_length_the_script_default_is_used(script, tmp_path):
    result = render_session(script, FakeEngine(), cache_root=tmp_path)
    assert frames_of(result.wav_path) == 120 * SESSION_RATE


def test_the_sidecar_lists_cues_sections_pauses_and_bells(script, tmp_path):
    result = render_session(script, FakeEngine(), length=150, cache_root=tmp_path)
    sidecar = json.loads(result.timeline_path.read_text("utf-8"))
    assert sidecar == result.timeline.to_dict()
    assert Sidecar.from_dict(sidecar) == result.timeline
    assert [cue["text"] for cue in sidecar["cues"]] == [
        "Let your body settle.",
        "Notice the breath.",
        "Breathe in, and let it go.",
        "May you be kind to yourself.",
        "Thank you for practising.",
    ]
    assert [s["title"] for s in sidecar["sections"]] == ["Arriving", "Closing"]
    assert sidecar["sections"][1]["start"] == sidecar["cues"][3]["start"]
    assert [p["flexible"] for p in sidecar["pauses"]] == [False, True, True]
    assert sidecar["pauses"][0]["end"] - sidecar["pauses"][0]["start"] == pytest.approx(3.0, abs=0.001)
    assert len(sidecar["bells"]) == 1
    for cue in sidecar["cues"]:
        assert cue["end"] > cue["start"]


def test_audio_matches_the_timeline_speech_where_cues_are_and_silence_in_pauses(script, tmp_path):
    result = render_session(script, FakeEngine(), length=150, cache_root=tmp_path)
    with wave.open(str(result.wav_path)) as reader:
        samples = (
            np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").astype(np.float32) / 32768
        )
    for cue in result.timeline.cues:
        part = samples[int(cue.start * SESSION_RATE) : int(cue.end * SESSION_RATE)]
        assert np.sqrt(np.mean(part**2)) > 0.03, cue.text
    for pause in result.timeline.pauses:
        part = samples[int(pause.start * SESSION_RATE) : int(pause.end * SESSION_RATE)]
        assert np.max(np.abs(part)) == 0.0


def test_a_second_render_synthesizes_nothing_and_another_length_only_reassembles(script, tmp_path):
    engine = FakeEngine()
    first = render_session(script, engine, length=120, cache_root=tmp_path)
    spoken = len(engine.synthesized)
    assert first.synthesized == spoken == 5 and not first.from_cache

    again = render_session(script, engine, length=120, cache_root=tmp_path)
    assert again.from_cache and again.wav_path == first.wav_path
    assert again.timeline == first.timeline  # read back from the sidecar: the same record
    longer = render_session(script, engine, length=180, cache_root=tmp_path)
    assert not longer.from_cache and longer.synthesized == 0
    assert len(engine.synthesized) == spoken


def test_changing_one_sentence_synthesizes_only_that_sentence(script, tmp_path):
    engine = FakeEngine()
    render_session(script, engine, cache_root=tmp_path)
    edited = parse_script(SCRIPT.replace("Thank you for practising.", "Thank you for being here."))
    render_session(edited, engine, cache_root=tmp_path)
    assert engine.synthesized[5:] == ["Thank you for being here."]


def test_a_length_below_the_minimum_is_refused(script, tmp_path):
    with pytest.raises(LengthError, match="needs at least"):
        render_session(script, FakeEngine(), length=10, cache_root=tmp_path)
    assert list(tmp_path.glob("renders/*")) == []


def test_progress_rises_to_one_and_names_its_stages(script, tmp_path):
    seen = []
    render_session(
        script, FakeEngine(), cache_root=tmp_path, progress=lambda f, stage: seen.append((f, stage))
    )
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    assert {"Speaking the script", "Putting the session together"} <= {stage for _, stage in seen}


@pytest.mark.parametrize("stage", ["Speaking the script", "Putting the session together"])
def test_cancel_leaves_nothing_half_written(script, tmp_path, stage):
    calls = []

    def should_cancel():
        return bool(calls)

    def progress(fraction, name):
        if name == stage and fraction > 0:
            calls.append(fraction)

    with pytest.raises(RenderCancelled):
        render_session(
            script,
            FakeEngine(),
            length=600,
            cache_root=tmp_path,
            progress=progress,
            should_cancel=should_cancel,
        )
    renders = tmp_path / "renders"
    assert not renders.exists() or list(renders.iterdir()) == []
    # Whatever speech was finished is whole and reusable.
    for clip in (tmp_path / "speech").rglob("*"):
        assert clip.is_dir() or clip.suffix == ".wav"


def test_every_voice_is_levelled_to_the_same_loudness_and_the_session_meets_the_target(tmp_path):
    script = load_script("scripts/choosing-compassion.md")
    measured = {}
    for voice in ("fake/calm", "fake/bright"):  # the bright voice is synthesized 9 dB louder
        result = render_session(script, FakeEngine(), voice=voice, length=600, cache_root=tmp_path)
        measured[voice] = ebur128(result.wav_path)
    for integrated, true_peak in measured.values():
        assert -17.0 <= integrated <= -15.0
        assert true_peak <= -1.0
    assert abs(measured["fake/calm"][0] - measured["fake/bright"][0]) <= 0.5
