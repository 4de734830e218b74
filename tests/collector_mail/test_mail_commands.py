"""`school-audit-collector mail test|send|status` and `contact set|list`, settings from the
environment as an LA's server has them."""

from __future__ import annotations

from school_audit.collector.cli.main import main
from school_audit.collector.mail.contacts import Recipient
from school_audit.collector.mail.queue import enqueue


def test_mail_test_sends_a_message_at_once(env, smtp, capsys):
    assert main(["mail", "test", "it@county.example.gov.uk"]) == 0
    out = capsys.readouterr().out
    assert "accepted a test message to it@county.example.gov.uk" in out
    assert "MAIL_LINK is not set" in out
    assert "PUBLIC_URL is not set, so remote signing is refused" in out
    [arrived] = smtp.inbox.to("it@county.example.gov.uk")
    assert "Westshire County Council" in arrived.message["Subject"]


def test_mail_test_says_what_is_missing(env, monkeypatch, capsys):
    monkeypatch.delenv("SCHOOL_AUDIT_COLLECTOR_SMTP_HOST")
    assert main(["mail", "test", "it@county.example.gov.uk"]) == 1
    assert "SCHOOL_AUDIT_COLLECTOR_SMTP_HOST" in capsys.readouterr().err
    assert main(["mail", "test", "not an address"]) == 1


def test_mail_test_names_the_refusal(env, smtp, capsys):
    smtp.inbox.refuse["nobody@county.example.gov.uk"] = "550 5.1.1 Unknown user"
    assert main(["mail", "test", "nobody@county.example.gov.uk"]) == 1
    assert "refused nobody@county.example.gov.uk: 550 5.1.1 Unknown user" in capsys.readouterr().err


def test_contacts_then_send_then_status(env, world, smtp, capsys):
    assert main(["contact", "set", "123456", "--role", "dsl", "--email", "bad@x.example.org"]) == 0
    assert main(["contact", "set", "123456", "--role", "dsl", "--email", "no-at-sign"]) == 1
    smtp.inbox.refuse["bad@x.example.org"] = "550 5.1.1 Unknown user"
    with world.database.write() as session:
        enqueue(session, "test", Recipient("dsl", "bad@x.example.org", ""), {}, urn="123456")
    capsys.readouterr()
    assert main(["mail", "send"]) == 3
    assert "FAILED bad@x.example.org" in capsys.readouterr().out
    assert main(["mail", "status"]) == 0
    assert "dsl bad@x.example.org: the relay refused" in capsys.readouterr().out
    assert main(["contact", "list"]) == 0
    assert "REFUSED" in capsys.readouterr().out


def test_mail_retry_queues_a_failed_message_again(env, world, smtp, capsys):
    smtp.inbox.refuse["late@x.example.org"] = "550 5.1.1 Unknown user"
    with world.database.write() as session:
        enqueue(session, "test", Recipient("dsl", "late@x.example.org", ""), {}, urn="123456")
    assert main(["mail", "send"]) == 3
    del smtp.inbox.refuse["late@x.example.org"]
    capsys.readouterr()
    assert main(["mail", "status"]) == 0
    failed_id = capsys.readouterr().out.split("FAILED #")[1].split()[0]
    assert main(["mail", "retry", failed_id, "999"]) == 1
    assert "no failed message with id 999" in capsys.readouterr().err
    assert main(["mail", "send"]) == 0
    assert len(smtp.inbox.to("late@x.example.org")) == 1
