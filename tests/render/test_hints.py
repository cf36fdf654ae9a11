"""Pace hints for authors (app/render/hints.py): each rule on a small script that has the fault and
on one that does not."""

from app.render.hints import Hint, script_hints
from app.script import parse_script


def _script(body: str, *, durations: str = "[1m]", theme: str = "test", tags: str = "[test]"):
    front = f"---\ntitle: T\nsummary: S.\ntheme: {theme}\ntags: {tags}\ndurations: {durations}\n---\n"
    return parse_script(front + body)


def _kinds(hints: list[Hint]) -> list[str]:
    return [hint.kind for hint in hints]


# (a) breath


def test_an_out_breath_asked_for_right_after_the_in_breath_is_pointed_out():
    script = _script(
        "# A\nBreathe in slowly.\nAnd breathe out.\n[pause 5s]\nRest.\n[pause 20s+]\n", durations="[]"
    )
    hints = script_hints(script)
    assert _kinds(hints) == ["breath"]
    assert hints[0].line == 9  # the paragraph's line: front matter is lines 1-7, the heading 8
    assert "0.4 s after the in-breath" in hints[0].message


def test_both_breaths_in_one_sentence_are_pointed_out():
    script = _script(
        "# A\nTake a slow breath in, and a long breath out.\n[pause 5s]\nRest.\n[pause 20s+]\n",
        durations="[]",
    )
    hints = script_hints(script)
    assert _kinds(hints) == ["breath"]
    assert "One sentence asks for the in-breath and the out-breath" in hints[0].message
    assert "End the sentence after “a slow breath in”" in hints[0].message


def test_each_breath_with_its_own_pause_gets_no_hint():
    script = _script(
        "# A\nBreathe in slowly.\n[pause 3s]\nAnd breathe out.\n[pause 5s]\nRest.\n[pause 20s+]\n",
        durations="[]",
    )
    assert script_hints(script) == []


def test_a_breath_that_is_only_felt_is_not_a_cue():
    script = _script(
        "# A\nFeel the breath in your belly. Let the breath go on by itself.\n[pause 20s+]\n", durations="[]"
    )
    assert script_hints(script) == []


def test_the_next_in_breath_right_after_an_out_breath_is_pointed_out_too():
    script = _script(
        "# A\nBreathe out.\n[pause 1s]\nNow breathe in.\n[pause 4s]\nRest.\n[pause 20s+]\n", durations="[]"
    )
    assert _kinds(script_hints(script)) == ["breath"]


# (b) silence


def test_a_long_silence_after_words_that_give_nothing_to_do_is_pointed_out():
    script = _script("# A\nThe afternoon is warm.\n[pause 40s]\n", durations="[]")
    hints = script_hints(script)
    assert _kinds(hints) == ["silence"]
    assert hints[0].line == 9
    assert "do not say what to do" in hints[0].message


def test_a_long_silence_with_an_anchor_but_no_way_back_is_pointed_out():
    script = _script("# A\nRest with the breath.\n[pause 40s]\n", durations="[]")
    hints = script_hints(script)
    assert _kinds(hints) == ["silence"]
    assert "when the mind drifts" in hints[0].message


def test_a_long_silence_with_an_anchor_and_a_way_back_gets_no_hint():
    script = _script(
        "# A\nWhen your mind wanders, come back to the breath.\n[pause 2s]\n"
        "Rest with the breath.\n[pause 40s]\n",
        durations="[]",
    )
    assert script_hints(script) == []


def test_the_way_back_must_be_said_in_the_same_section():
    script = _script(
        "# A\nWhen your mind wanders, come back.\n[pause 2s]\n# B\nRest with the breath.\n[pause 40s]\n",
        durations="[]",
    )
    assert _kinds(script_hints(script)) == ["silence"]


def test_silences_are_measured_at_the_default_length_with_flexible_pauses_stretched():
    body = "# A\nThe afternoon is warm.\n[pause 10s+]\n"
    assert script_hints(_script(body, durations="[20s]")) == []  # about 12 s of silence
    assert _kinds(script_hints(_script(body, durations="[1m]"))) == ["silence"]  # about 52 s
    # ... or at a length the caller asks for
    assert _kinds(script_hints(_script(body, durations="[20s]"), length=60.0)) == ["silence"]


