"""The navigator and action plan models, driven without any widget."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt

from school_audit.domain.audit import Action, ActionStatus, Rating, Response
from school_audit.ui.models.action_plan_model import (
    DUE,
    STATUS,
    ActionPlanFilterProxy,
    ActionPlanModel,
)
from school_audit.ui.models.navigator_model import (
    STATUS as NAV_STATUS,
)
from school_audit.ui.models.navigator_model import (
    NavigatorFilterProxy,
    NavigatorModel,
    ProgressRole,
    StandardIdRole,
)
from school_audit.ui.models.standard_filter import StandardFilter

TODAY = date(2025, 11, 1)


def test_navigator_lists_applicable_sections_and_standards(memory_session):
    model = NavigatorModel(memory_session)
    titles = [model.index(row, 0).data() for row in range(model.rowCount())]
    # The school has EYFS but no boarding: O7 is hidden, C12 shown.
    assert titles == [
        "Leadership and governance",
        "The designated safeguarding lead",
        "Site and extended activities",
        "Local partnership questions",
    ]
    site = model.index(2, 0)
    assert [model.index(r, 0, site).data(StandardIdRole) for r in range(model.rowCount(site))] == [
        "O2"
    ]


def test_navigator_counts_progress_and_rag_per_section(memory_session):
    model = NavigatorModel(memory_session)
    section = model.index(0, 0)
    assert section.siblingAtColumn(NAV_STATUS).data() == "0 of 2"  # read (and kept) before answers
    memory_session.set_response(Response(standard_id="A1", rating=Rating.MET, evidence="Minutes"))
    memory_session.set_response(Response(standard_id="A2", rating=Rating.NOT_MET))
    progress = section.data(ProgressRole)
    assert (progress.answered, progress.total, progress.met, progress.not_met) == (2, 2, 1, 1)
    assert section.siblingAtColumn(NAV_STATUS).data() == "2 of 2"
    assert "1 not met" in section.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index_of_standard("A2", NAV_STATUS).data() == "Not met"
    memory_session.undo_stack.undo()
    assert section.siblingAtColumn(NAV_STATUS).data() == "1 of 2"


def test_navigator_filters_and_search(memory_session):
    model = NavigatorModel(memory_session)
    proxy = NavigatorFilterProxy(memory_session)
    proxy.setSourceModel(model)
    assert proxy.visible_standard_ids() == ["A1", "A2", "C4", "C12", "O2", "LP1", "LP2"]
    proxy.set_filter(StandardFilter.STATUTORY)
    assert proxy.visible_standard_ids() == ["A1", "C4", "C12"]
    proxy.set_filter(StandardFilter.ALL)
    proxy.set_query("lockdown")
    assert proxy.visible_standard_ids() == ["O2"]
    proxy.set_query("")
    memory_session.set_response(Response(standard_id="A1", rating=Rating.MET, evidence="x"))
    proxy.set_filter(StandardFilter.UNANSWERED)
    assert "A1" not in proxy.visible_standard_ids()
    proxy.set_filter(StandardFilter.NEEDS_ATTENTION)
    assert "A1" not in proxy.visible_standard_ids() and "A2" in proxy.visible_standard_ids()


def _actions():
    return [
        Action(
            standard_id="A2",
            description="Termly visits",
            owner_role="Chair",
            target_date=date(2025, 10, 1),
            status=ActionStatus.IN_PROGRESS,
        ),
        Action(
            standard_id="C4",
            description="Book DSL course",
            owner_role="Head",
            target_date=date(2026, 3, 1),
        ),
        Action(
            standard_id="O2",
            description="Rehearse lockdown",
            owner_role="Site manager",
            target_date=date(2025, 9, 1),
            status=ActionStatus.COMPLETE,
        ),
    ]


def test_action_plan_highlights_overdue_and_edits_become_intents(qapp):
    model = ActionPlanModel(TODAY)
    model.set_actions(_actions())
    assert model.index(0, STATUS).data() == "In progress · overdue"
    assert model.index(0, STATUS).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(2, STATUS).data() == "Complete"  # complete is never overdue
    edited = []
    model.action_edited.connect(edited.append)
    assert model.setData(model.index(1, DUE), QDate(2026, 4, 2))
    assert model.setData(model.index(1, STATUS), "in_progress")
    assert edited[-1].target_date == date(2026, 4, 2)
    assert edited[-1].status is ActionStatus.IN_PROGRESS


def test_action_plan_sorts_by_due_date_and_filters(qapp):
    model = ActionPlanModel(TODAY)
    model.set_actions(_actions())
    proxy = ActionPlanFilterProxy(TODAY)
    proxy.setSourceModel(model)
    proxy.sort(DUE, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["O2", "A2", "C4"]
    proxy.set_due(ActionPlanFilterProxy.DUE_OVERDUE)
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["A2"]
    proxy.set_due(ActionPlanFilterProxy.DUE_ANY)
    proxy.set_status(ActionStatus.NOT_STARTED)
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["C4"]
    proxy.set_status(None)
    proxy.set_owner("site")
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["O2"]


def test_navigator_model_passes_qts_own_model_checks(qtmodeltester, memory_session):
    from school_audit.ui.models.navigator_model import NavigatorModel

    model = NavigatorModel(memory_session)
    qtmodeltester.check(model, force_py=True)
    sections = model.rowCount()
    first = model.index(0, 0)
    assert first.isValid() and model.index(0, 1, first).isValid()
    for row, column, parent in ((sections, 0, None), (-1, 0, None), (0, 2, None),
                                (model.rowCount(first), 0, first), (0, 0, model.index(0, 1))):  # fmt: skip
        assert not model.index(row, column, parent or first.parent()).isValid()
