import sqlite3

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
