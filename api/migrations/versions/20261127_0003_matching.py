"""matching: the run's expected hash (stale proposals) and no double booking of a place in the database.

A place may hold at most one live (confirmed or started) placement on any day. The service
checks this inside the transaction after locking the place row; the database enforces it
as well, so no code path (or a second app server) can ever double-book:

- PostgreSQL: an exclusion constraint over (place, [start, end)) for live placements, on
  built-in range types only (``int4range`` for the place, ``daterange`` for the stay), so
  no extension such as btree_gist is needed.
- SQLite: triggers that abort an insert or update creating an overlap (SQLite already
  serialises writers with BEGIN IMMEDIATE; the triggers guard against other code paths).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_CONSTRAINT = "ex_placement_place_live_overlap"
LIVE = "('confirmed', 'started')"
OVERLAP_SQLITE = f"""
    SELECT RAISE(ABORT, 'placement overlaps a live placement of the same place')
    WHERE NEW.status IN {LIVE} AND EXISTS (
        SELECT 1 FROM placement o
        WHERE o.place_id = NEW.place_id AND o.id != NEW.id AND o.status IN {LIVE}
          AND o.start_date < NEW.end_date AND NEW.start_date < o.end_date
    );
"""


def upgrade() -> None:
    with op.batch_alter_table("matching_run") as batch:
        batch.add_column(sa.Column("expected_hash", sa.String(length=64), nullable=True))
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            f"ALTER TABLE placement ADD CONSTRAINT {PG_CONSTRAINT} EXCLUDE USING gist "
            "(int4range(place_id, place_id, '[]') WITH &&, daterange(start_date, end_date, '[)') WITH &&) "
            f"WHERE (status IN {LIVE})"
        )
    elif dialect == "sqlite":
        op.execute(
            f"CREATE TRIGGER trg_placement_no_overlap_insert BEFORE INSERT ON placement BEGIN {OVERLAP_SQLITE} END"
        )
        op.execute(
            "CREATE TRIGGER trg_placement_no_overlap_update BEFORE UPDATE OF place_id, start_date, end_date, status "
            f"ON placement BEGIN {OVERLAP_SQLITE} END"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(f"ALTER TABLE placement DROP CONSTRAINT IF EXISTS {PG_CONSTRAINT}")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS trg_placement_no_overlap_insert")
        op.execute("DROP TRIGGER IF EXISTS trg_placement_no_overlap_update")
    with op.batch_alter_table("matching_run") as batch:
        batch.drop_column("expected_hash")
