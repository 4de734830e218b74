"""`school-audit-collector demo`: a fictional LA with a register, two cycles and signed returns.

Everything goes through the real paths: the register files are written in their published
layouts and imported; devices enrol with one-time codes; every return is built with
`build_envelope`, signed with its device's Ed25519 key and stored by the ingest service, so
signatures verify in the dashboard. Only the receipt times are moved back afterwards, to stand
for returns that arrived over the weeks before the deadline.
"""

from __future__ import annotations

import json
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from school_audit.collector.aggregate import kept
from school_audit.collector.catalog import publish_template
from school_audit.collector.cycles import close_cycle, exempt, open_cycle
from school_audit.collector.db import Database
from school_audit.collector.db.tables import Establishment, Submission
from school_audit.collector.demo import register as demo_register
from school_audit.collector.demo.answers import fill_audit, moment
from school_audit.collector.devices import authenticate
from school_audit.collector.enrolment import enrol, issue_code
from school_audit.collector.ingest.service import Ingestor
from school_audit.collector.local_packs import publish_pack
from school_audit.collector.register import apply_register, parse_early_years, parse_gias
from school_audit.content import builtin_template
from school_audit.content.local_packs import builtin_local_pack
from school_audit.domain.audit import Rating
from school_audit.domain.envelope import build_envelope
from school_audit.domain.local_pack_merge import merge_pack, pack_applies
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.template import Template
from school_audit.signing import SigningKey, sign_canonical

CURRENT, PREVIOUS = "2025-26", "2024-25"
ENROL_URN = "990101"  # left without a return so the desktop app can enrol and submit
EXEMPT_URN = "990133"
QUARANTINE_URN = "990125"
RETURN_FOR_CHANGES_URN = "990116"
USERS = (("admin", "admin"), ("officer", "la_officer"), ("steering", "steering"))


class DemoError(RuntimeError):
    pass


@dataclass
class DemoResult:
    users: list[tuple[str, str, str]]  # username, role, password
    enrolment_code: str
    enrolment_urn: str
    enrolment_name: str
    returns: dict[str, int] = field(default_factory=dict)  # cycle -> returns stored
    files: list[Path] = field(default_factory=list)


def seed_demo(
    database: Database,
    collector_key: SigningKey,
    folder: Path,
    *,
    password: str | None = None,
    seed: int = 2025,
    today: date | None = None,
    create_users: bool = True,
) -> DemoResult:
    today = today or date.today()
    rng = random.Random(seed)
    with database.read() as session:
        if session.scalar(select(func.count()).select_from(Establishment)):
            raise DemoError(
                "this collector already has a register: run the demo on a fresh data folder"
            )
    files = _import_register(database, folder)
    templates = _open_cycles(database, today)
    devices = _enrol_devices(database, rng)
    ingestor = Ingestor(database, collector_key)
    result = DemoResult(
        users=[], enrolment_code="", enrolment_urn=ENROL_URN, enrolment_name="", files=files
    )
    missing = _not_returning(devices, rng)
    for cycle in (PREVIOUS, CURRENT):
        result.returns[cycle] = _send_returns(
            database, ingestor, devices, templates, cycle, missing, rng, today
        )
    _review(database, rng)
    with database.write() as session:
        close_cycle(session, PREVIOUS, "demo")
        exempt(
            session,
            CURRENT,
            EXEMPT_URN,
            "Closing at Christmas; pupils have moved to other schools.",
            "admin",
        )
        result.enrolment_code = issue_code(session, ENROL_URN, days=30, issued_by="demo")
        result.enrolment_name = session.get(Establishment, ENROL_URN).name  # type: ignore[union-attr]
    if create_users:
        result.users = _create_users(database, password)
    return result


