"""Which rows the audience may see (issue 15): published figures for everyone,
internal ones (rows of an import batch whose visibility is "internal") only for
an audience that shows them (staff, links made with internal figures).

Every memoized query already takes the data version, which carries the
audience (data_access/version.py): queries ask `shows_internal(version)` and
add the conditions below, never reading the audience another way (the keys
would then not say whom an entry was built for).

- A figure (result_summary, result_counts) carries its own flag, `internal`,
  summed apart by data_access/summary.py: the public condition is
  `internal = false`, an equality the indexes' filter handles without a join.
- An activity is internal when its batch is (activities.batch_id ->
  import_batches.visibility); rows without a batch (the reference data) are public.
- Campaigns have no batch: they are public.
- A partner or a source is internal when only internal rows cite it: anything
  cited by a public row, or by nothing at all, stays public.

For an audience that sees internal rows, queries add a column `internal` (a
figure's or activity's own flag) so that pages and exports can mark them; for
the public that column is absent, and public frames are exactly as before.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, exists, false, literal, or_, select, true

from data_access import schema as s

INTERNAL = "internal"
PUBLIC = "public"


def shows_internal(version) -> bool:
    """Whether the audience the (data) version is read for sees internal rows."""
    audience = getattr(version, "audience", None)
    return bool(audience is not None and audience.internal)


def public_figure(table=s.result_summary) -> ColumnElement:
    """The condition on a summary (or result_counts) row: published."""
    return table.c.internal == false()


def internal_batch_ids() -> Select:
    """Ids of the internal import batches (a handful)."""
    b = s.import_batches.c
    return select(b.id).where(b.visibility == INTERNAL)


def internal_activity(activities=s.activities) -> ColumnElement:
    """True for an activity of an internal batch (NULL batch: the reference, public)."""
    return and_(activities.c.batch_id.is_not(None), activities.c.batch_id.in_(internal_batch_ids()))


def public_activity(activities=s.activities) -> ColumnElement:
    """The condition on an activity row: published (no batch, or a public batch)."""
    return or_(activities.c.batch_id.is_(None), activities.c.batch_id.not_in(internal_batch_ids()))


def activity_flag(activities=s.activities) -> ColumnElement:
    """The activity's `internal` column, for audiences that see internal rows."""
    return internal_activity(activities).label(INTERNAL)


def public_partner(partners=s.partners) -> ColumnElement:
    """A partner is public unless every activity naming it is internal (a
    partner named by no activity stays as listed today)."""
    ap, a = s.activity_partners, s.activities
    named = ap.join(a, ap.c.activity_id == a.c.id)
    cited = select(literal(1)).select_from(named).where(ap.c.partner_id == partners.c.id)
    return or_(~exists(cited), exists(cited.where(public_activity(a))))


def public_source(sources=s.sources) -> ColumnElement:
    """A source is public unless only internal rows cite it: cited by a public
    figure, activity, campaign or partner, or by nothing at all."""
    counts, a = s.result_counts, s.activities
    internal_figures = select(literal(1)).where(
        counts.c.source_id == sources.c.id, counts.c.internal == true()
    )
    internal_acts = select(literal(1)).where(a.c.source_id == sources.c.id, internal_activity(a))
    only_internal = and_(
        or_(exists(internal_figures), exists(internal_acts)),
        ~exists(select(literal(1)).where(counts.c.source_id == sources.c.id, public_figure(counts))),
        ~exists(select(literal(1)).where(a.c.source_id == sources.c.id, public_activity(a))),
        ~exists(select(literal(1)).where(s.campaigns.c.source_id == sources.c.id)),
        ~exists(select(literal(1)).where(s.partners.c.source_id == sources.c.id)),
    )
    return ~only_internal


def label_of(internal: object) -> str:
    """'internal' or 'public', as exports write a row's visibility."""
    return INTERNAL if bool(internal) else PUBLIC


__all__ = [
    "INTERNAL",
    "PUBLIC",
    "activity_flag",
    "internal_activity",
    "internal_batch_ids",
    "label_of",
    "public_activity",
    "public_figure",
    "public_partner",
    "public_source",
    "shows_internal",
]
