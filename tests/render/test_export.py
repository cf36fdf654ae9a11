"""Exporting a session: every format checked with ffprobe and ffmpeg; failures that leave nothing.

One short script (40 s, three sections, flexible pauses) with the fake voice; each format is
exported once with and once without a background, shared by the tests of this module.
"""

from __future__ import annotations

import datetime
import errno
import json
import os
import subprocess
from pathlib import Path

import pytest

import app.render.export as export_module
from app.render import RenderCancelled, Sidecar, render_session
from app.render.captions import captions_srt, captions_vtt
from app.render.export import FORMATS, ExportError, ExportRequest, ExportResult, export_session
from app.render.sounds import UnknownSound
from app.script import parse_script
from app.tts import DEFAULT_RATE_WPM, FakeEngine
from tests.audio_measure import ebur128
from tests.render.test_captions import parse_cues, parse_vtt

SCRIPT = """---
title: Evening “Kindness”
summary: A short practice for the end of the day; with a partner & alone.
theme: evening
durations: [40s]
ambience: rain
---
# Arriving
Let your body settle. Notice the breath.
[pause 2s+]
Breathe in, and let it go.
[pause 3s+]
# Resting
[bell]
Rest here for a moment.
[pause 4s+]
# Closing
May you be kind to yourself.
[pause 2s+]
"""
LENGTH = 40.0
WITH_CHAPTERS = ("mp3", "opus", "flac")


def probe(path: Path) -> dict:
    command = ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-show_chapters", "-of", "json"]
    return json.loads(
        subprocess.run([*command, str(path)], capture_output=True, check=True, text=True).stdout
    )


def tags_of(info: dict) -> dict:
    """Format tags, or for Ogg (Opus) the stream's: where each container keeps them; keys lower-cased."""
    tags = info["format"].get("tags") or info["streams"][0].get("tags") or {}
    return {key.lower(): value for key, value in tags.items()}


@pytest.fixture(scope="module")
def script():
    return parse_script(SCRIPT)


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def timeline(script, cache) -> Sidecar:
    return render_session(script, FakeEngine(), length=LENGTH, cache_root=cache).timeline


def export(
    script,
    cache,
    target: Path,
    fmt: str,
    ambience: str | None = "none",
    progress=None,
    should_cancel=None,
    **options,
) -> ExportResult:
    request = ExportRequest(script, LENGTH, None, DEFAULT_RATE_WPM, ambience, fmt, target, **options)
    return export_session(request, FakeEngine(), progress, should_cancel, cache_root=cache)


@pytest.fixture(scope="module")
def exports(script, cache, tmp_path_factory) -> dict[tuple[str, str], ExportResult]:
    """Every format, voice only ("none") and with the script's rain at full level."""
    folder = tmp_path_factory.mktemp("exports")
    results = {}
    for fmt in FORMATS:
        # Captions go beside each file under its name: one name per export.
        results[fmt, "none"] = export(script, cache, folder / f"voice-only-{fmt}.{fmt}", fmt, "none")
        results[fmt, "rain"] = export(
            script, cache, folder / f"rain-{fmt}.{fmt}", fmt, None, ambience_volume=1.0
        )
    return results


# -- what ffprobe sees -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_lasts_the_chosen_length(exports, fmt):
    for ambience in ("none", "rain"):
        result = exports[fmt, ambience]
        assert result.length_s == pytest.approx(LENGTH, abs=0.001)
        assert float(probe(result.audio)["format"]["duration"]) == pytest.approx(LENGTH, abs=0.1)


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_carries_the_tags(exports, fmt):
    tags = tags_of(probe(exports[fmt, "none"].audio))
    assert tags["title"] == "Evening “Kindness”"
    assert tags["artist"] == "Kindred"
    assert tags["album"] == "Kindred Meditations"
    assert tags["genre"] == "Meditation"
    assert tags["comment"] == "A short practice for the end of the day; with a partner & alone."
    assert tags["date"] == str(datetime.date.today().year)


