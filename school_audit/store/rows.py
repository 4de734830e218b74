"""Converting between domain objects and table rows (plain dicts or mappings), and time stamps as
text. Free of SQLAlchemy: the start-up reader (`reader.py`) builds audits with the same code."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from school_audit.domain.audit import Action, Audit, AuditState, Response, SignOff
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.template import TemplateRef

Row = Mapping[Any, Any]


@dataclass(frozen=True)
class StoredTemplate:
    template_json: str
    sha256: str
    source: str  # "builtin" (kept with an audit that uses it), "collector" or "file"


def utc_text(moment: datetime | None = None) -> str:
    """RFC 3339 UTC with microseconds: one fixed width, so the text sorts like the time.

    A naive datetime is taken to be UTC already.
    """
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_utc(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def dumps(value: Any) -> str:
    # ensure_ascii=False keeps evidence readable in the file; sort_keys keeps rows comparable.
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def response_row(audit_id: uuid.UUID | str, response: Response, now: str) -> dict[str, Any]:
    return {
        "audit_id": str(audit_id),
        "standard_id": response.standard_id,
        "rating": response.rating.value if response.rating else None,
        "evidence": response.evidence,
        "na_reason": response.na_reason,
        "dates_json": dumps({key: day.isoformat() for key, day in response.dates.items()}),
        "value_json": dumps(response.value),
        "updated_at": now,
    }


def response_from_row(row: Mapping[Any, Any]) -> Response:
    return Response(
        standard_id=row["standard_id"],
        rating=row["rating"],
        evidence=row["evidence"],
        na_reason=row["na_reason"],
        dates={key: date.fromisoformat(day) for key, day in json.loads(row["dates_json"]).items()},
        value=json.loads(row["value_json"]),
    )


def action_row(audit_id: uuid.UUID | str, action: Action, position: int) -> dict[str, Any]:
    return {
        "action_id": str(action.action_id),
        "audit_id": str(audit_id),
        "standard_id": action.standard_id,
        "description": action.description,
        "owner_role": action.owner_role,
        "target_date": action.target_date.isoformat() if action.target_date else None,
        "status": action.status.value,
        "support_requested": action.support_requested,
        "carried_forward": action.carried_forward,
        "position": position,
    }


def action_from_row(row: Mapping[Any, Any]) -> Action:
    return Action(
        action_id=uuid.UUID(row["action_id"]),
        standard_id=row["standard_id"],
        description=row["description"],
        owner_role=row["owner_role"],
        target_date=date.fromisoformat(row["target_date"]) if row["target_date"] else None,
        status=row["status"],
        support_requested=bool(row["support_requested"]),
        carried_forward=bool(row["carried_forward"]),
    )


def sign_off_row(
    audit_id: uuid.UUID | str, revision: int, position: int, sign_off: SignOff
) -> dict[str, Any]:
    return {
        "audit_id": str(audit_id),
        "revision": revision,
        "position": position,
        "role": sign_off.role.value,
        "name": sign_off.name,
        "statement": sign_off.statement,
        "signed_at": utc_text(sign_off.signed_at),
    }


def sign_off_from_row(row: Mapping[Any, Any]) -> SignOff:
    return SignOff(
        role=row["role"],
        name=row["name"],
        statement=row["statement"],
        signed_at=datetime.fromisoformat(row["signed_at"]),
    )


def previous_json(previous: dict[str, Response]) -> str:
    return dumps({key: response.model_dump(mode="json") for key, response in previous.items()})


def previous_from_json(text: str) -> dict[str, Response]:
    return {key: Response.from_trusted(value) for key, value in json.loads(text).items()}


def profile_from_json(text: str) -> EstablishmentProfile:
    """A stored profile (checked when it was saved), read back without pydantic."""
    return EstablishmentProfile.from_trusted_json(text)


def audit_from_rows(
    row: Row, answers: Iterable[Row], plan: Iterable[Row], signed: Iterable[Row]
) -> Audit:
    """An audit from its `audits` row, its responses, its actions (in plan order) and the
    sign-offs of its current revision (in order)."""
    return Audit(
        audit_id=uuid.UUID(row["audit_id"]),
        cycle=row["cycle"],
        profile=profile_from_json(row["profile_json"]),
        template=TemplateRef(id=row["template_id"], version=row["template_version"]),
        template_sha256=row["template_sha256"],
        state=AuditState(row["state"]),
        revision=row["revision"],
        supersedes=uuid.UUID(row["supersedes"]) if row["supersedes"] else None,
        responses={r["standard_id"]: response_from_row(r) for r in answers},
        actions=[action_from_row(a) for a in plan],
        sign_off=[sign_off_from_row(s) for s in signed],
        previous_responses=previous_from_json(row["previous_responses_json"]),
        answer_afresh=json.loads(row["answer_afresh_json"]),
    )
