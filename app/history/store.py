"""The one SQLite database of a user's Kindred: settings, favourites, resume positions, listens.

WAL journal, schema versions migrated in order through PRAGMA user_version, every write in a
transaction. The listening log (app.history.listens) keeps its rows in this same file.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.errors import KindredError
from app.history.salvage import SHAPES, salvage

MIGRATIONS: list[str] = [
    # 1: what the window needs to remember
    """
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE favourites (script TEXT PRIMARY KEY, added_at TEXT NOT NULL DEFAULT (datetime('now')));
    CREATE TABLE positions (
        script TEXT NOT NULL,
        length_ms INTEGER NOT NULL,
        position_ms INTEGER NOT NULL,
        section INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL DEFAULT (datetime('now')),
        PRIMARY KEY (script)
    );
    """,
    # 2: the listening log. started_at is UTC; tz_offset_min is the listener's own offset at the
    # start, so the local day of a listen is the one they lived, whatever the clock does later
    # (DST, travel). heard_s only grows with time actually heard; ended_at stays NULL while a
    # listen is in progress, and updated_at says when it last checkpointed. local_day (a date
    # ordinal) is derived from started_at + tz_offset_min on every write: statistics over
    # 100,000 listens then group integers instead of parsing dates.
    """
    CREATE TABLE listens (
        id INTEGER PRIMARY KEY,
        script TEXT,
        title TEXT NOT NULL,
        theme TEXT,
        length_s REAL NOT NULL CHECK (length_s >= 0),
        started_at TEXT NOT NULL,
        tz_offset_min INTEGER NOT NULL,
        tz TEXT,
        local_day INTEGER NOT NULL,
        heard_s REAL NOT NULL DEFAULT 0 CHECK (heard_s >= 0),
        ended_at TEXT,
        updated_at TEXT NOT NULL,
        completed INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
        manual INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1)),
        note TEXT,
        deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
    );
    CREATE INDEX listens_newest ON listens (deleted, started_at DESC, id DESC);
    CREATE INDEX listens_theme ON listens (theme, deleted, started_at DESC);
    CREATE INDEX listens_stats ON listens (deleted, local_day, theme, heard_s, completed);
    """,
    # 3: an import finds a listen it already has by its start
    """
    CREATE INDEX listens_started ON listens (started_at);
    """,
]


class StoreError(KindredError):
    title = "Kindred's data could not be opened"


class StoreBusy(StoreError):
    title = "Kindred's data is in use"


#: How long opening or writing waits for another program that holds the database.
BUSY_TIMEOUT_S = 10
#: SQLite's own word that a file is damaged: only then is it set aside. Busy, locked,
#: read-only or missing files are reported and left exactly as they are.
_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
#: Copied out of a damaged file into a fresh one, as far as they can be read.
_TABLES = ("settings", "favourites", "positions", "listens")
#: The columns of each table, in order, for when a damaged file's schema cannot be read.
_KNOWN_COLUMNS = {
    "settings": ["key", "value"],
    "favourites": ["script", "added_at"],
    "positions": ["script", "length_ms", "position_ms", "section", "updated_at"],
    "listens": [
        "id",
        "script",
        "title",
        "theme",
        "length_s",
        "started_at",
        "tz_offset_min",
        "tz",
        "local_day",
        "heard_s",
        "ended_at",
        "updated_at",
        "completed",
        "manual",
        "note",
        "deleted",
    ],
}
#: Reading a damaged table gives up after this many unreadable stretches.
_MAX_SKIPS = 64


class Store:
    """Thread-safe access to the database; one connection, used under a lock."""

    def __init__(self, path: Path, check_first: bool = True):
        """`check_first=False` opens a second connection to a file this process has already
        opened and checked (long work on a worker thread, which must not wait on this one's lock
        nor set the file aside under the first)."""
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        #: Where a damaged database was moved, so the app can tell the user; None normally.
        self.recovered_from: Path | None = None
        #: Rows saved from it, by table (empty when nothing could be read).
        self.rows_saved: dict[str, int] = {}
        self._saved_rows: dict[str, tuple[list[str], list[tuple]]] = {}
        if self.path.is_dir():
            raise StoreError(
                f"{self.path} is a folder, where Kindred keeps its data file. Move or rename that "
                "folder, then start Kindred again."
            )
        if check_first and self.path.exists():
            self._check_existing()
        self._open()
        if self.recovered_from is not None and self._saved_rows:
            self._restore(self._saved_rows)

    def recovery_message(self) -> str | None:
        """What to tell the user when the data file was damaged and set aside; None otherwise."""
        if self.recovered_from is None:
            return None
        listens = self.rows_saved.get("listens", 0)
        if any(self.rows_saved.values()):
            saved = f"{listens} listen{'s' if listens != 1 else ''}" + (
                " and your settings" if self.rows_saved.get("settings") else ""
            )
            return (
                f"Kindred's data file was damaged. What could be read ({saved}) was saved into a new "
                f"one; the damaged file is kept at {self.recovered_from}."
            )
        return (
            f"Kindred's data file could not be read, so a fresh one was started. The old file is "
            f"kept at {self.recovered_from}."
        )

    # -- opening --------------------------------------------------------------------------

    def _check_existing(self) -> None:
        """Looks at the file read-only before anything is written to it: a newer Kindred's file
        stays untouched, a busy one is reported, a damaged one is read out and set aside."""
        if self.path.stat().st_size == 0 and not self._companion("-wal").exists():
            # Kindred never leaves an empty file: something cut it short. Kept, as any damage is.
            self.recovered_from = self._move_aside()
            return
        try:
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            probe = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
        except sqlite3.Error as error:
            raise self._refusal(error) from error
        damaged = False
        try:
            version = probe.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"{self.path} was written by a newer version of Kindred (schema {version}). "
                    "Update Kindred to use it; the file was left untouched."
                )
            damaged = [row[0] for row in probe.execute("PRAGMA quick_check")] != ["ok"]
        except sqlite3.DatabaseError as error:
            if getattr(error, "sqlite_errorcode", None) not in _DAMAGED:
                probe.close()
                raise self._refusal(error) from error
            damaged = True
        try:
            if damaged:
                self._saved_rows = {table: self._rows_of(probe, table) for table in _TABLES}
        finally:
            probe.close()
        if damaged:
            self.recovered_from = self._move_aside()

    def _rows_of(self, probe: sqlite3.Connection, table: str) -> tuple[list[str], list[tuple]]:
        """What can be read of `table`: by SQL, or where SQL fails, from the pages themselves."""
        columns, rows, complete = _readable_rows(probe, table)
        if complete:
            return columns, rows
        records = salvage(self.path, SHAPES[table])
        if len(records) <= len(rows):
            return columns, rows
        if not columns:  # the schema itself is unreadable: the columns are Kindred's own
            columns = _KNOWN_COLUMNS[table]
        if table == "listens":  # the id is the rowid, which the record leaves out
            return columns, [(rowid, *values[1:]) for rowid, values in records]
        return columns, [tuple(values) for _, values in records]

    def _open(self) -> None:
        try:
            self._db = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT_S
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as error:
            with contextlib.suppress(AttributeError, sqlite3.Error):
                self._db.close()
            raise self._refusal(error) from error

    def _refusal(self, error: sqlite3.Error) -> StoreError:
        """The error to show for a file that cannot be used as it is; it is never changed."""
        code = getattr(error, "sqlite_errorcode", None)
        if code in _BUSY:
            return StoreBusy(
                f"{self.path} is in use by another program (another Kindred, or a database tool) "
                f"and stayed locked for {BUSY_TIMEOUT_S} s. Close that program and try again; "
                "nothing was changed."
            )
        return StoreError(
            f"{self.path} cannot be used: {error}. Check that the file and its folder are writable "
            "by you and that the disk has room, then try again; nothing was changed."
        )

    def _restore(self, saved: dict[str, tuple[list[str], list[tuple]]]) -> None:
        """Puts the rows read out of a damaged file into the fresh one (its own columns only)."""
        with self.transaction() as db:
            for table, (columns, rows) in saved.items():
                present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
                keep = [i for i, name in enumerate(columns) if name in present]
                if not keep or not rows:
                    continue
                names = ", ".join(columns[i] for i in keep)
                marks = ", ".join("?" for _ in keep)
                db.executemany(
                    f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})",
                    ([row[i] for i in keep] for row in rows),
                )
                self.rows_saved[table] = len(rows)

    def _companion(self, suffix: str) -> Path:
        return self.path.with_name(self.path.name + suffix)

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        os.replace(self.path, target)
        for suffix in ("-wal", "-shm"):
            companion = self._companion(suffix)
            if companion.exists():
                os.replace(companion, target.with_name(target.name + suffix))
        return target

    def _migrate(self) -> None:
        with self._lock:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"{self.path} was written by a newer version of Kindred (schema {version}). "
                    "Update Kindred to use it; the file was left untouched."
                )
            for number in range(version, len(MIGRATIONS)):
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    for statement in MIGRATIONS[number].split(";"):
                        if statement.strip():
                            self._db.execute(statement)
                    self._db.execute(f"PRAGMA user_version = {number + 1}")
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- for the modules of app.history that keep their own tables here -------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The connection, inside one write transaction (all or nothing), held under the lock.

        BEGIN IMMEDIATE takes the write lock at once, so a second Kindred process waits
        (up to sqlite3's busy timeout) instead of failing half-way through.
        """
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise self._refusal(error) from error
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def query(self, sql: str, parameters: tuple[Any, ...] | list[Any] = ()) -> list[tuple[Any, ...]]:
        """All rows of one read, under the lock (the connection is shared between threads)."""
        with self._lock:
            return self._db.execute(sql, parameters).fetchall()

    # -- settings -------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._lock:
            row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    # -- favourites -----------------------------------------------------------------------

    def favourites(self) -> set[str]:
        with self._lock:
            return {row[0] for row in self._db.execute("SELECT script FROM favourites")}

    def set_favourite(self, script: str, favourite: bool) -> None:
        with self._lock:
            if favourite:
                self._db.execute("INSERT OR IGNORE INTO favourites (script) VALUES (?)", (script,))
            else:
                self._db.execute("DELETE FROM favourites WHERE script = ?", (script,))

    # -- resume positions -----------------------------------------------------------------

    def save_position(self, script: str, length_ms: int, position_ms: int, section: int = 0) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO positions (script, length_ms, position_ms, section, updated_at) "
                "VALUES (?, ?, ?, ?, datetime('now')) ON CONFLICT(script) DO UPDATE SET "
                "length_ms = excluded.length_ms, position_ms = excluded.position_ms, "
                "section = excluded.section, updated_at = excluded.updated_at",
                (script, length_ms, position_ms, section),
            )

    def position(self, script: str) -> tuple[int, int, int] | None:
        """(length_ms, position_ms, section) where the listener left `script`, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT length_ms, position_ms, section FROM positions WHERE script = ?", (script,)
            ).fetchone()
        return (int(row[0]), int(row[1]), int(row[2])) if row else None

    def clear_position(self, script: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM positions WHERE script = ?", (script,))

    def rename_script(self, old: str, new: str) -> None:
        """A script file was renamed: its favourite star, resume position and listens follow it."""
        with self.transaction() as db:
            db.execute("UPDATE OR REPLACE favourites SET script = ? WHERE script = ?", (new, old))
            db.execute("UPDATE OR REPLACE positions SET script = ? WHERE script = ?", (new, old))
            db.execute("UPDATE listens SET script = ? WHERE script = ?", (new, old))

    def unfinished(self) -> list[tuple[str, int, int]]:
        """Scripts left part-way, most recent first: (script, length_ms, position_ms)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT script, length_ms, position_ms FROM positions ORDER BY updated_at DESC, rowid DESC"
            ).fetchall()
        return [(str(r[0]), int(r[1]), int(r[2])) for r in rows]


