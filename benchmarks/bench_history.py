"""History speed: `python benchmarks/bench_history.py`.

With 100,000 listens in the database: the history's first page, and all the statistics
(totals, streaks, favourite themes, minutes per week, the practice calendar). Target: each
within 150 ms. Measured twice: on the core queries alone, and through the History page of
the window itself (HistoryView.refresh: cards, chart, calendar, filters and the table's
first page, laid out and painted offscreen), which is what a person waits for.
"""

from __future__ import annotations

import os
import statistics as stats_module
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.history import ListenLog, NewListen, Store, minutes_per_week, practice_days, statistics  # noqa: E402
from benchmarks.table import print_table  # noqa: E402

TARGET_MS = 150

COUNT = 100_000
RUNS = 5


def main() -> int:
    berlin = ZoneInfo("Europe/Berlin")
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "kindred.sqlite3")
        log = ListenLog(store)
        start = datetime(2018, 1, 1, 7, tzinfo=berlin)
        log.add_listens(
            [
                NewListen(
                    "s",
                    "S",
                    f"theme{i % 7}",
                    600,
                    start + timedelta(minutes=41 * i),
                    "Europe/Berlin",
                    600 if i % 3 else 60,
                    None,
                    bool(i % 3),
                    False,
                    None,
                )
                for i in range(COUNT)
            ]  # fmt: skip
        )
        today = date(2026, 1, 1)

        def first_page() -> None:
            log.listens(limit=50)

        def all_statistics() -> None:
            practice = log.practice()
            statistics(practice, today=today)
            minutes_per_week(practice, today=today)
            practice_days(practice, today=today)

        measures = [
            ("core: first page of the history (50 listens)", first_page),
            ("core: all statistics", all_statistics),
        ]
        measures += view_measures(log, store)
        rows = []
        for name, work in measures:
            times = []
            for _ in range(RUNS):
                began = time.perf_counter()
                work()
                times.append(time.perf_counter() - began)
            ms = stats_module.median(times) * 1000
            verdict = "met" if ms <= TARGET_MS else "NOT met"
            rows.append((name, f"{ms:.1f} ms", f"target <= {TARGET_MS} ms: {verdict}"))
        store.close()
    print(f"{COUNT:,} listens in the database; median of {RUNS} runs")
    print_table(rows)
    return 0


def view_measures(log: ListenLog, store: Store) -> list:
    """The History page over the same database: opening it, and reading it again (after a listen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.ui.pages.history.page import HistoryView

    app = QApplication.instance() or QApplication([])
    views = []

    def open_page() -> None:
        view = HistoryView(log, store)
        view.resize(1100, 800)
        view.show()
        app.processEvents()  # laid out and painted, as the person sees it
        views.append(view)

    def refresh_page() -> None:
        views[-1].refresh()
        app.processEvents()

    return [
        ("view: open the History page (stats, charts, 200 rows)", open_page),
        ("view: refresh the History page", refresh_page),
    ]


if __name__ == "__main__":
    sys.exit(main())
