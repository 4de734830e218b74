"""The `school-audit/submission/v1` envelope (ARCHITECTURE §4.1): what is signed and sent.

`build_envelope` turns a complete audit into the JSON object; `Envelope` validates one received by
the collector. Both sides hash and sign `canonical_bytes(envelope)`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from school_audit.domain.audit import (
    ActionStatus,
    Attestation,
    Audit,
    Rating,
    SignOff,
    SignOffRole,
)
from school_audit.domain.contract_types import (
    CanonicalUUID,
    IsoDate,
    Rfc3339Time,
    StrictBool,
    StrictInt,
    StrictStr,
)
from school_audit.domain.seal import content_sha256
from school_audit.domain.template import Template

ENVELOPE_FORMAT = "school-audit/submission/v1"
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=500)]
FreeText = Annotated[str, StringConstraints(max_length=20_000)]


def rfc3339(moment: datetime) -> str:
    """RFC 3339 UTC with a Z, to the second: the only timestamp form in an envelope."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class _Open(BaseModel):
    # Contracts may grow new optional fields: keep what we do not know rather than refuse it.
    model_config = ConfigDict(extra="allow", defer_build=True)


class EnvelopeEstablishment(_Open):
    urn: NonEmpty
    name: NonEmpty
    setting_type: Literal["school", "early_years"]
    phase: NonEmpty
    la_code: str | None = None
    district: str | None = None
    # Optional extension: the profile flags that decide which standards apply.
    flags: dict[str, StrictBool] | None = None


Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class EnvelopeLocalPack(_Open):
    id: NonEmpty
    version: NonEmpty
    sha256: Sha256


class EnvelopeTemplate(_Open):
    id: NonEmpty
    version: NonEmpty
    sha256: Sha256  # the national template's, also when a local pack was merged under it
    # Optional extension: the LA's local pack merged under the national core.
    local_pack: EnvelopeLocalPack | None = None


class EnvelopeResponse(_Open):
    standard_id: NonEmpty
    rating: Rating
    evidence: FreeText
    na_reason: FreeText | None = None
    dates: dict[str, IsoDate] | None = None


class EnvelopeAction(_Open):
    action_id: CanonicalUUID
    standard_id: NonEmpty
    description: FreeText
    owner_role: Annotated[str, StringConstraints(max_length=500)]
    target_date: IsoDate
    status: ActionStatus
    support_requested: StrictBool | None = None


AttestationMethod = Literal["in_person", "email_code", "passkey"]


class EnvelopeAttestation(_Open):
    """How one person signed (optional extension). Remote methods carry what verifies them offline:
    for `email_code` the collector's Ed25519 `signature` (by `collector_key_id`) over
    {content_sha256, role, name, method, verified_at}; see docs/signed-returns.md."""

    method: AttestationMethod
    at: Rfc3339Time
    verified_at: Rfc3339Time | None = None
    content_sha256: Sha256 | None = None
    collector_key_id: NonEmpty | None = None
    signature: NonEmpty | None = None


class EnvelopeSignOff(_Open):
    role: SignOffRole
    name: NonEmpty
    statement: FreeText
    signed_at: Rfc3339Time
    attestation: EnvelopeAttestation | None = None  # optional extension


class EnvelopeLocalAnswer(_Open):
    question_id: NonEmpty
    value: StrictStr | StrictInt | StrictBool


class Envelope(_Open):
    format: Literal["school-audit/submission/v1"]
    submission_id: CanonicalUUID
    audit_id: CanonicalUUID
    revision: StrictInt = Field(ge=1)
    supersedes: CanonicalUUID | None
    cycle: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}$")]
    establishment: EnvelopeEstablishment
    template: EnvelopeTemplate
    responses: list[EnvelopeResponse] = Field(max_length=2000)
    actions: list[EnvelopeAction] = Field(max_length=2000)
    sign_off: list[EnvelopeSignOff] = Field(min_length=1, max_length=20)
    signed_at: Rfc3339Time
    device_key_id: NonEmpty
    # Optional extension: answers to the LA's local partnership questions.
    local_answers: list[EnvelopeLocalAnswer] | None = None
    # Optional extension: what every signatory signed (domain.seal.content_sha256).
    content_sha256: Sha256 | None = None


