"""The one SQLite database of a user's Kindred: settings, favourites, resume positions, listens.

WAL journal, schema versions migrated in order through PRAGMA user_version, every write in a
transaction. The listening log (app.history.listens) keeps its rows in this same file.
"""

from __future__ import annotations

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
]


class StoreError(KindredError):
    title = "Kindred's data could not be opened"


class Store:
    """Thread-safe access to the database; one connection, used under a lock."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        #: Where a damaged database was moved, so the app can tell the user; None normally.
        self.recovered_from: Path | None = None
        try:
            self._open()
        except sqlite3.DatabaseError:
            # Not a database (or damaged beyond reading): keep it for the user, start afresh.
            self._db.close()
            self.recovered_from = self._move_aside()
            self._open()

    def _open(self) -> None:
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA quick_check").fetchone()
        self._migrate()

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        os.replace(self.path, target)
        for suffix in ("-wal", "-shm"):
            companion = self.path.with_name(self.path.name + suffix)
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
            self._db.execute("BEGIN IMMEDIATE")
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
