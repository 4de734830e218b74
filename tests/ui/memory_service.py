"""An in-memory stand-in for AuditService, for widget-free unit tests of the UI models.

End-to-end tests use the real service and store; this fake also lets a test make saving fail.
It satisfies the interfaces the UI is typed against (`services.interfaces.AuditServices`), which
mypy checks (`tests/ui/typed_seams.py`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date

from school_audit.domain.audit import Action, Audit, AuditState, Response
from school_audit.domain.edition_move import (
    EditionMove,
    EditionMoveError,
    StandardChange,
    can_move,
    move_to_edition,
    what_changed,
)
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.readiness import ReadinessProblem, check_readiness
from school_audit.domain.template import Template
from school_audit.services.audit_service import AuditSummary, NoProfileError, ReturnedComments


class SavingFailed(Exception):
    pass


class MemoryAuditService:
    def __init__(
        self,
        templates: Sequence[Template],
        profile: EstablishmentProfile | None = None,
        today: Callable[[], date] = lambda: date(2025, 11, 1),
    ) -> None:
        self._templates = list(templates)
        self._profile = profile
        self._today = today
        self.saved: dict[uuid.UUID, Audit] = {}
        self.fail_writes = False
        self.writes = 0

    def warm_up(self) -> None:
        """Nothing to get ready in memory."""

    def profile(self) -> EstablishmentProfile | None:
        return self._profile

    def save_profile(self, profile: EstablishmentProfile) -> None:
        self._profile = profile

    def available_templates(self) -> list[Template]:
        return self._templates

    def start_audit(
        self,
        template: Template,
        *,
        carry_forward_from: uuid.UUID | None = None,
        prefill: bool = False,
    ) -> Audit:
        if self._profile is None:
            raise NoProfileError("Fill in the establishment profile before starting an audit.")
        audit = Audit.start(template, self._profile)
        self.saved[audit.audit_id] = audit
        return audit.model_copy(deep=True)

    def load(self, audit_id: uuid.UUID) -> Audit:
        return self.saved[audit_id].model_copy(deep=True)

    def template_of(self, audit: Audit) -> Template:
        return next(t for t in self._templates if t.id == audit.template.id)

    def audits(self) -> list[AuditSummary]:
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

    def draft_for(self, cycle: str) -> uuid.UUID | None:
        drafts = [a.audit_id for a in self.saved.values()
                  if a.cycle == cycle and a.state is AuditState.DRAFT]  # fmt: skip
        return drafts[0] if drafts else None

    def returned_comments(self, audit: Audit) -> ReturnedComments | None:
        return None  # nothing is ever sent from memory, so nothing comes back

    def edition_changes(self, audit_id: uuid.UUID) -> tuple[Template, list[StandardChange]]:
        audit = self.saved[audit_id]
        new = next((t for t in self._templates if can_move(audit, t)), None)
        if new is None:
            raise EditionMoveError("There is no corrected edition for this audit.")
        return new, what_changed(self.template_of(audit), new)

    def move_to_edition(self, audit_id: uuid.UUID) -> EditionMove:
        audit = self.load(audit_id)
        new, _ = self.edition_changes(audit_id)
        moved = move_to_edition(audit, self.template_of(audit), new)
        self._write()
        self.saved[audit_id] = moved.audit.model_copy(deep=True)
        return moved

    def _write(self) -> None:
        if self.fail_writes:
            raise SavingFailed("The disk is full.")
        self.writes += 1

    def save_response(self, audit_id: uuid.UUID, response: Response) -> None:
        self._write()
        self.saved[audit_id].responses[response.standard_id] = response.model_copy()

    def save_action(self, audit_id: uuid.UUID, action: Action) -> None:
        self._write()
        audit = self.saved[audit_id]
        audit.actions = [a for a in audit.actions if a.action_id != action.action_id] + [action]

    def delete_action(self, audit_id: uuid.UUID, action_id: uuid.UUID) -> None:
        self._write()
        audit = self.saved[audit_id]
        audit.actions = [a for a in audit.actions if a.action_id != action_id]

    def confirm_afresh(self, audit_id: uuid.UUID, standard_id: str) -> None:
        self._write()
        self.saved[audit_id].answer_afresh.pop(standard_id, None)

    def readiness(self, audit_id: uuid.UUID) -> list[ReadinessProblem]:
        audit = self.saved[audit_id]
        return check_readiness(audit, self.template_of(audit), self._today())
