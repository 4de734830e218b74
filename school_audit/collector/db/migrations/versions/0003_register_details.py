"""register details on establishments: type group, LAESTAB, town, website, ages, flags

Revision ID: 0003_register_details
Revises: 0002_web_logins
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_register_details"
down_revision = "0002_web_logins"
branch_labels = None
depends_on = None

COLUMNS = [
    ("type_group", sa.String(length=32)),
    ("laestab", sa.String(length=16)),
    ("town", sa.String(length=100)),
    ("website", sa.String(length=300)),
    ("low_age", sa.Integer()),
    ("high_age", sa.Integer()),
    ("flags", sa.Text()),
]


def upgrade() -> None:
    with op.batch_alter_table("establishments", schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("establishments", schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
