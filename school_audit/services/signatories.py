"""Who signs an audit off, and what each of them declares.

The rules follow who is accountable for safeguarding in each kind of setting: in a school the DSL,
the head teacher and the governing board (its chair; in an independent school the proprietor,
whose role the chair of a proprietor body fills); in a group early-years setting the manager (or
the DSL where the manager is not one) and the registered person; a childminder signs alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from school_audit.domain.audit import SignOff, SignOffRole
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.setting import SettingType
from school_audit.i18n import tr

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

_COMMON = (
    "I confirm that this audit is an accurate account of our safeguarding arrangements as they "
    "stand today, that the evidence it cites exists and can be shown on request, and that it "
    "contains no information that identifies a child."
)
_ROLE_PART = {
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


def declaration(role: SignOffRole) -> str:
    """The statement a signatory in `role` agrees to (stored inside the signed envelope)."""
    return tr(_ROLE_PART[role]) + " " + tr(_COMMON)


def sign_off_problems(signatories: Signatories, sign_offs: Sequence[SignOff]) -> list[str]:
    """Plain-English reasons the sign-offs are not complete; empty when they are."""
    problems: list[str] = []
    roles = [item.role for item in sign_offs]
    for role, count in Counter(roles).items():
        if count > 1:
            problems.append(tr("{role} has signed more than once.", role=ROLE_LABELS[role]))
        if role not in signatories.allowed:
            problems.append(tr("{role} does not sign for this setting.", role=ROLE_LABELS[role]))
    for slot in signatories.slots:
        filled = [role for role in slot.roles if role in roles]
        if slot.required and not filled:
            names = " or ".join(ROLE_LABELS[role] for role in slot.roles)
            problems.append(tr("{names} must sign.", names=names))
    for item in sign_offs:
        if not item.name.strip():
            problems.append(tr("{role}: enter the name.", role=ROLE_LABELS[item.role]))
        if not item.statement.strip():
            problems.append(tr("{role}: the declaration is missing.", role=ROLE_LABELS[item.role]))
    return problems
