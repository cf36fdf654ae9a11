"""FakeEngine: the stand-in voice every other test relies on."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from app.tts import FakeEngine, SpeechCancelled, SpeechError, SpeechRequest, create_engine
from app.tts.fake import LEAD_SILENCE_S, SAMPLE_RATE, TAIL_SILENCE_S, speech_seconds


def read(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as f:
        assert (f.getnchannels(), f.getsampwidth(), f.getframerate()) == (1, 2, SAMPLE_RATE)
        return np.frombuffer(f.readframes(f.getnframes()), dtype="<i2").astype(float)


def rms_db(samples: np.ndarray) -> float:
    return 20 * np.log10(np.sqrt(np.mean(samples**2)) / 32768)


def speak(tmp_path: Path, text: str, name: str = "a.wav", **kwargs) -> np.ndarray:
    FakeEngine().synthesize([SpeechRequest(text, tmp_path / name, **kwargs)])
    return read(tmp_path / name)


@pytest.mark.parametrize(
    ("words", "rate", "seconds"),
    [(10, 150, 4.0), (10, 300, 2.0), (3, 100, 1.8), (1, 150, 0.4), (1, 600, 0.3), (0, 150, 0.3)],
)
def test_speech_lasts_words_times_60_over_rate(tmp_path, words, rate, seconds):
    samples = speak(tmp_path, " ".join(["calm"] * words), rate=rate)
    assert speech_seconds(" ".join(["calm"] * words), rate) == pytest.approx(seconds)
    total = LEAD_SILENCE_S + seconds + TAIL_SILENCE_S
    assert len(samples) == pytest.approx(total * SAMPLE_RATE, abs=2)


def test_padding_is_digital_silence_around_continuous_speech(tmp_path):
    samples = speak(tmp_path, "Let the breath move on its own.")
    lead, tail = int(LEAD_SILENCE_S * SAMPLE_RATE), int(TAIL_SILENCE_S * SAMPLE_RATE)
    assert not samples[:lead].any()
    assert not samples[-tail:].any()
    speech = samples[lead:-tail]
    assert speech[:30].any() and speech[-30:].any()  # speech starts and ends at the padding
    # No silent gap inside the speech (in 50 ms windows), so a trimmer sees one block.
    windows = speech[: len(speech) // 1102 * 1102].reshape(-1, 1102)
    assert (np.sqrt(np.mean(windows**2, axis=1)) > 100).all()


def test_signal_is_voice_like(tmp_path):
    samples = speak(tmp_path, "May you be safe, may you be well.")
    speech = samples[int(LEAD_SILENCE_S * SAMPLE_RATE) : -int(TAIL_SILENCE_S * SAMPLE_RATE)]
    spectrum = np.abs(np.fft.rfft(speech))
    peak_hz = np.argmax(spectrum) * SAMPLE_RATE / len(speech)
    assert 110 < peak_hz < 170  # the fundamental of a speaking voice
    assert np.abs(speech).max() < 32767  # never clips


def test_same_request_gives_identical_bytes_different_text_does_not(tmp_path):
    first = speak(tmp_path, "Hello there, you.", "1.wav")
    again = speak(tmp_path, "Hello there, you.", "2.wav")
    other = speak(tmp_path, "Hello there, me.", "3.wav")
    assert np.array_equal(first, again)
    assert len(other) == len(first) and not np.array_equal(first, other)


def test_bright_voice_is_nine_db_louder(tmp_path):
    calm = speak(tmp_path, "Soften your shoulders.", "calm.wav", voice="fake/calm")
    bright = speak(tmp_path, "Soften your shoulders.", "bright.wav", voice="fake/bright")
    assert rms_db(bright) - rms_db(calm) == pytest.approx(9.0, abs=0.1)
    assert np.abs(bright).max() < 32767


def test_voices_and_identity():
    engine = FakeEngine()
    assert engine.engine_id == "fake-1"
    assert [v.id for v in engine.voices()] == ["fake/calm", "fake/bright"]
    assert all(v.language == "en" for v in engine.voices())
    assert engine.default_voice() == "fake/calm"


def test_counts_synthesized_texts_and_reports_each(tmp_path):
    engine = FakeEngine()
    done: list[int] = []
    engine.synthesize([SpeechRequest(t, tmp_path / f"{t}.wav") for t in ("one", "two", "three")], done.append)
    assert engine.synthesized == ["one", "two", "three"]
    assert done == [0, 1, 2]


def test_cancel_stops_before_the_next_utterance(tmp_path):
    engine = FakeEngine()
    done: list[int] = []
    requests = [SpeechRequest(f"line {i}", tmp_path / f"{i}.wav") for i in range(5)]
    with pytest.raises(SpeechCancelled):
        engine.synthesize(requests, done.append, should_cancel=lambda: len(done) >= 2)
    assert done == [0, 1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.wav", "1.wav"]


def test_fail_on_raises_speech_error_for_that_line(tmp_path):
    engine = FakeEngine(fail_on="BROKEN")
    requests = [SpeechRequest("fine", tmp_path / "1.wav"), SpeechRequest("a BROKEN line", tmp_path / "2.wav")]
    with pytest.raises(SpeechError) as caught:
        engine.synthesize(requests)
    assert "a BROKEN line" in caught.value.explanation
    assert engine.synthesized == ["fine"]
    assert not (tmp_path / "2.wav").exists()


def test_unknown_voice_is_refused(tmp_path):
    with pytest.raises(SpeechError, match="kindred voices"):
        FakeEngine().synthesize([SpeechRequest("hi", tmp_path / "x.wav", voice="gmw/en-us")])


def test_create_engine_picks_by_name_and_environment(monkeypatch):
    assert isinstance(create_engine("fake"), FakeEngine)
    monkeypatch.setenv("KINDRED_ENGINE", "fake")
    assert isinstance(create_engine(), FakeEngine)
    monkeypatch.setenv("KINDRED_ENGINE", "pyttsx3")
    engine = create_engine()
    try:
        assert type(engine).__name__ == "Pyttsx3Engine"  # no worker starts until it is used
        assert engine.engine_id.startswith("pyttsx3-")
    finally:
        engine.close()
    with pytest.raises(SpeechError, match="nope"):
        create_engine("nope")
