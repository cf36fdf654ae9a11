"""`kindred render`, `kindred export` and `kindred play`: a script spoken as a session.

Each checks what it can before loading the audio stack (a second or two): a script with errors
or an output that cannot be written fails at once, not after the voice has loaded.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from app.commands.arguments import EXPORT_FORMATS, UsageParser
from app.commands.exit_status import EXIT_FAILURE, EXIT_OK
from app.errors import KindredError
from app.terminal.progress import ProgressDisplay

if TYPE_CHECKING:
    from app.script import Script
    from app.tts.engine import SpeechEngine

#: The commands that fill the speech and session cache.
SESSION_COMMANDS = ("render", "export", "play")


def render(args: argparse.Namespace) -> int:
    from app.script import ScriptErrors, format_duration

    try:
        script = resolve_script(args.script)
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
            tell_fallback(engine, args.voice)
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
    length = format_duration(round(result.timeline.length))
    source = "from the cache" if result.from_cache else f"in {time.perf_counter() - started:.1f} s"
    print(f"Wrote {output} ({length}, {script.meta.title}) {source}")
    return EXIT_OK


def export(args: argparse.Namespace) -> int:
    from app.script import ScriptErrors, format_duration

    fmt, output = _export_format(args)
    try:
        script = resolve_script(args.script)
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
            tell_fallback(engine, args.voice)
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


def trim_cache_to_setting() -> None:
    """After a command that fills the cache: keep it under the size set in the window's Settings."""
    from app import paths
    from app.history.store import read_setting
    from app.render.cache_limit import limit_bytes, trim_cache
    from app.settings import CACHE_LIMIT_GB

    # Read without opening the store: a command must not create or lock the history for this.
    limit_gb = CACHE_LIMIT_GB.value_of(read_setting(paths.database_path(), CACHE_LIMIT_GB.key))
    # The work is done and saved: an unreadable cache folder is doctor's to report, not this.
    with contextlib.suppress(OSError):
        trim_cache(paths.cache_dir(), limit_bytes(limit_gb))


def resolve_script(name: str) -> Script:
    from app.library import resolve_script

    return resolve_script(name)[1]


def _export_format(args: argparse.Namespace) -> tuple[str, Path]:
    """The format and the output file: each from the other when only one is given."""
    output: Path = args.output
    ending = output.suffix.lower().lstrip(".")
    usage = UsageParser(prog="kindred export")
    if args.format is None:
        if ending not in EXPORT_FORMATS:
            usage.error(f"give --format, or an output name ending in .{', .'.join(EXPORT_FORMATS)}")
        return ending, output
    if ending in EXPORT_FORMATS and ending != args.format:
        usage.error(f"the output name ends in .{ending} but --format is {args.format}")
    if not ending:
        output = output.with_name(f"{output.name}.{args.format}")
    return args.format, output


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


def tell_fallback(engine: SpeechEngine, wanted: str | None) -> None:
    """Once per command: why the system voice speaks when the natural one was meant to."""
    from app.tts import chosen_voice

    voice = chosen_voice(engine, wanted)
    reason = getattr(engine, "fallback_reason", None)
    if reason and not voice.startswith("piper/") and (wanted is None or wanted.startswith("piper/")):
        print(
            f"Note: {reason} Kindred speaks with eSpeak NG instead (see `kindred doctor`).",
            file=sys.stderr,
        )
