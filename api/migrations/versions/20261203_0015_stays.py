"""stays: what happens during and after a stay (issue 19.3-19.7).

Introductions, the signed agreement, check-ins, the contact log, breakdowns, extensions, where the
household went, follow-ups and the reminders sent. Schedules are not stored (api.stays.models).

Revision ID: 0015
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contact_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("contacted_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("channel IN ('phone', 'visit', 'letter', 'email')", name=op.f("ck_contact_log_channel")),
        sa.CheckConstraint("length(trim(note)) > 0", name=op.f("ck_contact_log_note_given")),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_contact_log_household_id_household"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_contact_log_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_log")),
    )
    with op.batch_alter_table("contact_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_log_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_log_municipality_id"), ["municipality_id"], unique=False)

    op.create_table(
        "check_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("spoke_with", sa.String(length=16), nullable=False),
        sa.Column("rating", sa.String(length=16), nullable=False),
        sa.Column("concerns", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("rating IN ('good', 'fair', 'worried', 'bad')", name=op.f("ck_check_in_rating")),
        sa.CheckConstraint("spoke_with IN ('household', 'host', 'both')", name=op.f("ck_check_in_spoke_with")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_check_in_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placement.id"], name=op.f("fk_check_in_placement_id_placement"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_in")),
        sa.UniqueConstraint("placement_id", "due_on", name=op.f("uq_check_in_placement_id_due_on")),
    )
    with op.batch_alter_table("check_in", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_check_in_municipality_id"), ["municipality_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_check_in_placement_id"), ["placement_id"], unique=False)

    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('own_rental', 'social_housing', 'family', 'other_shelter', 'street', 'unknown')",
            name=op.f("ck_follow_up_outcome"),
        ),
        sa.CheckConstraint("months > 0", name=op.f("ck_follow_up_months")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_follow_up_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placement.id"], name=op.f("fk_follow_up_placement_id_placement"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
        sa.UniqueConstraint("placement_id", "months", name=op.f("uq_follow_up_placement_id_months")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_municipality_id"), ["municipality_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_placement_id"), ["placement_id"], unique=False)

    op.create_table(
        "stay_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_stay_agreement_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_stay_agreement_placement_id_placement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stay_agreement")),
        sa.UniqueConstraint("placement_id", name=op.f("uq_stay_agreement_placement_id")),
    )
    with op.batch_alter_table("stay_agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stay_agreement_municipality_id"), ["municipality_id"], unique=False)

    op.create_table(
        "stay_breakdown",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("room", sa.String(length=8), nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(room = 'paused') = (paused_until IS NOT NULL)", name=op.f("ck_stay_breakdown_paused_has_until")
        ),
        sa.CheckConstraint(
            "reason IN ('host_request', 'conflict', 'safety', 'household_left')", name=op.f("ck_stay_breakdown_reason")
        ),
        sa.CheckConstraint("room IN ('freed', 'paused')", name=op.f("ck_stay_breakdown_room")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_stay_breakdown_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_stay_breakdown_placement_id_placement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stay_breakdown")),
        sa.UniqueConstraint("placement_id", name=op.f("uq_stay_breakdown_placement_id")),
    )
    with op.batch_alter_table("stay_breakdown", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stay_breakdown_municipality_id"), ["municipality_id"], unique=False)

    op.create_table(
        "stay_end",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("destination", sa.String(length=24), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "destination IN ('own_rental', 'social_housing', 'family', 'other_shelter', 'street', 'unknown')",
            name=op.f("ck_stay_end_destination"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_stay_end_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placement.id"], name=op.f("fk_stay_end_placement_id_placement"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stay_end")),
        sa.UniqueConstraint("placement_id", name=op.f("uq_stay_end_placement_id")),
    )
    with op.batch_alter_table("stay_end", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stay_end_municipality_id"), ["municipality_id"], unique=False)

    op.create_table(
        "stay_extension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("previous_end", sa.Date(), nullable=False),
        sa.Column("new_end", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(trim(reason)) > 0", name=op.f("ck_stay_extension_reason_given")),
        sa.CheckConstraint("new_end > previous_end", name=op.f("ck_stay_extension_later")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_stay_extension_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_stay_extension_placement_id_placement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stay_extension")),
    )
    with op.batch_alter_table("stay_extension", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stay_extension_municipality_id"), ["municipality_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stay_extension_placement_id"), ["placement_id"], unique=False)

    op.create_table(
        "stay_introduction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('call', 'visit', 'trial_stay')", name=op.f("ck_stay_introduction_kind")),
        sa.CheckConstraint("outcome IN ('good', 'doubts', 'stop')", name=op.f("ck_stay_introduction_outcome")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_stay_introduction_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_stay_introduction_placement_id_placement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stay_introduction")),
    )
    with op.batch_alter_table("stay_introduction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stay_introduction_municipality_id"), ["municipality_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stay_introduction_placement_id"), ["placement_id"], unique=False)

    op.create_table(
        "stay_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('check_in', 'follow_up', 'stay_signal')", name=op.f("ck_stay_reminder_kind")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_stay_reminder_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placement.id"], name=op.f("fk_stay_reminder_placement_id_placement"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stay_reminder")),
        sa.UniqueConstraint("kind", "placement_id", "due_on", name=op.f("uq_stay_reminder_kind_placement_id_due_on")),
    )
    with op.batch_alter_table("stay_reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stay_reminder_municipality_id"), ["municipality_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stay_reminder_placement_id"), ["placement_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stay_reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stay_reminder_placement_id"))
        batch_op.drop_index(batch_op.f("ix_stay_reminder_municipality_id"))

    op.drop_table("stay_reminder")
    with op.batch_alter_table("stay_introduction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stay_introduction_placement_id"))
        batch_op.drop_index(batch_op.f("ix_stay_introduction_municipality_id"))

    op.drop_table("stay_introduction")
    with op.batch_alter_table("stay_extension", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stay_extension_placement_id"))
        batch_op.drop_index(batch_op.f("ix_stay_extension_municipality_id"))

    op.drop_table("stay_extension")
    with op.batch_alter_table("stay_end", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stay_end_municipality_id"))

    op.drop_table("stay_end")
    with op.batch_alter_table("stay_breakdown", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stay_breakdown_municipality_id"))

    op.drop_table("stay_breakdown")
    with op.batch_alter_table("stay_agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stay_agreement_municipality_id"))

    op.drop_table("stay_agreement")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_placement_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_municipality_id"))

    op.drop_table("follow_up")
    with op.batch_alter_table("check_in", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_check_in_placement_id"))
        batch_op.drop_index(batch_op.f("ix_check_in_municipality_id"))

    op.drop_table("check_in")
    with op.batch_alter_table("contact_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_log_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_contact_log_household_id"))

    op.drop_table("contact_log")
