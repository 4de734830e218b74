"""An in-memory stand-in for AuditService, for widget-free unit tests of the UI models.

End-to-end tests use the real service and store; this fake also lets a test make saving fail.
"""

from __future__ import annotations

import uuid
from datetime import date

from school_audit.domain.audit import Action, Audit, AuditState, Response
from school_audit.domain.readiness import check_readiness
from school_audit.services.audit_service import AuditSummary


class SavingFailed(Exception):
    pass


class MemoryAuditService:
    def __init__(self, templates, profile=None, today=lambda: date(2025, 11, 1)):
        self._templates = list(templates)
        self._profile = profile
        self._today = today
        self.saved: dict[uuid.UUID, Audit] = {}
        self.fail_writes = False
        self.writes = 0

    def profile(self):
        return self._profile

    def save_profile(self, profile) -> None:
        self._profile = profile

    def available_templates(self):
        return self._templates

    def start_audit(self, template, *, carry_forward_from=None, prefill=False) -> Audit:
        audit = Audit.start(template, self._profile)
        self.saved[audit.audit_id] = audit
        return audit.model_copy(deep=True)

    def load(self, audit_id) -> Audit:
        return self.saved[audit_id].model_copy(deep=True)

    def template_of(self, audit):
        return next(t for t in self._templates if t.id == audit.template.id)

    def audits(self):
        result = []
        for audit in self.saved.values():
            template = self.template_of(audit)
            applicable = [
                s
                for s in template.applicable(audit.profile.phase, audit.profile.flags)
                if s.is_rated
            ]
            problems = check_readiness(audit, template, self._today())
            result.append(
                AuditSummary(
                    audit.audit_id,
                    audit.cycle,
                    template.title,
                    audit.state,
                    audit.revision,
                    sum(audit.response(s.id).rating is not None for s in applicable),
                    len(applicable),
                    sum(p.blocking for p in problems),
                )
            )
        return result

    def draft_for(self, cycle):
        drafts = [a.audit_id for a in self.saved.values()
                  if a.cycle == cycle and a.state is AuditState.DRAFT]  # fmt: skip
        return drafts[0] if drafts else None

    def _write(self):
        if self.fail_writes:
            raise SavingFailed("The disk is full.")
        self.writes += 1

    def save_response(self, audit_id, response: Response) -> None:
        self._write()
        self.saved[audit_id].responses[response.standard_id] = response.model_copy()

    def save_action(self, audit_id, action: Action) -> None:
        self._write()
        audit = self.saved[audit_id]
        audit.actions = [a for a in audit.actions if a.action_id != action.action_id] + [action]

    def delete_action(self, audit_id, action_id) -> None:
        self._write()
        audit = self.saved[audit_id]
        audit.actions = [a for a in audit.actions if a.action_id != action_id]

    def confirm_afresh(self, audit_id, standard_id) -> None:
        self._write()
        self.saved[audit_id].answer_afresh.pop(standard_id, None)

    def readiness(self, audit_id):
        audit = self.saved[audit_id]
        return check_readiness(audit, self.template_of(audit), self._today())
