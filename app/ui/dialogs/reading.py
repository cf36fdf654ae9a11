"""Dialogs that are read, not filled in: About (with the licence and third-party notices) and
the guide to writing scripts. Both show files that travel inside the package."""

from __future__ import annotations

import html

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from app import __version__, paths
from app.about import ABOUT_TEXT, HOMEPAGE, third_party_notices, voice_versions
from app.ui.widgets.basics import button, labelled


def _reading_dialog(parent: QWidget | None, title: str, object_name: str) -> tuple[QDialog, QVBoxLayout]:
    dialog = QDialog(parent)
    dialog.setObjectName(object_name)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(12)
    return dialog, layout


def _close_row(dialog: QDialog) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    close = button("Close", "Close", "Close this window", dialog.accept)
    close.setDefault(True)
    row.addWidget(close)
    return row


#: Where the licence is read when the copy that travels with Kindred has gone missing.
GPL_URL = "https://www.gnu.org/licenses/gpl-3.0.html"


def _licence_line() -> str:
    """Where the licence's full text is: the LICENSE file that travels with Kindred, linked to open."""
    path = paths.license_path()
    if path.is_file():
        link = f'<a href="{QUrl.fromLocalFile(str(path)).toString()}">{html.escape(str(path))}</a>'
        return f"The full text of the licence is in {link}."
    return (
        f"The full text of the licence should be in {html.escape(str(path))}, which is missing; "
        f'it is at <a href="{GPL_URL}">{GPL_URL}</a>. '
        "`kindred doctor` says how to reinstall Kindred's files."
    )


def _versions_line() -> str:
    """Kindred and what it runs on, for a bug report: the Qt it draws with and what speaks."""
    parts = [("Kindred", __version__), ("Qt", qVersion()), ("PySide6", PySide6.__version__)]
    parts += voice_versions()
    return "Versions: " + " · ".join(f"{name} {html.escape(version)}" for name, version in parts)


def about_dialog(parent: QWidget | None = None) -> QDialog:
    """Kindred's version, licence and homepage, then the notices of what it is built with."""
    dialog, layout = _reading_dialog(parent, "About Kindred", "aboutDialog")
    header = QHBoxLayout()
    icon = QLabel()
    icon.setPixmap(QIcon(str(paths.app_icon_path())).pixmap(64, 64))
    heading = QLabel(f"Kindred {__version__}")
    heading.setObjectName("listenHeading")
    header.addWidget(icon)
    header.addWidget(heading, 1)
    text = QLabel(ABOUT_TEXT.replace("\n", "<br><br>") + f'<br><br><a href="{HOMEPAGE}">{HOMEPAGE}</a>')
    text.setWordWrap(True)
    text.setOpenExternalLinks(True)
    licence = QLabel(_licence_line())
    licence.setObjectName("aboutLicence")
    licence.setWordWrap(True)
    licence.setOpenExternalLinks(True)
    versions = QLabel(_versions_line())
    versions.setObjectName("aboutVersions")
    versions.setWordWrap(True)
    # Selectable: a version is what a bug report asks for.
    versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    notices_label = QLabel("Licence and third-party notices")
    notices = labelled(
        QTextBrowser(), "Licence and third-party notices", "The licences of Kindred and what it is built with"
    )
    notices.setObjectName("aboutNotices")
    # The notices are laid out in lines of a fixed width, as licence texts are: shown unwrapped.
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    fixed.setPointSizeF(max(8.0, notices.font().pointSizeF() - 1))
    notices.setFont(fixed)
    notices.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
    notices.setPlainText(third_party_notices())
    layout.addLayout(header)
    layout.addWidget(text)
    layout.addWidget(licence)
    layout.addWidget(versions)
    layout.addWidget(notices_label)
    layout.addWidget(notices, 1)
    layout.addLayout(_close_row(dialog))
    dialog.resize(820, 680)  # the notices keep room to be read under the licence and versions
    return dialog


def writing_guide_dialog(parent: QWidget | None = None) -> QDialog:
    """docs/writing-scripts.md, rendered: the whole script format with examples."""
    dialog, layout = _reading_dialog(parent, "Writing a meditation script", "guideDialog")
    guide = labelled(QTextBrowser(), "Writing guide", "How to write a meditation script")
    guide.setObjectName("guideText")
    guide.setOpenExternalLinks(True)
    try:
        guide.setMarkdown(paths.writing_guide_path().read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        guide.setPlainText(
            f"The writing guide {paths.writing_guide_path()} could not be read ({error}). "
            "Run `kindred doctor`: it says how to reinstall Kindred's files."
        )
    layout.addWidget(guide, 1)
    layout.addLayout(_close_row(dialog))
    dialog.resize(720, 640)
    return dialog
