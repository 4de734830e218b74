"""Flags for the reviewer: every signature made in person within minutes on one computer."""

from __future__ import annotations

import copy

from school_audit.collector.ingest.attestations import review_flags
from school_audit.domain.envelope import Envelope
from school_audit.signing import SigningKey
from tests.collector.factories import EnrolledDevice, mini_template

DEVICE = EnrolledDevice(SigningKey.generate(), "d", "dk", "t", "123456")


def with_signatures(*entries):
    envelope = DEVICE.envelope(mini_template())
    envelope["sign_off"] = [
        {"role": role, "name": name, "statement": "s", "signed_at": at, **extra}
        for role, name, at, extra in entries
    ]
    return Envelope.model_validate(copy.deepcopy(envelope))


def test_three_people_within_minutes_on_one_computer_are_flagged():
    envelope = with_signatures(
        ("dsl", "A", "2026-03-02T10:00:00Z", {}),
        ("head_teacher", "B", "2026-03-02T10:01:00Z", {}),
        ("chair_of_governors", "C", "2026-03-02T10:03:00Z",
         {"attestation": {"method": "in_person", "at": "2026-03-02T10:03:00Z"}}),
    )  # fmt: skip
    assert review_flags(envelope) == [
        "signed_together: all 3 signatures were made on the setting's computer within 10 minutes"
    ]


def test_days_apart_or_a_remote_signature_is_not_flagged():
    apart = with_signatures(
        ("dsl", "A", "2026-03-02T10:00:00Z", {}),
        ("head_teacher", "B", "2026-03-04T16:00:00Z", {}),
    )
    remote = with_signatures(
        ("dsl", "A", "2026-03-02T10:00:00Z", {}),
        ("chair_of_governors", "C", "2026-03-02T10:01:00Z",
         {"attestation": {"method": "email_code", "at": "2026-03-02T10:01:00Z"}}),
    )  # fmt: skip
    alone = with_signatures(("dsl", "A", "2026-03-02T10:00:00Z", {}))
    assert review_flags(apart) == review_flags(remote) == review_flags(alone) == []


def test_a_code_sent_to_an_address_the_la_does_not_hold_is_flagged():
    remote = with_signatures(
        ("dsl", "A", "2026-03-02T10:00:00Z", {}),
        ("chair_of_governors", "C", "2026-03-04T10:01:00Z",
         {"attestation": {"method": "email_code", "at": "2026-03-04T10:01:00Z"}}),
    )  # fmt: skip
    assert review_flags(remote, [("chair_of_governors", "dsl.own@example.org")]) == [
        "code_address_unknown: the code for the chair of governors was sent to "
        "dsl.own@example.org, an address the LA does not hold for this role"
    ]
    assert review_flags(remote, []) == []
