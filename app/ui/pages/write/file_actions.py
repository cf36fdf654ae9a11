"""What the Write page does to script files: new, copy, rename, delete and its undo, import, export.

Everything goes through UserLibrary (safe names, atomic writes, the trash) and every question
through the page's EditorDialogs. A refusal becomes a message on the page, never an exception,
and each action returns what it made (a path, the trashed script) or None when it made nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from app import paths
from app.errors import KindredError
from app.library.drafts import draft_key
from app.library.user_scripts import IMPORT_SUFFIXES, NameClash, TrashedScript
from app.ui.pages.write.catalogue import same_file

if TYPE_CHECKING:
    from app.ui.pages.write.page import EditorPage


class FileActions:
    """The file actions of one Write page; holds the last deleted script for Undo."""

    def __init__(self, page: EditorPage):
        self.page = page
        self._trashed: TrashedScript | None = None

    # -- new and copy ----------------------------------------------------------------------

    def new_script(self) -> Path | None:
        """A new script from the template, at a safe name made from the title asked for."""
        title = self.page.dialogs.ask_title()
        if title is None or not self.page.maybe_leave():
            return None
        return self._create(lambda: self.page.library.new_script(title))

    def make_copy(self, source: Path) -> Path | None:
        """A bundled (or any) script copied into the user's scripts and opened to edit."""
        if not self.page.maybe_leave():
            return None
        return self._create(lambda: self.page.library.copy_of(source))

    def _create(self, make: Callable[[], Path]) -> Path | None:
        """A script made by `make` in the user's scripts, listed and opened; None when it failed."""
        page = self.page
        try:
            path = make()
        except KindredError as error:
            page.show_message(error.title, error.explanation)
            return None
        page.catalogue_changed(added=path)
        self._open_created(path)
        return path

    def _open_created(self, path: Path) -> None:
        """Open a script just made in the user's scripts, ready to type in."""
        page = self.page
        try:
            text = page.library.read_import(path)
        except KindredError as error:
            page.show_message(error.title, error.explanation)
            return
        page.load(path, text, read_only=False)
        page.editor.text_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- rename, delete, undo --------------------------------------------------------------

    def rename(self) -> Path | None:
        page = self.page
        if page.path is None or page.read_only:
            return None
        new_name = page.dialogs.ask_new_name(page.path.stem)
        if new_name is None or not new_name.strip():
            return None
        old = page.path
        try:
            path = page.library.rename(old, new_name)
        except NameClash as clash:
            page.show_message(
                "That name is taken",
                f"Your scripts already include “{clash.existing.name}”. Choose another name.",
            )
            return None
        except KindredError as error:
            page.show_message(error.title, error.explanation)
            return None
        page.path = path
        page.store.rename_script(old.stem, path.stem)  # slugs name favourites, positions, listens
        page.hide_message()
        if page.editor.is_modified():
            # The unsaved text follows the file to its new name.
            page.drafts.discard(draft_key(old))
            page.save_draft()
        page.catalogue_changed(added=path, removed=old)
        page.show_document_state()
        return path

    def delete(self) -> TrashedScript | None:
        """Move the open script to the trash; the undo bar brings it back."""
        page = self.page
        if page.path is None or page.read_only:
            return None
        path = page.path
        try:
            item = page.library.delete(path)
        except KindredError as error:
            page.show_message(error.title, error.explanation)
            return None
        # Unsaved changes go with it: its draft stays until the next start, so Undo can bring them too.
        if page.editor.is_modified():
            page.save_draft()
        page.close_document()
        page.hide_message()
        self._trashed = item
        page.undo_bar.label.setText(f"“{path.name}” moved to the trash.")
        page.undo_bar.show()
        page.catalogue_changed(removed=path)
        return item

    def undo_delete(self) -> Path | None:
        page = self.page
        item, self._trashed = self._trashed, None
        page.undo_bar.hide()
        if item is None:
            return None
        try:
            path = page.library.restore(item)
        except KindredError as error:
            page.show_message(error.title, error.explanation)
            return None
        page.catalogue_changed(added=path)
        draft = page.drafts.get(draft_key(item.original))
        if draft is not None and same_file(path, item.original):
            page.draft_keeper.offer_first(draft)
            page.restore_draft()
        else:
            page.open_path(path)
        return path

    # -- import and export -----------------------------------------------------------------

    def import_files(self) -> list[Path]:
        return self.import_paths(self.page.dialogs.choose_import_files())

    def import_paths(self, sources: list[Path]) -> list[Path]:
        """Import files into the user's scripts: safe names, never an overwrite without asking."""
        page = self.page
        imported: list[Path] = []
        refused: list[KindredError] = []
        for source in sources:
            try:
                imported.append(page.library.import_file(source))
            except NameClash as clash:
                self._import_over_clash(source, clash, imported, refused)
            except KindredError as error:
                refused.append(error)
        if imported:
            page.catalogue_changed(added=imported)
        if imported and page.maybe_leave():
            self._open_created(imported[-1])
        if len(refused) == 1:
            page.show_message(refused[0].title, refused[0].explanation)  # the explanation names the file
        elif refused:
            lines = [f"{error.title}: {error.explanation}" for error in refused]
            page.show_message(f"{len(refused)} files were not imported", "\n" + "\n".join(lines))
        return imported

    def _import_over_clash(
        self, source: Path, clash: NameClash, imported: list[Path], refused: list[KindredError]
    ) -> None:
        """Ask what to do about an import whose name is taken; add the outcome to the lists."""
        page = self.page
        choice = page.dialogs.ask_clash(clash.existing.name)
        if choice not in ("replace", "keep_both"):
            return
        if choice == "replace" and page.path is not None and same_file(page.path, clash.existing):
            if not page.maybe_leave():
                return
            page.close_document()
        try:
            imported.append(page.library.import_file(source, on_clash=choice))
        except KindredError as error:
            refused.append(error)

    def export(self) -> Path | None:
        """A copy of the open script as a file where the user chooses; asks before replacing one."""
        page = self.page
        if page.path is None:
            return None
        if page.is_modified() and not page.save():
            return None
        target = page.dialogs.choose_export_file(paths.music_dir() / page.path.name)
        if target is None:
            return None
        if target.suffix.lower() not in IMPORT_SUFFIXES:
            target = target.with_name(target.name + ".md")
        try:
            try:
                page.library.export_script(page.path, target)
            except NameClash:
                if not page.dialogs.ask_overwrite(target):
                    return None
                page.library.export_script(page.path, target, overwrite=True)
        except KindredError as error:
            page.show_message(error.title, error.explanation)
            return None
        page.show_message("Exported", f"A copy of the script is at {target}.")
        return target
