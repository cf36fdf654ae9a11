"""The cache stays under its limit: least recently used first, never what is in use (issue 14, item 11)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import paths
from app.render import render_session
from app.render.cache_limit import (
    CLIP_RECENT_S,
    DEFAULT_LIMIT_GB,
    LIMIT_SETTING,
    RENDER_RECENT_S,
    cache_size,
    in_use,
    limit_bytes,
    trim_cache,
)
from app.render.speech_cache import SpeechCache
from app.render.streaming import StreamingSession
from app.script import parse_script
from app.tts import FakeEngine

SCRIPT_TEXT = """---
title: Cache Test
summary: A few sentences.
theme: test
durations: [1m]
---
Let your body settle.
[pause 4s+]
Breathe in, and let it go.
[pause 4s+]
"""
SCRIPT = parse_script(SCRIPT_TEXT)
HOUR = 3600.0


def put(path: Path, size: int, hours: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\0" * size)
    when = time.time() - hours * HOUR  # its last use
    os.utime(path, (when, when))
    return path


def render_pair(cache: Path, key: str, size: int, hours: float) -> tuple[Path, Path]:
    return (
        put(cache / "renders" / f"{key}.wav", size, hours),
        put(cache / "renders" / f"{key}.json", 100, hours),
    )


def test_the_least_recently_used_go_first_until_the_cache_fits(tmp_path):
    old_render = render_pair(tmp_path, "a" * 32, 5000, hours=50)
    newer_render = render_pair(tmp_path, "b" * 32, 5000, hours=2)
    old_clip = put(tmp_path / "speech" / "ab" / "old.wav", 3000, hours=40)
    new_clip = put(tmp_path / "speech" / "cd" / "new.wav", 3000, hours=1)
    bell = put(tmp_path / "sounds" / "bell-1234-22050.wav", 9000, hours=99)

    trimmed = trim_cache(tmp_path, limit=9000)

    assert not any(path.exists() for path in (*old_render, old_clip))
    assert all(path.exists() for path in (*newer_render, new_clip, bell))  # bells are not the cache's to trim
    assert trimmed.removed == 2 and trimmed.freed_bytes == 5100 + 3000
    assert trimmed.kept_bytes == cache_size(tmp_path) == 5100 + 3000


def test_under_the_limit_nothing_is_removed(tmp_path):
    pair = render_pair(tmp_path, "a" * 32, 5000, hours=500)
    assert trim_cache(tmp_path, limit=10_000).removed == 0
    assert all(path.exists() for path in pair)


def test_what_is_in_use_or_just_used_is_kept_even_over_the_limit(tmp_path):
    playing = render_pair(tmp_path, "a" * 32, 5000, hours=100)
    just_made = put(tmp_path / "speech" / "ab" / "fresh.wav", 3000, hours=(CLIP_RECENT_S / 2) / HOUR)
    other = put(tmp_path / "speech" / "cd" / "other.wav", 3000, hours=10)
    with in_use(playing):
        trimmed = trim_cache(tmp_path, limit=0)
    assert all(path.exists() for path in (*playing, just_made))
    assert not other.exists()
    assert trimmed.over_limit_kept == 2
    trim_cache(tmp_path, limit=0)  # no longer in use: it goes now
    assert not any(path.exists() for path in playing)


def test_a_render_another_kindred_uses_is_kept_until_that_kindred_is_gone(tmp_path):
    pair = render_pair(tmp_path, "a" * 32, 5000, hours=100)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from app.render.cache_limit import hold; "
            "hold([Path(sys.argv[1])]); print('held', flush=True); time.sleep(60)",
            str(pair[0]),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert trim_cache(tmp_path, limit=0).over_limit_kept == 1
        assert all(path.exists() for path in pair)
    finally:
        holder.kill()
        holder.wait()
    trim_cache(tmp_path, limit=0)  # its mark stays behind, but its process is gone
    assert not any(path.exists() for path in pair)


def test_a_render_made_moments_ago_is_kept_but_not_for_long(tmp_path):
    fresh = render_pair(tmp_path, "a" * 32, 5000, hours=(RENDER_RECENT_S / 2) / HOUR)
    trim_cache(tmp_path, limit=0)
    assert all(path.exists() for path in fresh)
    trim_cache(tmp_path, limit=0, now=time.time() + RENDER_RECENT_S)
    assert not any(path.exists() for path in fresh)


def test_this_process_marks_a_render_it_uses_and_unmarks_it_after(tmp_path):
    wav, _ = render_pair(tmp_path, "a" * 32, 5000, hours=100)
    with in_use([wav]), in_use([wav]):
        marks = list(wav.parent.glob(f".{wav.name}.kindred-{os.getpid()}-*"))
        assert len(marks) == 1
    assert marks[0].exists() is False


def test_partial_files_of_writes_in_progress_are_left_alone(tmp_path):
    partial = put(tmp_path / "renders" / f".{'a' * 32}.wav.kindred-1-x.part", 5000, hours=100)
    worker_part = put(tmp_path / "speech" / "ab" / "clip.part-1.wav", 5000, hours=100)
    trim_cache(tmp_path, limit=0)
    assert partial.exists() and worker_part.exists()


def test_a_render_found_in_the_cache_becomes_the_most_recently_used(tmp_path):
    first = render_session(SCRIPT, FakeEngine(), length=60, cache_root=tmp_path)
    long_ago = time.time() - 30 * HOUR
    os.utime(first.wav_path, (long_ago, long_ago))
    os.utime(first.timeline_path, (long_ago, long_ago))
    again = render_session(SCRIPT, FakeEngine(), length=60, cache_root=tmp_path)
    assert again.from_cache
    assert time.time() - again.wav_path.stat().st_mtime < 60
    assert time.time() - again.timeline_path.stat().st_mtime < 60


def test_a_clip_found_in_the_cache_becomes_the_most_recently_used(tmp_path):
    engine = FakeEngine()
    cache = SpeechCache(tmp_path / "speech", engine, None, 120)
    cache.fill(["Let your body settle."])
    clip = cache.path_for("Let your body settle.")
    long_ago = time.time() - 30 * HOUR
    os.utime(clip, (long_ago, long_ago))
    assert cache.missing(["Let your body settle.", "Not spoken yet."]) == ["Not spoken yet."]
    assert time.time() - clip.stat().st_mtime < 60


def test_a_playing_session_keeps_its_clips_until_it_stops(tmp_path):
    session = StreamingSession(SCRIPT, FakeEngine(), length=60, voice=None, rate=120, cache_root=tmp_path)
    session.start()
    assert session.wait(10)
    clips = sorted((tmp_path / "speech").rglob("*.wav"))
    assert len(clips) == 2
    long_ago = time.time() - 30 * HOUR
    for clip in clips:
        os.utime(clip, (long_ago, long_ago))
    trim_cache(tmp_path, limit=0)
    assert all(clip.exists() for clip in clips)
    session.stop()
    trim_cache(tmp_path, limit=0)
    assert not any(clip.exists() for clip in clips)


@pytest.mark.parametrize(
    ("setting", "expected_gb"),
    [
        (None, DEFAULT_LIMIT_GB),
        (5, 5),
        (0.5, 0.5),
        ("lots", DEFAULT_LIMIT_GB),
        (True, DEFAULT_LIMIT_GB),
        (float("nan"), DEFAULT_LIMIT_GB),
        (0, DEFAULT_LIMIT_GB),
        (-3, DEFAULT_LIMIT_GB),
        (1e9, DEFAULT_LIMIT_GB),
    ],
)
def test_the_setting_is_read_as_gigabytes_and_nonsense_is_the_default(setting, expected_gb):
    assert limit_bytes(setting) == int(expected_gb * 1024**3)


def test_kindred_render_keeps_the_cache_under_the_limit_set_in_settings(tmp_path, store, kindred_home):
    """Before the limit the cache only grew: 12 GB after 265 renders of the hostile test."""
    store.set_setting(LIMIT_SETTING, 0.25)  # the smallest choice: 256 MiB
    store.close()
    cache = paths.cache_dir()
    # 300 MiB of old speech from earlier sessions, sparse files so the test is quick.
    for index in range(3):
        stale = cache / "speech" / f"{index:02x}" / "stale.wav"
        stale.parent.mkdir(parents=True, exist_ok=True)
        with open(stale, "wb") as handle:
            handle.truncate(100 * 1024**2)
        os.utime(stale, (time.time() - 48 * HOUR,) * 2)
    script = tmp_path / "short.md"
    script.write_text(SCRIPT_TEXT, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "app", "render", str(script), "-o", str(tmp_path / "out.wav")],
        capture_output=True,
        text=True,
        env={**os.environ, "KINDRED_ENGINE": "fake"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert cache_size(cache) <= 0.25 * 1024**3
    assert (tmp_path / "out.wav").exists()
    assert list((cache / "renders").glob("*.wav")), "the render just made is kept"
