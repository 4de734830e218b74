"""Draining the outbox: post each signed return until the collector's receipt proves it arrived.

Plain Python, no Qt: the app runs it on a worker thread, the command line runs it directly, tests
run it with a fake clock. An item leaves the outbox (`mark_sent`) only when the receipt's signature
verifies against the collector key pinned at enrolment, names the same submission id, and hashes
exactly the bytes we signed and sent. Resending is always safe: the submission id is the
idempotency key and the collector answers an identical retry with the original receipt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from school_audit.signing import SignatureInvalid, verify_receipt
from school_audit.sync import errors
from school_audit.sync.backoff import BackoffPolicy
from school_audit.sync.client import CollectorClient
from school_audit.sync.collector_keys import CollectorKeyRefused, CollectorKeys

log = logging.getLogger(__name__)
SLEEP_SLICE = 0.25  # seconds: how quickly a sleeping drain notices it was cancelled


class OutboxItem(Protocol):
    @property
    def submission_id(self) -> Any: ...  # a UUID or its text
    @property
    def envelope(self) -> bytes: ...
    @property
    def signature(self) -> str: ...
    @property
    def attempts(self) -> int: ...


class OutboxStore(Protocol):
    def due_outbox_items(self, now: datetime) -> Sequence[Any]: ...
    def mark_sending(self, submission_id: Any) -> None: ...
    def mark_sent(self, submission_id: Any, receipt_json: str) -> None: ...
    def record_failure(
        self,
        submission_id: Any,
        error_text: str,
        next_attempt_at: datetime | None,
        *,
        receipt_json: str | None = None,
    ) -> None: ...  # None: refused for good, not retried until a person says so; `receipt_json`
    # is a receipt that arrived but could not be verified, kept beside it


@dataclass
class DrainReport:
    sent: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # refused for good: needs a person
    waiting: dict[str, str] = field(default_factory=dict)  # will be retried: last error
    attempts: int = 0
    cancelled: bool = False
    reenrol_required: bool = False

    @property
    def complete(self) -> bool:
        return not self.waiting and not self.cancelled and not self.reenrol_required


Progress = Callable[[int, int, str], None]  # (sent so far, items seen, message)


def request_body(envelope: bytes, signature: str) -> bytes:
    """`{"envelope": …, "signature": …}` with the envelope's signed bytes embedded verbatim."""
    return b'{"envelope":' + envelope + b',"signature":' + json.dumps(signature).encode() + b"}"


def check_receipt(
    receipt: dict[str, Any], item: Any, collector_keys: str | CollectorKeys
) -> None:
    """Raise ReceiptInvalid unless the receipt proves the collector holds exactly this item.

    `collector_keys`: the pinned public key, or the keys that follow it. A receipt for exactly
    this item signed by a key nothing trusted vouches for raises ReceiptUnverified (with it)."""
    keys = CollectorKeys(collector_keys) if isinstance(collector_keys, str) else collector_keys
    if not isinstance(receipt, dict):
        raise errors.ReceiptInvalid("the receipt is not a JSON object")
    try:
        public_key = keys.public_key(receipt.get("collector_key_id"))
    except CollectorKeyRefused as error:
        if _names_item(receipt, item):
            raise errors.ReceiptUnverified(f"the receipt is not verified: {error}", receipt) from None
        raise errors.ReceiptInvalid(f"the receipt's signature does not verify: {error}") from None
    try:
        verify_receipt(receipt, public_key)
    except SignatureInvalid as error:
        raise errors.ReceiptInvalid(f"the receipt's signature does not verify: {error}") from None
    if receipt.get("submission_id") != str(item.submission_id):
        raise errors.ReceiptInvalid("the receipt is for another submission")
    if receipt.get("envelope_sha256") != hashlib.sha256(item.envelope).hexdigest():
        raise errors.ReceiptInvalid("the receipt's hash does not match what was sent")


def _names_item(receipt: dict[str, Any], item: Any) -> bool:
    return receipt.get("submission_id") == str(item.submission_id) and (
        receipt.get("envelope_sha256") == hashlib.sha256(item.envelope).hexdigest()
    )


def utc_now() -> datetime:
    return datetime.now(UTC)


def drain_outbox(
    store: OutboxStore,
    client: CollectorClient,
    *,
    collector_public_key: str | CollectorKeys,
    now: Callable[[], datetime] = utc_now,
    sleep: Callable[[float], None] = time.sleep,
    cancel: Callable[[], bool] = lambda: False,
    progress: Progress | None = None,
    max_attempts_per_run: int = 5,
    policy: BackoffPolicy | None = None,
    uniform: Callable[[], float] = random.random,
) -> DrainReport:
    """Send every due item, retrying within this run up to `max_attempts_per_run` times each.

    `collector_public_key`: the pinned key, or `CollectorKeys` that can follow a rotation."""
    run = _DrainRun(
        store,
        client,
        collector_public_key,
        now,
        sleep,
        cancel,
        progress,
        max_attempts_per_run,
        policy or BackoffPolicy(),
        uniform,
    )
    return run.execute()