def _readable_rows(db: sqlite3.Connection, table: str) -> tuple[list[str], list[tuple], bool]:
    """The rows of `table` that SQL can still read from a damaged file, in rowid order, and
    whether that was all of them; stretches that cannot be read are stepped over (ever
    further, a bounded number of times)."""
    try:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
    except sqlite3.DatabaseError:
        return [], [], False
    if not columns:
        return [], [], True
    select = f"SELECT rowid, {', '.join(columns)} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 256"
    rows: list[tuple] = []
    last, skips, step = -(1 << 62), 0, 1
    while skips < _MAX_SKIPS:
        try:
            chunk = db.execute(select, (last,)).fetchall()
        except sqlite3.DatabaseError:
            skips += 1
            last = max(last, 0) + step
            step *= 4
            continue
        if not chunk:
            break
        rows.extend(row[1:] for row in chunk)
        last, step = chunk[-1][0], 1
    return columns, rows, skips == 0


def read_setting(database: Path, key: str, default: Any = None) -> Any:
    """One setting, read without opening the store: for a command that only needs that (the
    cache's size after a render). Anything in the way (no file yet, busy, damaged) is the default."""
    try:
        db = sqlite3.connect(f"{Path(database).resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return default
    try:
        row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default
    except (sqlite3.Error, ValueError):
        return default
    finally:
        db.close()
