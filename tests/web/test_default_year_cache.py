"""A page opened without a year is cached like any other, and its default year
follows the data: the response cache's key names the data version, so a load
that gives a country a later year is seen at once."""

from __future__ import annotations

import shutil

from config import REFERENCE_DIR
from data_access.loader import load_reference
from data_access.reference import read_reference
from pages import ids
from tests.helpers import make_app, router_body


def _ethiopia_gains_2025(tmp_path):
    """A copy of the reference data where the 2025 Tunisian figure is Ethiopian."""
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, folder)
    tsv = folder / "compass_public_figures.tsv"
    tsv.chmod(0o644)
    text = tsv.read_text(encoding="utf-8")
    assert "2025\tcountry\tTUN\t" in text
    tsv.write_text(text.replace("2025\tcountry\tTUN\t", "2025\tcountry\tETH\t"), encoding="utf-8")
    return folder


def _year_shown(response) -> str | None:
    """The value of the year select in a page-render callback's JSON."""

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and props.get("id") == ids.YEAR_SELECT:
                yield props.get("value")
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    return next(walk(response.get_json()), None)


def test_the_default_year_of_a_cached_page_follows_the_data(writable_sqlite, tmp_path):
    client = make_app(writable_sqlite).server.test_client()
    body = router_body("/countries/ETH", "?lang=en")
    first = client.post("/_dash-update-component", json=body)
    assert first.data == client.post("/_dash-update-component", json=body).data  # served again
    assert _year_shown(first) == "2022"
    load_reference(writable_sqlite, read_reference(_ethiopia_gains_2025(tmp_path)))
    assert _year_shown(client.post("/_dash-update-component", json=body)) == "2025"
