"""Start-up time of the desktop app, against a bare PySide6 window measured in the same run.

    python bench/bench_startup.py [--runs 5]

Each measurement is a fresh process. One unmeasured run of each comes first, so the operating
system's file cache is warm and Python's compiled bytecode is written (to a folder of its own, not
the source tree), as they are for a DSL opening an installed app a second time; a machine set to
write no bytecode would otherwise measure compiling the sources, ours and PySide6's, every time. "Usable" means the window is on screen
with the last audit open at its standard: a full built-in school audit, every standard answered.
Runs offscreen unless a display is set. Prints medians and the ratio to the bare window.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = """
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("hello"))
window.resize(1280, 860)
window.show()
app.processEvents()
print("READY", flush=True)
"""

# The real entry point (`school-audit` with no command), watched from outside through create_app.
APP = """
import sys
import school_audit.ui.app as app_module
from school_audit.cli.main import main
real_create_app = app_module.create_app
def create_and_watch(*args, **kwargs):
    app, window = real_create_app(*args, **kwargs)
    print("SHOWN", flush=True)
    def ready(session):
        app.processEvents()
        print("READY", flush=True)
        app.quit()
    window.audit_opened.connect(ready)
    return app, window
app_module.create_app = create_and_watch
sys.exit(main([]))
"""


def seed(home: Path) -> None:
    """A data folder with a full audit answered, which the app reopens at start."""
    os.environ["SCHOOL_AUDIT_HOME"] = str(home)
    from school_audit.content import builtin_template
    from school_audit.services.demo_audits import demo_profile, fill
    from school_audit.ui.app import open_default_service

    service = open_default_service().audits
    service.save_profile(demo_profile())
    template = builtin_template("school-s175", "2025-26.1")
    audit = service.start_audit(template)
    fill(service, audit, template, date.today(), 1.0)
    service.store.close()
    (home / "window.ini").write_text(f"[General]\nlast_audit_id={audit.audit_id}\n")


def timed(code: str, env: dict[str, str]) -> dict[str, float]:
    """Seconds from launching the process to each line it prints."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    marks = {}
    for line in child.stdout:
        marks[line.strip()] = time.perf_counter() - start
    child.wait(timeout=60)
    if "READY" not in marks:
        raise SystemExit(f"the process did not get ready: {marks}")
    return marks


def seeded_environment(prefix: str) -> dict[str, str]:
    """The environment of an app process on a fresh data folder holding a full audit: offscreen
    unless a display is set, compiled bytecode kept in that folder (see the module docstring)."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    seed(home)
    env = dict(os.environ, SCHOOL_AUDIT_HOME=str(home), PYTHONPATH=str(ROOT))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home / "bytecode")
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = env.get("QT_QPA_PLATFORM") or "offscreen"
    return env


def spread(values: list[float], ratio: bool = False) -> str:
    """The middle half of the runs, so a noisy machine shows itself beside the median."""
    if len(values) < 4:
        return ""
    low, _, high = statistics.quantiles(values, n=4)
    if ratio:
        return f"middle half {low:.2f}–{high:.2f}×"
    return f"middle half {low * 1000:.0f}–{high * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = seeded_environment("bench-startup-")
    timed(BARE, env), timed(APP, env)  # unmeasured: warms the file cache and writes bytecode
    bare, shown, ready = [], [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine
        bare.append(timed(BARE, env)["READY"])
        marks = timed(APP, env)
        shown.append(marks["SHOWN"])
        ready.append(marks["READY"])
    floor = statistics.median(bare)
    print(f"bare PySide6 window:                 {floor * 1000:7.0f} ms (median of {args.runs})"
          f"  {spread(bare)}")  # fmt: skip
    for label, times in (("app window shown:", shown), ("app usable, full audit open:", ready)):
        ratios = [t / b for t, b in zip(times, bare, strict=True)]  # each run against its pair
        print(f"{label:36s} {statistics.median(times) * 1000:7.0f} ms"
              f"  ratio {statistics.median(times) / floor:.2f}"
              f"  (run by run: {spread(ratios, ratio=True)})")  # fmt: skip


if __name__ == "__main__":
    main()
