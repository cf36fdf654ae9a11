"""A full disk is named: which folder, how much is free, how much is needed; nothing is left."""

from __future__ import annotations

import errno
import os
import shutil
from collections import namedtuple

import pytest

from app import doctor
from app.files import DiskFull, atomic_output, ensure_room

Usage = namedtuple("Usage", "total used free")


def test_a_write_that_runs_out_of_room_names_the_folder_and_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "music" / "session.wav"

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DiskFull) as refused, atomic_output(target) as handle:
        handle.write(b"x" * 1000)
    assert str(target.parent) in refused.value.explanation and "MB free" in refused.value.explanation
    assert list(target.parent.iterdir()) == []


def test_a_render_that_cannot_fit_says_how_much_it_needs(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: Usage(10**9, 10**9 - 5_000_000, 5_000_000))
    with pytest.raises(DiskFull, match=r"\(5 MB free, and this needs about 53 MB\)"):
        ensure_room(tmp_path / "renders", 53_000_000)


def test_doctor_checks_the_temporary_folder_and_free_space(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: Usage(10**9, 10**9 - 80_000_000, 80_000_000))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    checks = {check.name: check for check in (make() for make in doctor.CHECKS[5:8])}
    assert "temporary folder" in checks
    low = checks["temporary folder"]
    assert not low.ok and "only 80 MB free" in low.detail and str(tmp_path) in low.detail
