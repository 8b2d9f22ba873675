"""list indexes: every list's filter and sort served by an index.

The lists page, filter and sort in the database (api/core/listing.py); these composite indexes let
PostgreSQL answer "one municipality, one status, in this order, 50 rows" without reading the table.
Searching inside names (``LIKE '%text%'``) is not indexed: a trigram index would need an extension.

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: list[tuple[str, str, list[str]]] = [
    ("ix_household_municipality_status", "household", ["municipality_id", "status", "reference"]),
    ("ix_eviction_household_date", "eviction", ["household_id", "eviction_date"]),
    ("ix_place_municipality_status", "place", ["municipality_id", "status", "reference"]),
    ("ix_place_municipality_available", "place", ["municipality_id", "available_from"]),
    ("ix_placement_municipality_start", "placement", ["municipality_id", "start_date"]),
    ("ix_placement_municipality_status", "placement", ["municipality_id", "status", "start_date"]),
    ("ix_host_municipality_status", "host", ["municipality_id", "status", "confirmed_at"]),
    ("ix_storage_lot_municipality_deadline", "storage_lot", ["municipality_id", "deadline"]),
    ("ix_storage_lot_municipality_status", "storage_lot", ["municipality_id", "status", "deadline"]),
    ("ix_proposal_run_status", "proposal", ["run_id", "status"]),
    ("ix_audit_event_municipality_at", "audit_event", ["municipality_id", "at"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
