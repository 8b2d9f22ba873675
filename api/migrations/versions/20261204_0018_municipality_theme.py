"""municipality theme: the primary colour and logo of the staff and public pages (issue 20.7).

A municipality's pages carry its own colour and logo over the NL Design System tokens; both are optional,
without them the pages use Onderdak's default colour and no logo.

Revision ID: 0018
Revises: 0020
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE (no batch): on SQLite a batch rebuild drops ``municipality``, and with foreign keys on
    # that deletes every row that hangs from it.
    op.add_column("municipality", sa.Column("theme_colour", sa.String(length=7), nullable=True))
    op.add_column("municipality", sa.Column("logo_path", sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column("municipality", "logo_path")
    op.drop_column("municipality", "theme_colour")
