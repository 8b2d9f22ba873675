"""capacity jobs of two kinds: a plan (rooms → share sheltered) or a comparison of the matching policies.

A comparison runs on the same background runner and table as a plan: ``kind`` tells them apart (every
existing row is a plan), ``load`` and ``hindsight_seconds`` are a comparison's own parameters, and
``target`` (a plan's) may be empty for a comparison.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("capacity_plan") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=16), nullable=False, server_default="plan"))
        batch.add_column(sa.Column("load", sa.Float(), nullable=True))
        batch.add_column(sa.Column("hindsight_seconds", sa.Float(), nullable=True))
        batch.alter_column("target", existing_type=sa.Float(), nullable=True)
        batch.create_check_constraint(op.f("ck_capacity_plan_kind"), "kind IN ('plan', 'compare')")


def downgrade() -> None:
    op.execute("DELETE FROM capacity_plan WHERE kind <> 'plan'")  # a plan's row cannot hold a comparison
    with op.batch_alter_table("capacity_plan") as batch:
        batch.drop_constraint(op.f("ck_capacity_plan_kind"), type_="check")
        batch.alter_column("target", existing_type=sa.Float(), nullable=False)
        batch.drop_column("hindsight_seconds")
        batch.drop_column("load")
        batch.drop_column("kind")
