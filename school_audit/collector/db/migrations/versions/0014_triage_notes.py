"""triage notes: an LA officer marks a triage item contacted, with a note and a follow-up date

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "triage_notes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("cycle", sa.String(length=16), nullable=False),
        sa.Column("urn", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("noted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_triage_notes")),
    )
    with op.batch_alter_table("triage_notes", schema=None) as batch_op:
        batch_op.create_index("ix_triage_notes_cycle_urn", ["cycle", "urn"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("triage_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_triage_notes_cycle_urn")
    op.drop_table("triage_notes")
