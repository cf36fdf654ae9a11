"""Two Kindreds write the history while a third reads it, for a minute (issue 14's soak test).

Each writer records whole listens as the player does (start, checkpoints, finish) and notes
every id it was given; the reader lists and counts all the while. At the end the database must
be intact, every listen each writer recorded present and finished, and no process may have met
an error (a busy database is waited for, never an error, and never moved aside).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from app import paths
from app.history import ListenLog, Store

SOAK_S = 60.0

WRITER = """
import json, sys, time
from app import paths
from app.history import ListenLog, Store

name, seconds = sys.argv[1], float(sys.argv[2])
store = Store(paths.database_path())
log = ListenLog(store)
written, errors = [], []
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    try:
        listen = log.start_listen(name, f"{name} listen {len(written)}", "soak", 600.0)
        for heard in (5.0, 10.0, 15.0):
            log.checkpoint(listen, heard)
        log.finish(listen, 20.0)
        written.append(listen)
    except Exception as error:
        errors.append(f"{type(error).__name__}: {error}")
store.close()
print(json.dumps({"written": written, "errors": errors}))
"""

READER = """
import json, sys, time
from app import paths
from app.history import ListenLog, Store, statistics

seconds = float(sys.argv[1])
store = Store(paths.database_path())
log = ListenLog(store)
reads, errors, most = 0, [], 0
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    try:
        listens = log.listens(limit=None)
        statistics(listens)
        most = max(most, len(listens))
        reads += 1
    except Exception as error:
        errors.append(f"{type(error).__name__}: {error}")
store.close()
print(json.dumps({"reads": reads, "errors": errors, "most": most}))
"""


def test_two_writers_and_a_reader_for_a_minute_lose_nothing(kindred_home):
    Store(paths.database_path()).close()  # made once, as the first start of Kindred does
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}

    def start(code: str, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )

    processes = [
        start(WRITER, "first", str(SOAK_S)),
        start(WRITER, "second", str(SOAK_S)),
        start(READER, str(SOAK_S)),
    ]
    reports = []
    for process in processes:
        out, err = process.communicate(timeout=SOAK_S + 120)
        assert process.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    first, second, reader = reports

    assert first["errors"] == [] and second["errors"] == [] and reader["errors"] == []
    assert len(first["written"]) > 50 and len(second["written"]) > 50, "the writers hardly wrote"
    assert reader["reads"] > 50 and reader["most"] > 0, "the reader hardly read"

    store = Store(paths.database_path())
    try:
        assert store.query("PRAGMA integrity_check") == [("ok",)]
        rows = {row[0]: row[1:] for row in store.query("SELECT id, script, heard_s, ended_at FROM listens")}
        for name, report in (("first", first), ("second", second)):
            for listen in report["written"]:
                script, heard, ended = rows[listen]
                assert (script, heard) == (name, 20.0) and ended is not None
        assert len(rows) == len(first["written"]) + len(second["written"])
        assert len(ListenLog(store).listens(limit=None)) == len(rows)
    finally:
        store.close()
    assert not list(paths.database_path().parent.glob("*.corrupt-*")), "a busy database was moved aside"
