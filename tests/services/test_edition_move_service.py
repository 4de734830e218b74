"""Moving a stored draft to the corrected edition: one store transaction, nothing lost."""

from __future__ import annotations

from datetime import date

import pytest

from school_audit.content import builtin_template
from school_audit.domain.audit import Audit
from school_audit.domain.edition_move import EditionMoveError
from school_audit.domain.profile import EstablishmentProfile
from school_audit.services.audit_service import AuditService
from school_audit.store import Store
from tests.domain.test_edition_move import _answer_everything, _content


@pytest.fixture
def service(tmp_path):
    store = Store.open(tmp_path / "audit.sqlite3", backups=tmp_path / "backups")
    service = AuditService(store, today=lambda: date(2025, 11, 20))
    service.save_profile(
        EstablishmentProfile(
            urn="123456",
            name="Hollybank First School",
            setting_type="school",
            phase="first",
            flags={"has_eyfs": True, "is_maintained": True},
        )  # fmt: skip
    )
    yield service
    store.close()


def _stored_full_audit(service: AuditService) -> Audit:
    old = builtin_template("school-s175", "2025-26.1")
    audit = service.start_audit(old)
    answered = _answer_everything(Audit.start(old, audit.profile), old)
    for response in answered.responses.values():
        service.save_response(audit.audit_id, response)
    for action in answered.actions:
        service.save_action(audit.audit_id, action)
    return service.load(audit.audit_id)


def test_a_fully_answered_stored_audit_moves_with_nothing_lost(service, tmp_path):
    before = _stored_full_audit(service)
    assert service.summary(before.audit_id).corrected_edition == "2025-26.2"
    new, changes = service.edition_changes(before.audit_id)
    assert new.version == "2025-26.2"
    assert any(c.standard_id == "C2" and c.statutory_changed for c in changes)

    service.move_to_edition(before.audit_id)

    reopened = Store.open(tmp_path / "audit.sqlite3", backups=tmp_path / "backups")
    try:
        after = AuditService(reopened).load(before.audit_id)
    finally:
        reopened.close()
    assert after.template == new.ref and after.template_sha256 == new.sha256
    split = {item.old[0]: item.new for item in new.replaces}
    for old_id, response in before.responses.items():
        for new_id in split.get(old_id, [old_id]):
            assert _content(after.responses[new_id]) == _content(response), new_id
    assert [(a.action_id, a.description, a.status) for a in after.actions] == [
        (a.action_id, a.description, a.status) for a in before.actions
    ]
    assert after.answer_afresh["C2"].startswith("no longer statutory")
    assert after.answer_afresh["B11"].startswith("now statutory")
    assert service.summary(before.audit_id).corrected_edition is None  # nothing more to move to
    assert service.template_of(after).sha256 == new.sha256  # kept with the audit


def test_an_audit_on_the_newest_edition_has_nothing_to_move_to(service):
    audit = service.start_audit(builtin_template("school-s175", "2025-26.2"))
    assert service.summary(audit.audit_id).corrected_edition is None
    with pytest.raises(EditionMoveError):
        service.move_to_edition(audit.audit_id)
