"""What the listener chooses for the session playing: its length, and the background sound under it.

The length picker offers the lengths the script can fill; the background combo offers the sounds,
starting with the one Settings or the script prefers; the chosen sound is decoded once per name and
played at its slider's level.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox

from app import paths, settings
from app.history import Store
from app.render.estimate import playable_lengths
from app.render.mix import Background, slider_to_gain
from app.render.sounds import decoded_ambience
from app.script import Script, format_duration
from app.settings import Settings

#: The background combo's first item, before the sounds.
PLAYER_AMBIENCE_FIXED = (("No background", None),)


def fill_length_picker(picker: QComboBox, script: Script, length: float | None, rate: int) -> None:
    """The lengths `script` can be played at (at `rate` words a minute), `length` chosen; no signal."""
    with QSignalBlocker(picker):
        picker.clear()
        offered = playable_lengths(script, rate)
        if length is not None and length not in offered:
            offered.append(length)  # a length asked for elsewhere (a resume, the command line) stays
        for seconds in offered:
            picker.addItem("Natural" if seconds is None else format_duration(seconds), seconds)
        picker.setCurrentIndex(max(0, picker.findData(length)))
    picker.setEnabled(len(offered) > 1)


def preferred_ambience(store: Store, script: Script) -> str | None:
    """The background a session starts with: the one chosen in Settings, or the script's own."""
    preference = Settings(store).get(settings.DEFAULT_AMBIENCE)
    ambience = script.meta.ambience if preference == "script" else preference
    return None if ambience == "none" else ambience


def choose_ambience(combo: QComboBox, store: Store, script: Script, ambience: str | None) -> None:
    """Sets the background combo to `ambience` ("default": as preferred_ambience, "none" or None:
    no background); a sound no longer offered falls back to none."""
    if ambience == "default":
        ambience = preferred_ambience(store, script)
    if ambience == "none":
        ambience = None
    index = combo.findData(ambience)
    combo.setCurrentIndex(index if index >= 0 else 0)


class BackgroundLoops:
    """Background sounds decoded once per name, for as long as the player screen lives."""

    def __init__(self) -> None:
        self._loops: dict[str, Background] = {}

    def background(self, name: str | None, slider: float) -> Background | None:
        """Sound `name` at the level of a slider at `slider` (0 to 1); None for no background."""
        if not name:
            return None
        loop = self._loops.get(name)
        if loop is None:
            loop = self._loops[name] = Background.load(decoded_ambience(name, paths.cache_dir()), 1.0)
        return Background(loop.loop, slider_to_gain(slider))
