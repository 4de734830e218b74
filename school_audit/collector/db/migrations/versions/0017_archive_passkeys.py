"""passkey credentials: a signatory's passkey, registered on first use for remote signing

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "passkey_credentials",
        sa.Column("credential_id", sa.String(length=1400), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=False),
        sa.Column("rp_id", sa.String(length=253), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("algorithm", sa.Integer(), nullable=False),
        sa.Column("sign_count", sa.BigInteger(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("last_used_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("credential_id", name=op.f("pk_passkey_credentials")),
    )
    with op.batch_alter_table("passkey_credentials", schema=None) as batch_op:
        batch_op.create_index("ix_passkey_credentials_email_hash", ["email_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("passkey_credentials", schema=None) as batch_op:
        batch_op.drop_index("ix_passkey_credentials_email_hash")
    op.drop_table("passkey_credentials")
