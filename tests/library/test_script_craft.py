"""The bundled meditations read as a teacher would sign them: time to breathe, an anchor before
every long silence, a safety line wherever conflict, fear or closeness comes up, varied openings,
and the ideas of the library each carried somewhere. (tests/library/test_bundled_scripts.py checks
that they parse, render and copy nothing; app/render/hints.py holds the pace rules used here.)"""

import re
from pathlib import Path

import pytest

from app.render import plan_timeline, utterances_of
from app.render.estimate import bell_frames, estimate_lengths, sentence_seconds
from app.render.hints import AFRAID, CONFLICT_TAGS, CONFLICT_WORDS, HELP, IN_BREATH, OUT_BREATH, script_hints
from app.render.pcm import SESSION_RATE
from app.script import Bell, Pause, Speech, format_duration, load_script
from app.tts.sentences import split_sentences

LIBRARY = Path(__file__).resolve().parents[2] / "scripts"
SCRIPTS = sorted(LIBRARY.glob("*.md"))
VOICED = [path for path in SCRIPTS if utterances_of(load_script(path))]

#: Labels (theme or tags) of practices about closeness: they need a safety line like conflict does.
CLOSENESS_TAGS = frozenset({"intimacy", "attachment", "couples", "practice-for-two", "vulnerability"})

#: The ideas the library is built on, and the scripts that carry each (checked below, printed in
#: the table). Kept by hand: a script's ideas are a judgement, not something a regex can read.
IDEAS = {
    "a-long-sitting-with-kindness": ["choice", "reactivity", "count-on-each-other", "skill"],
    "after-a-disagreement": ["repair", "count-on-each-other"],
    "cant-live-with-cant-live-without": ["cant-live-with", "no-harm-accepted"],
    "choosing-compassion": ["choice", "habit", "no-harm-accepted"],
    "kindness-spilling-over": ["spills-over"],
    "pause-before-you-react": ["reactivity", "choice"],
    "seeing-clearly": ["courage-to-leave", "no-harm-accepted"],
    "silent-sitting": [],
    "tending-your-own-wounds": ["tend-own-wounds"],
    "the-courage-to-be-known": ["courage-to-be-known"],
    "the-worn-path": ["habit", "choice"],
    "together-a-practice-for-two": ["count-on-each-other", "listening"],
    "training-the-heart": ["skill", "wired-or-learned", "failure-deepens"],
    "what-you-bring": ["whole-course", "failure-deepens", "wired-or-learned", "no-harm-accepted"],
}
#: Ideas no script carried before; each must be carried by at least one script.
NEW_IDEAS = ("habit", "whole-course", "failure-deepens", "wired-or-learned")
#: Saying that kindness is inborn and cannot be learned, which the library contradicts.
ONLY_INBORN = re.compile(
    r"not a gift (?:that )?some|some (?:people )?are (?:simply )?handed|you either have it or|"
    r"cannot be (?:learned|learnt|taught)|born with it or not",
    re.IGNORECASE,
)
HAND_ON_HEART = re.compile(r"\bhands?\b[^.?!]*\b(?:heart|chest)\b", re.IGNORECASE)
NOT_ACCEPTING_HARM = re.compile(
    r"\b(?:not|never|no)\b[^.?!]*\b(?:accept|put up with|excuse|tolerate|stay with)\w*\b[^.?!]*\bharm",
    re.IGNORECASE,
)


def _script(path: Path):
    return load_script(path)


def _named(stem: str):
    return load_script(LIBRARY / f"{stem}.md")


def _labels(script) -> set[str]:
    return {script.meta.theme, *script.meta.tags}


def _paragraphs(script) -> list[str]:
    return [item.text for _, item in script.items() if isinstance(item, Speech)]


def _layout(script, length=None):
    def frames(sentence: str) -> int:
        return round(sentence_seconds(sentence) * SESSION_RATE)

    return plan_timeline(script, frames, bell_frames, SESSION_RATE, length=length, limit=False)


def _silences_after_speech(script, length=None) -> list[tuple[str, float]]:
    """Each sentence with the silence after it (until the next sentence or bell), in seconds."""
    events = _layout(script, length).events
    found = []
    for index, event in enumerate(events):
        if event.kind != "speech":
            continue
        quiet = 0
        for after in events[index + 1 :]:
            if after.kind in ("speech", "bell"):
                break
            quiet += after.frames
        found.append((event.text, quiet / SESSION_RATE))
    return found


