"""One establishment's audit for one cycle: answers, actions and sign-off."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.records import Record
from school_audit.domain.template import Section, Standard, Template, TemplateRef


class Rating(StrEnum):
    MET = "met"
    PARTIALLY_MET = "partially_met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return RATING_LABELS[self]

    @property
    def falls_short(self) -> bool:
        """Partially met or not met: a rating that needs an action in the plan."""
        return self in (Rating.PARTIALLY_MET, Rating.NOT_MET)


# Colours are the views' business (ui/palette.py, reports/styles.py); the words are said here.
RATING_LABELS = {
    Rating.MET: "Met",
    Rating.PARTIALLY_MET: "Partially met",
    Rating.NOT_MET: "Not met",
    Rating.NOT_APPLICABLE: "Not applicable",
}


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


class AuditState(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"  # read-only from here on; the envelope is in the outbox
    SENT = "sent"  # a verified receipt came back
    ACCEPTED = "accepted"
    RETURNED = "returned"  # the LA asked for changes: reopen as a new revision
    SUPERSEDED = "superseded"


# What the collector's review status of a sent return means for the audit it came from.
REVIEW_TO_AUDIT_STATE = {
    "accepted": AuditState.ACCEPTED,
    "returned": AuditState.RETURNED,
    "superseded": AuditState.SUPERSEDED,
}


class SignOffRole(StrEnum):
    DSL = "dsl"
    HEAD_TEACHER = "head_teacher"
    CHAIR_OF_GOVERNORS = "chair_of_governors"
    SAFEGUARDING_GOVERNOR = "safeguarding_governor"
    PROPRIETOR = "proprietor"
    MANAGER = "manager"
    REGISTERED_PERSON = "registered_person"
    CHILDMINDER = "childminder"

    @property
    def label(self) -> str:
        """The role as people read it (PDFs, pages), said once here."""
        return SIGN_OFF_ROLE_LABELS[self.value]


SIGN_OFF_ROLE_LABELS = {
    "dsl": "Designated safeguarding lead",
    "head_teacher": "Head teacher",
    "chair_of_governors": "Chair of governors",
    "safeguarding_governor": "Safeguarding governor",
    "proprietor": "Proprietor",
    "manager": "Manager",
    "registered_person": "Registered person",
    "childminder": "Childminder",
}


@dataclass(kw_only=True)
class Response(Record):
    """The answer to one standard (or one local question)."""

    standard_id: str
    rating: Rating | None = None
    evidence: str = ""
    na_reason: str = ""
    dates: dict[str, date] = field(default_factory=dict)
    value: str | int | bool | None = None  # local questions: yes/no, number, choice, text

    @property
    def is_answered(self) -> bool:
        return self.rating is not None or self.value is not None


@dataclass(kw_only=True)
class Action(Record):
    action_id: uuid.UUID = field(default_factory=uuid.uuid4)
    standard_id: str
    description: str = ""
    owner_role: str = ""
    target_date: date | None = None
    status: ActionStatus = ActionStatus.NOT_STARTED
    support_requested: bool = False
    carried_forward: bool = False  # came over from last cycle's plan

    def is_overdue(self, today: date) -> bool:
        return (
            self.status is not ActionStatus.COMPLETE
            and self.target_date is not None
            and self.target_date < today
        )


@dataclass(kw_only=True)
class Attestation(Record):
    """How one person signed (envelope `sign_off[].attestation`, ARCHITECTURE §4.1). For
    `email_code`, the collector's signature over {content_sha256, role, name, method,
    verified_at} with its key `collector_key_id`; `passkey` is reserved."""

    method: str  # in_person | email_code | passkey
    at: datetime
    verified_at: datetime | None = None
    content_sha256: str | None = None
    collector_key_id: str | None = None
    signature: str | None = None


@dataclass(kw_only=True)
class SignOff(Record):
    role: SignOffRole
    name: str
    statement: str
    signed_at: datetime
    # How this person signed (envelope `sign_off[].attestation`); None: ticked on this PC as before.
    attestation: Attestation | None = None


@dataclass(kw_only=True)
class Audit(Record):
    """A draft or signed audit. Responses are keyed by standard id."""

    audit_id: uuid.UUID = field(default_factory=uuid.uuid4)
    cycle: str
    profile: EstablishmentProfile
    template: TemplateRef
    template_sha256: str
    state: AuditState = AuditState.DRAFT
    revision: int = 1
    supersedes: uuid.UUID | None = None
    responses: dict[str, Response] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)
    sign_off: list[SignOff] = field(default_factory=list)
    # Last cycle's answers, shown beside each standard for reference only.
    previous_responses: dict[str, Response] = field(default_factory=dict)
    # Standards that must be answered afresh after a carry-forward, with the reason.
    answer_afresh: dict[str, str] = field(default_factory=dict)
    # Sealed for signing (the store's `seals` table): a draft whose content is frozen until the DSL
    # unseals it. Not part of the content; set when the audit is loaded.
    sealed: bool = False

    @classmethod
    def start(cls, template: Template, profile: EstablishmentProfile, **extra: Any) -> Audit:
        return cls(
            cycle=template.cycle,
            profile=profile,
            template=template.ref,
            template_sha256=template.sha256,
            **extra,
        )

    @property
    def is_read_only(self) -> bool:
        return self.state is not AuditState.DRAFT

    def response(self, standard_id: str) -> Response:
        return self.responses.get(standard_id) or Response(standard_id=standard_id)

    def actions_for(self, standard_id: str) -> list[Action]:
        return [action for action in self.actions if action.standard_id == standard_id]

    def applicable_standards(self, template: Template) -> list[Standard]:
        """The standards this setting answers: the applicability rule, said once (by the
        profile's phase and flags), in template order."""
        return template.applicable(self.profile.phase, self.profile.flags)

    def applicable_sections(
        self, template: Template, *, rated_only: bool = False
    ) -> list[tuple[Section, list[Standard]]]:
        """The sections with at least one applicable standard, each with those standards
        (only the rated ones with `rated_only`, as the governors' report counts them)."""
        wanted = {s.id for s in self.applicable_standards(template) if s.is_rated or not rated_only}
        found = [(section, [s for s in section.standards if s.id in wanted])
                 for section in template.sections]  # fmt: skip
        return [(section, standards) for section, standards in found if standards]


def clear_afresh_on_answer(marks: dict[str, str], response: Response) -> bool:
    """The rule for an "answer afresh" mark (a standard changed since last year): answering the
    standard clears it. Removes the mark from `marks`; True when one went. The store applies it
    when it saves an answer, and the open audit in the window the same way."""
    return response.is_answered and marks.pop(response.standard_id, None) is not None