def test_opus_keeps_its_tags_in_the_stream_as_ogg_does(exports):
    info = probe(exports["opus", "none"].audio)
    assert info["streams"][0]["codec_name"] == "opus"
    assert info["streams"][0]["tags"]["artist"] == "Kindred"


@pytest.mark.parametrize("fmt", WITH_CHAPTERS)
def test_chapters_are_the_sections_at_their_times(exports, timeline, fmt):
    chapters = probe(exports[fmt, "rain"].audio)["chapters"]
    sections = timeline.sections
    assert len(sections) == 3
    assert [chapter["tags"]["title"] for chapter in chapters] == ["Arriving", "Resting", "Closing"]
    starts = [float(chapter["start_time"]) for chapter in chapters]
    # The first chapter takes in the lead-in silence before its first words, as the player does.
    expected = [0.0] + [section.start for section in sections[1:]]
    assert sections[0].start > 0 and starts == pytest.approx(expected, abs=0.002)
    assert starts[1] > 5  # real times, not all at zero


def test_wav_has_no_chapters_but_its_captions_have_the_times(exports):
    assert probe(exports["wav", "none"].audio)["chapters"] == []


def test_the_codecs_and_rates_players_expect(exports):
    expected = {
        "mp3": ("mp3", 22050),
        "opus": ("opus", 48000),
        "flac": ("flac", 22050),
        "wav": ("pcm_s16le", 22050),
    }
    for fmt, (codec, rate) in expected.items():
        stream = probe(exports[fmt, "none"].audio)["streams"][0]
        assert (stream["codec_name"], int(stream["sample_rate"]), stream["channels"]) == (codec, rate, 1)


# -- loudness ----------------------------------------------------------------------------