def _silences(script, length) -> list[float]:
    """Every stretch of silence between two sounds, in seconds."""
    stretches, quiet = [], 0
    for event in _layout(script, length).events:
        if event.kind in ("pause", "gap"):
            quiet += event.frames
        else:
            stretches.append(quiet / SESSION_RATE)
            quiet = 0
    return [*stretches, quiet / SESSION_RATE]


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.stem)
def test_every_script_passes_the_pace_hints_at_every_length_it_offers(path):
    script = _script(path)
    for length in script.meta.durations:
        hints = script_hints(script, length=length)
        assert hints == [], f"{format_duration(length)}: " + "\n".join(
            f"line {h.line} {h.kind}: {h.message}" for h in hints
        )


_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}


def _needed_after(sentence: str) -> float | None:
    """The silence a breath cue needs after it: 3 s in, 4 s out; a counted breath its count + 0.5 s."""
    ins, outs = IN_BREATH.findall(sentence), OUT_BREATH.findall(sentence)
    if not ins and not outs:
        return None
    count = re.search(r"\bfor (?:a count of )?(two|three|four|five|six|seven|eight)\b", sentence, re.I)
    counted = _COUNTS[count.group(1).lower()] + 0.5 if count else 0.0
    return max(3.0 if ins else 4.0, counted)


@pytest.mark.parametrize("path", VOICED, ids=lambda p: p.stem)
def test_each_breath_cue_is_followed_by_its_own_pause(path):
    """In at least 3 s, out at least 4 s, a counted breath its count and a half: at the natural
    length, where every flexible pause is at its shortest."""
    for sentence, quiet in _silences_after_speech(_script(path)):
        needed = _needed_after(sentence)
        if needed is None:
            continue
        both = IN_BREATH.search(sentence) and OUT_BREATH.search(sentence)
        assert not both, f"{sentence!r} asks for both breaths at once"
        assert quiet >= needed - 0.01, f"{sentence!r} is followed by {quiet:.2f} s, needs {needed} s"


def test_the_counted_breath_of_pause_before_you_react_gets_eleven_seconds():
    script = _named("pause-before-you-react")
    counted = {
        match.group(1): quiet
        for sentence, quiet in _silences_after_speech(script)
        if (match := re.search(r"\bfor (?:a count of )?(four|six)\b", sentence))
    }
    assert set(counted) == {"four", "six"}
    assert counted["four"] + counted["six"] >= 11.0


def _touches_conflict_fear_or_closeness(script) -> bool:
    labels = _labels(script)
    spoken = " ".join(_paragraphs(script))
    return bool(labels & (CONFLICT_TAGS | CLOSENESS_TAGS)) or bool(CONFLICT_WORDS.search(spoken))


@pytest.mark.parametrize("path", VOICED, ids=lambda p: p.stem)
def test_conflict_fear_or_closeness_comes_with_a_safety_line_pointing_to_seeing_clearly(path):
    script = _script(path)
    if not _touches_conflict_fear_or_closeness(script):
        return
    lines = [p for p in _paragraphs(script) if AFRAID.search(p) and HELP.search(p)]
    assert len(lines) == 1, f"{path.name}: one safety line, found {len(lines)}"
    if path.stem != "seeing-clearly":
        assert "Seeing Clearly" in " ".join(_paragraphs(script)), (
            f"{path.name} does not point to Seeing Clearly"
        )


def test_the_scripts_the_issue_names_carry_the_safety_line_and_its_words():
    touching = {p.stem for p in VOICED if _touches_conflict_fear_or_closeness(_script(p))}
    named = {
        "pause-before-you-react",
        "choosing-compassion",
        "cant-live-with-cant-live-without",
        "together-a-practice-for-two",
        "seeing-clearly",
        "after-a-disagreement",
        "what-you-bring",
    }
    assert named <= touching
    for stem in ("choosing-compassion", "cant-live-with-cant-live-without", "what-you-bring"):
        spoken = " ".join(_paragraphs(_named(stem)))
        assert NOT_ACCEPTING_HARM.search(spoken), f"{stem} never says compassion does not mean accepting harm"
    together = " ".join(_paragraphs(_named("together-a-practice-for-two")))
    assert re.search(r"both feel safe with each other", together)
    seeing = " ".join(_paragraphs(_named("seeing-clearly")))
    for kind_of_help in ("helpline", "doctor", "counsellor", "emergency services"):
        assert kind_of_help in seeing
    pause = _paragraphs(_named("pause-before-you-react"))
    assert any("do not go back" in p for p in pause)


def test_no_script_says_kindness_is_only_inborn_and_some_say_it_can_be_learned():
    for path in VOICED:
        spoken = " ".join(utterances_of(_script(path)))
        assert not ONLY_INBORN.search(spoken), f"{path.name}: {ONLY_INBORN.search(spoken).group(0)!r}"
    for stem, ideas in IDEAS.items():
        if "wired-or-learned" in ideas:
            spoken = " ".join(utterances_of(_named(stem)))
            assert re.search(r"\b(?:born|wired)\b", spoken) and re.search(r"\blearn", spoken), stem


