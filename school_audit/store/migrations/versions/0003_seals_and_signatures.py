"""Sealing and per-person signatures: the frozen content's hash, and each signatory's state.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seals",
        sa.Column(
            "audit_id",
            sa.Text,
            sa.ForeignKey("audits.audit_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("content_sha256", sa.Text, nullable=False),
        sa.Column("submission_id", sa.Text, nullable=False),
        sa.Column("sealed_at", sa.Text, nullable=False),
    )
    op.create_table(
        "signatures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "audit_id",
            sa.Text,
            sa.ForeignKey("audits.audit_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("content_sha256", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("email", sa.Text),
        sa.Column("request_id", sa.Text),
        sa.Column("requested_at", sa.Text),
        sa.Column("signed_at", sa.Text),
        sa.Column("comment", sa.Text),
        sa.Column("attestation_json", sa.Text),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.CheckConstraint(
            "state IN ('requested', 'signed', 'declined', 'voided')", name="signature_state_known"
        ),
        sa.Index("signatures_by_audit", "audit_id", "state"),
    )


def downgrade() -> None:
    op.drop_table("signatures")
    op.drop_table("seals")
