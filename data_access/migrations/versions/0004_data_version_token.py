"""data_version.token: a random token beside the counter, so cache keys stay
unique when a database is rebuilt or restored (the counter starts again at 1)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("data_version") as batch:
        batch.add_column(sa.Column("token", sa.String(length=32), server_default="", nullable=False))
    # The existing row gets a token of its own: a database upgraded here never
    # shares keys with another one upgraded elsewhere.
    op.execute(sa.text("UPDATE data_version SET token = :token").bindparams(token=uuid.uuid4().hex))


def downgrade() -> None:
    with op.batch_alter_table("data_version") as batch:
        batch.drop_column("token")
