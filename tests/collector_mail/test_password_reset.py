"""Password reset by a one-time link, end to end over real HTTP and a real SMTP server: the admin
asks for the link, the user reads it from the mail that arrives and sets a password the policy
accepts; the link then works no more, an expired or replaced link is refused, and the token is
nowhere the collector keeps (database, audit log, sent mail's row)."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from school_audit.collector import password_reset, users
from school_audit.collector.db.tables import AuditLogEntry, OutgoingMail, PasswordResetToken
from school_audit.collector.db.types import utc_now
from school_audit.collector.mail.worker import MailWorker
from tests.collector.live_server import live_server

ADMIN_PASSWORD = "a long admin passphrase"
NADIA = "nadia@county.example.gov.uk"
CHOSEN = "window garden lantern seven"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _log_in(http: httpx.Client, username: str, password: str) -> httpx.Response:
    page = http.get("/login")
    return http.post("/login", follow_redirects=True, data={"username": username, "password": password,
                                     "csrf_token": _csrf(page.text)})  # fmt: skip


@pytest.fixture
def people(world):
    users.add_user(world.database, "ada", "admin", ADMIN_PASSWORD, "test")
    users.add_user(
        world.database, "nadia", "la_officer", "the first long passphrase", "test", NADIA
    )
    return world


def _ask_for_link(http: httpx.Client) -> httpx.Response:
    page = http.get("/admin/users")
    return http.post("/admin/users/nadia/reset-link", data={"csrf_token": _csrf(page.text)})


def _link_from_mail(world, smtp) -> str:
    assert MailWorker(world.database, world.settings).run_once().sent >= 1
    arrived = smtp.inbox.to(NADIA)[-1]
    assert arrived.message["Subject"] == "Set a new password for the safeguarding audit dashboard"
    text = arrived.message.get_body(preferencelist=("plain",)).get_content()
    assert "works once" in text
    return re.search(r"(http://\S+/reset/\S+)", text).group(1)


def _choose(link: str, password: str, again: str | None = None) -> httpx.Response:
    with httpx.Client(
        timeout=10, follow_redirects=True
    ) as browser:  # the user's own browser: not logged in
        page = browser.get(link)
        if page.status_code != 200:
            return page
        return browser.post(link, data={"csrf_token": _csrf(page.text), "password": password,
                                        "password_again": again or password})  # fmt: skip


def test_the_emailed_link_sets_a_password_once(people, smtp):
    world = people
    with (
        live_server(world.app()) as base,
        httpx.Client(base_url=base, timeout=10, follow_redirects=True) as admin,
    ):
        assert _log_in(admin, "ada", ADMIN_PASSWORD).status_code == 200
        page = admin.get("/admin/users").text
        assert "Email nadia a reset link" in page
        asked = _ask_for_link(admin)
        assert (
            asked.status_code == 200 and "A link to set a new password is on its way" in asked.text
        )
        link = _link_from_mail(world, smtp)
        assert link.startswith(f"{base}/reset/")
        token = link.rsplit("/", 1)[1]

        weak = _choose(link, "password1234")  # the password policy applies; the link stays open
        assert weak.status_code == 422 and "Choose another password" in weak.text
        differ = _choose(link, CHOSEN, "something else entirely")
        assert differ.status_code == 422 and "not the same" in differ.text

        done = _choose(link, CHOSEN)
        assert done.status_code == 200 and "Your password is set, nadia" in done.text
        with httpx.Client(base_url=base, timeout=10, follow_redirects=True) as nadia:
            assert "Log out" in _log_in(nadia, "nadia", CHOSEN).text
        with httpx.Client(base_url=base, timeout=10, follow_redirects=True) as nadia:
            assert "Log out" not in _log_in(nadia, "nadia", "the first long passphrase").text

        again = _choose(link, "another good passphrase")  # used: refused, password unchanged
        assert again.status_code == 404 and "not valid" in again.text
        with httpx.Client(base_url=base, timeout=10, follow_redirects=True) as nadia:
            assert "Log out" in _log_in(nadia, "nadia", CHOSEN).text

    with world.database.read() as session:
        rows = session.scalars(select(PasswordResetToken)).all()
        log = session.scalars(select(AuditLogEntry)).all()
        mail = session.scalars(
            select(OutgoingMail).where(OutgoingMail.kind == "password_reset")
        ).all()
    assert [(r.username, r.status, r.created_by) for r in rows] == [("nadia", "used", "ada")]
    assert rows[0].token_hash != token and len(rows[0].token_hash) == 64
    assert {("ada", "password_reset_link_sent"), ("nadia", "password_reset_link_used")} <= {
        (e.actor, e.action) for e in log
    }
    kept = " ".join(f"{e.target} {e.detail}" for e in log) + " ".join(m.context for m in mail)
    assert token not in kept and all(m.raw is None for m in mail)  # sent: the link is forgotten


def test_an_expired_or_replaced_link_is_refused(people, smtp):
    world = people
    with (
        live_server(world.app()) as base,
        httpx.Client(base_url=base, timeout=10, follow_redirects=True) as admin,
    ):
        _log_in(admin, "ada", ADMIN_PASSWORD)
        _ask_for_link(admin)
        first = _link_from_mail(world, smtp)
        _ask_for_link(admin)
        second = _link_from_mail(world, smtp)
        assert first != second
        replaced = _choose(first, CHOSEN)
        assert replaced.status_code == 404 and "replaced by a newer link" in replaced.text

        with world.database.write() as session:  # an hour and a minute later
            for row in session.scalars(select(PasswordResetToken)):
                row.expires_at = utc_now() - timedelta(minutes=1)
        expired = _choose(second, CHOSEN)
        assert expired.status_code == 404 and "expired" in expired.text
        with httpx.Client(
            base_url=base, timeout=10, follow_redirects=True
        ) as nadia:  # the old password still works
            assert "Log out" in _log_in(nadia, "nadia", "the first long passphrase").text

        # At most three links an hour for one user; the fourth is refused in words.
        assert "is on its way" in _ask_for_link(admin).text
        refused = _ask_for_link(admin)
        assert refused.status_code == 422 and "in the last hour" in refused.text
    with world.database.read() as session:
        statuses = [r.status for r in session.scalars(select(PasswordResetToken))]
    assert statuses == ["replaced", "replaced", "open"]


def test_a_password_set_by_the_admin_ends_an_open_link(people, smtp):
    world = people
    with world.database.write() as session:
        expires = password_reset.send_link(session, "nadia", "http://collector.example", "ada",
                                           utc_now())  # fmt: skip
    assert timedelta(minutes=59) < expires - utc_now() <= timedelta(minutes=60)
    link = _link_from_mail(world, smtp)
    users.reset_password(world.database, "nadia", "an admin's new passphrase", "ada")
    with pytest.raises(password_reset.ResetRefused):
        password_reset.set_password(world.database, link.rsplit("/", 1)[1], CHOSEN, utc_now())


def test_no_link_for_a_user_without_an_address_or_disabled(people):
    world = people
    users.set_email(world.database, "nadia", "", "ada")
    with (
        pytest.raises(password_reset.ResetRefused, match="no email address"),
        world.database.write() as s,
    ):
        password_reset.send_link(s, "nadia", "http://collector.example", "ada", utc_now())
    users.set_email(world.database, "nadia", NADIA, "ada")
    users.set_active(world.database, "nadia", False, "ada")
    with (
        pytest.raises(password_reset.ResetRefused, match="no active user"),
        world.database.write() as s,
    ):
        password_reset.send_link(s, "nadia", "http://collector.example", "ada", utc_now())
    with pytest.raises(users.UserError, match="not an email address"):
        users.set_email(world.database, "nadia", "not an address", "ada")
