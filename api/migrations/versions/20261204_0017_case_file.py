"""case file and places: address lookup, closing a case with a reason, retiring a place, search indexes.

Why: the case file (issue 20) edits and closes households with a reason; intake, sign-up and places store
coordinates from the geocoder and say when they are approximate (api.core.geocoding); a place can be
retired with a reason. The header search looks up households, hosts and places by reference, name and
postcode inside one municipality: these composite indexes start with the municipality.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HOST_LIVE = "status NOT IN ('withdrawn', 'rejected')"  # as in migration 0004
INDEXES: list[tuple[str, str, list[str]]] = [
    ("ix_household_municipality_name", "household", ["municipality_id", "display_name"]),
    ("ix_household_municipality_postcode", "household", ["municipality_id", "origin_postcode"]),
    ("ix_host_municipality_name", "host", ["municipality_id", "name"]),
    ("ix_host_municipality_postcode", "host", ["municipality_id", "postcode"]),
    ("ix_place_municipality_postcode", "place", ["municipality_id", "postcode"]),
]


def upgrade() -> None:
    # Plain ADD COLUMN (no batch): on SQLite a batch would rebuild the tables and lose the expression index
    # uq_host_live_email of migration 0004.
    op.add_column("household", sa.Column("origin_house_number", sa.String(length=16), nullable=True))
    op.add_column("household", sa.Column("origin_approximate", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("household", sa.Column("close_reason", sa.Text(), nullable=True))
    op.add_column("host", sa.Column("location_approximate", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("place", sa.Column("postcode", sa.String(length=7), nullable=True))
    op.add_column("place", sa.Column("house_number", sa.String(length=16), nullable=True))
    op.add_column("place", sa.Column("location_approximate", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("place", sa.Column("retired_on", sa.Date(), nullable=True))
    op.add_column("place", sa.Column("retire_reason", sa.Text(), nullable=True))
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35 and later), for the reason of upgrade() and a worse one: a batch rebuild of
    # ``place`` drops the table, and with foreign keys on that deletes every placement in it.
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    for column in ("retire_reason", "retired_on", "location_approximate", "house_number", "postcode"):
        op.drop_column("place", column)
    op.drop_column("host", "location_approximate")
    for column in ("close_reason", "origin_approximate", "origin_house_number"):
        op.drop_column("household", column)
