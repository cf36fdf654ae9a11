"""Exporting a session as an audio file: the dialog, opened where the player or the library asks.

`open_export_dialog` offers again the format and folder of the last export, with the voice and
rate the player uses, and remembers them when an export completes. The dialog itself is
`export_dialog`; its parts are the other `export_*` modules here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from app import settings
from app.history import Store
from app.render.cache_limit import trim_soon
from app.render.export import ExportResult
from app.script import Script
from app.settings import Settings
from app.tts import SpeechEngine
from app.ui.dialogs.export_dialog import ExportDialog
from app.ui.dialogs.export_task import ExportTask

__all__ = ["ExportDialog", "ExportTask", "open_export_dialog", "retire_export_dialog"]


def open_export_dialog(
    parent: QWidget,
    store: Store,
    engine: SpeechEngine,
    script: Script,
    length: float | None,
    ambience: str | None,
    ambience_volume: float | None = None,
) -> ExportDialog:
    """Open (without blocking) the export dialog with the voice and rate the player uses.

    The format and folder of the last export are offered again.
    """
    values = Settings(store)
    folder_setting = values.get(settings.EXPORT_FOLDER)
    folder = Path(folder_setting) if folder_setting is not None and Path(folder_setting).is_dir() else None
    dialog = ExportDialog(
        script,
        engine,
        length=length,
        voice=values.get(settings.VOICE),
        rate=values.get(settings.RATE),
        ambience=ambience,
        ambience_volume=values.get(settings.AMBIENCE_VOLUME) if ambience_volume is None else ambience_volume,
        fmt=values.get(settings.EXPORT_FORMAT),
        folder=folder,
        parent=parent,
    )

    def remember(result: ExportResult) -> None:
        values.set(settings.EXPORT_FORMAT, dialog.format())
        values.set(settings.EXPORT_FOLDER, str(result.audio.parent))
        trim_soon(values.get(settings.CACHE_LIMIT_GB))

    dialog.exportFinished.connect(remember)
    dialog.open()
    return dialog


def retire_export_dialog(dialog: ExportDialog | None) -> None:
    """Free the dialog of an earlier export when a new one opens; one still exporting finishes first."""
    if dialog is not None and not dialog.is_exporting():
        dialog.deleteLater()
