"""How the window answers while the background lane runs Python, against the same when it is idle.

    python bench/bench_responsiveness.py [--runs 3]

Opens the app on a full audit (as bench_startup.py does) and steps through 15 standards twice:
with the background lane idle, and while a thread runs plain Python (as the lane does when it
warms the store up, reads a template or builds a PDF). Prints the ratio of the two, with the app's
own switch interval and with Python's default 5 ms, to show what the short interval is for:
PySide6 lets go of Python's global lock in every call into Qt, so a busy background thread can
make each of the window's calls wait up to the interval for its turn.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from bench_startup import seeded_environment  # noqa: E402

STEPS = """
import sys, threading, time
import school_audit.ui.app as app_module
if sys.argv[1] != "app":
    app_module.SWITCH_INTERVAL_S = float(sys.argv[1])
from PySide6.QtCore import QTimer
app, window = app_module.create_app()

def walk():
    page = window.audit_page
    page.go_to(window.session.standards[0].id)
    app.processEvents()
    start = time.perf_counter()
    for _ in range(15):
        page.step(1)
        app.processEvents()
    return time.perf_counter() - start

def busy_lane(stop):
    # What the background lane does while it runs Python: import, parse, build a PDF.
    while not stop.is_set():
        sorted(str(n) for n in range(2000))

def measure():
    if not window.service.store.is_warm:
        QTimer.singleShot(20, measure)
        return
    walk()  # once for the caches
    idle = walk()
    stop = threading.Event()
    lane = threading.Thread(target=busy_lane, args=(stop,))
    lane.start()
    busy = walk()
    stop.set()
    lane.join()
    print(busy, idle, flush=True)
    app.quit()

window.audit_opened.connect(lambda session: QTimer.singleShot(0, measure))
app.exec()
window.runner.wait_for_done(5000)
"""


def measure(interval: str, env: dict[str, str]) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", STEPS, interval], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=300, check=True).stdout  # fmt: skip
    busy, idle = out.split()
    return float(busy), float(idle)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env = seeded_environment("bench-responsive-")
    for label, interval in (("the app's switch interval", "app"), ("Python's default 5 ms", "0.005")):
        ratios = [busy / idle for busy, idle in (measure(interval, env) for _ in range(args.runs))]
        print(f"{label:28} 15 standards while the lane runs Python: {statistics.median(ratios):5.2f}x"
              " the time with the lane idle")  # fmt: skip


if __name__ == "__main__":
    main()
