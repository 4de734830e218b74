"""kill -9 the save path hundreds of times: every acknowledged answer must survive and the file
must pass `PRAGMA integrity_check` after every kill (QUALITY.md, Reliability).

Each round a fresh process saves answers in a loop, printing "ACK n" after each save returns; it is
killed with SIGKILL at a random moment and the database is checked (tests/store/save_loop.py).

    .venv/bin/python bench/kill_harness.py [--rounds 300] [--seed N] [--dir FOLDER]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from school_audit.domain.profile import EstablishmentProfile  # noqa: E402
from school_audit.domain.template import Section, Standard, Template  # noqa: E402
from tests.store.save_loop import KillHarness  # noqa: E402


def _template() -> Template:
    return Template(
        id="kill",
        version="1",
        title="Kill harness",
        setting_type="school",
        edition="bench",
        cycle="2025-26",
        sections=[Section(id="A", title="A", standards=[Standard(id="S0", text="S")])],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--seed", type=int, default=random.randrange(2**32))
    parser.add_argument("--dir", help="folder on the disk to test (default: a temporary folder)")
    args = parser.parse_args()
    profile = EstablishmentProfile(
        urn="123456", name="Kill School", setting_type="school", phase="primary"
    )
    with tempfile.TemporaryDirectory(dir=args.dir) as name:
        start = time.perf_counter()
        harness = KillHarness(Path(name) / "audit.sqlite3", (profile, _template()), args.seed)
        report = harness.run(args.rounds)
        elapsed = time.perf_counter() - start
    print(
        f"seed {args.seed}: {report.rounds} kills in {elapsed:.1f} s, "
        f"{report.acknowledged} acknowledged answers"
    )
    print(f"lost acknowledged answers: {len(report.lost)} {report.lost[:10]}")
    print(f"integrity_check failures: {len(report.integrity_failures)}")
    print("RESULT: " + ("OK" if report.ok else "FAILED"))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
