"""The background-sound combo boxes (player, timer, settings), filled and refilled in one way.

Sounds can be added and removed while the window is open (Settings → Add a sound…), so each
combo is refilled from ambience_names() when that happens, keeping what was chosen.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox

from app.render.sounds import ambience_names


def sound_label(name: str) -> str:
    """Turn a file name like "singing-bowl" into a label like "Singing bowl"."""
    text = name.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def fill_ambience_combo(
    combo: QComboBox, fixed: Sequence[tuple[str, object]], keep: str | None = None
) -> None:
    """`fixed` (label, data) items first, then every background sound, bundled and added.

    The item chosen before stays chosen when it is still offered, else the first item is. `keep`
    stays offered even when its file has gone: a sound playing right now goes on playing, and the
    combo must go on showing it. No signal is emitted: the caller compares currentData().
    """
    chosen = combo.currentData()
    names = ambience_names()
    if keep and keep not in names:
        names.append(keep)
    combo.blockSignals(True)
    try:
        combo.clear()
        for text, data in fixed:
            combo.addItem(text, data)
        for name in names:
            combo.addItem(sound_label(name), name)
        combo.setCurrentIndex(max(combo.findData(chosen), 0))
    finally:
        combo.blockSignals(False)