def _import_register(database: Database, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    gias_path, ey_path = folder / "edubasealldata-demo.csv", folder / "early-years-demo.csv"
    gias_path.write_bytes(demo_register.gias_file())
    ey_path.write_bytes(demo_register.early_years_file())
    with database.write() as session:
        apply_register(
            session,
            parse_gias(gias_path.read_bytes(), demo_register.LA_CODE),
            "gias",
            "demo",
            demo_register.LA_CODE,
        )
        apply_register(session, parse_early_years(ey_path.read_bytes()), "early_years", "demo")
    return [gias_path, ey_path]


def _open_cycles(database: Database, today: date) -> dict[tuple[str, str], Template]:
    templates = {
        (PREVIOUS, "school"): builtin_template("school-s175", "2024-25.1"),
        (CURRENT, "school"): builtin_template("school-s175", "2025-26.1"),
        (CURRENT, "early_years"): builtin_template("early-years-eyfs", "2025-26.1"),
    }
    pack = builtin_local_pack("worcestershire")
    with database.write() as session:
        for (cycle, _), template in templates.items():
            publish_template(session, template, cycle)
        # The corrected editions are published too, so a school that has moved its draft to
        # 2025-26.2 can send it; the cycle (opened below) still counts on 2025-26.1.
        for template_id in ("school-s175", "early-years-eyfs"):
            publish_template(session, builtin_template(template_id, "2025-26.2"), CURRENT)
        publish_pack(session, pack)  # after the templates it goes under
        for cycle, shift in ((PREVIOUS, 365), (CURRENT, 0)):
            refs = [(t.id, t.version) for (c, _), t in templates.items() if c == cycle]
            first = today - timedelta(days=7 + shift)
            open_cycle(session, cycle, refs, first, first + timedelta(days=28), "demo")
    # This year's returns are made on the merged view, as a Worcestershire device would.
    return {
        key: merge_pack(t, pack) if pack_applies(t, pack) else t for key, t in templates.items()
    }


@dataclass
class DemoDevice:
    key: SigningKey
    token: str
    profile: EstablishmentProfile
    quality: float


def _enrol_devices(database: Database, rng: random.Random) -> list[DemoDevice]:
    devices = []
    with database.write() as session:
        rows = session.scalars(
            select(Establishment).where(Establishment.status == "open").order_by(Establishment.urn)
        )
        for row in list(rows):
            if row.urn == ENROL_URN:
                continue
            key = SigningKey.generate()
            code = issue_code(session, row.urn, days=1, issued_by="demo")
            enrolled = enrol(session, code, key.public_key_b64, f"{row.name} office PC")
            flags = json.loads(row.flags or "{}")
            profile = EstablishmentProfile(
                urn=row.urn, name=row.name, setting_type=row.setting_type, phase=row.phase,
                la_code=row.la_code or "", district=row.district or "", flags=flags,
            )  # fmt: skip
            devices.append(DemoDevice(key, enrolled.token, profile, rng.uniform(0.78, 0.97)))
    return devices


def _not_returning(devices: list[DemoDevice], rng: random.Random) -> set[str]:
    """About a fifth of the register has not returned yet (the overdue list)."""
    candidates = [
        d.profile.urn
        for d in devices
        if d.profile.urn not in {EXEMPT_URN, QUARANTINE_URN, RETURN_FOR_CHANGES_URN}
    ]
    return set(rng.sample(candidates, k=max(1, len(devices) // 5)))


def _send_returns(
    database: Database,
    ingestor: Ingestor,
    devices: list[DemoDevice],
    templates: dict[tuple[str, str], Template],
    cycle: str,
    missing: set[str],
    rng: random.Random,
    today: date,
) -> int:
    first_deadline = today - timedelta(days=7 + (365 if cycle == PREVIOUS else 0))
    sent = 0
    for device in devices:
        template = templates.get((cycle, device.profile.setting_type.value))
        if template is None or (cycle == CURRENT and device.profile.urn in missing):
            continue
        late = rng.random() < (0.15 if cycle == CURRENT else 0.1)
        day = (
            first_deadline + timedelta(days=rng.randint(1, 6))
            if late
            else first_deadline - timedelta(days=rng.randint(1, 45))
        )
        quality = device.quality - (0.06 if cycle == PREVIOUS else 0)
        _send_one(database, ingestor, device, template, moment(day, rng), quality, rng)
        sent += 1
    return sent


def _send_one(database, ingestor, device, template, signed_at, quality, rng) -> None:  # type: ignore[no-untyped-def]
    audit = fill_audit(template, device.profile, rng, quality, signed_at)
    if device.profile.urn == QUARANTINE_URN and template.cycle == CURRENT:
        # A statutory standard marked N/A: kept, signed and all, but quarantined for review.
        statutory = next(
            s
            for s in template.applicable(device.profile.phase, device.profile.flags)
            if s.statutory
        )
        audit.responses[statutory.id] = audit.responses[statutory.id].model_copy(
            update={
                "rating": Rating.NOT_APPLICABLE,
                "na_reason": "We think this does not apply to us.",
            }
        )
    with database.read() as session:
        identity = authenticate(session, device.token)
    envelope = build_envelope(
        audit, template, device_key_id=identity.device_key_id, signed_at=signed_at
    )
    result = ingestor.ingest(envelope, sign_canonical(device.key, envelope), identity)
    received = signed_at + timedelta(minutes=rng.randint(1, 90))
    with database.write() as session:
        session.execute(
            update(Submission)
            .where(Submission.submission_id == result.receipt["submission_id"])
            .values(received_at=received)
        )
        stored = session.get(Submission, result.receipt["submission_id"])
        if stored is not None:  # when it arrived decides the completeness counts
            kept.apply_status_change(session, [(stored.cycle, stored.urn)])


def _review(database: Database, rng: random.Random) -> None:
    from school_audit.collector.review.reviewing import ReviewInput, record_review

    with database.read() as session:
        received = session.execute(
            select(Submission.submission_id, Submission.urn, Submission.cycle)
            .where(Submission.status == "received")
            .order_by(Submission.urn)
        ).all()
    for submission_id, urn, cycle in received:
        if urn == RETURN_FOR_CHANGES_URN and cycle == CURRENT:
            review = ReviewInput(
                "returned", "Please add evidence for the single central record checks.", {}
            )
        elif cycle == PREVIOUS or rng.random() < 0.55:
            review = ReviewInput("accepted", "", {})
        else:
            continue
        record_review(database, submission_id, "officer", review)


def _create_users(database: Database, password: str | None) -> list[tuple[str, str, str]]:
    from school_audit.collector.users import add_user

    users = []
    for username, role in USERS:
        secret = password or secrets.token_urlsafe(12)
        add_user(database, username, role, secret, actor="setup")
        users.append((username, role, secret))
    return users
