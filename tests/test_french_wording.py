"""French wording that reads as French: real plural forms, no English-shaped
phrases, and names that say what a number counts."""

from __future__ import annotations

import importlib

from babel.messages.pofile import read_po
from sqlalchemy import select

from components.controls import dropdown_labels
from components.i18n import get_translator, po_path
from data_access import schema as s
from tests.helpers import text_of, walk


def test_dropdown_count_uses_the_catalogs_plural_form():
    fr = dropdown_labels(get_translator("fr"))["selected_count"]
    assert fr == "{num_selected} s\u00e9lectionn\u00e9s"
    assert "(s)" not in fr
    assert dropdown_labels(get_translator("en"))["selected_count"] == "{num_selected} selected"
    assert get_translator("fr").plural("{num_selected} selected", "{num_selected} selected", 1) != fr


def test_no_french_message_hedges_a_plural_with_parentheses():
    text = po_path("fr").read_text(encoding="utf-8")
    msgstrs = [line for line in text.splitlines() if line.startswith("msgstr")]
    assert not [line for line in msgstrs if "(s)" in line or "(e)" in line]


def test_country_page_offers_the_other_years_available(sqlite_context):
    tree = importlib.import_module("pages.country").layout(iso3="NGA", year="2024", lang="fr")
    links = next(n for n in walk(tree) if "year-links" in (getattr(n, "className", "") or ""))
    assert text_of(links).startswith("Autres ann\u00e9es disponibles\u00a0:")


def test_campaign_reach_is_named_as_people_reached_in_french(engine):
    with engine.connect() as conn:
        name_fr, unit = conn.execute(
            select(s.indicators.c.name_fr, s.indicators.c.unit).where(s.indicators.c.code == "campaign_reach")
        ).one()
    assert unit == "people"
    assert name_fr.startswith("Personnes touch\u00e9es") and "Port\u00e9e" not in name_fr


# Messages whose French is the English word itself (checked one by one); any other
# msgstr equal to its msgid is English left on a French page.
SAME_IN_FRENCH = {
    ", ",  # list separators (components/i18n.py): Arabic has its own
    "; ",
    "Coordination",
    "Exports",
    "Pages",
    "Programme",
    "Protection",
    "Satisfaction",
    "Source",
    "Sources",
    "Sources ({count})",
    "Total",
    "Type",
    "Types",
    "Type (code)",
    "Description",
    "sources",
    "exact",
    "initiatives",
    "migrants",
    "organisations",
    "{country}, {year}",
    "{country} \u00b7 {year}",
    "{count} sources",
}


def test_no_english_left_in_the_french_catalog():
    catalog = read_po(po_path("fr").open("rb"), locale="fr")
    same = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"no French for {ids[0]!r}"
        same |= {i for i, s in zip(ids, strings, strict=False) if i == s}
    assert same <= SAME_IN_FRENCH, f"English left in French: {sorted(same - SAME_IN_FRENCH)}"
