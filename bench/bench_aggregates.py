"""The dashboard's compliance and overview data against the raw SQL aggregate, at scale.

Seeds N returns of about 150 answers each (the built-in school template's first 150 rated
standards; ratings mostly met) from N schools, straight into the tables (the answer rows ingest
would write; signing is measured by bench_ingest.py, not here), into SQLite and PostgreSQL. Then,
on the same database, times:

  floor:  the raw SQL aggregate the page needs, run through the bare DB-API cursor
          (compliance: one GROUP BY standard, rating over current answers of the cycle;
           by trust: the same joined to the register and grouped by its trust;
           overview: the register left-joined to the cycle's returns, grouped by breakdown,
           then again by trust and by size band);
  page:   the functions the dashboard renders (`compliance()`, `compliance(..., "phase")`,
          `compliance(..., "trust")`, `overview()`), parsing the template and building the dataclasses included.
          Compliance reads the kept counts (aggregate/kept.py), which the seed builds once
          with `kept.rebuild` after loading the rows, as ingest would have kept them.

Target (issue "aggregates that cost the same at 250 returns and at 25,000"): every page at the
largest --returns within 2x of itself at the smallest, and under 100 ms. The pages read kept
counts (a row per group), so the raw scan is shown for context only: it grows with the returns.
The seed times `rebuild-aggregates` (set-based SQL) on the full data as well.

    .venv/bin/python bench/bench_aggregates.py [--returns 1000 25000] [--repeat 15]
        [--skip-postgres] [--postgres-url URL]
(--postgres-url: an empty database to use; otherwise a throwaway server is started.)
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from school_audit.collector.aggregate import kept  # noqa: E402
from school_audit.collector.aggregate.compliance import compliance  # noqa: E402
from school_audit.collector.aggregate.overview import overview  # noqa: E402
from school_audit.collector.catalog import publish_template  # noqa: E402
from school_audit.collector.cycles import open_cycle  # noqa: E402
from school_audit.collector.db import Database, init_database  # noqa: E402
from school_audit.collector.db.tables import Answer  # noqa: E402
from school_audit.content import builtin_template  # noqa: E402

CYCLE = "2025-26"
GROWTH = 2.0  # the page at the largest size within this of itself at the smallest
LIMIT_MS = 100.0
PHASES = ["first", "primary", "middle_deemed_secondary", "high", "secondary", "special", "infant"]
DISTRICTS = [f"District {n}" for n in range(12)]
TYPES = ["maintained", "academy", "independent", "free_school"]
TRUSTS = [None] * 40 + [f"Trust {n}" for n in range(40)]  # about half the schools in a trust
RATING_WEIGHTS = (
    (["met"] * 85) + (["partially_met"] * 10) + (["not_met"] * 3) + ["not_applicable"] * 2
)
PG_BIN = Path("/usr/lib/postgresql/15/bin")

RAW_COMPLIANCE = (
    "SELECT standard_id, rating, count(*) FROM answers "
    "WHERE cycle = '2025-26' AND current = {true} GROUP BY standard_id, rating"
)
RAW_BY_PHASE = (
    "SELECT phase, standard_id, rating, count(*) FROM answers "
    "WHERE cycle = '2025-26' AND current = {true} GROUP BY phase, standard_id, rating"
)
RAW_BY_TRUST = (
    "SELECT e.trust_name, a.standard_id, a.rating, count(*) FROM answers a "
    "JOIN submissions s ON s.submission_id = a.submission_id "
    "JOIN establishments e ON e.urn = s.urn "
    "WHERE a.cycle = '2025-26' AND a.current = {true} AND s.cycle = '2025-26' "
    "GROUP BY e.trust_name, a.standard_id, a.rating"
)
SIZE = (
    "CASE WHEN e.pupils IS NULL THEN 9 WHEN e.pupils <= 100 THEN 0 WHEN e.pupils <= 250 THEN 1 "
    "WHEN e.pupils <= 500 THEN 2 WHEN e.pupils <= 1000 THEN 3 ELSE 4 END"
)
OVERVIEW = (
    "SELECT {keys}, count(*), count(s.urn), "
    "sum(CASE WHEN s.first_at < '2026-02-14' THEN 1 ELSE 0 END), "
    "sum(CASE WHEN s.accepted = 1 THEN 1 ELSE 0 END) "
    "FROM establishments e LEFT JOIN (SELECT urn, min(received_at) AS first_at, "
    "max(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END) AS accepted FROM submissions "
    "WHERE cycle = '2025-26' GROUP BY urn) s ON s.urn = e.urn "
    "WHERE e.status = 'open' AND e.setting_type = 'school' "
    "AND e.urn NOT IN (SELECT urn FROM exemptions WHERE cycle = '2025-26') "
    "GROUP BY {keys}"
)
# As the page does: one query for the four breakdowns crossed, one for trust, one for size.
RAW_OVERVIEW = [
    OVERVIEW.format(keys=keys)
    for keys in ("e.setting_type, e.phase, e.type_group, e.district", "e.trust_name", SIZE)
]


def seed(database: Database, returns: int, rng: random.Random) -> None:
    template = builtin_template("school-s175", "2025-26.1")
    standards = [s.id for s in template.standards() if s.is_rated][:150]
    with database.write() as session:
        publish_template(session, template, CYCLE)
        open_cycle(session, CYCLE, [(template.id, template.version)], date(2026, 2, 13),
                   date(2026, 2, 27), "bench")  # fmt: skip
    schools = [_school(n, rng) for n in range(returns)]
    submissions = [_submission(school, rng) for school in schools]
    answers = (
        (sub[0], sid, rng.choice(RATING_WEIGHTS), "", None, None, school[0], CYCLE, school[3],
         school[4], "school", True)
        for school, sub in zip(schools, submissions, strict=True)
        for sid in standards
    )  # fmt: skip
    # Load without the answer indexes and build them afterwards, as a bulk load would: the
    # queries measured below then run on exactly the indexes the migrations create.
    indexes = list(Answer.__table__.indexes)
    with database.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        if database.sqlite:  # outside any transaction; this connection only
            raw.execute("PRAGMA synchronous=OFF")
        with connection.begin():
            for index in indexes:
                index.drop(connection)
            loader = _insert_rows if database.sqlite else _copy_rows
            loader(raw, "establishments", ESTABLISHMENT_COLUMNS, schools)
            loader(raw, "submissions", SUBMISSION_COLUMNS, submissions)
            loader(raw, "answers", ANSWER_COLUMNS, answers)
            current = ((sub[0], CYCLE, sub[3], "school", "{}") for sub in submissions)
            loader(raw, "current_returns", CURRENT_COLUMNS, current)
            for index in indexes:
                index.create(connection)
    with database.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    # The kept counts ingest would have written as the returns arrived, made in one go.
    start = time.perf_counter()
    with database.write() as session:
        kept.rebuild_all(session.connection())
    print(f"    kept counts rebuilt in {time.perf_counter() - start:.1f} s")


ESTABLISHMENT_COLUMNS = ["urn", "name", "setting_type", "phase", "district", "type_group",
                         "status", "source", "updated_at", "trust_name", "pupils"]  # fmt: skip
SUBMISSION_COLUMNS = [
    "submission_id", "audit_id", "revision", "urn", "cycle", "setting_type", "phase", "district",
    "template_id", "template_version", "template_sha256", "envelope", "envelope_sha256",
    "signature", "device_key_id", "status", "received_at", "signed_at",
]  # fmt: skip
CURRENT_COLUMNS = ["submission_id", "cycle", "urn", "setting_type", "counted_as"]
ANSWER_COLUMNS = ["submission_id", "standard_id", "rating", "evidence", "na_reason", "dates",
                  "urn", "cycle", "phase", "district", "setting_type", "current"]  # fmt: skip


def _school(n: int, rng: random.Random) -> tuple:  # type: ignore[type-arg]
    urn = f"{100000 + n}"
    return (urn, f"School {n}", "school", rng.choice(PHASES), rng.choice(DISTRICTS),
            rng.choice(TYPES), "open", "gias", datetime.now(UTC), rng.choice(TRUSTS),
            None if rng.random() < 0.1 else rng.randint(20, 1800))  # fmt: skip


def _submission(school: tuple, rng: random.Random) -> tuple:  # type: ignore[type-arg]
    received = datetime(2026, 1, 10, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 60 * 24 * 40))
    status = rng.choice(["received", "accepted", "accepted"])
    return (str(uuid.uuid4()), str(uuid.uuid4()), 1, school[0], CYCLE, "school", school[3],
            school[4], "school-s175", "2025-26.1", "0" * 64, b"{}", "0" * 64, "-", "bench",
            status, received, received)  # fmt: skip


def _insert_rows(raw, table: str, columns: list[str], rows) -> None:  # type: ignore[no-untyped-def]
    marks = ", ".join("?" for _ in columns)
    cursor = raw.cursor()
    converted = (tuple(_sqlite_value(v) for v in row) for row in rows)
    cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", converted)


def _sqlite_value(value):  # type: ignore[no-untyped-def]
    # The same text form UtcDateTime stores, so the aggregates compare like with like.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(value, datetime) else value


def _copy_rows(raw, table: str, columns: list[str], rows) -> None:  # type: ignore[no-untyped-def]
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def timed(action: Callable[[], object], repeat: int) -> float:
    """The best of `repeat` runs: on a shared machine the other runs measure its other work."""
    action()  # warm caches (template parse, page cache) as a running dashboard would have them
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return min(samples)


def measure(database: Database, repeat: int) -> list[tuple[str, float, float]]:
    true = "1" if database.sqlite else "true"

    def raw(*queries: str) -> Callable[[], object]:
        def run() -> object:
            with database.engine.connect() as connection:
                cursor = connection.connection.dbapi_connection.cursor()
                for sql in queries:
                    cursor.execute(sql.replace("{true}", true))
                    rows = cursor.fetchall()
                return rows

        return run

    once = 1  # the floor is context now (a scan, seconds at national scale): timed once

    def page(call: Callable[..., object], *args: object) -> Callable[[], object]:
        def run() -> object:
            with database.read() as session:
                return call(session, CYCLE, *args)

        return run

    return [
        ("compliance", timed(raw(RAW_COMPLIANCE), once), timed(page(compliance, "school"), repeat)),
        ("compliance by phase", timed(raw(RAW_BY_PHASE), once),
         timed(page(compliance, "school", "phase"), repeat)),
        ("compliance by trust", timed(raw(RAW_BY_TRUST), once),
         timed(page(compliance, "school", "trust"), repeat)),
        ("overview", timed(raw(*RAW_OVERVIEW), once), timed(page(overview), repeat)),
    ]  # fmt: skip


@contextmanager
def postgres(url: str | None) -> Iterator[Callable[[], str]]:
    """A factory of empty PostgreSQL databases (on a throwaway server unless `url` is given)."""
    import psycopg

    with _server(url) as server:

        def fresh() -> str:
            name = "bench_" + uuid.uuid4().hex[:10]
            with psycopg.connect(server.replace("+psycopg", ""), autocommit=True) as connection:
                connection.execute(f'CREATE DATABASE "{name}"')
            return server.rsplit("/", 1)[0] + "/" + name

        yield fresh


@contextmanager
def _server(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    folder = Path(tempfile.mkdtemp(prefix="pg-bench-"))
    folder.chmod(0o755)
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = folder / "data"
    subprocess.run([*as_pg, str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A",
                    "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], check=True,
                   capture_output=True)  # fmt: skip
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off"
    subprocess.run([*as_pg, str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"),
                    "-w", "-o", options, "start"], check=True, capture_output=True)  # fmt: skip
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_pg, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def run_one(kind: str, url: str, returns: int, repeat: int) -> list[tuple[str, float, float]]:
    database = init_database(url)
    start = time.perf_counter()
    seed(database, returns, random.Random(returns))
    print(
        f"  {kind}: seeded {returns:,} returns x 150 answers in {time.perf_counter() - start:.1f} s"
    )
    try:
        return measure(database, repeat)
    finally:
        database.dispose()


def main() -> int:
    # Stop the throwaway PostgreSQL server on Ctrl-C or kill, not only on a normal end.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--returns", type=int, nargs="+", default=[1000, 25000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--postgres-url")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder, postgres(args.postgres_url) as fresh_pg:
        for returns in args.returns:
            sqlite_url = f"sqlite:///{Path(folder) / f'bench-{returns}.sqlite3'}"
            for kind, url in [("sqlite", sqlite_url)] + (
                [] if args.skip_postgres else [("postgresql", fresh_pg())]
            ):
                results += [
                    (kind, returns, *row) for row in run_one(kind, url, returns, args.repeat)
                ]
    print(f"\n{'database':<11} {'returns':>8} {'view':<20} {'raw scan':>9} {'page':>9}")
    for kind, returns, view, floor, page in results:
        print(f"{kind:<11} {returns:>8,} {view:<20} {floor * 1000:>7.1f}ms {page * 1000:>7.1f}ms")
    return 0 if print_growth(results, min(args.returns), max(args.returns)) else 1


def print_growth(results: list, smallest: int, national: int) -> bool:  # type: ignore[type-arg]
    """Each page at the largest size against itself at the smallest: within GROWTH and under
    LIMIT_MS is the target."""
    page = {(kind, returns, view): seconds for kind, returns, view, _, seconds in results}
    scale = national / smallest
    print(f"\ngrowth of each page from {smallest:,} to {national:,} returns ({scale:.0f}x more):")
    met = True
    for kind, returns, view, _, _ in results:
        if returns != national or not page.get((kind, smallest, view)):
            continue
        growth = page[(kind, national, view)] / page[(kind, smallest, view)]
        ms = page[(kind, national, view)] * 1000
        ok = growth <= GROWTH and ms < LIMIT_MS
        met = met and ok
        verdict = "ok" if ok else f"MISSED (target <= {GROWTH:.0f}x and < {LIMIT_MS:.0f} ms)"
        print(f"{kind:<11} {view:<20} {growth:>6.2f}x  {ms:>6.1f} ms  {verdict}")
    print("target met" if met else "target MISSED")
    return met


if __name__ == "__main__":
    raise SystemExit(main())
