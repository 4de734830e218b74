"""The whole path through the real window on a real store, by keyboard:
first-run profile → new audit → every standard answered → actions → readiness clean."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from school_audit.domain.audit import Rating
from school_audit.ui.dialogs.profile_dialog import ProfileDialog
from school_audit.ui.dialogs.start_audit_dialog import StartAuditDialog
from tests.ui.helpers import (
    activate,
    fixture_template,
    real_service_factory,
    start_window,
    wait_for_dialog,
)


def fill_profile(qtbot, dialog: ProfileDialog) -> None:
    qtbot.keyClicks(dialog.urn, "123456")
    qtbot.keyClicks(dialog.name, "Hollybank First School")
    dialog.phase.setCurrentIndex(dialog.phase.findData("first"))
    dialog.flags["has_eyfs"].setChecked(True)
    qtbot.keyClicks(dialog.dsl.name, "Sam Carter")
    qtbot.keyClicks(dialog.head.name, "Ruth Ellis")
    deputy = dialog.add_deputy()
    qtbot.keyClicks(deputy.name, "Jo Patel")


def press(qtbot, widget, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, key, modifier)


def type_date(qtbot, date_field, text: str) -> None:
    date_field.edit.setFocus()
    press(qtbot, date_field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(date_field.edit, text)
    press(qtbot, date_field.edit, Qt.Key.Key_Tab)


def add_action_by_keyboard(qtbot, page, description: str, owner: str, due: str) -> None:
    page.add_action.setFocus()
    press(qtbot, page.add_action, Qt.Key.Key_Space)
    editor = page.action_list.editors()[-1]
    qtbot.keyClicks(editor.description, description)
    editor.owner.lineEdit().selectAll()
    qtbot.keyClicks(editor.owner.lineEdit(), owner)
    type_date(qtbot, editor.due, due)


def test_first_run_to_ready_to_sign_by_keyboard(qtbot, monkeypatch):
    template = fixture_template()
    window = start_window(qtbot, monkeypatch, real_service_factory([template]))

    profile_dialog = wait_for_dialog(qtbot, window, ProfileDialog)
    fill_profile(qtbot, profile_dialog)
    profile_dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: window.home.start_button.isEnabled(), timeout=10_000)
    assert window.service.profile().deputies[0].name == "Jo Patel"
    assert "Hollybank" in window.home.establishment.text()

    window.home.start_button.click()
    start = wait_for_dialog(qtbot, window, StartAuditDialog)
    start.template.setCurrentIndex(
        next(
            i
            for i in range(start.template.count())
            if start.template.itemData(i).id == "mini-school"
        )
    )
    with qtbot.waitSignal(window.audit_opened, timeout=10_000) as opened:
        start.accept()
    session = opened.args[0]
    activate(qtbot, window)
    page = window.audit_page
    assert page.current_id == "A1"  # the first standard to do
    assert page.proxy.visible_standard_ids() == ["A1", "A2", "C4", "C12", "O2", "LP1", "LP2"]

    standard = page.standard_page

    def answer(rating_key, evidence=""):
        standard.answer.setFocus()
        press(qtbot, standard.answer, rating_key)
        if evidence:
            standard.evidence.setFocus()
            qtbot.keyClicks(standard.evidence, evidence)

    def next_standard():
        press(qtbot, standard, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)

    answer(Qt.Key.Key_1, "Minutes of every full governing board meeting, 2025")  # A1
    next_standard()
    assert page.current_id == "A2"
    answer(Qt.Key.Key_2)  # partially met: needs an action
    add_action_by_keyboard(
        qtbot, standard, "Book termly link visits", "Chair of governors", "01/02/2026"
    )
    next_standard()
    assert page.current_id == "C4"
    answer(Qt.Key.Key_1, "Certificates held by the business manager")
    type_date(qtbot, standard._date_fields["dsl_training"], "01/09/2025")
    next_standard()
    answer(Qt.Key.Key_1, "EYFS lead practitioner duties in the DSL job description")  # C12
    next_standard()
    answer(Qt.Key.Key_3)  # O2 not met
    add_action_by_keyboard(
        qtbot, standard, "Rehearse lockdown each term", "Head teacher", "15/01/2026"
    )
    next_standard()
    answer(Qt.Key.Key_1)  # LP1 yes
    next_standard()
    assert page.current_id == "LP2"
    standard.answer.setFocus()
    qtbot.keyClicks(standard.answer._edit, "3")

    qtbot.waitUntil(lambda: window.save_indicator.state == "saved", timeout=5_000)
    assert "All changes saved" in window.save_indicator.text()
    assert session.ready_to_sign, session.problems
    assert "✓" in page.tabs.tabText(2)

    # What the store holds (read back through a fresh load) is what was typed.
    stored = window.service.load(session.audit.audit_id)
    assert stored.responses["A1"].rating is Rating.MET
    assert stored.responses["A1"].evidence.startswith("Minutes")
    assert stored.responses["A2"].rating is Rating.PARTIALLY_MET
    assert stored.responses["C4"].dates["dsl_training"].isoformat() == "2025-09-01"
    assert stored.responses["O2"].rating is Rating.NOT_MET
    assert stored.responses["LP1"].value is True and stored.responses["LP2"].value == 3
    assert sorted(a.owner_role for a in stored.actions) == ["Chair of governors", "Head teacher"]
    assert window.service.readiness(session.audit.audit_id) == [] or all(
        not p.blocking for p in window.service.readiness(session.audit.audit_id)
    )
    assert not any(p.blocking for p in window.service.readiness(session.audit.audit_id))

    # Home shows the audit as ready to sign.
    page.home_button.click()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=5_000)
    assert window.home.model.index(0, 2).data() == "Ready to sign"
