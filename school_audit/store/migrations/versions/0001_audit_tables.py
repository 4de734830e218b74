"""Audit tables: profile, templates, audits, responses, actions, sign-offs.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "profile",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile_json", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.CheckConstraint("id = 1", name="profile_single_row"),
    )
    op.create_table(
        "templates",
        sa.Column("template_id", sa.Text, primary_key=True),
        sa.Column("version", sa.Text, primary_key=True),
        sa.Column("sha256", sa.Text, primary_key=True),
        sa.Column("setting_type", sa.Text, nullable=False),
        sa.Column("cycle", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("template_json", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("stored_at", sa.Text, nullable=False),
    )
    op.create_table(
        "audits",
        sa.Column("audit_id", sa.Text, primary_key=True),
        sa.Column("cycle", sa.Text, nullable=False),
        sa.Column("template_id", sa.Text, nullable=False),
        sa.Column("template_version", sa.Text, nullable=False),
        sa.Column("template_sha256", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("supersedes", sa.Text),
        sa.Column("profile_json", sa.Text, nullable=False),
        sa.Column("previous_responses_json", sa.Text, nullable=False),
        sa.Column("answer_afresh_json", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.CheckConstraint(
            "state IN ('draft', 'signed', 'sent', 'accepted', 'returned', 'superseded')",
            name="audit_state_known",
        ),
        sa.CheckConstraint("revision >= 1", name="audit_revision_positive"),
    )
    op.create_table(
        "responses",
        sa.Column(
            "audit_id",
            sa.Text,
            sa.ForeignKey("audits.audit_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("standard_id", sa.Text, primary_key=True),
        sa.Column("rating", sa.Text),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("na_reason", sa.Text, nullable=False),
        sa.Column("dates_json", sa.Text, nullable=False),
        sa.Column("value_json", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.CheckConstraint(
            "rating IS NULL OR rating IN ('met', 'partially_met', 'not_met', 'not_applicable')",
            name="response_rating_known",
        ),
    )
    op.create_table(
        "actions",
        sa.Column(
            "audit_id",
            sa.Text,
            sa.ForeignKey("audits.audit_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("action_id", sa.Text, primary_key=True),
        sa.Column("standard_id", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("owner_role", sa.Text, nullable=False),
        sa.Column("target_date", sa.Text),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("support_requested", sa.Boolean, nullable=False),
        sa.Column("carried_forward", sa.Boolean, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_index("actions_by_audit", "actions", ["audit_id", "position"])
    op.create_table(
        "sign_offs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "audit_id",
            sa.Text,
            sa.ForeignKey("audits.audit_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
        sa.Column("signed_at", sa.Text, nullable=False),
        sa.UniqueConstraint("audit_id", "revision", "position", name="sign_off_order"),
    )


def downgrade() -> None:
    for table in ("sign_offs", "actions", "responses", "audits", "templates", "profile"):
        op.drop_table(table)
