"""Sign-off, enrolment and the outbox, through the window, against a real collector over HTTP."""

from __future__ import annotations

from datetime import date

import pytest

from school_audit.domain.audit import Rating, Response
from school_audit.ui.dialogs.enrolment_dialog import EnrolmentDialog
from school_audit.ui.dialogs.outbox_dialog import OutboxDialog
from school_audit.ui.dialogs.sign_off_dialog import SignOffDialog
from tests.ui.helpers import (
    fixture_template,
    prepared_service,
    real_service_factory,
    start_window,
    wait_for_dialog,
)


def answer_everything(service, audit_id) -> None:
    for standard_id in ("A1", "A2", "C12", "O2"):
        service.save_response(
            audit_id, Response(standard_id=standard_id, rating=Rating.MET, evidence="Records seen")
        )
    service.save_response(
        audit_id,
        Response(standard_id="C4", rating=Rating.MET, evidence="Certificates",
                 dates={"dsl_training": date(2025, 9, 1)}),
    )  # fmt: skip


def seal_and_sign_here(qtbot, window, names: list[str]):
    """On the sign-off page: seal, then each required person signs here in turn (types their
    own name, ticks, signs); returns the page with "Finalise and send" enabled."""
    from school_audit.ui.dialogs.sign_here_dialog import SignHereDialog

    dialog = wait_for_dialog(qtbot, window, SignOffDialog)
    qtbot.waitUntil(lambda: dialog.seal_button.isVisible() and dialog.seal_button.isEnabled(),
                    timeout=10_000)  # fmt: skip
    assert not dialog.finalise_button.isEnabled()
    dialog.seal_button.click()
    qtbot.waitUntil(lambda: dialog.unseal_button.isVisible(), timeout=10_000)
    flows = window.flows.submission.sign_off
    for row, name in zip(dialog.rows, names, strict=False):
        qtbot.waitUntil(lambda r=row: r.sign_here.isEnabled(), timeout=10_000)
        row.sign_here.click()
        qtbot.waitUntil(lambda: isinstance(flows.child, SignHereDialog), timeout=10_000)
        form = flows.child
        assert form.name.text() == "" and not form.sign_button.isEnabled()  # typed, not filled
        qtbot.keyClicks(form.name, name)
        form.agree.setChecked(True)
        form.sign_button.click()
        qtbot.waitUntil(lambda r=row, n=name: n in r.state.text(), timeout=10_000)
    qtbot.waitUntil(dialog.finalise_button.isEnabled, timeout=10_000)
    return dialog


@pytest.fixture
def collector(tmp_path):
    from tests.e2e.collector_server import make_collector

    running = make_collector(
        tmp_path / "collector", f"sqlite:///{tmp_path}/collector.db", ["123456"]
    )
    yield running
    running.stop()


def test_sign_enrol_send_and_see_it_in_the_outbox(qtbot, monkeypatch, school_profile, collector):
    template = fixture_template()
    profile = school_profile.model_copy(deep=True)
    profile.dsl.name, profile.head.name = "Sam Carter", "Ruth Ellis"
    service = prepared_service(profile, [template])
    audit = service.start_audit(template)
    answer_everything(service, audit.audit_id)
    window = start_window(qtbot, monkeypatch, real_service_factory([template]))
    qtbot.waitUntil(lambda: window.home.sign_button.isEnabled(), timeout=10_000)  # ready to sign

    window.home.sign_button.click()
    enrol = wait_for_dialog(qtbot, window, EnrolmentDialog)  # first time: connect this computer
    qtbot.keyClicks(enrol.url, collector.url)
    qtbot.keyClicks(enrol.code, collector.issue_code("123456"))
    enrol.ok.click()

    dialog = seal_and_sign_here(qtbot, window, ["Sam Carter", "Ruth Ellis", "Martin Hale"])
    assert "in person" in dialog.rows[0].state.text()  # the safeguarding governor is optional
    dialog.finalise_button.click()

    qtbot.waitUntil(lambda: "Signed and sent" in window.banner.label.text(), timeout=20_000)
    assert len(collector.submissions()) == 1
    qtbot.waitUntil(lambda: window.home.model.rowCount() == 1
                    and window.home.model.index(0, 2).data() == "Sent", timeout=10_000)  # fmt: skip
    signed = window.service.load(audit.audit_id)
    assert [s.name for s in signed.sign_off] == ["Sam Carter", "Ruth Ellis", "Martin Hale"]

    with qtbot.waitSignal(window.audit_opened, timeout=10_000) as opened:
        window.open_audit(audit.audit_id)  # a signed audit opens read-only
    assert opened.args[0].read_only
    assert not window.audit_page.standard_page.answer.isEnabled()
    assert window.audit_page.standard_page.evidence.isReadOnly()

    window.flows.outbox()
    outbox = wait_for_dialog(qtbot, window, OutboxDialog)
    qtbot.waitUntil(lambda: outbox.table.rowCount() == 1, timeout=10_000)
    assert "Sent" in outbox.table.item(0, 2).text()
    assert not outbox.send_button.isEnabled()  # nothing waiting


