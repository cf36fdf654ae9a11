"""The base of every error a person may see: a short title and what to do next."""

from __future__ import annotations


class KindredError(Exception):
    """An error meant for the user, never shown as a traceback."""

    title = "Something went wrong"

    def __init__(self, explanation: str, title: str | None = None):
        super().__init__(explanation)
        self.explanation = explanation
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return f"{self.title}: {self.explanation}"
