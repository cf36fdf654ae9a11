"""The timer's script: bells at exact times on the session clock, and exactly the chosen length."""

import wave

import numpy as np
import pytest

from app.library import timer
from app.library.timer import bell_times, describe_bells, make_timer_script
from app.render import plan_timeline, render_session
from app.render import timeline as render_timeline
from app.render.pcm import SESSION_RATE, frame_count
from app.render.sounds import bell_names, decoded_bell
from app.script import MAX_PAUSE_SECONDS, Bell, Meta, Pause, Script, Section, parse_script, script_to_text
from app.time_text import length_label
from app.tts import FakeEngine

MS = 0.001


@pytest.fixture(scope="module")
def bell_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("bells")


@pytest.fixture(scope="module")
def bell_frames(bell_cache):
    """Each bell's length in frames, decoded exactly as the renderer decodes it."""
    return {name: frame_count(decoded_bell(name, bell_cache)) for name in bell_names()}


@pytest.fixture(scope="module")
def bell_seconds(bell_frames):
    return {name: frames / SESSION_RATE for name, frames in bell_frames.items()}


def planned(script, bell_frames):
    plan = plan_timeline(
        script,
        sentence_frames=lambda text: pytest.fail(f"a timer has nothing to say, got {text!r}"),
        bell_frames=lambda name: bell_frames[name],
        rate=SESSION_RATE,
        length=script.default_length,
    )
    bells = [(event.start / SESSION_RATE, event.text) for event in plan.events if event.kind == "bell"]
    return plan, bells


def expected_bells(length, interval, start, interval_bell, end, seconds):
    bells = [(timer.LEAD_IN, start)] if start else []
    end_start = length - timer.LEAD_OUT - (seconds[end] if end else 0)
    if interval:
        k = 1
        while k * interval + seconds[interval_bell] <= end_start + 1e-9:
            bells.append((k * interval, interval_bell))
            k += 1
    if end:
        bells.append((end_start, end))
    return bells


def test_the_lead_in_out_and_rate_are_the_renderers():
    assert (timer.LEAD_IN, timer.LEAD_OUT) == (render_timeline.LEAD_IN, render_timeline.LEAD_OUT)
    assert timer.FRAME_RATE == SESSION_RATE


@pytest.mark.parametrize(
    ("length", "interval", "start", "interval_bell", "end"),
    [
        (20 * 60, 5 * 60, "singing-bowl", "soft-chime", "singing-bowl"),
        (20 * 60, None, "singing-bowl", "soft-chime", "singing-bowl"),
        (45 * 60, 10 * 60, "small-gong", "singing-bowl", "soft-chime"),
        (60 * 60, 7.5 * 60, None, "small-gong", "singing-bowl"),
        (10 * 60, 60, "soft-chime", "soft-chime", None),
        (5 * 60, None, None, "soft-chime", None),
        (137.25, 20.5, "soft-chime", "soft-chime", "soft-chime"),
        (3 * 3600, 25 * 60, "singing-bowl", "soft-chime", "singing-bowl"),
    ],
)
def test_bells_land_at_their_times_and_the_length_is_exact(
    length, interval, start, interval_bell, end, bell_frames, bell_seconds
):
    script = make_timer_script(length, interval, start, end, interval_bell, bell_seconds=bell_seconds)
    plan, bells = planned(script, bell_frames)

    assert plan.total_frames == round(length * SESSION_RATE)
    want = expected_bells(length, interval, start, interval_bell, end, bell_seconds)
    assert [name for _, name in bells] == [name for _, name in want]
    for (got, _), (expected, _) in zip(bells, want, strict=True):
        assert got == pytest.approx(expected, abs=MS)
    if end:
        # The end bell rings out exactly LEAD_OUT before the end.
        last = [event for event in plan.events if event.kind == "bell"][-1]
        assert plan.total_frames - last.end == round(timer.LEAD_OUT * SESSION_RATE)


def test_the_rendered_session_has_its_bells_where_the_sidecar_says(bell_cache, bell_seconds):
    length, interval = 95.0, 30.0
    script = make_timer_script(length, interval, bell_seconds=bell_seconds)
    result = render_session(script, FakeEngine(), cache_root=bell_cache)

    with wave.open(str(result.wav_path)) as reader:
        assert reader.getnframes() == round(length * SESSION_RATE)
        samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2")
    assert result.timeline.length == pytest.approx(length, abs=MS)
    starts = [bell.start for bell in result.timeline.bells]
    assert starts == pytest.approx([0.5, 30.0, 60.0, length - 1.5 - bell_seconds["singing-bowl"]], abs=MS)

    # What is heard agrees: silence up to each bell, sound within a few milliseconds of it.
    for start in starts:
        at = round(start * SESSION_RATE)
        assert not samples[at - 200 : at].any()
        assert np.abs(samples[at : at + 200]).max() > 0
    assert not samples[-round(1.4 * SESSION_RATE) :].any()


def test_title_theme_sections_and_ambience(bell_seconds):
    script = make_timer_script(20 * 60, 5 * 60, ambience="rain", bell_seconds=bell_seconds)
    assert script.meta.title == "Timer · 20 min"
    assert script.meta.theme == "timer"
    assert script.meta.ambience == "rain"
    assert script.default_length == 1200
    titles = [section.title for section in script.sections]
    assert titles == ["Sitting", "Interval 2", "Interval 3", "Interval 4"]
    assert "every 5 min" in script.meta.summary

    plain = make_timer_script(20 * 60, None, bell_seconds=bell_seconds)
    assert [section.title for section in plain.sections] == ["Sitting"]
    assert plain.meta.ambience is None


