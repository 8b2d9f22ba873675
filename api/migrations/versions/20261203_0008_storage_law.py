"""storage law: art. 5:30 Awb to the letter (early sale, net proceeds and claims, why not sold),
giving away as a method, the invoice to the executant, and the municipality's contact details on every letter.

Revision ID: 0008_storage_law
Revises: 0007
Create Date: 2026-12-03
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008_storage_law"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Destructions recorded before this revision carry no reason why sale was not possible; they get this
# note so the new check (art. 5:30 lid 5 Awb) holds for every row and the gap stays visible.
BACKFILL_REASON = "vastgelegd vóór 3 december 2026, zonder reden waarom verkoop niet mogelijk was"

MUNICIPALITY_COLUMNS: tuple[tuple[str, sa.types.TypeEngine[Any]], ...] = (
    ("contact_name", sa.String(length=120)),
    ("contact_address", sa.String(length=200)),
    ("contact_phone", sa.String(length=32)),
    ("contact_email", sa.String(length=120)),
)
DISPOSAL_COLUMNS: tuple[tuple[str, sa.types.TypeEngine[Any]], ...] = (
    ("record_copy_given_on", sa.Date()),
    ("unsellable_reason", sa.Text()),
    ("costs_deducted_cents", sa.Integer()),
    ("claim_received_on", sa.Date()),
    ("claimed_by", sa.String(length=120)),
    ("claim_paid_on", sa.Date()),
    ("claim_paid_cents", sa.Integer()),
)
DISPOSAL_CHECKS = (
    ("destruction_has_reason", "method = 'sale' OR unsellable_reason IS NOT NULL"),
    ("costs_non_negative", "costs_deducted_cents IS NULL OR costs_deducted_cents >= 0"),
    ("claim_only_after_sale", "claim_received_on IS NULL OR method = 'sale'"),
    ("payment_needs_claim", "claim_paid_on IS NULL OR claim_received_on IS NOT NULL"),
    ("claim_paid_non_negative", "claim_paid_cents IS NULL OR claim_paid_cents >= 0"),
)


OLD_METHODS = "method IN ('sale', 'destruction')"
NEW_METHODS = "method IN ('sale', 'destruction', 'gift')"  # gift: given away for free (art. 5:30 lid 5 Awb)


def upgrade() -> None:
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        for name, type_ in MUNICIPALITY_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    with op.batch_alter_table("storage_lot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recovery_invoiced_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("recovery_invoice_reference", sa.String(length=64), nullable=True))
    with op.batch_alter_table("storage_disposal", schema=None) as batch_op:
        for name, type_ in DISPOSAL_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    op.execute(
        sa.text(
            "UPDATE storage_disposal SET unsellable_reason = :reason "
            "WHERE method = 'destruction' AND unsellable_reason IS NULL"
        ).bindparams(reason=BACKFILL_REASON)
    )
    with op.batch_alter_table("storage_disposal", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_storage_disposal_method"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_storage_disposal_method"), NEW_METHODS)
        for name, condition in DISPOSAL_CHECKS:
            batch_op.create_check_constraint(batch_op.f(f"ck_storage_disposal_{name}"), condition)


def downgrade() -> None:
    op.execute("UPDATE storage_disposal SET method = 'destruction' WHERE method = 'gift'")  # no gifts before
    with op.batch_alter_table("storage_disposal", schema=None) as batch_op:
        for name, _condition in reversed(DISPOSAL_CHECKS):
            batch_op.drop_constraint(batch_op.f(f"ck_storage_disposal_{name}"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_storage_disposal_method"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_storage_disposal_method"), OLD_METHODS)
        for name, _type in reversed(DISPOSAL_COLUMNS):
            batch_op.drop_column(name)
    with op.batch_alter_table("storage_lot", schema=None) as batch_op:
        batch_op.drop_column("recovery_invoice_reference")
        batch_op.drop_column("recovery_invoiced_on")
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        for name, _type in reversed(MUNICIPALITY_COLUMNS):
            batch_op.drop_column(name)
