"""Use cases the desktop app and the command line call: the audit from start to ready-to-sign.

CONTRACT (the UI codes against these signatures): every write is one committed transaction before
the method returns (autosave), so an answer the UI has shown as saved survives a crash. Methods are
synchronous and Qt-free; the UI calls the slow ones through its background runner. Errors are typed
(`school_audit.store.errors.StoreError` and subclasses, `AuditReadOnlyError`) and carry a
plain-English `message` and `what_to_do`. A write that fails raises and changes nothing: the caller
still holds the unsaved value and may retry.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from school_audit.domain.audit import Action, Audit, AuditState, Response
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.readiness import ReadinessProblem, check_readiness
from school_audit.domain.template import Template
from school_audit.i18n import tr
from school_audit.services.catalogue import (
    TemplateCatalogue,
    TemplateNotFound,
    builtin_templates_or_none,
)
from school_audit.store.errors import AuditNotFound, AuditReadOnlyError

if TYPE_CHECKING:  # not at run time: the window shows an audit before SQLAlchemy is loaded
    from school_audit.domain.edition_move import EditionMove, StandardChange
    from school_audit.store import Store

__all__ = [
    "AuditNotFound",
    "AuditReadOnlyError",
    "AuditService",
    "AuditSummary",
    "DraftExists",
    "NoProfileError",
    "ReturnedComments",
    "TemplateNotFound",
]


class NoProfileError(Exception):
    """An audit cannot start before the establishment profile is filled in."""


class DraftExists(ValueError):
    """One draft a cycle: a second one would split the year's answers between two audits."""

    def __init__(self, cycle: str, audit_id: uuid.UUID) -> None:
        self.cycle, self.audit_id = cycle, audit_id
        super().__init__(tr(
            "You already have a draft audit for {cycle}. Open it to carry on (it is {audit_id}).",
            cycle=cycle, audit_id=audit_id,
        ))  # fmt: skip


@dataclass(frozen=True)
class ReturnedComments:
    """What the LA said when it returned the revision this draft replaces."""

    general: str
    by_standard: dict[str, str]  # standard id -> the reviewer's comment


@dataclass(frozen=True)
class AuditSummary:
    audit_id: uuid.UUID
    cycle: str
    template_title: str
    state: AuditState
    revision: int
    answered: int  # applicable standards (rated or local questions) with an answer
    total: int  # applicable standards, as the workspace counts them
    blocking: int  # readiness problems that stop sign-off
    outbox_state: str | None = None  # "queued", "sending", "failed", "sent" once signed
    corrected_edition: str | None = None  # a later edition of the cycle this draft may move to


