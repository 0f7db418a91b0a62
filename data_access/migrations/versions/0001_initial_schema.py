"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "countries",
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=False),
        sa.Column("name_fr", sa.String(length=120), nullable=False),
        sa.Column("name_ar", sa.String(length=120), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("is_compass", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("iso3", name=op.f("pk_countries")),
    )
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "changed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=400), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_added", sa.Integer(), nullable=False),
        sa.Column("rows_updated", sa.Integer(), nullable=False),
        sa.Column("rows_unchanged", sa.Integer(), nullable=False),
        sa.Column("loaded_by", sa.String(length=120), nullable=False),
        sa.Column(
            "loaded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_table(
        "indicators",
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_fr", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("theme", sa.String(length=40), nullable=False),
        sa.Column("summable", sa.Boolean(), nullable=False),
        sa.Column("headline", sa.Integer(), nullable=True),
        sa.Column("definition_en", sa.Text(), nullable=False),
        sa.Column("definition_fr", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_indicators")),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column("title_fr", sa.String(length=400), nullable=True),
        sa.Column("publisher", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("document", sa.String(length=400), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("key", name=op.f("uq_sources_key")),
    )
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(length=40), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("description_fr", sa.Text(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_activities_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["country_iso3"],
            ["countries.iso3"],
            name=op.f("fk_activities_country_iso3_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_activities_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
        sa.UniqueConstraint("key", name=op.f("uq_activities_key")),
    )
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index(
            "ix_activities_country_year", ["country_iso3", "year"], unique=False
        )

    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("reach", sa.Float(), nullable=True),
        sa.Column("reach_qualifier", sa.String(length=12), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("description_fr", sa.Text(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "reach_qualifier IS NULL OR reach_qualifier IN ('exact', 'more_than', 'up_to', 'approx')",
            name=op.f("ck_campaigns_reach_qualifier"),
        ),
        sa.ForeignKeyConstraint(
            ["country_iso3"],
            ["countries.iso3"],
            name=op.f("fk_campaigns_country_iso3_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_campaigns_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
        sa.UniqueConstraint("key", name=op.f("uq_campaigns_key")),
    )
    op.create_table(
        "partners",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("name_fr", sa.String(length=300), nullable=False),
        sa.Column("acronym", sa.String(length=40), nullable=True),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "type IN ('government', 'un_agency', 'international_ngo', 'local_ngo', 'community_group', 'private_sector', 'donor')",
            name=op.f("ck_partners_type"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_partners_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
        sa.UniqueConstraint("key", name=op.f("uq_partners_key")),
    )
    op.create_table(
        "results",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("indicator_code", sa.String(length=80), nullable=False),
        sa.Column("scope", sa.String(length=12), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("qualifier", sa.String(length=12), nullable=False),
        sa.Column("breakdown_dim", sa.String(length=40), nullable=False),
        sa.Column("breakdown_value", sa.String(length=80), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "(scope = 'programme' AND country_iso3 IS NULL) OR (scope = 'country' AND country_iso3 IS NOT NULL)",
            name=op.f("ck_results_scope_country"),
        ),
        sa.CheckConstraint(
            "qualifier IN ('exact', 'more_than', 'up_to', 'approx')",
            name=op.f("ck_results_qualifier"),
        ),
        sa.CheckConstraint(
            "scope IN ('programme', 'country')", name=op.f("ck_results_scope")
        ),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_results_period_order")
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_results_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["country_iso3"],
            ["countries.iso3"],
            name=op.f("fk_results_country_iso3_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["indicator_code"],
            ["indicators.code"],
            name=op.f("fk_results_indicator_code_indicators"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_results_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_results")),
    )
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.create_index(
            "ix_results_country_period", ["country_iso3", "period_end"], unique=False
        )
        batch_op.create_index(
            "ix_results_indicator_period",
            ["indicator_code", "period_end"],
            unique=False,
        )
    # Expression index: programme-wide rows have no country, and NULLs never collide.
    op.create_index(
        "uq_results_natural_key",
        "results",
        [
            "indicator_code",
            sa.text("coalesce(country_iso3, '')"),
            "period_start",
            "period_end",
            "breakdown_dim",
            "breakdown_value",
            "source_id",
        ],
        unique=True,
    )

    op.create_table(
        "activity_partners",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_activity_partners_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partners.id"],
            name=op.f("fk_activity_partners_partner_id_partners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "activity_id", "partner_id", name=op.f("pk_activity_partners")
        ),
    )


def downgrade() -> None:
    op.drop_table("activity_partners")
    op.drop_index("uq_results_natural_key", table_name="results")
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.drop_index("ix_results_indicator_period")
        batch_op.drop_index("ix_results_country_period")

    op.drop_table("results")
    op.drop_table("partners")
    op.drop_table("campaigns")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index("ix_activities_country_year")

    op.drop_table("activities")
    op.drop_table("sources")
    op.drop_table("indicators")
    op.drop_table("import_batches")
    op.drop_table("data_version")
    op.drop_table("countries")
