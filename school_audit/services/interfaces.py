"""The interfaces the desktop UI is typed against, instead of the concrete `AuditService`.

`AnswerWriter` is what the open audit (`ui/session.py`) writes through; `AuditServices` is what
the window and its flows ask of the audit service. The real `AuditService` satisfies both, and so
does the UI tests' in-memory double (`tests/ui/memory_service.py`): mypy checks both against them
(`tests/ui/typed_seams.py`, run by `tests/test_typing.py`), so a method the UI starts to call
that the double lacks fails the suite instead of a test at run time.

Structural (`typing.Protocol`): neither implementation inherits from these.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from school_audit.domain.audit import Action, Audit, Response
    from school_audit.domain.edition_move import EditionMove, StandardChange
    from school_audit.domain.profile import EstablishmentProfile
    from school_audit.domain.template import Template
    from school_audit.services.audit_service import AuditSummary, ReturnedComments


class AnswerWriter(Protocol):
    """Writes of one open audit: each is committed before it returns, or raises and changes
    nothing (the session keeps the change and retries)."""

    def save_response(self, audit_id: uuid.UUID, response: Response) -> None: ...

    def save_action(self, audit_id: uuid.UUID, action: Action) -> None: ...

    def delete_action(self, audit_id: uuid.UUID, action_id: uuid.UUID) -> None: ...

    def confirm_afresh(self, audit_id: uuid.UUID, standard_id: str) -> None: ...


class AuditServices(AnswerWriter, Protocol):
    """What the window, Home and the flows use: the profile, the audits, starting and opening
    one, moving a draft to a corrected edition."""

    def warm_up(self) -> None:
        """Get ready for the first write, off the UI thread (may do nothing)."""
        ...

    def profile(self) -> EstablishmentProfile | None: ...

    def save_profile(self, profile: EstablishmentProfile) -> None: ...

    def audits(self) -> list[AuditSummary]: ...

    def available_templates(self) -> list[Template]: ...

    def start_audit(
        self,
        template: Template,
        *,
        carry_forward_from: uuid.UUID | None = None,
        prefill: bool = False,
    ) -> Audit: ...

    def draft_for(self, cycle: str) -> uuid.UUID | None: ...

    def load(self, audit_id: uuid.UUID) -> Audit: ...

    def template_of(self, audit: Audit) -> Template: ...

    def returned_comments(self, audit: Audit) -> ReturnedComments | None: ...

    def edition_changes(self, audit_id: uuid.UUID) -> tuple[Template, list[StandardChange]]: ...

    def move_to_edition(self, audit_id: uuid.UUID) -> EditionMove: ...
