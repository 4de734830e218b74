"""The client's tables (SQLAlchemy Core). The migrations in `migrations/versions` build the same.

Identifiers are UUID text, timestamps RFC 3339 UTC text (they sort as strings), dates ISO text and
structured values JSON text, so the file reads plainly in any SQLite tool.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

AUDIT_STATES = ("draft", "signed", "sent", "accepted", "returned", "superseded")
OUTBOX_STATES = ("queued", "sending", "sent", "failed")
RATINGS = ("met", "partially_met", "not_met", "not_applicable")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


profile = Table(
    "profile",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("profile_json", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    CheckConstraint("id = 1", name="profile_single_row"),
)

templates = Table(
    "templates",
    metadata,
    Column("template_id", Text, primary_key=True),
    Column("version", Text, primary_key=True),
    Column("sha256", Text, primary_key=True),
    Column("setting_type", Text, nullable=False),
    Column("cycle", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("template_json", Text, nullable=False),
    Column("source", Text, nullable=False),  # builtin (kept with an audit), collector, file
    # The hash is part of the key: an audit must always find the exact content it was started on,
    # even if a template is (wrongly) republished under the same version.
    Column("stored_at", Text, nullable=False),
)

audits = Table(
    "audits",
    metadata,
    Column("audit_id", Text, primary_key=True),
    Column("cycle", Text, nullable=False),
    Column("template_id", Text, nullable=False),
    Column("template_version", Text, nullable=False),
    Column("template_sha256", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("supersedes", Text),  # submission_id of the revision this one replaces
    Column("profile_json", Text, nullable=False),  # the profile as it was when the audit began
    Column("previous_responses_json", Text, nullable=False),
    Column("answer_afresh_json", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    CheckConstraint(_in("state", AUDIT_STATES), name="audit_state_known"),
    CheckConstraint("revision >= 1", name="audit_revision_positive"),
)

responses = Table(
    "responses",
    metadata,
    Column("audit_id", Text, ForeignKey("audits.audit_id", ondelete="CASCADE"), primary_key=True),
    Column("standard_id", Text, primary_key=True),
    Column("rating", Text),
    Column("evidence", Text, nullable=False),
    Column("na_reason", Text, nullable=False),
    Column("dates_json", Text, nullable=False),
    Column("value_json", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    CheckConstraint(f"rating IS NULL OR {_in('rating', RATINGS)}", name="response_rating_known"),
)

actions = Table(
    "actions",
    metadata,
    # An action carried forward keeps its id (it is the same piece of work), so the id is unique
    # within an audit, not across audits.
    Column("audit_id", Text, ForeignKey("audits.audit_id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", Text, primary_key=True),
    Column("standard_id", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("owner_role", Text, nullable=False),
    Column("target_date", Text),
    Column("status", Text, nullable=False),
    Column("support_requested", Boolean, nullable=False),
    Column("carried_forward", Boolean, nullable=False),
    Column("position", Integer, nullable=False),
    Index("actions_by_audit", "audit_id", "position"),
)

sign_offs = Table(
    "sign_offs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("audit_id", Text, ForeignKey("audits.audit_id", ondelete="CASCADE"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("role", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("statement", Text, nullable=False),
    Column("signed_at", Text, nullable=False),
    UniqueConstraint("audit_id", "revision", "position", name="sign_off_order"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("submission_id", Text, primary_key=True),
    Column("audit_id", Text, ForeignKey("audits.audit_id"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("envelope", LargeBinary, nullable=False),  # the exact canonical bytes that were signed
    Column("signature", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("next_attempt_at", Text),
    Column("receipt_json", Text),
    Column("sent_at", Text),
    CheckConstraint(_in("state", OUTBOX_STATES), name="outbox_state_known"),
    UniqueConstraint("audit_id", "revision", name="outbox_one_per_revision"),
)

review_status = Table(
    "review_status",
    metadata,
    Column("submission_id", Text, ForeignKey("outbox.submission_id"), primary_key=True),
    Column("status", Text, nullable=False),
    Column("review_json", Text, nullable=False),
    Column("checked_at", Text, nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

SIGNATURE_STATES = ("requested", "signed", "declined", "voided")

# A sealed draft: its content is frozen at this hash until the DSL unseals it (which voids every
# signature). The submission id is part of the sealed content, so it is fixed here.
seals = Table(
    "seals",
    metadata,
    Column("audit_id", Text, ForeignKey("audits.audit_id", ondelete="CASCADE"), primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("content_sha256", Text, nullable=False),
    Column("submission_id", Text, nullable=False),
    Column("sealed_at", Text, nullable=False),
)

# One row per signatory of a sealed audit: asked by email (requested), signed (here or remotely,
# with the attestation), declined (with the comment), or voided by a change or a replacement
# (kept until a pending remote request behind it has been cancelled at the collector).
signatures = Table(
    "signatures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("audit_id", Text, ForeignKey("audits.audit_id", ondelete="CASCADE"), nullable=False),
    Column("content_sha256", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("email", Text),
    Column("request_id", Text),
    Column("requested_at", Text),
    Column("signed_at", Text),
    Column("comment", Text),
    Column("attestation_json", Text),
    Column("updated_at", Text, nullable=False),
    CheckConstraint(_in("state", SIGNATURE_STATES), name="signature_state_known"),
    Index("signatures_by_audit", "audit_id", "state"),
)
