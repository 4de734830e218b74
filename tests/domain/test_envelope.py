"""The submission envelope follows ARCHITECTURE §4.1 and its canonical bytes are stable."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime

import pytest

from school_audit.domain.audit import Action, Audit, Rating, Response, SignOff, SignOffRole
from school_audit.domain.canonical import canonical_bytes
from school_audit.domain.envelope import Envelope, build_envelope
from school_audit.domain.setting import PROFILE_FLAGS

SIGNED = datetime(2025, 12, 1, 10, 30, 15, 123456, tzinfo=UTC)


def signed_audit(template, profile) -> Audit:
    audit = Audit.start(template, profile)
    for s in template.applicable(profile.phase, profile.flags):
        if s.is_rated:
            audit.responses[s.id] = Response(standard_id=s.id, rating=Rating.MET, evidence="Evidence é ✓")
    audit.responses["C4"].dates = {"dsl_training": date(2025, 9, 1)}
    audit.responses["A2"] = Response(standard_id="A2", rating=Rating.NOT_MET, evidence="")
    audit.responses["LP1"] = Response(standard_id="LP1", value=True)
    audit.actions.append(
        Action(standard_id="A2", description="Appoint a link governor", owner_role="Chair", target_date=date(2026, 2, 1), support_requested=True)
    )
    audit.sign_off.append(SignOff(role=SignOffRole.DSL, name="Zoë Łukasiewicz", statement="I confirm.", signed_at=SIGNED))
    return audit


def test_envelope_has_every_required_field(mini_template, school_profile):
    audit = signed_audit(mini_template, school_profile)
    envelope = build_envelope(audit, mini_template, device_key_id="dk_1", signed_at=SIGNED)
    assert set(envelope) == {
        "format", "submission_id", "audit_id", "revision", "supersedes", "cycle", "establishment",
        "template", "responses", "actions", "sign_off", "signed_at", "device_key_id", "local_answers",
        "content_sha256",
    }
    assert envelope["format"] == "school-audit/submission/v1"
    assert envelope["signed_at"] == "2025-12-01T10:30:15Z"
    assert envelope["template"]["sha256"] == mini_template.sha256
    flags = envelope["establishment"].pop("flags")
    assert envelope["establishment"] == {
        "urn": "123456", "name": "Hollybank First School", "setting_type": "school",
        "phase": "first", "la_code": "885", "district": "Redditch",
    }
    assert flags["has_eyfs"] is True and flags["boarding"] is False
    assert set(flags) == set(PROFILE_FLAGS)
    assert [r["standard_id"] for r in envelope["responses"]] == ["A1", "A2", "C4", "C12", "O2"]
    assert envelope["responses"][2]["dates"] == {"dsl_training": "2025-09-01"}
    assert envelope["actions"][0]["support_requested"] is True
    assert envelope["local_answers"] == [{"question_id": "LP1", "value": True}]
    envelope["establishment"]["flags"] = flags
    Envelope.model_validate(envelope)  # the collector's own schema accepts it


def test_canonical_bytes_are_deterministic_and_utf8(mini_template, school_profile):
    audit = signed_audit(mini_template, school_profile)
    sid = uuid.uuid4()
    one = build_envelope(audit, mini_template, device_key_id="dk", signed_at=SIGNED, submission_id=sid)
    two = json.loads(json.dumps(one, sort_keys=True))
    assert canonical_bytes(one) == canonical_bytes(two)
    assert "Zoë Łukasiewicz".encode() in canonical_bytes(one)
    assert canonical_bytes({"b": 1, "a": [1.0, "é"]}) == '{"a":[1,"é"],"b":1}'.encode()


def test_an_unanswered_standard_cannot_be_enveloped(mini_template, school_profile):
    audit = Audit.start(mini_template, school_profile)
    with pytest.raises(ValueError, match="unanswered"):
        build_envelope(audit, mini_template, device_key_id="dk", signed_at=SIGNED)


def test_envelope_schema_refuses_bad_values(mini_template, school_profile):
    envelope = build_envelope(signed_audit(mini_template, school_profile), mini_template, device_key_id="dk", signed_at=SIGNED)
    envelope["responses"][0]["rating"] = "brilliant"
    with pytest.raises(ValueError):
        Envelope.model_validate(envelope)


def test_a_merged_audit_names_the_national_core_and_its_local_pack(mini_template, school_profile):
    from school_audit.domain.local_pack import load_local_pack
    from school_audit.domain.local_pack_merge import merge_pack
    from tests.conftest import FIXTURES

    pack = load_local_pack((FIXTURES / "mini_local_pack.json").read_bytes())
    merged = merge_pack(mini_template, pack)
    audit = signed_audit(merged, school_profile)
    audit.responses["MC2"] = Response(standard_id="MC2", value="Somewhat")
    envelope = build_envelope(audit, merged, device_key_id="dk_1", signed_at=SIGNED)
    assert envelope["template"] == {
        "id": "mini-school",
        "version": mini_template.version,
        "sha256": mini_template.sha256,  # what the collector published, not the merged view's
        "local_pack": {"id": "mini-county", "version": "2025-26.1", "sha256": pack.sha256},
    }
    # rated responses are the national ones; the pack's answers are local answers
    assert [r["standard_id"] for r in envelope["responses"]] == ["A1", "A2", "C4", "C12", "O2"]
    assert {"question_id": "MC2", "value": "Somewhat"} in envelope["local_answers"]
    parsed = Envelope.model_validate(envelope)
    assert parsed.template.local_pack.sha256 == pack.sha256
    plain = build_envelope(signed_audit(mini_template, school_profile), mini_template,
                           device_key_id="dk_1", signed_at=SIGNED)  # fmt: skip
    assert "local_pack" not in plain["template"]  # a return without a pack is as before
    assert Envelope.model_validate(plain).template.local_pack is None
