"""The outgoing-mail queue through a real SMTP server: arrival, retries, refusals, login, TLS."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from school_audit.collector.db.tables import AuditLogEntry, EstablishmentContact, OutgoingMail
from school_audit.collector.db.types import utc_now
from school_audit.collector.mail.contacts import Recipient, recipients, set_contact
from school_audit.collector.mail.queue import enqueue
from school_audit.collector.mail.status import mail_summary
from school_audit.collector.mail.worker import MailWorker
from school_audit.collector.settings import CollectorSettings
from tests.collector_mail.conftest import mail_settings
from tests.collector_mail.smtp_server import SmtpServer

DSL = "dsl@hollybank.example.sch.uk"
FACTS = {"establishment_name": "Hollybank First School", "urn": "123456", "cycle": "2025-26",
         "received_on": "2026-02-10", "quarantined": False}  # fmt: skip


def queue(world, address=DSL, kind="return_received", facts=FACTS):
    with world.database.write() as session:
        return enqueue(session, kind, Recipient("dsl", address, "Alex Morgan"), facts,
                       urn="123456", cycle="2025-26")  # fmt: skip


def rows(world):
    with world.database.read() as session:
        return {row.message_id: row for row in session.scalars(select(OutgoingMail))}


def test_a_queued_message_arrives_once_as_text_and_html_with_its_message_id(world, smtp):
    message_id = queue(world)
    report = MailWorker(world.database, world.settings).run_once()
    assert report.sent == 1
    [arrived] = smtp.inbox.to(DSL)
    message = arrived.message
    assert message["Message-ID"] == message_id
    assert arrived.mail_from == "safeguarding@county.example.gov.uk"
    assert message["Reply-To"] == "safeguarding-replies@county.example.gov.uk"
    assert message["Subject"] == "Received: Hollybank First School's safeguarding audit 2025-26"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert "Westshire County Council" in part and "Dear Alex Morgan" in part
        assert (
            "10 February 2026" in part
            and "https://county.example.gov.uk/safeguarding-audit" in part
        )
    row = rows(world)[message_id]
    assert row.status == "sent" and row.sent_at is not None and row.raw == arrived.data
    assert MailWorker(world.database, world.settings).run_once().sent == 0
    assert len(smtp.inbox.arrived) == 1


def test_an_unknown_mailbox_fails_for_good_and_is_shown_with_the_address(world, smtp):
    wrong = "dls@hollybank.example.sch.uk"
    smtp.inbox.refuse[wrong] = "550 5.1.1 No such mailbox here"
    with world.database.write() as session:
        set_contact(session, "123456", "dsl", wrong, actor="olive")
    queue(world, wrong)
    report = MailWorker(world.database, world.settings).run_once()
    assert report.sent == 0 and report.failed[0][0] == wrong and "550" in report.failed[0][1]
    with world.database.read() as session:
        summary = mail_summary(session)
        [failed] = summary.failed
        assert (failed.address, failed.urn, failed.role) == (wrong, "123456", "dsl")
        assert "No such mailbox" in failed.error
        contact = session.scalar(select(EstablishmentContact))
        assert contact.bounced_at is not None and "550" in contact.bounce_reason
        actions = [e.action for e in session.scalars(select(AuditLogEntry))]
        assert actions == ["contact.set", "mail.bounce"]
        assert recipients(session, "123456", ("dsl",)) == []  # not written to again until fixed
    with world.database.write() as session:
        set_contact(session, "123456", "dsl", DSL, actor="olive")
    with world.database.read() as session:
        assert [r.email for r in recipients(session, "123456", ("dsl",))] == [DSL]
    assert smtp.inbox.arrived == []
    # Failed stays failed: a later round does not hammer the relay with it.
    assert MailWorker(world.database, world.settings).run_once().failed == []


def test_a_busy_relay_is_retried_later_with_backoff_and_the_same_bytes(world, smtp):
    smtp.inbox.refuse[DSL] = "451 4.3.0 Try again later"
    message_id = queue(world)
    now = utc_now()
    first = MailWorker(world.database, world.settings, clock=lambda: now).run_once()
    assert first.sent == 0 and first.retrying and first.failed == []
    row = rows(world)[message_id]
    assert row.status == "queued" and row.attempts == 1
    assert timedelta(seconds=40) < row.next_attempt_at - now < timedelta(seconds=80)
    bytes_fixed = row.raw
    del smtp.inbox.refuse[DSL]
    assert MailWorker(world.database, world.settings, clock=lambda: now).run_once().sent == 0
    later = now + timedelta(minutes=5)
    assert MailWorker(world.database, world.settings, clock=lambda: later).run_once().sent == 1
    [arrived] = smtp.inbox.arrived
    assert arrived.data == bytes_fixed


def test_temporary_failures_give_up_after_the_set_number_of_tries(world, smtp, tmp_path):
    smtp.inbox.refuse[DSL] = "421 4.7.0 Too busy"
    settings = world.settings.model_copy(update={"mail_max_attempts": 3})
    queue(world)
    when = utc_now()
    for _ in range(3):
        report = MailWorker(world.database, settings, clock=lambda at=when: at).run_once()
        when += timedelta(days=1)
    assert report.failed and "gave up after 3 tries" in report.failed[0][1]
    with world.database.read() as session:
        assert mail_summary(session).failed[0].address == DSL


def test_a_relay_that_does_not_answer_leaves_the_message_queued(world, tmp_path):
    closed = SmtpServer()  # never started: nothing listens on its port
    settings = CollectorSettings(**{**world.settings.model_dump(), **mail_settings(closed.port)})
    message_id = queue(world)
    report = MailWorker(world.database, settings).run_once()
    assert report.sent == 0 and "connection refused" in report.retrying[0][1]
    assert rows(world)[message_id].status == "queued"


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_with_the_password_from_the_environment_never_stored(world, monkeypatch, tmp_path):
    secret = "Corr3ct-Horse-Battery"
    with SmtpServer(login=("audit-relay", secret)) as server:
        settings = CollectorSettings(
            **{
                **world.settings.model_dump(),
                **mail_settings(server.port, smtp_username="audit-relay"),
            }
        )
        queue(world)
        monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_SMTP_PASSWORD", "wrong")
        refused = MailWorker(world.database, settings).run_once()
        assert refused.sent == 0 and "refused the login" in refused.retrying[0][1]
        monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_SMTP_PASSWORD", secret)
        later = utc_now() + timedelta(hours=1)
        assert MailWorker(world.database, settings, clock=lambda: later).run_once().sent == 1
        assert server.logins == ["audit-relay"] and len(server.inbox.arrived) == 1
    assert secret not in repr(settings)
    world.database.dispose()
    database_file = world.settings.resolved_database_url.removeprefix("sqlite:///")
    for path in (database_file, database_file + "-wal"):
        if Path(path).exists():
            data = Path(path).read_bytes()
            assert secret.encode() not in data


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_password_can_come_from_a_secret_file(world, tmp_path, monkeypatch):
    monkeypatch.delenv("SCHOOL_AUDIT_COLLECTOR_SMTP_PASSWORD", raising=False)
    secret_file = tmp_path / "smtp-password"
    secret_file.write_text("from-the-file\n")
    with SmtpServer(login=("audit-relay", "from-the-file")) as server:
        settings = CollectorSettings(**{**world.settings.model_dump(), **mail_settings(
            server.port, smtp_username="audit-relay", smtp_password_file=secret_file)})  # fmt: skip
        queue(world)
        assert MailWorker(world.database, settings).run_once().sent == 1
        assert server.logins == ["audit-relay"]


def test_an_la_edited_template_in_the_templates_folder_wins(world, smtp):
    folder = world.settings.resolved_mail_templates_dir
    folder.mkdir(parents=True)
    (folder / "return_received.subject.txt").write_text("Thank you, {{ establishment_name }}\n")
    queue(world)
    MailWorker(world.database, world.settings).run_once()
    [arrived] = smtp.inbox.arrived
    assert arrived.message["Subject"] == "Thank you, Hollybank First School"
    assert (
        "Westshire County Council has received"
        in arrived.message.get_body(("plain",)).get_content()
    )


def test_a_broken_la_template_holds_the_message_and_names_the_file(world, smtp):
    folder = world.settings.resolved_mail_templates_dir
    folder.mkdir(parents=True)
    (folder / "return_received.txt").write_text("Dear {{ head_techer }}\n")
    message_id = queue(world)
    report = MailWorker(world.database, world.settings).run_once()
    assert report.sent == 0 and "mail template return_received.txt" in report.retrying[0][1]
    assert "head_techer" in report.retrying[0][1]
    assert smtp.inbox.arrived == [] and rows(world)[message_id].raw is None
