"""index submissions.supersedes

Revision ID: 0004
Revises: 0003_register_details
Create Date: 2026-11-26 02:18:14.560516
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003_register_details"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submissions_supersedes"), ["supersedes"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submissions_supersedes"))
