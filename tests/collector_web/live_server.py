"""A real collector process for browser tests: uvicorn in a subprocess on a free loopback port,
against a temporary SQLite database seeded through the real enrolment and ingest code."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from school_audit.collector.aggregate.common import cycle_template
from school_audit.collector.db import init_database
from school_audit.collector.db.tables import Submission
from school_audit.collector.demo.seed import seed_demo
from school_audit.collector.keys import ensure_key_file
from school_audit.collector.settings import ENV_PREFIX
from tests.collector_web import seeding

PASSWORD = "correct horse battery"
USERS = {"admin": "admin", "la_officer": "officer", "steering": "steering"}  # the demo's users
CYCLE = "2025-26"


@dataclass
class LiveCollector:
    url: str
    home: Path
    process: subprocess.Popen[bytes]
    ids: dict[str, Any] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def seed(home: Path) -> dict[str, Any]:
    """The demo LA (register, two cycles, ~70 signed returns, users of each role), plus two
    schools of our own whose device tokens we keep: one return to accept, one revised return."""
    database = init_database(f"sqlite:///{home / 'collector.sqlite3'}")
    key, _ = ensure_key_file(home / "collector-signing-key")
    seed_demo(database, key, home / "demo-files", password=PASSWORD)
    with database.read() as session:
        template = cycle_template(session, CYCLE, "school")
        received = list(session.scalars(
            select(Submission.submission_id)
            .where(Submission.cycle == CYCLE, Submission.status == "received")
            .order_by(Submission.urn)
        ))  # fmt: skip
    assert template is not None
    ids: dict[str, Any] = {"received": received, "tokens": {}}
    steady = seeding.add_school(database, "990801", "Ash Grove First School", "first", "Wychavon")
    envelope = seeding.envelope_for(steady, template, seeding.applicable_ratings(template, "first"))
    ids["accept_me"] = seeding.submit(database, key, steady, envelope)
    ids["tokens"][ids["accept_me"]] = steady.token
    weak = seeding.add_school(
        database, "990802", "Brook Lane Primary School", "primary", "Worcester"
    )
    statutory = [s.id for s in template.applicable("primary", {}) if s.statutory and s.is_rated]
    first_ratings = seeding.applicable_ratings(
        template, "primary", **{statutory[0]: "not_met", statutory[1]: "partially_met"}
    )
    first = seeding.envelope_for(weak, template, first_ratings)
    ids["revised_first"] = seeding.submit(database, key, weak, first)
    second = seeding.envelope_for(
        weak, template, dict(first_ratings, **{statutory[1]: "met"}), revision=2,
        audit_id=first["audit_id"], supersedes=first["submission_id"],
        evidence_for={statutory[1]: "Board minutes of 4 March now attached."},
    )  # fmt: skip
    ids["weak"] = seeding.submit(database, key, weak, second)
    ids["weak_changed"] = statutory[1]
    ids["weak_not_met"] = statutory[0]
    ids["tokens"][ids["weak"]] = weak.token
    ids["flagged"] = _flagged_return(database, key, template, statutory[0])
    database.dispose()
    return ids


FLAGGED_EVIDENCE = (
    "Referral for pupil Jayden Smith followed up with children's services, case ref: CP-20931. "
    "Log reviewed with the DSL and Xanthe Quillfeather's key worker."
)


def _flagged_return(database: Any, key: Any, template: Any, standard_id: str) -> str:
    """A return whose evidence names a child, for the redaction pages."""
    school = seeding.add_school(database, "990803", "Cedar Lane Primary School", "primary")
    ratings = seeding.applicable_ratings(template, "primary", **{standard_id: "not_met"})
    envelope = seeding.envelope_for(
        school, template, ratings, evidence_for={standard_id: FLAGGED_EVIDENCE}
    )
    return seeding.submit(database, key, school, envelope)


def start(home: Path) -> LiveCollector:
    ids = seed(home)
    port = free_port()
    env = dict(os.environ, **{ENV_PREFIX + "HOME": str(home)})
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "school_audit.collector.app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    _wait_until_up(url, process)
    return LiveCollector(url, home, process, ids)


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                "the collector exited: " + (process.stderr.read() or b"").decode()[-2000:]
            )
        try:
            with urllib.request.urlopen(url + "/api/v1/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the collector did not start within 30 seconds")


def stop(live: LiveCollector) -> None:
    live.process.terminate()
    try:
        live.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        live.process.kill()
        live.process.wait()
