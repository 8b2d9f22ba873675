"""offers: offers by link with expiry and declines, dated host vetting items, flags of the jobs runner.

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("proposal", sa.Column("offered_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("recipient_kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decline_reason", sa.String(length=32), nullable=True),
        sa.Column("decline_note", sa.Text(), nullable=True),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("placement_id", sa.Integer(), nullable=True),
        sa.Column("consent", sa.String(length=8), nullable=True),
        sa.Column("consent_by", sa.String(length=60), nullable=True),
        sa.Column("consent_via", sa.String(length=16), nullable=True),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consent_recorded_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'expired', 'void')", name=op.f("ck_offer_status")
        ),
        sa.CheckConstraint("recipient_kind IN ('host', 'wachtkamer')", name=op.f("ck_offer_recipient_kind")),
        sa.CheckConstraint("end_date > start_date", name=op.f("ck_offer_positive")),
        sa.CheckConstraint(
            "status != 'declined' OR decline_reason IS NOT NULL", name=op.f("ck_offer_declined_has_reason")
        ),
        sa.CheckConstraint(
            "status = 'pending' OR token_hash IS NULL", name=op.f("ck_offer_token_revoked_when_answered")
        ),
        sa.CheckConstraint("consent IS NULL OR consent IN ('given', 'refused')", name=op.f("ck_offer_consent")),
        sa.CheckConstraint(
            "consent_via IS NULL OR consent_via IN ('in_person', 'phone', 'email', 'letter')",
            name=op.f("ck_offer_consent_via"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_offer_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposal.id"], name=op.f("fk_offer_proposal_id_proposal"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_offer_household_id_household"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["place_id"], ["place.id"], name=op.f("fk_offer_place_id_place"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placement.id"], name=op.f("fk_offer_placement_id_placement"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_offer_token_hash")),
    )
    for column in ("municipality_id", "proposal_id", "household_id", "place_id"):
        op.create_index(op.f(f"ix_offer_{column}"), "offer", [column], unique=False)
    op.create_index(
        "uq_offer_pending_household",
        "offer",
        ["household_id"],
        unique=True,
        sqlite_where=sa.text("status = 'pending'"),
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_table(
        "host_vetting_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('identity', 'home_visit', 'vog', 'references', 'landlord_consent')",
            name=op.f("ck_host_vetting_item_kind"),
        ),
        sa.CheckConstraint(
            "expires_on IS NULL OR expires_on > done_on", name=op.f("ck_host_vetting_item_expires_after_done")
        ),
        sa.ForeignKeyConstraint(
            ["host_id"], ["host.id"], name=op.f("fk_host_vetting_item_host_id_host"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_host_vetting_item")),
        sa.UniqueConstraint("host_id", "kind", name=op.f("uq_host_vetting_item_host_id_kind")),
    )
    op.create_index(op.f("ix_host_vetting_item_host_id"), "host_vetting_item", ["host_id"], unique=False)
    op.create_table(
        "board_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("mark", sa.String(length=16), nullable=False),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_board_flag_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_flag")),
        sa.UniqueConstraint("kind", "object_id", "mark", name=op.f("uq_board_flag_kind_object_id_mark")),
    )
    op.create_index(op.f("ix_board_flag_municipality_id"), "board_flag", ["municipality_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_board_flag_municipality_id"), table_name="board_flag")
    op.drop_table("board_flag")
    op.drop_index(op.f("ix_host_vetting_item_host_id"), table_name="host_vetting_item")
    op.drop_table("host_vetting_item")
    op.drop_index("uq_offer_pending_household", table_name="offer")
    for column in ("municipality_id", "proposal_id", "household_id", "place_id"):
        op.drop_index(op.f(f"ix_offer_{column}"), table_name="offer")
    op.drop_table("offer")
    with op.batch_alter_table("proposal") as batch:
        batch.drop_column("offered_at")
