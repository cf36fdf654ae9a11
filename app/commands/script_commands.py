"""`kindred list`, `kindred check` and `kindred new`: the scripts themselves, nothing spoken."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.commands.exit_status import EXIT_FAILURE, EXIT_OK
from app.errors import KindredError

if TYPE_CHECKING:
    from app.script import Script


def list_scripts(args: argparse.Namespace) -> int:
    from app.library import load_catalogue

    entries = load_catalogue()
    if not entries:
        print("No scripts found. Put .md scripts in the library folder: see `kindred doctor`.")
        return EXIT_OK
    width = max(len(entry.title) for entry in entries)
    for entry in entries:
        if entry.script is None:
            print(f"{entry.title:<{width}}  {entry.origin:<7}  has errors: run `kindred check {entry.path}`")
        else:
            print(f"{entry.title:<{width}}  {entry.origin:<7}  {_offered_lengths(entry.script)}")
    return EXIT_OK


def _offered_lengths(script: Script) -> str:
    from app.script import format_duration

    if not script.meta.durations:
        return "natural length"
    return ", ".join(format_duration(seconds) for seconds in script.meta.durations)


def check_scripts(args: argparse.Namespace) -> int:
    from app.render.estimate import length_problems
    from app.render.sounds import asset_errors
    from app.script import ScriptErrors, load_script, unused_pronunciations
    from app.script.errors import printable

    failed = False
    for name in args.files:
        try:
            script = load_script(name)
            problems = asset_errors(script) + unused_pronunciations(script) + length_problems(script)
        except ScriptErrors as errors:
            print(errors.format())
            failed = True
            continue
        except OSError as error:
            print(f"{printable(name)}: cannot read the file: {error.strerror}")
            failed = True
            continue
        if problems:
            print(ScriptErrors(problems, name).format())
            failed = True
        else:
            print(f"{printable(name)}: OK ({printable(script.meta.title)})")
            if args.hints:
                _print_hints(name, script, args.rate)
    return EXIT_FAILURE if failed else EXIT_OK


def _print_hints(name: str, script: Script, rate: int | None) -> None:
    """`FILE:LINE: note: …` for each hint; notes are advice, so they never change the exit status."""
    from app.render.hints import script_hints
    from app.script.errors import printable
    from app.tts.engine import DEFAULT_RATE_WPM

    for hint in script_hints(script, rate or DEFAULT_RATE_WPM):
        print(f"{printable(name)}:{hint.line}: note ({hint.kind}): {printable(hint.message)}")


def new_script(args: argparse.Namespace) -> int:
    from app.library.user_scripts import UserLibrary

    if not args.title.strip():
        raise KindredError('Give the script a title, e.g. kindred new "Evening Kindness".', "No title")
    print(UserLibrary().new_script(args.title))
    return EXIT_OK
