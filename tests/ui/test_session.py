"""The session: memory first, saved through the service, undo, and a truthful save state."""

from __future__ import annotations

from school_audit.domain.audit import Rating, Response
from school_audit.domain.readiness import ProblemCode
from school_audit.ui.session import SaveState


def test_a_rating_is_saved_at_once_and_the_state_says_so(memory_session, memory_service):
    memory_session.set_response(Response(standard_id="A2", rating=Rating.MET))
    saved = memory_service.saved[memory_session.audit.audit_id]
    assert saved.responses["A2"].rating is Rating.MET
    assert memory_session.save_state is SaveState.SAVED


def test_typing_waits_for_a_pause_then_saves(qtbot, memory_session, memory_service):
    memory_session.set_response(Response(standard_id="A2", evidence="Minutes"), typed=True)
    assert memory_session.save_state is SaveState.PENDING
    assert "A2" not in memory_service.saved[memory_session.audit.audit_id].responses
    qtbot.waitUntil(lambda: memory_session.save_state is SaveState.SAVED, timeout=2000)
    assert memory_service.saved[memory_session.audit.audit_id].responses["A2"].evidence == "Minutes"


def test_a_failed_write_keeps_the_change_and_retries(qtbot, memory_session, memory_service):
    memory_service.fail_writes = True
    memory_session.set_response(Response(standard_id="A2", rating=Rating.NOT_MET))
    assert memory_session.save_state is SaveState.FAILED
    assert "disk is full" not in memory_session.save_message  # unknown errors: a plain message
    assert memory_session.response("A2").rating is Rating.NOT_MET  # nothing lost on screen
    memory_service.fail_writes = False
    memory_session.flush()
    assert memory_session.save_state is SaveState.SAVED
    assert (
        memory_service.saved[memory_session.audit.audit_id].responses["A2"].rating is Rating.NOT_MET
    )


def test_undo_and_redo_go_through_the_store(memory_session, memory_service):
    memory_session.set_response(Response(standard_id="A2", rating=Rating.MET))
    memory_session.set_response(Response(standard_id="A2", rating=Rating.NOT_MET))
    memory_session.undo()
    assert memory_service.saved[memory_session.audit.audit_id].responses["A2"].rating is Rating.MET
    memory_session.redo()
    assert (
        memory_service.saved[memory_session.audit.audit_id].responses["A2"].rating is Rating.NOT_MET
    )


def test_a_burst_of_typing_is_one_undo_step(memory_session):
    for text in ("M", "Mi", "Min"):
        memory_session.set_response(Response(standard_id="A2", evidence=text), typed=True)
    memory_session.flush()
    memory_session.undo()
    assert memory_session.response("A2").evidence == ""


def test_actions_are_added_edited_removed_and_clear_the_problem(memory_session, memory_service):
    memory_session.set_response(Response(standard_id="A2", rating=Rating.NOT_MET))
    codes = {p.code for p in memory_session.problems_for("A2")}
    assert ProblemCode.NEEDS_ACTION in codes
    action = memory_session.add_action("A2")
    from datetime import date

    complete = action.model_copy(
        update={
            "description": "Book visits",
            "owner_role": "Chair",
            "target_date": date(2026, 1, 1),
        }
    )
    memory_session.update_action(complete)
    assert memory_session.problems_for("A2") == []
    assert memory_service.saved[memory_session.audit.audit_id].actions == [complete]
    memory_session.remove_action(action.action_id)
    assert memory_service.saved[memory_session.audit.audit_id].actions == []
    memory_session.undo()
    assert memory_service.saved[memory_session.audit.audit_id].actions == [complete]


def test_non_stop_typing_is_still_saved_every_two_seconds(
    memory_session, memory_service, monkeypatch
):
    from school_audit.ui import session as session_module

    clock = [100.0]
    monkeypatch.setattr(session_module.time, "monotonic", lambda: clock[0])
    text = ""
    for letter in "Minutes of the board":
        text += letter
        clock[0] += 0.15  # faster than the pause that triggers a save
        memory_session.set_response(Response(standard_id="A2", evidence=text), typed=True)
    saved = memory_service.saved[memory_session.audit.audit_id].responses["A2"].evidence
    assert saved and "Minutes of the board".startswith(saved)  # saved mid-burst
