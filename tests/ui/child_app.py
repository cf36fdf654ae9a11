"""The window app run in a child process, so that a test can kill it with SIGKILL mid-session."""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def child_app(code: str, *args: str, home: Path) -> Iterator[subprocess.Popen]:
    """Runs `code` in a child Python on `home` (headless); its stdout is text. Never outlives the block."""
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=dict(os.environ, KINDRED_HOME=str(home), QT_QPA_PLATFORM="offscreen"),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )
    try:
        yield child
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()


def kill_hard(child: subprocess.Popen, detail: str = "") -> None:
    """SIGKILL for the still-running child: no chance to close or save anything."""
    assert child.poll() is None, f"the app ended before it could be killed{detail}"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