def return_for_changes(collector, comment: str, per_standard=None) -> None:
    """The LA officer returns the audit, as the dashboard does."""
    from school_audit.collector.db.engine import Database
    from school_audit.collector.review.reviewing import ReviewInput, record_review

    database = Database(collector.database_url)
    submission_id = collector.submissions()[0]["submission_id"]
    record_review(
        database, submission_id, "officer", ReviewInput("returned", comment, per_standard or {})
    )
    database.engine.dispose()


def test_returned_for_changes_shows_the_comment_and_reopens(
    qtbot, monkeypatch, school_profile, collector
):
    template = fixture_template()
    profile = school_profile.model_copy(deep=True)
    profile.dsl.name, profile.head.name = "Sam Carter", "Ruth Ellis"
    profile.chair_of_governors.name = "Martin Hale"
    service = prepared_service(profile, [template])
    audit = service.start_audit(template)
    answer_everything(service, audit.audit_id)
    window = start_window(qtbot, monkeypatch, real_service_factory([template]))
    qtbot.waitUntil(lambda: window.home.sign_button.isEnabled(), timeout=10_000)
    window.flows.submission.enrol()
    enrol = wait_for_dialog(qtbot, window, EnrolmentDialog)
    enrol.url.setText(collector.url)
    enrol.code.setText(collector.issue_code("123456"))
    enrol.ok.click()
    qtbot.waitUntil(lambda: "now connected" in window.banner.label.text(), timeout=20_000)
    window.home.sign_button.click()
    dialog = seal_and_sign_here(qtbot, window, ["Sam Carter", "Ruth Ellis", "Martin Hale"])
    dialog.finalise_button.click()
    qtbot.waitUntil(lambda: "Signed and sent" in window.banner.label.text(), timeout=20_000)

    return_for_changes(collector, "Please add the date of the last SCR check.",
                       {"C4": "Say who delivered the DSL training."})  # fmt: skip
    window.flows.outbox()
    outbox = wait_for_dialog(qtbot, window, OutboxDialog)
    qtbot.waitUntil(lambda: outbox.table.rowCount() == 1, timeout=10_000)
    outbox.check_button.click()
    qtbot.waitUntil(lambda: "Returned" in (outbox.table.item(0, 3).text() if outbox.table.item(0, 3) else ""),
                    timeout=20_000)  # fmt: skip
    assert "last SCR check" in outbox.table.item(0, 3).text()
    outbox.accept()
    qtbot.waitUntil(lambda: window.home.model.index(0, 2).data() == "Returned for changes",
                    timeout=10_000)  # fmt: skip
    window.home.table.selectRow(0)
    assert window.home.reopen_button.isVisible()
    with qtbot.waitSignal(window.audit_opened, timeout=20_000) as opened:
        window.home.reopen_button.click()
    session = opened.args[0]
    assert not session.read_only and session.audit.revision == 2
    page = window.audit_page
    assert page.current_id == "C4"  # "Make changes" opens the first commented standard
    assert page.standard_page.la_card.isVisible()
    assert "who delivered the DSL training" in page.standard_page.la_comment.text()
    assert "Returned by the local authority" in window.banner.label.text()
    assert "last SCR check" in window.banner.label.text()
    page.filter.setCurrentIndex(page.filter.findData("commented"))
    assert page.proxy.visible_standard_ids() == ["C4"]
