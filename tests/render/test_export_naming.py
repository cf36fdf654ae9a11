"""The names of exported files: safe on every system, telling lengths apart, with the format's suffix."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.render.export import FORMATS
from app.render.export_naming import (
    FORMAT_SUFFIXES,
    existing_outputs,
    format_suffix,
    length_label,
    suggested_name,
    target_path,
    with_format_suffix,
)


def test_every_export_format_has_a_suffix():
    assert set(FORMAT_SUFFIXES) == set(FORMATS)
    assert [format_suffix(fmt) for fmt in FORMATS] == [".mp3", ".opus", ".flac", ".wav"]


@pytest.mark.parametrize(
    ("seconds", "label"),
    [
        (None, "Natural"),
        (600.0, "10 min"),
        (1200.0, "20 min"),
        (3600.0, "60 min"),
        (90.0, "1m30s"),
        (9.0, "9s"),
        (14.5, "14.5s"),
        (30.0, "30s"),
    ],
)
def test_length_labels_say_whole_minutes_as_minutes(seconds, label):
    assert length_label(seconds) == label


def test_the_suggested_name_carries_the_title_the_length_and_the_suffix():
    assert suggested_name("Body Scan", 1200.0, "mp3") == "Body Scan - 20 min.mp3"
    assert suggested_name("Body Scan", 90.0, "flac") == "Body Scan - 1m30s.flac"
    # Two lengths of one session never share a file.
    assert suggested_name("Rest", 600.0, "wav") != suggested_name("Rest", 1200.0, "wav")


def test_the_natural_length_adds_nothing_to_the_name():
    assert suggested_name("Body Scan", None, "opus") == "Body Scan.opus"


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Rest: a/b?", "Rest a b - 10 min.mp3"),
        ('A <quiet> "hour" | now*', "A quiet hour now - 10 min.mp3"),
        ("back\\slash\ttab\nline", "back slash tab line - 10 min.mp3"),
        ("  lots   of   space  ", "lots of space - 10 min.mp3"),
        # Windows refuses names ending in a dot or a space.
        ("The end. ", "The end - 10 min.mp3"),
        ("Café · 静か", "Café · 静か - 10 min.mp3"),  # only the unsafe characters go
    ],
)
def test_unsafe_characters_become_spaces(title, name):
    assert suggested_name(title, 600.0, "mp3") == name


@pytest.mark.parametrize("title", ["", "   ", "???", '<>:"/\\|?*', ". ."])
def test_a_title_with_nothing_usable_falls_back(title):
    assert suggested_name(title, None, "mp3") == "Meditation.mp3"
    assert suggested_name(title, 600.0, "wav") == "Meditation - 10 min.wav"


def test_a_known_audio_suffix_is_swapped_and_any_other_kept():
    assert with_format_suffix(Path("walk.mp3"), "flac") == Path("walk.flac")
    assert with_format_suffix(Path("walk.WAV"), "mp3") == Path("walk.mp3")
    assert with_format_suffix(Path("walk"), "opus") == Path("walk.opus")
    assert with_format_suffix(Path("x.v2"), "wav") == Path("x.v2.wav")
    assert with_format_suffix(Path("/music/a.flac"), "flac") == Path("/music/a.flac")


def test_ogg_names_are_right_for_opus():
    assert with_format_suffix(Path("x.ogg"), "opus") == Path("x.ogg")
    assert with_format_suffix(Path("x.oga"), "opus") == Path("x.oga")
    assert with_format_suffix(Path("x.ogg"), "mp3") == Path("x.mp3")


def test_a_typed_target_is_read_in_the_export_folder(tmp_path):
    folder = tmp_path / "exports"
    assert target_path("", folder) is None
    assert target_path("   ", folder) is None
    assert target_path(" walk.mp3 ", folder) == folder / "walk.mp3"
    assert target_path("sub/walk.mp3", folder) == folder / "sub" / "walk.mp3"
    assert target_path(str(tmp_path / "there.wav"), folder) == tmp_path / "there.wav"
    assert target_path("~/walk.mp3", folder) == Path.home() / "walk.mp3"


def test_existing_outputs_are_the_audio_and_captions_already_there(tmp_path):
    target = tmp_path / "walk.mp3"
    assert existing_outputs(target) == []
    target.with_suffix(".srt").write_text("1")
    assert existing_outputs(target) == [tmp_path / "walk.srt"]
    target.write_bytes(b"ID3")
    target.with_suffix(".vtt").write_text("WEBVTT")
    assert existing_outputs(target) == [target, tmp_path / "walk.vtt", tmp_path / "walk.srt"]
    (tmp_path / "other.mp3").write_bytes(b"ID3")  # another export's files are not in the way
    assert len(existing_outputs(target)) == 3
