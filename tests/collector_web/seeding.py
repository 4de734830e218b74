"""Put returns into a collector database through its real enrolment and ingest code.

Each school gets a register row, an enrolled device with its own Ed25519 key, and signed returns
built from the mini test template; ingest verifies and stores them exactly as from the API.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from school_audit.collector.catalog import publish_template
from school_audit.collector.cycles import open_cycle
from school_audit.collector.db.engine import Database
from school_audit.collector.db.tables import Establishment
from school_audit.collector.devices import DeviceIdentity
from school_audit.collector.enrolment import enrol, issue_code
from school_audit.collector.ingest.service import Ingestor
from school_audit.domain.canonical import canonical_bytes
from school_audit.domain.envelope import rfc3339
from school_audit.domain.template import Template
from school_audit.signing import SigningKey


@dataclass
class School:
    urn: str
    name: str
    phase: str
    district: str
    key: SigningKey
    device: DeviceIdentity
    token: str


def add_school(
    database: Database,
    urn: str,
    name: str,
    phase: str = "primary",
    district: str = "Wychavon",
    type_group: str = "maintained",
) -> School:
    key = SigningKey.generate()
    with database.write() as session:
        session.add(
            Establishment(
                urn=urn,
                name=name,
                setting_type="school",
                type_name="Community school",
                type_group=type_group,
                phase=phase,
                district=district,
                contact_name="Sam Contact",
                contact_email=f"dsl{urn}@school.example",
                telephone="01905 000000",
                source="manual",
            )
        )
        session.flush()
        code = issue_code(session, urn, 14)
        enrolled = enrol(session, code, key.public_key_b64, f"Office PC {urn}")
        device = DeviceIdentity(
            enrolled.device.device_id,
            enrolled.device.device_key_id,
            key.public_key_b64,
            urn,
            "school",
            phase,
            district,
        )
    return School(urn, name, phase, district, key, device, enrolled.token)


def publish(
    database: Database,
    template: Template,
    first_deadline: date | None = None,
    final_deadline: date | None = None,
) -> None:
    with database.write() as session:
        publish_template(session, template)
        if first_deadline and final_deadline:
            open_cycle(
                session,
                template.cycle,
                [(template.id, template.version)],
                first_deadline,
                final_deadline,
                "test",
            )


def envelope_for(
    school: School,
    template: Template,
    ratings: dict[str, str],
    *,
    revision: int = 1,
    audit_id: str | None = None,
    supersedes: str | None = None,
    evidence: str = "Minutes and records checked.",
    evidence_for: dict[str, str] | None = None,
) -> dict[str, Any]:
    now = rfc3339(datetime.now(UTC))
    responses = []
    for standard_id, rating in ratings.items():
        response: dict[str, Any] = {
            "standard_id": standard_id,
            "rating": rating,
            "evidence": (evidence_for or {}).get(standard_id, evidence),
        }
        if rating == "not_applicable":
            response["na_reason"] = "Not offered here."
        dated = _dated_fields(template, standard_id)
        if dated:
            response["dates"] = {key: "2025-03-01" for key in dated}
        responses.append(response)
    actions = [
        {
            "action_id": str(uuid.uuid4()),
            "standard_id": sid,
            "description": f"Put {sid} right this term.",
            "owner_role": "DSL",
            "target_date": "2026-03-31",
            "status": "not_started",
            "support_requested": True,
        }
        for sid, rating in ratings.items()
        if rating in ("not_met", "partially_met")
    ]
    return {
        "format": "school-audit/submission/v1",
        "submission_id": str(uuid.uuid4()),
        "audit_id": audit_id or str(uuid.uuid4()),
        "revision": revision,
        "supersedes": supersedes,
        "cycle": template.cycle,
        "establishment": {
            "urn": school.urn,
            "name": school.name,
            "setting_type": "school",
            "phase": school.phase,
            "la_code": "885",
            "district": school.district,
        },
        "template": {"id": template.id, "version": template.version, "sha256": template.sha256},
        "responses": responses,
        "actions": actions,
        "sign_off": [
            {
                "role": "dsl",
                "name": "Dana Lead",
                "statement": "I confirm this return.",
                "signed_at": now,
            },
            {
                "role": "head_teacher",
                "name": "Harry Head",
                "statement": "I agree.",
                "signed_at": now,
            },
        ],
        "signed_at": now,
        "device_key_id": school.device.device_key_id,
    }


def submit(
    database: Database, collector_key: SigningKey, school: School, envelope: dict[str, Any]
) -> str:
    signature = school.key.sign(canonical_bytes(envelope))
    Ingestor(database, collector_key).ingest(envelope, signature, school.device)
    return envelope["submission_id"]


def _dated_fields(template: Template, standard_id: str) -> list[str]:
    try:
        return [d.key for d in template.standard(standard_id).dates]
    except KeyError:
        return []


def applicable_ratings(template: Template, phase: str, **overrides: str) -> dict[str, str]:
    """Every standard that applies to the phase rated met, except the ones given."""
    ratings = {s.id: "met" for s in template.applicable(phase, {}) if s.is_rated}
    ratings.update(overrides)
    return ratings


ALL_MET = {"A1": "met", "A2": "met", "C4": "met", "C12": "met", "O2": "met"}
WEAK = {"A1": "not_met", "A2": "partially_met", "C4": "met", "C12": "met", "O2": "not_applicable"}
