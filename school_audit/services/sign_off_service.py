"""Seal, then sign: each signatory signs the sealed content for themselves (Qt-free).

The DSL seals a ready audit: its content (`content_sha256`, domain/seal.py) and submission id are
fixed and the store refuses every change until the DSL unseals it, which voids every signature
collected. Each required role then signs, either here (`sign_here`: the person read the summary,
typed their own name and confirmed; recorded `in_person`) or remotely (`ask_by_email`: the
collector emails a link and a one-time code, and attests the signature with its key). `collect`
reads remote outcomes when the app is online; `remind` and `replace` send a fresh request. When
every required role has signed, `finalise` signs the envelope with the device key as before,
the attestations in `sign_off`. The network calls (`ask_by_email`, `collect`, `remind`,
`replace`, `cancel`) belong on the app's background lane.
"""

from __future__ import annotations

import contextlib
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from school_audit.domain import signatories as rules
from school_audit.domain.audit import Attestation, AuditState, SignOff, SignOffRole
from school_audit.domain.envelope import build_envelope, rfc3339
from school_audit.domain.readiness import check_readiness
from school_audit.domain.signatories import ROLE_LABELS
from school_audit.i18n import tr
from school_audit.services.sign_off_summary import SigningSummary, signing_summary
from school_audit.services.submission_errors import NotReadyError, SealBroken
from school_audit.services.submission_service import FinaliseResult, SubmissionService
from school_audit.signing import SignatureInvalid, verify_attestation
from school_audit.store import AuditReadOnlyError
from school_audit.store.seal_records import SignatureRecord, StoredSeal
from school_audit.sync.collector_keys import CollectorKeyRefused, CollectorKeys
from school_audit.sync.errors import Conflict, NotFound

log = logging.getLogger(__name__)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SignOffError(ValueError):
    """A sign-off step that cannot be taken, said in the user's words."""


class NotSealed(SignOffError):
    """Nobody can sign: the audit is not sealed (never, or unsealed since to change it)."""

    def __init__(self) -> None:
        super().__init__(tr(
            "The audit is not sealed, so nobody can sign it yet: seal it first, so that everyone "
            "signs the same content. If it was unsealed to change something, every signature "
            "made before is void and must be made again."
        ))  # fmt: skip


@dataclass(frozen=True)
class RoleStatus:
    """One signature the audit needs (or may have), and where it stands."""

    role: SignOffRole
    required: bool
    alternatives: tuple[SignOffRole, ...]
    record: SignatureRecord | None  # the live row for this role (or an alternative's)

    @property
    def state(self) -> str:
        """not_asked | requested | signed | declined."""
        return self.record.state if self.record else "not_asked"

    @property
    def label(self) -> str:
        return tr(ROLE_LABELS[self.role])


@dataclass(frozen=True)
class SignOffState:
    seal: StoredSeal | None
    roles: list[RoleStatus]

    @property
    def complete(self) -> bool:
        return self.seal is not None and all(
            r.state == "signed" for r in self.roles if r.required
        )  # fmt: skip


@dataclass
class CollectReport:
    signed: list[str] = field(default_factory=list)  # role values
    declined: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)  # link expired or cancelled: ask again
    problems: list[str] = field(default_factory=list)  # attestations that did not check out
    cancelled: int = 0  # requests of voided signatures withdrawn at the collector


