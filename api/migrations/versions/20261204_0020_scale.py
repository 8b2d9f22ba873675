"""scale: the data version for cached views, and trigram indexes for the lists' search (PostgreSQL).

``data_change``: one row per transaction that changed records (api/core/data_version.py).

The lists search with ``lower(column) LIKE '%text%'`` (api/core/listing.py). A B-tree cannot serve a
pattern with a leading ``%``; a GIN index with ``pg_trgm``'s trigram operator class can. The extension is
installed in ``public`` (so that dropping one schema never drops it for the others) and each index is on
``lower(column)``, the expression the search uses. PostgreSQL only: SQLite has no such index, and scans
a town's lists fast enough. Where the extension may not be created (no privilege), the indexes are left
out with a warning and the search still works, by scanning.

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-04
"""

import logging
import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

# (table, column): the searched text columns of households, hosts and places (and what the other lists join).
TRIGRAM_COLUMNS: list[tuple[str, str]] = [
    ("household", "reference"),
    ("household", "display_name"),
    ("household", "origin_postcode"),
    ("host", "reference"),
    ("host", "name"),
    ("host", "street"),
    ("host", "postcode"),
    ("host", "city"),
    ("place", "reference"),
    ("place", "label"),
    ("place", "address"),
]


def trigram_index_name(table: str, column: str) -> str:
    return f"ix_{table}_{column}_trgm"


def _trigram_schema() -> str | None:
    """The schema holding pg_trgm, installed in ``public`` when absent; None when it cannot be installed."""
    bind = op.get_bind()
    found = bind.execute(
        sa.text("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")
    ).scalar()
    if found:
        return str(found)
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
    except sa.exc.DBAPIError as exc:
        log.warning("pg_trgm not available (%s): the lists search without trigram indexes", exc.orig)
        return None
    return "public"


def upgrade() -> None:
    op.create_table(
        "data_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_change")),
    )
    # A first version, so that the views of a database upgraded with its records are cached from the start.
    op.execute(sa.text("INSERT INTO data_change (token) VALUES (:token)").bindparams(token=secrets.token_hex(12)))
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = _trigram_schema()
    if schema is None:
        return
    for table, column in TRIGRAM_COLUMNS:
        op.execute(
            f'CREATE INDEX IF NOT EXISTS {trigram_index_name(table, column)} ON "{table}" '
            f'USING gin (lower("{column}") "{schema}".gin_trgm_ops)'
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column in reversed(TRIGRAM_COLUMNS):
            op.execute(f"DROP INDEX IF EXISTS {trigram_index_name(table, column)}")
    op.drop_table("data_change")
