"""The sign-off page through the window against a real collector over HTTP: the chair is asked
by email (on the network lane), signs remotely, the page collects it; the DSL and the head sign
here; the return arrives with how each person signed."""

from __future__ import annotations

import json
from datetime import timedelta

from school_audit.ui.dialogs.sign_here_dialog import AskByEmailDialog
from school_audit.ui.dialogs.sign_off_dialog import SignOffDialog
from tests.ui import test_sign_and_send as base
from tests.ui.helpers import fixture_template, prepared_service, real_service_factory, start_window

answer_everything = base.answer_everything
collector = base.collector  # the same fixture: a real collector over HTTP

CHAIR = "chair@governors.example.org"


def sign_as_the_chair(collector) -> None:
    """What the chair does on the collector's page, done on the collector's side."""
    from sqlalchemy import select

    from school_audit.collector import sign_off_requests as requests
    from school_audit.collector.db.engine import Database
    from school_audit.collector.db.tables import SignOffRequest
    from school_audit.collector.db.types import utc_now
    from school_audit.collector.keys import load_key_file

    database = Database(collector.database_url)
    key = load_key_file(collector.home / "collector-signing-key")
    with database.write() as session:
        row = session.scalars(
            select(SignOffRequest).where(SignOffRequest.status == "pending")
        ).one()
        row.code_hash = requests._code_hash(row, "123456")
        row.code_expires_at, row.code_attempts = utc_now() + timedelta(minutes=5), 0
        requests.confirm(row, "123456", key, utc_now())
    database.engine.dispose()


def test_ask_the_chair_by_email_then_sign_here_and_send(qtbot, monkeypatch, school_profile,
                                                        collector):  # fmt: skip
    collector.open_cycle()
    template = fixture_template()
    profile = school_profile.model_copy(deep=True)
    profile.chair_of_governors.name = "Martin Hale"
    service = prepared_service(profile, [template])
    audit = service.start_audit(template)
    answer_everything(service, audit.audit_id)
    window = start_window(qtbot, monkeypatch, real_service_factory([template]))
    qtbot.waitUntil(lambda: window.home.sign_button.isEnabled(), timeout=10_000)
    window.flows.submission.enrol()
    from school_audit.ui.dialogs.enrolment_dialog import EnrolmentDialog
    from tests.ui.helpers import wait_for_dialog

    enrol = wait_for_dialog(qtbot, window, EnrolmentDialog)
    enrol.url.setText(collector.url)
    enrol.code.setText(collector.issue_code("123456"))
    enrol.ok.click()
    qtbot.waitUntil(lambda: "now connected" in window.banner.label.text(), timeout=20_000)
    qtbot.waitUntil(lambda: window.home.sign_button.isEnabled(), timeout=10_000)
    window.home.sign_button.click()
    dialog = wait_for_dialog(qtbot, window, SignOffDialog)
    qtbot.waitUntil(dialog.seal_button.isEnabled, timeout=10_000)
    dialog.seal_button.click()
    qtbot.waitUntil(lambda: dialog.unseal_button.isVisible(), timeout=10_000)

    chair = dialog.rows[2]
    chair.ask.click()
    flows = window.flows.submission.sign_off
    qtbot.waitUntil(lambda: isinstance(flows.child, AskByEmailDialog), timeout=10_000)
    form = flows.child
    assert form.name.text() == "Martin Hale"  # offered from the profile
    qtbot.keyClicks(form.email, CHAIR)
    form.send_button.click()
    qtbot.waitUntil(lambda: CHAIR in chair.state.text(), timeout=20_000)
    assert chair.remind.isVisible() and dialog.collect_button.isEnabled()

    sign_as_the_chair(collector)
    dialog.collect_button.click()
    qtbot.waitUntil(lambda: "code sent to their email" in chair.state.text(), timeout=20_000)
    assert "Martin Hale" in chair.state.text()

    seal_and_sign_here_rows(qtbot, window, dialog, ["Sam Carter", "Ruth Ellis"])
    qtbot.waitUntil(dialog.finalise_button.isEnabled, timeout=10_000)
    dialog.finalise_button.click()
    qtbot.waitUntil(lambda: "Signed and sent" in window.banner.label.text(), timeout=20_000)
    [row] = collector.submissions()
    envelope = json.loads(bytes(row["envelope"]))
    assert {e["role"]: e["attestation"]["method"] for e in envelope["sign_off"]} == {
        "dsl": "in_person", "head_teacher": "in_person", "chair_of_governors": "email_code"}  # fmt: skip
    assert row["status"] == "received"


def seal_and_sign_here_rows(qtbot, window, dialog, names) -> None:
    from school_audit.ui.dialogs.sign_here_dialog import SignHereDialog

    flows = window.flows.submission.sign_off
    for row, name in zip(dialog.rows, names, strict=False):
        row.sign_here.click()
        qtbot.waitUntil(lambda: isinstance(flows.child, SignHereDialog), timeout=10_000)
        qtbot.keyClicks(flows.child.name, name)
        flows.child.agree.setChecked(True)
        flows.child.sign_button.click()
        qtbot.waitUntil(lambda r=row, n=name: n in r.state.text(), timeout=10_000)


def test_a_sealed_audit_opens_read_only(tmp_path, mini_template, school_profile):
    import uuid
    from datetime import UTC, date, datetime

    from school_audit.domain.audit import Audit
    from school_audit.store import Store
    from school_audit.ui.session import AuditSession

    store = Store.open(tmp_path / "audit.sqlite3", backups=tmp_path / "backups")
    audit = Audit.start(mini_template, school_profile)
    store.create_audit(audit)
    assert not AuditSession(None, store.load_audit(audit.audit_id), mini_template,
                            date.today).read_only  # fmt: skip
    store.seal_audit(audit.audit_id, "ab" * 32, uuid.uuid4(), datetime.now(UTC))
    assert AuditSession(None, store.load_audit(audit.audit_id), mini_template,
                        date.today).read_only  # fmt: skip
    store.close()
