"""placement outcomes in the issue's list, and hosts reconfirming their availability by link (issue 19).

The placement's ``outcome`` CHECK takes own_rental, social_housing, family, other_shelter and street next to
the pilot's five values (add, don't break). ``host.availability_confirmed_at`` and ``host_reconfirmation`` (a
single-purpose expiring link per request, like an offer's) let a host say every N weeks that the rooms are
still on offer. No batch mode for "placement" or "host" on SQLite (see :func:`_outcome_check`).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PILOT = "('back_home_addendum', 'other_home', 'own_network', 'shelter', 'unknown')"
ALL = (
    "('back_home_addendum', 'other_home', 'own_network', 'shelter', 'unknown', "
    "'own_rental', 'social_housing', 'family', 'other_shelter', 'street')"
)
# downgrade: the values back to the pilot's (the mapping of api.stays before 0016)
BACK = {
    "own_rental": "other_home",
    "social_housing": "other_home",
    "family": "own_network",
    "other_shelter": "shelter",
    "street": "unknown",
}


def _outcome_check(old: str, new: str) -> None:
    """Swap the value list of ``ck_placement_outcome``.

    PostgreSQL: drop and add the constraint. SQLite: not batch mode, which rebuilds ``placement`` by dropping
    it; with foreign keys on, that drop deletes every check-in, extension and follow-up of the stays (ON DELETE
    CASCADE) and loses the overlap triggers of migration 0003. Instead the CHECK's text is edited in the schema,
    the way SQLite documents for changing a constraint the rows already meet (section 7 of "ALTER TABLE")."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_placement_outcome"), "placement", type_="check")
        op.create_check_constraint(op.f("ck_placement_outcome"), "placement", f"outcome IS NULL OR outcome IN {new}")
        return
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema=ON")
    changed = bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) "
        "WHERE type = 'table' AND name = 'placement' AND instr(sql, ?)",
        (f"outcome IN {old}", f"outcome IN {new}", f"outcome IN {old}"),
    ).rowcount
    bind.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema=OFF")
    if changed != 1:
        raise RuntimeError("ck_placement_outcome not found in the placement table's schema")


def upgrade() -> None:
    _outcome_check(PILOT, ALL)
    # not batch mode: rebuilding "host" on SQLite would lose its expression index uq_host_live_email
    op.add_column("host", sa.Column("availability_confirmed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "host_reconfirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'confirmed', 'paused', 'expired')", name=op.f("ck_host_reconfirmation_status")
        ),
        sa.CheckConstraint(
            "status = 'pending' OR token_hash IS NULL",
            name=op.f("ck_host_reconfirmation_token_revoked_when_answered"),
        ),
        sa.CheckConstraint(
            "status != 'paused' OR paused_until IS NOT NULL", name=op.f("ck_host_reconfirmation_paused_has_date")
        ),
        sa.ForeignKeyConstraint(
            ["host_id"], ["host.id"], name=op.f("fk_host_reconfirmation_host_id_host"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_host_reconfirmation_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_host_reconfirmation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_host_reconfirmation_token_hash")),
    )
    op.create_index(op.f("ix_host_reconfirmation_host_id"), "host_reconfirmation", ["host_id"], unique=False)
    op.create_index(
        op.f("ix_host_reconfirmation_municipality_id"), "host_reconfirmation", ["municipality_id"], unique=False
    )
    op.create_index(
        "uq_host_reconfirmation_pending_host",
        "host_reconfirmation",
        ["host_id"],
        unique=True,
        sqlite_where=sa.text("status = 'pending'"),
        postgresql_where=sa.text("status = 'pending'"),
    )


def downgrade() -> None:
    op.drop_index("uq_host_reconfirmation_pending_host", table_name="host_reconfirmation")
    op.drop_index(op.f("ix_host_reconfirmation_municipality_id"), table_name="host_reconfirmation")
    op.drop_index(op.f("ix_host_reconfirmation_host_id"), table_name="host_reconfirmation")
    op.drop_table("host_reconfirmation")
    op.drop_column("host", "availability_confirmed_at")
    placement = sa.table("placement", sa.column("outcome", sa.String))
    for new, old in BACK.items():
        op.execute(placement.update().where(placement.c.outcome == new).values(outcome=old))
    _outcome_check(ALL, PILOT)
