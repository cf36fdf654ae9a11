"""Writes the fingerprints of the excerpt's eight-word runs, for the test that no script copies it.

The excerpt the meditations are built on is not ours to ship, so the repository keeps only a
one-way fingerprint of every run of eight consecutive words (the first 16 hex digits of its
SHA-256): enough for tests/library to find a copied run in any script, nothing to read back.

    python tools/excerpt_fingerprints.py PATH/TO/excerpt.txt > tests/library/excerpt_runs.txt
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

RUN_WORDS = 8


def words(text: str) -> list[str]:
    """Lowercase words, apostrophes kept and curly ones made straight, as the test reads scripts."""
    return re.findall(r"[a-z']+", text.lower().replace("’", "'"))


def fingerprint(run: str) -> str:
    return hashlib.sha256(run.encode("utf-8")).hexdigest()[:16]


def runs(text: str) -> list[str]:
    found = words(text)
    return [" ".join(found[i : i + RUN_WORDS]) for i in range(len(found) - RUN_WORDS + 1)]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    prints = sorted({fingerprint(run) for run in runs(Path(argv[1]).read_text("utf-8"))})
    print(f"# {len(prints)} fingerprints of {RUN_WORDS}-word runs (tools/excerpt_fingerprints.py)")
    print("\n".join(prints))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
