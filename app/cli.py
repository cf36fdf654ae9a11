"""`kindred`: the command line. Never imports PySide6 (only the window and `play` will)."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from app import __version__
from app.about import ABOUT_TEXT
from app.errors import KindredError
from app.terminal.progress import ProgressDisplay

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
MIN_RATE_WPM, MAX_RATE_WPM = 80, 250
#: As app.render.export.FORMATS, without loading the audio stack for `--help`.
EXPORT_FORMATS = ("mp3", "opus", "flac", "wav")


class _Parser(argparse.ArgumentParser):
    """Wrong usage: one line that says what is wrong, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (try `{self.prog} --help`)\n")


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
    import datetime

    try:
        datetime.date.fromisoformat(f"{text}-01")
    except ValueError:
        valid = False
    else:
        valid = len(text) == 7
    if not valid:
        raise argparse.ArgumentTypeError(f"invalid month {text!r}: give it as YYYY-MM, e.g. 2026-03")
    return text


def _add_script_arguments(command: argparse.ArgumentParser) -> None:
    """The script and the length of a session, as render, export and play take them."""
    command.add_argument("script", metavar="SCRIPT", help="a script file, or the name of one in the library")
    command.add_argument(
        "--length", type=_duration, help="session length, e.g. 10m or 1m30s (default: the script's)"
    )


