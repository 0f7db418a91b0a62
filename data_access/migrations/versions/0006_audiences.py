"""Audiences (issue 15): batch visibility, internal summary rows, sensitive
indicators, staff accounts and their sign-ins, donor links

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_batches") as batch_op:
        # Batches loaded before audiences existed were public: they stay so.
        batch_op.add_column(sa.Column("visibility", sa.String(8), nullable=False, server_default="public"))
        batch_op.create_check_constraint("visibility", "visibility IN ('public', 'internal')")
    with op.batch_alter_table("indicators") as batch_op:
        batch_op.add_column(sa.Column("sensitive", sa.Boolean(), nullable=False, server_default=sa.false()))
    for table in ("result_summary", "result_counts"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("internal", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0"),
        sa.CheckConstraint("role IN ('staff', 'admin')", name="ck_users_role"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "sign_ins",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_sign_ins_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_sign_ins"),
    )
    op.create_index("ix_sign_ins_email_at", "sign_ins", ["email", "at"])
    op.create_table(
        "share_links",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("view", sa.String(2000), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opens", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_share_links"),
    )
    # Fill the summary from the rows already loaded, with their visibility. Its
    # grouping rules live in one place, data_access/summary.py, which the
    # writers use as well (migration 0003 leaves this to here).
    from data_access.summary import refresh_summary

    refresh_summary(op.get_bind())


def downgrade() -> None:
    op.drop_table("share_links")
    op.drop_index("ix_sign_ins_email_at", table_name="sign_ins")
    op.drop_table("sign_ins")
    op.drop_table("users")
    for table in ("result_counts", "result_summary"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("internal")
    with op.batch_alter_table("indicators") as batch_op:
        batch_op.drop_column("sensitive")
    with op.batch_alter_table("import_batches") as batch_op:
        batch_op.drop_constraint("visibility", type_="check")
        batch_op.drop_column("visibility")
