"""The user's own scripts: safe names, hostile imports, no overwrites, a trash that gives files back."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from app import paths
from app.errors import KindredError
from app.library import load_catalogue
from app.library.user_scripts import (
    MAX_STEM_BYTES,
    MAX_STEM_CHARS,
    LibraryWriteError,
    NameClash,
    ReadOnlyScript,
    ScriptFileError,
    TrashedScript,
    UserLibrary,
    safe_file_name,
)
from app.script import parse_script
from app.script.parser import MAX_FILE_BYTES
from app.script.template import template_text

BUNDLED = Path(__file__).resolve().parents[2] / "scripts" / "choosing-compassion.md"

SCRIPT = """---
title: Evening Kindness
summary: A short practice for the end of the day.
theme: evening
---
Breathe in slowly.
[pause 5s+]
"""


@pytest.fixture
def library(tmp_path) -> UserLibrary:
    return UserLibrary(tmp_path / "library", tmp_path / "trash")


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes: what "nothing changed" compares."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- safe names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Evening Kindness", "evening-kindness.md"),
        ("Can't Live With, Can't Live Without", "cant-live-with-cant-live-without.md"),
        ("../../x.md", "x.md"),
        ("..\\..\\windows\\x.md", "x.md"),
        ("/etc/passwd", "passwd.md"),
        ("notes.TXT", "notes.md"),
        ('a<b>c:d"e/f\\g|h?i*j.md', "g-h-i-j.md"),  # the last component, after / or \
        ('a<b>c:d"e|h?i*j', "a-b-c-d-e-h-i-j.md"),
        ("tab\there\x00nul\x1bescape\x7fdel", "tab-here-nul-escape-del.md"),
        ("line\nbreak\r\u2028sep", "line-break-sep.md"),
        (".hidden", "hidden.md"),
        ("...md", "untitled.md"),
        ("..", "untitled.md"),
        ("", "untitled.md"),
        ("***", "untitled.md"),
        ("CON", "con-script.md"),
        ("nul.md", "nul-script.md"),
        ("Com1.txt", "com1-script.md"),
        ("LPT9", "lpt9-script.md"),
        ("aux.tar.md", "aux-tar.md"),  # not a device name any more
        ("Café Ünïcode", "café-ünïcode.md"),
        ("慈悲の瞑想", "慈悲の瞑想.md"),
        ("ＦＵＬＬ　ＷＩＤＴＨ", "full-width.md"),
    ],
)
def test_safe_file_name(name, expected):
    assert safe_file_name(name) == expected


def test_a_300_character_name_is_shortened_still_md_and_still_unique():
    long_a = "a" * 150 + " " + "b" * 149
    long_b = "a" * 150 + " " + "c" * 149
    name_a, name_b = safe_file_name(long_a + ".md"), safe_file_name(long_b + ".md")
    assert len(long_a) == 300
    for name in (name_a, name_b):
        assert name.endswith(".md")
        stem = name.removesuffix(".md")
        assert len(stem) == MAX_STEM_CHARS
        assert stem.startswith("a" * 70)
        assert not stem.endswith("-") and "--" not in stem
    assert name_a != name_b  # the same first 80 characters, told apart by a hash of the whole
    assert safe_file_name(long_a) == name_a  # and the same name every time


def test_a_long_name_in_a_wide_script_keeps_within_the_byte_limit():
    name = safe_file_name("慈" * 300)
    stem = name.removesuffix(".md")
    assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    assert stem.startswith("慈" * 60)


# -- new, copy, save ------------------------------------------------------------------------------


def test_new_script_writes_the_template_at_a_free_safe_name(library):
    first = library.new_script("Evening: Kindness")
    second = library.new_script("Evening: Kindness")
    assert first == library.folder / "evening-kindness.md"
    assert second == library.folder / "evening-kindness-2.md"
    assert first.read_text("utf-8") == template_text("Evening: Kindness")
    assert parse_script(second.read_text("utf-8")).meta.title == "Evening: Kindness"
    assert library.scripts() == [first, second]
    # Nothing else is left in the folder (no temporary files).
    assert sorted(p.name for p in library.folder.iterdir()) == [
        "evening-kindness-2.md",
        "evening-kindness.md",
    ]


def test_the_default_library_is_in_the_user_data_folder_and_the_catalogue_sees_new_scripts():
    library = UserLibrary()
    assert library.folder == paths.user_library_dir()
    path = library.new_script("Morning Light")
    entries = [entry for entry in load_catalogue() if entry.origin == "user"]
    assert [(entry.path, entry.title) for entry in entries] == [(path, "Morning Light")]


def test_copy_of_a_bundled_script_changes_only_the_title(library):
    copy = library.copy_of(BUNDLED)
    assert copy == library.folder / "choosing-compassion-my-copy.md"
    original, copied = BUNDLED.read_text("utf-8"), copy.read_text("utf-8")
    assert parse_script(copied).meta.title == "Choosing Compassion (my copy)"
    differing = [(a, b) for a, b in zip(original.splitlines(), copied.splitlines(), strict=True) if a != b]
    assert differing == [("title: Choosing Compassion", "title: Choosing Compassion (my copy)")]
    assert library.copy_of(BUNDLED).name == "choosing-compassion-my-copy-2.md"


def test_copy_of_a_script_with_errors_is_kept_as_it_is(library, tmp_path):
    broken = write(tmp_path / "broken.md", "no front matter\n[paws 5s]\n")
    copy = library.copy_of(broken)
    assert copy.name == "broken-my-copy.md"
    assert copy.read_bytes() == broken.read_bytes()


def test_save_writes_a_user_script(library):
    path = library.new_script("Mine")
    library.save(path, SCRIPT)
    assert path.read_text("utf-8") == SCRIPT
    assert sorted(p.name for p in library.folder.iterdir()) == ["mine.md"]


def test_save_refuses_a_bundled_script(library):
    before = BUNDLED.read_bytes()
    with pytest.raises(ReadOnlyScript) as caught:
        library.save(BUNDLED, SCRIPT)
    assert "Make a copy" in caught.value.explanation
    assert BUNDLED.read_bytes() == before


def test_save_refuses_files_outside_the_folder_and_in_the_trash(library, tmp_path):
    library.folder.mkdir(parents=True)
    outside = tmp_path / "elsewhere.md"
    sneaky = library.folder / ".." / "elsewhere.md"
    in_trash = library.trash / "x" / "old.md"
    not_md = library.folder / "notes.txt"
    for path in (outside, sneaky, in_trash, not_md):
        with pytest.raises(ReadOnlyScript):
            library.save(path, SCRIPT)
        assert not path.exists()
    # A link in the folder to a bundled script is not the user's either.
    link = library.folder / "link.md"
    link.symlink_to(BUNDLED)
    with pytest.raises(ReadOnlyScript):
        library.save(link, SCRIPT)
    assert library.is_user_script(library.folder / "fresh.md")


def test_save_to_a_full_disk_fails_clearly_and_keeps_the_old_text(library, monkeypatch):
    path = library.new_script("Mine")
    before = path.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(LibraryWriteError) as caught:
        library.save(path, SCRIPT)
    assert "full" in caught.value.explanation
    assert path.read_bytes() == before
    assert [p.name for p in library.folder.iterdir()] == ["mine.md"]


# -- rename ---------------------------------------------------------------------------------------


def test_rename_gives_a_safe_name(library):
    path = library.new_script("Mine")
    renamed = library.rename(path, "../Evening Kindness?")
    assert renamed == library.folder / "evening-kindness.md"
    assert not path.exists()
    assert renamed.read_text("utf-8") == template_text("Mine")
    assert library.rename(renamed, "evening kindness") == renamed  # the same name: nothing to do


def test_rename_onto_a_taken_name_raises_name_clash_and_changes_nothing(library):
    mine = library.new_script("Mine")
    other = library.new_script("Other")
    before = folder_state(library.folder)
    with pytest.raises(NameClash) as caught:
        library.rename(mine, "Other")
    assert caught.value.existing == other
    assert caught.value.free_path == library.folder / "other-2.md"
    assert folder_state(library.folder) == before


def test_rename_or_delete_of_a_file_gone_meanwhile_fails_clearly(library):
    path = library.new_script("Mine")
    path.unlink()
    with pytest.raises(KindredError) as renaming:
        library.rename(path, "Other")
    with pytest.raises(KindredError) as deleting:
        library.delete(path)
    for caught in (renaming, deleting):
        assert caught.value.explanation == f"mine.md is no longer in {library.folder}."
    assert library.scripts() == []
    assert not library.trash.exists() or list(library.trash.iterdir()) == []


def test_rename_refuses_a_bundled_script(library):
    with pytest.raises(ReadOnlyScript):
        library.rename(BUNDLED, "mine")
    assert BUNDLED.exists()


# -- delete and restore ---------------------------------------------------------------------------


def test_delete_moves_into_the_trash_and_restore_gives_back_identical_bytes(library):
    path = library.new_script("Mine")
    data = "---\r\ntitle: Mine\r\n\ufeff odd bytes kept \u00e9\r\n".encode() + b"\n"
    path.write_bytes(data)
    item = library.delete(path)
    assert isinstance(item, TrashedScript)
    assert item.original == path
    assert not path.exists()
    assert item.trashed.is_file()
    assert library.trash in item.trashed.parents
    assert item.trashed.read_bytes() == data
    assert library.scripts() == []

    restored = library.restore(item)
    assert restored == path
    assert path.read_bytes() == data
    assert not item.trashed.exists()
    assert not item.trashed.parent.exists()  # its folder in the trash is tidied away


def test_restore_takes_a_free_name_when_the_old_one_was_taken_meanwhile(library):
    path = library.new_script("Mine")
    data = path.read_bytes()
    item = library.delete(path)
    newcomer = library.new_script("Mine")
    assert newcomer == path
    library.save(newcomer, SCRIPT)
    restored = library.restore(item)
    assert restored == library.folder / "mine-2.md"
    assert restored.read_bytes() == data
    assert path.read_text("utf-8") == SCRIPT  # the newcomer untouched


def test_two_deletions_of_the_same_name_are_both_kept(library):
    first = library.new_script("Mine")
    library.save(first, "first\n")
    item_one = library.delete(first)
    second = library.new_script("Mine")
    library.save(second, "second\n")
    item_two = library.delete(second)
    assert item_one.trashed != item_two.trashed
    assert item_one.trashed.read_text("utf-8") == "first\n"
    assert item_two.trashed.read_text("utf-8") == "second\n"


def test_delete_refuses_a_bundled_script(library):
    with pytest.raises(ReadOnlyScript):
        library.delete(BUNDLED)
    assert BUNDLED.exists()


def test_restore_of_an_emptied_trash_fails_clearly(library, tmp_path):
    item = TrashedScript(library.folder / "gone.md", tmp_path / "trash" / "x" / "gone.md")
    with pytest.raises(KindredError) as caught:
        library.restore(item)
    assert "no longer in the trash" in caught.value.explanation


# -- import ---------------------------------------------------------------------------------------


def test_import_of_a_relative_escape_lands_inside_the_folder_as_x_md(library, tmp_path):
    deep = tmp_path / "a" / "b"
    write(deep / "x.md", SCRIPT)
    hostile = deep / ".." / ".." / "a" / "b" / "x.md"
    imported = library.import_file(hostile)
    assert imported == library.folder / "x.md"
    assert imported.read_text("utf-8") == SCRIPT
    # The name part of the path is what names the file; `../../x.md` as a name does the same.
    assert library.folder / safe_file_name("../../x.md") == imported


def test_import_of_the_longest_name_a_disk_allows(library, tmp_path):
    # Linux refuses names over 255 bytes, so no file here can have 300 characters (Windows allows
    # 255 UTF-16 units, a dropped file may carry more): test_a_300_character_name... covers those.
    name = "k" * 252 + ".md"
    source = write(tmp_path / "src" / name, SCRIPT)
    imported = library.import_file(source)
    assert imported.parent == library.folder
    assert imported.suffix == ".md"
    assert len(imported.stem) <= MAX_STEM_CHARS
    again = library.import_file(source, on_clash="keep_both")
    assert again != imported and again.parent == library.folder and again.suffix == ".md"
    assert len(again.stem) <= MAX_STEM_CHARS
    assert again.read_text("utf-8") == imported.read_text("utf-8") == SCRIPT


def test_import_of_reserved_and_control_characters(library, tmp_path):
    # Linux allows all of these in a name except / and NUL, so a file can really carry them.
    source = write(tmp_path / "src" / 'a<b>c:d"e|g?h*i\x01j\x1fk\x7f.md', SCRIPT)
    imported = library.import_file(source)
    assert imported == library.folder / "a-b-c-d-e-g-h-i-j-k.md"
    assert imported.read_text("utf-8") == SCRIPT
    # A backslash is a folder separator on Windows: only what follows the last one counts.
    windows_path = write(tmp_path / "src" / "..\\..\\evil.md", SCRIPT)
    assert library.import_file(windows_path) == library.folder / "evil.md"


def test_import_of_windows_device_names(library, tmp_path):
    imported = [library.import_file(write(tmp_path / "src" / name, SCRIPT)) for name in ("CON.md", "nul.txt")]
    assert [p.name for p in imported] == ["con-script.md", "nul-script.md"]


def test_import_of_a_txt_file_becomes_an_md_script_and_drops_a_bom(library, tmp_path):
    source = write(tmp_path / "Evening Notes.TXT", b"\xef\xbb\xbf" + SCRIPT.encode())
    imported = library.import_file(source)
    assert imported == library.folder / "evening-notes.md"
    assert imported.read_bytes() == SCRIPT.encode()


def test_an_imported_file_need_not_parse(library, tmp_path):
    source = write(tmp_path / "draft.md", "just some words [paws]\n")
    assert library.import_file(source).read_text("utf-8") == "just some words [paws]\n"


def test_a_non_utf8_file_is_refused_naming_the_line_and_byte(library, tmp_path):
    source = write(tmp_path / "latin1.md", "---\ntitle: Caf\u00e9\n".encode("latin-1"))
    with pytest.raises(ScriptFileError) as caught:
        library.import_file(source)
    message = caught.value.explanation
    assert "latin1.md is not UTF-8" in message
    assert "line 2, byte 11 (0xe9)" in message
    assert "save it with UTF-8" in message
    assert not library.folder.exists() or library.scripts() == []


def test_a_file_over_the_limit_is_refused_with_its_size_and_the_limit(library, tmp_path):
    size = MAX_FILE_BYTES + 10
    source = write(tmp_path / "huge.md", b"a" * size)
    with pytest.raises(ScriptFileError) as caught:
        library.import_file(source)
    message = caught.value.explanation
    assert f"{size:,} bytes" in message  # 1,048,586 bytes
    assert f"limit of {MAX_FILE_BYTES:,} bytes (1 MB)" in message
    assert caught.value.title == "This file is too big"
    assert library.scripts() == []


def test_a_file_at_the_limit_is_accepted(library, tmp_path):
    source = write(tmp_path / "big.md", b"a" * MAX_FILE_BYTES)
    assert library.import_file(source).stat().st_size == MAX_FILE_BYTES


@pytest.mark.parametrize(
    ("name", "kind"), [("notes.pdf", "a PDF"), ("notes.docx", "a Word document"), ("notes", "without")]
)
def test_other_kinds_of_file_are_refused(library, tmp_path, name, kind):
    source = write(tmp_path / name, SCRIPT)  # even with script text inside, the kind is wrong
    with pytest.raises(ScriptFileError) as caught:
        library.import_file(source)
    assert kind in caught.value.explanation
    assert ".md or .txt" in caught.value.explanation
    assert library.scripts() == []


def test_binary_data_and_folders_and_missing_files_are_refused(library, tmp_path):
    binary = write(tmp_path / "data.md", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00")  # valid UTF-8
    folder = tmp_path / "folder.md"
    folder.mkdir()
    for source, expected in (
        (binary, "not text"),
        (folder, "is a folder"),
        (tmp_path / "missing.md", "cannot be read"),
    ):
        with pytest.raises(ScriptFileError) as caught:
            library.import_file(source)
        assert expected in str(caught.value)
    assert library.scripts() == []


def test_a_name_clash_asks_and_overwrites_nothing(library, tmp_path):
    existing = library.import_file(write(tmp_path / "a" / "x.md", "old\n"))
    before = folder_state(library.folder)
    with pytest.raises(NameClash) as caught:
        library.import_file(write(tmp_path / "b" / "x.md", "new\n"))
    assert caught.value.existing == existing
    assert caught.value.free_path == library.folder / "x-2.md"
    assert "x.md" in caught.value.explanation
    assert folder_state(library.folder) == before


def test_a_clash_in_letter_case_only_is_a_clash_too(library, tmp_path):
    library.folder.mkdir(parents=True)
    upper = write(library.folder / "X.md", "old\n")
    with pytest.raises(NameClash) as caught:
        library.import_file(write(tmp_path / "x.md", "new\n"))
    assert caught.value.existing == upper
    assert upper.read_text("utf-8") == "old\n"


def test_keep_both_takes_the_free_name(library, tmp_path):
    existing = library.import_file(write(tmp_path / "a" / "x.md", "old\n"))
    kept = library.import_file(write(tmp_path / "b" / "x.md", "new\n"), on_clash="keep_both")
    assert kept == library.folder / "x-2.md"
    assert existing.read_text("utf-8") == "old\n"
    assert kept.read_text("utf-8") == "new\n"


def test_replace_keeps_the_old_file_in_the_trash(library, tmp_path):
    existing = library.import_file(write(tmp_path / "a" / "x.md", "old\n"))
    replaced = library.import_file(write(tmp_path / "b" / "x.md", "new\n"), on_clash="replace")
    assert replaced == existing
    assert replaced.read_text("utf-8") == "new\n"
    trashed = list(library.trash.rglob("x.md"))
    assert [p.read_text("utf-8") for p in trashed] == ["old\n"]
    assert library.scripts() == [replaced]


def test_an_unknown_clash_choice_is_a_programming_error(library, tmp_path):
    with pytest.raises(ValueError):
        library.import_file(write(tmp_path / "x.md", SCRIPT), on_clash="overwrite")


# -- export ---------------------------------------------------------------------------------------


def test_export_copies_the_bytes(library, tmp_path):
    target = tmp_path / "out" / "shared.md"
    library.export_script(BUNDLED, target)
    assert target.read_bytes() == BUNDLED.read_bytes()
    assert sorted(p.name for p in target.parent.iterdir()) == ["shared.md"]


def test_export_onto_an_existing_file_asks_unless_told_to_overwrite(library, tmp_path):
    target = write(tmp_path / "shared.md", "keep me\n")
    with pytest.raises(NameClash) as caught:
        library.export_script(BUNDLED, target)
    assert caught.value.existing == target
    assert caught.value.free_path == tmp_path / "shared-2.md"
    assert target.read_text("utf-8") == "keep me\n"
    library.export_script(BUNDLED, target, overwrite=True)
    assert target.read_bytes() == BUNDLED.read_bytes()


def test_export_to_an_unwritable_folder_fails_clearly_and_leaves_nothing(library, tmp_path):
    # Tests run as root, which chmod cannot stop: nothing can be written under a regular file.
    blocker = write(tmp_path / "blocker", "a file, not a folder\n")
    before = folder_state(tmp_path)
    with pytest.raises(LibraryWriteError) as caught:
        library.export_script(BUNDLED, blocker / "sub" / "shared.md")
    assert isinstance(caught.value, KindredError)
    assert caught.value.title == "Could not save the file"
    assert "is not a folder" in caught.value.explanation
    assert folder_state(tmp_path) == before


def test_export_refused_by_permissions_or_a_full_disk_leaves_nothing(library, tmp_path, monkeypatch):
    import app.files

    out = tmp_path / "out"
    out.mkdir()
    for error, expected in (
        (PermissionError(errno.EACCES, "Permission denied"), "may not write to"),
        (OSError(errno.ENOSPC, "No space left on device"), "is full"),
    ):

        def refuse(*args, error=error, **kwargs):
            raise error

        monkeypatch.setattr(app.files.os, "fsync", refuse)
        with pytest.raises(LibraryWriteError) as caught:
            library.export_script(BUNDLED, out / "shared.md")
        assert expected in caught.value.explanation
        assert str(out) in caught.value.explanation
        assert list(out.iterdir()) == []


def test_export_onto_a_folder_fails_clearly(library, tmp_path):
    with pytest.raises(LibraryWriteError) as caught:
        library.export_script(BUNDLED, tmp_path)
    assert "is a folder" in caught.value.explanation


def test_a_change_of_letter_case_is_a_rename_not_a_clash(library):
    library.folder.mkdir(parents=True)
    upper = write(library.folder / "Mine.md", SCRIPT)
    renamed = library.rename(upper, "mine")
    assert renamed == library.folder / "mine.md"
    assert [p.name for p in library.folder.iterdir()] == ["mine.md"]
    assert renamed.read_text("utf-8") == SCRIPT


def test_without_hard_links_nothing_is_overwritten_either(library, monkeypatch):
    # Some disks (FAT, network shares) cannot link: the check-then-write fallback still never replaces.
    def no_links(source, target):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    first = library.new_script("Mine")
    second = library.new_script("Mine")
    assert (first.name, second.name) == ("mine.md", "mine-2.md")
    item = library.delete(first)
    library.save(second, SCRIPT)
    assert library.rename(second, "mine") == first
    restored = library.restore(item)
    assert restored == library.folder / "mine-2.md"
    assert restored.read_text("utf-8") == template_text("Mine")
    assert first.read_text("utf-8") == SCRIPT
    assert sorted(p.name for p in library.folder.iterdir()) == ["mine-2.md", "mine.md"]