def test_the_sections_start_on_their_interval_bells(bell_frames, bell_seconds):
    script = make_timer_script(30 * 60, 10 * 60, bell_seconds=bell_seconds)
    plan, _ = planned(script, bell_frames)
    assert [mark.start / SESSION_RATE for mark in plan.sections] == pytest.approx([0.5, 600, 1200], abs=MS)


def test_the_script_reads_back_unchanged_even_with_hour_long_silences(bell_seconds):
    script = make_timer_script(2.5 * 3600, None, ambience="ocean", bell_seconds=bell_seconds)
    pauses = [item for _, item in script.items() if isinstance(item, Pause)]
    assert len(pauses) == 3 and all(pause.seconds <= MAX_PAUSE_SECONDS for pause in pauses)
    assert parse_script(script_to_text(script)) == script


@pytest.mark.parametrize(
    ("length", "interval", "start", "interval_bell", "end"),
    [
        (20 * 60, 5 * 60, "singing-bowl", "soft-chime", "singing-bowl"),
        (20 * 60, None, None, "soft-chime", "small-gong"),
        (60 * 60, 7.5 * 60, None, "small-gong", "singing-bowl"),
        (10 * 60, 60, "soft-chime", "soft-chime", None),
        (5 * 60, None, None, "soft-chime", None),
        (3 * 3600, 25 * 60, "singing-bowl", "soft-chime", "singing-bowl"),
    ],
)
def test_bell_times_are_where_the_renderer_plays_the_bells(
    length, interval, start, interval_bell, end, bell_frames, bell_seconds
):
    script = make_timer_script(length, interval, start, end, interval_bell, bell_seconds=bell_seconds)
    _, bells = planned(script, bell_frames)
    times = bell_times(script, bell_seconds)
    assert len(times) == len(bells)
    assert times == pytest.approx([at for at, _ in bells], abs=MS)
    want = expected_bells(length, interval, start, interval_bell, end, bell_seconds)
    assert times == pytest.approx([at for at, _ in want], abs=MS)


def test_bell_times_count_each_bell_and_pause_after_the_lead_in():
    # Worked out by hand: every item follows the one before, and the first follows LEAD_IN.
    sitting = Section("Sitting", (Bell("small-gong"), Pause(10.0), Bell(None), Pause(2.5)))
    interval = Section("Interval 2", (Bell("soft-chime"), Pause(4.0), Bell("small-gong")))
    script = Script(Meta(title="By hand", summary="Bells.", theme="timer"), (sitting, interval))
    lengths = {"small-gong": 3.0, "singing-bowl": 6.0, "soft-chime": 1.5}
    # A bell without a name is the timer's default bell (the singing bowl).
    assert bell_times(script, lengths) == pytest.approx([0.5, 13.5, 22.0, 27.5], abs=MS)

    silent = make_timer_script(60, start_bell=None, end_bell=None)
    assert bell_times(silent, {}) == []


@pytest.mark.parametrize(
    ("times", "start", "end", "sentence"),
    [
        ([], False, False, "20 min of silence, without bells."),
        ([0.5], True, False, "A bell to begin, at 0:00."),
        ([1188.5], False, True, "A bell to end, at 19:48, so that it has rung out by 20:00."),
        (
            [0.5, 1188.5],
            True,
            True,
            "A bell to begin, at 0:00, and one to end, at 19:48, so that it has rung out by 20:00.",
        ),
        ([300, 600, 900], False, False, "Interval bells at 5:00, 10:00 and 15:00."),
        (
            [0.5, 600],
            True,
            False,
            "A bell to begin, at 0:00, and an interval bell at 10:00.",
        ),
        (
            [0.5, 600, 1188.5],
            True,
            True,
            "A bell to begin, at 0:00; an interval bell at 10:00; "
            "and one to end, at 19:48, so that it has rung out by 20:00.",
        ),
        (
            [300, 600, 1188.5],
            False,
            True,
            "Interval bells at 5:00 and 10:00, and a bell to end, at 19:48, "
            "so that it has rung out by 20:00.",
        ),
    ],
)
def test_describe_bells_names_each_bell_by_its_part(times, start, end, sentence):
    assert describe_bells(times, 20 * 60, start_bell=start, end_bell=end) == sentence


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"length_s": 10.0}, "too short for these bells"),
        ({"length_s": 11.0, "start_bell": None}, "too short for these bells"),
        ({"length_s": 600.0, "interval_s": 3.0}, "shorter than the bells"),
        ({"length_s": 600.0, "interval_s": 8.0, "start_bell": "singing-bowl"}, "shorter than the bells"),
        ({"length_s": 600.0, "interval_s": 600.0}, "no room for an interval bell"),
        ({"length_s": 600.0, "interval_s": 0.0}, "longer than zero"),
        ({"length_s": 0.0}, "at least one minute"),
        ({"length_s": float("nan")}, "at least one minute"),
        ({"length_s": 4 * 3600.0}, "at most 3 h"),
    ],
)
def test_impossible_timers_are_refused_with_a_reason(kwargs, message, bell_seconds):
    with pytest.raises(ValueError, match=message):
        make_timer_script(bell_seconds=bell_seconds, **kwargs)


def test_a_bell_of_unknown_length_is_refused():
    with pytest.raises(ValueError, match="length of the bell singing-bowl is not known"):
        make_timer_script(600, bell_seconds={"soft-chime": 5.0})
    # Without any bell, no lengths are needed.
    assert make_timer_script(600, start_bell=None, end_bell=None).meta.title == "Timer · 10 min"


@pytest.mark.parametrize(
    ("seconds", "label"),
    [(1200, "20 min"), (90, "1 min 30 s"), (5400, "1 h 30 min"), (3600, "1 h"), (30, "30 s"), (7.5, "7.5 s")],
)
def test_length_labels(seconds, label):
    assert length_label(seconds) == label
