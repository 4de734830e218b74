"""Home offers the corrected edition to a draft on 2025-26.1; moving keeps every answer."""

from __future__ import annotations

import os
from pathlib import Path

from school_audit.content import builtin_template
from school_audit.domain.audit import Audit
from school_audit.ui.dialogs.edition_move_dialog import EditionMoveDialog
from tests.domain.test_edition_move import _answer_everything
from tests.ui.helpers import activate, prepared_service, real_service_factory, start_window


def _shot(widget, name: str) -> None:
    """Screenshots to look at, when SCREENSHOTS names a folder (QT_SCALE_FACTOR=2 for 200%)."""
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def test_home_offers_the_corrected_edition_and_the_move_keeps_every_answer(
    qtbot, monkeypatch, school_profile
):
    old = builtin_template("school-s175", "2025-26.1")
    service = prepared_service(school_profile, [])
    audit = service.start_audit(old)
    for response in _answer_everything(Audit.start(old, audit.profile), old).responses.values():
        service.save_response(audit.audit_id, response)
    before = service.load(audit.audit_id)

    window = start_window(qtbot, monkeypatch, real_service_factory())
    qtbot.waitUntil(lambda: window.home.move_edition_button.isVisible(), timeout=20_000)
    assert "A corrected edition is available (2025-26.2)" in window.home.edition_notice.text()
    _shot(window, "home_corrected_edition")

    window.home.move_edition_button.click()
    qtbot.waitUntil(lambda: isinstance(window.flows.dialog, EditionMoveDialog), timeout=20_000)
    dialog = window.flows.dialog
    listed = dialog.changes.toPlainText()
    assert "C2" in listed and "Statutory flag changed" in listed
    _shot(dialog, "edition_move_dialog")
    with qtbot.waitSignal(window.audit_opened, timeout=20_000):
        dialog.move_button.click()
    activate(qtbot, window)

    after = window.service.load(audit.audit_id)
    assert after.template.version == "2025-26.2"
    assert after.responses["C2"].rating == before.responses["C2"].rating
    assert after.responses["A1"].evidence == before.responses["A1"].evidence
    page = window.audit_page
    page.go_to("C2")  # statutory flag changed: kept, and shown to re-check
    assert page.standard_page.afresh.isVisible()
    assert "no longer statutory" in page.standard_page.afresh_text.text()
    _shot(window, "moved_recheck_c2")
