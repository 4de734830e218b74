"""Starting this year's audit from last year's: answers beside each standard, changed ones marked."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialogButtonBox

from school_audit.domain.audit import Action, Rating, Response
from school_audit.ui.dialogs.start_audit_dialog import StartAuditDialog
from tests.ui.helpers import (
    activate,
    fixture_template,
    prepared_service,
    real_service_factory,
    start_window,
    wait_for_dialog,
)


def test_start_from_last_year_shows_previous_answers_and_afresh_marks(
    qtbot, monkeypatch, school_profile
):
    last_year = fixture_template("mini_school_template_2024.json")
    this_year = fixture_template()
    service = prepared_service(school_profile, [last_year, this_year])
    previous = service.start_audit(last_year)
    service.save_response(
        previous.audit_id, Response(standard_id="A1", rating=Rating.MET, evidence="Old minutes")
    )
    service.save_response(previous.audit_id, Response(standard_id="A2", rating=Rating.NOT_MET))
    service.save_action(
        previous.audit_id,
        Action(standard_id="A2", description="Termly visits", owner_role="Chair",
               target_date=date(2026, 1, 1)),
    )  # fmt: skip

    window = start_window(qtbot, monkeypatch, real_service_factory([last_year, this_year]))
    qtbot.waitUntil(lambda: window.home.start_button.isEnabled(), timeout=10_000)
    window.home.start_button.click()
    dialog = wait_for_dialog(qtbot, window, StartAuditDialog)
    assert dialog.template.currentData().cycle == "2025-26"  # this year's first
    assert dialog.start_from.currentData() == previous.audit_id  # offered by default
    dialog.prefill.setChecked(True)
    with qtbot.waitSignal(window.audit_opened, timeout=10_000) as opened:
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    activate(qtbot, window)
    session, page = opened.args[0], window.audit_page

    page.go_to("A1")
    card = page.standard_page.previous
    assert card.isVisible() and "Last year: Met" in card.label.text()
    assert "Old minutes" in card.label.text()
    assert session.response("A1").rating is Rating.MET  # pre-filled as asked

    page.go_to("C12")  # new in this edition: answer afresh
    assert page.standard_page.afresh.isVisible()
    assert "new in this edition" in page.standard_page.afresh_text.text()
    page.standard_page.confirm_afresh.click()
    assert not page.standard_page.afresh.isVisible()
    assert "C12" not in window.service.load(session.audit.audit_id).answer_afresh

    assert [a.description for a in session.audit.actions] == ["Termly visits"]  # open action came
    assert page.plan_page.proxy.rowCount() == 1
