"""Meditation scripts: the model, the parser and the writer of the text format."""

from .durations import DurationError, format_duration, parse_duration
from .errors import ScriptError, ScriptErrors
from .model import Bell, Comment, Item, Meta, Pause, Script, Section, Speech
from .parser import (
    MAX_FILE_BYTES,
    MAX_LENGTH_SECONDS,
    MAX_PAUSE_SECONDS,
    field_line,
    load_script,
    parse_script,
    unused_pronunciations,
)
from .writer import script_to_text

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_LENGTH_SECONDS",
    "MAX_PAUSE_SECONDS",
    "Bell",
    "Comment",
    "DurationError",
    "Item",
    "Meta",
    "Pause",
    "Script",
    "ScriptError",
    "ScriptErrors",
    "Section",
    "Speech",
    "field_line",
    "format_duration",
    "load_script",
    "parse_duration",
    "parse_script",
    "unused_pronunciations",
    "script_to_text",
]
