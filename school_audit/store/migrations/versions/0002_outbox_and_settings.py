"""Sending: the outbox of signed returns, their review status, and non-secret settings.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("submission_id", sa.Text, primary_key=True),
        sa.Column("audit_id", sa.Text, sa.ForeignKey("audits.audit_id"), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("envelope", sa.LargeBinary, nullable=False),
        sa.Column("signature", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("next_attempt_at", sa.Text),
        sa.Column("receipt_json", sa.Text),
        sa.Column("sent_at", sa.Text),
        sa.CheckConstraint(
            "state IN ('queued', 'sending', 'sent', 'failed')", name="outbox_state_known"
        ),
        sa.UniqueConstraint("audit_id", "revision", name="outbox_one_per_revision"),
    )
    op.create_table(
        "review_status",
        sa.Column(
            "submission_id",
            sa.Text,
            sa.ForeignKey("outbox.submission_id"),
            primary_key=True,
        ),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("review_json", sa.Text, nullable=False),
        sa.Column("checked_at", sa.Text, nullable=False),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("settings", "review_status", "outbox"):
        op.drop_table(table)
