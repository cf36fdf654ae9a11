"""Pronunciations: the known mis-readings fixed in context, a script's own `pronounce:`, and
proof through the voices' own phonemizer that the respelling gives the right sound."""

from __future__ import annotations

import pytest

from app.script import parse_script, unused_pronunciations
from app.tts.pronounce import own_rules, respell

FIXED = [
    ("Close your eyes, or soften your gaze.", "Cloze your eyes, or soften your gaze."),
    ("If it feels right, close your eyes.", "If it feels right, cloze your eyes."),
    ("You can close them now.", "You can cloze them now."),
    ("Let your eyes close.", "Let your eyes cloze."),
    ("The practice comes to a close.", "The practice comes to a cloze."),
    ("Notice where that moment lives in your body.", "Notice where that moment livs in your body."),
    ("It still lives in you.", "It still livs in you."),
    ("They seemed relaxed or content.", "They seemed relaxed or kun-tent."),
    ("Be content with this breath.", "Be kun-tent with this breath."),
    ("Hurry to explain or excuse, and that is fine.", "Hurry to explain or excuze, and that is fine."),
    ("Bow your head a little.", "Bau your head a little."),
    ("Let the evening wind down.", "Let the evening wined down."),
]

UNCHANGED = [
    "Stay close to the breath.",
    "A close friend sits beside you.",
    "Hold them close.",
    "Our lives are tangled together.",
    "The lives we share with others.",
    "Notice the content of your thoughts.",
    "There is no excuse needed.",
    "Take a bow.",
    "The wind moves in the trees.",
    "Closer now. Closely.",
]


@pytest.mark.parametrize(("written", "spoken"), FIXED)
def test_known_misreadings_are_respelled_in_context(written, spoken):
    assert respell(written) == spoken


@pytest.mark.parametrize("written", UNCHANGED)
def test_the_same_words_in_other_senses_stay_as_written(written):
    assert respell(written) == written


def test_a_scripts_own_pronunciations_apply_as_whole_words_in_any_case_longest_first():
    rules = own_rules({"Nguyen": "win", "close your eyes": "cloze your eyes now", "Ann": "Anne"})
    # A written capital stays a capital: a name that starts a sentence still does.
    assert respell("Thank you, Nguyen. NGUYEN!", rules) == "Thank you, Win. Win!"
    assert respell("Annie and Ann", rules) == "Annie and Anne"
    # The script's phrase wins over the common rule for the same words (it is applied after,
    # to the text the common rules left: "Close your eyes" is already "Cloze your eyes").
    assert respell("Gently close   your eyes.", rules) == "Gently cloze   your eyes."


def test_respelled_words_get_the_right_sounds_from_the_phonemizer():
    piper = pytest.importorskip("piper.phonemize_espeak")
    from piper.voice import ESPEAK_DATA_DIR

    phonemizer = piper.EspeakPhonemizer(ESPEAK_DATA_DIR)

    def sounds(text: str) -> str:
        # Stress marks dropped: the vowels and consonants are what is checked.
        return "".join(sum(phonemizer.phonemize("en-us", text), [])).replace("ˈ", "").replace("ˌ", "")

    assert "kloʊs" in sounds("close your eyes") and "kloʊz" in sounds(respell("close your eyes"))
    moment = "that moment lives in your body"
    assert "laɪvz" in sounds(moment) and "lɪvz" in sounds(respell(moment))
    assert "kjuːs" in sounds("to explain or excuse") and "kjuːz" in sounds(respell("to explain or excuse"))
    assert "kʌnt" in sounds(respell("relaxed or content")) and "kɑːnt" in sounds("relaxed or content")
    assert "baʊ" in sounds(respell("bow your head")) and "boʊ" in sounds("bow your head")


SCRIPT = """---
title: Names
summary: A script that names someone.
theme: test
pronounce: {Nguyen: win, Siobhan: shiv awn}
---
Thank you, Nguyen.
"""


def test_an_unused_pronounce_entry_is_reported_at_its_line():
    script = parse_script(SCRIPT)
    assert script.meta.pronounce == (("Nguyen", "win"), ("Siobhan", "shiv awn"))
    (problem,) = unused_pronunciations(script, SCRIPT)
    assert problem.line == 5
    assert problem.message == "pronounce: “Siobhan” is never said in the script; check its spelling"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[a, b]", "pronounce must pair words with how to say them"),
        ("{Nguyen: }", "a pronounce entry is empty"),
        ("{Nguyen: 3}", "pronounce takes words on both sides of a colon"),
    ],
)
def test_a_malformed_pronounce_is_an_error_that_says_what_is_expected(value, expected):
    from app.script import ScriptErrors

    with pytest.raises(ScriptErrors) as caught:
        parse_script(SCRIPT.replace("{Nguyen: win, Siobhan: shiv awn}", value))
    (error,) = caught.value.errors
    assert error.line == 5 and expected in error.message
