"""Sealing: `content_sha256` covers the content and nothing of the sign-offs, and a change voids
every signature collected under the seal."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from school_audit.domain.audit import Attestation, SignOff, SignOffRole
from school_audit.domain.canonical import canonical_bytes
from school_audit.domain.envelope import Envelope, build_envelope
from school_audit.domain.seal import NOT_SEALED, check_seal, content_sha256, seal
from tests.domain.test_envelope import SIGNED, signed_audit

SEALED_AT = datetime(2025, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def envelope(mini_template, school_profile):
    audit = signed_audit(mini_template, school_profile)
    return build_envelope(audit, mini_template, device_key_id="dk_1", signed_at=SIGNED)


def test_the_hash_is_of_the_rfc8785_bytes_without_the_sign_off_fields(envelope):
    import hashlib

    rest = {k: v for k, v in envelope.items() if k not in NOT_SEALED}
    assert envelope["content_sha256"] == hashlib.sha256(canonical_bytes(rest)).hexdigest()
    assert set(NOT_SEALED) == {"sign_off", "signed_at", "device_key_id", "content_sha256"}


def test_a_new_device_key_keeps_the_seal(envelope):
    # Enrolling again re-signs an unsent return under a new device key: the people's
    # signatures are bound to the content, not to the computer that sends it.
    moved = copy.deepcopy(envelope)
    moved["device_key_id"] = "dk_2"
    assert content_sha256(moved) == envelope["content_sha256"]


def test_signatures_and_the_final_time_do_not_change_the_hash(envelope):
    later = copy.deepcopy(envelope)
    later["sign_off"].append({"role": "head_teacher", "name": "B", "statement": "s",
                              "signed_at": "2025-12-02T09:00:00Z"})  # fmt: skip
    later["signed_at"] = "2025-12-03T09:00:00Z"
    later["content_sha256"] = "0" * 64
    assert content_sha256(later) == envelope["content_sha256"]


@pytest.mark.parametrize("path", ["responses", "actions", "establishment", "submission_id"])
def test_any_change_to_the_content_changes_the_hash(envelope, path):
    changed = copy.deepcopy(envelope)
    if path == "responses":
        changed["responses"][0]["evidence"] += "!"
    elif path == "actions":
        changed["actions"][0]["status"] = "complete"
    elif path == "establishment":
        changed["establishment"]["name"] += " Academy"
    else:
        changed["submission_id"] = "00000000-0000-4000-8000-000000000000"
    assert content_sha256(changed) != envelope["content_sha256"]


def test_a_change_unseals_and_voids_every_signature(envelope):
    sealed = seal(envelope, SEALED_AT)
    people = [SignOff(role=SignOffRole.DSL, name="A", statement="s", signed_at=SIGNED)]
    kept = check_seal(sealed, envelope, people)
    assert kept.sealed and kept.kept == people and kept.voided == []
    changed = copy.deepcopy(envelope)
    changed["responses"][0]["rating"] = "not_met"
    voided = check_seal(sealed, changed, people)
    assert not voided.sealed and voided.kept == [] and voided.voided == people
    assert check_seal(None, envelope, people).voided == people  # nothing sealed: nothing holds


def test_an_attestation_travels_in_the_sign_off_entry(mini_template, school_profile):
    audit = signed_audit(mini_template, school_profile)
    audit.sign_off[0].attestation = Attestation(method="in_person", at=SIGNED)
    envelope = build_envelope(audit, mini_template, device_key_id="dk_1", signed_at=SIGNED)
    assert envelope["sign_off"][0]["attestation"] == {"method": "in_person",
                                                      "at": "2025-12-01T10:30:15Z"}  # fmt: skip
    parsed = Envelope.model_validate(envelope)
    assert parsed.sign_off[0].attestation.method == "in_person"
    assert parsed.content_sha256 == envelope["content_sha256"]


def test_returns_made_before_sealing_stay_valid(envelope):
    old = copy.deepcopy(envelope)
    del old["content_sha256"]
    parsed = Envelope.model_validate(old)
    assert parsed.content_sha256 is None and parsed.sign_off[0].attestation is None


@pytest.mark.parametrize(
    "bad",
    [
        {"content_sha256": "ABC"},
        {"sign_off_attestation": {"method": "telepathy", "at": "2025-12-01T10:30:15Z"}},
        {"sign_off_attestation": {"method": "email_code"}},
    ],
)
def test_malformed_extensions_are_refused(envelope, bad):
    spoiled = copy.deepcopy(envelope)
    if "sign_off_attestation" in bad:
        spoiled["sign_off"][0]["attestation"] = bad["sign_off_attestation"]
    else:
        spoiled.update(bad)
    with pytest.raises(ValidationError):
        Envelope.model_validate(spoiled)
