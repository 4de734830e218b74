"""Reusable builders for collector tests: a collector with a school, an enrolled device and
correctly signed returns (which tests then spoil on purpose).

Import from other test packages too (`from tests.collector.factories import ...`).
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from school_audit.collector.catalog import publish_template
from school_audit.collector.db import Database, init_database
from school_audit.collector.db.tables import Establishment
from school_audit.collector.enrolment import issue_code
from school_audit.collector.keys import ensure_key_file
from school_audit.collector.settings import CollectorSettings
from school_audit.domain.audit import Audit, Rating, Response, SignOff, SignOffRole
from school_audit.domain.envelope import build_envelope
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.seal import content_sha256
from school_audit.domain.template import Template
from school_audit.domain.template_loading import load_template
from school_audit.signing import SigningKey, sign_canonical

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PUBLIC_URL = "https://audit.county.example.gov.uk"  # the collector's configured address
SIGNED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def mini_template() -> Template:
    return load_template((FIXTURES / "mini_school_template.json").read_bytes())


def school_profile(urn: str = "123456", **changes: Any) -> EstablishmentProfile:
    values: dict[str, Any] = {
        "urn": urn,
        "name": f"School {urn}",
        "setting_type": "school",
        "phase": "first",
        "la_code": "885",
        "district": "Redditch",
        "flags": {"has_eyfs": True},
    }
    values.update(changes)
    return EstablishmentProfile(**values)


def complete_audit(template: Template, profile: EstablishmentProfile, **extra: Any) -> Audit:
    """Every applicable rated standard met with evidence, dates filled, signed off by the DSL."""
    audit = Audit.start(template, profile, **extra)
    for standard in template.applicable(profile.phase, profile.flags):
        if standard.is_rated:
            dates = {d.key: date(2025, 9, 1) for d in standard.dates}
            audit.responses[standard.id] = Response(
                standard_id=standard.id,
                rating=Rating.MET,
                evidence="Seen in the minutes.",
                dates=dates,
            )
        else:
            audit.responses[standard.id] = Response(
                standard_id=standard.id, value=True if standard.answer == "yes_no" else 3
            )
    audit.sign_off.append(
        SignOff(
            role=SignOffRole.DSL,
            name="Alex Morgan",
            statement="I confirm this audit.",
            signed_at=SIGNED_AT,
        )
    )
    return audit


def sign(envelope: dict[str, Any], key: SigningKey) -> dict[str, Any]:
    """The POST /submissions body for `envelope` signed by `key`. As the app does, the envelope's
    `content_sha256` (when it has one) is derived afresh, so a test that spoils the content on
    purpose tests the rule it means to; tests of the hash itself use `sign_canonical`."""
    if "content_sha256" in envelope:
        envelope["content_sha256"] = content_sha256(envelope)
    return {"envelope": envelope, "signature": sign_canonical(key, envelope)}


@dataclass
class EnrolledDevice:
    key: SigningKey
    device_id: str
    device_key_id: str
    token: str
    urn: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def envelope(
        self, template: Template, profile: EstablishmentProfile | None = None, **audit_extra: Any
    ) -> dict[str, Any]:
        profile = profile or school_profile(self.urn)
        audit = complete_audit(template, profile, **audit_extra)
        return build_envelope(
            audit, template, device_key_id=self.device_key_id, signed_at=SIGNED_AT
        )

    def body(self, template: Template, **audit_extra: Any) -> dict[str, Any]:
        return sign(self.envelope(template, **audit_extra), self.key)

    def resign(self, envelope: dict[str, Any], **changes: Any) -> dict[str, Any]:
        changed = copy.deepcopy(envelope)
        changed.update(changes)
        return sign(changed, self.key)


@dataclass
class CollectorWorld:
    """A collector's settings and database with a published mini template."""

    settings: CollectorSettings
    database: Database
    template: Template = field(default_factory=mini_template)

    @classmethod
    def create(
        cls, home: Path, database_url: str | None = None, *, migrate: bool = True, **settings: Any
    ) -> CollectorWorld:
        """`migrate=False` when the database already holds the newest schema (saves time)."""
        settings.setdefault("public_url", PUBLIC_URL)
        config = CollectorSettings(home=home, database_url=database_url or "", **settings)
        ensure_key_file(config.resolved_key_file)
        url = config.resolved_database_url
        world = cls(config, init_database(url) if migrate else Database(url))
        with world.database.write() as session:
            publish_template(session, world.template)
        return world

    def open_cycle(self) -> str:
        """Open the template's cycle (remote signing is only asked for an open cycle)."""
        from school_audit.collector.cycles import open_cycle

        with self.database.write() as session:
            open_cycle(session, self.template.cycle, [(self.template.id, self.template.version)],
                       date(2099, 1, 1), date(2099, 2, 1), "test")  # fmt: skip
        return self.template.cycle

    def add_school(self, urn: str = "123456", **changes: Any) -> None:
        values: dict[str, Any] = {
            "urn": urn,
            "name": f"School {urn}",
            "setting_type": "school",
            "phase": "first",
            "la_code": "885",
            "district": "Redditch",
            "source": "manual",
        }
        values.update(changes)
        with self.database.write() as session:
            session.add(Establishment(**values))

    def issue(self, urn: str = "123456", days: int = 14) -> str:
        with self.database.write() as session:
            return issue_code(session, urn, days)

    def app(self) -> Any:
        from school_audit.collector.app import create_app

        return create_app(self.settings, database=self.database)


def enrol_device(client: Any, world: CollectorWorld, urn: str = "123456") -> EnrolledDevice:
    """Enrol over the API (client: TestClient or httpx.Client pointed at the collector)."""
    key = SigningKey.generate()
    response = client.post(
        "/api/v1/enrolments",
        json={
            "code": world.issue(urn),
            "public_key": key.public_key_b64,
            "device_name": "Office PC",
        },
    )
    assert response.status_code == 201, response.text
    data = response.json()
    return EnrolledDevice(key, data["device_id"], data["device_key_id"], data["token"], urn)


def later_revision(
    device: EnrolledDevice, template: Template, first: dict[str, Any]
) -> dict[str, Any]:
    """Revision 2 of the audit in `first` (a signed body), superseding it."""
    envelope = copy.deepcopy(first["envelope"])
    envelope.update(
        submission_id=str(uuid.uuid4()),
        revision=first["envelope"]["revision"] + 1,
        supersedes=first["envelope"]["submission_id"],
        signed_at=(SIGNED_AT + timedelta(days=1)).isoformat().replace("+00:00", "Z"),
    )
    return sign(envelope, device.key)
