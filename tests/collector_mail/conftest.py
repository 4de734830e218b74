"""Mail tests: a real SMTP server and a collector (real SQLite file) whose settings point at it."""

from __future__ import annotations

import shutil

import pytest

from tests.collector.factories import CollectorWorld
from tests.collector_mail.smtp_server import SmtpServer


@pytest.fixture(scope="session")
def sqlite_schema_file(tmp_path_factory):
    from school_audit.collector.db import init_database

    path = tmp_path_factory.mktemp("sqlite-template") / "collector.sqlite3"
    init_database(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


def mail_settings(port: int, **more):
    return {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "none",
        "mail_from": "Safeguarding team <safeguarding@county.example.gov.uk>",
        "mail_reply_to": "safeguarding-replies@county.example.gov.uk",
        "mail_link": "https://county.example.gov.uk/safeguarding-audit",
        "la_name": "Westshire County Council",
        **more,
    }


@pytest.fixture
def world(tmp_path, smtp, sqlite_schema_file):
    path = tmp_path / "collector.sqlite3"
    shutil.copyfile(sqlite_schema_file, path)
    world = CollectorWorld.create(
        tmp_path / "home", f"sqlite:///{path}", migrate=False, **mail_settings(smtp.port)
    )
    world.add_school("123456", name="Hollybank First School", head_name="Mrs Pat Head")
    world.add_school("654321", name="Ashdown Primary School", phase="primary")
    yield world
    world.database.dispose()


@pytest.fixture
def env(world, smtp, monkeypatch):
    for name, value in {
        "HOME": str(world.settings.home),
        "DATABASE_URL": world.settings.resolved_database_url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "SMTP_SECURITY": "none",
        "MAIL_FROM": "Safeguarding team <safeguarding@county.example.gov.uk>",
        "LA_NAME": "Westshire County Council",
    }.items():
        monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_" + name, value)
