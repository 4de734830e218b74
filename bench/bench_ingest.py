"""Collector ingest over real HTTP against a bare floor and the project's own plain loop.

Seeds N correctly signed returns of the built-in school template (about 150 answered standards,
evidence text, actions), one per school, so each becomes current and updates the kept counts. Then:
  bare:   the least any collector must do per return, written plainly: parse the body, the RFC 8785
          bytes of the envelope, one Ed25519 verification, SHA-256, and one SQLite transaction
          (WAL, synchronous=FULL, like the collector) holding the return and its answer rows,
          one return after another. It runs twice, before and after the HTTP run, and the
          better of the two is the floor (a machine shared with other work slows one run or
          the other; the target is judged against the faster);
  loop:   a plain loop that parses each body, validates, canonicalises, verifies the signature and
          stores it through the same Ingestor (no HTTP, no FastAPI), one return after another;
  http:   `school-audit-collector serve` (uvicorn, one worker) on loopback, fed by --clients
          client threads at once (default 8: a collector hears from many schools at the same
          time, and returns that arrive together share a commit: ingest/group_commit.py). Each
          return is answered only after the commit that made it durable (synchronous=FULL).
Each run gets a fresh database. The first return of each client (of the loop, of the floor) is
not timed: it pays the one-off costs of a fresh process (the template parsed, the statements
compiled). QUALITY target: http >= 0.5 x bare (the exit code says); the ratio to the plain loop
shows what HTTP itself costs, and CPU per return is printed beside each rate, as the wall clock
of a shared machine depends on what else runs.

    .venv/bin/python bench/bench_ingest.py [--returns N] [--clients 8] [--database-url URL]
(--database-url: an empty PostgreSQL database to use instead of SQLite; it is emptied between runs.)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import rfc8785

from school_audit.collector.catalog import publish_template
from school_audit.collector.db import Database, init_database
from school_audit.collector.db.tables import Device, Establishment, metadata
from school_audit.collector.devices import DeviceIdentity, secret_hash
from school_audit.collector.ingest import Ingestor
from school_audit.collector.keys import ensure_key_file
from school_audit.content import builtin_template
from school_audit.domain.audit import Action, Audit, Rating, Response, SignOff, SignOffRole
from school_audit.domain.envelope import Envelope, build_envelope
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.template import Template
from school_audit.signing import SigningKey, sign_canonical
from school_audit.signing.signatures import verify

TARGET = 0.5


def school(n: int) -> tuple[EstablishmentProfile, SigningKey, str]:
    profile = EstablishmentProfile(
        urn=f"{300000 + n}",
        name=f"Bench School {n}",
        setting_type="school",
        phase="primary",
        la_code="885",
        district=f"District {n % 7}",
        flags={"has_eyfs": True},
    )
    return profile, SigningKey.generate(), f"bench-token-{n}-{uuid.uuid4().hex}"


def signed_body(
    template: Template, profile: EstablishmentProfile, key: SigningKey, n: int
) -> bytes:
    audit = Audit.start(template, profile)
    ratings = [Rating.MET, Rating.MET, Rating.PARTIALLY_MET, Rating.NOT_MET]
    for i, standard in enumerate(template.applicable(profile.phase, profile.flags)):
        if not standard.is_rated:
            continue
        rating = Rating.MET if standard.statutory else ratings[(i + n) % 4]
        dates = {d.key: date(2025, 9, 1) for d in standard.dates}
        evidence = f"Policy reviewed at the governors' meeting; records kept in the office ({i})."
        audit.responses[standard.id] = Response(
            standard_id=standard.id, rating=rating, evidence=evidence, dates=dates
        )
        if rating in (Rating.PARTIALLY_MET, Rating.NOT_MET):
            audit.actions.append(
                Action(
                    standard_id=standard.id,
                    description="Update the procedure and brief staff.",
                    owner_role="DSL",
                    target_date=date(2026, 7, 1),
                )
            )
    audit.sign_off.append(
        SignOff(
            role=SignOffRole.DSL,
            name="Alex Morgan",
            statement="Confirmed.",
            signed_at=datetime(2026, 3, 1, tzinfo=UTC),
        )
    )
    envelope = build_envelope(
        audit, template, device_key_id=key.key_id, signed_at=datetime(2026, 3, 2, tzinfo=UTC)
    )
    return json.dumps({"envelope": envelope, "signature": sign_canonical(key, envelope)}).encode()


def seed(
    database: Database,
    template: Template,
    schools: list[tuple[EstablishmentProfile, SigningKey, str]],
) -> None:
    with database.write() as session:
        publish_template(session, template)
        for profile, key, token in schools:
            session.add(
                Establishment(
                    urn=profile.urn,
                    name=profile.name,
                    setting_type="school",
                    phase=profile.phase,
                    district=profile.district,
                    status="open",
                )
            )
            session.flush()
            session.add(
                Device(
                    device_id=str(uuid.uuid4()),
                    device_key_id=key.key_id,
                    urn=profile.urn,
                    public_key=key.public_key_b64,
                    token_hash=secret_hash(token),
                    name="bench",
                )
            )


def fresh_database(url: str) -> Database:
    database = init_database(url)
    if not database.sqlite:
        with database.write() as session:
            names = ", ".join(t.name for t in metadata.sorted_tables)
            session.execute(
                __import__("sqlalchemy").text(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            )
    return database


def run_bare(path: Path, schools: list, bodies: list) -> float:
    """The bare floor: no validation, no aggregate indexes, nothing but the essential work."""
    keys = {profile.urn: key.public_key_b64 for profile, key, _ in schools}
    path.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute(
        "CREATE TABLE returns (submission_id TEXT PRIMARY KEY, envelope BLOB, sha256 TEXT)"
    )
    connection.execute(
        "CREATE TABLE answers (submission_id TEXT, standard_id TEXT, rating TEXT, evidence TEXT)"
    )

    def store(urn: str, body: bytes) -> None:
        parsed = json.loads(body)
        envelope = parsed["envelope"]
        canonical = rfc8785.dumps(envelope)
        verify(keys[urn], canonical, parsed["signature"])
        digest = hashlib.sha256(canonical).hexdigest()
        submission_id = envelope["submission_id"]
        answers = [
            (submission_id, r["standard_id"], r["rating"], r["evidence"])
            for r in envelope["responses"]
        ]
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "INSERT INTO returns VALUES (?, ?, ?)", (submission_id, canonical, digest)
        )
        connection.executemany("INSERT INTO answers VALUES (?, ?, ?, ?)", answers)
        connection.execute("COMMIT")

    store(*bodies[0])  # not timed, as for the others
    started, cpu_started = time.perf_counter(), time.process_time()
    for urn, body in bodies[1:]:
        store(urn, body)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    connection.close()
    timed = len(bodies) - 1
    print(
        f"bare floor: {1000 * cpu / timed:.1f} ms CPU per return, "
        f"{1000 * elapsed / timed:.1f} ms wall"
    )
    return timed / elapsed


def run_floor(url: str, key_file: Path, template: Template, schools: list, bodies: list) -> float:
    database = fresh_database(url)
    seed(database, template, schools)
    ingestor = Ingestor(database, ensure_key_file(key_file)[0])
    identities = {}
    for profile, key, _ in schools:
        identities[profile.urn] = DeviceIdentity(
            "bench",
            key.key_id,
            key.public_key_b64,
            profile.urn,
            "school",
            profile.phase,
            profile.district,
        )

    def store(urn: str, body: bytes) -> None:
        parsed = json.loads(body)
        envelope = Envelope.model_validate(parsed["envelope"])
        result = ingestor.ingest(parsed["envelope"], parsed["signature"], identities[urn], envelope)
        assert result.created

    store(*bodies[0])  # not timed: the template is parsed once per process
    started, cpu_started = time.perf_counter(), time.process_time()
    for urn, body in bodies[1:]:
        store(urn, body)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    database.dispose()
    timed = len(bodies) - 1
    # CPU per return shows what an idle core could do when the wall clock is shared with others.
    print(
        f"plain loop: {1000 * cpu / timed:.1f} ms CPU per return, {1000 * elapsed / timed:.1f} ms wall"
    )
    return timed / elapsed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_http(
    url: str,
    home: Path,
    template: Template,
    schools: list,
    bodies: list,
    clients: int,
    workers: int,
) -> float:
    database = fresh_database(url)
    seed(database, template, schools)
    database.dispose()
    port = free_port()
    env = {
        **os.environ,
        "SCHOOL_AUDIT_COLLECTOR_HOME": str(home),
        "SCHOOL_AUDIT_COLLECTOR_DATABASE_URL": url,
    }
    # The access log goes to a file: an unread pipe would fill up and stall the server.
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "school_audit.collector.cli.main",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, server, home / "server.log")
        tokens = {profile.urn: token for profile, _, token in schools}
        rate, cpu = post_all(base, bodies, tokens, clients, server.pid)
        if cpu is not None:
            print(f"over HTTP: {1000 * cpu:.1f} ms of the server's CPU per return")
        return rate
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def wait_until_up(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = log.read_text(errors="replace")[-2000:]
            raise SystemExit("the collector did not start: " + output)
        try:
            httpx.get(base + "/api/v1/healthz", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the collector did not answer within a minute")


def post_all(
    base: str, bodies: list, tokens: dict[str, str], clients: int, server: int
) -> tuple[float, float | None]:
    """Returns per second once every client has sent its first (untimed) return, and the
    server's CPU seconds per return over the same stretch (None where /proc is not there)."""
    failures: list[str] = []
    shares = [bodies[i::clients] for i in range(clients)]
    warm = threading.Barrier(clients + 1, timeout=300)

    def worker(share: list) -> None:
        warmed = False
        try:
            with httpx.Client(base_url=base, timeout=60) as http:
                for index, (urn, body) in enumerate(share):
                    headers = {
                        "Authorization": f"Bearer {tokens[urn]}",
                        "Content-Type": "application/json",
                    }
                    response = http.post("/api/v1/submissions", content=body, headers=headers)
                    if response.status_code != 201:
                        failures.append(f"{response.status_code} {response.text[:200]}")
                    if index == 0:
                        warmed = True
                        warm.wait()
        except Exception as error:  # noqa: BLE001 - reported below with the failed uploads
            failures.append(f"{type(error).__name__}: {error}")
        finally:
            if not warmed:  # so that the others are not kept waiting
                warm.wait()

    threads = [threading.Thread(target=worker, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    warm.wait()
    started, cpu_started = time.perf_counter(), cpu_seconds(server)
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu_ended = cpu_seconds(server)
    if failures:
        raise SystemExit(f"{len(failures)} uploads failed, e.g. {failures[0]}")
    timed = len(bodies) - sum(1 for share in shares if share)
    cpu = None
    if cpu_started is not None and cpu_ended is not None:
        cpu = (cpu_ended - cpu_started) / timed
    return timed / elapsed, cpu


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU of a process and its children (the workers), from /proc."""
    total, pending = 0.0, [pid]
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    try:
        while pending:
            current = pending.pop()
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
    except (OSError, ValueError, IndexError):
        return None
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--returns", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8, help="concurrent uploads (default 8)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--database-url", help="empty PostgreSQL database (default: SQLite files)")
    args = parser.parse_args()
    if args.returns < 2 * args.clients:
        parser.error("--returns must be at least twice --clients (each client's first is untimed)")
    template = builtin_template("school-s175")
    # One school per return: each is the school's current return and counts (a second audit of
    # a school would be quarantined as a duplicate, which skips the kept counts).
    schools = [school(n) for n in range(args.returns)]
    bodies = [
        (schools[n][0].urn, signed_body(template, *schools[n][:2], n)) for n in range(args.returns)
    ]
    size = sum(len(b) for _, b in bodies) / len(bodies)
    print(
        f"{args.returns} returns of {template.id} {template.version}, {size / 1024:.0f} KB each on average"
    )
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        url_floor = args.database_url or f"sqlite:///{home / 'floor.sqlite3'}"
        url_http = args.database_url or f"sqlite:///{home / 'http.sqlite3'}"
        bare_before = run_bare(home / "bare.sqlite3", schools, bodies)
        floor = run_floor(url_floor, home / "collector-signing-key", template, schools, bodies)
        http = run_http(url_http, home, template, schools, bodies, args.clients, args.workers)
        bare_after = run_bare(home / "bare.sqlite3", schools, bodies)
    bare = max(bare_before, bare_after)
    ratio = http / bare
    print(
        f"bare floor (parse, RFC 8785, verify, SHA-256, one transaction): {bare:8.1f} returns/s "
        f"(the better of {bare_before:.1f} before and {bare_after:.1f} after the HTTP run)"
    )
    print(f"plain loop (the project's verify + insert, one at a time): {floor:8.1f} returns/s")
    print(f"over HTTP ({args.clients} clients, {args.workers} workers): {http:8.1f} returns/s")
    print(f"ratio http/plain loop: {http / floor:.2f}")
    print(
        f"ratio http/bare floor: {ratio:.2f} (target >= {TARGET}) -> "
        f"{'PASS' if ratio >= TARGET else 'FAIL'}"
    )
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
