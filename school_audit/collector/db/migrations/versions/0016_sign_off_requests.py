"""sign-off requests: a signatory asked to sign a sealed return remotely by email code

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sign_off_requests",
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("urn", sa.String(length=16), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("cycle", sa.String(length=16), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("link_hash", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=True),
        sa.Column("code_expires_at", WHEN, nullable=True),
        sa.Column("code_attempts", sa.Integer(), nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("finished_at", WHEN, nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("attestation", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_sign_off_requests")),
        sa.UniqueConstraint("link_hash", name=op.f("uq_sign_off_requests_link_hash")),
    )
    with op.batch_alter_table("sign_off_requests", schema=None) as batch_op:
        batch_op.create_index("ix_sign_off_requests_urn", ["urn"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sign_off_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_off_requests_urn")
    op.drop_table("sign_off_requests")
