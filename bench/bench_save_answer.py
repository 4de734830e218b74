"""Saving one answer through the store (the path behind every autosave) against one raw SQLite
commit of a comparable row on the same disk with the same pragmas.

QUALITY target: a small multiple of the raw commit (aim <= 3x). Both pay the same fsync, so the
ratio shows what the store adds: the draft check, the upsert, the change time, SQLAlchemy.

    .venv/bin/python bench/bench_save_answer.py [--dir FOLDER] [--saves N]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from school_audit.domain.audit import Audit, Rating, Response
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.template import Section, Standard, Template
from school_audit.store import Store

TARGET = 3.0


def _template() -> Template:
    standards = [Standard(id=f"S{n}", text=f"Standard {n}") for n in range(150)]
    return Template(
        id="bench",
        version="1",
        title="Benchmark",
        setting_type="school",
        edition="bench",
        cycle="2025-26",
        sections=[Section(id="A", title="All", standards=standards)],
    )


def _answer(n: int) -> Response:
    return Response(
        standard_id=f"S{n % 150}", rating=list(Rating)[n % 4], evidence=f"Evidence {n} " * 20
    )


def open_raw(folder: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    for pragma in (
        "journal_mode = WAL",
        "synchronous = FULL",
        "foreign_keys = ON",
        "busy_timeout = 2000",
    ):
        connection.execute(f"PRAGMA {pragma}")
    connection.execute(
        "CREATE TABLE responses (audit_id TEXT, standard_id TEXT, rating TEXT, evidence TEXT,"
        " PRIMARY KEY (audit_id, standard_id))"
    )
    return connection


def raw_save(connection: sqlite3.Connection, audit_id: str, answer: Response) -> None:
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(
        "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?)",
        (audit_id, answer.standard_id, answer.rating.value, answer.evidence),
    )
    connection.execute("COMMIT")


def measure(folder: Path, saves: int) -> tuple[list[float], list[float]]:
    """Raw and store saves interleaved, so a busy disk slows both alike."""
    profile = EstablishmentProfile(
        urn="123456", name="Bench School", setting_type="school", phase="primary"
    )
    raw, raw_id = open_raw(folder), str(uuid.uuid4())
    raw_times, store_times = [], []
    with Store.open(folder / "store.sqlite3", backups=folder / "backups") as store:
        audit = Audit.start(_template(), profile)
        store.create_audit(audit)
        store.save_response(audit.audit_id, _answer(0))  # warm up: statement cache, connection
        for n in range(saves):
            answer = _answer(n)
            start = time.perf_counter()
            raw_save(raw, raw_id, answer)
            middle = time.perf_counter()
            store.save_response(audit.audit_id, answer)
            store_times.append(time.perf_counter() - middle)
            raw_times.append(middle - start)
    raw.close()
    return raw_times, store_times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", help="folder on the disk to measure (default: a temporary folder)")
    parser.add_argument("--saves", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as name:
        raw_times, store_times = measure(Path(name), args.saves)
    raw, store = statistics.median(raw_times), statistics.median(store_times)
    ratio = store / raw
    print(
        f"raw sqlite3 commit (WAL, synchronous=FULL): {raw * 1000:.3f} ms (median of {args.saves})"
    )
    print(f"Store.save_response:                        {store * 1000:.3f} ms")
    print(
        f"ratio: {ratio:.2f}x (target <= {TARGET:.0f}x) -> {'OK' if ratio <= TARGET else 'ABOVE TARGET'}"
    )


if __name__ == "__main__":
    main()
