"""Background sounds of one's own: any audio file becomes a seamless, levelled loop, or is refused.

The sources are made here (numpy, encoded by ffmpeg), so every property of the loop is known:
where the sound starts and ends, what a click at the seam would look like, how loud it must be.
"""

from __future__ import annotations

import errno
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from app import paths
from app.render.export import ExportRequest, export_session
from app.render.ffmpeg import ffmpeg_or_raise, ffmpeg_with_encoder
from app.render.loudness import integrated_loudness, true_peak_db
from app.render.pcm import SESSION_RATE, read_wav
from app.render.sound_import import (
    AMBIENCE_MAX_TRUE_PEAK_DB,
    CROSSFADE_SECONDS,
    SoundImportError,
    decode_mono,
    import_sound,
    name_for,
    remove_sound,
    restore_sound,
    trim_silence,
)
from app.render.sounds import (
    UnknownSound,
    ambience_names,
    ambience_source,
    asset_errors,
    decoded_sound,
    user_ambience_names,
)
from app.script import parse_script
from app.tts import DEFAULT_RATE_WPM, FakeEngine

LEAD_SILENCE, SOUND_SECONDS, TAIL_SILENCE = 1.5, 9.0, 2.0


def encode(
    samples: np.ndarray, rate: int, target: Path, program: str | None = None, codec: list[str] = ()
) -> Path:
    """Float samples (one column per channel) written by ffmpeg in the format of `target`'s suffix."""
    channels = 1 if samples.ndim == 1 else samples.shape[1]
    command = [program or ffmpeg_or_raise(), "-v", "error", "-y", "-f", "f32le", "-ar", str(rate)]
    command += ["-ac", str(channels), "-i", "-", *codec, str(target)]
    subprocess.run(command, input=samples.astype("<f4").tobytes(), check=True, capture_output=True)
    return target


def with_silences(sound: np.ndarray, rate: int) -> np.ndarray:
    lead = np.zeros((round(LEAD_SILENCE * rate), *sound.shape[1:]), dtype=np.float32)
    tail = np.zeros((round(TAIL_SILENCE * rate), *sound.shape[1:]), dtype=np.float32)
    return np.concatenate([lead, sound.astype(np.float32), tail])


def two_tones(seconds: float, rate: int) -> np.ndarray:
    """Two steady tones with a whisper of noise: cut anywhere, their ends do not meet."""
    t = np.arange(round(seconds * rate)) / rate
    noise = np.random.default_rng(7).standard_normal(len(t))
    return 0.35 * np.sin(2 * np.pi * 220 * t) + 0.25 * np.sin(2 * np.pi * 331 * t + 1) + 0.005 * noise


def brown_noise_and_hum(seconds: float, rate: int) -> np.ndarray:
    """Brown noise with a low hum, like a fan: a texture, as most background recordings are."""
    white = np.random.default_rng(11).standard_normal(round(seconds * rate))
    brown = np.cumsum(white)
    brown -= np.convolve(brown, np.ones(rate // 20) / (rate // 20), mode="same")  # no slow drift
    brown *= 0.2 / np.abs(brown).max()
    t = np.arange(len(brown)) / rate
    return brown + 0.1 * np.sin(2 * np.pi * 110 * t)


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sources")
    stereo = np.stack([two_tones(SOUND_SECONDS, 44100), 0.8 * two_tones(SOUND_SECONDS, 44100)], axis=1)
    mp3_program, _ = ffmpeg_with_encoder("libmp3lame", "MP3")
    return {
        "mp3": encode(with_silences(stereo, 44100), 44100, folder / "Evening Tones.mp3", mp3_program),
        "flac": encode(with_silences(brown_noise_and_hum(SOUND_SECONDS, 48000), 48000), 48000,
                       folder / "Fan (bedroom).flac"),
    }  # fmt: skip


@pytest.fixture(scope="module")
def bundled_loudness(tmp_path_factory) -> float:
    """The loudness of the bundled loops as the app decodes them, averaged: what an added one must match."""
    cache = tmp_path_factory.mktemp("bundled")
    values = []
    for source in sorted(paths.ambience_dir().iterdir()):
        samples, rate = read_wav(decoded_sound(source, cache))
        values.append(integrated_loudness(samples, rate))
    assert len(values) >= 4 and max(values) - min(values) < 1.0  # they are levelled alike
    return float(np.mean(values))


def wrap_jump(x: np.ndarray) -> float:
    return float(abs(x[0] - x[-1]))


def typical_step(x: np.ndarray) -> float:
    return float(np.percentile(np.abs(np.diff(x)), 99.9))


def rms_db(x: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(x, dtype=np.float64))) + 1e-12))


def folder_contents() -> list[str]:
    folder = paths.user_ambience_dir()
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


