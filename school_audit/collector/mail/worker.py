"""The worker that empties the outgoing-mail table through the LA's relay.

Each round: claim due rows with a lease (so two workers never hold the same message at once, and
a worker that died lets go of its rows when the lease runs out), fix each message's bytes before
its first attempt, hand it to the relay, and only then mark it sent. Temporary failures are
retried with capped exponential backoff and jitter; a permanent refusal marks the row failed and
the contact bounced, for the LA to fix.

The steps of one send, in order, are reported to an optional `hook(step, message_id)`:
`before_connect` (bytes fixed, nothing sent), `accepted` (the relay took it, the row is not yet
marked) and `marked`. Tests kill a worker at each one. Each send is counted as begun in the
transaction that fixes its bytes, and the count is cleared when its outcome is recorded: a message
whose send was cut off twice is not tried a third time but shown as failed (it may have arrived
twice, or not at all; `mail retry` queues it again).
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from school_audit.collector.db import Database
from school_audit.collector.db.tables import OutgoingMail
from school_audit.collector.db.types import utc_now
from school_audit.collector.mail import attachments
from school_audit.collector.mail.compose import TemplateProblem, build_message
from school_audit.collector.mail.config import SmtpConfig
from school_audit.collector.mail.contacts import record_bounce
from school_audit.collector.mail.queue import forget_secrets
from school_audit.collector.mail.transport import (
    PermanentFailure,
    SendFailure,
    SmtpTransport,
    TemporaryFailure,
)
from school_audit.collector.settings import CollectorSettings

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
Hook = Callable[[str, str], None]
FIRST_RETRY_SECONDS = 60
LONGEST_RETRY_SECONDS = 6 * 3600
MAX_UNFINISHED_SENDS = 2
UNCERTAIN = (
    "sending was cut off twice (the worker stopped mid-send), so it was not tried a third time: "
    "it may have arrived once or twice, or not at all; `mail retry` sends it again"
)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: list[tuple[str, str]] = field(default_factory=list)  # (address, why)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (address, why)


def retry_delay(attempts: int, rng: random.Random | None = None) -> timedelta:
    """Wait before try number `attempts + 1`: 1, 2, 4 … minutes, at most 6 hours, ±20%."""
    base = min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_RETRY_SECONDS)
    return timedelta(seconds=base * (rng or random).uniform(0.8, 1.2))


class MailWorker:
    def __init__(
        self,
        database: Database,
        settings: CollectorSettings,
        *,
        clock: Clock = utc_now,
        transport: Callable[[SmtpConfig], SmtpTransport] = SmtpTransport,
        hook: Hook | None = None,
        lease_seconds: int = 600,
        batch: int = 50,
    ) -> None:
        self.database, self.settings, self.clock = database, settings, clock
        self.transport, self.hook = transport, hook or (lambda step, message_id: None)
        self.lease = timedelta(seconds=lease_seconds)
        self.batch = batch

    def run_once(self) -> DeliveryReport:
        """Send what is due now; raises MailNotConfigured before touching any row."""
        config = SmtpConfig.from_settings(self.settings)
        report = DeliveryReport()
        claimed = self._claim()
        if claimed:
            with self.transport(config) as smtp:
                for row_id in claimed:
                    self._deliver(smtp, row_id, report)
        return report

    def run_forever(self, stop: threading.Event, interval_seconds: float = 30.0) -> None:
        while not stop.is_set():
            report = self.run_once()
            if report.sent or report.failed or report.retrying:
                log.info("mail: %d sent, %d to retry, %d failed", report.sent,
                         len(report.retrying), len(report.failed))  # fmt: skip
            stop.wait(interval_seconds)

    def _claim(self) -> list[int]:
        now = self.clock()
        with self.database.write() as session:
            rows = session.scalars(
                select(OutgoingMail)
                .where(OutgoingMail.status == "queued", OutgoingMail.next_attempt_at <= now)
                .where(or_(OutgoingMail.lease_until.is_(None), OutgoingMail.lease_until <= now))
                .order_by(OutgoingMail.id)
                .limit(self.batch)
                .with_for_update(skip_locked=True)
            ).all()
            for row in rows:
                row.lease_until = now + self.lease
            return [row.id for row in rows]

    def _deliver(self, smtp: SmtpTransport, row_id: int, report: DeliveryReport) -> None:
        try:
            fixed = self._fix_bytes(row_id, report)
        except TemplateProblem as problem:
            self._retry(row_id, TemporaryFailure(str(problem)), report)
            return
        if fixed is None:
            return
        raw, to_address, message_id = fixed
        self.hook("before_connect", message_id)
        try:
            smtp.send(raw, to_address)
        except PermanentFailure as failure:
            self._fail(row_id, failure, report)
            return
        except TemporaryFailure as failure:
            self._retry(row_id, failure, report)
            return
        self.hook("accepted", message_id)
        self._mark_sent(row_id)
        report.sent += 1
        self.hook("marked", message_id)

    def _fix_bytes(self, row_id: int, report: DeliveryReport) -> tuple[bytes, str, str] | None:
        """The message's bytes, rendered and stored before the first try, then never changed;
        and the send marked as begun. None: two sends were already cut off, make no third."""
        with self.database.write() as session:
            row = session.get_one(OutgoingMail, row_id)
            if row.unfinished_sends >= MAX_UNFINISHED_SENDS:
                row.status, row.lease_until, row.last_error = "failed", None, UNCERTAIN
                report.failed.append((row.to_address, UNCERTAIN))
                return None
            row.unfinished_sends += 1
            if row.raw is None:
                context = json.loads(row.context)
                row.raw = build_message(
                    self.settings,
                    kind=row.kind,
                    context=context,
                    message_id=row.message_id,
                    to_address=row.to_address,
                    when=self.clock(),
                    attachments=attachments.for_message(session, self.settings, row.kind, context),
                )
            return row.raw, row.to_address, row.message_id

    def _mark_sent(self, row_id: int) -> None:
        with self.database.write() as session:
            row = session.get_one(OutgoingMail, row_id)
            row.status, row.sent_at, row.lease_until = "sent", self.clock(), None
            forget_secrets(row)
            row.unfinished_sends = 0
            row.attempts += 1
            row.last_error = None

    def _retry(self, row_id: int, failure: SendFailure, report: DeliveryReport) -> None:
        with self.database.write() as session:
            row = session.get_one(OutgoingMail, row_id)
            row.attempts += 1
            row.last_error, row.lease_until = str(failure)[:1000], None
            row.unfinished_sends = 0
            if row.attempts >= self.settings.mail_max_attempts:
                row.status = "failed"
                forget_secrets(row)
                report.failed.append(
                    (row.to_address, f"gave up after {row.attempts} tries: {failure}")
                )
                return
            row.next_attempt_at = self.clock() + retry_delay(row.attempts)
            report.retrying.append((row.to_address, str(failure)))
        log.warning("mail to be retried: %s", failure)

    def _fail(self, row_id: int, failure: SendFailure, report: DeliveryReport) -> None:
        with self.database.write() as session:
            row = session.get_one(OutgoingMail, row_id)
            row.attempts += 1
            row.status, row.last_error, row.lease_until = "failed", str(failure)[:1000], None
            forget_secrets(row)
            row.unfinished_sends = 0
            record_bounce(session, row.urn, row.role, row.to_address, str(failure), self.clock())
            report.failed.append((row.to_address, str(failure)))
        log.warning("mail refused for good: %s", failure)
