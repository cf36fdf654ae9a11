"""Words the voices say wrong, respelled before they speak; captions keep the written text.

Both engines read English through espeak-ng's rules (Piper phonemizes with it), which cannot
tell a verb from an adjective: "close your eyes" comes out with the /s/ of "a close friend",
"that moment lives in you" with the /aɪ/ of "our lives". The fixes below match the word in
the context that decides it and respell it so that the rules give the right sound. A script
adds its own with `pronounce:` (a word or phrase → how to say it), applied after these.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

#: What is closed by "close" the verb (the adjective is followed by "to", "by" …).
_OBJECTS = r"(?:your|the|both|my|our|his|her|their)\s+eyes|them|your\s+eyelids"


@dataclass(frozen=True)
class Respelling:
    pattern: re.Pattern[str]
    replacement: str
    note: str


def _rule(pattern: str, replacement: str, note: str) -> Respelling:
    return Respelling(re.compile(pattern, re.IGNORECASE), replacement, note)


#: Known mis-readings of the bundled voices, each matched as words in context.
COMMON_RESPELLINGS: tuple[Respelling, ...] = (
    _rule(rf"\bclose(?=\s+(?:{_OBJECTS})\b)", "cloze", "close your eyes: the verb, /kloʊz/"),
    _rule(r"\b(eyes|eyelids)(\s+)close\b", r"\1\2cloze", "let your eyes close: the verb"),
    _rule(r"\b(to\s+a|gently|slowly|softly)(\s+)close\b", r"\1\2cloze", "to a close: the verb's noun"),
    _rule(
        r"\b(it|that|this|which|what|still|something|feeling|tension|it\s+still)(\s+)lives\b",
        r"\1\2livs",
        "that moment lives in you: the verb, /lɪvz/",
    ),
    _rule(r"\blives(?=\s+(?:in|on|inside|within)\s+(?:you|your|the\s+body|us|me)\b)", "livs", "lives in you"),
    _rule(
        r"\b(be|feel|feels|felt|feeling|am|are|is|was|were|seemed|seem|seems|looked|or|and|quite|"
        r"perfectly|deeply|simply|more|less|so)(\s+)content\b(?!\s+of\b)",
        r"\1\2kun-tent",
        "feel content: the adjective, /kənˈtɛnt/",
    ),
    _rule(r"\bcontent(?=\s+(?:with|to)\b)", "kun-tent", "content with: the adjective"),
    _rule(
        r"\b(to|or|and|not|can|could|would|will|never|don't|we|you|they|I)(\s+)excuse\b",
        r"\1\2excuze",
        "to excuse: the verb, /ɪkˈskjuːz/",
    ),
    _rule(r"\bexcuse(?=\s+(?:me|yourself|you|him|her|them|us|it|this|that)\b)", "excuze", "excuse me"),
    _rule(r"\bbow(?=\s+(?:your|our|my)\s+head|\s+to\b|\s+down\b)", "bau", "bow your head: /baʊ/"),
    _rule(r"\bwind(?=\s+down\b)", "wined", "wind down: /waɪnd/"),
)


def _keep_case(spoken: str, written: str) -> str:
    """A capital where the written word had one: a sentence's first word stays a first word."""
    if written[:1].isupper() and spoken[:1].islower():
        return spoken[:1].upper() + spoken[1:]
    return spoken


def own_rules(pronounce: Mapping[str, str] | Sequence[tuple[str, str]]) -> tuple[Respelling, ...]:
    """A script's `pronounce:` entries as rules: whole words or phrases, any case, longest first."""
    pairs = list(pronounce.items()) if isinstance(pronounce, Mapping) else list(pronounce)
    pairs.sort(key=lambda pair: -len(pair[0]))
    return tuple(
        Respelling(
            re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, written.split())) + r"(?!\w)", re.IGNORECASE),
            spoken,
            f"pronounce: {written}",
        )
        for written, spoken in pairs
        if written.strip()
    )


def respell(text: str, extra: Sequence[Respelling] = ()) -> str:
    """`text` as the voice should read it: the common fixes, then the script's own."""
    for rule in (*COMMON_RESPELLINGS, *extra):
        replacement = rule.replacement
        if "\\" in replacement:
            text = rule.pattern.sub(replacement, text)
        else:
            text = rule.pattern.sub(_cased_like_written(replacement), text)
    return text


def _cased_like_written(spoken: str) -> Callable[[re.Match[str]], str]:
    """A replacement for `re.sub` that says `spoken`, capitalised where the match was."""
    return lambda match: _keep_case(spoken, match.group(0))
