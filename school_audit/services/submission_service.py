"""Use cases from sign-off to a verified receipt: enrol, finalise (sign), send, follow the review.

Synchronous and Qt-free; the app calls the slow ones (`enrol`, `send_now`, `refresh_status`)
through its background runner. Errors are typed and carry a plain-English message:
`NotEnrolledError`, `NotReadyError`, `SignOffIncomplete`, `EstablishmentMismatch`,
`KeyringUnavailable` (credentials) and the `school_audit.sync.errors.CollectorError` family.
Secrets go only to the OS keyring (through `SecretStore`); the database holds no token or key.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from school_audit.credentials import KeyringSecretStore, SecretStore
from school_audit.domain import signatories as rules
from school_audit.domain.audit import Audit, AuditState, SignOff, SignOffRole
from school_audit.domain.canonical import canonical_bytes
from school_audit.domain.envelope import Envelope, build_envelope
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.readiness import check_readiness
from school_audit.domain.signatories import (
    COMMON_DECLARATION,
    ROLE_DECLARATIONS,
    Signatories,
)
from school_audit.domain.template import Template
from school_audit.i18n import tr
from school_audit.services import notices
from school_audit.services.outbox_view import OutboxEntry as OutboxEntry
from school_audit.services.outbox_view import acceptance_holds
from school_audit.services.submission_errors import (  # re-exported: callers import them here
    EstablishmentMismatch as EstablishmentMismatch,
)
from school_audit.services.submission_errors import NotEnrolledError as NotEnrolledError
from school_audit.services.submission_errors import NotReadyError as NotReadyError
from school_audit.services.submission_errors import SealBroken
from school_audit.services.submission_errors import SignOffIncomplete as SignOffIncomplete
from school_audit.services.submission_errors import (
    describe_sign_off_problem as describe_sign_off_problem,
)
from school_audit.signing import SignatureInvalid, key_id_for
from school_audit.store import AuditReadOnlyError, OutboxItem, ReviewStatus, Store

if TYPE_CHECKING:
    from school_audit.services.audit_service import AuditService
from school_audit.sync import enrolment as enrolling
from school_audit.sync.backoff import BackoffPolicy
from school_audit.sync.client import CollectorClient
from school_audit.sync.collector_keys import CollectorKeys
from school_audit.sync.drain import DrainReport, Progress, drain_outbox
from school_audit.sync.errors import CollectorError, NotEnrolled
from school_audit.sync.errors import NotFound as CollectorNotFound
from school_audit.sync.http import HttpSettings, make_session

log = logging.getLogger(__name__)
INSTALLATION_ID = "installation_id"


@dataclass(frozen=True)
class EnrolmentState:
    enrolled: bool
    collector_url: str = ""
    device_id: str = ""
    device_key_id: str = ""
    device_name: str = ""
    establishment: dict[str, Any] | None = None
    enrolled_at: str = ""
    resigned_returns: int = 0  # after `enrol`: unsent returns signed again with the new key


@dataclass(frozen=True)
class FinaliseResult:
    submission_id: uuid.UUID
    envelope_sha256: str


class SubmissionService:
    def __init__(
        self,
        store: Store,
        *,
        secrets: SecretStore | None = None,
        http: HttpSettings | None = None,
        session_factory: Callable[[HttpSettings], Any] = make_session,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], None] = time.sleep,
        audits: AuditService | None = None,
    ) -> None:
        self.store = store
        self._audits = audits  # shares its template catalogue (see services/client.py)
        self._secrets = secrets
        self.http = http or HttpSettings()
        self._session_factory = session_factory
        self._now = now
        self._sleep = sleep

    @property
    def secrets(self) -> SecretStore:
        """The keyring, scoped to this installation (made on first use: opening a read-only
        copy of the database must not write an installation id)."""
        if self._secrets is None:
            self._secrets = KeyringSecretStore(scope=self._installation_id())
        return self._secrets

    # -- enrolment ------------------------------------------------------------------------------

    def enrolment(self) -> EnrolmentState:
        found = enrolling.load_enrolment(self.store)
        if found is None:
            return EnrolmentState(enrolled=False)
        return EnrolmentState(
            enrolled=True, collector_url=found.collector_url, device_id=found.device_id,
            device_key_id=found.device_key_id, device_name=found.device_name,
            establishment=found.establishment, enrolled_at=found.enrolled_at,
        )  # fmt: skip

    def enrol(
        self, url: str, code: str, device_name: str, *, ca_bundle: str | None = None,
        dsl_email: str | None = None,
    ) -> EnrolmentState:  # fmt: skip
        """Enrol this computer (network call). Raises ValueError for a bad address (web or
        email). `dsl_email`, optional, is where the LA sends reminders and notices."""
        client = CollectorClient(url, self._session(ca_bundle), now=self._now)
        previous = enrolling.load_enrolment(self.store)
        found = enrolling.enrol_device(
            self.store, self.secrets, client, code=code, device_name=device_name,
            ca_bundle=ca_bundle, dsl_email=dsl_email,
        )  # fmt: skip
        if previous is not None and previous.collector_public_key != found.collector_public_key:
            self._follow_from(previous.collector_public_key, found.collector_public_key, client)
        state = replace(self.enrolment(), resigned_returns=self._resign_unsent(found))
        self._fetch_templates_quietly()
        return state

    def _follow_from(self, before: str, pinned: str, client: CollectorClient) -> None:
        # Enrolled again, and the collector now gives another key: if its key history chains
        # the key pinned before to the new one, the keys in between are kept, so receipts signed
        # by them still verify here and in the school's archive. A failure undoes nothing.
        try:
            CollectorKeys(before, self.store, client.collector_keys).public_key(key_id_for(pinned))
        except (CollectorError, SignatureInvalid) as error:
            log.warning("The collector's key history was not followed: %s", error)

    def _fetch_templates_quietly(self) -> None:
        # The LA's templates and local pack come with enrolment; the built-in templates still
        # work if the download fails, so a failure here never undoes an enrolment.
        try:
            self.fetch_templates()
        except (CollectorError, ValueError) as error:
            log.warning("The LA's templates could not be downloaded: %s", error)

    def _resign_unsent(self, found: enrolling.Enrolment) -> int:
        # The collector takes a return only when it is signed by the sending device's own key,
        # so returns not yet acknowledged are signed again under the new one. The people's
        # sign-offs inside are unchanged; only `device_key_id` and the device signature change.
        key = enrolling.device_signing_key(self.secrets)
        count = 0
        for item in self.store.outbox_items(["queued", "sending", "failed"]):
            envelope = json.loads(item.envelope)
            if envelope.get("device_key_id") == found.device_key_id:
                continue
            envelope["device_key_id"] = found.device_key_id
            data = canonical_bytes(envelope)
            self.store.resign_unsent(item.submission_id, data, key.sign(data))
            count += 1
        if count:
            log.info("Signed %d unsent return(s) again with the new device key", count)
        return count

    # -- sign-off -------------------------------------------------------------------------------

    def signatories_for(self, profile: EstablishmentProfile) -> Signatories:
        return rules.signatories_for(profile)

    def declaration(self, role: SignOffRole) -> str:
        """The statement a signatory in `role` agrees to (kept inside the signed envelope)."""
        return tr(ROLE_DECLARATIONS[role]) + " " + tr(COMMON_DECLARATION)

    def sign_off(self, role: SignOffRole, name: str) -> SignOff:
        """A sign-off for `role` with its declaration, signed now."""
        return SignOff(role=role, name=name.strip(), statement=self.declaration(role),
                       signed_at=self._now())  # fmt: skip

    def check_finalise(self, audit_id: uuid.UUID, sign_offs: Sequence[SignOff]) -> None:
        """Raise what `finalise` would raise, without signing (to check before asking people)."""
        self._prepare(audit_id, sign_offs)

    def finalise(self, audit_id: uuid.UUID, sign_offs: Sequence[SignOff]) -> FinaliseResult:
        """Check, sign and queue the audit in one transaction; it is read-only afterwards."""
        found, audit, template = self._prepare(audit_id, sign_offs)
        key = enrolling.device_signing_key(self.secrets)
        # A sealed audit was signed as that content: its submission id is part of it.
        sealed = self.store.seal_of(audit_id)
        submission_id = uuid.UUID(sealed.submission_id) if sealed else uuid.uuid4()
        signed = audit.model_copy(update={"sign_off": list(sign_offs)})
        envelope = build_envelope(
            signed, template, device_key_id=found.device_key_id, signed_at=self._now(),
            submission_id=submission_id,
        )  # fmt: skip
        if sealed and envelope["content_sha256"] != sealed.content_sha256:
            raise SealBroken()
        Envelope.model_validate(envelope)  # what the collector will check, checked here first
        data = canonical_bytes(envelope)
        self.store.finalise(audit_id, list(sign_offs), submission_id, data, key.sign(data))
        log.info("Audit %s signed as submission %s", audit_id, submission_id)
        return FinaliseResult(submission_id, hashlib.sha256(data).hexdigest())

    def _prepare(
        self, audit_id: uuid.UUID, sign_offs: Sequence[SignOff]
    ) -> tuple[enrolling.Enrolment, Audit, Template]:
        found = enrolling.load_enrolment(self.store)
        if found is None:
            raise NotEnrolledError()
        audit = self.store.load_audit(audit_id)
        if audit.state is not AuditState.DRAFT:
            raise AuditReadOnlyError()
        template = self.template_of(audit)
        self._check_can_sign(audit, template, found, sign_offs)
        return found, audit, template

    def _check_can_sign(
        self, audit: Audit, template: Template, found: enrolling.Enrolment,
        sign_offs: Sequence[SignOff],
    ) -> None:  # fmt: skip
        blocking = [p for p in check_readiness(audit, template, self._today()) if p.blocking]
        if blocking:
            raise NotReadyError(blocking)
        if found.urn and found.urn != audit.profile.urn:
            raise EstablishmentMismatch(tr(
                "This audit is for URN {audit_urn}, but this computer is enrolled for URN "
                "{device_urn}. Check the establishment details, or enrol again.",
                audit_urn=audit.profile.urn, device_urn=found.urn,
            ))  # fmt: skip
        problems = rules.sign_off_problems(self.signatories_for(audit.profile), sign_offs)
        if problems:
            raise SignOffIncomplete(problems)

    def template_of(self, audit: Audit) -> Template:
        """The exact template (by id, version and hash) the audit was answered against."""
        if self._audits is None:
            from school_audit.services.audit_service import AuditService

            self._audits = AuditService(self.store)
        return self._audits.template_of(audit)

    # -- the outbox -----------------------------------------------------------------------------

    def outbox(self) -> list[OutboxEntry]:
        return [
            OutboxEntry(item, self.store.review_of(item.submission_id))
            for item in self.store.outbox_items()
        ]

    def send_now(
        self,
        cancel: Callable[[], bool] | None = None,
        progress: Progress | None = None,
        *,
        max_attempts_per_run: int = 5,
        include_waiting: bool = True,
        wait_in_run: bool = True,
    ) -> DrainReport:
        """Send waiting returns (network); the report says what happened to each.

        A person pressing "send" means now: `include_waiting` also retries items the backoff had
        put off. A background sender passes False so backoff and Retry-After are kept. Without
        `wait_in_run` the run never sleeps between tries (the app's timer starts the next run).
        """
        found = enrolling.load_enrolment(self.store)
        if found is None:
            raise NotEnrolledError()
        if include_waiting:
            self._make_waiting_items_due()
        client = self._client(found)
        return drain_outbox(
            self.store, client, collector_public_key=self.collector_keys(found, client),
            now=self._now, sleep=self._sleep, cancel=cancel or (lambda: False),
            progress=progress, max_attempts_per_run=max_attempts_per_run,
            policy=None if wait_in_run else BackoffPolicy(max_wait_in_run=0.0),
        )  # fmt: skip

    def fetch_templates(self) -> list[Template]:
        """Download the LA's templates, each with its local pack merged under it (network), and
        keep them on this device, where the catalogue offers them before the bare national core."""
        from school_audit.sync.template_download import download_templates

        found = enrolling.load_enrolment(self.store)
        if found is None:
            raise NotEnrolledError()
        downloaded = download_templates(self._client(found))
        for template in downloaded:
            self.store.save_template(template, "collector")
        return downloaded

    def _make_waiting_items_due(self) -> None:
        # Pressing "send now" means now, even for items the backoff had put off.
        now = self._now()
        for item in self.store.outbox_items(["failed"]):
            if item.next_attempt_at is not None and item.next_attempt_at > now:
                self.store.retry_now(item.submission_id)

    def refresh_status(self) -> list[ReviewStatus]:
        """Ask the collector how each sent return is doing (network); returns what changed."""
        found = enrolling.load_enrolment(self.store)
        if found is None:
            raise NotEnrolledError()
        client = self._client(found)
        keys = self.collector_keys(found, client)
        changed = []
        for item in self.store.outbox_items(["sent"]):
            try:
                status = client.submission_status(str(item.submission_id))
            except CollectorNotFound:
                log.warning("The collector does not know submission %s", item.submission_id)
                continue
            before = self.store.review_of(item.submission_id)
            review = dict(status.review or {})
            record = status.acceptance or (before.review.get("acceptance") if before else None)
            if record and acceptance_holds(record, keys, item):
                review["acceptance"] = record  # kept with the review it came with
            self.store.set_review(item.submission_id, status.status, review)
            letter = notices.remember_letter(
                self.store, item.submission_id, status.feedback_letter_issued_at
            )
            if letter or before is None or before.status != status.status or before.review != review:
                changed.append(self.store.review_of(item.submission_id))
        return [review for review in changed if review is not None]

    def fetch_feedback_letter(self, submission_id: str, folder: Path) -> Path:
        """The LA's feedback letter on a sent return, kept in `folder`: downloaded (network)
        unless a copy is already there; returns the file. NotFound (code `letter_not_ready`)
        until the LA has reviewed the return."""
        item = next((i for i in self.store.outbox_items() if i.submission_id == str(submission_id)),
                    None)  # fmt: skip
        cycle = notices.home_cycle(item) if item is not None else ""
        path = notices.letter_path(folder, cycle, str(submission_id))
        if path.is_file():  # one letter per return: the copy kept here opens offline too
            return path
        found = enrolling.load_enrolment(self.store)
        if found is None:
            raise NotEnrolledError()
        return notices.save_letter(self._client(found).feedback_letter(str(submission_id)), path)

    def review_of(self, audit_id: uuid.UUID) -> ReviewStatus | None:
        """The LA's latest review of the audit's current revision (comments when returned)."""
        item = self._current_item(audit_id)
        return self.store.review_of(item.submission_id) if item else None

    def reopen(self, audit_id: uuid.UUID) -> int:
        """Start a new revision of a RETURNED audit, superseding the returned one."""
        item = self._current_item(audit_id)
        if item is None:
            raise LookupError(tr("This audit has not been signed yet."))
        return self.store.reopen_for_revision(audit_id, item.submission_id)

    # -- plumbing -------------------------------------------------------------------------------

    def connect(self) -> tuple[enrolling.Enrolment, CollectorClient]:
        """The enrolment and an authenticated client (for the sign-off service)."""
        found = enrolling.load_enrolment(self.store)
        if found is None:
            raise NotEnrolledError()
        return found, self._client(found)

    def collector_keys(self, found: enrolling.Enrolment, client: CollectorClient) -> CollectorKeys:
        """The collector keys this device trusts, following a rotation through `client` (a
        network call, made only when something names a key the device does not know)."""
        return CollectorKeys(found.collector_public_key, self.store, client.collector_keys)

    def now(self) -> datetime:
        return self._now()

    def _current_item(self, audit_id: uuid.UUID) -> OutboxItem | None:
        audit = self.store.load_audit(audit_id)
        for item in self.store.outbox_items():
            if str(item.audit_id) == str(audit.audit_id) and item.revision == audit.revision:
                return item
        return None

    def _client(self, found: enrolling.Enrolment) -> CollectorClient:
        try:
            token = enrolling.device_token(self.secrets)
        except NotEnrolled as error:
            raise NotEnrolledError(str(error)) from None
        session = self._session(found.ca_bundle)
        return CollectorClient(found.collector_url, session, token=token, now=self._now)

    def _session(self, ca_bundle: str | None) -> Any:
        settings = self.http
        if ca_bundle:
            settings = replace(settings, ca_bundle=Path(ca_bundle))
        return self._session_factory(settings)

    def _installation_id(self) -> str:
        value = self.store.get_setting(INSTALLATION_ID)
        if not value:
            value = str(uuid.uuid4())
            self.store.set_setting(INSTALLATION_ID, value)
        return value

    def _today(self) -> date:
        return self._now().date()