def test_openings_vary():
    firsts = {}
    for path in VOICED:
        first = utterances_of(_script(path))[0]
        assert not first.lower().startswith("welcome"), f"{path.name} opens with a welcome: {first!r}"
        assert len(first.split()) <= 26, f"{path.name}: the opening sentence is long for one breath"
        assert first not in firsts, f"{path.name} and {firsts.get(first)} open alike"
        firsts[first] = path.name
    hands = [p.name for p in VOICED if any(HAND_ON_HEART.search(s) for s in utterances_of(_script(p)))]
    assert len(hands) <= 3, f"a hand on the heart in {hands}"


def test_together_has_fixed_turns_closed_by_a_soft_bell_and_roles_named_once():
    """Turns last as long at every length (the 20-minute session stretches the shared silences
    instead), each ends on a soft bell, and the two roles are named once, not by who woke first."""
    script = _named("together-a-practice-for-two")
    items = [item for _, item in script.items()]
    turns = [
        item
        for item, after in zip(items, items[1:], strict=False)
        if isinstance(item, Pause) and isinstance(after, Bell) and after.name == "soft-chime"
    ]
    assert len(turns) == 4  # two to speak, two to say a wish
    assert all(not turn.flexible for turn in turns)
    assert sorted(turn.seconds for turn in turns)[-2:] == [60.0, 60.0]
    assert all(not item.flexible or item.seconds < 30 for item in items if isinstance(item, Pause))
    spoken = " ".join(utterances_of(script))
    assert "woke up" not in spoken
    assert len(re.findall(r"\bwe will call\b", spoken, re.IGNORECASE)) == 1
    for length in script.meta.durations:
        timeline = _layout(script, length)
        speaking = [
            e.frames for e in timeline.events if e.kind == "pause" and e.base_frames == 60 * SESSION_RATE
        ]
        assert speaking == [60 * SESSION_RATE] * 2, format_duration(length)


@pytest.mark.parametrize("path", VOICED, ids=lambda p: p.stem)
def test_no_silence_is_left_unbroken_for_long(path):
    """Stretching spreads over many pauses: a guided silence lasts at most three minutes, and the
    long sitting's at most two, at every length offered."""
    script = _script(path)
    longest = 120.0 if path.stem == "a-long-sitting-with-kindness" else 180.0
    for length in script.meta.durations:
        assert max(_silences(script, length)) <= longest, format_duration(length)


def test_the_long_sitting_stretches_its_reflections_not_its_settling():
    script = _named("a-long-sitting-with-kindness")
    pauses = [item for _, item in script.items() if isinstance(item, Pause)]
    flexible = [p for p in pauses if p.flexible]
    assert len(flexible) >= len(pauses) // 3
    assert all(p.seconds >= 8 for p in flexible), "a flexible pause needs a sensible base"


def test_ideas_are_carried_and_printed_as_a_table(capsys):
    """The table (run with -s): title, words, minimum length, lengths offered, ideas."""
    assert set(IDEAS) == {path.stem for path in SCRIPTS}
    carried = {idea for ideas in IDEAS.values() for idea in ideas}
    assert set(NEW_IDEAS) <= carried
    rows = [f"{'title':<38} {'words':>5}  {'minimum':>8}  {'lengths':<22} ideas"]
    for path in SCRIPTS:
        script = _script(path)
        words = sum(len(s.split()) for s in utterances_of(script))
        estimate = estimate_lengths(script)
        lengths = ", ".join(format_duration(d) for d in script.meta.durations)
        minimum = f"{estimate.minimum_s / 60:.1f} min"
        ideas = ", ".join(IDEAS[path.stem]) or "-"
        rows.append(f"{script.meta.title:<38} {words:>5}  {minimum:>8}  {lengths:<22} {ideas}")
    with capsys.disabled():
        print("\n" + "\n".join(rows))


def test_the_new_practices_are_one_short_and_one_of_ten_to_twenty_minutes():
    assert max(_named("the-worn-path").meta.durations) <= 5 * 60
    assert all(10 * 60 <= d <= 20 * 60 for d in _named("what-you-bring").meta.durations)


def test_sentences_are_short_enough_to_say_in_one_breath():
    for path in VOICED:
        for paragraph in _paragraphs(_script(path)):
            for sentence in split_sentences(paragraph):
                assert len(sentence.split()) <= 30, f"{path.name}: {sentence!r}"
