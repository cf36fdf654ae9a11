"""Crash-safe drafts: saved, listed newest first, discarded; a broken draft file never crashes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app import paths
from app.library.drafts import Draft, DraftStore, draft_key

ROOT = Path(__file__).resolve().parents[2]
TEXT = "---\ntitle: Unsaved\n---\nÉvery wörd kept, 慈悲, a lone \ud800 surrogate and \x00 too\n"


@pytest.fixture
def store(tmp_path) -> DraftStore:
    return DraftStore(tmp_path / "drafts")


def test_a_draft_round_trips(store, tmp_path):
    script = tmp_path / "library" / "mine.md"
    key = draft_key(script)
    store.save(key, script, TEXT)
    draft = store.get(key)
    assert draft == Draft(key=key, path=script, text=TEXT, saved_at=draft.saved_at)
    assert draft.saved_at.tzinfo is not None
    assert abs(draft.saved_at - datetime.now().astimezone()) < timedelta(minutes=1)
    assert store.drafts() == [draft]


def test_a_new_script_draft_has_no_path_and_each_gets_its_own_key(store):
    first, second = draft_key(None), draft_key(None)
    assert first != second and first.startswith("new-")
    store.save(first, None, "one")
    store.save(second, None, "two")
    assert {(d.key, d.path, d.text) for d in store.drafts()} == {(first, None, "one"), (second, None, "two")}


def test_the_key_of_a_path_is_stable_however_the_path_is_spelt(tmp_path):
    path = tmp_path / "library" / "mine.md"
    assert draft_key(path) == draft_key(tmp_path / "library" / ".." / "library" / "mine.md")
    assert draft_key(path) != draft_key(tmp_path / "library" / "other.md")


def test_saving_again_replaces_the_draft(store):
    key = draft_key(None)
    store.save(key, None, "first")
    store.save(key, None, "second")
    assert [d.text for d in store.drafts()] == ["second"]
    assert [p.name for p in store.folder.iterdir()] == [f"{key}.json"]  # no temporary files left


def test_drafts_are_newest_first(store):
    keys = [draft_key(None) for _ in range(3)]
    for index, key in enumerate(keys):
        store.save(key, None, f"text {index}")
    # Give them known times, oldest first, by editing the files as save() writes them.
    base = datetime(2026, 3, 1, 12, 0).astimezone()
    for index, key in enumerate(keys):
        file = store.folder / f"{key}.json"
        record = json.loads(file.read_text("utf-8"))
        record["saved_at"] = (base + timedelta(minutes=index)).isoformat()
        file.write_text(json.dumps(record), "utf-8")
    assert [d.text for d in store.drafts()] == ["text 2", "text 1", "text 0"]


def test_discard_removes_a_draft(store):
    key = draft_key(None)
    store.save(key, None, "text")
    store.discard(key)
    store.discard(key)  # twice is fine
    assert store.get(key) is None
    assert store.drafts() == []


def test_no_folder_means_no_drafts(tmp_path):
    assert DraftStore(tmp_path / "nowhere").drafts() == []
    assert DraftStore().folder == paths.data_dir() / "drafts"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe not utf-8",
        b"[1, 2, 3]",
        b'{"format": 1}',
        b'{"format": 99, "key": "K", "path": null, "text": "x", "saved_at": "2026-03-01T12:00:00+00:00"}',
        b'{"format": 1, "key": "K", "path": null, "text": 5, "saved_at": "2026-03-01T12:00:00+00:00"}',
        b'{"format": 1, "key": "K", "path": 7, "text": "x", "saved_at": "2026-03-01T12:00:00+00:00"}',
        b'{"format": 1, "key": "K", "path": null, "text": "x", "saved_at": "yesterday"}',
        b'{"format": 1, "key": "K", "path": null, "text": "x", "saved_at": "2026-03-01T12:00:00"}',
        b'{"format": 1, "key": "other", "path": null, "text": "x", "saved_at": "2026-03-01T12:00:00+00:00"}',
        b"[" * 100_000,
    ],
    ids=[
        "empty",
        "half-written",
        "not-utf8",
        "not-an-object",
        "fields-missing",
        "unknown-format",
        "text-not-text",
        "path-not-text",
        "bad-time",
        "naive-time",
        "wrong-key",
        "nested-deeply",
    ],
)
def test_a_corrupt_draft_is_moved_aside_and_the_others_still_load(store, content):
    good = draft_key(None)
    store.save(good, None, "good text")
    broken = draft_key(None)
    file = store.folder / f"{broken}.json"
    file.write_bytes(content.replace(b'"K"', json.dumps(broken).encode()))

    assert [d.text for d in store.drafts()] == ["good text"]
    assert not file.exists()
    aside = store.folder / "unreadable" / file.name
    assert aside.read_bytes() == content.replace(b'"K"', json.dumps(broken).encode())  # kept, not deleted
    assert store.get(broken) is None
    assert [d.text for d in store.drafts()] == ["good text"]


def test_a_broken_draft_read_by_get_is_moved_aside_too(store):
    key = draft_key(None)
    (store.folder).mkdir(parents=True)
    (store.folder / f"{key}.json").write_text("{", "utf-8")
    assert store.get(key) is None
    assert (store.folder / "unreadable" / f"{key}.json").exists()


def test_keys_cannot_name_files_outside_the_folder(store):
    for key in ("../escape", "new-../../x", "", "script-", "NEW-ABCDEF12"):
        with pytest.raises(ValueError):
            store.save(key, None, "text")
    assert not store.folder.exists()


def test_a_draft_survives_a_killed_process(tmp_path):
    folder = tmp_path / "drafts"
    program = f"""
import os, signal
from pathlib import Path
from app.library.drafts import DraftStore
store = DraftStore(Path({str(folder)!r}))
store.save("new-0123456789abcdef", None, {TEXT!r})
os.kill(os.getpid(), signal.SIGKILL)
"""
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, timeout=60)
    assert result.returncode == -9
    drafts = DraftStore(folder).drafts()
    assert [(d.key, d.text) for d in drafts] == [("new-0123456789abcdef", TEXT)]
    assert os.listdir(folder) == ["new-0123456789abcdef.json"]
