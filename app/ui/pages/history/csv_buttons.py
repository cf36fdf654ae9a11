"""Export CSV… and Import CSV… on the History page: the rules and words of `kindred history`.

Both run on a pool thread with a connection of their own to the database. A million rows take
minutes (measured: checking 21 s, adding 156 s, reading 23 s, writing 14 s), and on the window's
own connection every read of the window (changing page, say) would wait for that lock meanwhile.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from app.errors import KindredError
from app.files import atomic_output
from app.history import CsvImportError, ListenLog, NewListen, Store, csv_listens, export_csv
from app.history.csv_io import check_import_file, import_summary
from app.ui.services.pool_task import PoolTask, Progress
from app.ui.widgets.basics import labelled

CSV_FILTER = "CSV files (*.csv);;All files (*)"
#: The problems of a refused file named in its message; the rest are counted.
PROBLEMS_SHOWN = 5
#: A problem quotes the cell it is about; a cell can be long, a message should not be.
PROBLEM_CHARS = 160
#: How often the adding reports how far it got, in rows.
PROGRESS_EVERY = 5_000


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: listens added and already there, or the problems that stopped it."""

    added: int = 0
    already: int = 0
    problems: tuple[tuple[int, str], ...] = ()
    problem_count: int = 0


class CsvExportTask(PoolTask):
    """Writes every listen to `target` (atomically: an old file there stays whole until the new
    one is complete); the result is how many listens were written."""

    failure_title = "Your history was not exported"

    def __init__(self, database: Path, target: Path) -> None:
        super().__init__()
        self.database = database
        self.target = target

    def work(self, progress: Progress, should_cancel: Callable[[], bool]) -> int:
        progress(0.0, "Exporting…")
        store = Store(self.database, check_first=False)
        try:
            listens = ListenLog(store).listens(limit=None)
        finally:
            store.close()
        try:
            with atomic_output(self.target) as handle:
                text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
                count = export_csv(listens, text)
                text.flush()
                text.detach()  # the binary file is atomic_output's to close
        except KindredError:
            raise  # a full disk says so in its own words
        except OSError as error:
            raise KindredError(
                f"{self.target} could not be written ({error.strerror}). Choose another folder and "
                "try again.",
                self.failure_title,
            ) from None
        return count


class CsvImportTask(PoolTask):
    """Checks every row of `source`, then adds them all in one transaction, or nothing."""

    failure_title = "Nothing was imported"

    def __init__(self, database: Path, source: Path) -> None:
        super().__init__()
        self.database = database
        self.source = source

    def work(self, progress: Progress, should_cancel: Callable[[], bool]) -> ImportOutcome:
        progress(0.0, "Checking the file…")
        try:
            total = check_import_file(self.source)  # before the database is touched, as the terminal does
            progress(0.0, "Adding listens…")
            store = Store(self.database, check_first=False)
            try:
                rows = _counting(csv_listens(self.source), total, progress)
                added, already = ListenLog(store).add_listens(rows)
            finally:
                store.close()
        except CsvImportError as error:
            # Found by the check, or by the adding when the file changed in between (then the
            # transaction was rolled back): either way nothing was added.
            return ImportOutcome(problems=tuple(error.problems), problem_count=error.count)
        return ImportOutcome(added, already)


def _counting(listens: Iterable[NewListen], total: int, progress: Progress) -> Iterator[NewListen]:
    for number, listen in enumerate(listens, start=1):
        if number % PROGRESS_EVERY == 0:
            progress(number / max(total, 1), "Adding listens…")
        yield listen


def refusal_text(source: Path, outcome: ImportOutcome) -> str:
    """The message for a file with bad rows: the first few problems by line, and how many more."""
    lines = [f"{source.name} has rows Kindred cannot read:", ""]
    for line, problem in outcome.problems[:PROBLEMS_SHOWN]:
        if len(problem) > PROBLEM_CHARS:
            problem = problem[: PROBLEM_CHARS - 1] + "…"
        lines.append(f"line {line}: {problem}")
    more = outcome.problem_count - min(len(outcome.problems), PROBLEMS_SHOWN)
    if more > 0:
        lines.append(f"and {more} more problem{'s' if more != 1 else ''}.")
    lines += ["", "Correct the file and import it again. Your history was not changed."]
    return "\n".join(lines)


def default_export_path(today: date | None = None) -> Path:
    return Path.home() / f"kindred-history-{(today or date.today()).isoformat()}.csv"


class HistoryCsvButtons(QWidget):
    """The two buttons, and a line saying what they are doing while they work."""

    #: Listens were added: the page shows them.
    imported = Signal()
    #: An export or import ended (well or not) and its message is up.
    workDone = Signal()

    def __init__(self, database: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.task: PoolTask | None = None
        #: The last result or refusal shown (open, not exec: no nested event loop); tests read it.
        self.message: QMessageBox | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel()
        self.status.setObjectName("csvStatus")
        self.status.hide()
        self.export_button = labelled(
            QPushButton("Export CSV…"),
            "Export CSV",
            "Save all your listens as a CSV file, for a spreadsheet or another Kindred",
        )
        self.export_button.clicked.connect(self.export_history)
        self.import_button = labelled(
            QPushButton("Import CSV…"),
            "Import CSV",
            "Add the listens of a CSV file exported by Kindred; listens already here are not added twice",
        )
        self.import_button.clicked.connect(self.import_history)
        row.addWidget(self.status)
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)

    def export_history(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Export your history", str(default_export_path()), CSV_FILTER
        )
        if not chosen:
            return
        target = Path(chosen)
        task = CsvExportTask(self.database, target)
        task.finished.connect(
            lambda count: self._finish(
                "History exported", f"Exported {count} listen{'s' if count != 1 else ''} to {target}."
            )
        )
        self._start(task)

    def import_history(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, "Import listens", str(Path.home()), CSV_FILTER)
        if not chosen:
            return
        source = Path(chosen)
        task = CsvImportTask(self.database, source)
        task.finished.connect(lambda outcome: self._imported(source, outcome))
        self._start(task)

    def _start(self, task: PoolTask) -> None:
        self.task = task
        # One at a time: a second import while the first adds would only wait for its lock.
        self.export_button.setEnabled(False)
        self.import_button.setEnabled(False)
        task.progress.connect(self._show_progress)
        task.failed.connect(lambda title, explanation: self._finish(title, explanation, failed=True))
        task.start()

    def _show_progress(self, fraction: float, stage: str) -> None:
        self.status.setText(f"{stage} {fraction:.0%}" if fraction > 0 else stage)
        self.status.show()

    def _imported(self, source: Path, outcome: ImportOutcome) -> None:
        if outcome.problems:
            self._finish("Nothing was imported", refusal_text(source, outcome), failed=True)
            return
        self.imported.emit()
        self._finish("History imported", import_summary(outcome.added, outcome.already, source))

    def _finish(self, title: str, text: str, failed: bool = False) -> None:
        self.task = None
        self.status.hide()
        self.export_button.setEnabled(True)
        self.import_button.setEnabled(True)
        if self.message is not None:
            self.message.deleteLater()
        icon = QMessageBox.Icon.Warning if failed else QMessageBox.Icon.Information
        self.message = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        # The text quotes the file's cells: shown as they are, never read as markup.
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        # Wide enough that a problem reads as one line, not three (Qt's name for the text label).
        self.message.setStyleSheet("QLabel#qt_msgbox_label { min-width: 42em; }")
        self.message.open()
        self.workDone.emit()
