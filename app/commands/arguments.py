"""The command line's grammar: every command and option of `kindred`, and the checks of their
values (a length, a rate, a month) that turn a mistake into one line of usage, not a traceback.

Only the standard library is loaded here: `kindred --help` must answer at once.
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import NoReturn, TypeAlias

from app import __version__
from app.about import ABOUT_TEXT
from app.commands.exit_status import EXIT_USAGE

MIN_RATE_WPM, MAX_RATE_WPM = 80, 250
#: As app.render.export.FORMATS, without loading the audio stack for `--help`.
EXPORT_FORMATS = ("mp3", "opus", "flac", "wav")


class UsageParser(argparse.ArgumentParser):
    """Wrong usage: one line that says what is wrong, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (try `{self.prog} --help`)\n")


#: What add_subparsers returns: where each command's parser is added.
Commands: TypeAlias = "argparse._SubParsersAction[UsageParser]"


def build_parser() -> argparse.ArgumentParser:
    parser = UsageParser(
        prog="kindred",
        description="Guided compassion meditations, spoken by your computer's own voices.",
        epilog=ABOUT_TEXT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kindred {__version__}")
    parser.add_argument(
        "--tray", action="store_true", help="open the window hidden in the tray (how Kindred starts at login)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=UsageParser)
    # `kindred --help` lists the commands in the order they are added.
    _add_script_commands(commands)
    _add_session_commands(commands)
    _add_history_commands(commands)
    _add_setup_commands(commands)
    return parser


def _add_script_commands(commands: Commands) -> None:
    commands.add_parser("list", help="list bundled and your own scripts, with their lengths")

    check = commands.add_parser("check", help="check scripts for errors (FILE:LINE:COL: message)")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument(
        "--hints",
        action="store_true",
        help="also give notes on pace and care (breath, silences, pace, safety): advice, not errors",
    )
    check.add_argument("--rate", type=_rate, help="the speaking rate the notes assume, in words per minute")

    new = commands.add_parser("new", help="create a script of your own from the template and print its path")
    new.add_argument("title", metavar="TITLE", help='the script\'s title, e.g. "Evening Kindness"')


def _add_session_commands(commands: Commands) -> None:
    """render, export and play: a script spoken as a session."""
    render = commands.add_parser("render", help="render a script to a WAV file")
    _add_script_arguments(render)
    _add_voice_arguments(render)
    render.add_argument("-o", "--output", required=True, type=_wav_path, metavar="OUT.wav")

    export = commands.add_parser(
        "export", help="save a session as MP3, Opus, FLAC or WAV, with tags, chapters and captions"
    )
    _add_script_arguments(export)
    export.add_argument(
        "--format", choices=EXPORT_FORMATS, help="the file format (default: from FILE's ending)"
    )
    export.add_argument(
        "--ambience",
        metavar="NAME|none",
        help="background sound mixed under the voice, or none (default: the script's own)",
    )
    export.add_argument(
        "--ambience-volume",
        type=_percent,
        default=50,
        metavar="PERCENT",
        help="the background's level, as the player's slider (default: 50)",
    )
    _add_voice_arguments(export)
    export.add_argument("--force", action="store_true", help="replace FILE and its captions if they exist")
    export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")

    play = commands.add_parser("play", help="play a session in the terminal (Ctrl+C stops)")
    _add_script_arguments(play)
    _add_voice_arguments(play)
    play.add_argument(
        "--ambience",
        metavar="NAME|none",
        help="background sound under the voice, or none (default: the script's own)",
    )


def _add_history_commands(commands: Commands) -> None:
    history = commands.add_parser("history", help="list your listens, newest first (or export/import CSV)")
    history_mode = history.add_mutually_exclusive_group()
    history_mode.add_argument(
        "--csv", action="store_true", help="write the listens as CSV to standard output"
    )
    history_mode.add_argument(
        "--import", dest="import_file", type=Path, metavar="FILE.csv", help="add the listens of a CSV file"
    )
    history.add_argument("--month", type=_month, metavar="YYYY-MM", help="only listens of this month")
    history.add_argument("--theme", help="only listens of this theme")

    stats = commands.add_parser("stats", help="total minutes, sessions completed, streaks, favourite themes")
    stats.add_argument("--json", action="store_true", help="print the statistics as JSON")


def _add_setup_commands(commands: Commands) -> None:
    """The voices, and Kindred's own installation."""
    voices = commands.add_parser(
        "voices", help="list the voices this computer can speak with, or add or remove a neural voice"
    )
    voice_action = voices.add_mutually_exclusive_group()
    voice_action.add_argument(
        "--add", type=Path, metavar="MODEL.onnx", help="add a Piper voice (its .onnx.json lies beside it)"
    )
    voice_action.add_argument("--remove", metavar="ID", help="remove a voice you added (see the list)")
    voices.add_argument(
        "--config", type=Path, metavar="FILE.json", help="with --add: the voice's settings file"
    )
    commands.add_parser(
        "doctor", help="check the voice, ffmpeg, audio output, data folders and Kindred's own files"
    )
    desktop = commands.add_parser(
        "install-desktop", help="add Kindred to your desktop's menu (or take it out with --remove)"
    )
    desktop.add_argument(
        "--remove", action="store_true", help="take out the menu entry and icon that install-desktop wrote"
    )


def _add_script_arguments(command: argparse.ArgumentParser) -> None:
    """The script and the length of a session, as render, export and play take them."""
    command.add_argument("script", metavar="SCRIPT", help="a script file, or the name of one in the library")
    command.add_argument(
        "--length", type=_duration, help="session length, e.g. 10m or 1m30s (default: the script's)"
    )


def _add_voice_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--voice", help="voice id (see `kindred voices`)")
    command.add_argument("--rate", type=_rate, help="speaking rate in words per minute")


# -- the values of options ------------------------------------------------------------------


def _duration(text: str) -> float:
    from app.script import MAX_LENGTH_SECONDS, parse_duration

    try:
        seconds = parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"invalid length {text!r}: {error}") from None
    if not 1 <= seconds <= MAX_LENGTH_SECONDS:
        raise argparse.ArgumentTypeError(f"invalid length {text!r}: choose between 1s and 3h")
    return seconds


def _rate(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid rate {text!r}: give words per minute, e.g. 120") from None
    # The voices stay clear within this span; a meditation is spoken at about 110-130.
    if not MIN_RATE_WPM <= value <= MAX_RATE_WPM:
        raise argparse.ArgumentTypeError(
            f"invalid rate {value}: choose between {MIN_RATE_WPM} and {MAX_RATE_WPM} words per minute"
        )
    return value


def _wav_path(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() != ".wav":
        raise argparse.ArgumentTypeError(f"the output must be a .wav file, not {path.name or text!r}")
    return path


def _percent(text: str) -> int:
    try:
        value = int(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid volume {text!r}: give a percentage, e.g. 50") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"invalid volume {value}: choose between 0 and 100")
    return value


def _month(text: str) -> str:
    try:
        datetime.date.fromisoformat(f"{text}-01")
    except ValueError:
        valid = False
    else:
        valid = len(text) == 7
    if not valid:
        raise argparse.ArgumentTypeError(f"invalid month {text!r}: give it as YYYY-MM, e.g. 2026-03")
    return text
