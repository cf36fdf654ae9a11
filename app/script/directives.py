"""The body's directives: a line `[pause 5s]`, `[pause 20s+]`, `[bell]` or `[bell deep]`.

An error points at the `[`, or at the argument when only the argument is wrong, and suggests
the directive the author most likely meant (`[Pause 5s]`, `[pause5s]`, `[paws 5s]`).
"""

from __future__ import annotations

import difflib
import re

from .durations import DurationError, parse_duration
from .limits import MAX_PAUSE_SECONDS
from .model import Bell, Item, Pause
from .reporting import PLAIN_NUMBER, SLUG, Problems, shown, slug_like

DIRECTIVES = ("pause", "bell")

_TOKEN = re.compile(r"\S+")
_PAUSE_FORM = "a pause needs a length like [pause 5s] or [pause 20s+]"
_DIRECTIVE_LIST = "the directives are [pause 5s], [pause 20s+], [bell] and [bell NAME]"

#: A directive's words after the first, each with its column in the file.
Arguments = list[tuple[str, int]]


def read_directive(stripped: str, number: int, indent: int, problems: Problems) -> Item | None:
    """The Pause or Bell of a `[...]` line (`stripped`, found `indent` characters in on line
    `number`); None when it is wrong."""
    column = indent + 1
    close = stripped.find("]")
    if close < 0:
        problems.add(
            number,
            column,
            f"{shown(stripped)} has no closing ]: a directive is a whole line like [pause 5s] or [bell]",
        )
        return None
    after = stripped[close + 1 :]
    if after.strip():
        offset = close + 1 + len(after) - len(after.lstrip())
        problems.add(
            number,
            indent + offset + 1,
            f"text after {shown(stripped[: close + 1])}: put the "
            "directive and the text on lines of their own",
        )
    inner = stripped[1:close]
    # Column of each word: the `[` is at `indent`, the inside starts one later.
    tokens = [(match.group(), indent + 2 + match.start()) for match in _TOKEN.finditer(inner)]
    if not tokens:
        problems.add(number, column, "empty brackets []: write a directive like [pause 5s] or [bell]")
        return None
    word, args = tokens[0][0], tokens[1:]
    if word == "pause":
        return _pause(args, number, column, problems)
    if word == "bell":
        return _bell(args, number, problems)
    _unknown_directive(word, args, inner, number, column, problems)
    return None


def _unknown_directive(
    word: str, args: Arguments, inner: str, number: int, column: int, problems: Problems
) -> None:
    rest = " ".join(arg for arg, _ in args)
    lower = word.lower()

    def written(name: str, argument: str = rest) -> str:
        return f"[{name} {argument}]" if argument else f"[{name}]"

    quoted = f"[{shown(inner.strip())}]"
    if lower in DIRECTIVES:
        problems.add(
            number,
            column,
            f"unknown directive {quoted}: directives are written in lowercase",
            written(lower),
        )
        return
    glued = next(
        (name for name in DIRECTIVES if lower.startswith(name) and word[len(name) :][:1].isdigit()), None
    )
    if glued:  # `[pause5s]`
        suggestion: str | None = written(glued, " ".join([word[len(glued) :], *(arg for arg, _ in args)]))
    else:
        close = difflib.get_close_matches(lower, DIRECTIVES, n=1, cutoff=0.6)
        suggestion = written(close[0]) if close else None
    message = f"unknown directive {quoted}"
    if suggestion is None:
        message += f": {_DIRECTIVE_LIST}; any other square brackets are not allowed"
    problems.add(number, column, message, suggestion)


def _pause(args: Arguments, number: int, column: int, problems: Problems) -> Pause | None:
    if not args:
        problems.add(number, column, _PAUSE_FORM)
        return None
    argument, argument_column = args[0]
    if len(args) > 1:
        joined = "".join(arg for arg, _ in args)
        problems.add(
            number,
            argument_column,
            "a pause takes one length, written without spaces, like [pause 1m30s]",
            f"[pause {joined}]" if _readable_pause(joined) else None,
        )
        return None
    flexible = argument.endswith("+")
    plus = "+" if flexible else ""
    length = argument[:-1] if flexible else argument
    try:
        seconds = parse_duration(length)
    except DurationError as exc:
        fix = exc.fix
        if fix is None and PLAIN_NUMBER.fullmatch(length):
            fix = length + "s"  # a bare number in a pause most likely means seconds
        problems.add(
            number,
            argument_column,
            f"{shown(argument)} is not a pause length: {exc.problem}; {_PAUSE_FORM}",
            f"[pause {fix}{plus}]" if fix else None,
        )
        return None
    if seconds <= 0:
        problems.add(number, argument_column, f"[pause {shown(argument)}] is no pause at all: {_PAUSE_FORM}")
        return None
    if seconds > MAX_PAUSE_SECONDS:
        problems.add(
            number,
            argument_column,
            f"[pause {shown(argument)}] is longer than "
            f"{MAX_PAUSE_SECONDS // 60} minutes, the longest a single pause can be: shorten it",
        )
        return None
    return Pause(seconds, flexible, number)


def _readable_pause(argument: str) -> bool:
    try:
        seconds = parse_duration(argument[:-1] if argument.endswith("+") else argument)
    except DurationError:
        return False
    return 0 < seconds <= MAX_PAUSE_SECONDS


def _bell(args: Arguments, number: int, problems: Problems) -> Bell | None:
    if not args:
        return Bell(None, number)
    name, name_column = args[0]
    if len(args) > 1:
        guess = slug_like("-".join(arg for arg, _ in args))
        problems.add(
            number,
            name_column,
            "a bell takes at most one name, without spaces, like [bell deep]",
            f"[bell {guess}]" if guess else None,
        )
        return None
    if not SLUG.fullmatch(name):
        guess = slug_like(name)
        problems.add(
            number,
            name_column,
            f"bell name {shown(name)} must be a short name of lowercase letters, "
            "digits and hyphens, like [bell deep]",
            f"[bell {guess}]" if guess else None,
        )
        return None
    return Bell(name, number)
