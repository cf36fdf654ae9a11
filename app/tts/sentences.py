"""Cut a paragraph into utterances a voice can speak in one breath.

Engines are fed sentence-sized pieces: espeak crashes on very long texts (pyttsx3 issue
#448), a failed piece is cheaper to retry, and short pieces cache and parallelise well.

The splitter works on whitespace-separated tokens and only ever cuts *between* tokens, so
`" ".join(pieces).split() == text.split()` always holds: no word is lost, cut or changed.
"""

from __future__ import annotations

import re

DEFAULT_MAX_CHARS = 400

# Characters that may follow a sentence end and still belong to it: `"Stop."` or `(Rest.)`.
_CLOSERS = "\"'”’»)]}›"
# Characters that may open the next sentence before its first letter.
_OPENERS = "\"'“‘«([{‹¿¡"
_SENTENCE_ENDS = (".", "!", "?", "…")

# Words that end in a full stop without ending a sentence. Kept short on purpose: a missed
# abbreviation only makes one utterance a little longer, a wrong one would cut "Mr. | Smith".
_ABBREVIATIONS = frozenset(
    {
        "mr.",
        "mrs.",
        "ms.",
        "mx.",
        "dr.",
        "prof.",
        "st.",
        "sr.",
        "jr.",
        "vs.",
        "cf.",
        "e.g.",
        "i.e.",
        "approx.",
        "no.",
        "nos.",
        "fig.",
        "mt.",
        "ca.",
        "dept.",
        "est.",
        "ft.",
        "gen.",
        "gov.",
        "hr.",
        "lt.",
        "rev.",
        "sgt.",
        "vol.",
        "ch.",
        "p.",
        "pp.",
    }
)
# Dotted initialisms: "U.S.", "a.m.", "e.g." written without a list entry.
_INITIALISM = re.compile(r"^(?:[^\W\d_]\.){2,}$")
# A single capital initial, as in "J. R. R. Tolkien".
_INITIAL = re.compile(r"^[^\W\d_]\.$")

# Where an over-long sentence may be cut, best first; the last resort is any space.
_CLAUSE_BREAKS = (";:", ",—–")


def split_sentences(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[str]:
    """Split `text` into sentences, each at most `max_chars` long where that is possible.

    Sentences end at . ! ? … (also "..." and closing quotes or brackets after them) when the
    next word does not begin in lower case; abbreviations ("Mr.", "e.g.") and decimals
    ("3.5") do not end one. A longer sentence is cut at ; or : first, then at , or a dash,
    then at a space. A single word longer than `max_chars` stays whole.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    tokens = text.split()
    pieces: list[str] = []
    start = 0
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if following is None or _ends_sentence(token, following):
            pieces.extend(_split_long(tokens[start : i + 1], max_chars))
            start = i + 1
    return pieces


def _ends_sentence(token: str, following: str) -> bool:
    core = token.rstrip(_CLOSERS)
    if not core.endswith(_SENTENCE_ENDS):
        return False
    # "he said. and then" / "Breathe in… and out": a lower-case continuation means the
    # punctuation was a pause or an abbreviation, not the end of a sentence.
    first = following.lstrip(_OPENERS)[:1]
    if first and first.islower():
        return False
    if core.endswith(".") and not core.endswith(".."):
        word = core.lstrip(_OPENERS).lower()
        if word in _ABBREVIATIONS or _INITIALISM.match(word):
            return False
        # A capital initial before a capitalised word is a name ("J. Smith"); a lone
        # lower-case letter ("plan a.") is not worth guessing about.
        if _INITIAL.match(core.lstrip(_OPENERS)) and core.lstrip(_OPENERS)[0].isupper():
            return False
    return True


def _split_long(tokens: list[str], max_chars: int) -> list[str]:
    """Cut one sentence into pieces of at most max_chars, preferring clause boundaries."""
    pieces: list[str] = []
    while tokens:
        if _length(tokens) <= max_chars:
            pieces.append(" ".join(tokens))
            break
        cut = _best_cut(tokens, max_chars)
        pieces.append(" ".join(tokens[:cut]))
        tokens = tokens[cut:]
    return pieces


def _best_cut(tokens: list[str], max_chars: int) -> int:
    """How many tokens the next piece takes (at least one)."""
    # The longest prefix that fits; a clause break is only preferred when it does not
    # leave a stub much shorter than the limit, which would sound choppy.
    fits = 0
    length = -1
    for token in tokens:
        length += len(token) + 1
        if length > max_chars:
            break
        fits += 1
    if fits == 0:
        return 1  # a single word longer than the limit: keep it whole
    min_length = max_chars // 4
    for breaks in _CLAUSE_BREAKS:
        for n in range(fits, 0, -1):
            if tokens[n - 1].rstrip(_CLOSERS).endswith(tuple(breaks)) or tokens[n - 1] in breaks:
                if _length(tokens[:n]) >= min_length:
                    return n
                break
    return fits


def _length(tokens: list[str]) -> int:
    return sum(len(t) for t in tokens) + max(len(tokens) - 1, 0)
