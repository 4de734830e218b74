"""The audit service on a real SQLite file: the contract the desktop app codes against."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date

import pytest

from school_audit.domain.audit import Action, AuditState, Rating, Response
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.readiness import ProblemCode
from school_audit.services.audit_service import (
    AuditReadOnlyError,
    AuditService,
    NoProfileError,
)
from school_audit.store import Store

TODAY = date(2025, 11, 20)


@pytest.fixture
def store(tmp_path):
    opened = Store.open(tmp_path / "audit.sqlite3", backups=tmp_path / "backups")
    yield opened
    opened.close()


@pytest.fixture
def service(store, school_profile):
    service = AuditService(store, today=lambda: TODAY)
    service.save_profile(school_profile)
    return service


def test_no_audit_before_a_profile(store, mini_template):
    with pytest.raises(NoProfileError):
        AuditService(store).start_audit(mini_template)


def test_start_audit_is_stored_with_its_template(service, store, mini_template):
    audit = service.start_audit(mini_template)
    loaded = service.load(audit.audit_id)
    assert loaded == audit
    assert service.template_of(loaded).sha256 == mini_template.sha256
    assert store.stored_template(mini_template.id, mini_template.version) is not None


def test_save_response_round_trips(service, mini_template):
    audit = service.start_audit(mini_template)
    answer = Response(
        standard_id="C4",
        rating=Rating.MET,
        evidence="Certificates on file — “Level 3” ✓",
        dates={"dsl_training": date(2025, 1, 14)},
    )
    service.save_response(audit.audit_id, answer)
    assert service.load(audit.audit_id).responses["C4"] == answer


def test_each_save_is_committed_for_another_connection(service, store, mini_template):
    audit = service.start_audit(mini_template)
    service.save_response(audit.audit_id, Response(standard_id="A1", rating=Rating.NOT_MET))
    other = sqlite3.connect(store.path)
    try:
        row = other.execute(
            "SELECT rating FROM responses WHERE audit_id = ? AND standard_id = 'A1'",
            (str(audit.audit_id),),
        ).fetchone()
    finally:
        other.close()
    assert row == ("not_met",)


def test_actions_add_edit_delete_keep_order(service, mini_template):
    audit = service.start_audit(mini_template)
    first = Action(standard_id="A1", description="Add safeguarding to every agenda")
    second = Action(standard_id="A2", description="Termly visit", owner_role="Link governor")
    service.save_action(audit.audit_id, first)
    service.save_action(audit.audit_id, second)
    edited = first.model_copy(update={"owner_role": "Chair", "target_date": date(2026, 3, 1)})
    service.save_action(audit.audit_id, edited)
    assert service.load(audit.audit_id).actions == [edited, second]
    service.delete_action(audit.audit_id, first.action_id)
    assert service.load(audit.audit_id).actions == [second]


def test_summary_counts_every_applicable_standard(service, mini_template, school_profile):
    """The same count as the workspace: rated standards and local questions alike."""
    audit = service.start_audit(mini_template)
    applicable = mini_template.applicable(school_profile.phase, school_profile.flags)
    assert any(not s.is_rated for s in applicable)  # the fixture has local questions
    service.save_response(audit.audit_id, Response(standard_id="A2", rating=Rating.MET))
    [summary] = service.audits()
    assert summary.audit_id == audit.audit_id
    assert (summary.answered, summary.total) == (1, len(applicable))
    assert summary.blocking == sum(1 for p in service.readiness(audit.audit_id) if p.blocking)
    assert summary.blocking >= len([s for s in applicable if s.is_rated]) - 1
    assert summary.state is AuditState.DRAFT and summary.outbox_state is None


def test_readiness_uses_the_injected_clock(store, school_profile, mini_template):
    late = AuditService(store, today=lambda: date(2030, 1, 1))
    late.save_profile(school_profile)
    audit = late.start_audit(mini_template)
    late.save_response(
        audit.audit_id,
        Response(standard_id="C4", rating=Rating.MET, evidence="x", dates={"dsl_training": TODAY}),
    )
    codes = {p.code for p in late.readiness(audit.audit_id) if p.standard_id == "C4"}
    assert ProblemCode.DATE_EXPIRED in codes


def test_signed_audit_is_read_only(service, store, mini_template):
    audit = service.start_audit(mini_template)
    store.finalise(audit.audit_id, [], uuid.uuid4(), b"{}", "sig")
    with pytest.raises(AuditReadOnlyError):
        service.save_response(audit.audit_id, Response(standard_id="A1", rating=Rating.MET))
    with pytest.raises(AuditReadOnlyError):
        service.save_action(audit.audit_id, Action(standard_id="A1"))
    with pytest.raises(AuditReadOnlyError):
        service.confirm_afresh(audit.audit_id, "A1")
    assert service.audits()[0].outbox_state == "queued"


def test_available_templates_follow_the_profile_setting_type(
    service, school_profile, mini_template
):
    service.catalogue.add(mini_template, "collector")
    assert (mini_template.id, mini_template.version) in {
        (t.id, t.version) for t in service.available_templates()
    }
    nursery = EstablishmentProfile.model_validate(
        school_profile.model_dump() | {"setting_type": "early_years", "phase": "day_nursery"}
    )
    service.save_profile(nursery)
    assert all(t.setting_type == "early_years" for t in service.available_templates())
    assert mini_template.id not in {t.id for t in service.available_templates()}


def test_carry_forward_brings_last_cycles_answers_and_open_actions(service, mini_template):
    from tests.ui.helpers import fixture_template

    last_year = service.start_audit(fixture_template("mini_school_template_2024.json"))
    service.save_response(last_year.audit_id, Response(standard_id="A2", rating=Rating.NOT_MET))
    open_action = Action(standard_id="A2", description="Book termly visits", owner_role="Chair")
    service.save_action(last_year.audit_id, open_action)
    this_year = service.start_audit(
        mini_template, carry_forward_from=last_year.audit_id, prefill=True
    )
    loaded = service.load(this_year.audit_id)
    assert loaded == this_year
    assert loaded.previous_responses["A2"].rating is Rating.NOT_MET
    assert [a.description for a in loaded.actions] == ["Book termly visits"]
    assert loaded.actions[0].carried_forward
    assert service.load(last_year.audit_id).responses["A2"].rating is Rating.NOT_MET


def test_saving_an_answer_clears_its_answer_afresh_mark(service, store, mini_template):
    audit = service.start_audit(mini_template)
    with store.write() as connection:
        connection.exec_driver_sql(
            "UPDATE audits SET answer_afresh_json = ? WHERE audit_id = ?",
            ('{"A1": "split", "A2": "new"}', str(audit.audit_id)),
        )
    service.save_response(audit.audit_id, Response(standard_id="A1", rating=Rating.MET))
    service.confirm_afresh(audit.audit_id, "A2")
    assert service.load(audit.audit_id).answer_afresh == {}


def test_drafts_follow_profile_changes_but_signed_audits_keep_theirs(
    service, store, school_profile, mini_template
):
    signed = service.start_audit(mini_template)
    store.finalise(signed.audit_id, [], uuid.uuid4(), b"{}", "sig")
    draft = service.start_audit(mini_template)
    renamed = school_profile.model_copy(update={"name": "Hollybank Primary School", "flags": {}})
    service.save_profile(renamed)
    assert service.load(draft.audit_id).profile == renamed
    assert service.load(signed.audit_id).profile == school_profile
    assert "C12" not in {p.standard_id for p in service.readiness(draft.audit_id)}  # no EYFS now


def test_a_failed_save_raises_and_the_retry_keeps_the_value(
    tmp_path, school_profile, mini_template
):
    from school_audit.store import DatabaseLocked

    store = Store.open(tmp_path / "locked.sqlite3", busy_timeout_ms=100)
    service = AuditService(store, today=lambda: TODAY)
    service.save_profile(school_profile)
    audit = service.start_audit(mini_template)
    answer = Response(standard_id="A1", rating=Rating.MET, evidence="Typed while locked")
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLocked):
            service.save_response(audit.audit_id, answer)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "A1" not in service.load(audit.audit_id).responses
    service.save_response(audit.audit_id, answer)
    assert service.load(audit.audit_id).responses["A1"] == answer
    store.close()


def test_an_audit_whose_template_is_gone_is_still_listed(service, store, mini_template):
    audit = service.start_audit(mini_template)
    with store.write() as connection:
        connection.exec_driver_sql("DELETE FROM templates")
    [summary] = service.audits()
    assert summary.audit_id == audit.audit_id
    assert "not on this device" in summary.template_title


def test_one_draft_per_cycle(service, mini_template):
    from school_audit.services.audit_service import DraftExists

    first = service.start_audit(mini_template)
    with pytest.raises(DraftExists) as refused:
        service.start_audit(mini_template)
    assert refused.value.audit_id == first.audit_id and "2025-26" in str(refused.value)
    assert service.draft_for("2025-26") == first.audit_id
    service.delete_draft(first.audit_id)
    assert service.draft_for("2025-26") is None
    service.start_audit(mini_template)  # once the draft is gone, a new one may start
