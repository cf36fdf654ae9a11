"""split_sentences: where a paragraph is cut into utterances, and that nothing is lost."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.tts import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Breathe in. Breathe out.", ["Breathe in.", "Breathe out."]),
        ("Are you here? Yes! Good.", ["Are you here?", "Yes!", "Good."]),
        ("Rest now… Let go.", ["Rest now…", "Let go."]),
        ("Rest now... Let go.", ["Rest now...", "Let go."]),
        ("“Stop.” Then listen.", ["“Stop.”", "Then listen."]),
        ('He said "enough!" Then silence.', ['He said "enough!"', "Then silence."]),
        ("(Pause here.) Begin again.", ["(Pause here.)", "Begin again."]),
        ("Mr. Smith and Dr. Lee sat down. They smiled.", ["Mr. Smith and Dr. Lee sat down.", "They smiled."]),
        ("Use a cue, e.g. The breath. Or a sound.", ["Use a cue, e.g. The breath.", "Or a sound."]),
        ("Breathe for 2.5 seconds. Then rest.", ["Breathe for 2.5 seconds.", "Then rest."]),
        ("It was J. R. R. Tolkien. Yes.", ["It was J. R. R. Tolkien.", "Yes."]),
        ("Born in the U.S. Army barracks.", ["Born in the U.S. Army barracks."]),
        ("Breathe in… and out… slowly.", ["Breathe in… and out… slowly."]),
        ("Count to 3. Then open your eyes.", ["Count to 3.", "Then open your eyes."]),
        ("Line one.\nLine two.\n\n  Line three", ["Line one.", "Line two.", "Line three"]),
        ("No full stop at the end", ["No full stop at the end"]),
    ],
)
def test_cuts_at_sentence_ends_only(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n"])
def test_empty_text_gives_no_pieces(text):
    assert split_sentences(text) == []


def test_long_sentence_is_cut_at_clauses_first():
    clause = "we sit together in the quiet light of the morning"  # 49 characters
    text = f"{clause}, {clause}; {clause}, {clause}."
    pieces = split_sentences(text, max_chars=120)
    assert pieces == [f"{clause}, {clause};", f"{clause}, {clause}."]


def test_long_sentence_without_punctuation_is_cut_at_spaces():
    text = " ".join(["word"] * 100)  # 499 characters
    pieces = split_sentences(text, max_chars=100)
    assert all(len(p) <= 100 for p in pieces)
    assert len(pieces) == 5
    assert " ".join(pieces) == text


def test_a_single_overlong_word_stays_whole():
    word = "a" * 50
    assert split_sentences(f"Say {word} now.", max_chars=20) == ["Say", word, "now."]


def test_max_chars_must_be_positive():
    with pytest.raises(ValueError):
        split_sentences("Hello.", max_chars=0)


WORDS = st.sampled_from(
    [
        "Breathe",
        "in.",
        "out!",
        "Mr.",
        "e.g.",
        "3.5",
        "love,",
        "rest;",
        "…",
        "“Yes.”",
        "why?",
        "you",
        "and",
        "U.S.",
    ]
)


@given(
    st.lists(WORDS, max_size=80), st.integers(min_value=5, max_value=400), st.sampled_from([" ", "\n", "  "])
)
def test_pieces_keep_every_word_and_respect_the_limit(words, max_chars, separator):
    text = separator.join(words)
    pieces = split_sentences(text, max_chars=max_chars)
    assert " ".join(pieces).split() == text.split()
    assert all(p and p == p.strip() for p in pieces)
    assert all(len(p) <= max_chars or " " not in p for p in pieces)
