"""Start-up of the packaged app (PyInstaller one-folder bundle), against a bare PySide6 window
packaged the same way, measured in the same run: what a DSL actually starts.

    python bench/bench_bundle_startup.py [--runs 5] [--build-dir DIR]

Builds both bundles with this environment's PyInstaller from `packaging/school-audit.spec` and
from a one-file script holding only a window (`--onedir`, the same way), into DIR (default: a
temporary folder; a DIR holding both from an earlier run is reused). Each run is a fresh process
on a data folder holding a full built-in school audit with every standard answered, offscreen
unless a display is set. One unmeasured run of each comes first (warm file cache, as for a DSL
starting the app a second time). "Shown" is the app's log line "Desktop app started" (the window
is up), "usable" its line "Audit on screen" (the last audit open at its standard); the bare
window prints READY once shown. Prints medians and the ratio of each to the bare bundle.

The aims (`QUALITY.md`): shown within 1.5x a bare window, usable within 2x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_startup import BARE, seed, spread  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "school-audit.spec"
APP_PROGRAM = "school-audit.exe" if sys.platform == "win32" else "school-audit"
BARE_PROGRAM = "bare-window.exe" if sys.platform == "win32" else "bare-window"


def build(out: Path) -> tuple[Path, Path]:
    app = out / "dist" / "school-audit" / APP_PROGRAM
    bare = out / "dist" / "bare-window" / BARE_PROGRAM
    common = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
              "--distpath", str(out / "dist"), "--workpath", str(out / "work")]  # fmt: skip
    if not app.exists():
        print("building the app bundle…", flush=True)
        subprocess.run([*common, str(SPEC)], cwd=out, check=True)
    if not bare.exists():
        print("building the bare window bundle…", flush=True)
        script = out / "bare-window.py"
        script.write_text(BARE)
        subprocess.run([*common, "--onedir", "--specpath", str(out), "--name", "bare-window", str(script)],
                       cwd=out, check=True)  # fmt: skip
    return app, bare


def environment(home: Path) -> dict[str, str]:
    env = dict(os.environ, SCHOOL_AUDIT_HOME=str(home))
    env.pop("PYTHONPATH", None)  # a bundle stands on its own
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = env.get("QT_QPA_PLATFORM") or "offscreen"
    return env


def time_bare(program: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    child = subprocess.Popen([str(program)], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == "READY":
            elapsed = time.perf_counter() - start
            child.wait(timeout=60)
            return elapsed
    raise SystemExit("the bare window did not print READY")


def time_app(program: Path, env: dict[str, str], home: Path) -> tuple[float, float]:
    """Seconds to the log's "Desktop app started" and "Audit on screen" lines of this run."""
    log_file = home / "logs" / "school-audit.log"
    before = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else ""
    start = time.perf_counter()
    child = subprocess.Popen([str(program)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shown = usable = None
    try:
        while usable is None or shown is None:
            if time.perf_counter() - start > 90 or child.poll() is not None:
                raise SystemExit(f"the app did not get ready (exit code {child.poll()})")
            text = log_file.read_text(encoding="utf-8", errors="replace")[len(before):] if log_file.exists() else ""
            now = time.perf_counter() - start
            if shown is None and "Desktop app started" in text:
                shown = now
            if usable is None and "Audit on screen" in text:
                usable = now
            time.sleep(0.005)
    finally:
        child.terminate()
        child.wait(timeout=60)
    return shown, usable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--build-dir", type=Path, default=None)
    args = parser.parse_args()
    out = args.build_dir or Path(tempfile.mkdtemp(prefix="bench-bundle-"))
    out.mkdir(parents=True, exist_ok=True)
    app, bare = build(out)
    home = Path(tempfile.mkdtemp(prefix="bench-bundle-home-"))
    seed(home)
    env = environment(home)
    time_bare(bare, env), time_app(app, env, home)  # unmeasured: warms the file cache
    bare_times, shown, usable = [], [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine
        bare_times.append(time_bare(bare, env))
        s, u = time_app(app, env, home)
        shown.append(s)
        usable.append(u)
    floor = statistics.median(bare_times)
    print(f"bare PySide6 window, packaged:       {floor * 1000:7.0f} ms (median of {args.runs})  {spread(bare_times)}")
    for label, times, aim in (("packaged app window shown:", shown, 1.5), ("packaged app usable, full audit:", usable, 2.0)):
        ratios = [t / b for t, b in zip(times, bare_times, strict=True)]
        print(f"{label:36s} {statistics.median(times) * 1000:7.0f} ms  ratio {statistics.median(times) / floor:.2f}"
              f" (aim {aim}; run by run: {spread(ratios, ratio=True)})")  # fmt: skip


if __name__ == "__main__":
    main()
