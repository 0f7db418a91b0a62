"""The Overview map's select: its choice lives in the URL (`map`), written by a
thin callback (pages.overview_map.map_url_after_change), called directly here."""

from __future__ import annotations

from pages.overview_map import map_url_after_change


def _state(**values) -> dict:
    return {"page": "overview", "iso3": None, "year": 2022, "lang": "fr", "values": values}


def test_choosing_an_indicator_writes_the_url(sqlite_context):
    assert map_url_after_change("stakeholders_trained", _state(map=None)) == (
        "/?year=2022&map=stakeholders_trained&lang=fr"
    )
    assert map_url_after_change("migrants_return_assistance", _state(map="stakeholders_trained")) == (
        "/?year=2022&map=migrants_return_assistance&lang=fr"
    )


def test_the_same_choice_or_a_forged_value_changes_nothing(sqlite_context):
    assert map_url_after_change("stakeholders_trained", _state(map="stakeholders_trained")) is None
    assert map_url_after_change("not_an_indicator", _state()) is None
    assert map_url_after_change(["stakeholders_trained"], _state()) is None
    assert map_url_after_change(None, _state()) is None
    assert map_url_after_change("stakeholders_trained", "junk") == "/?map=stakeholders_trained"
