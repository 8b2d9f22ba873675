"""security: the audit trail becomes append-only in the database itself.

Why in the database: a bug, a hurried script or a compromised account with SQL
access must not be able to rewrite who saw or changed what. Both backends get a
trigger that refuses UPDATE and DELETE on ``audit_event`` (PostgreSQL also refuses
TRUNCATE). One update stays allowed: the foreign key ``municipality_id ... ON DELETE
SET NULL`` fires when a municipality is removed (e.g. ``onderdak demo-data --reset``);
that update may only blank ``municipality_id`` and must leave every other column as
it was.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "audit_event is append-only"

# Every column except municipality_id must stay as it was for the one allowed update.
_KEPT = ("id", "user_id", "at", "action", "object_type", "object_id", "detail", "remote_addr")
_SAME_SQLITE = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _KEPT)
_SAME_PG = (
    "(NEW.id, NEW.user_id, NEW.at, NEW.action, NEW.object_type, NEW.object_id, NEW.detail::text, NEW.remote_addr)"
    " IS NOT DISTINCT FROM "
    "(OLD.id, OLD.user_id, OLD.at, OLD.action, OLD.object_type, OLD.object_id, OLD.detail::text, OLD.remote_addr)"
)

SQLITE_UP = [
    f"""
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    FOR EACH ROW WHEN NOT (NEW.municipality_id IS NULL AND {_SAME_SQLITE})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_event_no_delete", "DROP TRIGGER IF EXISTS audit_event_no_update"]

PG_UP = [
    f"""
    CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            IF NEW.municipality_id IS NULL AND {_SAME_PG} THEN
                RETURN NEW;  -- ON DELETE SET NULL of the municipality
            END IF;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
    """,
    """
    CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
    """,
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
]


def _statements(up: bool) -> list[str]:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        return SQLITE_UP if up else SQLITE_DOWN
    if dialect == "postgresql":
        return PG_UP if up else PG_DOWN
    raise NotImplementedError(f"no append-only trigger for {dialect}")


def upgrade() -> None:
    for statement in _statements(up=True):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(up=False):
        op.execute(statement)
