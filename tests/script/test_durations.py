import math

import pytest

from app.script import DurationError, format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("500ms", 0.5),
        ("5s", 5.0),
        ("10m", 600.0),
        ("2h", 7200.0),
        ("1m30s", 90.0),
        ("1h5m", 3900.0),
        ("1h2m3s400ms", 3723.4),
        ("1.5s", 1.5),
        ("0.1m", 6.0),  # exact: decimal arithmetic, not 6.000000000000001
        ("2.5ms", 0.0025),
        ("0s", 0.0),
        ("  5m  ", 300.0),
        ("007s", 7.0),
    ],
)
def test_parse_duration_reads_units_and_combinations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("10", "it has no unit"),
        ("1m30", "the last number has no unit"),
        ("five", "it does not start with a number"),
        ("5min", "unknown unit min"),
        ("5S", "unknown unit S"),
        ("30s1m", "its units are out of order (write the largest first)"),
        ("1m1m", "the unit m appears twice"),
        ("-5s", "it is negative"),
        ("1m 30s", "it contains a space"),
        ("1.s", "unexpected '.'"),
        ("5s+", "unexpected '+'"),
        (".5s", "it does not start with a number"),
        ("1" + "0" * 400 + "h", "it is too large"),
    ],
)
def test_parse_duration_explains_bad_input(text, problem):
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert caught.value.problem == problem
    message = str(caught.value)
    assert "write a number and a unit (ms, s, m or h)" in message
    assert not message.endswith(".")


def test_duration_error_is_a_value_error():
    with pytest.raises(ValueError, match=r"^10 is not a length: it has no unit"):
        parse_duration("10")


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("5min", "5m"),
        ("10 minutes", None),  # without the space it is still no length, so nothing is offered
        ("1m 30s", "1m30s"),
        ("20secs", "20s"),
        ("1hour", "1h"),
        ("5M", "5m"),
        ("-5s", "5s"),
        (".5s", "0.5s"),
        ("five", None),
    ],
)
def test_parse_duration_suggests_the_obvious_fix(text, fix):
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert caught.value.fix == fix
    if fix:
        assert str(caught.value).endswith(f"; did you mean {fix}?")


def test_a_huge_number_of_digits_is_refused_quickly():
    with pytest.raises(DurationError, match="too large"):
        parse_duration("9" * 200_000 + "s")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (600, "10m"),
        (90, "1m30s"),
        (0.5, "500ms"),
        (3600, "1h"),
        (5400, "1h30m"),
        (10800, "3h"),
        (3661, "1h1m1s"),
        (1.5, "1.5s"),
        (60.5, "1m500ms"),
        (0.0005, "0.5ms"),
        (0, "0s"),
        (20, "20s"),
    ],
)
def test_format_duration_writes_largest_units_first(seconds, text):
    assert format_duration(seconds) == text


@pytest.mark.parametrize(
    "seconds",
    [0.1, 1 / 3, 2 / 3, 59.999999999, 3599.999, 1e-300, 5e-324, 1.7976931348623157e308, 123456.789, 0.001],
)
def test_format_duration_round_trips_exactly(seconds):
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize("seconds", [-1, math.inf, -math.inf, math.nan])
def test_format_duration_refuses_what_is_not_a_length(seconds):
    with pytest.raises(ValueError, match="cannot write"):
        format_duration(seconds)
