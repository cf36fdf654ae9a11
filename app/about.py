"""What Kindred is and whom it thanks: shown by `kindred --help` and the window's About box."""

from app import __version__

ABOUT_TEXT = (
    f"Kindred {__version__}: guided compassion meditations for people in intimate relationships, "
    "spoken by your computer's own voices, entirely offline.\n"
    "The meditations are Kindred's own writing, inspired by the ideas of Michelle Becker's "
    "Compassion for Couples (Guilford Press)."
)
