"""A signed return read back as its audit gives the same envelope again, byte for byte: what the
collector prints from a return is what the school signed."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from school_audit.content import builtin_template
from school_audit.domain.audit import Action, Audit, Rating, Response, SignOff, SignOffRole
from school_audit.domain.canonical import canonical_bytes
from school_audit.domain.envelope import build_envelope
from school_audit.domain.envelope_audit import audit_from_envelope
from school_audit.domain.profile import EstablishmentProfile


def _signed_audit() -> tuple[Audit, object]:
    template = builtin_template("school-s175", "2025-26.2")
    profile = EstablishmentProfile(urn="123456", name="Hollybank First School", setting_type="school",
                                   phase="first", la_code="885", district="Redditch",
                                   flags={"has_eyfs": True})  # fmt: skip
    audit = Audit.start(template, profile)
    for number, standard in enumerate(audit.applicable_standards(template)):
        if standard.is_rated:
            rating = [Rating.MET, Rating.PARTIALLY_MET, Rating.NOT_MET][number % 3]
            if standard.statutory is False and number % 7 == 0:
                audit.responses[standard.id] = Response(standard_id=standard.id, rating=Rating.NOT_APPLICABLE,
                                                        na_reason="No such provision here.")  # fmt: skip
                continue
            dates = {d.key: date(2025, 9, 1) for d in standard.dates} if standard.dates else {}
            audit.responses[standard.id] = Response(standard_id=standard.id, rating=rating,
                                                    evidence=f"Seen: {standard.id}", dates=dates)  # fmt: skip
        else:
            audit.responses[standard.id] = Response(standard_id=standard.id, value=True)
    audit.actions.append(Action(standard_id="A1", description="Termly report", owner_role="Head teacher",
                                target_date=date(2026, 3, 1), support_requested=True))  # fmt: skip
    audit.sign_off = [
        SignOff(role=SignOffRole.DSL, name="Amira Okafor", statement="As DSL I confirm.",
                signed_at=datetime(2025, 11, 20, 9, 30, tzinfo=UTC)),
        SignOff(role=SignOffRole.HEAD_TEACHER, name="Gareth Lloyd", statement="As head I confirm.",
                signed_at=datetime(2025, 11, 20, 9, 35, tzinfo=UTC)),
    ]  # fmt: skip
    return audit, template


def test_an_envelope_read_back_as_its_audit_builds_the_same_envelope():
    audit, template = _signed_audit()
    submission = uuid.uuid4()
    signed = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)
    first = build_envelope(audit, template, device_key_id="ed25519:abc", signed_at=signed, submission_id=submission)
    again = build_envelope(audit_from_envelope(first), template, device_key_id="ed25519:abc", signed_at=signed,
                           submission_id=submission)  # fmt: skip
    assert canonical_bytes(again) == canonical_bytes(first)
    read = audit_from_envelope(first)
    assert read.profile.urn == "123456" and read.sign_off[1].name == "Gareth Lloyd"
    assert read.actions[0].support_requested and read.actions[0].target_date == date(2026, 3, 1)