def _add_voice_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--voice", help="voice id (see `kindred voices`)")
    command.add_argument("--rate", type=_rate, help="speaking rate in words per minute")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kindred",
        description="Guided compassion meditations, spoken by your computer's own voices.",
        epilog=ABOUT_TEXT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kindred {__version__}")
    parser.add_argument(
        "--tray", action="store_true", help="open the window hidden in the tray (how Kindred starts at login)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    commands.add_parser("list", help="list bundled and your own scripts, with their lengths")

    check = commands.add_parser("check", help="check scripts for errors (FILE:LINE:COL: message)")
    check.add_argument("files", nargs="+", metavar="FILE")

    new = commands.add_parser("new", help="create a script of your own from the template and print its path")
    new.add_argument("title", metavar="TITLE", help='the script\'s title, e.g. "Evening Kindness"')

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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return _window(in_tray=args.tray)
    handlers = {
        "list": _list,
        "check": _check,
        "render": _render,
        "export": _export,
        "play": _play,
        "voices": _voices,
        "doctor": _doctor,
        "history": _history,
        "stats": _stats,
        "new": _new,
        "install-desktop": _install_desktop,
    }
    if args.command in ("render", "export", "play"):
        from app.leftovers import remove_leftovers

        remove_leftovers()  # what a killed run of these left behind (nobody's work in progress)
    try:
        status = handlers[args.command](args)
        if args.command in ("render", "export", "play"):
            _trim_cache()
        sys.stdout.flush()  # here, where a closed pipe is caught below, not at the interpreter's exit
        return status
    except KindredError as error:
        print(f"{error.title}: {error.explanation}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:
        # `kindred voices | head`: the reader has all it wanted. Point stdout at nothing so that
        # the interpreter's final flush cannot complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:
        # A folder Kindred needs (data, cache) is missing or unwritable: say which, not a traceback.
        where = f"{error.filename}: " if error.filename else ""
        print(
            f"Could not use a file: {where}{error.strerror or error}. "
            "Run `kindred doctor` to check Kindred's folders.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return EXIT_INTERRUPTED


def _offered_lengths(script) -> str:
    from app.script import format_duration

    if not script.meta.durations:
        return "natural length"
    return ", ".join(format_duration(seconds) for seconds in script.meta.durations)


def _list(args: argparse.Namespace) -> int:
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


def _check(args: argparse.Namespace) -> int:
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
    return EXIT_FAILURE if failed else EXIT_OK


def _resolve_script(name: str):
    from app.library import resolve_script

    return resolve_script(name)[1]


def _render(args: argparse.Namespace) -> int:
    from app.script import ScriptErrors, format_duration

    try:
        script = _resolve_script(args.script)
    except ScriptErrors as errors:
        print(errors.format(), file=sys.stderr)
        return EXIT_FAILURE
    output: Path = args.output
    _check_output(output)  # before rendering, which can take minutes

    # Imported only now: the audio stack takes a second to load, and a mistake above should not wait for it.
    from app.render import render_session
    from app.render.cache_limit import in_use
    from app.render.export import copy_wav
    from app.tts import create_engine
    from app.tts.engine import DEFAULT_RATE_WPM

    bar = ProgressDisplay(sys.stderr)
    started = time.perf_counter()
    try:
        with contextlib.closing(create_engine()) as engine:
            _tell_fallback(engine, args.voice)
            result = render_session(
                script,
                engine,
                length=args.length,
                voice=args.voice,
                rate=args.rate or DEFAULT_RATE_WPM,
                progress=bar.update,
            )
    finally:
        bar.finish()  # so that an error starts on a line of its own
    with in_use([result.wav_path]):  # another Kindred's trim leaves it until it is copied
        copy_wav(result.wav_path, output)
    length = format_duration(round(result.timeline["length"]))
    source = "from the cache" if result.from_cache else f"in {time.perf_counter() - started:.1f} s"
    print(f"Wrote {output} ({length}, {script.meta.title}) {source}")
    return EXIT_OK


def _export_format(args: argparse.Namespace) -> tuple[str, Path]:
    """The format and the output file: each from the other when only one is given."""
    output: Path = args.output
    ending = output.suffix.lower().lstrip(".")
    usage = _Parser(prog="kindred export")
    if args.format is None:
        if ending not in EXPORT_FORMATS:
            usage.error(f"give --format, or an output name ending in .{', .'.join(EXPORT_FORMATS)}")
        return ending, output
    if ending in EXPORT_FORMATS and ending != args.format:
        usage.error(f"the output name ends in .{ending} but --format is {args.format}")
    if not ending:
        output = output.with_name(f"{output.name}.{args.format}")
    return args.format, output


def _export(args: argparse.Namespace) -> int:
    from app.script import ScriptErrors, format_duration

    fmt, output = _export_format(args)
    try:
        script = _resolve_script(args.script)
    except ScriptErrors as errors:
        print(errors.format(), file=sys.stderr)
        return EXIT_FAILURE
    _check_output(output, f"Give a file name ending in .{fmt}.")
    if not args.force:
        for path in (output, output.with_suffix(".vtt"), output.with_suffix(".srt")):
            if os.path.lexists(path):
                raise KindredError(f"{path} already exists. Add --force to replace it.", "The file exists")

    from app.render.encode import SPECS
    from app.render.export import ExportRequest, export_session
    from app.tts import create_engine
    from app.tts.engine import DEFAULT_RATE_WPM

    request = ExportRequest(
        script=script,
        length=args.length,
        voice=args.voice,
        rate=args.rate or DEFAULT_RATE_WPM,
        ambience=args.ambience,
        format=fmt,
        target=output,
        ambience_volume=args.ambience_volume / 100,
        overwrite=args.force,
    )
    bar = ProgressDisplay(sys.stderr)
    started = time.perf_counter()
    try:
        with contextlib.closing(create_engine()) as engine:
            _tell_fallback(engine, args.voice)
            result = export_session(request, engine, progress=bar.update)
    finally:
        bar.finish()  # so that an error starts on a line of its own
    length = format_duration(round(result.length_s))
    captions = " and ".join(path.name for path in result.captions)
    details = f"{length}, {script.meta.title}, {SPECS[fmt].label}, {result.loudness_lufs:.1f} LUFS"
    print(
        f"Wrote {result.audio} ({details}) with captions {captions} in {time.perf_counter() - started:.1f} s"
    )
    return EXIT_OK


def _trim_cache() -> None:
    """After a command that fills the cache: keep it under the size set in the window's Settings."""
    from app import paths
    from app.history.store import read_setting
    from app.render.cache_limit import LIMIT_SETTING, limit_bytes, trim_cache

    # The work is done and saved: an unreadable cache folder is doctor's to report, not this.
    with contextlib.suppress(OSError):
        trim_cache(paths.cache_dir(), limit_bytes(read_setting(paths.database_path(), LIMIT_SETTING)))


def open_window() -> int:
    """The `kindred-window` entry point: the window with no console (pythonw on Windows)."""
    return _window()


def _window(in_tray: bool = False) -> int:
    """No command: open the window. Qt is loaded here only, never by the other commands."""
    try:
        from app.ui.services.single_instance import Reached, raise_open_window

        # Before the window's modules load (a second or two): a second start ends at once.
        asked = raise_open_window()
        if asked is Reached.ANSWERED:
            return EXIT_OK
        from app.ui.app import run
    except ImportError as error:
        print(
            f"The window cannot open here ({error}). Install the system packages of `make run` "
            "(libegl1, libxkbcommon0, libpulse0 …) and try again; "
            "`kindred --help` lists what works without it.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    return run(sys.argv[:1], asked, in_tray=in_tray)


def _play(args: argparse.Namespace) -> int:
    from app.script import ScriptErrors

    try:
        script = _resolve_script(args.script)
    except ScriptErrors as errors:
        print(errors.format(), file=sys.stderr)
        return EXIT_FAILURE
    try:
        # The one headless command that loads Qt, and only now: the others must stay light.
        from app.terminal.play_options import ambience_for
        from app.ui.services.single_instance import play_in_open_window
        from app.ui.services.terminal_session import play_in_terminal
    except ImportError as error:
        print(
            f"Playback is not available here ({error}). Install the system package libpulse0 "
            "(see `kindred doctor`), or save the session as a file with `kindred render`.",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    # With Kindred's window open, the window plays it: one player and one history, not two.
    ambience_for(script, args.ambience)  # an unknown name is refused here too, before anything plays
    # A file is sent by its absolute path: the window's working folder is its own.
    name = str(Path(args.script).resolve()) if Path(args.script).is_file() else args.script
    status = play_in_open_window(name, args.length, args.ambience)
    if status is not None:
        if status == EXIT_OK and (args.voice or args.rate):
            print(
                "Note: the window speaks with the voice and rate chosen in its Settings; "
                "--voice and --rate apply when Kindred plays in the terminal.",
                file=sys.stderr,
            )
        return status
    from app.tts import create_engine
    from app.tts.engine import DEFAULT_RATE_WPM

    with contextlib.closing(create_engine()) as engine:
        _tell_fallback(engine, args.voice)
        return play_in_terminal(
            script, args.length, args.voice, args.rate or DEFAULT_RATE_WPM, args.ambience, engine
        )


def _check_output(output: Path, name_hint: str = "Give a file name ending in .wav.") -> None:
    """Refuses an output path that cannot be written, with the reason a person can act on."""
    title = "Could not save the file"  # as app.render.export.ExportError, without loading the audio stack
    if os.path.isdir(output):
        raise KindredError(f"{output} is a folder. {name_hint}", title)
    folder = output.parent
    while not os.path.lexists(folder) and folder != folder.parent:
        folder = folder.parent  # copy_wav creates the missing folders below the nearest existing one
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise KindredError(
            f"{folder} is a file, not a folder, so {output} cannot be written. Choose another folder.", title
        )
    if os.path.isdir(folder) and not os.access(folder, os.W_OK | os.X_OK):
        raise KindredError(f"Kindred may not write to {folder}. Choose another folder.", title)



def _new(args: argparse.Namespace) -> int:
    from app.library.user_scripts import UserLibrary

    if not args.title.strip():
        raise KindredError('Give the script a title, e.g. kindred new "Evening Kindness".', "No title")
    print(UserLibrary().new_script(args.title))
    return EXIT_OK


def _tell_fallback(engine, wanted: str | None) -> None:
    """Once per command: why the system voice speaks when the natural one was meant to."""
    from app.tts import chosen_voice

    voice = chosen_voice(engine, wanted)
    reason = getattr(engine, "fallback_reason", None)
    if reason and not voice.startswith("piper/") and (wanted is None or wanted.startswith("piper/")):
        print(
            f"Note: {reason} Kindred speaks with eSpeak NG instead (see `kindred doctor`).",
            file=sys.stderr,
        )


def _voices(args: argparse.Namespace) -> int:
    from app.tts import create_engine

    if args.add:
        from app.tts.voice_import import import_voice

        voice = import_voice(args.add, args.config)
        print(f"Added {voice.id}: {voice.name}, {voice.language}. Use it with --voice {voice.id}.")
        return EXIT_OK
    if args.remove:
        from app.tts.voice_import import remove_voice

        trashed = remove_voice(args.remove)
        shutil.rmtree(trashed.folder, ignore_errors=True)  # no Undo here: gone for good
        print(f"Removed {trashed.voice.id} ({trashed.voice.name}).")
        return EXIT_OK
    with contextlib.closing(create_engine()) as engine:
        voices = engine.voices()
        default = engine.default_voice()
        reason = getattr(engine, "fallback_reason", None)
    width = max(len(voice.id) for voice in voices)
    engines = max(len(voice.engine) for voice in voices)
    for voice in voices:
        marker = "*" if voice.id == default else " "
        print(
            f"{marker} {voice.id:<{width}}  {voice.language:<8}  {voice.engine:<{engines}}  "
            f"{voice.quality or '-':<6}  {voice.name}"
        )
    print(f"\n{len(voices)} voices; * marks the default.")
    if reason:
        print(f"The natural voice is not available: {reason}")
    return EXIT_OK


def _doctor(args: argparse.Namespace) -> int:
    from app.doctor import run_checks

    all_ok = True
    for check in run_checks():
        all_ok &= check.ok
        status = "OK  " if check.ok else "FAIL"
        print(f"{status} {check.name}: {check.detail}")
    return EXIT_OK if all_ok else EXIT_FAILURE


def _install_desktop(args: argparse.Namespace) -> int:
    from app import desktop_install

    if args.remove:
        removed = desktop_install.remove()
        if not removed:
            print("Kindred was not in your desktop's menu: nothing to remove.")
        for path in removed:
            print(f"Removed {path}")
        return EXIT_OK
    command = desktop_install.launcher_command()
    files = desktop_install.install(command=command)
    print(f"Kindred is in your desktop's menu; it starts {desktop_install.exec_line(command)}")
    for path in files.all():
        print(f"  wrote {path}")
    print("`kindred install-desktop --remove` takes it out again.")
    return EXIT_OK


@contextlib.contextmanager
def _listen_log():
    from app import paths
    from app.history import ListenLog, Store

    store = Store(paths.database_path())
    recovered = store.recovery_message()
    if recovered is not None:
        print(recovered, file=sys.stderr)
    try:
        yield ListenLog(store)
    finally:
        store.close()


def _history(args: argparse.Namespace) -> int:
    from app.history import csv_listens, export_csv
    from app.history.csv_io import check_import_file, import_summary

    if args.import_file is not None:
        if args.month or args.theme:
            raise KindredError(
                "--month and --theme choose what to list; an import adds every row of its file."
            )
        check_import_file(args.import_file)  # every row checked before the database is touched
        with _listen_log() as log:
            added, already = log.add_listens(csv_listens(args.import_file))
        # The History page's Import CSV… says the same (app/ui/pages/history/csv_buttons.py).
        print(import_summary(added, already, args.import_file))
        return EXIT_OK
    with _listen_log() as log:
        listens = log.listens(month=args.month, theme=args.theme, limit=None)
    if args.csv:
        export_csv(listens, sys.stdout)
        return EXIT_OK
    if not listens:
        print("No listens yet." if not (args.month or args.theme) else "No listens match.")
        return EXIT_OK
    width = min(40, max(len(listen.title) for listen in listens))
    for listen in listens:
        # A practice entered by hand has a day, not a time: leave the time blank, not a made-up noon.
        when = listen.started_at.strftime("%Y-%m-%d" if listen.manual else "%Y-%m-%d %H:%M")
        state = "completed" if listen.completed else ("in progress" if listen.in_progress else "stopped")
        line = f"{when:<16}  {listen.title[:width]:<{width}}  {listen.minutes_heard:5.1f} min  {state:<11}"
        if listen.note:
            line += "  " + " ".join(listen.note.split())  # one line per listen, whatever the note holds
        print(line.rstrip())
    return EXIT_OK


def _stats(args: argparse.Namespace) -> int:
    import json

    from app.history import statistics

    with _listen_log() as log:
        stats = statistics(log.practice())
    if args.json:
        print(json.dumps(stats.to_dict(), indent=2))
        return EXIT_OK
    themes = ", ".join(f"{theme} ({count})" for theme, count in stats.favourite_themes) or "none yet"
    print(f"Total time:          {stats.total_minutes:.0f} min")
    print(f"Sessions completed:  {stats.sessions_completed}")
    print(f"Current streak:      {stats.current_streak} day{'s' if stats.current_streak != 1 else ''}")
    print(f"Longest streak:      {stats.longest_streak} day{'s' if stats.longest_streak != 1 else ''}")
    print(f"Favourite themes:    {themes}")
    return EXIT_OK
