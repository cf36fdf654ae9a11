"""Pace hints for authors: where a script asks something of the listener and gives no time, no
anchor or no care for it. Plain data in and out, no Qt; the Write page or `kindred check` may
show them beside the parser's errors. A hint is advice, never an error: the script still plays.

`script_hints` lays the script out exactly as a render would (app/render/timeline.plan_timeline,
with the editor's speech estimate, app/render/estimate.sentence_seconds, at the voice's rate) at
the script's default length or a length the caller names, flexible pauses stretched, and applies
four rules:

breath
    An in-breath cue and an out-breath cue (either order) with less than BREATH_GAP_S seconds
    between the end of the one and the start of the other, or both in one sentence: the listener
    is still breathing in while the voice already says breathe out. Cues are the phrases of
    IN_BREATH and OUT_BREATH ("breathe in", "a slow breath in", "inhale", "in for four" ...).
silence
    A silence longer than LONG_SILENCE_S (pauses and gaps between two sounds; a bell is a sound)
    needs, in the paragraph just before it, something to do in it: a sentence or clause that
    begins with one of ANCHOR_VERBS ("Rest with ...", "Notice ...", "and let ...", "you might
    repeat ..."). And the listener needs to know what to do when the mind drifts: a sentence
    matching DRIFT ("when your mind wanders ...", "if you drift ...") in that paragraph or an
    earlier one of the same section.
    A script that speaks nothing at all (an unguided sitting) is silent by design and is left alone.
pace
    A section that speaks for at least MIN_SECTION_SPEECH_S and whose silence (its pauses and
    gaps at that length, bells left out) is less than MIN_SILENCE_SHARE of its speech at the
    voice's rate: it is spoken faster than a listener with closed eyes can follow, however its
    words are split. A slower voice or a shorter length makes the same words denser. The fix is a
    pause after each instruction, fewer words, or moving some of the flexible silence here.
safety
    A script that touches conflict or fear (CONFLICT_TAGS in its theme or tags, or a word of
    CONFLICT_WORDS in its speech) and has no safety line: one paragraph that both names being
    afraid of one's partner (AFRAID) and says where to turn (HELP: somewhere safe, someone you
    trust, emergency services). `safety: true` in the front matter says the script cares for
    this in its own words, and no hint is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from app.render.estimate import bell_frames, sentence_seconds
from app.render.pcm import SESSION_RATE
from app.render.timeline import Event, LengthError, Timeline, plan_timeline
from app.script import Bell, Item, Pause, Script, Speech
from app.tts.engine import DEFAULT_RATE_WPM
from app.tts.sentences import split_sentences

#: Less than this between an in-breath cue and an out-breath cue, and the two breaths run together.
BREATH_GAP_S = 2.0
#: A silence longer than this is long enough for a mind to wander off in it.
LONG_SILENCE_S = 30.0
#: A section needs at least this much silence for each second of speech (see "pace" above).
MIN_SILENCE_SHARE = 0.5
#: Sections shorter than this (a bell, one closing line) say too little to judge their pace.
MIN_SECTION_SPEECH_S = 12.0

#: "in for four", "out for a count of six": a counted breath.
_COUNT = r"(?:a\s+count\s+of\s+)?(?:two|three|four|five|six|seven|eight|[2-8])\b"
_NOT_AN_OBJECT = r"(?!\s+(?:the|your|my|our|this|that|a|an|its|his|her|their|each|every)\b)"
#: Phrases that ask for an in-breath. "Feel the breath in your belly" is not one: "breath in"
#: counts only when no object follows it.
IN_BREATH = re.compile(
    rf"\b(?:breathe|breathing|breath)\s+in\b{_NOT_AN_OBJECT}|\binhal(?:e|ing)\b"
    rf"|\bin\s+through\s+(?:the|your)\s+(?:nose|mouth)\b|\bin\s+for\s+{_COUNT}",
    re.IGNORECASE,
)
#: Phrases that ask for an out-breath.
OUT_BREATH = re.compile(
    r"\b(?:breathe|breathing|breath)\s+out\b|\bexhal(?:e|ing)\b|\bout-breath\b"
    rf"|\bout\s+through\s+(?:the|your)\s+(?:nose|mouth)\b|\bout\s+for\s+{_COUNT}"
    r"|\blet\s+(?:the\s+breath|your\s+breath|it)\s+(?:out|go)\b(?!\s+on\b)",
    re.IGNORECASE,
)
#: What a listener can do in a silence. A verb counts at the start of a sentence or a clause, or
#: after a softener ("simply", "you might"), so that "the rest of us" is not an instruction.
ANCHOR_VERBS = (
    "rest", "notice", "stay", "return", "come back", "let", "feel", "listen", "repeat", "keep",
    "follow", "breathe", "hold", "offer", "sit", "imagine", "picture", "go on", "count", "say",
)  # fmt: skip
_ANCHOR = re.compile(
    r"(?:^|[.,;:!?—]\s*|\b(?:and|then|now|simply|just|gently|silently|quietly|softly|"
    r"can|might|may|to)\s+)(?:" + "|".join(v.replace(" ", r"\s+") for v in ANCHOR_VERBS) + r")\b",
    re.IGNORECASE,
)
#: Naming the drift is what tells the listener how to come back from it.
DRIFT = re.compile(
    r"\b(?:wander(?:s|ed|ing)?|drift(?:s|ed|ing)?|distracted|carried\s+(?:off|away)|"
    r"lost\s+in\s+thought|caught\s+up|pull(?:s|ed|ing)?\s+away|slip(?:s|ped|ping)?\s+away|stray(?:s|ed|ing)?)\b",
    re.IGNORECASE,
)
CONFLICT_TAGS = frozenset(
    {"conflict", "argument", "fight", "anger", "fear", "reactivity", "repair", "safety", "harm", "abuse"}
)
CONFLICT_WORDS = re.compile(
    r"\b(?:conflicts?|argu(?:e|es|ed|ing|ment|ments)|fight(?:s|ing)?|quarrel\w*|disagree\w*|"
    r"anger|angry|fears?|afraid|frighten\w*|scared|harm\w*|abus\w*|threat\w*)\b",
    re.IGNORECASE,
)
#: Being afraid of one's partner, said in any of the usual ways.
AFRAID = re.compile(
    r"\b(?:afraid|frightened|scared|fear)\s+of\s+(?:your\s+partner|the\s+other|each\s+other|them|him|her)\b"
    r"|\b(?:not|never)\s+(?:feel\s+)?safe\s+with\b",
    re.IGNORECASE,
)
#: Where to turn.
HELP = re.compile(
    r"\bsomewhere\s+safe\b|\bsafe\s+place\b|\b(?:someone|a\s+person|people)\s+you\s+trust\b|"
    r"\btrusted\s+(?:person|friend)\b|\bemergency\s+(?:services|number)\b|\bhelpline\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Hint:
    """One piece of advice: the script's line it is about, a short kind, a sentence for the author."""

    line: int
    kind: str  # "breath", "silence", "pace" or "safety"
    message: str


