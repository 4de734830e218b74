"""local packs: what an LA adds under the national templates, published per cycle

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "local_packs",
        sa.Column("pack_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("cycle", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("la_name", sa.String(length=300), nullable=False),
        sa.Column("applies_to", sa.String(length=2000), nullable=False),
        sa.Column("json", sa.LargeBinary(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pack_id", "version", name=op.f("pk_local_packs")),
    )
    with op.batch_alter_table("local_packs", schema=None) as batch_op:
        batch_op.create_index("ix_local_packs_cycle", ["cycle"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("local_packs", schema=None) as batch_op:
        batch_op.drop_index("ix_local_packs_cycle")
    op.drop_table("local_packs")
