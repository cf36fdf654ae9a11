import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.history import Store, StoreError


def test_settings_round_trip_any_json_value(tmp_path):
    store = Store(tmp_path / "k.sqlite3")
    assert store.get_setting("volume", 0.8) == 0.8
    store.set_setting("volume", 0.5)
    store.set_setting("window", {"w": 900, "h": 600})
    store.close()
    again = Store(tmp_path / "k.sqlite3")
    assert again.get_setting("volume") == 0.5
    assert again.get_setting("window") == {"w": 900, "h": 600}


def test_favourites_and_positions(tmp_path):
    store = Store(tmp_path / "k.sqlite3")
    store.set_favourite("a", True)
    store.set_favourite("b", True)
    store.set_favourite("a", False)
    assert store.favourites() == {"b"}
    store.save_position("x", 600_000, 120_000, 2)
    store.save_position("y", 300_000, 10_000, 0)
    assert store.position("x") == (600_000, 120_000, 2)
    assert [row[0] for row in store.unfinished()] == ["y", "x"]
    store.clear_position("y")
    assert store.position("y") is None


def test_the_database_uses_wal_and_records_its_schema_version(tmp_path):
    Store(tmp_path / "k.sqlite3").close()
    db = sqlite3.connect(tmp_path / "k.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] >= 1


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "k.sqlite3"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version"):
        Store(path)
    assert path.read_bytes() == before


def test_a_corrupt_database_is_moved_aside_and_a_fresh_one_created(tmp_path):
    path = tmp_path / "kindred.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    store = Store(path)
    assert store.recovered_from is not None
    assert store.recovered_from.name.startswith("kindred.sqlite3.corrupt-")
    assert store.recovered_from.read_bytes().startswith(b"this is not a database")
    store.set_setting("volume", 0.3)
    assert store.get_setting("volume") == 0.3
    store.close()
    assert Store(path).recovered_from is None


def test_two_processes_writing_at_once_never_corrupt_the_database(tmp_path):
    path = tmp_path / "kindred.sqlite3"
    Store(path).close()
    writer = (
        "import sys\nfrom app.history import Store\n"
        "store = Store(sys.argv[1])\n"
        "for n in range(300):\n    store.set_setting(f'{sys.argv[2]}{n}', n)\n"
        "store.close()\n"
    )
    root = Path(__file__).resolve().parents[2]
    children = [
        subprocess.Popen([sys.executable, "-c", writer, str(path), prefix], cwd=root) for prefix in ("a", "b")
    ]
    assert [child.wait(timeout=120) for child in children] == [0, 0]
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("SELECT COUNT(*) FROM settings").fetchone()[0] == 600
