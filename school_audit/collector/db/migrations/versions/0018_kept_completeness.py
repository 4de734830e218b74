"""kept completeness: each establishment's status per cycle and the overview's counts

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None
MEASURES = ("expected", "received", "received_by_first", "received_by_final", "accepted",
            "returned", "quarantined")  # fmt: skip
GROUPS = ("phase_grp", "type_grp", "district_grp", "trust_grp", "size_grp")


def _measures() -> list[sa.Column]:  # type: ignore[type-arg]
    return [sa.Column(name, sa.Integer(), nullable=False) for name in MEASURES]


def upgrade() -> None:
    op.create_table(
        "kept_establishment_status",
        sa.Column("cycle", sa.String(length=16), nullable=False),
        sa.Column("urn", sa.String(length=16), nullable=False),
        sa.Column("setting_type", sa.String(length=16), nullable=False),
        *[sa.Column(name, sa.String(length=300), nullable=False) for name in GROUPS],
        *_measures(),
        sa.PrimaryKeyConstraint("cycle", "urn", name=op.f("pk_kept_establishment_status")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "kept_completeness_counts",
        sa.Column("cycle", sa.String(length=16), nullable=False),
        sa.Column("setting_type", sa.String(length=16), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("grp", sa.String(length=300), nullable=False),
        *_measures(),
        sa.PrimaryKeyConstraint(
            "cycle", "setting_type", "dimension", "grp", name=op.f("pk_kept_completeness_counts")
        ),
        sqlite_with_rowid=False,
    )
    from school_audit.collector.aggregate.kept_status import rebuild

    rebuild(op.get_bind())  # the counts of what is stored now, in set-based SQL


def downgrade() -> None:
    op.drop_table("kept_completeness_counts")
    op.drop_table("kept_establishment_status")
