"""Every table of the collector (SQLAlchemy 2 declarative). Migrations live in `migrations/`.

The raw signed envelope is kept byte-for-byte in `submissions.envelope` with its SHA-256; the
answers are copied into rows (with the establishment's urn, cycle, phase, district and setting type
repeated, and a `current` flag) so the dashboard aggregates with one indexed GROUP BY.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from school_audit.collector.db.types import UtcDateTime, utc_now

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Urn = String(16)
Cycle = String(16)
Uuid = String(36)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Establishment(Base):
    __tablename__ = "establishments"

    urn: Mapped[str] = mapped_column(Urn, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    la_code: Mapped[str | None] = mapped_column(String(8))
    setting_type: Mapped[str] = mapped_column(String(16), index=True)  # school | early_years
    type_name: Mapped[str | None] = mapped_column(String(200))  # GIAS TypeOfEstablishment
    phase: Mapped[str] = mapped_column(String(64))
    district: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed | proposed
    opens_on: Mapped[date | None] = mapped_column(Date)  # when a "proposed" one opens (GIAS)
    postcode: Mapped[str | None] = mapped_column(String(16))
    head_name: Mapped[str | None] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    telephone: Mapped[str | None] = mapped_column(String(40))
    ofsted_urn: Mapped[str | None] = mapped_column(String(16))
    ey_urn: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(String(64))  # gias | early_years_csv | manual
    # Register details (migration 0003): the "by type" breakdown, LAESTAB and profile facts.
    type_group: Mapped[str | None] = mapped_column(String(32))  # register.model.TYPE_GROUPS key
    laestab: Mapped[str | None] = mapped_column(String(16))
    town: Mapped[str | None] = mapped_column(String(100))
    website: Mapped[str | None] = mapped_column(String(300))
    low_age: Mapped[int | None] = mapped_column(Integer)
    high_age: Mapped[int | None] = mapped_column(Integer)
    flags: Mapped[str | None] = mapped_column(Text)  # JSON object of profile flags
    trust_name: Mapped[str | None] = mapped_column(String(300))  # the MAT, if any (GIAS)
    trust_ref: Mapped[str | None] = mapped_column(String(32))  # GIAS "Trusts (code)"
    # Number on roll (schools) or registered places (early years): the size band comes from it.
    pupils: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class CycleRow(Base):
    __tablename__ = "cycles"

    cycle: Mapped[str] = mapped_column(Cycle, primary_key=True)  # e.g. 2025-26
    title: Mapped[str] = mapped_column(String(200))
    first_deadline: Mapped[date | None] = mapped_column(Date)
    final_deadline: Mapped[date | None] = mapped_column(Date)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)


class CycleTemplate(Base):
    __tablename__ = "cycle_templates"
    __table_args__ = (UniqueConstraint("cycle", "setting_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cycle: Mapped[str] = mapped_column(ForeignKey("cycles.cycle"))
    setting_type: Mapped[str] = mapped_column(String(16))
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(64))


class Exemption(Base):
    __tablename__ = "exemptions"
    __table_args__ = (UniqueConstraint("cycle", "urn"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cycle: Mapped[str] = mapped_column(Cycle)
    urn: Mapped[str] = mapped_column(ForeignKey("establishments.urn"))
    reason: Mapped[str] = mapped_column(Text)
    exempted_by: Mapped[str] = mapped_column(String(100))
    exempted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class TemplateRow(Base):
    __tablename__ = "templates"
    __table_args__ = (Index("ix_templates_setting_cycle", "setting_type", "cycle"),)

    template_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    setting_type: Mapped[str] = mapped_column(String(16))
    cycle: Mapped[str] = mapped_column(Cycle)
    title: Mapped[str] = mapped_column(String(300))
    json: Mapped[bytes] = mapped_column(LargeBinary)  # canonical bytes of the template
    published_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class LocalPackRow(Base):
    """An LA's local pack as published for a cycle (domain/local_pack.py); never changes."""

    __tablename__ = "local_packs"
    __table_args__ = (Index("ix_local_packs_cycle", "cycle"),)

    pack_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    cycle: Mapped[str] = mapped_column(Cycle)
    title: Mapped[str] = mapped_column(String(300))
    la_name: Mapped[str] = mapped_column(String(300))
    applies_to: Mapped[str] = mapped_column(String(2000))  # national template ids, comma-separated
    json: Mapped[bytes] = mapped_column(LargeBinary)  # canonical bytes of the pack
    published_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class EnrolmentCode(Base):
    __tablename__ = "enrolment_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256; never the code
    urn: Mapped[str] = mapped_column(ForeignKey("establishments.urn"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    issued_by: Mapped[str | None] = mapped_column(String(100))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # withdrawn before use


class Device(Base):
    __tablename__ = "devices"

    device_id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    device_key_id: Mapped[str] = mapped_column(String(64), unique=True)
    urn: Mapped[str] = mapped_column(ForeignKey("establishments.urn"), index=True)
    public_key: Mapped[str] = mapped_column(String(64))  # base64url of the 32 raw bytes
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256; never the token
    name: Mapped[str] = mapped_column(String(200))
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (
        Index("ix_submissions_cycle_urn", "cycle", "urn"),
        Index("ix_submissions_cycle_status", "cycle", "status"),
    )

    submission_id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    audit_id: Mapped[str] = mapped_column(Uuid, index=True)
    revision: Mapped[int] = mapped_column(BigInteger)  # up to 2^53, as JSON allows
    supersedes: Mapped[str | None] = mapped_column(Uuid, index=True)
    urn: Mapped[str] = mapped_column(Urn)  # as signed; not a foreign key: never lose a return
    cycle: Mapped[str] = mapped_column(Cycle)
    setting_type: Mapped[str] = mapped_column(String(16))
    phase: Mapped[str] = mapped_column(String(64))
    district: Mapped[str | None] = mapped_column(String(200))
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(64))
    template_sha256: Mapped[str] = mapped_column(String(64))
    envelope: Mapped[bytes] = mapped_column(LargeBinary)  # RFC 8785 bytes, exactly as signed
    envelope_sha256: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
    device_key_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(
        String(16)
    )  # received|accepted|returned|quarantined|superseded
    quarantine_reason: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CurrentReturn(Base):
    """The one return that counts for an establishment in a cycle (migration 0008).

    Its primary key is what makes "one current return per establishment and cycle" hold under
    concurrent writers: two transactions that both try to make a return current for the same
    school cannot both commit; the loser's retry reads the winner's row (see ingest/current.py).
    Answers have `current` true exactly for the return named here.
    """

    __tablename__ = "current_returns"

    cycle: Mapped[str] = mapped_column(Cycle, primary_key=True)
    urn: Mapped[str] = mapped_column(Urn, primary_key=True)
    submission_id: Mapped[str] = mapped_column(
        ForeignKey("submissions.submission_id", ondelete="CASCADE"), unique=True
    )
    setting_type: Mapped[str] = mapped_column(String(16), default="school")
    # The groups its answers are counted under in the kept counts (JSON: dimension -> group), so
    # that replacing it, or a register change, takes away exactly what was added.
    counted_as: Mapped[str] = mapped_column(Text, default="{}")


class KeptAnswerCount(Base):
    """Current answers of a cycle by breakdown group, standard and rating, kept as returns are
    stored, superseded and released (aggregate/kept.py): pages read these few rows instead of
    scanning `answers`. `check --aggregates` recomputes them from the rows."""

    __tablename__ = "kept_answer_counts"
    # Clustered on its key in SQLite: each upsert then touches one B-tree, not a table and an index.
    __table_args__ = {"sqlite_with_rowid": False}

    cycle: Mapped[str] = mapped_column(Cycle, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    grp: Mapped[str] = mapped_column(String(300), primary_key=True)  # the group as pages name it
    standard_id: Mapped[str] = mapped_column(String(500), primary_key=True)
    rating: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class KeptReturnCount(Base):
    """Establishments with a current return, per cycle, setting type and breakdown group
    (dimension "" and group "" for all of them)."""

    __tablename__ = "kept_return_counts"
    __table_args__ = {"sqlite_with_rowid": False}

    cycle: Mapped[str] = mapped_column(Cycle, primary_key=True)
    setting_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    grp: Mapped[str] = mapped_column(String(300), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class KeptEstablishmentStatus(Base):
    """What one establishment adds to the overview's completeness counts of a cycle (migration
    0017): its setting type and groups in the register as last counted, and one 0/1 per
    measure (expected, received by when, accepted, returned, quarantined). Taking away exactly
    this when something changes keeps `kept_completeness_counts` exact (aggregate/kept_status.py).
    """

    __tablename__ = "kept_establishment_status"
    __table_args__ = {"sqlite_with_rowid": False}

    cycle: Mapped[str] = mapped_column(Cycle, primary_key=True)
    urn: Mapped[str] = mapped_column(Urn, primary_key=True)
    setting_type: Mapped[str] = mapped_column(String(16))
    phase_grp: Mapped[str] = mapped_column(String(300))
    type_grp: Mapped[str] = mapped_column(String(300))
    district_grp: Mapped[str] = mapped_column(String(300))
    trust_grp: Mapped[str] = mapped_column(String(300))
    size_grp: Mapped[str] = mapped_column(String(300))
    expected: Mapped[int] = mapped_column(Integer, default=0)
    received: Mapped[int] = mapped_column(Integer, default=0)
    received_by_first: Mapped[int] = mapped_column(Integer, default=0)
    received_by_final: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    returned: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)


class KeptCompletenessCount(Base):
    """The overview's completeness counts per cycle, setting type and breakdown group (dimension
    "" and group "" for all of the setting type): the sums of `kept_establishment_status`."""

    __tablename__ = "kept_completeness_counts"
    __table_args__ = {"sqlite_with_rowid": False}

    cycle: Mapped[str] = mapped_column(Cycle, primary_key=True)
    setting_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    grp: Mapped[str] = mapped_column(String(300), primary_key=True)
    expected: Mapped[int] = mapped_column(Integer, default=0)
    received: Mapped[int] = mapped_column(Integer, default=0)
    received_by_first: Mapped[int] = mapped_column(Integer, default=0)
    received_by_final: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    returned: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)


class _PerSubmission:
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(
        ForeignKey("submissions.submission_id", ondelete="CASCADE"), index=True
    )


class Answer(_PerSubmission, Base):
    __tablename__ = "answers"
    __table_args__ = (
        # Current answers of a cycle by standard and rating: risk triage, trends and the scan
        # that checks the kept counts. (The by-phase and by-district indexes went with 0008:
        # the pages read kept counts, and each index cost ingest an insert per answer.)
        Index("ix_answers_agg", "cycle", "current", "standard_id", "rating"),
    )

    standard_id: Mapped[str] = mapped_column(String(500))
    rating: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[str] = mapped_column(Text, default="")
    na_reason: Mapped[str | None] = mapped_column(Text)
    dates: Mapped[str | None] = mapped_column(Text)  # JSON object of ISO dates
    urn: Mapped[str] = mapped_column(Urn)
    cycle: Mapped[str] = mapped_column(Cycle)
    phase: Mapped[str] = mapped_column(String(64))
    district: Mapped[str | None] = mapped_column(String(200))
    setting_type: Mapped[str] = mapped_column(String(16))
    # True only for the establishment's counted return (`current_returns`): false for superseded
    # and quarantined returns until an officer releases one. Aggregates count current rows only.
    current: Mapped[bool] = mapped_column(Boolean, default=True)


class ActionRow(_PerSubmission, Base):
    __tablename__ = "actions"

    action_id: Mapped[str] = mapped_column(Uuid)
    standard_id: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text)
    owner_role: Mapped[str] = mapped_column(String(500))
    target_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    support_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    urn: Mapped[str] = mapped_column(Urn)
    cycle: Mapped[str] = mapped_column(Cycle, index=True)


