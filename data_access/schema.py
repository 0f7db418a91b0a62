"""The reporting database schema (SQLAlchemy Core), shared by SQLite and PostgreSQL.

Alembic migrations in `data_access/migrations` create exactly these tables;
`tests/test_schema.py` checks that the two never drift apart.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
    func,
    true,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

QUALIFIERS = ("exact", "more_than", "up_to", "approx")
PARTNER_TYPES = (
    "government",
    "un_agency",
    "international_ngo",
    "local_ngo",
    "community_group",
    "private_sector",
    "donor",
)
SCOPES = ("programme", "country")
VISIBILITIES = ("public", "internal")
ROLES = ("staff", "admin")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


countries = Table(
    "countries",
    metadata,
    Column("iso3", String(3), primary_key=True),
    Column("name_en", String(120), nullable=False),
    Column("name_fr", String(120), nullable=False),
    Column("name_ar", String(120), nullable=False),
    Column("region", String(40), nullable=False),
    Column("is_compass", Boolean, nullable=False, default=True),
)

indicators = Table(
    "indicators",
    metadata,
    Column("code", String(80), primary_key=True),
    Column("name_en", String(200), nullable=False),
    Column("name_fr", String(200), nullable=False),
    # Arabic texts (issue 16): empty = not translated, Arabic pages show the English (marked lang="en").
    Column("name_ar", String(200), nullable=True),
    Column("unit", String(40), nullable=False),
    Column("theme", String(40), nullable=False),
    Column("summable", Boolean, nullable=False),
    # Position of the indicator's KPI card on the Overview; NULL = not a headline.
    Column("headline", Integer, nullable=True),
    Column("definition_en", Text, nullable=False, default=""),
    Column("definition_fr", Text, nullable=False, default=""),
    Column("definition_ar", Text, nullable=True),
    # Counts of people who could be identified when small (victims of trafficking
    # by sex and age): below SUPPRESS_BELOW, shown to the public as "fewer than N".
    Column("sensitive", Boolean, nullable=False, default=False, server_default=false()),
)

import_batches = Table(
    "import_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(40), nullable=False),
    Column("file_name", String(400), nullable=False),
    Column("checksum", String(64), nullable=False),
    Column("rows_total", Integer, nullable=False, default=0),
    Column("rows_added", Integer, nullable=False, default=0),
    Column("rows_updated", Integer, nullable=False, default=0),
    Column("rows_unchanged", Integer, nullable=False, default=0),
    Column("loaded_by", String(120), nullable=False, default=""),
    Column("loaded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Who may see the batch's rows: "internal" (staff and links made with internal
    # figures) until published. Rows without a batch (the reference data) are public.
    Column("visibility", String(8), nullable=False, default="internal", server_default="public"),
    CheckConstraint(_in("visibility", VISIBILITIES), name="visibility"),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # Stable natural key (e.g. "compass-year2-2022-fr#q-libya-ambassadors").
    Column("key", String(200), nullable=False, unique=True),
    Column("title", String(400), nullable=False),
    Column("title_fr", String(400), nullable=True),
    Column("title_ar", String(400), nullable=True),
    Column("publisher", String(200), nullable=False, default=""),
    Column("url", String(1000), nullable=True),
    Column("document", String(400), nullable=True),
    # The sentence of the source that states the figure, verbatim when we have it.
    Column("quote", Text, nullable=True),
    # Our own paraphrase of where the figure stands, when no verbatim quote exists.
    Column("note", Text, nullable=True),
    # The note in French, for French pages; empty = not translated yet (the Data page lists those).
    Column("note_fr", Text, nullable=True),
    # The note in Arabic, for Arabic pages (the English note, marked lang="en", where it is missing).
    Column("note_ar", Text, nullable=True),
    Column("language", String(8), nullable=False),
)

results = Table(
    "results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator_code", String(80), ForeignKey("indicators.code"), nullable=False),
    Column("scope", String(12), nullable=False),
    Column("country_iso3", String(3), ForeignKey("countries.iso3"), nullable=True),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("value", Float, nullable=False),
    Column("qualifier", String(12), nullable=False, default="exact"),
    # "" means no breakdown (the total); otherwise e.g. dimension "sex", value "female".
    Column("breakdown_dim", String(40), nullable=False, default=""),
    Column("breakdown_value", String(80), nullable=False, default=""),
    Column("target", Float, nullable=True),
    # Organisation that implemented the work behind the figure (free text, as given).
    Column("implementing_partner", String(300), nullable=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=True),
    Column("is_synthetic", Boolean, nullable=False, default=False),
    CheckConstraint(_in("qualifier", QUALIFIERS), name="qualifier"),
    CheckConstraint(_in("scope", SCOPES), name="scope"),
    CheckConstraint(
        "(scope = 'programme' AND country_iso3 IS NULL) OR (scope = 'country' AND country_iso3 IS NOT NULL)",
        name="scope_country",
    ),
    CheckConstraint("period_end >= period_start", name="period_order"),
)
# One figure per indicator, place, period, breakdown and source: two sources that
# disagree are stored side by side; the same source cannot state a figure twice.
Index(
    "uq_results_natural_key",
    results.c.indicator_code,
    func.coalesce(results.c.country_iso3, ""),
    results.c.period_start,
    results.c.period_end,
    results.c.breakdown_dim,
    results.c.breakdown_value,
    results.c.source_id,
    unique=True,
)
Index("ix_results_country_period", results.c.country_iso3, results.c.period_end)
Index("ix_results_indicator_period", results.c.indicator_code, results.c.period_end)
# The summary is refreshed per source (data_access/summary.py): an import of a few
# rows reads that source's rows, not the whole table.
Index("ix_results_source", results.c.source_id)

# Yearly figures read by every page, kept exact by data_access/summary.py on each
# load: rows of one source that are parts of one year's figure (monthly rows,
# partners) summed; a non-summable indicator's rows are never added together.
result_summary = Table(
    "result_summary",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator_code", String(80), nullable=False),
    Column("scope", String(12), nullable=False),
    Column("country_iso3", String(3), nullable=True),
    # year(period_end): the year a figure is shown under.
    Column("year", Integer, nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("value", Float, nullable=False),
    Column("qualifier", String(12), nullable=False),
    Column("breakdown_dim", String(40), nullable=False),
    Column("breakdown_value", String(80), nullable=False),
    Column("target", Float, nullable=True),
    Column("source_id", Integer, nullable=False),
    Column("is_synthetic", Boolean, nullable=False),
    Column("n_results", Integer, nullable=False),
    # Summed from rows of internal batches: never read for the public.
    Column("internal", Boolean, nullable=False, default=False, server_default=false()),
)
# The pages' filters: a country-year, a scope-year (the Overview), an indicator
# (the explorer); each leads with equality columns and ends with breakdown_dim so
# totals (breakdown_dim = '') are read without touching the breakdown rows.
Index(
    "ix_result_summary_country_year",
    result_summary.c.country_iso3,
    result_summary.c.year,
    result_summary.c.breakdown_dim,
    # Last, so that counting a country-year's breakdowns (and naming one indicator
    # per dimension) reads the index alone.
    result_summary.c.indicator_code,
)
# Figures with a target are few: the country page's targets are read from here.
Index(
    "ix_result_summary_targets",
    result_summary.c.country_iso3,
    result_summary.c.year,
    sqlite_where=result_summary.c.target.is_not(None),
    postgresql_where=result_summary.c.target.is_not(None),
)
Index(
    "ix_result_summary_scope_year",
    result_summary.c.scope,
    result_summary.c.year,
    result_summary.c.breakdown_dim,
)
Index(
    "ix_result_summary_indicator_year",
    result_summary.c.indicator_code,
    result_summary.c.year,
    result_summary.c.breakdown_dim,
)
Index("ix_result_summary_source", result_summary.c.source_id)

# How much each source states, per indicator, place and breakdown dimension: a few
# thousand rows at any data size, so the lists and counts of the explorer and the
# Data page (indicators with figures, breakdown dimensions, figures per source...)
# never read the whole summary. Kept with it by data_access/summary.py.
result_counts = Table(
    "result_counts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", Integer, nullable=False),
    Column("indicator_code", String(80), nullable=False),
    Column("scope", String(12), nullable=False),
    Column("country_iso3", String(3), nullable=True),
    Column("breakdown_dim", String(40), nullable=False),
    Column("is_synthetic", Boolean, nullable=False),
    # Yearly figures (summary rows) and the raw results they sum.
    Column("figures", Integer, nullable=False),
    Column("n_results", Integer, nullable=False),
    Column("internal", Boolean, nullable=False, default=False, server_default=false()),
)
Index("ix_result_counts_source", result_counts.c.source_id)

partners = Table(
    "partners",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(120), nullable=False, unique=True),
    Column("name_en", String(300), nullable=False),
    Column("name_fr", String(300), nullable=False),
    # Only where the organisation itself publishes an Arabic name: most are proper names.
    Column("name_ar", String(300), nullable=True),
    Column("acronym", String(40), nullable=True),
    Column("type", String(30), nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=True),
    CheckConstraint(_in("type", PARTNER_TYPES), name="type"),
)

activities = Table(
    "activities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(120), nullable=False, unique=True),
    Column("country_iso3", String(3), ForeignKey("countries.iso3"), nullable=True),
    Column("year", Integer, nullable=False),
    Column("theme", String(40), nullable=False),
    Column("description_en", Text, nullable=False),
    Column("description_fr", Text, nullable=False),
    Column("description_ar", Text, nullable=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=True),
)
Index("ix_activities_country_year", activities.c.country_iso3, activities.c.year)

activity_partners = Table(
    "activity_partners",
    metadata,
    Column("activity_id", Integer, ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_id", Integer, ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True),
)

campaigns = Table(
    "campaigns",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(120), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("country_iso3", String(3), ForeignKey("countries.iso3"), nullable=True),
    Column("year", Integer, nullable=False),
    Column("channel", String(40), nullable=False),
    Column("reach", Float, nullable=True),
    Column("reach_qualifier", String(12), nullable=True),
    Column("description_en", Text, nullable=False, default=""),
    Column("description_fr", Text, nullable=False, default=""),
    Column("description_ar", Text, nullable=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    CheckConstraint(
        "reach_qualifier IS NULL OR " + _in("reach_qualifier", QUALIFIERS), name="reach_qualifier"
    ),
)

# Staff accounts (issue 15): local, password hashed (werkzeug scrypt).
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("password_hash", String(256), nullable=False),
    Column("role", String(8), nullable=False, default="staff"),
    Column("active", Boolean, nullable=False, default=True, server_default=true()),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("last_sign_in_at", DateTime(timezone=True), nullable=True),
    # Raised when the account is disabled, enabled or its password changes: sessions
    # signed before carry the old value and end (data_access/users.py).
    Column("session_epoch", Integer, nullable=False, default=0, server_default="0"),
    CheckConstraint(_in("role", ROLES), name="role"),
)

# Every sign-in attempt, kept for the record (who, from where, whether it worked).
sign_ins = Table(
    "sign_ins",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("client", String(64), nullable=False, default=""),
    Column("succeeded", Boolean, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("ix_sign_ins_email_at", sign_ins.c.email, sign_ins.c.at)

# Donor links (/s/<token>): one locked view, an audience, an expiry; revocable.
share_links = Table(
    "share_links",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("view", String(2000), nullable=False),  # "PATH?QUERY", canonical
    Column("internal", Boolean, nullable=False, default=False),
    Column("note", Text, nullable=False, default=""),
    Column("created_by", String(254), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("opens", Integer, nullable=False, default=0, server_default="0"),
    Column("last_opened_at", DateTime(timezone=True), nullable=True),
)

# A single row whose counter every load increments: cached queries are keyed by it.
data_version = Table(
    "data_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Random, replaced on every bump: cache keys stay unique across rebuilt databases.
    Column("token", String(32), nullable=False, server_default=""),
)
