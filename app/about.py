"""What Kindred is, under which licence, and whom it thanks: `kindred --help` and the About box."""

from __future__ import annotations

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
