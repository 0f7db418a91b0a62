"""What a figure is beyond its number (model/figures.py) and how the cards use it."""

from __future__ import annotations

from datetime import date

import pytest

from components.formatting import period_label
from components.i18n import get_translator
from components.kpi import kpi_grid
from model.figures import figures_disagree, is_programme_fact, sources_differ
from model.kpi import Figure, Kpi
from tests.helpers import by_id, text_of, walk


@pytest.mark.parametrize(
    ("figures", "disagree"),
    [
        ([(35000, "more_than"), (35500, "exact")], False),  # a bound and a figure inside it
        ([(1013, "exact"), (1000, "approx")], False),  # a figure and its rounding
        ([(38862, "up_to"), (38862, "exact")], False),
        ([(30000, "more_than"), (35000, "more_than")], False),  # two lower bounds
        ([(14, "exact"), (12, "exact")], True),  # two sources, two numbers
        ([(100, "more_than"), (100, "exact")], True),  # "more than 100" excludes 100
        ([(90, "up_to"), (95, "exact")], True),
        ([(1000, "approx"), (1200, "exact")], True),  # too far to be its rounding
        ([(5, "exact")], False),
    ],
)
def test_figures_disagree_only_when_they_cannot_all_be_true(figures, disagree):
    assert figures_disagree(figures) is disagree


@pytest.mark.parametrize(
    ("figures", "differ"),
    [
        ([(1013, "exact", "a"), (1000, "approx", "a")], False),  # one article and its headline rounding
        ([(35500, "exact", "a"), (35000, "more_than", "a")], False),
        ([(181, "exact", "a"), (181, "exact", "b")], False),  # two documents, one figure
        ([(38862, "up_to", "en"), (38862, "exact", "fr")], True),  # two documents, worded differently
        ([(14, "exact", "a"), (12, "exact", "a")], True),  # cannot both be true
        ([(14, "exact", "a"), (12, "exact", "b")], True),
    ],
)
def test_sources_differ_unless_one_document_states_a_figure_and_its_rounding(figures, differ):
    assert sources_differ(figures) is differ


def test_programme_facts_are_marked_by_their_theme():
    assert is_programme_fact("programme") and not is_programme_fact("return")


def test_period_labels_say_cumulative():
    t = get_translator("fr")
    assert period_label(date(2022, 1, 1), date(2022, 12, 31), "fr", t) == "2022"
    assert period_label(date(2021, 1, 1), date(2022, 12, 31), "fr", t) == "Cumul 2021\u20132022"
    assert period_label(date(2021, 1, 1), date(2024, 2, 29), "en") == "Cumulative to February 2024"
    assert period_label(date(2021, 1, 1), date(2024, 2, 29), "fr", t) == "Cumul à fin février 2024"


def _figure(value: float, qualifier: str, title: str, start: date = date(2024, 1, 1)) -> Figure:
    return Figure(value, qualifier, start, date(2024, 12, 31), title, None, None, None)


def _kpi(code: str, name: str, *figures: Figure) -> Kpi:
    return Kpi(code=code, name=name, unit="people", definition="", figures=figures)


def test_different_numbers_from_different_sources_stay_visible_and_flagged():
    kpi = _kpi("a", "Returns", _figure(1400, "exact", "One"), _figure(1900, "exact", "Two"))
    tree = kpi_grid([kpi], 2024, "en", get_translator("en"))
    values = [text_of(n) for n in walk(tree) if "kpi-value" in (getattr(n, "className", "") or "")]
    assert values == ["1,400", "1,900"] and "Sources differ" in text_of(tree)


@pytest.mark.parametrize(
    ("lang", "one", "three"),
    [
        ("en", "Not published for 2024: B", "Not published for 2024: B, C, D"),
        ("fr", "Non publié pour 2024\u00a0: B", "Non publiés pour 2024\u00a0: B, C, D"),
    ],
)
def test_indicators_without_a_figure_share_one_line(lang, one, three):
    t = get_translator(lang)
    shown = _kpi("a", "A", _figure(5, "exact", "S"))
    cumulative_only = Kpi("e", "E", "people", "", cumulative=(_figure(9, "exact", "S", date(2021, 1, 1)),))
    empty = [_kpi(c, c.upper()) for c in "bcd"]
    tree = kpi_grid([shown, empty[0], cumulative_only], 2024, lang, t)
    assert text_of(by_id(tree, "kpis-not-published")) == one
    cards = [n for n in walk(tree) if "kpi-card" in (getattr(n, "className", "") or "")]
    assert len(cards) == 2  # A, and E with its cumulative figure; B has no card
    assert text_of(by_id(kpi_grid([shown, *empty], 2024, lang, t), "kpis-not-published")) == three
    nothing = kpi_grid(empty, 2024, lang, t)
    assert not [n for n in walk(nothing) if "kpi-card" in (getattr(n, "className", "") or "")]
