"""Putting a rendered session where the user asked, completely or not at all."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

from app.errors import KindredError
from app.files import atomic_output


class ExportError(KindredError):
    title = "Could not save the file"


def copy_wav(source: Path, target: Path) -> None:
    try:
        with atomic_output(target) as handle, open(source, "rb") as reader:
            shutil.copyfileobj(reader, handle, length=1 << 20)
    except (FileExistsError, NotADirectoryError):
        raise ExportError(f"{target.parent} is not a folder. Choose a folder to save into.") from None
    except PermissionError:
        raise ExportError(f"Kindred may not write to {target.parent}. Choose another folder.") from None
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise ExportError(
                f"The disk holding {target.parent} is full. Free some space or choose another folder."
            ) from None
        raise ExportError(f"{target}: {error.strerror}. Choose another folder or file name.") from None