def test_a_short_silence_needs_no_anchor_and_an_unguided_sitting_gets_no_hint():
    assert script_hints(_script("# A\nThe afternoon is warm.\n[pause 20s]\n", durations="[]")) == []
    silent = _script("# A\n[bell]\n[pause 5m]\n[bell]\n", durations="[]")
    assert script_hints(silent) == []


# (c) pace


def test_a_section_spoken_without_room_to_follow_is_pointed_out():
    words = " ".join(["Notice your hands and let them rest."] * 4)  # 28 words: 14 s at 120 wpm
    script = _script(f"# Crowded\n{words}\n[pause 3s]\n", durations="[]")
    hints = script_hints(script)
    assert _kinds(hints) == ["pace"]
    assert hints[0].line == 8  # a section's hint points at its heading
    assert "“Crowded” speaks for 14 s and is silent for" in hints[0].message


def test_the_same_words_with_pauses_after_them_pass():
    lines = "\n[pause 3s]\n".join(["Notice your hands and let them rest."] * 4)
    script = _script(f"# Roomy\n{lines}\n[pause 3s]\n", durations="[]")
    assert script_hints(script) == []


def test_a_slower_voice_leaves_less_room():
    sentence = "Notice your hands and let them rest, and feel the weight of them."  # 13 words
    script = _script(f"# A\n{sentence}\n{sentence}\n{sentence}\n[pause 9s]\n", durations="[]")
    assert script_hints(script, rate_wpm=140) == []  # 16.7 s of speech, 9.9 s of silence
    assert _kinds(script_hints(script, rate_wpm=100)) == ["pace"]  # 23.4 s of speech


# (d) safety


def test_a_script_about_conflict_without_a_safety_line_is_pointed_out():
    script = _script("# A\nRemember the argument, and rest.\n[pause 10s]\n")
    hints = script_hints(script)
    assert _kinds(hints) == ["safety"]
    assert hints[0].line == 9 and "“argument”" in hints[0].message


def test_a_conflict_theme_counts_even_when_no_word_says_it():
    script = _script("# A\nRest.\n[pause 10s]\n", theme="repair", tags="[conflict]")
    hints = script_hints(script)
    assert _kinds(hints) == ["safety"]
    assert hints[0].line == 1 and "conflict, repair" in hints[0].message


def test_a_safety_line_in_one_paragraph_satisfies_the_rule():
    script = _script(
        "# A\nRemember the argument, and rest.\n[pause 10s]\n"
        "If you are afraid of your partner, go somewhere safe, and reach someone you trust.\n[pause 3s]\n"
    )
    assert script_hints(script) == []


def test_safety_true_in_the_front_matter_says_the_script_cares_for_it_in_its_own_words():
    body = "# A\nRemember the argument, and rest.\n[pause 10s]\n"
    front = "---\ntitle: T\nsummary: S.\ntheme: test\ndurations: [1m]\nsafety: true\n---\n"
    assert parse_script(front + body).meta.safety is True
    assert script_hints(parse_script(front + body)) == []
    assert _kinds(script_hints(parse_script(front.replace("true", "false") + body))) == ["safety"]


def test_fear_and_help_in_different_paragraphs_are_not_a_safety_line():
    script = _script(
        "# A\nIf you are afraid of your partner, pause.\n[pause 3s]\nCall someone you trust.\n[pause 3s]\n"
    )
    assert _kinds(script_hints(script)) == ["safety"]


def test_a_script_without_conflict_needs_no_safety_line():
    assert script_hints(_script("# A\nRest with the sound of the rain.\n[pause 10s]\n")) == []


def test_hints_come_sorted_by_line():
    script = _script(
        "# A\nThe argument is over.\n[pause 40s]\nBreathe in.\nBreathe out.\n[pause 5s]\n", durations="[]"
    )
    hints = script_hints(script)
    assert [h.line for h in hints] == sorted(h.line for h in hints)
    assert set(_kinds(hints)) == {"silence", "safety", "breath"}


def test_a_long_silence_before_anything_is_said_points_at_its_pause():
    script = _script("# A\n[bell]\n[pause 40s]\nRest.\n[pause 2s]\n", durations="[]")
    hints = script_hints(script)
    assert _kinds(hints) == ["silence"]
    assert hints[0].line == 10  # the pause: there are no words before it to mend


def test_a_new_script_from_the_template_gets_no_note():
    # The template teaches by example: what an author starts from is already paced with care.
    from app.script.template import template_text

    assert script_hints(parse_script(template_text("Evening Kindness"))) == []
