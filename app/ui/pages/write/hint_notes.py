"""Gentle notes under the script: the pace hints of app.render.hints (breath, silence, pace,
safety), shown once the script has no problems. They are advice, never errors: the script plays
as it is, so they look quieter than the problems and never block anything."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.errors import KindredError
from app.script import Script
from app.ui.pages.write.problems import ProblemList
from app.ui.widgets.basics import labelled

#: More notes than this and the first ones are shown with a line saying how many more there are.
MAX_SHOWN_NOTES = 6


class HintNotes(ProblemList):
    """ "Line 12 · a note for the author: …"; hidden while there are none. Click one to go there."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("hintNotes")
        labelled(
            self,
            "Notes on pace and care",
            "Suggestions for the listener's sake; click one to go to its place",
        )

    def show_script(self, script: Script | None, rate: int) -> None:
        """The notes for `script` spoken at `rate` words a minute; none while it has problems."""
        notes = _hints(script, rate) if script is not None else []
        rows = [(f"Line {hint.line} · {hint.message}", (hint.line, 1)) for hint in notes]
        self.show_rows(rows, MAX_SHOWN_NOTES, "… and {} more notes (`kindred check --hints` lists them all)")


def _hints(script: Script, rate: int) -> list:
    # Imported here: the hints plan the session, a renderer module loaded only when first needed.
    from app.render.hints import script_hints

    try:
        return script_hints(script, rate)
    except (KindredError, OSError):
        return []  # a length that cannot be laid out or a bell that cannot be read: the length line says so
