"""steering snapshots: the steering group's figures as dated snapshots, not live; failed
log-ins under names that are no user are kept as "(unknown user)", never as typed

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None
UNKNOWN_USER = "(unknown user)"  # as web/auth.py stores it


def upgrade() -> None:
    op.create_table(
        "steering_snapshots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("cycle", sa.String(length=16), nullable=False),
        sa.Column("setting_type", sa.String(length=16), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("returns", sa.Integer(), nullable=False),
        sa.Column("view", sa.Text(), nullable=False),
        sa.Column("members", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_steering_snapshots_cycle",
        "steering_snapshots",
        ["cycle", "setting_type", "id"],
        unique=False,
    )

    # A name that is no user is often a password typed into the wrong box: forget what was typed.
    for table, column, extra in (
        ("login_attempts", "username", ""),
        ("audit_log", "actor", " AND action = 'login_failed'"),
    ):
        op.execute(
            f"UPDATE {table} SET {column} = '{UNKNOWN_USER}' "
            f"WHERE {column} NOT IN (SELECT username FROM users){extra}"
        )


def downgrade() -> None:
    op.drop_index("ix_steering_snapshots_cycle", table_name="steering_snapshots")
    op.drop_table("steering_snapshots")