def script_hints(script: Script, rate_wpm: int = DEFAULT_RATE_WPM, length: float | None = None) -> list[Hint]:
    """Every hint for `script` spoken at `rate_wpm`, laid out at `length` (default: the script's
    default length, or its natural length when it has none or that one does not fit), by line."""
    timeline = _layout(script, rate_wpm, length)
    pieces = list(_pieces(script, timeline))
    hints = [*_breath_hints(pieces), *_silence_hints(script, pieces), *_pace_hints(script, pieces)]
    hints += _safety_hints(script)
    return sorted(hints, key=lambda hint: (hint.line, hint.kind))


@dataclass(frozen=True)
class _Piece:
    """A timeline event with the script item it comes from (None for a gap)."""

    event: Event
    item: Item | None

    @property
    def seconds(self) -> float:
        return self.event.frames / SESSION_RATE

    @property
    def start_s(self) -> float:
        return self.event.start / SESSION_RATE

    @property
    def end_s(self) -> float:
        return self.event.end / SESSION_RATE


def _layout(script: Script, rate: int, length: float | None) -> Timeline:
    def sentence_frames(sentence: str) -> int:
        return round(sentence_seconds(sentence, rate) * SESSION_RATE)

    wanted = length if length is not None else script.default_length
    try:
        return plan_timeline(script, sentence_frames, bell_frames, SESSION_RATE, length=wanted, limit=False)
    except LengthError:  # the length does not fit: the hints still help at the natural length
        return plan_timeline(script, sentence_frames, bell_frames, SESSION_RATE, limit=False)


def _pieces(script: Script, timeline: Timeline) -> Iterator[_Piece]:
    # plan_timeline makes one event per pause, per bell and per sentence, in the script's order,
    # and gaps between them: that order is how each event finds the line it came from.
    owners: list[Item] = []
    for _, item in script.items():
        if isinstance(item, Speech):
            owners += [item] * len(split_sentences(item.text))
        elif isinstance(item, Pause | Bell):
            owners.append(item)
    remaining = iter(owners)
    for event in timeline.events:
        yield _Piece(event, None if event.kind == "gap" else next(remaining, None))


def _line(piece: _Piece) -> int:
    return piece.item.line if piece.item is not None else 0


def _breath_hints(pieces: list[_Piece]) -> Iterator[Hint]:
    last: tuple[str, _Piece, str] | None = None  # the latest cue: direction, sentence, words up to it
    for piece in pieces:
        if piece.event.kind != "speech":
            continue
        for direction, said in _cues(piece.event.text):
            if last is not None and last[0] != direction:
                first, cue, up_to = last
                if cue is piece:
                    yield Hint(
                        _line(piece),
                        "breath",
                        f"One sentence asks for the {first}-breath and the {direction}-breath, so the "
                        f"listener is still breathing {first} while the voice goes on. End the sentence "
                        f"after “{_last_words(up_to)}” and give each breath its own pause "
                        "(at least 3 s in, 4 s out).",
                    )
                elif (gap := piece.start_s - cue.end_s) < BREATH_GAP_S:
                    yield Hint(
                        _line(piece),
                        "breath",
                        f"The {direction}-breath is asked for {gap:.1f} s after the {first}-breath "
                        f"(“{_last_words(up_to)}”), while the listener is still breathing {first}. Put a "
                        "pause after each cue: at least 3 s after an in-breath, 4 s after an out-breath.",
                    )
            last = (direction, piece, said)


