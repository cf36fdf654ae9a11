"""History speed: `python benchmarks/bench_history.py`.

With 100,000 listens in the database: the history's first page, and all the statistics
(totals, streaks, favourite themes, minutes per week, the practice calendar). Target: each
within 150 ms. (The history view itself arrives with the rest of issue 5.)
"""

from __future__ import annotations

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

        rows = []
        for name, work in (
            ("first page of the history (50 listens)", first_page),
            ("all statistics", all_statistics),
        ):
            times = []
            for _ in range(RUNS):
                began = time.perf_counter()
                work()
                times.append(time.perf_counter() - began)
            rows.append((name, stats_module.median(times) * 1000))
        store.close()
    print(f"{COUNT:,} listens in the database; median of {RUNS} runs; target <= 150 ms each")
    for name, ms in rows:
        print(f"  {name:<42} {ms:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
