"""storage: proces-verbaal items, costs, returns, waivers, disposals (four eyes), letters and photos.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "storage_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("caption", sa.String(length=200), nullable=True),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('photo', 'signature')", name=op.f("ck_storage_attachment_kind")),
        sa.CheckConstraint("size_bytes > 0", name=op.f("ck_storage_attachment_size_positive")),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["storage_lot.id"], name=op.f("fk_storage_attachment_lot_id_storage_lot"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storage_attachment")),
    )
    with op.batch_alter_table("storage_attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_storage_attachment_lot_id"), ["lot_id"], unique=False)

    op.create_table(
        "storage_disposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("proceeds_cents", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "basis <> 'four_eyes' OR reason IS NOT NULL", name=op.f("ck_storage_disposal_early_has_reason")
        ),
        sa.CheckConstraint(
            "basis IN ('deadline_passed', 'waiver', 'four_eyes')", name=op.f("ck_storage_disposal_basis")
        ),
        sa.CheckConstraint(
            "category IN ('furniture', 'appliances', 'clothing', 'personal_documents', 'photos_keepsakes', 'other')",
            name=op.f("ck_storage_disposal_category"),
        ),
        sa.CheckConstraint(
            "category NOT IN ('personal_documents', 'photos_keepsakes')",
            name=op.f("ck_storage_disposal_never_personal_documents"),
        ),
        sa.CheckConstraint("method IN ('sale', 'destruction')", name=op.f("ck_storage_disposal_method")),
        sa.CheckConstraint(
            "status <> 'done' OR basis <> 'four_eyes' OR approved_by IS NOT NULL",
            name=op.f("ck_storage_disposal_early_needs_approval"),
        ),
        sa.CheckConstraint("status <> 'done' OR done_on IS NOT NULL", name=op.f("ck_storage_disposal_done_has_date")),
        sa.CheckConstraint("status IN ('requested', 'done', 'withdrawn')", name=op.f("ck_storage_disposal_status")),
        sa.CheckConstraint(
            "approved_by IS NULL OR approved_by <> requested_by", name=op.f("ck_storage_disposal_four_eyes")
        ),
        sa.CheckConstraint(
            "proceeds_cents IS NULL OR proceeds_cents >= 0", name=op.f("ck_storage_disposal_proceeds_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["storage_lot.id"], name=op.f("fk_storage_disposal_lot_id_storage_lot"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storage_disposal")),
    )
    with op.batch_alter_table("storage_disposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_storage_disposal_lot_id"), ["lot_id"], unique=False)

    op.create_table(
        "storage_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("condition", sa.String(length=16), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("volume_m3", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("location", sa.String(length=80), nullable=True),
        sa.CheckConstraint(
            "category IN ('furniture', 'appliances', 'clothing', 'personal_documents', 'photos_keepsakes', 'other')",
            name=op.f("ck_storage_item_category"),
        ),
        sa.CheckConstraint("condition IN ('good', 'worn', 'damaged')", name=op.f("ck_storage_item_condition")),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_storage_item_quantity_positive")),
        sa.CheckConstraint("volume_m3 >= 0", name=op.f("ck_storage_item_volume_non_negative")),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["storage_lot.id"], name=op.f("fk_storage_item_lot_id_storage_lot"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storage_item")),
    )
    with op.batch_alter_table("storage_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_storage_item_lot_id"), ["lot_id"], unique=False)

    op.create_table(
        "storage_letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("generated_by", sa.Integer(), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('intake', 'week_4', 'two_weeks_before', 'deadline')", name=op.f("ck_storage_letter_kind")
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["storage_lot.id"], name=op.f("fk_storage_letter_lot_id_storage_lot"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storage_letter")),
        sa.UniqueConstraint("lot_id", "kind", name=op.f("uq_storage_letter_lot_id_kind")),
    )
    with op.batch_alter_table("storage_letter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_storage_letter_lot_id"), ["lot_id"], unique=False)

    op.create_table(
        "storage_waiver",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("signed_by", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["storage_lot.id"], name=op.f("fk_storage_waiver_lot_id_storage_lot"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storage_waiver")),
    )
    with op.batch_alter_table("storage_waiver", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_storage_waiver_lot_id"), ["lot_id"], unique=False)

    op.create_table(
        "storage_disposal_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("disposal_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_storage_disposal_line_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["disposal_id"],
            ["storage_disposal.id"],
            name=op.f("fk_storage_disposal_line_disposal_id_storage_disposal"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["storage_item.id"],
            name=op.f("fk_storage_disposal_line_item_id_storage_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storage_disposal_line")),
        sa.UniqueConstraint("disposal_id", "item_id", name=op.f("uq_storage_disposal_line_disposal_id_item_id")),
    )
    with op.batch_alter_table("storage_disposal_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_storage_disposal_line_disposal_id"), ["disposal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_storage_disposal_line_item_id"), ["item_id"], unique=False)

    op.create_table(
        "storage_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("returned_on", sa.Date(), nullable=False),
        sa.Column("returned_to", sa.String(length=120), nullable=False),
        sa.Column("confirmation", sa.String(length=16), nullable=False),
        sa.Column("confirmation_note", sa.Text(), nullable=True),
        sa.Column("signature_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "confirmation = 'signature' OR confirmation_note IS NOT NULL",
            name=op.f("ck_storage_return_recorded_confirmation_has_note"),
        ),
        sa.CheckConstraint("confirmation IN ('signature', 'recorded')", name=op.f("ck_storage_return_confirmation")),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["storage_lot.id"], name=op.f("fk_storage_return_lot_id_storage_lot"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["signature_id"],
            ["storage_attachment.id"],
            name=op.f("fk_storage_return_signature_id_storage_attachment"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storage_return")),
    )
    with op.batch_alter_table("storage_return", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_storage_return_lot_id"), ["lot_id"], unique=False)

    op.create_table(
        "storage_waiver_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("waiver_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["storage_item.id"],
            name=op.f("fk_storage_waiver_item_item_id_storage_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["waiver_id"],
            ["storage_waiver.id"],
            name=op.f("fk_storage_waiver_item_waiver_id_storage_waiver"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storage_waiver_item")),
        sa.UniqueConstraint("waiver_id", "item_id", name=op.f("uq_storage_waiver_item_waiver_id_item_id")),
    )
    with op.batch_alter_table("storage_waiver_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_storage_waiver_item_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_storage_waiver_item_waiver_id"), ["waiver_id"], unique=False)

    op.create_table(
        "storage_return_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_storage_return_line_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["storage_item.id"],
            name=op.f("fk_storage_return_line_item_id_storage_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["storage_return.id"],
            name=op.f("fk_storage_return_line_return_id_storage_return"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storage_return_line")),
        sa.UniqueConstraint("return_id", "item_id", name=op.f("uq_storage_return_line_return_id_item_id")),
    )
    with op.batch_alter_table("storage_return_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_storage_return_line_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_storage_return_line_return_id"), ["return_id"], unique=False)

    with op.batch_alter_table("storage_lot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tariff_kind", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("tariff_cents", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("removal_cost_cents", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("cost_decision", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("cost_decision_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("cost_decision_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cost_decision_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("costs_paid_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("recovery_party", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("recovery_status", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("recovery_amount_cents", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("recovery_updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("ended_on", sa.Date(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_storage_lot_tariff_kind"), "tariff_kind IS NULL OR tariff_kind IN ('per_m3_week', 'fixed')"
        )
        batch_op.create_check_constraint(
            op.f("ck_storage_lot_tariff_complete"), "(tariff_kind IS NULL) = (tariff_cents IS NULL)"
        )
        batch_op.create_check_constraint(
            op.f("ck_storage_lot_tariff_non_negative"), "tariff_cents IS NULL OR tariff_cents >= 0"
        )
        batch_op.create_check_constraint(op.f("ck_storage_lot_removal_non_negative"), "removal_cost_cents >= 0")
        batch_op.create_check_constraint(
            op.f("ck_storage_lot_cost_decision"),
            "cost_decision IS NULL OR cost_decision IN ('waived', 'hold_until_paid')",
        )
        batch_op.create_check_constraint(
            op.f("ck_storage_lot_recovery_status"),
            "recovery_status IS NULL OR recovery_status IN ('not_started', 'claimed', 'paid', 'not_recoverable')",
        )
        batch_op.create_check_constraint(
            op.f("ck_storage_lot_recovery_amount"), "recovery_amount_cents IS NULL OR recovery_amount_cents >= 0"
        )


def downgrade() -> None:
    with op.batch_alter_table("storage_lot", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_storage_lot_tariff_kind"), type_="check")
        batch_op.drop_constraint(op.f("ck_storage_lot_tariff_complete"), type_="check")
        batch_op.drop_constraint(op.f("ck_storage_lot_tariff_non_negative"), type_="check")
        batch_op.drop_constraint(op.f("ck_storage_lot_removal_non_negative"), type_="check")
        batch_op.drop_constraint(op.f("ck_storage_lot_cost_decision"), type_="check")
        batch_op.drop_constraint(op.f("ck_storage_lot_recovery_status"), type_="check")
        batch_op.drop_constraint(op.f("ck_storage_lot_recovery_amount"), type_="check")
        batch_op.drop_column("ended_on")
        batch_op.drop_column("recovery_updated_at")
        batch_op.drop_column("recovery_amount_cents")
        batch_op.drop_column("recovery_status")
        batch_op.drop_column("recovery_party")
        batch_op.drop_column("costs_paid_on")
        batch_op.drop_column("cost_decision_at")
        batch_op.drop_column("cost_decision_by")
        batch_op.drop_column("cost_decision_reason")
        batch_op.drop_column("cost_decision")
        batch_op.drop_column("removal_cost_cents")
        batch_op.drop_column("tariff_cents")
        batch_op.drop_column("tariff_kind")

    with op.batch_alter_table("storage_return_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_storage_return_line_return_id"))
        batch_op.drop_index(batch_op.f("ix_storage_return_line_item_id"))

    op.drop_table("storage_return_line")
    with op.batch_alter_table("storage_waiver_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_storage_waiver_item_waiver_id"))
        batch_op.drop_index(batch_op.f("ix_storage_waiver_item_item_id"))

    op.drop_table("storage_waiver_item")
    with op.batch_alter_table("storage_return", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_storage_return_lot_id"))

    op.drop_table("storage_return")
    with op.batch_alter_table("storage_disposal_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_storage_disposal_line_item_id"))
        batch_op.drop_index(batch_op.f("ix_storage_disposal_line_disposal_id"))

    op.drop_table("storage_disposal_line")
    with op.batch_alter_table("storage_waiver", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_storage_waiver_lot_id"))

    op.drop_table("storage_waiver")
    with op.batch_alter_table("storage_letter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_storage_letter_lot_id"))

    op.drop_table("storage_letter")
    with op.batch_alter_table("storage_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_storage_item_lot_id"))

    op.drop_table("storage_item")
    with op.batch_alter_table("storage_disposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_storage_disposal_lot_id"))

    op.drop_table("storage_disposal")
    with op.batch_alter_table("storage_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_storage_attachment_lot_id"))

    op.drop_table("storage_attachment")