class _DrainRun:
    def __init__(self, store: OutboxStore, client: CollectorClient, key: str | CollectorKeys,
                 now: Callable[[], datetime], sleep: Callable[[float], None],
                 cancel: Callable[[], bool], progress: Progress | None, max_attempts: int,
                 policy: BackoffPolicy, uniform: Callable[[], float]) -> None:  # fmt: skip
        self.store, self.client, self.key = store, client, key
        self.now, self.sleep, self.cancel, self.progress = now, sleep, cancel, progress
        self.max_attempts, self.policy, self.uniform = max_attempts, policy, uniform
        self.report = DrainReport()
        self.tries: Counter[str] = Counter()
        self.retry_at: dict[str, datetime] = {}  # items waiting within this run
        self.seen: set[str] = set()
        self.not_before: datetime | None = None  # the server's Retry-After applies to all items

    def execute(self) -> DrainReport:
        while not self._cancelled():
            items = [i for i in self.store.due_outbox_items(self.now()) if self._may_try(i)]
            if items:
                if not self._send_all(items):
                    break
            elif not self._wait_for_next():
                break
        return self.report

    def _may_try(self, item: Any) -> bool:
        return self.tries[str(item.submission_id)] < self.max_attempts

    def _cancelled(self) -> bool:
        if self.cancel():
            self.report.cancelled = True
        return self.report.cancelled

    def _send_all(self, items: Sequence[Any]) -> bool:
        """Try each item once; False to end the run (cancelled, or the device must re-enrol)."""
        for item in items:
            if self.not_before is not None and not self._wait_for_server():
                return False
            if self._cancelled():
                return False
            self.seen.add(str(item.submission_id))
            self._send_one(item)
            if self.report.reenrol_required:
                return False
        return True

    def _send_one(self, item: Any) -> None:
        sid = str(item.submission_id)
        failures_before = int(item.attempts)  # read before the store counts this attempt
        self.tries[sid] += 1
        self.report.attempts += 1
        self.store.mark_sending(item.submission_id)
        try:
            reply = self.client.submit(request_body(item.envelope, item.signature))
            check_receipt(reply.receipt, item, self.key)
        except errors.CollectorError as error:
            self._failed(item, error, failures_before + 1)
            return
        self.store.mark_sent(item.submission_id, json.dumps(reply.receipt, sort_keys=True))
        self.report.sent.append(sid)
        self.report.waiting.pop(sid, None)
        self.retry_at.pop(sid, None)
        log.info("Submission %s delivered and its receipt verified", sid)
        self._tell(f"Sent {sid}")

    def _failed(self, item: Any, error: errors.CollectorError, failures: int) -> None:
        sid, message = str(item.submission_id), error.describe()
        if isinstance(error, errors.NotEnrolled):
            # Not the item's fault: keep it due, stop, and ask for a new enrolment.
            self.store.record_failure(item.submission_id, message, self.now())
            self.report.reenrol_required = True
            self.report.waiting[sid] = message
            log.warning("The collector refused the device token: enrol again")
            return
        if not _retryable(error):
            self.store.record_failure(item.submission_id, message, None)
            self.report.refused[sid] = message
            self.report.waiting.pop(sid, None)
            log.warning("Submission %s refused for good: %s", sid, message)
            self._tell(f"Refused {sid}: {message}")
            return
        delay = self.policy.delay(failures, error.retry_after, self.uniform)
        retry_at = self.now() + timedelta(seconds=delay)
        if error.retry_after:
            floor = self.now() + timedelta(seconds=error.retry_after)
            self.not_before = max(self.not_before or floor, floor)
        if isinstance(error, errors.ReceiptUnverified):
            kept = json.dumps(error.receipt, sort_keys=True)
            self.store.record_failure(item.submission_id, message, retry_at, receipt_json=kept)
        else:
            self.store.record_failure(item.submission_id, message, retry_at)
        self.report.waiting[sid] = message
        if self.tries[sid] < self.max_attempts:
            self.retry_at[sid] = retry_at
        else:
            self.retry_at.pop(sid, None)
        log.info("Submission %s not sent (%s); next try in %.1f s", sid, message, delay)
        self._tell(f"Will retry {sid}: {message}")

    def _wait_for_server(self) -> bool:
        """Sleep out the server's Retry-After, unless that is longer than a run may wait (then
        the run ends and the items stay due for the next one)."""
        assert self.not_before is not None
        if (self.not_before - self.now()).total_seconds() > self.policy.max_wait_in_run:
            return False
        return self._sleep_until(self.not_before)

    def _wait_for_next(self) -> bool:
        """Sleep until the earliest retry this run may still make; False when there is none."""
        if not self.retry_at:
            return False
        wake = min(self.retry_at.values())
        if (wake - self.now()).total_seconds() > self.policy.max_wait_in_run:
            return False
        self.retry_at = {sid: at for sid, at in self.retry_at.items() if at > wake}
        return self._sleep_until(wake)

    def _sleep_until(self, moment: datetime) -> bool:
        while True:
            if self._cancelled():
                return False
            remaining = (moment - self.now()).total_seconds()
            if remaining <= 0:
                return True
            self.sleep(min(SLEEP_SLICE, remaining))

    def _tell(self, message: str) -> None:
        if self.progress is not None:
            self.progress(len(self.report.sent), len(self.seen), message)


def _retryable(error: errors.CollectorError) -> bool:
    # 404 on upload means a wrong address or a proxy in the way, not a bad return: keep trying.
    return error.transient or isinstance(error, errors.NotFound)
