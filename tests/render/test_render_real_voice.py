"""Rendering with the real pyttsx3 voice (espeak-ng on Linux), measured by ffmpeg."""

import shutil

import pytest

from app.render import render_session
from app.script import parse_script
from app.tts import Pyttsx3Engine
from tests.audio_measure import ebur128, silences

pytestmark = [
    pytest.mark.realvoice,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]

SCRIPT = """---
title: Pauses
summary: Declared pauses, measured.
theme: test
---
# Arriving
Let your body settle into the chair beneath you.
[pause 2s]
Notice where you are holding on, and let it soften.
[pause 4s+]
Breathe in slowly. And let the breath go.
[pause 1s]
[pause 1500ms]
# Closing
May you be kind to yourself, and to the people you love.
[pause 6s+]
Thank you for practising today.
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    with Pyttsx3Engine() as engine:
        result = render_session(parse_script(SCRIPT), engine, length=60, cache_root=cache)
    return result


def test_every_declared_pause_is_found_where_the_timeline_put_it(rendered):
    found = silences(rendered.wav_path, noise_db=-50, minimum=0.5)
    planned = rendered.timeline.pauses
    # Two consecutive pause directives form one silence: merge them as the listener hears them.
    merged = []
    for pause in planned:
        if merged and abs(merged[-1][1] - pause.start) < 1e-6:
            merged[-1] = (merged[-1][0], pause.end)
        else:
            merged.append((pause.start, pause.end))
    assert len(merged) == 4
    for start, end in merged:
        matches = [(s, e) for s, e in found if abs(s - start) <= 0.15 and abs(e - end) <= 0.15]
        assert matches, f"no silence within 150 ms of the pause {start:.2f}-{end:.2f}; found {found}"


def test_the_session_is_exactly_the_chosen_length_and_meets_the_loudness_target(rendered):
    assert rendered.timeline.length == pytest.approx(60.0, abs=0.001)
    integrated, true_peak = ebur128(rendered.wav_path)
    assert -17.0 <= integrated <= -15.0
    assert true_peak <= -1.0


def test_the_voice_speaks_every_sentence(rendered):
    texts = [cue.text for cue in rendered.timeline.cues]
    assert texts[2:4] == ["Breathe in slowly.", "And let the breath go."]
    assert all(cue.end - cue.start > 0.5 for cue in rendered.timeline.cues)
