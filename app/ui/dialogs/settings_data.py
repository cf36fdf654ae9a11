"""Settings' "Your data" rows: where Kindred keeps its files, and how much sound it keeps for replay."""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from app import paths, settings
from app.history import Store
from app.render.cache_limit import cache_size, limit_bytes, trim_cache
from app.settings import Settings
from app.ui.dialogs.settings_rows import SetSetting, control_row, heading, select_data
from app.ui.widgets.basics import labelled

#: What "Keep up to" offers, in gigabytes (the default, 2, among them).
CACHE_CHOICES_GB = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0)
GIB = 1024**3


def size_label(size: float) -> str:
    """Bytes as a person reads them: "350 MB", "2 GB", "1.5 GB"."""
    if size < GIB:
        return f"{size / 1024**2:.0f} MB"
    gigabytes = size / GIB
    return f"{gigabytes:.0f} GB" if abs(gigabytes - round(gigabytes)) < 0.05 else f"{gigabytes:.1f} GB"


class DataSection(QObject):
    """The cache limit is stored at once through `set_setting(setting, value)`, and holds at once."""

    def __init__(self, store: Store, set_setting: SetSetting, parent: QWidget) -> None:
        super().__init__(parent)
        self._set = set_setting
        self._build_folder()
        self._build_cache()
        self._restore(store)
        self.open_folder_button.clicked.connect(self.open_data_folder)
        self.cache_combo.currentIndexChanged.connect(lambda _: self._set_cache_limit())

    def _build_folder(self) -> None:
        self.data_path = QLineEdit(str(paths.data_dir()))
        self.data_path.setReadOnly(True)
        self.data_path.setCursorPosition(0)
        labelled(self.data_path, "Data folder", "Where your own scripts, history and settings are kept")
        self.open_folder_button = QPushButton("Open folder")
        labelled(self.open_folder_button, "Open the data folder", "Show this folder in your file manager")
        self.folder_note = QLabel()
        self.folder_note.setObjectName("errorLabel")
        self.folder_note.setWordWrap(True)
        self.folder_note.hide()

    def _build_cache(self) -> None:
        self.cache_combo = QComboBox()
        for gigabytes in CACHE_CHOICES_GB:
            self.cache_combo.addItem(size_label(gigabytes * GIB), gigabytes)
        labelled(
            self.cache_combo,
            "Sound kept for replay",
            "Sessions and sentences already spoken are kept up to this size, so they play at once; "
            "the least recently played go first",
        )
        self.cache_note = QLabel()
        self.cache_note.setObjectName("cacheNote")

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow(heading("Your data"))
        form.addRow("Folder", control_row(self.data_path, self.open_folder_button, stretch=0))
        form.addRow(self.folder_note)
        form.addRow("Keep up to", control_row(self.cache_combo, self.cache_note, stretch=1))

    def _restore(self, store: Store) -> None:
        limit_gb = Settings(store).get(settings.CACHE_LIMIT_GB)
        if self.cache_combo.findData(limit_gb) < 0:
            self.cache_combo.addItem(size_label(limit_bytes(limit_gb)), limit_gb)  # set elsewhere: kept
        select_data(self.cache_combo, limit_gb)
        self._show_cache_size()

    def _set_cache_limit(self) -> None:
        gigabytes = self.cache_combo.currentData()
        self._set(settings.CACHE_LIMIT_GB, gigabytes)
        trim_cache(paths.cache_dir(), limit_bytes(gigabytes))  # a smaller limit holds from now on
        self._show_cache_size()

    def _show_cache_size(self) -> None:
        self.cache_note.setText(f"{size_label(cache_size(paths.cache_dir()))} used now")

    def open_data_folder(self) -> None:
        folder = paths.data_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        except OSError:
            opened = False
        if opened:
            self.folder_note.hide()
        else:
            self.folder_note.setText(
                "The folder could not be opened from here. Its path is shown above: "
                "copy it into your file manager."
            )
            self.folder_note.show()
