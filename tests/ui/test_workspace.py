"""The audit workspace on a real store: undo, search, filters, readiness, the action plan."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from school_audit.domain.audit import Action, ActionStatus, Rating, Response
from school_audit.ui.models.action_plan_model import OWNER, STATUS, OverdueRole
from school_audit.ui.models.standard_filter import StandardFilter
from school_audit.ui.pages.readiness_panel import HeadingRole, StandardIdRole
from tests.ui.helpers import (
    fixture_template,
    open_audit_window,
    prepared_service,
    real_service_factory,
    start_window,
)


@pytest.fixture
def workspace(qtbot, monkeypatch, school_profile):
    template = fixture_template()
    service = prepared_service(school_profile, [template])
    audit = service.start_audit(template)
    window = open_audit_window(qtbot, monkeypatch, audit.audit_id, [template])
    return window, window.audit_page, audit.audit_id


def stored(window, audit_id):
    return window.service.load(audit_id)


def test_undo_and_redo_of_answers_reach_the_store(qtbot, workspace):
    window, page, audit_id = workspace
    page.go_to("A2")
    page.focus_answer()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_3)
    assert stored(window, audit_id).responses["A2"].rating is Rating.NOT_MET
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window, audit_id).responses["A2"].rating is Rating.MET
    assert page.standard_page.answer._group.checkedId() == 0  # the page shows it too
    window.redo_action.trigger()
    assert stored(window, audit_id).responses["A2"].rating is Rating.NOT_MET

    page.standard_page.evidence.setFocus()
    qtbot.keyClicks(page.standard_page.evidence, "Visit notes")
    window.undo_action.trigger()  # the burst of typing is one step
    assert stored(window, audit_id).responses["A2"].evidence == ""
    assert page.standard_page.evidence.toPlainText() == ""


def test_search_with_ctrl_f_and_enter_goes_to_the_match(qtbot, workspace):
    _, page, _ = workspace
    qtbot.keyClick(page.standard_page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.search
    qtbot.keyClicks(page.search, "lockdown")
    assert page.proxy.visible_standard_ids() == ["O2"]
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.current_id == "O2"
    page.search.clear()
    qtbot.keyClicks(page.search, "no such words anywhere")
    assert page.no_match.isVisible()


def test_filters_unanswered_needs_attention_statutory(qtbot, workspace):
    window, page, _ = workspace
    session = window.session
    session.set_response(Response(standard_id="A1", rating=Rating.MET, evidence="Minutes"))
    session.set_response(Response(standard_id="A2", rating=Rating.NOT_MET))
    page.filter.setCurrentIndex(page.filter.findData(StandardFilter.UNANSWERED.value))
    assert page.proxy.visible_standard_ids() == ["C4", "C12", "O2", "LP1", "LP2"]
    page.filter.setCurrentIndex(page.filter.findData(StandardFilter.NEEDS_ATTENTION.value))
    assert "A2" in page.proxy.visible_standard_ids()
    assert "A1" not in page.proxy.visible_standard_ids()
    page.filter.setCurrentIndex(page.filter.findData(StandardFilter.STATUTORY.value))
    assert page.proxy.visible_standard_ids() == ["A1", "C4", "C12"]
    # Next/previous follow the filtered list.
    page.go_to("A1")
    page.step(1)
    assert page.current_id == "C4"


def test_readiness_lists_every_problem_one_click_from_its_standard(qtbot, workspace):
    window, page, _ = workspace
    page.show_readiness()
    panel = page.readiness
    assert len(panel.problem_items()) == len(window.session.problems) > 0
    target = next(item for item in panel.problem_items() if "O2" in item.text())
    rect = panel.list.visualItemRect(target)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.current_id == "O2"
    assert page.tabs.currentIndex() == 0


def test_action_plan_edits_in_place_and_highlights_overdue(qtbot, workspace):
    window, page, audit_id = workspace
    session = window.session
    late = Action(standard_id="A2", description="Termly visits", owner_role="Chair",
                  target_date=date(2025, 10, 1))  # fmt: skip
    later = Action(standard_id="O2", description="Rehearse lockdown", owner_role="Head",
                   target_date=date(2026, 3, 1))  # fmt: skip
    session.update_action(late)
    session.update_action(later)
    page.show_plan()
    plan = page.plan_page
    assert plan.proxy.rowCount() == 2
    first = plan.proxy.index(0, STATUS)
    assert first.data(OverdueRole) is True and "overdue" in first.data()

    owner = plan.proxy.index(1, OWNER)
    plan.table.setCurrentIndex(owner)
    plan.table.edit(owner)
    editor = plan.table.findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Site manager")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    status = plan.proxy.index(0, STATUS)
    plan.table.setCurrentIndex(status)
    plan.table.edit(status)
    combo = plan.table.findChild(QComboBox)
    combo.setCurrentIndex(combo.findData(ActionStatus.COMPLETE.value))
    plan.table.commitData(combo)
    plan.table.closeEditor(combo, plan.table.itemDelegate().EndEditHint.NoHint)

    saved = {a.description: a for a in stored(window, audit_id).actions}
    assert saved["Rehearse lockdown"].owner_role == "Site manager"
    assert saved["Termly visits"].status is ActionStatus.COMPLETE
    plan.status_filter.setCurrentIndex(plan.status_filter.findData(ActionStatus.COMPLETE.value))
    assert plan.proxy.rowCount() == 1


def test_privacy_warning_under_the_evidence_as_it_is_typed(qtbot, workspace):
    _, page, _ = workspace
    page.go_to("A1")
    standard = page.standard_page
    standard.evidence.setFocus()
    qtbot.keyClicks(standard.evidence, "Spoke with Jack Smith (DOB 12/03/2017)")
    qtbot.waitUntil(standard.evidence_privacy.isVisible, timeout=3_000)
    assert "date of birth" in standard.evidence_privacy.text()
    assert standard.evidence.toPlainText().startswith("Spoke with")  # a warning, not a block
    page.go_to("A2")
    assert not standard.evidence_privacy.isVisible()  # warnings follow the text shown


def test_keyboard_jumps_between_sections(qtbot, workspace):
    window, page, _ = workspace
    page.go_to("A2")
    page.focus_answer()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.AltModifier)
    assert page.current_id == "C4"  # the first standard of the next section
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.AltModifier)
    assert page.current_id == "A1"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.tree


def test_a_second_draft_for_the_same_year_is_not_started(qtbot, workspace):
    window, page, _ = workspace
    page.home_button.click()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=5_000)
    window.home.start_button.click()
    qtbot.waitUntil(window.banner.isVisible, timeout=5_000)
    assert "already have a draft" in window.banner.label.text()
    assert window.flows.dialog is None


def test_the_next_start_reopens_the_audit_at_the_standard_left(qtbot, monkeypatch, workspace):
    window, page, audit_id = workspace
    page.go_to("C4")
    window.close()  # the settings are written as the DSL moves, not only at closing
    again = start_window(qtbot, monkeypatch, real_service_factory([fixture_template()]))
    qtbot.waitUntil(lambda: again.audit_page is not None, timeout=10_000)
    assert again.session.audit.audit_id == audit_id
    assert again.audit_page.current_id == "C4"
    again.show_home()  # home forgets the open audit: the start after shows home
    again.close()
    third = start_window(qtbot, monkeypatch, real_service_factory([fixture_template()]))
    qtbot.waitUntil(lambda: third.stack.currentWidget() is third.home, timeout=10_000)
    assert third.audit_page is None


@pytest.mark.parametrize("remembered", ["6d1f3c1e-0000-4000-8000-000000000000", "not an id"])
def test_a_last_audit_that_cannot_be_reopened_starts_at_home_quietly(
    qtbot, monkeypatch, school_profile, remembered
):
    from school_audit.ui.main_window import window_settings

    template = fixture_template()
    kept = prepared_service(school_profile, [template]).start_audit(template)
    settings = window_settings()
    settings.setValue("last_audit_id", remembered)  # an audit not on this device, or damaged
    settings.sync()
    window = start_window(qtbot, monkeypatch, real_service_factory([template]))
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=10_000)
    assert window.audit_page is None
    assert window.banner.isHidden()  # nothing for the DSL to do: the audit is listed at home
    assert [s.audit_id for s in window.service.audits()] == [kept.audit_id]


def test_readiness_groups_blocking_problems_and_warnings_by_section(qtbot, workspace):
    window, page, _ = workspace
    page.show_readiness()
    panel = page.readiness
    texts = [panel.list.item(row).text() for row in range(panel.list.count())]
    problems = window.session.problems
    blocking = [p for p in problems if p.blocking]
    assert texts[0] == f"Blocks signing ({len(blocking)})"
    headings = [item for item in (panel.list.item(r) for r in range(panel.list.count())) if item.data(HeadingRole)]
    assert all(not item.flags() & Qt.ItemFlag.ItemIsSelectable for item in headings)
    # every problem sits under the title of its own section
    section_title = None
    for row, text in enumerate(texts):
        item = panel.list.item(row)
        if item.data(HeadingRole):
            if "·" in text:
                section_title = text.split(" · ")[0]
            continue
        standard_id = item.data(StandardIdRole)
        assert window.session.template.section_of(standard_id).id == section_title, text
    if any(not p.blocking for p in problems):
        assert any(t.startswith("Worth a look (") for t in texts)
        assert texts.index(next(t for t in texts if t.startswith("Worth a look ("))) > len(blocking)
