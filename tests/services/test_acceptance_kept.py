"""The app keeps an acceptance record only when its own collector signed it for these bytes."""

from __future__ import annotations

from school_audit.signing import SigningKey
from school_audit.signing.acceptance import sign_acceptance

ID, DIGEST = "5b1d3c8e-0000-4000-8000-000000000001", "ab" * 32


def test_the_app_keeps_only_a_record_of_its_own_collector_for_these_bytes():
    key = SigningKey.generate()
    import hashlib
    from datetime import UTC, datetime

    from school_audit.services.outbox_view import acceptance_holds
    from school_audit.store.outbox_records import OutboxItem
    from school_audit.sync.enrolment import Enrolment

    envelope = b'{"format":"school-audit/submission/v1"}'
    item = OutboxItem(ID, "a", 1, envelope, "sig", datetime.now(UTC), "sent", 1, None, None, None,
                      None)  # fmt: skip
    found = Enrolment.__new__(Enrolment)
    object.__setattr__(found, "collector_public_key", key.public_key_b64)
    good = sign_acceptance(key, submission_id=ID, accepted_at="2026-12-03T10:00:00Z",
                           envelope_sha256=hashlib.sha256(envelope).hexdigest())  # fmt: skip
    assert acceptance_holds(good, found, item)
    other = sign_acceptance(SigningKey.generate(), submission_id=ID, accepted_at="2026-12-03T10:00:00Z",
                            envelope_sha256=hashlib.sha256(envelope).hexdigest())  # fmt: skip
    assert not acceptance_holds(other, found, item)
    wrong_bytes = sign_acceptance(key, submission_id=ID, envelope_sha256=DIGEST,
                                  accepted_at="2026-12-03T10:00:00Z")  # fmt: skip
    assert not acceptance_holds(wrong_bytes, found, item)
