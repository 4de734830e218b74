"""establishments: the date a school proposed to open will open (GIAS "OpenDate")

Revision ID: 0010
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("establishments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opens_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("establishments", schema=None) as batch_op:
        batch_op.drop_column("opens_on")
