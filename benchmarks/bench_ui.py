"""Window and playback speed: `make bench-ui` (runs under Xvfb).

1. Launch to an interactive window with 1,000 user scripts in the library: a fresh process
   is started and reports when its window is shown and the event loop has gone idle.
2. Play to first sound for an uncached 20-minute session and for a cached one: from the
   Play request to the player playing with its position moving (QMediaPlayer's own report;
   under Xvfb there may be no sound card, and Qt plays on regardless).
Targets: window within 1.5 s; first sound within 1.5 s uncached and 0.3 s cached.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.table import print_table  # noqa: E402

RUNS = 3
USER_SCRIPTS = 1000

CHILD_WINDOW = """
import sys, time
started = float(sys.argv[1])
sys.path.insert(0, sys.argv[2])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app import paths
from app.history import Store
from app.library import load_catalogue
from app.tts import create_engine
from app.ui.main_window import MainWindow
from app.ui.theme import apply_theme
app = QApplication(sys.argv[:1])
store = Store(paths.database_path())
apply_theme(app, "light")
window = MainWindow(store, load_catalogue(), create_engine())
window.show()
def ready():
    print(f"READY {time.time() - started:.3f} {len(window.library.visible_titles())}", flush=True)
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""


def make_user_library(home: Path, count: int) -> None:
    library = home / "data" / "library"
    library.mkdir(parents=True, exist_ok=True)
    template = (ROOT / "scripts" / "choosing-compassion.md").read_text("utf-8")
    for number in range(count):
        text = template.replace("title: Choosing Compassion", f"title: My own practice {number}")
        (library / f"my-practice-{number:04d}.md").write_text(text, "utf-8")


def launch_seconds(home: Path) -> tuple[float, int]:
    env = dict(os.environ, KINDRED_HOME=str(home))
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", CHILD_WINDOW, str(started), str(ROOT)], env=env, capture_output=True, text=True
    )
    line = next((row for row in result.stdout.splitlines() if row.startswith("READY")), None)
    if line is None:
        raise RuntimeError(f"the window did not start:\n{result.stderr[-2000:]}")
    _, seconds, shown = line.split()
    return float(seconds), int(shown)


def first_sound_seconds(home: Path) -> tuple[float, float]:
    """(uncached, cached) seconds from Play to a moving position, in one process like the app."""
    os.environ["KINDRED_HOME"] = str(home)
    from PySide6.QtWidgets import QApplication

    from app import paths
    from app.history import Store
    from app.library import load_catalogue
    from app.tts import create_engine
    from app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    store = Store(paths.database_path())
    engine = create_engine()
    window = MainWindow(store, load_catalogue(), engine)
    window.show()
    entry = next(e for e in load_catalogue() if e.slug == "choosing-compassion")

    def measure() -> float:
        window.player.unload()
        app.processEvents()
        started = time.perf_counter()
        window.player_view.open_entry(entry, 20 * 60)
        first_position = None
        while time.perf_counter() - started < 60:
            app.processEvents()
            position = window.player.position()
            if window.player.is_playing() and position > 0:
                first_position = time.perf_counter()
                break
            time.sleep(0.001)
        if first_position is None:
            raise RuntimeError("the session did not start playing within a minute")
        return first_position - started

    uncached = measure()
    cached = statistics.median(measure() for _ in range(RUNS))
    window.player.unload()
    window.quit()
    engine.close()
    store.close()
    return uncached, cached


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "library-home"
        make_user_library(home, USER_SCRIPTS)
        launches = [launch_seconds(home) for _ in range(RUNS)]
        launch = statistics.median(seconds for seconds, _ in launches)
        shown = launches[0][1]
        play_home = Path(folder) / "play-home"
        uncached, cached = first_sound_seconds(play_home)
        shutil.rmtree(play_home, ignore_errors=True)

    rows = [
        (f"launch to interactive window ({shown} listed)", f"{launch:.2f} s", "target <= 1.5 s, median of 3"),
        ("Play to first sound, uncached 20-minute session", f"{uncached:.2f} s", "target <= 1.5 s"),
        ("Play to first sound, cached session", f"{cached:.3f} s", "target <= 0.3 s, median of 3"),
    ]
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