class SignOffService:
    def __init__(self, submissions: SubmissionService) -> None:
        self.submissions = submissions
        self.store = submissions.store
        self._now: Callable[[], datetime] = submissions.now

    # -- sealing --------------------------------------------------------------------------------

    def seal(self, audit_id: uuid.UUID) -> StoredSeal:
        """Freeze a ready draft: its content hash and submission id are fixed from now on."""
        audit = self.store.load_audit(audit_id)
        if audit.state is not AuditState.DRAFT:
            raise AuditReadOnlyError()
        if self.store.seal_of(audit_id) is not None:
            raise SignOffError(tr(
                "The audit is already sealed: each person can sign it now. Unseal it only to "
                "change something (that voids the signatures made so far)."
            ))  # fmt: skip
        template = self.submissions.template_of(audit)
        blocking = [p for p in check_readiness(audit, template, self._now().date()) if p.blocking]
        if blocking:
            raise NotReadyError(blocking)
        submission_id = uuid.uuid4()
        return self.store.seal_audit(
            audit_id, self._content_hash(audit_id, submission_id), submission_id, self._now()
        )

    def unseal(self, audit_id: uuid.UUID) -> list[SignatureRecord]:
        """Let the draft change again; every signature so far is void (returned: tell them).
        Requests still open at the collector are cancelled on the next `collect`."""
        voided = self.store.unseal(audit_id)
        log.info("Audit %s unsealed; %d signature(s) voided", audit_id, len(voided))
        return voided

    def require_seal(self, audit_id: uuid.UUID) -> StoredSeal:
        """The seal people sign under: NotSealed without one, SealBroken when the audit no
        longer builds to the sealed hash (a change voided it). The one rule the app's sign-off
        page and the command line both follow."""
        sealed = self.store.seal_of(audit_id)
        if sealed is None:
            raise NotSealed()
        if not self.seal_holds(audit_id):
            raise SealBroken()
        return sealed

    def seal_holds(self, audit_id: uuid.UUID) -> bool:
        """True while the audit still builds to its sealed hash (nothing changed it)."""
        sealed = self.store.seal_of(audit_id)
        if sealed is None:
            return False
        submission_id = uuid.UUID(sealed.submission_id)
        return self._content_hash(audit_id, submission_id) == sealed.content_sha256

    def _content_hash(self, audit_id: uuid.UUID, submission_id: uuid.UUID) -> str:
        audit = self.store.load_audit(audit_id)
        template = self.submissions.template_of(audit)
        bare = audit.model_copy(update={"sign_off": []})
        # device_key_id and signed_at are outside the seal: any placeholder gives the same hash.
        envelope = build_envelope(
            bare, template, device_key_id="-", signed_at=self._now(), submission_id=submission_id
        )
        return str(envelope["content_sha256"])

    # -- where each signatory stands ------------------------------------------------------------

    def state(self, audit_id: uuid.UUID) -> SignOffState:
        audit = self.store.load_audit(audit_id)
        sealed = self.store.seal_of(audit_id)
        live = self.store.signatures_of(audit_id) if sealed else []
        by_role = {record.role: record for record in live}
        roles = []
        for slot in rules.signatories_for(audit.profile).slots:
            found = next((by_role[r.value] for r in slot.roles if r.value in by_role), None)
            roles.append(RoleStatus(slot.role, slot.required, slot.alternatives, found))
        return SignOffState(sealed, roles)

    def summary(self, audit_id: uuid.UUID) -> SigningSummary:
        audit = self.store.load_audit(audit_id)
        return signing_summary(audit, self.submissions.template_of(audit), self._now().date())

    def declaration(self, role: SignOffRole) -> str:
        return self.submissions.declaration(role)

    # -- signing here ---------------------------------------------------------------------------

    def sign_here(self, audit_id: uuid.UUID, role: SignOffRole, typed_name: str) -> SignatureRecord:
        """The person at this computer read the summary, typed their own name and confirmed."""
        sealed = self._sealed(audit_id, role)
        name = " ".join(typed_name.split())
        if not name:
            raise SignOffError(tr("Type your own name to sign."))
        now = self._now()
        # Asked by email but signed here after all: the earlier row is voided and its link is
        # withdrawn on the next `collect` (signing here needs no network).
        record = SignatureRecord(
            role=role.value, state="signed", name=name, content_sha256=sealed.content_sha256,
            signed_at=now, attestation={"method": "in_person", "at": rfc3339(now)},
        )  # fmt: skip
        return self.store.save_signature(audit_id, record)

    # -- signing remotely (network) -------------------------------------------------------------

    def ask_by_email(
        self, audit_id: uuid.UUID, role: SignOffRole, name: str, email: str
    ) -> SignatureRecord:
        """Ask the collector to email the person a single-use link (replacing any earlier ask)."""
        sealed = self._sealed(audit_id, role)
        name, email = " ".join(name.split()), email.strip()
        if not name:
            raise SignOffError(tr("Enter the name of the person who will sign."))
        if not EMAIL.match(email):
            raise SignOffError(tr("Enter an email address such as chair@example.org."))
        previous = self._live(audit_id, role)
        found, client = self.submissions.connect()
        if previous is not None and previous.request_id and previous.state == "requested":
            self._cancel(client, previous.request_id)
        audit = self.store.load_audit(audit_id)
        reply = client.create_sign_off_request({
            "cycle": audit.cycle, "content_sha256": sealed.content_sha256, "role": role.value,
            "name": name, "email": email, "summary": self.summary(audit_id).api_json(),
        })  # fmt: skip
        record = SignatureRecord(
            role=role.value, state="requested", name=name, email=email,
            content_sha256=sealed.content_sha256, request_id=str(reply["request_id"]),
            requested_at=self._now(),
        )  # fmt: skip
        return self.store.save_signature(audit_id, record)

    def remind(self, audit_id: uuid.UUID, role: SignOffRole) -> SignatureRecord:
        """Send the person a fresh link (the old one stops working)."""
        previous = self._live(audit_id, role)
        if previous is None or not previous.email:
            raise SignOffError(
                tr("{role} has not been asked by email.", role=tr(ROLE_LABELS[role]))
            )
        return self.ask_by_email(audit_id, role, previous.name, previous.email)

    def replace_signatory(
        self, audit_id: uuid.UUID, role: SignOffRole, name: str, email: str
    ) -> SignatureRecord:
        """Someone else signs for this role: the earlier request is cancelled, a new one sent."""
        return self.ask_by_email(audit_id, role, name, email)

    def withdraw(self, audit_id: uuid.UUID, role: SignOffRole) -> None:
        """Back to "not asked"; an open request is cancelled on the next `collect`."""
        previous = self._live(audit_id, role)
        if previous is None or previous.id is None:
            return
        self.store.save_signature(audit_id, replace(previous, state="voided"))
        if not previous.request_id:
            self.store.forget_signature(previous.id)

    def collect(self, audit_id: uuid.UUID) -> CollectReport:
        """Read the outcome of every open request (network); withdraw those of voided rows."""
        report = CollectReport()
        sealed = self.store.seal_of(audit_id)
        rows = self.store.signatures_of(audit_id, include_voided=True)
        if not any(row.request_id for row in rows):
            return report
        found, client = self.submissions.connect()
        keys = self.submissions.collector_keys(found, client)
        for row in rows:
            if not row.request_id or row.id is None:
                continue
            if row.state == "voided":
                self._cancel(client, row.request_id)
                self.store.forget_signature(row.id)
                report.cancelled += 1
            elif row.state == "requested" and sealed is not None:
                self._follow(audit_id, client, row, keys, report)
        return report

    def collect_all(self) -> CollectReport:
        """`collect` for every sealed audit on this computer: what the timer does in the
        background, so a signature made by email arrives without the DSL opening the page."""
        total = CollectReport()
        for audit_id in self.store.sealed_audit_ids():
            report = self.collect(uuid.UUID(audit_id))
            total.signed += report.signed
            total.declined += report.declined
            total.expired += report.expired
            total.problems += report.problems
            total.cancelled += report.cancelled
        return total

    def _follow(
        self, audit_id: uuid.UUID, client: Any, row: SignatureRecord, keys: CollectorKeys,
        report: CollectReport,
    ) -> None:  # fmt: skip
        try:
            reply = client.sign_off_request(row.request_id)
        except NotFound:
            reply = {"status": "expired"}
        status = reply.get("status")
        if status == "signed":
            attestation = reply.get("attestation")
            problem = self._attestation_problem(attestation, row, keys)
            if problem:
                report.problems.append(problem)
                return
            assert isinstance(attestation, dict)
            signed_at = _parse_time(str(attestation.get("verified_at"))) or self._now()
            self.store.save_signature(audit_id, replace(
                row, state="signed", attestation=attestation, signed_at=signed_at
            ))  # fmt: skip
            report.signed.append(row.role)
        elif status == "declined":
            comment = str(reply.get("comment") or "")
            self.store.save_signature(audit_id, replace(row, state="declined", comment=comment))
            report.declined.append(row.role)
        elif status in ("expired", "cancelled"):
            self.store.save_signature(audit_id, replace(row, state="voided", request_id=None))
            report.expired.append(row.role)

    def _attestation_problem(
        self, attestation: Any, row: SignatureRecord, keys: CollectorKeys
    ) -> str | None:
        role = tr(ROLE_LABELS[SignOffRole(row.role)])
        if not isinstance(attestation, dict) or attestation.get("method") != "email_code":
            return tr("The collector's answer for the {role} holds no signature.", role=role)
        try:
            # A key the device does not know yet: the collector's key history is fetched and
            # must chain from the pinned key (the request stays open if it does not).
            public_key = keys.public_key(attestation.get("collector_key_id"))
        except CollectorKeyRefused as error:
            return tr(
                "The signature the collector returned for the {role} was not used: it is {why}. "
                "The request stays open.", role=role, why=str(error),
            )  # fmt: skip
        try:
            verify_attestation(
                attestation, content_sha256=row.content_sha256, role=row.role, name=row.name,
                public_key_b64=public_key,
            )  # fmt: skip
        except SignatureInvalid:
            return tr(
                "The signature the collector returned for the {role} does not check out with "
                "the local authority's key; it was not used.", role=role,
            )  # fmt: skip
        return None

    def _cancel(self, client: Any, request_id: str) -> None:
        # Already finished, expired or gone: nothing is left open.
        with contextlib.suppress(Conflict, NotFound):
            client.cancel_sign_off_request(request_id)

    # -- finishing ------------------------------------------------------------------------------

    def sign_offs(self, audit_id: uuid.UUID) -> list[SignOff]:
        """The signed roles as envelope sign-offs, each with its attestation."""
        people = []
        for row in self.store.signatures_of(audit_id):
            if row.state != "signed" or row.attestation is None:
                continue
            role = SignOffRole(row.role)
            people.append(SignOff(
                role=role, name=row.name, statement=self.declaration(role),
                signed_at=row.signed_at or self._now(), attestation=_attestation(row.attestation),
            ))  # fmt: skip
        return people

    def finalise(self, audit_id: uuid.UUID) -> FinaliseResult:
        """Every required role has signed: sign with the device key and queue, as before."""
        self.require_seal(audit_id)
        if not self.state(audit_id).complete:
            raise SignOffError(tr("Not everyone who must sign has signed yet."))
        return self.submissions.finalise(audit_id, self.sign_offs(audit_id))

    # -- plumbing -------------------------------------------------------------------------------

    def _sealed(self, audit_id: uuid.UUID, role: SignOffRole) -> StoredSeal:
        sealed = self.require_seal(audit_id)
        audit = self.store.load_audit(audit_id)
        if role not in rules.signatories_for(audit.profile).allowed:
            raise SignOffError(tr("{role} does not sign for this setting.",
                                  role=tr(ROLE_LABELS[role])))  # fmt: skip
        return sealed

    def _live(self, audit_id: uuid.UUID, role: SignOffRole) -> SignatureRecord | None:
        return next((r for r in self.store.signatures_of(audit_id) if r.role == role.value), None)


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _attestation(value: dict[str, Any]) -> Attestation:
    verified = value.get("verified_at")
    return Attestation(
        method=str(value["method"]),
        at=_parse_time(str(value["at"])) or datetime.min,
        verified_at=_parse_time(str(verified)) if verified else None,
        content_sha256=value.get("content_sha256"),
        collector_key_id=value.get("collector_key_id"),
        signature=value.get("signature"),
    )
