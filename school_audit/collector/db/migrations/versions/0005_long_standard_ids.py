"""standard and question ids as long as an envelope may carry (500), so a quarantined return
with an odd id is still stored on PostgreSQL

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = (("answers", "standard_id"), ("actions", "standard_id"), ("local_answers", "question_id"))


def upgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.String(length=64),
                type_=sa.String(length=500),
                existing_nullable=False,
            )


def downgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.String(length=500),
                type_=sa.String(length=64),
                existing_nullable=False,
            )
