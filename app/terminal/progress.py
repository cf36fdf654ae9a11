"""The command line's progress: a bar redrawn in place on a terminal, plain lines elsewhere."""

from __future__ import annotations

import shutil
from typing import TextIO


class ProgressDisplay:
    """A bar redrawn in place on a terminal; plain lines, one per stage or tenth, otherwise."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.interactive = stream.isatty()
        self.last_line: tuple[str, int] | None = None

    def update(self, fraction: float, stage: str) -> None:
        percent = int(max(0.0, min(1.0, fraction)) * 100)
        if self.interactive:
            width = max(10, min(40, shutil.get_terminal_size((80, 20)).columns - 40))
            filled = percent * width // 100
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {percent:3d}% {stage:<30}")
            self.stream.flush()
            return
        step = (stage, percent // 10)
        if step != self.last_line:
            self.last_line = step
            print(f"{percent:3d}% {stage}", file=self.stream, flush=True)

    def finish(self) -> None:
        if self.interactive:
            self.stream.write("\n")
            self.stream.flush()