@pytest.mark.parametrize("ambience", ["none", "rain"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_measures_minus_16_lufs_with_true_peak_under_minus_1(exports, fmt, ambience):
    result = exports[fmt, ambience]
    integrated, true_peak = ebur128(result.audio)
    assert -17.0 <= integrated <= -15.0
    assert true_peak <= -1.0
    # What Kindred worked out for the mix it encoded agrees with ffmpeg's measure.
    assert result.loudness_lufs == pytest.approx(integrated, abs=0.5)
    assert result.true_peak_db <= -1.0


def test_the_background_is_really_in_the_mix(exports, timeline):
    """Rain at full level fills the pauses: the voice-only export is far quieter there."""
    import numpy as np

    from app.render.pcm import read_wav

    voice, rate = read_wav(exports["wav", "none"].audio)
    mixed, _ = read_wav(exports["wav", "rain"].audio)
    pause = timeline.pauses[1]  # in the middle: the background plays at its full level
    assert pause.end - pause.start > 2
    quiet = slice(int((pause.start + 0.5) * rate), int((pause.end - 0.5) * rate))
    assert float(np.sqrt(np.mean(voice[quiet] ** 2))) < 1e-3
    assert float(np.sqrt(np.mean(mixed[quiet] ** 2))) > 0.01
    assert float(np.abs(mixed[: int(0.05 * rate)]).max()) < 0.01  # it fades in from silence


# -- captions ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_captions_lie_beside_the_audio_and_match_the_timeline(exports, timeline, fmt):
    result = exports[fmt, "none"]
    vtt, srt = result.captions
    assert (vtt.suffix, srt.suffix) == (".vtt", ".srt")
    assert vtt.parent == result.audio.parent and vtt.stem == result.audio.stem
    spoken = [(cue.start, cue.end, cue.text) for cue in timeline.cues]
    assert len(spoken) == 5
    for cues in (parse_vtt(vtt.read_text("utf-8")), parse_cues(srt.read_text("utf-8"), ",")):
        assert [text for _, _, text in cues] == [text for _, _, text in spoken]
        assert [start for start, _, _ in cues] == pytest.approx([start for start, _, _ in spoken], abs=0.001)
        assert [end for _, end, _ in cues] == pytest.approx([end for _, end, _ in spoken], abs=0.001)
    assert vtt.read_text("utf-8") == captions_vtt(timeline)
    assert srt.read_text("utf-8") == captions_srt(timeline)


def test_the_files_are_readable_as_the_users_umask_allows(exports):
    umask = os.umask(0)
    os.umask(umask)
    for result in exports.values():
        for path in (result.audio, *result.captions):
            assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_nothing_but_the_exports_is_left_in_the_folder(exports):
    folder = exports["mp3", "none"].audio.parent
    expected = {path.name for result in exports.values() for path in (result.audio, *result.captions)}
    assert {path.name for path in folder.iterdir()} == expected


# -- progress, cancel, refusals, failures ---------------------------------------------------


def test_progress_rises_to_done(script, cache, tmp_path):
    seen = []
    export(
        script,
        cache,
        tmp_path / "out.mp3",
        "mp3",
        progress=lambda fraction, stage: seen.append((fraction, stage)),
    )
    fractions = [fraction for fraction, _ in seen]
    assert fractions == sorted(fractions)
    assert seen[-1] == (1.0, "Done")
    assert any(stage == "Encoding MP3" for _, stage in seen)


@pytest.mark.parametrize("fmt", ["mp3", "wav", "flac"])
def test_cancel_mid_export_leaves_nothing(script, cache, tmp_path, fmt):
    target = tmp_path / "new folder" / f"out.{fmt}"
    stages = []

    def cancel_once_encoding() -> bool:
        return any(stage.startswith(("Encoding", "Writing")) for stage in stages)

    with pytest.raises(RenderCancelled):
        export(
            script,
            cache,
            target,
            fmt,
            None,
            progress=lambda fraction, stage: stages.append(stage),
            should_cancel=cancel_once_encoding,
        )
    assert list(tmp_path.iterdir()) == []  # not even the folder made for it


def test_an_existing_file_is_refused_unless_replacing_is_allowed(script, cache, tmp_path):
    target = tmp_path / "session.flac"
    target.write_bytes(b"the user's own file")
    with pytest.raises(ExportError, match="already exists"):
        export(script, cache, target, "flac")
    assert target.read_bytes() == b"the user's own file"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["session.flac"]

    result = export(script, cache, target, "flac", overwrite=True)
    assert probe(result.audio)["streams"][0]["codec_name"] == "flac"


def test_existing_captions_are_refused_too(script, cache, tmp_path):
    (tmp_path / "session.vtt").write_text("mine")
    with pytest.raises(ExportError, match=r"session\.vtt already exists"):
        export(script, cache, tmp_path / "session.mp3", "mp3")
    assert [path.name for path in tmp_path.iterdir()] == ["session.vtt"]


def test_a_target_whose_folder_is_a_file_fails_cleanly(script, cache, tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder")
    for target in (blocker / "out.mp3", blocker / "deeper" / "out.wav"):
        with pytest.raises(ExportError) as caught:
            export(script, cache, target, target.suffix[1:])
        assert "is a file, not a folder" in caught.value.explanation
        assert caught.value.title == "Could not save the file"
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to a read-only folder (CI runs as root)")
def test_an_unwritable_folder_fails_cleanly(script, cache, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="may not write to"):
            export(script, cache, folder / "out.opus", "opus")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_a_folder_refusing_new_files_fails_before_rendering(script, cache, tmp_path, monkeypatch):
    """As the test above, where root's writes cannot be refused by permissions: the OS says no."""
    folder = tmp_path / "locked"
    folder.mkdir()
    real_open = os.open

    def refusing(path, *args, **kwargs):
        if Path(path).parent == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    rendered = []
    monkeypatch.setattr(export_module, "render_session", lambda *args, **kwargs: rendered.append(1))
    with pytest.raises(ExportError) as caught:
        export(script, cache, folder / "out.mp3", "mp3")
    assert caught.value.explanation == f"Kindred may not write to {folder}. Choose another folder."
    assert rendered == [] and list(folder.iterdir()) == []


def test_a_full_disk_while_writing_says_so_and_leaves_nothing(script, cache, tmp_path, monkeypatch):
    real_write_wav = export_module._write_wav

    def fills_the_disk(path, *args):
        real_write_wav(path, *args)  # a real, large partial file first
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_module, "_write_wav", fills_the_disk)
    with pytest.raises(ExportError) as caught:
        export(script, cache, tmp_path / "out.wav", "wav")
    assert "is full" in caught.value.explanation and str(tmp_path) in caught.value.explanation
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_under_ffmpeg_says_so_and_leaves_nothing(script, cache, tmp_path, monkeypatch):
    """An ffmpeg that writes part of the file, then fails as ffmpeg does on a full disk."""
    fake = tmp_path / "bin" / "ffmpeg"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\n"
        'for last; do :; done\necho partial > "$last"\ncat > /dev/null\n'
        'echo "av_interleaved_write_frame(): No space left on device" >&2\nexit 1\n'
    )
    fake.chmod(0o755)
    monkeypatch.setattr(export_module, "ffmpeg_with_encoder", lambda encoder, label: (str(fake), "system"))
    target = tmp_path / "out" / "session.mp3"
    with pytest.raises(ExportError) as caught:
        export(script, cache, target, "mp3", None)
    assert (
        caught.value.explanation
        == f"The disk holding {target.parent} is full. Free some space or choose another folder."
    )
    assert not target.parent.exists()


def test_an_unknown_format_or_background_is_refused_before_any_work(script, cache, tmp_path):
    with pytest.raises(ExportError, match="not “ogg”"):
        export(script, cache, tmp_path / "out.ogg", "ogg")
    with pytest.raises(UnknownSound, match="no ambience called “thunder”"):
        export(script, cache, tmp_path / "out.mp3", "mp3", "thunder")
    assert list(tmp_path.iterdir()) == []


# -- ffmpeg from imageio-ffmpeg ------------------------------------------------------------


def test_without_a_system_ffmpeg_the_imageio_one_exports(script, tmp_path, monkeypatch):
    import imageio_ffmpeg

    from app.doctor import check_ffmpeg
    from app.render import ffmpeg

    monkeypatch.setattr(ffmpeg.shutil, "which", lambda name: None)
    bundled = imageio_ffmpeg.get_ffmpeg_exe()
    assert ffmpeg.find_ffmpeg() == (bundled, "imageio-ffmpeg")
    check = check_ffmpeg()
    assert check.ok and check.detail == f"{bundled} (from imageio-ffmpeg)"

    cache = tmp_path / "cache"  # bells and rain decoded by imageio's ffmpeg too
    for fmt in ("flac", "wav"):
        result = export(script, cache, tmp_path / f"out-{fmt}.{fmt}", fmt, None)
        assert result.ffmpeg == "imageio-ffmpeg"
        info = probe(result.audio)
        assert float(info["format"]["duration"]) == pytest.approx(LENGTH, abs=0.1)
        assert tags_of(info)["artist"] == "Kindred"
        integrated, true_peak = ebur128(result.audio)
        assert -17.0 <= integrated <= -15.0 and true_peak <= -1.0
    assert len(probe(tmp_path / "out-flac.flac")["chapters"]) == 3


def test_a_system_ffmpeg_without_the_mp3_encoder_gives_way_to_imageio(monkeypatch, tmp_path):
    """Some builds lack LAME: the bundled ffmpeg, which has it, is used for MP3 then."""
    from app.render import ffmpeg

    stub = tmp_path / "ffmpeg"
    stub.write_text("#!/bin/sh\necho ' A....D flac   FLAC (Free Lossless Audio Codec)'\n")
    stub.chmod(0o755)
    monkeypatch.setattr(ffmpeg.shutil, "which", lambda name: str(stub))
    program, origin = ffmpeg.ffmpeg_with_encoder("libmp3lame", "MP3")
    assert origin == "imageio-ffmpeg" and program != str(stub)
    assert ffmpeg.ffmpeg_with_encoder("flac", "FLAC") == (str(stub), "system")
