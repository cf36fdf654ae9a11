"""The real program, `python -m app ARGS`, run from the project root as a person would run it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def kindred(
    *args: str | Path, engine: str | None = "fake", timeout: float = 120
) -> subprocess.CompletedProcess:
    """Runs it in this test's KINDRED_HOME (conftest sets it in os.environ) with `engine` as its
    voice (None: the real default), and returns what it printed and its exit status."""
    env = dict(os.environ)
    env.pop("KINDRED_ENGINE", None)
    if engine is not None:
        env["KINDRED_ENGINE"] = engine
    return subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
