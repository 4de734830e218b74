"""The outbox as the app shows it, and the check an acceptance record must pass to be kept."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from school_audit.store import OutboxItem, ReviewStatus
from school_audit.sync import enrolment as enrolling
from school_audit.sync.collector_keys import CollectorKeys

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxEntry:
    """One signed return as the UI shows it."""

    item: OutboxItem
    review: ReviewStatus | None

    @property
    def refused(self) -> bool:
        return self.item.state == "failed" and self.item.next_attempt_at is None

    @property
    def general_comment(self) -> str:
        """The reviewer's general comment when the LA returned the audit ('' otherwise)."""
        value = self.review.review.get("general_comment") if self.review else None
        return str(value or "")

    @property
    def acceptance(self) -> dict[str, Any] | None:
        """The collector's signed acceptance record (checked when it was stored), if any."""
        value = self.review.review.get("acceptance") if self.review else None
        return value if isinstance(value, dict) else None

    @property
    def standard_comments(self) -> dict[str, str]:
        """The reviewer's comments by standard id."""
        value = self.review.review.get("comments") if self.review else None
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def acceptance_holds(
    record: dict[str, Any], keys: enrolling.Enrolment | CollectorKeys, item: OutboxItem
) -> bool:
    """The record is signed by the pinned collector key (or one its key history chains to it:
    `keys` may fetch the history, so call this on the network lane), for exactly these bytes."""
    from school_audit.signing import SignatureInvalid
    from school_audit.signing.acceptance import verify_acceptance

    if isinstance(keys, enrolling.Enrolment):
        keys = CollectorKeys(keys.collector_public_key)
    try:
        public_key = keys.public_key(record.get("collector_key_id"))
        verify_acceptance(
            record, public_key, submission_id=str(item.submission_id),
            envelope_sha256=hashlib.sha256(item.envelope).hexdigest(),
        )  # fmt: skip
    except SignatureInvalid as error:
        log.warning("The acceptance record for %s was not kept: %s", item.submission_id, error)
        return False
    return True
