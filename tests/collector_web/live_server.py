"""A real collector process for browser tests: uvicorn in a subprocess on a free loopback port,
against a temporary SQLite database seeded through the real enrolment and ingest code."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from school_audit.collector.db import init_database
from school_audit.collector.db.tables import User
from school_audit.collector.keys import ensure_key_file
from school_audit.collector.settings import ENV_PREFIX
from school_audit.collector.web import passwords
from school_audit.domain.template_loading import load_template
from tests.collector_web import seeding

PASSWORD = "correct horse battery"
USERS = {"admin": "ada", "la_officer": "olive", "steering": "stella"}
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DISTRICTS = ("Bromsgrove", "Malvern Hills", "Redditch", "Worcester", "Wychavon", "Wyre Forest")
PHASES = ("first", "primary", "middle", "secondary")
NAMES = (
    "Hollybank First",
    "Brookside Primary",
    "St Anne's CE Primary",
    "Oakfield Middle",
    "Riverside High",
    "Kingsway Primary",
    "Ashdown First",
    "Meadow View Primary",
    "Castle Hill High",
    "Elmstead Middle",
    "Willow Brook Primary",
    "Fernhill First",
    "Northgate High",
    "Lickey End Primary",
)


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
    """Users of each role and a dozen schools' returns (some weak, one revised, two missing)."""
    database = init_database(f"sqlite:///{home / 'collector.sqlite3'}")
    key, _ = ensure_key_file(home / "collector-signing-key")
    template = load_template((FIXTURES / "mini_school_template.json").read_bytes())
    today = date.today()
    seeding.publish(database, template, today - timedelta(days=3), today + timedelta(days=25))
    hashed = passwords.hash_password(PASSWORD)
    with database.write() as session:
        for role, username in USERS.items():
            session.add(User(username=username, role=role, password_hash=hashed))
    rng = random.Random(2026)
    ids: dict[str, Any] = {"returns": []}
    for number, name in enumerate(NAMES):
        school = seeding.add_school(
            database,
            str(116200 + number),
            f"{name} School",
            PHASES[number % 4],
            DISTRICTS[number % 6],
            "academy" if number % 3 else "maintained",
        )
        if number >= len(NAMES) - 2:
            continue  # expected but not yet returned
        ratings = {
            sid: rng.choice(["met", "met", "met", "partially_met", "not_met"])
            for sid in seeding.ALL_MET
        }
        envelope = seeding.envelope_for(school, template, ratings)
        ids["returns"].append(seeding.submit(database, key, school, envelope))
        ids.setdefault("tokens", {})[envelope["submission_id"]] = school.token
    weak = seeding.add_school(
        database, "116300", "Brook Lane Primary School", "primary", "Worcester"
    )
    first = seeding.envelope_for(weak, template, seeding.WEAK)
    ids["revised_first"] = seeding.submit(database, key, weak, first)
    second = seeding.envelope_for(
        weak,
        template,
        dict(seeding.WEAK, A2="met"),
        revision=2,
        audit_id=first["audit_id"],
        supersedes=first["submission_id"],
        evidence="Board minutes of 4 March now attached.",
    )
    ids["weak"] = seeding.submit(database, key, weak, second)
    ids["tokens"][ids["weak"]] = weak.token
    ids["accept_me"] = ids["returns"][0]
    database.dispose()
    return ids


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
