"""one current return per establishment and cycle (current_returns); kept aggregate counts

The by-phase and by-district answer indexes are dropped: the pages read the kept counts.

Existing data is brought under the rule: per establishment and cycle the return received last
(of those received, accepted or returned) is the current one; an earlier revision of any audit
is marked superseded, the latest revision of another audit is quarantined as a duplicate naming
the one kept, and only the current return's answers stay counted (a quarantined return counts
once an officer releases it).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COUNTED = ("received", "accepted", "returned")


def upgrade() -> None:
    op.create_table(
        "current_returns",
        sa.Column("cycle", sa.String(length=16), nullable=False),
        sa.Column("urn", sa.String(length=16), nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.submission_id"],
            name=op.f("fk_current_returns_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cycle", "urn", name=op.f("pk_current_returns")),
        sa.Column("setting_type", sa.String(length=16), nullable=False),
        sa.Column("counted_as", sa.Text(), nullable=False),
        sa.UniqueConstraint("submission_id", name=op.f("uq_current_returns_submission_id")),
    )
    op.create_table(
        "kept_answer_counts",
        sa.Column("cycle", sa.String(length=16), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("grp", sa.String(length=300), nullable=False),
        sa.Column("standard_id", sa.String(length=500), nullable=False),
        sa.Column("rating", sa.String(length=16), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "cycle", "dimension", "grp", "standard_id", "rating", name=op.f("pk_kept_answer_counts")
        ),
        sqlite_with_rowid=False,  # one B-tree per upsert, not a table and an index
    )
    op.create_table(
        "kept_return_counts",
        sa.Column("cycle", sa.String(length=16), nullable=False),
        sa.Column("setting_type", sa.String(length=16), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("grp", sa.String(length=300), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "cycle", "setting_type", "dimension", "grp", name=op.f("pk_kept_return_counts")
        ),
        sqlite_with_rowid=False,
    )
    # The pages read the kept counts now; these two served only their scans, and cost ingest
    # an index insert per answer.
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_index("ix_answers_agg_phase")
        batch_op.drop_index("ix_answers_agg_district")
    bind = op.get_bind()
    _backfill(bind)
    from school_audit.collector.aggregate.kept import rebuild

    rebuild(bind)  # the kept counts of what is now current


def _backfill(bind: sa.Connection) -> None:
    submissions = sa.table(
        "submissions",
        *(sa.column(name) for name in ("submission_id", "audit_id", "revision", "urn", "cycle")),
        sa.column("status"),
        sa.column("setting_type"),
        sa.column("quarantine_reason"),
        sa.column("received_at"),
    )
    answers = sa.table("answers", sa.column("submission_id"), sa.column("current"))
    current = sa.table(
        "current_returns",
        *(sa.column(name) for name in ("cycle", "urn", "submission_id", "setting_type")),
        sa.column("counted_as"),
    )
    rows = bind.execute(
        sa.select(submissions)
        .where(submissions.c.status.in_(COUNTED))
        .order_by(
            submissions.c.cycle,
            submissions.c.urn,
            submissions.c.received_at.desc(),
            submissions.c.revision.desc(),
            submissions.c.submission_id,
        )
    ).all()
    latest: dict[tuple[str, str, str], int] = {}
    for row in rows:
        key3 = (row.cycle, row.urn, row.audit_id)
        latest[key3] = max(latest.get(key3, row.revision), row.revision)
    kept: dict[tuple[str, str], sa.Row] = {}
    for row in rows:
        key = (row.cycle, row.urn)
        winner = kept.setdefault(key, row)
        if winner is row:
            bind.execute(sa.insert(current).values(cycle=row.cycle, urn=row.urn,
                                                   submission_id=row.submission_id,
                                                   setting_type=row.setting_type,
                                                   counted_as="{}"))  # fmt: skip
            continue
        change = {"status": "superseded"}  # a later revision of its audit is there
        if row.revision >= latest[(row.cycle, row.urn, row.audit_id)]:
            change = {"status": "quarantined", "quarantine_reason": _duplicate(row, winner)}
        bind.execute(
            sa.update(submissions)
            .where(submissions.c.submission_id == row.submission_id)
            .values(**change)
        )
    bind.execute(sa.update(answers).values(current=False))
    bind.execute(
        sa.update(answers)
        .where(answers.c.submission_id.in_(sa.select(current.c.submission_id)))
        .values(current=True)
    )


def _duplicate(row: sa.Row, winner: sa.Row) -> str:
    return (
        f"duplicate_return: establishment {row.urn} already has a current return for "
        f"{row.cycle} ({winner.submission_id}); an LA officer may release this one instead"
    )


def downgrade() -> None:
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_answers_agg_phase", ["cycle", "current", "phase", "standard_id", "rating"]
        )
        batch_op.create_index(
            "ix_answers_agg_district", ["cycle", "current", "district", "standard_id", "rating"]
        )
    # Statuses changed by the upgrade stay as they are: they describe the returns truthfully.
    op.drop_table("kept_return_counts")
    op.drop_table("kept_answer_counts")
    op.drop_table("current_returns")
