"""STARTTLS and implicit TLS against a real TLS server, the relay's certificate checked."""

from __future__ import annotations

import pytest

from school_audit.collector.mail.contacts import Recipient
from school_audit.collector.mail.queue import enqueue
from school_audit.collector.mail.worker import MailWorker
from school_audit.collector.settings import CollectorSettings
from tests.collector_mail.conftest import mail_settings
from tests.collector_mail.smtp_server import SmtpServer
from tests.collector_mail.tls import make_certificates

FACTS = {"establishment_name": "Hollybank First School", "urn": "123456", "cycle": "2025-26",
         "received_on": "2026-02-10", "quarantined": False}  # fmt: skip


@pytest.fixture
def certificates(tmp_path):
    return make_certificates(tmp_path)


def queue(world):
    with world.database.write() as session:
        enqueue(session, "return_received", Recipient("dsl", "dsl@hollybank.example.sch.uk", ""),
                FACTS, urn="123456")  # fmt: skip


def settings_for(world, port, **more):
    return CollectorSettings(**{**world.settings.model_dump(), **mail_settings(port, **more)})


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_mail_goes_over_tls_to_a_relay_with_an_internal_ca(
    world, certificates, security, monkeypatch
):
    context = certificates.server_context()
    server_tls = {"tls_context": context} if security == "starttls" else {"ssl_context": context}
    with SmtpServer(login=("audit-relay", "s3cret-pass"), **server_tls) as server:
        settings = settings_for(world, server.port, smtp_security=security,
                                smtp_ca_file=certificates.ca_file, smtp_username="audit-relay")  # fmt: skip
        queue(world)
        monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_SMTP_PASSWORD", "s3cret-pass")
        report = MailWorker(world.database, settings).run_once()
        assert report.sent == 1, report
        assert server.logins == ["audit-relay"]
        assert len(server.inbox.arrived) == 1


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_a_certificate_the_collector_does_not_trust_is_refused(world, certificates, security):
    context = certificates.server_context()
    server_tls = {"tls_context": context} if security == "starttls" else {"ssl_context": context}
    with SmtpServer(**server_tls) as server:
        settings = settings_for(world, server.port, smtp_security=security)  # no CA file given
        queue(world)
        report = MailWorker(world.database, settings).run_once()
        assert report.sent == 0 and "CERTIFICATE_VERIFY_FAILED" in report.retrying[0][1]
        assert server.inbox.arrived == []


def test_a_relay_without_starttls_is_not_sent_to_in_clear(world):
    with SmtpServer() as server:  # plain SMTP only
        settings = settings_for(world, server.port, smtp_security="starttls")
        queue(world)
        report = MailWorker(world.database, settings).run_once()
        assert report.sent == 0 and "does not offer STARTTLS" in report.retrying[0][1]
        assert server.inbox.arrived == []
