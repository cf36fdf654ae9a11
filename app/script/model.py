"""The script model: what a parsed meditation script is.

Frozen dataclasses, so a Script can be shared between threads and used as a cache key.
Line numbers are kept for messages but excluded from equality, so that a script
written back to text and parsed again compares equal to the original.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Meta:
    """The front matter. Durations are in seconds, the first one is the default."""

    title: str
    summary: str
    theme: str
    tags: tuple[str, ...] = ()
    durations: tuple[float, ...] = ()
    ambience: str | None = None
    #: (written word or phrase, how to say it): applied before the voice speaks, never shown.
    pronounce: tuple[tuple[str, str], ...] = ()
    #: The author says the script cares for a listener who may not be safe (app.render.hints).
    safety: bool = False


@dataclass(frozen=True)
class Speech:
    """A paragraph: consecutive text lines, spoken as one passage."""

    lines: tuple[str, ...]
    line: int = field(default=0, compare=False)

    @property
    def text(self) -> str:
        return " ".join(part.strip() for part in self.lines if part.strip())


@dataclass(frozen=True)
class Pause:
    """A silence. A flexible pause (`[pause 20s+]`) grows to fill the chosen length."""

    seconds: float
    flexible: bool = False
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Bell:
    """A bell; `name` None means the default bell."""

    name: str | None = None
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Comment:
    """An author's note (`// ...`); never spoken, kept so the editor can write it back."""

    text: str
    line: int = field(default=0, compare=False)


Item = Speech | Pause | Bell | Comment


@dataclass(frozen=True)
class Section:
    """A chapter. The first section has title None when the body starts without a heading."""

    title: str | None
    items: tuple[Item, ...] = ()
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Script:
    meta: Meta
    sections: tuple[Section, ...]
    source: str = field(default="<script>", compare=False)

    def items(self) -> list[tuple[int, Item]]:
        """Every body item with the index of its section, in order."""
        return [(index, item) for index, section in enumerate(self.sections) for item in section.items]

    @property
    def default_length(self) -> float | None:
        return self.meta.durations[0] if self.meta.durations else None