class SignOffRow(_PerSubmission, Base):
    __tablename__ = "sign_offs"

    role: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(500))
    statement: Mapped[str] = mapped_column(Text)
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LocalAnswer(_PerSubmission, Base):
    __tablename__ = "local_answers"

    question_id: Mapped[str] = mapped_column(String(500))
    value: Mapped[str] = mapped_column(Text)  # JSON: a string, number or boolean
    urn: Mapped[str] = mapped_column(Urn)
    cycle: Mapped[str] = mapped_column(Cycle, index=True)


class Receipt(Base):
    __tablename__ = "receipts"

    submission_id: Mapped[str] = mapped_column(
        ForeignKey("submissions.submission_id", ondelete="CASCADE"), primary_key=True
    )
    receipt: Mapped[str] = mapped_column(Text)  # the signed receipt as JSON, returned on retries


class Review(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.submission_id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))  # accepted | returned
    comments: Mapped[str] = mapped_column(Text, default="{}")  # JSON {standard_id: comment}
    general_comment: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(100))
    reviewed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Redaction(Base):
    """A span of a return's free text that an LA reviewer hid (e.g. a child's name).

    The signed envelope is kept byte for byte (its hash and signature must still verify); every
    view and export of the text shows it with these spans replaced.
    """

    __tablename__ = "redactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(
        ForeignKey("submissions.submission_id", ondelete="CASCADE"), index=True
    )
    target: Mapped[str] = mapped_column(String(32))  # evidence | na_reason | action | ...
    item_id: Mapped[str] = mapped_column(String(500))  # the standard id or the action id
    start: Mapped[int] = mapped_column(Integer)  # character offsets in the original text
    end: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    reviewer: Mapped[str] = mapped_column(String(100))
    redacted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class User(Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(100), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))  # admin | la_officer | steering
    password_hash: Mapped[str] = mapped_column(String(200))  # Argon2id
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    email: Mapped[str | None] = mapped_column(String(320))  # for a password reset link


