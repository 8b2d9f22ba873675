"""hosts: set-password invites for activated hosts, the retention period consented to, one live sign-up per e-mail.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "status NOT IN ('withdrawn', 'rejected')"


def upgrade() -> None:
    op.create_table(
        "host_invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_host_invite_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_host_invite")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_host_invite_token_hash")),
    )
    with op.batch_alter_table("host_invite", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_host_invite_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("host", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_retention_months", sa.Integer(), nullable=True))
    op.create_index(
        "uq_host_live_email",
        "host",
        ["municipality_id", sa.text("lower(email)")],
        unique=True,
        sqlite_where=sa.text(LIVE),
        postgresql_where=sa.text(LIVE),
    )


def downgrade() -> None:
    op.drop_index("uq_host_live_email", table_name="host")
    with op.batch_alter_table("host", schema=None) as batch_op:
        batch_op.drop_column("consent_retention_months")
    with op.batch_alter_table("host_invite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_host_invite_user_id"))
    op.drop_table("host_invite")
