"""The data file under hostile conditions: held by another program, damaged, emptied, replaced
by a folder, from a newer Kindred. Only a file SQLite itself calls damaged is set aside, and
then what can still be read is saved into the fresh one."""

from __future__ import annotations

import os
import random
import sqlite3

import pytest

from app.history import ListenLog, Store, StoreError
from app.history import store as store_module
from app.history.store import StoreBusy


@pytest.fixture(autouse=True)
def short_busy_wait(monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.5)


def corrupt_files(folder):
    return sorted(p.name for p in folder.iterdir() if ".corrupt-" in p.name)


def with_listens(path, count: int) -> None:
    store = Store(path)
    log = ListenLog(store)
    store.set_setting("volume", 0.3)
    for number in range(count):
        listen = log.start_listen(f"script-{number}", f"Practice {number}", "test", 600.0)
        log.finish(listen, 540.0)
    store.close()  # the last connection folds the journal into the file


def test_a_locked_database_is_reported_as_in_use_and_left_exactly_as_it_is(tmp_path):
    path = tmp_path / "kindred.sqlite3"
    with_listens(path, 3)
    before = path.read_bytes()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreBusy, match="in use by another program") as refused:
            Store(path)
        assert "nothing was changed" in refused.value.explanation
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert corrupt_files(tmp_path) == []
    assert path.read_bytes() == before
    store = Store(path)
    assert store.recovered_from is None and ListenLog(store).count() == 3
    store.close()


def test_a_write_that_waits_too_long_for_a_lock_says_so_and_keeps_the_listens(tmp_path):
    path = tmp_path / "kindred.sqlite3"
    with_listens(path, 2)
    store = Store(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, in WAL mode
    try:
        with pytest.raises(StoreBusy):
            ListenLog(store).start_listen("x", "X", None, 60.0)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert ListenLog(store).count() == 2
    store.close()


def listens_leaf_offset(path) -> int:
    """Somewhere in the middle of a leaf page of the listens table."""
    db = sqlite3.connect(path)
    pages = [
        row[0] for row in db.execute("SELECT pageno FROM dbstat WHERE name = 'listens' AND pagetype = 'leaf'")
    ]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    return (pages[len(pages) // 2] - 1) * size + 1000


@pytest.mark.parametrize("where", ["the issue's offset", "a leaf of listens"])
def test_a_damaged_page_is_found_at_open_and_what_can_be_read_is_saved(tmp_path, where):
    path = tmp_path / "kindred.sqlite3"
    with_listens(path, 2000)
    damaged = bytearray(path.read_bytes())
    # 7 x 4096 + 3000 is the table's interior page here: every query through it fails.
    offset = 7 * 4096 + 3000 if where == "the issue's offset" else listens_leaf_offset(path)
    assert len(damaged) > offset + 1000
    damaged[offset : offset + 1000] = random.Random(7).randbytes(1000)
    path.write_bytes(bytes(damaged))

    store = Store(path)
    assert store.recovered_from is not None
    assert store.recovered_from.read_bytes() == bytes(damaged)  # the original is kept as it was
    saved = store.rows_saved["listens"]
    # An interior page holds no rows; a leaf holds some 30 of them.
    assert saved == 2000 if where == "the issue's offset" else 1900 < saved < 2000
    assert store.get_setting("volume") == 0.3
    log = ListenLog(store)
    assert log.count() == saved
    rows = store.query("SELECT id, title, heard_s FROM listens")
    assert all(title == f"Practice {id_ - 1}" and heard == 540.0 for id_, title, heard in rows)
    message = store.recovery_message()
    assert f"{saved} listens" in message and str(store.recovered_from) in message
    assert store.query("PRAGMA integrity_check") == [("ok",)]
    store.close()


def test_an_emptied_database_is_kept_aside_and_said_so(tmp_path):
    path = tmp_path / "kindred.sqlite3"
    with_listens(path, 1)
    path.write_bytes(b"")
    store = Store(path)
    assert store.recovered_from is not None and store.recovered_from.read_bytes() == b""
    assert "could not be read" in store.recovery_message()
    assert ListenLog(store).count() == 0
    store.close()


def test_a_folder_in_the_databases_place_is_a_clear_error(tmp_path):
    path = tmp_path / "kindred.sqlite3"
    path.mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        Store(path)
    assert path.is_dir() and list(path.iterdir()) == []


def test_a_newer_database_is_not_even_converted_to_wal(tmp_path):
    path = tmp_path / "kindred.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE future (x)")
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version"):
        Store(path)
    assert path.read_bytes() == before
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not (tmp_path / "kindred.sqlite3-wal").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files anyway")
def test_a_read_only_database_is_a_clear_error(tmp_path):
    path = tmp_path / "kindred.sqlite3"
    with_listens(path, 1)
    path.chmod(0o444)
    try:
        with pytest.raises(StoreError, match="writable"):
            store = Store(path)
            ListenLog(store).start_listen("x", "X", None, 60.0)
    finally:
        path.chmod(0o644)


def test_the_history_commands_say_the_data_is_in_use_and_change_nothing(kindred_home, capsys):
    from app import paths
    from app.cli import main

    path = paths.database_path()
    with_listens(path, 2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert main(["stats"]) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert "in use by another program" in err and "Traceback" not in err
    assert corrupt_files(path.parent) == []
    assert main(["stats", "--json"]) == 0
    assert '"sessions_completed": 2' in capsys.readouterr().out
