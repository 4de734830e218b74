"""The ingest use case, shared by the HTTP route and the plain-loop benchmark.

CPU work (validation, canonical bytes, signature) happens before the write transaction so the
single SQLite writer is held only for the inserts.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Row
from sqlalchemy.orm import Session

from school_audit.collector.aggregate import kept
from school_audit.collector.catalog import PublishedTemplate, TemplateCache
from school_audit.collector.db import Database
from school_audit.collector.db.types import utc_now
from school_audit.collector.devices import DeviceIdentity
from school_audit.collector.ingest import current, store
from school_audit.collector.ingest.attestations import attestation_problems
from school_audit.collector.ingest.errors import IngestRejected, describe_validation
from school_audit.collector.ingest.group_commit import GroupCommit
from school_audit.collector.ingest.rules import content_problems
from school_audit.collector.ingest.verify import SignedReturn, check_signed_return
from school_audit.collector.local_packs import PackCheck
from school_audit.collector.mail import notices
from school_audit.domain.envelope import Envelope
from school_audit.signing import SigningKey

log = logging.getLogger(__name__)
_KEPT = "ingest.kept_changes"  # session.info key


@dataclass(frozen=True)
class IngestResult:
    created: bool  # False: an identical retry, answered with the original receipt
    receipt: dict[str, Any]


class Ingestor:
    def __init__(
        self, database: Database, collector_key: SigningKey, cache: TemplateCache | None = None
    ) -> None:
        self.database = database
        self.collector_key = collector_key
        # The keys whose attestations this collector accepts (its own); older ones join on rotation.
        self.collector_keys = {collector_key.key_id: collector_key.public_key_b64}
        self.templates = cache or TemplateCache()
        self.packs = PackCheck()  # a named local pack must be one the LA published
        # Concurrent uploads share commits (one disk flush for many returns); see group_commit.
        self._commits: GroupCommit[IngestResult | IngestRejected] = GroupCommit(
            database, finish=_write_kept
        )

    def ingest(
        self,
        raw: Any,
        signature: str,
        device: DeviceIdentity,
        envelope: Envelope | None = None,
    ) -> IngestResult:
        """Verify and store one return; raises IngestRejected for a refusal."""
        envelope = envelope or _validate(raw)
        signed = check_signed_return(raw, envelope, signature, device)
        published = self._template(envelope)
        pack_problems, local_ids = self.packs.check(self.database, envelope)
        problems = content_problems(envelope, published, local_ids) + pack_problems
        problems += attestation_problems(raw, envelope, self.collector_keys, signed.simple)
        result = self._commits.run(lambda session: self._store(session, signed, device, problems))
        if isinstance(result, IngestRejected):
            raise result
        if result.created:
            status = result.receipt["status"]
            log.info("stored return %s for %s as %s", envelope.submission_id, device.urn, status)
        return result

    def _template(self, envelope: Envelope) -> PublishedTemplate:
        ref = envelope.template
        published = self.templates.cached(ref.id, ref.version)
        if published is None:  # only the first return of each template opens a session
            with self.database.read() as session:
                published = self.templates.get(session, ref.id, ref.version)
        if published is None or published.template.sha256 != ref.sha256:
            raise IngestRejected(
                422,
                "template_unknown",
                f"The collector has no template {ref.id} {ref.version} with that sha256.",
            )
        return published

    def _store(
        self, session: Session, signed: SignedReturn, device: DeviceIdentity, problems: list[str]
    ) -> IngestResult | IngestRejected:
        """The writes for one return, inside a (possibly shared) write transaction; a refusal is
        returned, not raised, so that it does not roll back the others sharing the transaction."""
        submission_id = str(signed.envelope.submission_id)
        found = store.existing(session, submission_id)
        if found is not None:
            try:
                return IngestResult(False, _replayed(session, found, signed))
            except IngestRejected as refusal:  # nothing was written for this return
                return refusal
        envelope = signed.envelope
        key = (envelope.cycle, envelope.establishment.urn)
        holder = current.lock_holder(session, *key)
        problems = [*problems, *filter(None, [store.pointer_problem(session, envelope)])]
        audit_id = str(envelope.audit_id)
        decision = current.decide(audit_id, envelope.revision, key, holder, problems)
        submission = store.insert_submission(
            session, signed, device, decision.status, decision.reason, utc_now()
        )
        kept.apply_status_change(session, [key])  # completeness, counted before the commit
        if decision.status == "received":
            ratings = Counter((r.standard_id, r.rating.value) for r in envelope.responses)
            stored = current.Stored(submission["setting_type"], submission["phase"],
                                    submission["district"],
                                    (submission["template_id"], submission["template_version"]))  # fmt: skip
            current.take_over(session, submission_id, key, audit_id, envelope.revision, holder,
                              ratings, _kept_changes(session), stored)  # fmt: skip
        notices.return_received(session, submission)  # the DSL's email, in this transaction
        return IngestResult(True, store.make_receipt(session, submission, self.collector_key))


def _kept_changes(session: Session) -> kept.Changes:
    """The kept-count changes of every return in this transaction: one upsert statement for all
    of them (returns sharing a transaction mostly add to the same count rows), written by
    `_write_kept` before the commit."""
    changes = session.info.get(_KEPT)
    if changes is None:
        changes = session.info[_KEPT] = kept.Changes()
    return changes


def _write_kept(session: Session) -> None:
    changes = session.info.pop(_KEPT, None)
    if changes is not None:
        changes.write(session.connection())


def _validate(raw: Any) -> Envelope:
    try:
        return Envelope.model_validate(raw)
    except ValidationError as error:
        message = describe_validation(list(error.errors()))
        raise IngestRejected(
            422, "schema_invalid", f"The envelope is not valid: {message}"
        ) from None


def _replayed(session: Session, found: Row[bytes, str], signed: SignedReturn) -> dict[str, Any]:
    stored_bytes, urn = found
    if stored_bytes != signed.canonical or urn != signed.envelope.establishment.urn:
        raise IngestRejected(
            409,
            "submission_conflict",
            "A different return was already received with this submission_id.",
        )
    receipt = store.stored_receipt(session, str(signed.envelope.submission_id))
    if receipt is None:  # cannot happen: both rows are written in one transaction
        raise IngestRejected(500, "internal_error", "The original receipt is missing.")
    return receipt