class PasswordResetToken(Base):
    """A single-use link to set a new password (collector/password_reset.py): only the token's
    hash is kept. status: open | used | replaced (by a newer link) | cancelled."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AuditLogEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")  # never a secret


# --- Dashboard log-ins (owned by the web package) ---


class WebSession(Base):
    """A signed-in dashboard user. The cookie holds a random token; only its SHA-256 is kept."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(
        ForeignKey("users.username", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LoginAttempt(Base):
    """Log-in tries, counted per user name and per client address to slow password guessing."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_client_at", "client", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    username: Mapped[str] = mapped_column(String(100))
    client: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)


# --- Mail to settings (migration 0012; owned by collector/mail) ---


class EstablishmentContact(Base):
    """Who at an establishment gets mail: its DSL, head and chair of governors, one row each.

    Set by LA officers, by the school's app at enrolment (the DSL), or from the register; every
    change and every refused address (a bounce) is in the audit log.
    """

    __tablename__ = "establishment_contacts"
    __table_args__ = (UniqueConstraint("urn", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    urn: Mapped[str] = mapped_column(ForeignKey("establishments.urn"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # dsl | head | chair
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16))  # officer | app | register
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    bounced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    bounce_reason: Mapped[str | None] = mapped_column(Text)


class OutgoingMail(Base):
    """The mail queue. A row is written in the transaction of the event that causes it, with its
    Message-ID fixed; the full message bytes are fixed once, before the first attempt, so any
    resend after a crash is byte for byte the same message."""

    __tablename__ = "outgoing_mail"
    __table_args__ = (Index("ix_outgoing_mail_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))  # the template's name, e.g. reminder
    urn: Mapped[str | None] = mapped_column(Urn, index=True)
    cycle: Mapped[str | None] = mapped_column(Cycle)
    role: Mapped[str | None] = mapped_column(String(16))  # the recipient's role
    to_address: Mapped[str] = mapped_column(String(320))
    context: Mapped[str] = mapped_column(Text)  # JSON facts for the template; never answer text
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)  # the message, once rendered
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Sends begun whose outcome was never recorded (the worker died): two, and no third is made.
    unfinished_sends: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ReminderSchedule(Base):
    """A cycle's reminder steps (JSON list), when the LA changed them from the default."""

    __tablename__ = "reminder_schedules"

    cycle: Mapped[str] = mapped_column(ForeignKey("cycles.cycle"), primary_key=True)
    steps: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ReminderSent(Base):
    """One reminder step taken for one setting: the unique key makes `remind` idempotent."""

    __tablename__ = "reminders_sent"
    __table_args__ = (
        UniqueConstraint("cycle", "urn", "step", "due_on", name="uq_reminders_sent_step"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cycle: Mapped[str] = mapped_column(Cycle)
    urn: Mapped[str] = mapped_column(Urn, index=True)
    step: Mapped[str] = mapped_column(String(64))
    due_on: Mapped[date] = mapped_column(Date)
    wording: Mapped[str] = mapped_column(String(32))  # not_returned | returned_for_changes
    recipients: Mapped[str] = mapped_column(Text)  # "dsl:a@b, head:c@d": the history shows it
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class SteeringSnapshot(Base):
    """What the steering group sees, as taken at one time (aggregate/snapshots.py): the view
    with its suppression, and who it counted, so that the next snapshot knows who changed."""

    __tablename__ = "steering_snapshots"
    __table_args__ = (Index("ix_steering_snapshots_cycle", "cycle", "setting_type", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cycle: Mapped[str] = mapped_column(Cycle)
    setting_type: Mapped[str] = mapped_column(String(16))
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    taken_by: Mapped[str] = mapped_column(String(100))  # a user, "cli" or "automatic"
    reason: Mapped[str] = mapped_column(String(200), default="")
    returns: Mapped[int] = mapped_column(Integer)  # settings with a return, when taken
    view: Mapped[str] = mapped_column(Text)  # JSON: the suppressed steering view
    members: Mapped[str] = mapped_column(Text)  # JSON: who was counted, and how


class SignOffRequest(Base):
    """A signatory asked to sign a sealed return remotely (docs/signed-returns.md §8). Only
    hashes of the link token and of the one-time code are kept."""

    __tablename__ = "sign_off_requests"

    request_id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    urn: Mapped[str] = mapped_column(Urn, index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    cycle: Mapped[str] = mapped_column(Cycle)
    content_sha256: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(500))
    email: Mapped[str] = mapped_column(String(320))
    summary: Mapped[str] = mapped_column(Text)  # JSON: the governors' summary the app sent
    status: Mapped[str] = mapped_column(String(16))  # pending|signed|declined|cancelled
    link_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str | None] = mapped_column(String(64))
    code_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    comment: Mapped[str | None] = mapped_column(Text)  # why they declined
    attestation: Mapped[str | None] = mapped_column(Text)  # JSON, once signed


# --- Triage notes (migration 0014; owned by review/triage_notes.py) ---


class TriageNote(Base):
    """An LA officer's note on a triage item: contacted, what was said, when to follow up.

    Notes are kept (never edited), so a setting's page shows every contact in order; the newest
    note decides whether the item is "in hand" (its follow-up date not yet passed)."""

    __tablename__ = "triage_notes"
    __table_args__ = (Index("ix_triage_notes_cycle_urn", "cycle", "urn"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cycle: Mapped[str] = mapped_column(Cycle)
    urn: Mapped[str] = mapped_column(Urn)
    note: Mapped[str] = mapped_column(Text)  # no child-identifying text: the form says so
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(100))
    noted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


# --- Passkeys for remote signing (migration 0017; owned by collector/passkey_signing.py) ---


class PasskeyCredential(Base):
    """A signatory's passkey, registered on first use at a signing link. Keyed by the credential
    id; `email_hash` (SHA-256 of the address, lower-cased) finds it again for that person's next
    request. Only public material: the private key never leaves the authenticator."""

    __tablename__ = "passkey_credentials"

    credential_id: Mapped[str] = mapped_column(String(1400), primary_key=True)  # base64url
    email_hash: Mapped[str] = mapped_column(String(64), index=True)
    rp_id: Mapped[str] = mapped_column(String(253))
    public_key: Mapped[str] = mapped_column(Text)  # base64url DER SubjectPublicKeyInfo
    algorithm: Mapped[int] = mapped_column(Integer)  # COSE: -7 ES256, -8 EdDSA, -257 RS256
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


metadata = Base.metadata
