"""Arabic data texts (issue 16): indicators.name_ar and definition_ar,
activities.description_ar, campaigns.description_ar, sources.title_ar and
note_ar, partners.name_ar; all nullable, an empty cell shows the English text
(marked lang="en") on Arabic pages

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# table -> its new columns, in the order they are added.
ARABIC_COLUMNS = {
    "indicators": (("name_ar", sa.String(200)), ("definition_ar", sa.Text())),
    "sources": (("title_ar", sa.String(400)), ("note_ar", sa.Text())),
    "partners": (("name_ar", sa.String(300)),),
    "activities": (("description_ar", sa.Text()),),
    "campaigns": (("description_ar", sa.Text()),),
}


def upgrade() -> None:
    for table, columns in ARABIC_COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            for name, type_ in columns:
                batch_op.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+ has it): a batch operation
    # would copy and drop each table, which SQLite's foreign keys refuse for the
    # tables others refer to (indicators, sources, partners, activities).
    for table, columns in ARABIC_COLUMNS.items():
        for name, _ in reversed(columns):
            op.drop_column(table, name)
