"""The overview's reminder button: a preview first (who gets which message, and why), then a
confirm button with CSRF that takes each step once; the list of settings still to return shows
who was reminded when. Through the real app, with a real SMTP server receiving the mail."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from school_audit.collector.db.tables import User
from school_audit.collector.mail.status import last_reminders
from school_audit.collector.mail.worker import MailWorker
from tests.collector_mail.county import (
    CHANGES,
    CYCLE,
    NAMES,
    NO_ADDRESS,
    NOT_RETURNED,
    address,
    build_county,
)
from tests.collector_web.conftest import USERS, _password_hash, csrf_from, log_in


@pytest.fixture
def county(world):
    built = build_county(world)
    with world.database.write() as session:
        for role, username in USERS.items():
            session.add(User(username=username, role=role, password_hash=_password_hash()))
    yield built
    built.client.close()


@pytest.fixture
def officer(world, county):
    with TestClient(world.app(), base_url="http://testserver") as client:
        yield log_in(client, "la_officer")


def _missing_row(html: str, urn: str) -> str:
    table = html.split('id="missing-h"')[1].split("</table>")[0]
    return next(row for row in table.split("<tr>") if f"<td>{urn}</td>" in row)


def test_preview_then_send_from_the_overview_once_per_step(officer, world, smtp):
    page = officer.get(f"/?cycle={CYCLE}")
    assert "Preview today&#39;s reminders" in page.text
    assert "Not reminded" in _missing_row(page.text, NOT_RETURNED)
    assert "Send today&#39;s reminders" not in page.text  # nothing to confirm before a preview

    preview = officer.get(f"/?cycle={CYCLE}&remind=preview")
    plan = preview.text.split('id="reminders-h"')[1]
    # Who gets which message and why: the setting not returned and the one sent back.
    assert NAMES[NOT_RETURNED] in plan and NAMES[CHANGES] in plan
    assert "no return yet" in plan and "changes needed" in plan
    assert f"dsl: {address(NOT_RETURNED, 'dsl')}" in plan
    assert "no usable address on file" in plan and NAMES[NO_ADDRESS] in plan  # not reminded
    assert 'action="/mail/remind?back=overview"' in plan
    assert "Send today&#39;s reminders (2)" in plan

    refused = officer.post("/mail/remind?back=overview", data={"csrf_token": "forged"},
                           follow_redirects=False)  # fmt: skip
    assert refused.status_code == 403
    sent = officer.post("/mail/remind?back=overview", data={"csrf_token": csrf_from(preview.text)},
                        follow_redirects=False)  # fmt: skip
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/?cycle={CYCLE}&reminded=2#reminders-h"
    after = officer.get(sent.headers["location"])
    assert "Reminders queued: 2 setting(s)" in after.text
    # The list of settings still to return shows who was reminded when, and at which step.
    row = _missing_row(after.text, NOT_RETURNED)
    assert "Not reminded" not in row
    with world.database.read() as session:
        taken = last_reminders(session, CYCLE)[NOT_RETURNED]
    assert f"{taken.step.replace('_', ' ')}</td>" in row
    assert str(taken.sent_at.year) in row

    MailWorker(world.database, world.settings).run_once()
    assert len(smtp.inbox.to(address(NOT_RETURNED, "dsl"))) == 1

    again = officer.post("/mail/remind?back=overview", data={"csrf_token": csrf_from(after.text)})
    assert "Reminders queued: 0 setting(s)" in again.text  # idempotent per step
    replan = officer.get(f"/?cycle={CYCLE}&remind=preview").text.split('id="reminders-h"')[1]
    assert "Nothing to send today." in replan and "already reminded" in replan


@pytest.mark.parametrize("role", ["steering"])
def test_no_reminder_button_for_the_steering_group(world, county, role):
    with TestClient(world.app(), base_url="http://testserver") as client:
        log_in(client, role)
        page = client.get(f"/?cycle={CYCLE}&remind=preview", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/steering"
        posted = client.post("/mail/remind?back=overview", data={"csrf_token": "x"},
                             follow_redirects=False)  # fmt: skip
        assert posted.status_code == 403