# -- the loop ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["mp3", "flac"])
def test_a_file_becomes_a_loop_without_a_click_at_the_seam(sources, kind, bundled_loudness):
    source = sources[kind]
    added = import_sound(source)
    assert added.path.parent == paths.user_ambience_dir() and added.path.suffix == ".wav"
    with wave.open(str(added.path)) as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (1, 2, SESSION_RATE)
    loop, _ = read_wav(added.path)
    assert len(loop) % (SESSION_RATE // 10) == 0  # whole 100 ms steps, as the bundled loops
    assert added.seconds == pytest.approx(len(loop) / SESSION_RATE)

    # Sample level: from the last sample to the first is a step like any other inside the loop,
    # and the slope carries on across it too.
    jump, typical = wrap_jump(loop), typical_step(loop)
    assert jump <= typical, f"seam jump {jump:.4f} > 99.9th percentile of steps {typical:.4f}"
    predicted = 2 * loop[-1] - loop[-2]
    assert abs(loop[0] - predicted) <= np.percentile(np.abs(np.diff(loop, 2)), 99.9)
    # The same cut without the crossfade clicks: the check above tells the two apart.
    uncrossfaded = trim_silence(decode_mono(source), SESSION_RATE)[: len(loop)]
    assert wrap_jump(uncrossfaded) > typical_step(uncrossfaded)
    # No fade hides the seam: both ends are at the loop's level.
    window = SESSION_RATE // 20
    assert abs(rms_db(loop[-window:]) - rms_db(loop[:window])) < 3.0
    assert rms_db(loop[:window]) > rms_db(loop) - 4.0

    # Levelled like the bundled loops.
    assert integrated_loudness(loop, SESSION_RATE) == pytest.approx(bundled_loudness, abs=1.0)
    assert true_peak_db(loop) <= AMBIENCE_MAX_TRUE_PEAK_DB + 0.1


@pytest.mark.parametrize("kind", ["mp3", "flac"])
def test_the_silent_start_and_end_are_cut(sources, kind):
    loop, _ = read_wav(import_sound(sources[kind]).path)
    # The loop is the sound less the crossfade; with the silences it would be 3.5 s longer.
    expected = SOUND_SECONDS - CROSSFADE_SECONDS
    assert len(loop) / SESSION_RATE == pytest.approx(expected, abs=0.15)


def test_the_loop_is_the_sound_from_its_first_audible_sample(tmp_path):
    """Exactly: past the crossfade, the loop is the source's sound, scaled, sample for sample."""
    sound = brown_noise_and_hum(6.0, SESSION_RATE).astype(np.float32)
    assert min(abs(sound[0]), abs(sound[-1])) > 0.002  # above the silence threshold from first to last
    float_wav = ["-c:a", "pcm_f32le"]  # no rounding on the way in
    source = encode(with_silences(sound, SESSION_RATE), SESSION_RATE, tmp_path / "exact.wav", codec=float_wav)
    loop, _ = read_wav(import_sound(source).path)
    fade = round(1.5 * SESSION_RATE)  # a quarter of 6 s, shorter than the usual crossfade
    assert len(loop) == len(sound) - fade
    body, original = loop[fade:], sound[fade : len(loop)]
    gain = float(np.dot(body, original) / np.dot(original, original))
    assert np.max(np.abs(body - gain * original)) < 0.6 / 32768  # the WAV's 16-bit rounding only


def test_a_sound_of_sharp_knocks_is_as_loud_as_the_others_without_louder_peaks(tmp_path, bundled_loudness):
    rate = 48000
    sound = 0.01 * np.random.default_rng(2).standard_normal(20 * rate)
    knock = 0.9 * np.exp(-np.arange(200) / 30) * np.sin(np.arange(200) * 0.7)
    for start in range(0, len(sound) - 200, rate // 2):
        sound[start : start + 200] += knock
    # Levelled by gain alone, its peaks would reach about +2.5 dBTP: the limiter has work to do.
    loop, _ = read_wav(import_sound(encode(sound, rate, tmp_path / "knocks.wav")).path)
    assert integrated_loudness(loop, SESSION_RATE) == pytest.approx(bundled_loudness, abs=1.0)
    assert true_peak_db(loop) <= AMBIENCE_MAX_TRUE_PEAK_DB + 0.1
    assert wrap_jump(loop) <= typical_step(loop)


# -- refused files ----------------------------------------------------------------------


def test_a_text_file_is_refused_and_nothing_is_written(tmp_path):
    text = tmp_path / "notes.mp3"  # a name that claims to be audio
    text.write_text("Remember to breathe.\n" * 200, "utf-8")
    with pytest.raises(SoundImportError, match="notes.mp3 is not an audio file Kindred can read"):
        import_sound(text)
    assert folder_contents() == []
    assert ambience_names() == sorted(p.stem for p in paths.ambience_dir().iterdir())


def test_a_silent_file_is_refused_and_nothing_is_written(tmp_path):
    hiss = np.random.default_rng(3).standard_normal(10 * 44100) * 10 ** (-80 / 20)  # below hearing
    source = encode(hiss, 44100, tmp_path / "quiet.flac")
    with pytest.raises(SoundImportError, match="quiet.flac is silent"):
        import_sound(source)
    assert folder_contents() == []


def test_a_sound_too_short_to_loop_is_refused(tmp_path):
    source = encode(with_silences(two_tones(3.0, 44100), 44100), 44100, tmp_path / "blip.wav")
    # 6.5 s of file, but only 3 s of sound in it.
    with pytest.raises(SoundImportError, match=r"only 3\.0 s of sound .* too short to loop"):
        import_sound(source)
    assert folder_contents() == []


def test_a_file_too_long_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("app.render.sound_import.MAX_SECONDS", 8)  # ten real minutes would slow the test
    source = encode(two_tones(12.0, 22050), 22050, tmp_path / "long.ogg")
    with pytest.raises(SoundImportError, match="long.ogg lasts more than 8 s,"):
        import_sound(source)
    assert folder_contents() == []


def test_a_write_that_fails_half_way_leaves_nothing(sources, monkeypatch):
    def half_then_full(handle, samples):
        handle.write(b"RIFF" + bytes(1000))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("app.render.sound_import.write_wav", half_then_full)
    with pytest.raises(SoundImportError, match="could not be saved"):
        import_sound(sources["flac"])
    assert folder_contents() == []
    assert user_ambience_names() == []


# -- names, and where the sound appears -------------------------------------------------


def test_names_come_from_the_file_name_safe_and_unique(tmp_path, sources):
    assert name_for(Path("Rain on the Roof (2).MP3")) == "rain-on-the-roof-2"
    assert name_for(Path("Café – Früh ☕.flac")) == "cafe-fruh"
    assert name_for(Path("☕☕.wav")) == "my-sound"
    assert len(name_for(Path("x" * 300 + ".wav"))) <= 40
    first, second = import_sound(sources["flac"]), import_sound(sources["flac"])
    assert (first.name, second.name) == ("fan-bedroom", "fan-bedroom-2")
    # A bundled name is never taken over: the bundled rain stays what "rain" means.
    rain = import_sound(Path(shutil.copy(sources["flac"], tmp_path / "rain.flac")))
    assert rain.name == "rain-2"
    assert ambience_source("rain").parent == paths.ambience_dir()
    assert ambience_source("rain-2") == rain.path


def test_the_sound_appears_everywhere_and_a_script_may_name_it(sources):
    name = import_sound(sources["mp3"]).name
    assert name == "evening-tones"
    assert name in ambience_names() and "rain" in ambience_names()
    assert user_ambience_names() == [name]
    script = parse_script(
        f"---\ntitle: T\nsummary: S.\ntheme: t\nambience: {name}\n---\nBreathe.\n[pause 2s]\n"
    )
    assert script.meta.ambience == name
    assert asset_errors(script) == []


def test_the_sound_plays_under_a_rendered_session(sources, tmp_path):
    added = import_sound(sources["flac"])
    script = parse_script(
        "---\ntitle: Under\nsummary: S.\ntheme: t\ndurations: [30s]\n---\nBreathe in.\n[pause 10s+]\nRest.\n"
    )

    def export(ambience: str) -> np.ndarray:
        target = tmp_path / f"{ambience}.wav"
        request = ExportRequest(script, 30.0, None, DEFAULT_RATE_WPM, ambience, "wav", target, 1.0)
        export_session(request, FakeEngine(), cache_root=tmp_path / "cache")
        return read_wav(target)[0]

    voice_only, mixed = export("none"), export(added.name)
    # Where the voice is silent (the pause, after the background's fade-in), what is heard is
    # the loop itself, repeated from the session's first frame.
    silent = np.flatnonzero(np.abs(voice_only) < 1e-4)
    silent = silent[(silent > 6 * SESSION_RATE) & (silent < len(mixed) - 6 * SESSION_RATE)]
    assert len(silent) > 5 * SESSION_RATE
    loop, _ = read_wav(added.path)
    expected = loop[silent % len(loop)]
    heard = mixed[silent]
    assert rms_db(heard) > -45
    assert np.corrcoef(heard, expected)[0, 1] > 0.99


# -- remove and undo --------------------------------------------------------------------


def test_remove_then_undo_brings_the_same_sound_back(sources):
    added = import_sound(sources["flac"])
    original = added.path.read_bytes()
    trashed = remove_sound(added.name)
    assert added.name not in ambience_names() and not added.path.exists()
    with pytest.raises(UnknownSound):
        ambience_source(added.name)
    assert restore_sound(trashed) == added.name
    assert added.name in ambience_names()
    assert added.path.read_bytes() == original
    assert folder_contents() == [".trash", added.path.name]  # the trash folder, emptied at the next start


def test_undo_after_the_name_was_taken_again_keeps_both(sources):
    first = import_sound(sources["flac"])
    trashed = remove_sound(first.name)
    again = import_sound(sources["flac"])
    assert again.name == first.name
    assert restore_sound(trashed) == f"{first.name}-2"
    assert user_ambience_names() == [first.name, f"{first.name}-2"]


def test_the_bundled_sounds_cannot_be_removed_and_emptying_the_trash_is_for_good(sources):
    from app.render.sound_import import empty_trash

    with pytest.raises(SoundImportError, match="only sounds you added"):
        remove_sound("rain")
    assert (paths.ambience_dir() / "rain.ogg").is_file()
    added = import_sound(sources["flac"])
    remove_sound(added.name)
    empty_trash()
    assert folder_contents() == []
