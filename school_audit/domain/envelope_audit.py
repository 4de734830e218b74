"""A signed return read back as the audit it was made from, so that anyone holding the envelope
(the LA's collector, an archive) can print the same governors' copy the school printed.

The envelope carries everything the copy shows (answers, evidence, dates, actions, who signed and
how); what it does not carry is said here: last year's answers (the copy's "what changed" list is
then empty) and the people of the profile beyond those who signed.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from school_audit.domain.audit import (
    Action,
    ActionStatus,
    Attestation,
    Audit,
    AuditState,
    Rating,
    Response,
    SignOff,
    SignOffRole,
)
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.setting import SettingType
from school_audit.domain.template import TemplateRef


def audit_from_envelope(envelope: dict[str, Any], state: AuditState = AuditState.SENT) -> Audit:
    """The audit an envelope was built from (`domain.envelope.build_envelope`), as far as the
    envelope carries it. Raises ValueError (or pydantic's ValidationError) for an envelope that
    is not one."""
    place = envelope["establishment"]
    profile = EstablishmentProfile(
        urn=place["urn"], name=place["name"], setting_type=SettingType(place["setting_type"]),
        phase=place["phase"], la_code=place.get("la_code") or "", district=place.get("district") or "",
        flags=dict(place.get("flags") or {}),
    )  # fmt: skip
    responses: dict[str, Response] = {}
    for item in envelope["responses"]:
        responses[item["standard_id"]] = Response(
            standard_id=item["standard_id"], rating=Rating(item["rating"]),
            evidence=item.get("evidence") or "", na_reason=item.get("na_reason") or "",
            dates={key: date.fromisoformat(day) for key, day in (item.get("dates") or {}).items()},
        )  # fmt: skip
    for answer in envelope.get("local_answers") or ():
        responses[answer["question_id"]] = Response(standard_id=answer["question_id"], value=answer["value"])
    actions = [
        Action(
            action_id=uuid.UUID(item["action_id"]), standard_id=item["standard_id"],
            description=item["description"], owner_role=item["owner_role"],
            target_date=date.fromisoformat(item["target_date"]), status=ActionStatus(item["status"]),
            support_requested=bool(item.get("support_requested")),
        )  # fmt: skip
        for item in envelope["actions"]
    ]
    sign_off = [
        SignOff(
            role=SignOffRole(item["role"]), name=item["name"], statement=item["statement"],
            signed_at=_moment(item["signed_at"]), attestation=_attestation(item.get("attestation")),
        )  # fmt: skip
        for item in envelope["sign_off"]
    ]
    template = envelope["template"]
    return Audit(
        audit_id=uuid.UUID(envelope["audit_id"]), cycle=envelope["cycle"], profile=profile,
        template=TemplateRef(id=template["id"], version=template["version"]),
        template_sha256=template["sha256"], state=state, revision=int(envelope["revision"]),
        supersedes=uuid.UUID(envelope["supersedes"]) if envelope.get("supersedes") else None,
        responses=responses, actions=actions, sign_off=sign_off,
    )  # fmt: skip


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _attestation(value: dict[str, Any] | None) -> Attestation | None:
    if not value:
        return None
    return Attestation(
        method=value["method"], at=_moment(value["at"]),
        verified_at=_moment(value["verified_at"]) if value.get("verified_at") else None,
        content_sha256=value.get("content_sha256"), collector_key_id=value.get("collector_key_id"),
        signature=value.get("signature"),
    )  # fmt: skip
