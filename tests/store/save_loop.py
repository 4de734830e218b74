"""The kill -9 harness: processes that save answers in a loop and are killed at random moments.

A child saves answers (and every fourth time an action), printing "ACK <n>" only after the save
returned. The parent kills it with SIGKILL at a random moment, then checks that the database passes
`PRAGMA integrity_check` and holds every acknowledged answer. To keep hundreds of rounds quick, one
warmed-up "server" process (imports done) forks a fresh child for each round:

    python tests/store/save_loop.py serve     # reads "run DATABASE AUDIT_ID FIRST" lines
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from school_audit.domain.audit import Action, Audit, Rating, Response
from school_audit.store import Store

RATINGS = list(Rating)
NAMESPACE = uuid.UUID("5d1b2c9e-0000-4000-8000-000000000000")
SCRIPT = Path(__file__).resolve()
ROOT = SCRIPT.parents[2]


def answer(n: int) -> Response:
    return Response(
        standard_id=f"S{n}",
        rating=RATINGS[n % len(RATINGS)],
        evidence=f"Evidence for answer {n}: minutes, logs, certificates ✓ " * (1 + n % 7),
    )


def action(n: int) -> Action:
    return Action(
        action_id=uuid.uuid5(NAMESPACE, str(n)), standard_id=f"S{n}", description=f"Action {n}"
    )


def save_forever(database: Path, audit_id: uuid.UUID, first: int) -> None:
    store = Store.open(database)
    n = first
    while True:
        store.save_response(audit_id, answer(n))
        if n % 4 == 0:
            store.save_action(audit_id, action(n))
        os.write(1, f"ACK {n}\n".encode())  # unbuffered: the parent sees it as soon as it is true
        n += 1


def serve() -> None:
    for line in sys.stdin:
        _, database, audit_id, first = line.split()
        pid = os.fork()
        if pid == 0:
            try:
                save_forever(Path(database), uuid.UUID(audit_id), int(first))
            finally:
                os._exit(1)
        os.write(1, f"PID {pid}\n".encode())
        os.waitpid(pid, 0)
        os.write(1, b"DONE\n")


@dataclass
class KillReport:
    rounds: int = 0
    acknowledged: int = 0
    lost: list[int] = field(default_factory=list)
    integrity_failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.lost and not self.integrity_failures


class KillHarness:
    """Runs rounds of save-then-SIGKILL against one database file and checks it after each."""

    def __init__(self, database: Path, profile_and_template: tuple, seed: int) -> None:
        self.database = database
        self.random = random.Random(seed)
        with Store.open(database) as store:
            profile, template = profile_and_template
            audit = Audit.start(template, profile)
            store.create_audit(audit)
        self.audit_id = audit.audit_id
        self.acked: set[int] = set()
        self.report = KillReport()
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.server = subprocess.Popen(
            [sys.executable, str(SCRIPT), "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=ROOT,
            bufsize=0,
        )

    def run(self, rounds: int) -> KillReport:
        try:
            for number in range(rounds):
                self._round(first=number * 100_000)
                self._check()
        finally:
            self.close()
        return self.report

    def close(self) -> None:
        if self.server.poll() is None:
            self.server.stdin.close()
            self.server.wait(timeout=10)

    def _round(self, first: int) -> None:
        self.server.stdin.write(f"run {self.database} {self.audit_id} {first}\n".encode())
        self.server.stdin.flush()
        wanted = self.random.randint(0, 12)  # acks to wait for before the kill (0: during open)
        pid, seen = None, 0
        while pid is None or seen < wanted:
            line = self.server.stdout.readline().decode()
            if line.startswith("PID"):
                pid = int(line.split()[1])
            elif line.startswith("ACK"):
                self.acked.add(int(line.split()[1]))
                seen += 1
        time.sleep(self.random.random() * 0.003)  # land anywhere inside the next save
        os.kill(pid, signal.SIGKILL)
        for line in iter(self.server.stdout.readline, b"DONE\n"):
            if line.startswith(b"ACK"):
                self.acked.add(int(line.split()[1]))
        self.report.rounds += 1

    def _check(self) -> None:
        connection = sqlite3.connect(self.database)
        try:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            connection.close()
        if verdict != "ok":
            self.report.integrity_failures.append(verdict)
        with Store.open(self.database) as store:
            audit = store.load_audit(self.audit_id)
        actions = {a.action_id for a in audit.actions}
        self.report.acknowledged = len(self.acked)
        self.report.lost = sorted(
            n
            for n in self.acked
            if audit.responses.get(f"S{n}") != answer(n)
            or (n % 4 == 0 and action(n).action_id not in actions)
        )


if __name__ == "__main__":
    serve()