class AuditService:
    def __init__(self, store: Store, today: Callable[[], date] = date.today) -> None:
        self._store = store
        self._today = today
        self.catalogue = TemplateCatalogue(store)

    @property
    def store(self) -> Store:
        return self._store

    def warm_up(self) -> None:
        """Get ready for the first write in the background (a store opened by
        `store.startup.open_for_start` loads SQLAlchemy then); a no-op otherwise. Writes never
        need this: they wait for the store themselves."""
        self._store.warm_up()

    def profile(self) -> EstablishmentProfile | None:
        return self._store.load_profile()

    def save_profile(self, profile: EstablishmentProfile) -> None:
        """Save the profile; draft audits follow it (what applies, names), signed ones keep theirs."""
        self._store.save_profile(profile)

    def audits(self) -> list[AuditSummary]:
        """Every audit on this device, most recently changed first."""
        return [self.summary(audit_id) for audit_id in self._store.audit_ids()]

    def summary(self, audit_id: uuid.UUID) -> AuditSummary:
        audit = self.load(audit_id)
        try:
            template = self.template_of(audit)
        except TemplateNotFound:
            template = None
        answered, total, blocking = _progress(audit, template, self._today())
        return AuditSummary(
            audit_id=audit.audit_id,
            cycle=audit.cycle,
            template_title=template.title
            if template
            else f"{audit.template.id} (not on this device)",
            state=audit.state,
            revision=audit.revision,
            answered=answered,
            total=total,
            blocking=blocking,
            outbox_state=self._store.outbox_state_of(audit.audit_id),
            corrected_edition=_version(self.corrected_edition(audit)),
        )

    def available_templates(self) -> list[Template]:
        """Built-in and stored templates for the profile's setting type (all without a profile)."""
        profile = self.profile()
        return self.catalogue.templates(profile.setting_type if profile else None)

    def start_audit(
        self,
        template: Template,
        *,
        carry_forward_from: uuid.UUID | None = None,
        prefill: bool = False,
    ) -> Audit:
        """A new draft on `template` for the saved profile, stored before it is returned.

        With `carry_forward_from`, last cycle's answers come along for reference (pre-filled as
        answers too if `prefill`), open actions are carried over and changed standards are marked
        to be answered afresh. The template is kept in the database with the audit.
        """
        profile = self.profile()
        if profile is None:
            raise NoProfileError("Fill in the establishment profile before starting an audit.")
        draft = self.draft_for(template.cycle)
        if draft is not None:
            raise DraftExists(template.cycle, draft)
        if carry_forward_from is not None:
            from school_audit.domain.carry_forward import carry_forward, editions_between

            previous = self.load(carry_forward_from)
            older = self.template_of(previous)
            via = editions_between(older, template, self.catalogue.templates())
            audit = carry_forward(previous, older, template, profile, prefill, via)
        else:
            audit = Audit.start(template, profile)
        self._keep_template(template)
        self._store.create_audit(audit)
        return audit

    def draft_for(self, cycle: str) -> uuid.UUID | None:
        """The draft audit of `cycle`, if there is one (there is never more than one)."""
        for audit_id in self._store.audit_ids():
            audit = self.load(audit_id)
            if audit.cycle == cycle and audit.state is AuditState.DRAFT:
                return audit.audit_id
        return None

    def returned_comments(self, audit: Audit) -> ReturnedComments | None:
        """The LA's comments on the returned revision a draft replaces (None for any other
        audit). Read from the review kept in the outbox, so they are there offline."""
        if audit.is_read_only or audit.supersedes is None:
            return None
        review = self._store.review_of(audit.supersedes)
        if review is None or review.status != "returned":
            return None
        comments = review.review.get("comments")
        by_standard = (
            {str(k): str(v) for k, v in comments.items()} if isinstance(comments, dict) else {}
        )
        return ReturnedComments(str(review.review.get("general_comment") or ""), by_standard)

    def corrected_edition(self, audit: Audit) -> Template | None:
        """The later edition of the cycle a draft may move to (None when there is none)."""
        if audit.state is not AuditState.DRAFT:
            return None
        from school_audit.domain.edition_move import can_move

        for template in self.catalogue.templates():
            if can_move(audit, template):
                return template
        return None

    def edition_changes(self, audit_id: uuid.UUID) -> tuple[Template, list[StandardChange]]:
        """The corrected edition a draft may move to, and what changed in it and why (for the
        DSL to read before moving). EditionMoveError if there is none."""
        from school_audit.domain.edition_move import EditionMoveError, what_changed

        audit = self.load(audit_id)
        new = self.corrected_edition(audit)
        if new is None:
            raise EditionMoveError(tr("There is no corrected edition for this audit."))
        return new, what_changed(self.template_of(audit), new)

    def move_to_edition(self, audit_id: uuid.UUID) -> EditionMove:
        """Move a draft to the corrected edition of its cycle, with every answer, date and action
        carried over; answers to look at again are marked to re-check (one transaction)."""
        from school_audit.domain.edition_move import move_to_edition

        audit = self.load(audit_id)
        new, _ = self.edition_changes(audit_id)
        moved = move_to_edition(audit, self.template_of(audit), new)
        self._keep_template(new)
        self._store.replace_draft(moved.audit)
        return moved

    def load(self, audit_id: uuid.UUID) -> Audit:
        return self._store.load_audit(audit_id)

    def template_of(self, audit: Audit) -> Template:
        """The exact template (id, version and content hash) the audit was started on."""
        return self.catalogue.find(audit.template, audit.template_sha256)

    def save_response(self, audit_id: uuid.UUID, response: Response) -> None:
        self._store.save_response(audit_id, response)

    def save_action(self, audit_id: uuid.UUID, action: Action) -> None:
        self._store.save_action(audit_id, action)

    def delete_action(self, audit_id: uuid.UUID, action_id: uuid.UUID) -> None:
        self._store.delete_action(audit_id, action_id)

    def confirm_afresh(self, audit_id: uuid.UUID, standard_id: str) -> None:
        self._store.confirm_afresh(audit_id, standard_id)

    def delete_draft(self, audit_id: uuid.UUID) -> None:
        """Throw away a draft (a signed audit cannot be deleted: AuditReadOnlyError)."""
        self._store.delete_draft(audit_id)

    def readiness(self, audit_id: uuid.UUID) -> list[ReadinessProblem]:
        audit = self.load(audit_id)
        return check_readiness(audit, self.template_of(audit), self._today())

    def _keep_template(self, template: Template) -> None:
        if self._store.stored_template(template.id, template.version, template.sha256) is None:
            builtin = any(t.sha256 == template.sha256 for t in builtin_templates_or_none())
            self.catalogue.add(template, "builtin" if builtin else "file")


def _version(template: Template | None) -> str | None:
    return template.version if template is not None else None


def _progress(audit: Audit, template: Template | None, today: date) -> tuple[int, int, int]:
    if template is None:
        return 0, 0, 0
    # Every question the setting answers (the rated standards and the LA's local questions):
    # the same count as the workspace's header and its "26 of 157", so a DSL sees one number.
    asked = audit.applicable_standards(template)
    answered = sum(1 for s in asked if audit.response(s.id).is_answered)
    blocking = sum(1 for p in check_readiness(audit, template, today) if p.blocking)
    return answered, len(asked), blocking
