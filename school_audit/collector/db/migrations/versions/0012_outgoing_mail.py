"""mail to settings: contacts, the outgoing-mail queue, reminder schedules and reminders sent

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "establishment_contacts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("urn", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("bounced_at", WHEN, nullable=True),
        sa.Column("bounce_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["urn"],
            ["establishments.urn"],
            name=op.f("fk_establishment_contacts_urn_establishments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_establishment_contacts")),
        sa.UniqueConstraint("urn", "role", name=op.f("uq_establishment_contacts_urn")),
    )
    op.create_index(
        op.f("ix_establishment_contacts_urn"), "establishment_contacts", ["urn"], unique=False
    )
    op.create_table(
        "outgoing_mail",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("urn", sa.String(length=16), nullable=True),
        sa.Column("cycle", sa.String(length=16), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("unfinished_sends", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", WHEN, nullable=False),
        sa.Column("lease_until", WHEN, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("sent_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_mail")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outgoing_mail_message_id")),
    )
    op.create_index(op.f("ix_outgoing_mail_urn"), "outgoing_mail", ["urn"], unique=False)
    op.create_index(
        "ix_outgoing_mail_status_due", "outgoing_mail", ["status", "next_attempt_at"], unique=False
    )
    op.create_table(
        "reminder_schedules",
        sa.Column("cycle", sa.String(length=16), nullable=False),
        sa.Column("steps", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle"], ["cycles.cycle"], name=op.f("fk_reminder_schedules_cycle_cycles")
        ),
        sa.PrimaryKeyConstraint("cycle", name=op.f("pk_reminder_schedules")),
    )
    op.create_table(
        "reminders_sent",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("cycle", sa.String(length=16), nullable=False),
        sa.Column("urn", sa.String(length=16), nullable=False),
        sa.Column("step", sa.String(length=64), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("wording", sa.String(length=32), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("sent_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders_sent")),
        sa.UniqueConstraint("cycle", "urn", "step", "due_on", name="uq_reminders_sent_step"),
    )
    op.create_index(op.f("ix_reminders_sent_urn"), "reminders_sent", ["urn"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_reminders_sent_urn"), table_name="reminders_sent")
    op.drop_table("reminders_sent")
    op.drop_table("reminder_schedules")
    op.drop_index("ix_outgoing_mail_status_due", table_name="outgoing_mail")
    op.drop_index(op.f("ix_outgoing_mail_urn"), table_name="outgoing_mail")
    op.drop_table("outgoing_mail")
    op.drop_index(op.f("ix_establishment_contacts_urn"), table_name="establishment_contacts")
    op.drop_table("establishment_contacts")