def _cues(sentence: str) -> list[tuple[str, str]]:
    """The breath cues of a sentence in the order they are said, each with the words up to it."""
    found = [(m.start(), "in", m.end()) for m in IN_BREATH.finditer(sentence)]
    found += [(m.start(), "out", m.end()) for m in OUT_BREATH.finditer(sentence)]
    return [(direction, sentence[:end]) for _, direction, end in sorted(found)]


def _last_words(text: str, count: int = 4) -> str:
    return " ".join(text.split()[-count:])


def _silence_hints(script: Script, pieces: list[_Piece]) -> Iterator[Hint]:
    if not any(piece.event.kind == "speech" for piece in pieces):
        return  # an unguided sitting: silence is the practice
    paragraphs: list[Speech] = []  # spoken so far in the current section
    section = -1
    silence, first_pause = 0.0, 0  # the silence since the last sound, and where its first pause is
    for piece in [*pieces, None]:  # None: the end, which closes the last silence
        if piece is not None and piece.event.kind in ("pause", "gap"):
            silence += piece.seconds
            first_pause = first_pause or (_line(piece) if piece.event.kind == "pause" else 0)
            continue
        if silence > LONG_SILENCE_S:
            yield from _anchor_hints(paragraphs, silence, first_pause)
        silence, first_pause = 0.0, 0
        if piece is not None and isinstance(piece.item, Speech):
            if piece.event.section != section:
                section, paragraphs = piece.event.section, []
            if not paragraphs or paragraphs[-1] is not piece.item:
                paragraphs.append(piece.item)


def _anchor_hints(paragraphs: list[Speech], silence: float, pause_line: int) -> Iterator[Hint]:
    """What the words before a long silence lack; `paragraphs` are the section's so far."""
    if not paragraphs or not _ANCHOR.search(paragraphs[-1].text):
        yield Hint(
            paragraphs[-1].line if paragraphs else pause_line,
            "silence",
            f"A silence of {silence:.0f} s follows, and the words before it do not say what to do in it. "
            "Give it an anchor before the pause: “Rest with the breath”, “Keep repeating the phrase”.",
        )
    elif not any(DRIFT.search(paragraph.text) for paragraph in paragraphs):
        yield Hint(
            paragraphs[-1].line,
            "silence",
            f"A silence of {silence:.0f} s follows, and this section never says what to do when the mind "
            "drifts. Add a line such as “When your mind wanders, come back to the phrase”.",
        )


def _pace_hints(script: Script, pieces: list[_Piece]) -> Iterator[Hint]:
    speech: dict[int, float] = {}
    silence: dict[int, float] = {}
    for piece in pieces[1:-1]:  # the lead-in and the lead-out belong to no section's pace
        index = piece.event.section
        if piece.event.kind == "speech":
            speech[index] = speech.get(index, 0.0) + piece.seconds
        elif piece.event.kind in ("pause", "gap"):
            silence[index] = silence.get(index, 0.0) + piece.seconds
    for index, spoken in speech.items():
        quiet = silence.get(index, 0.0)
        if spoken < MIN_SECTION_SPEECH_S or quiet >= MIN_SILENCE_SHARE * spoken:
            continue
        section = script.sections[index]
        lines = [item.line for item in section.items]
        yield Hint(
            section.line or min(lines, default=1),
            "pace",
            f"“{section.title or 'The opening'}” speaks for {spoken:.0f} s and is silent for {quiet:.0f} s, "
            "too fast to follow with closed eyes. Add a pause after each instruction, or use fewer words, "
            f"so that its silence is at least {MIN_SILENCE_SHARE:.0%} of its speech.",
        )


def _safety_hints(script: Script) -> list[Hint]:
    if script.meta.safety:
        return []  # the author says the script cares for this in its own words
    labels = {script.meta.theme, *script.meta.tags} & CONFLICT_TAGS
    spoken = [item for _, item in script.items() if isinstance(item, Speech)]
    if any(AFRAID.search(p.text) and HELP.search(p.text) for p in spoken):
        return []
    worded = next(((p, m) for p in spoken if (m := CONFLICT_WORDS.search(p.text))), None)
    if worded is not None:
        line, reason = worded[0].line, f"says “{worded[1].group(0)}”"
    elif labels:
        line, reason = 1, f"is about {', '.join(sorted(labels))}"
    else:
        return []
    return [
        Hint(
            line,
            "safety",
            f"This script {reason} but has no safety line. Add one calm sentence: if you are afraid of "
            "your partner, go somewhere safe and reach someone you trust or your local emergency services.",
        )
    ]
