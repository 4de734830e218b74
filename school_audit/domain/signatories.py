"""Who signs an audit off, and what each of them declares.

The rules follow who is accountable for safeguarding in each kind of setting: in a school the DSL,
the head teacher and the governing board (its chair; in an independent school the proprietor,
whose role the chair of a proprietor body fills); in a group early-years setting the manager (or
the DSL where the manager is not one) and the registered person; a childminder signs alone.

Pure rules (no translation here): the problems are coded, and the services and the UI turn codes
and the English texts below into the user's words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from school_audit.domain.audit import SignOff, SignOffRole
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.setting import SettingType

R = SignOffRole


@dataclass(frozen=True)
class SignatorySlot:
    """One signature the audit needs (or may have): `role`, or any of `alternatives` instead."""

    role: SignOffRole
    required: bool = True
    alternatives: tuple[SignOffRole, ...] = ()

    @property
    def roles(self) -> tuple[SignOffRole, ...]:
        return (self.role, *self.alternatives)


@dataclass(frozen=True)
class Signatories:
    slots: tuple[SignatorySlot, ...]

    @property
    def required(self) -> list[SignOffRole]:
        return [slot.role for slot in self.slots if slot.required]

    @property
    def optional(self) -> list[SignOffRole]:
        return [slot.role for slot in self.slots if not slot.required]

    @property
    def allowed(self) -> set[SignOffRole]:
        return {role for slot in self.slots for role in slot.roles}


ROLE_LABELS = {
    R.DSL: "Designated safeguarding lead",
    R.HEAD_TEACHER: "Head teacher",
    R.CHAIR_OF_GOVERNORS: "Chair of governors",
    R.SAFEGUARDING_GOVERNOR: "Safeguarding governor",
    R.PROPRIETOR: "Proprietor",
    R.MANAGER: "Setting manager",
    R.REGISTERED_PERSON: "Registered person",
    R.CHILDMINDER: "Childminder",
}

COMMON_DECLARATION = (
    "I confirm that this audit is an accurate account of our safeguarding arrangements as they "
    "stand today, that the evidence it cites exists and can be shown on request, and that it "
    "contains no information that identifies a child."
)
ROLE_DECLARATIONS = {
    R.DSL: "As designated safeguarding lead, I completed this audit and stand by its ratings.",
    R.HEAD_TEACHER: "As head teacher, I have read this audit and will see the action plan carried out.",
    R.CHAIR_OF_GOVERNORS: "On behalf of the governing board, I have read this audit and its action "
    "plan and the board will monitor progress against it.",
    R.SAFEGUARDING_GOVERNOR: "As the governor responsible for safeguarding, I have reviewed this "
    "audit with the designated safeguarding lead.",
    R.PROPRIETOR: "On behalf of the proprietor, I have read this audit and its action plan and "
    "accept responsibility for seeing it carried out.",
    R.MANAGER: "As manager of this setting, I completed (or checked) this audit and stand by its "
    "ratings.",
    R.REGISTERED_PERSON: "As the registered person, I have read this audit and its action plan and "
    "accept responsibility for meeting the requirements it covers.",
    R.CHILDMINDER: "As the registered childminder, I completed this audit myself and stand by its "
    "ratings.",
}


def signatories_for(profile: EstablishmentProfile) -> Signatories:
    if profile.setting_type is SettingType.EARLY_YEARS:
        if profile.is_childminder:
            return Signatories((SignatorySlot(R.CHILDMINDER),))
        return Signatories((
            SignatorySlot(R.MANAGER, alternatives=(R.DSL,)),
            SignatorySlot(R.REGISTERED_PERSON),
            SignatorySlot(R.DSL, required=False),
        ))  # fmt: skip
    board = (
        SignatorySlot(R.PROPRIETOR, alternatives=(R.CHAIR_OF_GOVERNORS,))
        if profile.phase == "independent"
        else SignatorySlot(R.CHAIR_OF_GOVERNORS, alternatives=(R.PROPRIETOR,))
    )
    return Signatories((
        SignatorySlot(R.DSL),
        SignatorySlot(R.HEAD_TEACHER),
        board,
        SignatorySlot(R.SAFEGUARDING_GOVERNOR, required=False),
    ))  # fmt: skip


def declaration_text(role: SignOffRole) -> str:
    """The English statement a signatory in `role` agrees to."""
    return ROLE_DECLARATIONS[role] + " " + COMMON_DECLARATION


class SignOffProblemCode(StrEnum):
    SIGNED_TWICE = "signed_twice"
    NOT_A_SIGNATORY = "not_a_signatory"  # this role does not sign for this kind of setting
    SIGNATURE_MISSING = "signature_missing"  # a required slot (any of `roles`) has no one
    NAME_MISSING = "name_missing"
    DECLARATION_MISSING = "declaration_missing"


@dataclass(frozen=True)
class SignOffProblem:
    code: SignOffProblemCode
    roles: tuple[SignOffRole, ...]  # the role concerned, or a slot's roles (any one may sign)


SIGN_OFF_MESSAGES = {
    SignOffProblemCode.SIGNED_TWICE: "{role} has signed more than once.",
    SignOffProblemCode.NOT_A_SIGNATORY: "{role} does not sign for this setting.",
    SignOffProblemCode.SIGNATURE_MISSING: "{role} must sign.",
    SignOffProblemCode.NAME_MISSING: "{role}: enter the name.",
    SignOffProblemCode.DECLARATION_MISSING: "{role}: the declaration is missing.",
}


def sign_off_problems(
    signatories: Signatories, sign_offs: Sequence[SignOff]
) -> list[SignOffProblem]:
    """What keeps the sign-offs from being complete, coded; empty when they are."""
    problems: list[SignOffProblem] = []
    roles = [item.role for item in sign_offs]
    for role, count in Counter(roles).items():
        if count > 1:
            problems.append(SignOffProblem(SignOffProblemCode.SIGNED_TWICE, (role,)))
        if role not in signatories.allowed:
            problems.append(SignOffProblem(SignOffProblemCode.NOT_A_SIGNATORY, (role,)))
    for slot in signatories.slots:
        if slot.required and not any(role in roles for role in slot.roles):
            problems.append(SignOffProblem(SignOffProblemCode.SIGNATURE_MISSING, slot.roles))
    for item in sign_offs:
        if not item.name.strip():
            problems.append(SignOffProblem(SignOffProblemCode.NAME_MISSING, (item.role,)))
        if not item.statement.strip():
            problems.append(SignOffProblem(SignOffProblemCode.DECLARATION_MISSING, (item.role,)))
    return problems
