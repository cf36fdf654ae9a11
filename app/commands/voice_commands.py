"""`kindred voices`: the voices this computer can speak with; adding and removing a Piper voice."""

from __future__ import annotations

import argparse
import contextlib
import shutil

from app.commands.exit_status import EXIT_OK


def voices(args: argparse.Namespace) -> int:
    if args.add:
        return _add_voice(args)
    if args.remove:
        return _remove_voice(args.remove)
    from app.tts import create_engine

    with contextlib.closing(create_engine()) as engine:
        found = engine.voices()
        default = engine.default_voice()
        reason = getattr(engine, "fallback_reason", None)
    width = max(len(voice.id) for voice in found)
    engines = max(len(voice.engine) for voice in found)
    for voice in found:
        marker = "*" if voice.id == default else " "
        print(
            f"{marker} {voice.id:<{width}}  {voice.language:<8}  {voice.engine:<{engines}}  "
            f"{voice.quality or '-':<6}  {voice.name}"
        )
    print(f"\n{len(found)} voices; * marks the default.")
    if reason:
        print(f"The natural voice is not available: {reason}")
    return EXIT_OK


def _add_voice(args: argparse.Namespace) -> int:
    from app.tts.voice_import import import_voice

    added = import_voice(args.add, args.config)
    print(f"Added {added.id}: {added.name}, {added.language}. Use it with --voice {added.id}.")
    return EXIT_OK


def _remove_voice(voice_id: str) -> int:
    from app.tts.voice_import import remove_voice

    trashed = remove_voice(voice_id)
    shutil.rmtree(trashed.folder, ignore_errors=True)  # no Undo here: gone for good
    print(f"Removed {trashed.voice.id} ({trashed.voice.name}).")
    return EXIT_OK
