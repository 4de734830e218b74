"""Two mail workers and two reminder runs at the same moment, on SQLite and on a real
PostgreSQL server: each message arrives once, each reminder step is taken once."""

from __future__ import annotations

import shutil
import threading
from collections import Counter

import pytest

from school_audit.collector.mail.contacts import Recipient
from school_audit.collector.mail.queue import enqueue
from school_audit.collector.mail.reminders import send_reminders
from school_audit.collector.mail.worker import MailWorker
from tests.collector.factories import CollectorWorld
from tests.collector_mail.conftest import mail_settings
from tests.collector_mail.county import CYCLE, FIRST, build_county
from tests.pg_server import PostgresServer, empty_collector_tables


@pytest.fixture(scope="module")
def pg_url():
    server = PostgresServer.start()
    yield server.fresh_collector_database()
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_world(request, tmp_path, smtp, sqlite_schema_file):
    if request.param == "sqlite":
        shutil.copyfile(sqlite_schema_file, tmp_path / "collector.sqlite3")
        url = f"sqlite:///{tmp_path / 'collector.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_url")
        empty_collector_tables(url)
    world = CollectorWorld.create(tmp_path / "home", url, migrate=False, **mail_settings(smtp.port))
    yield world
    world.database.dispose()


def together(*jobs):
    start = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        start.wait()
        try:
            job()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors


def test_two_workers_at_once_send_each_message_once(any_world, smtp):
    world = any_world
    world.add_school("123456")
    with world.database.write() as session:
        for n in range(30):
            enqueue(
                session,
                "test",
                Recipient("dsl", f"dsl{n}@school.example.org", ""),
                {},
                urn="123456",
            )
    worker = MailWorker(world.database, world.settings, batch=5)

    def drain():
        while worker.run_once().sent:
            pass

    together(drain, drain)
    counts = Counter(arrived.message_id for arrived in smtp.inbox.arrived)
    assert len(counts) == 30 and set(counts.values()) == {1}


def test_two_reminder_runs_at_once_take_each_step_once(any_world, smtp):
    county = build_county(any_world)
    try:
        together(*(lambda: send_reminders(any_world.database, CYCLE, FIRST) for _ in range(3)))
        MailWorker(any_world.database, any_world.settings).run_once()
    finally:
        county.client.close()
    reminders = [a for a in smtp.inbox.arrived if "Received" not in a.message["Subject"]
                 and "Changes needed" not in a.message["Subject"]]  # fmt: skip
    assert sorted(a.rcpt_tos[0] for a in reminders) == [
        "dsl@100001.example.sch.uk",
        "dsl@100002.example.sch.uk",
    ]