def build_envelope(
    audit: Audit,
    template: Template,
    *,
    device_key_id: str,
    signed_at: datetime,
    submission_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """The envelope object for a complete audit (readiness is checked by the caller)."""
    profile = audit.profile
    applicable = template.applicable(profile.phase, profile.flags)
    rated = [s for s in applicable if s.is_rated]
    local = [s for s in applicable if not s.is_rated]
    envelope: dict[str, Any] = {
        "format": ENVELOPE_FORMAT,
        "submission_id": str(submission_id or uuid.uuid4()),
        "audit_id": str(audit.audit_id),
        "revision": audit.revision,
        "supersedes": str(audit.supersedes) if audit.supersedes else None,
        "cycle": audit.cycle,
        "establishment": profile.envelope_establishment(),
        "template": template_json(template),
        "responses": [_response_json(audit, s.id) for s in rated],
        "actions": [_action_json(a) for a in audit.actions if a.target_date is not None],
        "sign_off": [_sign_off_json(s) for s in audit.sign_off],
        "signed_at": rfc3339(signed_at),
        "device_key_id": device_key_id,
    }
    answers = [
        {"question_id": s.id, "value": audit.response(s.id).value}
        for s in local
        if audit.response(s.id).value is not None
    ]
    if answers:
        envelope["local_answers"] = answers
    envelope["content_sha256"] = content_sha256(envelope)
    return envelope


def _sign_off_json(sign_off: SignOff) -> dict[str, Any]:
    value: dict[str, Any] = {
        "role": sign_off.role.value,
        "name": sign_off.name,
        "statement": sign_off.statement,
        "signed_at": rfc3339(sign_off.signed_at),
    }
    if sign_off.attestation is not None:
        value["attestation"] = attestation_json(sign_off.attestation)
    return value


def attestation_json(attestation: Attestation) -> dict[str, Any]:
    """The envelope form: times as RFC 3339 text, absent fields left out."""
    value: dict[str, Any] = {"method": attestation.method, "at": rfc3339(attestation.at)}
    if attestation.verified_at is not None:
        value["verified_at"] = rfc3339(attestation.verified_at)
    for name in ("content_sha256", "collector_key_id", "signature"):
        if getattr(attestation, name) is not None:
            value[name] = getattr(attestation, name)
    return value


def template_json(template: Template) -> dict[str, Any]:
    """The envelope's `template`: the national core, and the local pack when one was merged."""
    value: dict[str, Any] = {
        "id": template.id,
        "version": template.version,
        "sha256": template.core_sha256,
    }
    if template.local_pack is not None:
        pack = template.local_pack
        value["local_pack"] = {"id": pack.id, "version": pack.version, "sha256": pack.sha256}
    return value


def _response_json(audit: Audit, standard_id: str) -> dict[str, Any]:
    response = audit.response(standard_id)
    if response.rating is None:
        raise ValueError(f"standard {standard_id} is unanswered")
    value: dict[str, Any] = {
        "standard_id": standard_id,
        "rating": response.rating.value,
        "evidence": response.evidence,
    }
    if response.rating is Rating.NOT_APPLICABLE:
        value["na_reason"] = response.na_reason
    if response.dates:
        value["dates"] = {key: day.isoformat() for key, day in sorted(response.dates.items())}
    return value


def _action_json(action: Any) -> dict[str, Any]:
    return {
        "action_id": str(action.action_id),
        "standard_id": action.standard_id,
        "description": action.description,
        "owner_role": action.owner_role,
        "target_date": action.target_date.isoformat(),
        "status": action.status.value,
        "support_requested": action.support_requested,
    }
