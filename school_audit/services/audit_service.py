"""Use cases the desktop app and the command line call: the audit from start to ready-to-sign.

CONTRACT (the UI codes against these signatures; the store helper implements them):
every write is one committed transaction before the method returns (autosave), so an answer the UI
has shown as saved survives a crash. Methods are synchronous and Qt-free; the UI calls the slow ones
through its background runner. Errors are typed (`school_audit.store.errors.StoreError` and
subclasses, `AuditReadOnlyError`) and carry a plain-English message and what to do next.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from school_audit.domain.audit import Action, Audit, AuditState, Response
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.readiness import ReadinessProblem
from school_audit.domain.template import Template


class AuditReadOnlyError(Exception):
    """The audit is signed (or sent): changing it needs a new revision."""


@dataclass(frozen=True)
class AuditSummary:
    audit_id: uuid.UUID
    cycle: str
    template_title: str
    state: AuditState
    revision: int
    answered: int  # applicable rated standards with a rating
    total: int  # applicable rated standards
    blocking: int  # readiness problems that stop sign-off
    outbox_state: str | None = None  # "queued", "sending", "failed", "sent" once signed


class AuditService:  # pragma: no cover - replaced by the implementation
    def __init__(self, store: object, today: Callable[[], date] = date.today) -> None:
        raise NotImplementedError

    def profile(self) -> EstablishmentProfile | None: ...
    def save_profile(self, profile: EstablishmentProfile) -> None: ...
    def audits(self) -> list[AuditSummary]: ...
    def available_templates(self) -> list[Template]: ...
    def start_audit(
        self, template: Template, *, carry_forward_from: uuid.UUID | None = None, prefill: bool = False
    ) -> Audit: ...
    def load(self, audit_id: uuid.UUID) -> Audit: ...
    def template_of(self, audit: Audit) -> Template: ...
    def save_response(self, audit_id: uuid.UUID, response: Response) -> None: ...
    def save_action(self, audit_id: uuid.UUID, action: Action) -> None: ...
    def delete_action(self, audit_id: uuid.UUID, action_id: uuid.UUID) -> None: ...
    def confirm_afresh(self, audit_id: uuid.UUID, standard_id: str) -> None: ...
    def readiness(self, audit_id: uuid.UUID) -> list[ReadinessProblem]: ...
