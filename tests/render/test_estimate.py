"""Length estimates while typing: the minimum a render gives, which offered lengths fit, and speed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.render import LengthError, plan_timeline, render_session
from app.render.estimate import (
    FALLBACK_BELL_SECONDS,
    LengthEstimate,
    OfferedLength,
    bell_frames,
    estimate_lengths,
    sentence_seconds,
)
from app.render.pcm import SESSION_RATE, frame_count
from app.render.sounds import bell_names, decoded_bell
from app.render.timeline import LEAD_IN, LEAD_OUT, PARAGRAPH_GAP
from app.script import load_script, parse_script
from app.script.template import template_text
from app.time_text import minutes_and_seconds
from app.tts import FakeEngine

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
HEADER = "---\ntitle: T\nsummary: S\ntheme: t\n{durations}---\n"
#: How far the estimate may be from the fake voice's render: trimming its clips takes off a few
#: samples of fade, about 0.2 ms a sentence (measured: 13 to 28 ms for these scripts).
TOLERANCE_S = 0.05


def script(body: str, durations: str = "") -> object:
    return parse_script(HEADER.format(durations=f"durations: [{durations}]\n" if durations else "") + body)


@pytest.mark.parametrize(
    "name", ["pause-before-you-react", "choosing-compassion", "together-a-practice-for-two"]
)
def test_the_minimum_is_the_natural_length_of_a_render_with_the_fake_voice(name, tmp_path):
    parsed = load_script(SCRIPTS / f"{name}.md")
    rendered = render_session(parsed, FakeEngine(), cache_root=tmp_path, length=None)
    estimate = estimate_lengths(parsed)
    assert estimate.minimum_s == pytest.approx(rendered.timeline.natural_length, abs=TOLERANCE_S)


def test_the_minimum_of_a_small_script_adds_up_exactly(tmp_path):
    # 3 words and 4 words at 120 wpm: 1.5 s and 2 s of speech; a 5 s pause between; a bell.
    estimate = estimate_lengths(
        script("One two three.\n[pause 5s]\nFour five six seven.\n[bell]\n"), rate=120
    )
    bell = frame_count(decoded_bell(None, tmp_path)) / SESSION_RATE
    assert bell == 10.0  # singing-bowl.ogg
    assert estimate.speech_s == pytest.approx(3.5)
    assert estimate.minimum_s == pytest.approx(LEAD_IN + 1.5 + 5 + 2.0 + bell + LEAD_OUT, abs=1e-4)
    assert estimate.offered == ()


def test_speech_follows_the_rate_and_short_sentences_have_a_floor():
    assert sentence_seconds("one two three four five six", rate=120) == pytest.approx(3.0)
    assert sentence_seconds("one two three four five six", rate=60) == pytest.approx(6.0)
    assert sentence_seconds("Rest.", rate=135) == pytest.approx(0.44, abs=0.01)
    assert sentence_seconds("Rest.", rate=400) == pytest.approx(0.3)
    slow, fast = (
        estimate_lengths(load_script(SCRIPTS / "choosing-compassion.md"), rate) for rate in (100, 200)
    )
    assert slow.speech_s == pytest.approx(2 * fast.speech_s, rel=0.01)
    assert slow.minimum_s - fast.minimum_s == pytest.approx(slow.speech_s - fast.speech_s, abs=0.01)


def test_offered_lengths_that_fit_and_that_do_not():
    # About 24 s of sound: 20 s of pauses, 2 paragraphs, lead-in and lead-out.
    parsed = script("Breathe in.\n[pause 20s+]\nBreathe out.\n", "10s, 1m, 2m")
    estimate = estimate_lengths(parsed)
    assert estimate.offered[0] == OfferedLength(10.0, fits=False, silence_s=0.0)
    one, two = estimate.offered[1:]
    assert (one.length_s, one.fits, two.length_s, two.fits) == (60.0, True, 120.0, True)
    assert one.silence_s == pytest.approx(60 - estimate.minimum_s, abs=1e-4)
    assert two.silence_s == pytest.approx(120 - estimate.minimum_s, abs=1e-4)
    # The verdicts agree with the planner a render uses.
    for offered in estimate.offered:
        if offered.fits:
            plan_timeline(parsed, _frames, bell_frames, SESSION_RATE, offered.length_s)
        else:
            with pytest.raises(LengthError):
                plan_timeline(parsed, _frames, bell_frames, SESSION_RATE, offered.length_s)


def test_a_script_without_flexible_pauses_fits_only_its_natural_length():
    rigid = script("Breathe in.\n[pause 5s]\nBreathe out.\n", "1m")
    estimate = estimate_lengths(rigid)
    assert estimate.flexible is False
    assert estimate.offered == (OfferedLength(60.0, fits=False, silence_s=0.0),)
    assert estimate.describe().endswith("1m needs a flexible pause")
    natural = round(estimate.minimum_s, 2)
    exact = estimate_lengths(script("Breathe in.\n[pause 5s]\nBreathe out.\n", f"{natural}s"))
    assert exact.offered[0].fits and exact.offered[0].silence_s == 0


def test_describe():
    estimate = LengthEstimate(
        minimum_s=252.4,
        speech_s=100.0,
        offered=(
            OfferedLength(180.0, False, 0.0),
            OfferedLength(300.0, True, 47.6),
            OfferedLength(600.0, True, 347.6),
        ),
    )
    assert estimate.describe() == "Minimum 4 min 12 s · 3m is too short · 5m fits · 10m fits"
    assert LengthEstimate(59.6, 10.0, ()).describe() == "Minimum 1 min · plays at its natural length"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.2, "0 s"),
        (42.4, "42 s"),
        (60, "1 min"),
        (252.4, "4 min 12 s"),
        (3600, "1 h"),
        (3725, "1 h 2 min 5 s"),
        (3605, "1 h 0 min 5 s"),
    ],
)
def test_minutes_and_seconds(seconds, text):
    assert minutes_and_seconds(seconds) == text


def test_bell_lengths_are_what_a_render_decodes(tmp_path):
    names = bell_names()
    assert len(names) >= 3
    for name in names:
        assert bell_frames(name) == frame_count(decoded_bell(name, tmp_path)), name
    assert bell_frames(None) == bell_frames("singing-bowl")


def test_an_unknown_bell_counts_as_the_default_one_and_never_raises():
    assert bell_frames("no-such-bell") == bell_frames(None)
    estimate = estimate_lengths(script("Breathe in.\n[bell gongg]\n"))
    assert estimate.minimum_s == pytest.approx(estimate_lengths(script("Breathe in.\n[bell]\n")).minimum_s)


@pytest.mark.parametrize("ffmpeg", [True, False], ids=["ffmpeg-fails", "no-ffmpeg"])
def test_a_bell_that_cannot_be_read_gets_the_fallback_length(monkeypatch, tmp_path, ffmpeg):
    import app.render.sounds
    from app import paths
    from app.render.ffmpeg import FfmpegMissing

    bells = tmp_path / "bells"
    bells.mkdir()
    (bells / "broken.ogg").write_bytes(b"not audio at all")
    monkeypatch.setattr(paths, "bells_dir", lambda: bells)
    if not ffmpeg:

        def missing():
            raise FfmpegMissing("no ffmpeg here")

        monkeypatch.setattr(app.render.sounds, "ffmpeg_or_raise", missing)
    assert bell_frames("broken") == round(FALLBACK_BELL_SECONDS * SESSION_RATE)


def test_the_template_parses_and_renders_at_each_of_its_lengths(tmp_path):
    parsed = parse_script(template_text("Evening Kindness"))
    assert parsed.meta.title == "Evening Kindness"
    assert parsed.meta.durations == (300.0, 600.0)
    estimate = estimate_lengths(parsed)
    assert all(offered.fits for offered in estimate.offered)
    engine = FakeEngine()
    for length in parsed.meta.durations:
        result = render_session(parsed, engine, length=length, cache_root=tmp_path)
        assert frame_count(result.wav_path) == round(length * SESSION_RATE)
        assert result.timeline.natural_length == pytest.approx(estimate.minimum_s, abs=TOLERANCE_S)
        result.wav_path.unlink()


def test_the_template_shows_every_part_of_the_format():
    from app.script import Bell, Comment, Pause, Speech

    parsed = parse_script(template_text("Mine"))
    items = [item for _, item in parsed.items()]
    assert [section.title for section in parsed.sections] == ["Arriving", "Resting in kindness"]
    assert parsed.meta.theme == "my-practice" and parsed.meta.summary
    assert any(isinstance(i, Pause) and not i.flexible and i.seconds == 3 for i in items)
    assert any(isinstance(i, Pause) and i.flexible and i.seconds == 20 for i in items)
    assert any(isinstance(i, Bell) for i in items)
    assert any(isinstance(i, Comment) for i in items)
    assert sum(isinstance(i, Speech) for i in items) >= 2


@pytest.mark.parametrize(
    "title",
    ["Love: a practice", "yes", "123", "", "  ", "# not a heading", "---", "tab\tand\nnewline", "'quotes\""],
)
def test_the_template_takes_any_title(title):
    parsed = parse_script(template_text(title))
    assert parsed.meta.title == (" ".join(title.split()) or "My Practice")


def test_print_how_long_an_estimate_takes(capsys):
    """A benchmark, not a check (no timing assertion): run with -s to see it."""
    long_script = load_script(SCRIPTS / "a-long-sitting-with-kindness.md")  # offers 30 and 45 minutes
    estimate_lengths(long_script)  # bell lengths are read on the first call
    runs = 50
    started = time.perf_counter()
    for _ in range(runs):
        estimate = estimate_lengths(long_script)
    each = (time.perf_counter() - started) / runs
    with capsys.disabled():
        print(
            f"\nestimate_lengths of {long_script.meta.title!r} ({len(long_script.items())} items, "
            f"{estimate.describe()}): {each * 1000:.2f} ms each over {runs} runs"
        )
    assert estimate.offered[0].length_s == 30 * 60


def _frames(sentence: str) -> int:
    return round(sentence_seconds(sentence) * SESSION_RATE)


def test_paragraph_gaps_are_counted():
    two = estimate_lengths(script("One.\n\nTwo.\n"))
    one = estimate_lengths(script("One.\nTwo.\n"))  # one paragraph: a breath between sentences, not a gap
    assert two.minimum_s - two.speech_s == pytest.approx(LEAD_IN + PARAGRAPH_GAP + LEAD_OUT, abs=1e-4)
    assert one.minimum_s < two.minimum_s
