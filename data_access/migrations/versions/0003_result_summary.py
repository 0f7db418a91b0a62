"""result_summary and result_counts: the yearly figures and counts the pages read
(see data_access/summary.py); results indexed by source, by which they are refreshed

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_INDEXES = {
    "ix_result_summary_country_year": ["country_iso3", "year", "breakdown_dim", "indicator_code"],
    "ix_result_summary_scope_year": ["scope", "year", "breakdown_dim"],
    "ix_result_summary_indicator_year": ["indicator_code", "year", "breakdown_dim"],
    "ix_result_summary_source": ["source_id"],
}


def upgrade() -> None:
    op.create_table(
        "result_summary",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("indicator_code", sa.String(length=80), nullable=False),
        sa.Column("scope", sa.String(length=12), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("qualifier", sa.String(length=12), nullable=False),
        sa.Column("breakdown_dim", sa.String(length=40), nullable=False),
        sa.Column("breakdown_value", sa.String(length=80), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False),
        sa.Column("n_results", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_summary")),
    )
    for name, columns in _INDEXES.items():
        op.create_index(name, "result_summary", columns)
    op.create_table(
        "result_counts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=80), nullable=False),
        sa.Column("scope", sa.String(length=12), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=True),
        sa.Column("breakdown_dim", sa.String(length=40), nullable=False),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False),
        sa.Column("figures", sa.Integer(), nullable=False),
        sa.Column("n_results", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_counts")),
    )
    op.create_index("ix_result_counts_source", "result_counts", ["source_id"])
    has_target = sa.text("target IS NOT NULL")
    op.create_index(
        "ix_result_summary_targets",
        "result_summary",
        ["country_iso3", "year"],
        sqlite_where=has_target,
        postgresql_where=has_target,
    )
    op.create_index("ix_results_source", "results", ["source_id"])
    # Filled from the rows already loaded by 0006, once every column the
    # summary's grouping rules (data_access/summary.py) write exists.


def downgrade() -> None:
    op.drop_index("ix_results_source", table_name="results")
    op.drop_index("ix_result_summary_targets", table_name="result_summary")
    for name in _INDEXES:
        op.drop_index(name, table_name="result_summary")
    op.drop_table("result_summary")
    op.drop_index("ix_result_counts_source", table_name="result_counts")
    op.drop_table("result_counts")
