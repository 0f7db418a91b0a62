"""URL parsing and link building: the only readers and writers of query strings."""

from __future__ import annotations

import pytest

from model.notice import Notice
from pages import paths
from pages.urlstate import parse_view

YEARS = [2021, 2022, 2023, 2024, 2025]


def view(**query):
    return parse_view(query, YEARS, default_year=2024, default_lang="en")


def test_valid_values_are_used_without_notice():
    state = view(year="2022", lang="FR")
    assert (state.year, state.lang, state.notices) == (2022, "fr", ())


def test_missing_values_take_the_defaults():
    state = view()
    assert (state.year, state.lang, state.notices) == (2024, "en", ())


@pytest.mark.parametrize(
    "query, code",
    [
        ({"year": "abc"}, "bad_year"),
        ({"year": "20222"}, "bad_year"),
        ({"year": "２０２２"}, "bad_year"),  # full-width digits are not a year
        ({"year": "1999"}, "unknown_year"),
        ({"year": ["2022", "2023"]}, "repeated"),
        ({"lang": "xx"}, "bad_lang"),
        ({"lang": ["en", "fr"]}, "repeated"),
        ({"utm_source": "mail"}, "unknown_key"),
    ],
)
def test_bad_values_fall_back_with_a_notice(query, code):
    state = view(**query)
    assert state.year == 2024 and state.lang == "en"
    assert [n.code for n in state.notices] == [code]


def test_huge_values_are_shortened_in_notices():
    state = view(year="9" * 5000)
    assert len(state.notices[0].value) <= 40


def test_good_values_survive_next_to_bad_ones():
    state = view(year="2022", lang="klingon", foo="bar")
    assert state.year == 2022
    assert {n.code for n in state.notices} == {"bad_lang", "unknown_key"}
    assert Notice("unknown_key", "foo") in state.notices


def test_links():
    assert paths.overview_url() == "/"
    assert paths.overview_url(2022, "fr") == "/?year=2022&lang=fr"
    assert paths.country_url("lby", 2022, "en") == "/countries/LBY?year=2022&lang=en"
    assert paths.view_url("country", "EGY", 2021, "fr") == "/countries/EGY?year=2021&lang=fr"
    assert paths.view_url("overview", None, 2021, "fr") == "/?year=2021&lang=fr"


from pages.urlstate import Param, parse_params, query_string  # noqa: E402

CODES = {"a_code", "b_code", "c_code"}
PARAMS = [
    Param("indicators", lambda: CODES, multi=True, normalize=lambda v: v.strip().lower()),
    Param("chart", lambda: {"bars", "lines", "map"}, default="bars"),
]


def test_multi_values_are_validated_sorted_and_deduplicated():
    values, notices = parse_params({"indicators": "C_code, a_code,zzz,a_code", "chart": "lines"}, PARAMS)
    assert values == {"indicators": ("a_code", "c_code"), "chart": "lines"}
    assert [(n.code, n.key, n.value) for n in notices] == [("unknown_value", "indicators", "zzz")]


@pytest.mark.parametrize(
    "query, code",
    [
        ({"chart": "pie"}, "unknown_value"),
        ({"chart": ["bars", "map"]}, "repeated"),
        ({"chart": "x" * 5000}, "too_long"),
    ],
)
def test_bad_single_values_fall_back_to_the_default(query, code):
    values, notices = parse_params(query, PARAMS)
    assert values["chart"] == "bars" and [n.code for n in notices] == [code]
    assert all(len(n.value) <= 40 for n in notices)


def test_query_string_is_canonical_whatever_the_order_of_choice():
    first = query_string({"year": 2022, "indicators": ("b_code", "a_code"), "chart": None, "lang": "fr"})
    second = query_string({"year": 2022, "indicators": ["a_code", "b_code"], "lang": "fr"})
    assert first == second == "year=2022&indicators=a_code,b_code&lang=fr"


def test_parsed_link_round_trips():
    url = paths.indicators_url(2022, "fr", indicators=("c_code", "a_code"), chart="map")
    query = dict(pair.split("=") for pair in url.split("?")[1].split("&"))
    values, notices = parse_params(query, PARAMS)
    assert notices == [] and values == {"indicators": ("a_code", "c_code"), "chart": "map"}
    assert paths.indicators_url(2022, "fr", **values) == url


# --- free text (a search box) ---------------------------------------------------------------------

from pages.urlstate import MAX_TEXT, parse_text  # noqa: E402


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("medecins", "medecins"),
        ("  Médecins   du\tMonde ", "Médecins du Monde"),  # trimmed, one space between words
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # text, shown as text
        ("' OR 1=1 --", "' OR 1=1 --"),  # never reaches SQL (matching ids are bound)
        ("x" * MAX_TEXT, "x" * MAX_TEXT),
    ],
)
def test_free_text_is_kept_as_typed(raw, expected):
    assert parse_text({"q": raw}, "q") == (expected, [])


@pytest.mark.parametrize("query", [{}, {"q": ""}, {"q": "   "}])
def test_empty_free_text_is_none(query):
    assert parse_text(query, "q") == (None, [])


@pytest.mark.parametrize(
    "raw, code",
    [
        ("x" * (MAX_TEXT + 1), "too_long"),
        ("abc\x00def", "bad_text"),
        ("abc\u202edef", "bad_text"),  # right-to-left override: invisible, only smuggled in links
        (["a", "b"], "repeated"),
    ],
)
def test_bad_free_text_is_left_out_with_a_notice(raw, code):
    value, notices = parse_text({"q": raw}, "q")
    assert value is None
    assert [(n.code, n.key) for n in notices] == [(code, "q")]
    assert len(notices[0].value) <= 40 and "\x00" not in notices[0].value
