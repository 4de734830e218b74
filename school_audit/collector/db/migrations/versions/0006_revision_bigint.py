"""submissions.revision as a 64-bit integer: an envelope may carry any revision up to 2^53

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.alter_column(
            "revision", existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.alter_column(
            "revision", existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=False
        )
