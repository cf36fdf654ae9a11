"""The starting text of a new script: short, valid, and showing every part of the format once."""

from __future__ import annotations

import unicodedata

from .model import Meta, Pause, Script, Section
from .writer import script_to_text

DEFAULT_TITLE = "My Practice"

# The comments teach the format where an author looks first; the speech is a complete little
# practice, so the template renders and plays as it is.
_BODY = """\
# Arriving
// Lines of text are spoken. A blank line starts a new paragraph, with a short breath between.
// [pause 3s] is a silence of exactly three seconds. [pause 20s+] lasts at least twenty
// seconds and grows to fill the length the listener picks. [bell] rings a bell.
// A line starting with # begins a section. Lines starting with // are notes like these,
// never spoken.
[bell]
[pause 3s]
Welcome. Let yourself arrive here, just as you are.
Feel the weight of your body, held by whatever is beneath you.
[pause 3s]
Breathe in slowly.
[pause 3s]
And let the breath go.
[pause 4s]

# Resting in kindness
Bring to mind someone who makes you smile.
Silently wish them well. May you be safe. May you be at ease.
Rest with those words, in your own time. When your mind wanders, come back to them.
[pause 20s+]
Now turn the same wish toward yourself.
May I be safe. May I be at ease.
[pause 3s]
When you are ready, open your eyes, and take this warmth with you.
"""


def clean_title(title: str) -> str:
    """A title as one tidy line: control characters dropped, runs of spaces made one."""
    kept = "".join(
        " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
        for c in title
        if unicodedata.category(c) != "Cs"  # a lone surrogate cannot be written as UTF-8
    )
    return " ".join(kept.split()) or DEFAULT_TITLE


def title_line(title: str) -> str:
    """The front-matter line `title: ...`, quoted only where YAML needs it, as the writer does."""
    minimal = Script(Meta(title=title, summary="-", theme="t"), (Section(None, (Pause(1.0),)),))
    return script_to_text(minimal).split("\n")[1]


def template_text(title: str) -> str:
    """A complete script that parses and renders as it is, for the author to rewrite."""
    meta = Meta(
        title=clean_title(title),
        summary="A short practice of your own, arriving and then resting in kindness.",
        theme="my-practice",
        durations=(300.0, 600.0),
    )
    # The writer quotes the title as YAML needs ("Love: a practice", "yes", "123").
    front_matter = script_to_text(Script(meta, (Section(None, (Pause(1.0),)),)))
    front_matter = front_matter[: front_matter.index("\n---\n") + len("\n---\n")]
    return front_matter + _BODY
