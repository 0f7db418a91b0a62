"""Query functions on SQLite and PostgreSQL: what the pages are built from."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd

from data_access import queries as q


def test_years_and_default_year(app_context):
    assert q.available_years() == [2021, 2022, 2023, 2024, 2025]
    # The latest year with a single-year programme-wide headline figure.
    assert q.headline_year() == 2024


def test_kpis_write_out_qualifiers_and_keep_every_source(app_context):
    kpis = {k.code: k for k in q.programme_kpis(2022, "en")}
    assert list(kpis)[:3] == [
        "migrants_assisted_total",
        "migrants_protection_assistance",
        "migrants_return_assistance",
    ]
    trained = kpis["stakeholders_trained"]
    assert trained.distinct_values == [(1500.0, "more_than")]
    ambassadors = kpis["community_ambassadors_trained"]
    # The narrative and the English Year 2 page both state 181: one value, two sources.
    assert ambassadors.distinct_values == [(181.0, "exact")]
    assert len(ambassadors.figures) == 2
    assert {f.source_url for f in ambassadors.figures} == {None, "https://www.iom.int/compass-year-two"}
    total = kpis["migrants_assisted_total"]
    assert total.figures == ()  # nothing for 2022 alone ...
    assert [(f.value, f.qualifier, f.period_start) for f in total.cumulative] == [
        (70000.0, "more_than", date(2021, 1, 1))
    ]  # ... but the cumulative 2021-2022 figure is shown


def test_conflicting_sources_are_both_returned(app_context):
    total = next(k for k in q.programme_kpis(2023, "en") if k.code == "migrants_assisted_total")
    assert sorted(total.distinct_values) == [(38862.0, "exact"), (38862.0, "up_to")]


def test_country_results_case_insensitive_with_sources(app_context):
    frame = q.country_results("lby", 2022, "fr")
    values = dict(zip(frame.indicator_code, zip(frame.value, frame.qualifier, strict=True), strict=True))
    assert values["migrants_reached_by_ambassadors"] == (7000.0, "more_than")
    assert values["mhpss_training_sessions"] == (8.0, "exact")
    assert frame.country_name.unique().tolist() == ["Libye"]
    assert frame.source_quote.str.contains("7000").any()
    assert frame.source_title.str.startswith("COMPASS Année 2").all()


def test_country_without_publications_is_empty_not_zero(app_context):
    assert q.country_results("SDN", None, "en").empty
    assert q.country_years("SDN") == []
    coverage = q.country_coverage(2022, "en").set_index("iso3")
    assert len(coverage) == 14
    assert coverage.loc["SDN", ["figures", "activities", "partners"]].tolist() == [0, 0, 0]
    assert coverage.loc["LBY", "figures"] == 4


def test_activities_name_their_partners_in_the_language(app_context):
    fr = q.activities(2022, "fr", iso3="LBY")
    en = q.activities(2022, "en", iso3="LBY")
    assert len(fr) == len(en) == 5
    assert fr.partners.str.contains("International Medical Corps", na=False).any()
    assert fr.description.str.contains("migrants", na=False).any()
    assert set(fr.description) != set(en.description)
    overview = q.activities(2022, "en", limit=3)
    assert len(overview) == 3 and overview.country_iso3.notna().all()  # country activities first


def test_partners_and_campaigns(app_context):
    partners = q.country_partners("TUN", 2022, "en").set_index("name")
    assert partners.type.to_dict() == {
        "Amal": "local_ngo",
        "Caritas": "local_ngo",
        "Médecins du Monde": "international_ngo",
        "Terre d'Asile Tunisie": "international_ngo",
        "UNHCR, the UN Refugee Agency": "un_agency",
    }
    assert partners.loc["UNHCR, the UN Refugee Agency", "acronym"] == "HCR"
    campaigns = q.campaigns(2022, "en").set_index("key")
    assert campaigns.loc["road-to-equality", "reach"] == 400000
    assert campaigns.loc["road-to-equality", "reach_qualifier"] == "more_than"
    assert q.campaigns(2022, "en", iso3="EGY").name.tolist() == ["Choose Youth Path"]


def test_programme_figures_of_a_year_include_cumulative_spans(app_context):
    frame = q.programme_results(2022, "en")
    spans = frame[frame.period_start == date(2021, 1, 1)]
    assert "migrants_assisted_total" in spans.indicator_code.tolist()
    assert (frame.scope == "programme").all()


def test_indicator_across_countries_and_years(app_context):
    frame = q.indicator_across("migrants_return_assistance", "en")
    assert set(zip(frame.country_iso3.fillna("programme"), frame.value, strict=True)) >= {
        ("programme", 1110.0),
        ("MLI", 149.0),
        ("NGA", 1013.0),
        ("NGA", 1000.0),
        ("programme", 1400.0),
    }


def test_results_are_copies(app_context):
    first = q.country_results("LBY", 2022, "en")
    first.loc[:, "value"] = -1
    assert (q.country_results("LBY", 2022, "en").value > 0).all()


def test_country_names_sort_ignoring_accents(app_context):
    names = q.countries("fr").name.tolist()
    assert names.index("Égypte") < names.index("Irak") and names.index("Éthiopie") < names.index("Irak")
    assert q.country_coverage(2022, "fr").name.tolist() == names


def test_frame_columns_get_the_dtypes_pandas_would_infer():
    """_frame builds one object block and types only all-number columns: each
    column must come out as pd.Series would have inferred it, text keeping None."""
    columns = {
        "text": ("a", None, "c"),
        "ints": (1, 2, 3),
        "ints_with_gap": (1, None, 3),
        "floats": (1.5, 2, 3),
        "flags": (True, False, True),
        "flags_with_gap": (True, None, False),
        "days": (date(2022, 1, 1), None, date(2023, 1, 1)),
        "decimals": (Decimal("1.5"), Decimal("2"), None),
        "nothing": (None, None, None),
        "mixed": (1, "a", None),
        "numpy_ints": (np.int64(1), np.int64(2), np.int64(3)),
    }
    block = np.empty((3, len(columns)), dtype=object)
    block[:] = list(zip(*columns.values(), strict=True))
    for i, (name, values) in enumerate(columns.items()):
        typed = q._numeric(block[:, i])
        got = pd.Series(typed) if typed is not None else pd.Series(values, dtype=object)
        expected = pd.Series(values) if not any(isinstance(v, str) for v in values) else None
        if expected is None:
            expected = pd.Series(values, dtype=object)
        assert got.dtype == expected.dtype, name
        pd.testing.assert_series_equal(got, expected, check_names=False, obj=name)
    assert q._numeric(block[:, 0]) is None  # text stays objects, None kept


def test_country_figure_years_leave_out_programme_facts(app_context):
    # Ethiopia's 2024 source only says COMPASS has 14 partner countries: a programme
    # fact, not an Ethiopian result, so Ethiopia's own latest year is 2022.
    assert q.country_years("ETH")[-1] == 2024
    assert q.country_figure_years("eth") == [2022]
    assert q.country_figure_years("NGA") == [2022, 2024]  # 2021: the partner-country count only
    assert q.country_figure_years("TUN") == [2025]  # 2022: activities, no figure
    assert q.country_figure_years("SDN") == []
    assert q.country_own_years("ETH") == [2022] and q.country_own_years("TUN") == [2022, 2025]
    assert q.country_default_years("IRQ") == [2022]  # activities only


def test_country_history_has_every_year_of_totals(app_context):
    frame = q.country_history("nga", "fr")
    assert sorted(set(frame.year)) == [2021, 2022, 2024]
    assert (frame.breakdown_dim == "").all()
    returns = frame[frame.indicator_code == "migrants_return_assistance"]
    assert sorted(zip(returns.value, returns.qualifier, strict=True)) == [
        (1000.0, "approx"),
        (1013.0, "exact"),
    ]
    assert returns.source_id.nunique() == 2  # two rows of the reference file: two sources
    assert frame.country_name.unique().tolist() == ["Nigéria"]
    assert q.country_history("SDN", "en").empty


def test_country_level_results_without_programme_facts(app_context):
    every = q.country_level_results(2022, "en", breakdowns=False)
    own = q.country_level_results(2022, "en", breakdowns=False, programme_facts=False)
    assert "partner_countries" in set(every.indicator_code)  # stated in Malian and Nigerian sources
    assert "partner_countries" not in set(own.indicator_code)
    assert ("MLI", "migrants_return_assistance") in set(
        zip(own.country_iso3, own.indicator_code, strict=True)
    )
    assert len(every) - len(own) == (every.theme == "programme").sum()


def test_coverage_counts_a_countrys_own_figures(app_context):
    coverage = q.country_coverage(2024, "en").set_index("iso3")
    assert coverage.loc["ETH", "figures"] == 0  # its 2024 source only states the programme's size
    assert coverage.loc["NGA", "figures"] == 5
    assert q.country_coverage(2022, "en").set_index("iso3").loc["MLI", "figures"] == 2  # not 3
