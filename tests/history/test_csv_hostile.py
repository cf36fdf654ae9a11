"""CSV files as a hostile or careless world makes them: formulas for spreadsheets, the same
file imported twice, impossible dates and figures, a million rows."""

from __future__ import annotations

import io
import json
import tracemalloc
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app import paths
from app.cli import main
from app.history import (
    CsvImportError,
    ListenLog,
    Store,
    check_csv_file,
    csv_listens,
    export_csv,
    import_csv,
)
from app.history.csv_io import COLUMNS
from app.history.listens import NewListen

HEADER = ",".join(COLUMNS)


def listen(
    title: str, note: str | None = None, theme: str | None = None, script: str | None = None
) -> NewListen:
    start = datetime(2026, 3, 29, 9, 15, tzinfo=timezone(timedelta(hours=2)))
    return NewListen(
        script, title, theme, 600.0, start, None, 540.0, start + timedelta(minutes=10), True, False, note
    )


def test_cells_a_spreadsheet_would_run_are_neutralised_and_come_back_exactly(store):
    log = ListenLog(store)
    hostile = [
        listen('=HYPERLINK("http://x","click")', note="+1 for calm"),
        listen("-minus", theme="@home", script="=cmd"),
        listen("Tabbed", note="\tindented"),
        listen("Carriage", note="\rreturn"),
        listen("'quoted already", note="'=both"),
    ]
    log.add_listens(hostile)
    out = io.StringIO()
    export_csv(log.listens(limit=None), out)
    text = out.getvalue()
    for line in text.splitlines()[1:]:
        cells = next(iter(__import__("csv").reader([line])))
        for name in ("script", "title", "theme", "note"):
            cell = cells[COLUMNS.index(name)]
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
    back = import_csv(text)
    kept = log.listens(limit=None)  # as the log keeps them (a note's outer whitespace goes)
    assert sorted((b.title, b.note, b.theme, b.script) for b in back) == sorted(
        (k.title, k.note, k.theme, k.script) for k in kept
    )
    assert {k.title for k in kept} == {h.title for h in hostile}


def test_importing_the_same_file_twice_adds_nothing_the_second_time(kindred_home, tmp_path, capsys):
    store = Store(paths.database_path())
    ListenLog(store).add_listens([listen(f"Practice {n}") for n in range(3)])
    exported = tmp_path / "history.csv"
    with exported.open("w", encoding="utf-8") as file:
        export_csv(ListenLog(store).listens(limit=None), file)
    store.close()
    capsys.readouterr()
    assert main(["history", "--import", str(exported)]) == 0
    said = capsys.readouterr().out
    assert "Imported 0 listens" in said and "3 listens were already in your history" in said
    store = Store(paths.database_path())
    assert ListenLog(store).count() == 3
    store.close()


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("9999-12-31T23:00:00-05:00,,,A,,600,540,,1,0,", "not between the years"),
        ("0001-01-01T00:30:00+05:00,,,A,,600,540,,1,0,", "not between the years"),
        ("2026-03-29T09:15:00+02:00,,,A,,600,1e308,,1,0,", "heard_s '1e308' must be from 0 to 86400"),
        ("2026-03-29T09:15:00+02:00,,,A,,inf,540,,1,0,", "length_s 'inf' must be from 0"),
    ],
)
def test_impossible_dates_and_figures_are_refused_with_their_line(row, problem):
    text = f"{HEADER}\n2026-03-28T09:15:00+02:00,,,Fine,,600,540,,1,0,\n{row}\n"
    with pytest.raises(CsvImportError) as refused:
        import_csv(text)
    assert refused.value.problems[0][0] == 3
    assert problem in refused.value.problems[0][1]


def test_a_figure_beyond_a_day_never_reaches_the_log_and_stats_stay_json(store, capsys, kindred_home):
    log = ListenLog(store)
    with pytest.raises(ValueError, match="from 0 to 86400"):
        log.add_listens([listen("Huge")._replace(heard_s=1e308)])
    assert log.count() == 0
    store.close()
    assert main(["stats", "--json"]) == 0
    json.loads(capsys.readouterr().out)  # strict JSON: no Infinity


def write_rows(path, count: int) -> None:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as file:
        file.write(HEADER + "\n")
        for number in range(count):
            when = (start + timedelta(minutes=number)).isoformat()
            file.write(f"{when},,s,Practice {number},calm,600,540,,1,0,a note\n")


def peak_import_bytes(tmp_path, count: int) -> int:
    path = tmp_path / f"rows-{count}.csv"
    write_rows(path, count)
    store = Store(tmp_path / f"k-{count}.sqlite3")
    tracemalloc.start()
    try:
        assert check_csv_file(path) == count
        added, already = ListenLog(store).add_listens(csv_listens(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        store.close()
    assert (added, already) == (count, 0)
    return peak


def test_an_import_takes_the_same_memory_for_ten_times_the_rows(tmp_path):
    """Rows are checked and added one at a time (a million rows once took 970 MB)."""
    small, large = peak_import_bytes(tmp_path, 4_000), peak_import_bytes(tmp_path, 40_000)
    assert large < 2 * small + 1_000_000, (small, large)


def test_rows_alike_within_one_file_are_all_added(store):
    """Two practices entered by hand on one day with one title are two listens, not a duplicate."""
    row = "2026-03-28T12:00:00+02:00,,,Walking,,600,600,,1,1,"
    added = ListenLog(store).add_listens(import_csv(f"{HEADER}\n{row}\n{row}\n"))
    assert added == (2, 0)
    assert ListenLog(store).add_listens(import_csv(f"{HEADER}\n{row}\n")) == (0, 1)
