"""Kill the mail worker (SIGKILL, in a subprocess) at each step of a send, then let a new worker
finish: every queued message arrives, and no Message-ID arrives more than twice or with two
different contents."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from school_audit.collector.db.tables import OutgoingMail
from school_audit.collector.db.types import utc_now
from school_audit.collector.mail.contacts import Recipient
from school_audit.collector.mail.queue import enqueue
from school_audit.collector.mail.worker import MailWorker

ROOT = Path(__file__).resolve().parents[2]
FACTS = {"establishment_name": "Hollybank First School", "urn": "123456", "cycle": "2025-26",
         "received_on": "2026-02-10", "quarantined": False}  # fmt: skip


def queue_five(world) -> list[str]:
    with world.database.write() as session:
        return [
            enqueue(
                session,
                "return_received",
                Recipient("dsl", f"dsl{i}@school.example.org", ""),
                FACTS,
                urn="123456",
                cycle="2025-26",
            )  # fmt: skip
            for i in range(5)
        ]


def crash_worker(world, smtp, step: str, victim: str, hours_ahead: int = 0) -> int:
    settings = world.settings
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.collector_mail.crashing_worker",
            settings.resolved_database_url,
            str(settings.home),
            str(smtp.port),
            step,
            victim,
            str(hours_ahead),
        ],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    return done.returncode


@pytest.mark.parametrize(
    ("step", "copies_of_victim"), [("before_connect", 1), ("accepted", 2), ("marked", 1)]
)
def test_a_worker_killed_at_any_step_loses_nothing_and_never_sends_a_third_copy(
    world, smtp, step, copies_of_victim
):
    ids = queue_five(world)
    victim = ids[2]
    assert crash_worker(world, smtp, step, victim) == -9  # it really died there
    # The dead worker's lease runs out; the next worker (an hour later) finishes the queue.
    later = utc_now() + timedelta(hours=1)
    MailWorker(world.database, world.settings, clock=lambda: later).run_once()
    MailWorker(world.database, world.settings, clock=lambda: later + timedelta(hours=1)).run_once()

    copies: dict[str, set[bytes]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for arrived in smtp.inbox.arrived:
        copies[arrived.message_id].add(arrived.data)
        counts[arrived.message_id] += 1
    assert set(counts) == set(ids)  # every queued message arrived
    assert all(len(contents) == 1 for contents in copies.values())  # never two contents
    assert max(counts.values()) <= 2
    assert counts[victim] == copies_of_victim
    assert all(counts[other] == 1 for other in ids if other != victim)
    with world.database.read() as session:
        assert {row.status for row in session.scalars(select(OutgoingMail))} == {"sent"}


def test_a_message_whose_send_is_cut_off_twice_is_not_tried_a_third_time(world, smtp):
    ids = queue_five(world)
    victim = ids[0]
    assert crash_worker(world, smtp, "accepted", victim) == -9
    assert crash_worker(world, smtp, "accepted", victim, hours_ahead=1) == -9
    later = utc_now() + timedelta(hours=2)
    report = MailWorker(world.database, world.settings, clock=lambda: later).run_once()
    assert report.sent == 4 and "cut off twice" in report.failed[0][1]
    copies = [a for a in smtp.inbox.arrived if a.message_id == victim]
    assert len(copies) == 2 and copies[0].data == copies[1].data  # never a third
    with world.database.read() as session:
        row = session.scalar(select(OutgoingMail).where(OutgoingMail.message_id == victim))
    assert row.status == "failed" and "may have arrived" in row.last_error


def test_after_two_cut_offs_before_sending_the_la_can_send_it_again(world, smtp):
    from school_audit.collector.mail.status import mail_summary, requeue

    ids = queue_five(world)
    victim = ids[1]
    assert crash_worker(world, smtp, "before_connect", victim) == -9
    assert crash_worker(world, smtp, "before_connect", victim, hours_ahead=1) == -9
    later = utc_now() + timedelta(hours=2)
    MailWorker(world.database, world.settings, clock=lambda: later).run_once()
    assert victim not in {a.message_id for a in smtp.inbox.arrived}
    with world.database.write() as session:
        [failed] = mail_summary(session).failed
        assert requeue(session, [failed.id], actor="olive") == [failed.id]
    MailWorker(world.database, world.settings, clock=lambda: later).run_once()
    assert [a.message_id for a in smtp.inbox.arrived].count(victim) == 1
