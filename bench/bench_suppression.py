"""How many cells of the steering tables are suppressed, before and after folding small groups.

On the demo county (35 schools, a few early-years settings) and on a seeded county the size of
Worcestershire (about 240 schools and 500 early-years settings, `collector.demo.scaled`), for
schools and for early years: every cell of every steering table (completeness, each standard and
each section, by phase, district, type, trust and size band, totals included), hidden or shown,
with folding off and on. Also checks that no shown group counts fewer than five settings.

    .venv/bin/python bench/bench_suppression.py [--skip-demo]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from school_audit.collector.aggregate.steering import steering_view  # noqa: E402
from school_audit.collector.db import init_database  # noqa: E402
from school_audit.collector.demo.scaled import seed_county  # noqa: E402
from school_audit.collector.demo.seed import CURRENT  # noqa: E402


def counts(database, cycle: str, setting_type: str) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    with database.read() as session:
        before = steering_view(session, cycle, setting_type, fold=False)
        after = steering_view(session, cycle, setting_type)
    for view in (before, after):
        for table in view.tables():
            for row in table.rows:
                assert row.suppressed or not row.settings or row.settings >= view.threshold, row
    return {"before": before.cells(), "after": after.cells()}


def demo_database(folder: Path):  # type: ignore[no-untyped-def]
    from datetime import date

    from school_audit.collector.demo import seed_demo
    from school_audit.collector.keys import ensure_key_file

    database = init_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    key, _ = ensure_key_file(folder / "collector-key")
    seed_demo(database, key, folder / "demo", today=date(2026, 3, 2), create_users=False)
    return database


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-demo", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if not args.skip_demo:
            database = demo_database(folder)
            for kind in ("school", "early_years"):
                results.append(("demo county", kind, counts(database, CURRENT, kind)))
            database.dispose()
        database = init_database(f"sqlite:///{folder / 'county.sqlite3'}")
        written = seed_county(database)
        print(f"county: {written['settings']} settings, {written['returns']} returns (two cycles)")
        for kind in ("school", "early_years"):
            results.append(("Worcestershire-sized", kind, counts(database, CURRENT, kind)))
        database.dispose()
    print(
        f"\n{'register':<21} {'settings':<12} {'suppressed before':>18} {'after':>8} {'ratio':>6}"
    )
    for register, kind, found in results:
        (before, shown_before), (after, shown_after) = found["before"], found["after"]
        ratio = after / before if before else 0.0
        print(f"{register:<21} {kind:<12} {before:>8} of {before + shown_before:<7} "
              f"{after:>8} {ratio:>5.2f}x  (of {after + shown_after})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
