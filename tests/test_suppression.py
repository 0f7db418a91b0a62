"""Small-cell suppression (issue 15): the rule (model/suppression.py) and its
application to frames of summary rows (data_access/suppression.py).

The end-to-end tests (pages, callbacks, exports, briefs on both backends) are
in tests/test_suppression_views.py."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config import Settings
from data_access.suppression import GROUP_KEY, suppressed_rows
from model.suppression import aggregate_is_suppressed, is_small, suppress_group

BELOW = 10


# --- the rule on one group ------------------------------------------------------------------


def test_small_part_takes_the_smallest_other_non_zero_part_with_it():
    result = suppress_group(40, {"sex": {"female": 4, "male": 36}}, BELOW)
    assert not result.total
    assert result.parts["sex"] == {"female", "male"}  # 40 - visible parts would give 4 back


def test_complement_is_the_smallest_remaining_part():
    parts = {"age": {"0-17": 3, "18-24": 25, "25-59": 12, "60+": 0}}
    result = suppress_group(40, parts, BELOW)
    assert result.parts["age"] == {"0-17", "25-59"}  # 12 is the smallest non-zero other part
    assert not result.hides("age", "60+")  # zero stays zero and visible


def test_complements_are_added_until_the_hidden_sum_is_not_small():
    # 1 + 1 = 2 would tell the reader that both hidden cells are 1.
    result = suppress_group(52, {"age": {"a": 1, "b": 1, "c": 20, "d": 30}}, BELOW)
    assert result.parts["age"] == {"a", "b", "c"}


def test_two_small_parts_that_reach_the_threshold_need_no_complement():
    result = suppress_group(30, {"sex": {"female": 6, "male": 5, "other": 19}}, BELOW)
    assert result.parts["sex"] == {"female", "male"}


def test_a_small_total_hides_every_non_zero_part_of_every_dimension():
    result = suppress_group(7, {"sex": {"female": 7, "male": 0}, "age": {"a": 3, "b": 4}}, BELOW)
    assert result.total
    assert result.parts == {"sex": {"female"}, "age": {"a", "b"}}


def test_all_parts_hidden_when_every_part_is_small():
    result = suppress_group(15, {"sex": {"female": 8, "male": 7}}, BELOW)
    assert not result.total and result.parts["sex"] == {"female", "male"}


def test_large_values_and_zeros_are_left_alone():
    result = suppress_group(0, {"sex": {"female": 0, "male": 0}}, BELOW)
    assert not result.total and result.parts["sex"] == set()
    result = suppress_group(120, {"sex": {"female": 50, "male": 70}}, BELOW)
    assert not result.total and result.parts["sex"] == set()


def test_parts_without_a_total_are_still_protected_together():
    result = suppress_group(None, {"sex": {"female": 2, "male": 30}}, BELOW)
    assert result.parts["sex"] == {"female", "male"}


def test_threshold_is_a_parameter():
    assert suppress_group(12, {}, 20).total
    assert not suppress_group(12, {}, 5).total
    assert is_small(1, 2) and not is_small(2, 2) and not is_small(0, 2)


def test_an_aggregate_with_a_hidden_cell_is_hidden():
    assert aggregate_is_suppressed([False, True, False])
    assert not aggregate_is_suppressed([False, False])


@pytest.mark.parametrize("raw", ["1", "0", "-3", "ten", "2.5"])
def test_suppress_below_must_be_a_whole_number_of_at_least_two(monkeypatch, raw):
    monkeypatch.setenv("SUPPRESS_BELOW", raw)
    with pytest.raises(SystemExit, match="SUPPRESS_BELOW must be a whole number of at least 2"):
        Settings.from_env()


def test_cache_entries_built_under_another_threshold_are_never_read():
    default, other = Settings(), Settings(suppress_below=5)
    assert default.cache_config()["CACHE_KEY_PREFIX"] == default.cache_key_prefix
    assert other.cache_config()["CACHE_KEY_PREFIX"] != default.cache_config()["CACHE_KEY_PREFIX"]


def test_suppress_below_is_read_from_the_environment(monkeypatch):
    monkeypatch.delenv("SUPPRESS_BELOW", raising=False)
    assert Settings.from_env().suppress_below == 10
    monkeypatch.setenv("SUPPRESS_BELOW", "5")
    assert Settings.from_env().suppress_below == 5


# --- frames of summary rows -----------------------------------------------------------------


def _row(value, dim="", part="", iso3="NER", year=2023, source=1, code="victims"):
    return {
        "indicator_code": code,
        "scope": "country",
        "country_iso3": iso3,
        "period_start": date(year, 1, 1),
        "period_end": date(year, 12, 31),
        "source_id": source,
        "breakdown_dim": dim,
        "breakdown_value": part,
        "value": float(value),
    }


def test_frame_groups_are_one_figure_and_its_parts():
    frame = pd.DataFrame(
        [
            _row(40),
            _row(4, "sex", "female"),
            _row(36, "sex", "male"),
            # Another country, another year and another source are other groups.
            _row(40, iso3="MLI"),
            _row(36, "sex", "male", iso3="MLI"),
            _row(4, "sex", "female", year=2022),
            _row(90, "sex", "male", year=2022),
            _row(4, "sex", "female", source=2),
            _row(8, source=2),
        ]
    )
    hidden = suppressed_rows(frame, BELOW).tolist()
    assert hidden == [False, True, True, False, False, True, True, True, True]
    assert set(GROUP_KEY) <= set(frame.columns)


# --- the property: nothing small is visible, nothing hidden is recoverable -------------------

PARTS = {"sex": ("female", "male"), "age_group": ("0-17", "18-59", "60+")}


@st.composite
def _groups(draw):
    """Random figures (countries x years x sources), each a total and its parts in
    some dimensions, the parts of a dimension summing to the total, many small."""
    small_or_not = st.one_of(st.integers(0, 12), st.integers(0, 400))
    rows = []
    for iso3 in draw(st.lists(st.sampled_from(["NER", "MLI", "LBY"]), min_size=1, max_size=3, unique=True)):
        for year in draw(st.lists(st.sampled_from([2021, 2022, 2023]), min_size=1, max_size=2, unique=True)):
            dims = draw(st.lists(st.sampled_from(sorted(PARTS)), max_size=2, unique=True))
            first = draw(st.lists(small_or_not, min_size=3, max_size=3))
            total = sum(first[: len(PARTS[dims[0]])]) if dims else draw(small_or_not)
            with_total = draw(st.booleans()) or not dims
            if with_total:
                rows.append(_row(total, iso3=iso3, year=year))
            for n, dim in enumerate(dims):
                keys = PARTS[dim]
                if n == 0:
                    values = first[: len(keys)]
                else:  # another split of the same total
                    cuts = sorted(
                        draw(st.lists(st.integers(0, total), min_size=len(keys) - 1, max_size=len(keys) - 1))
                    )
                    values = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
                rows.extend(_row(v, dim, k, iso3=iso3, year=year) for k, v in zip(keys, values, strict=True))
    return pd.DataFrame(rows)


@settings(max_examples=400, deadline=None)
@given(_groups(), st.integers(2, 15), st.data())
def test_no_small_value_is_visible_and_no_hidden_cell_is_recoverable(frame, below, data):
    hidden = suppressed_rows(frame, below)
    # Whatever a view fetches (a filter on places, years and one breakdown or the
    # totals), the cells it shows are decided over whole groups.
    isos = data.draw(st.sets(st.sampled_from(["NER", "MLI", "LBY"])))
    dim = data.draw(st.sampled_from(["", *sorted(PARTS)]))
    view = frame[(frame.country_iso3.isin(isos) | (not isos)) & (frame.breakdown_dim == dim)]
    visible = view[~hidden[view.index]]
    assert not any(is_small(v, below) for v in visible.value)

    for _key, group in frame.groupby(["country_iso3", "period_end"]):
        totals = group[group.breakdown_dim == ""]
        for dim_name, parts in group[group.breakdown_dim != ""].groupby("breakdown_dim"):
            shown, gone = parts[~hidden[parts.index]], parts[hidden[parts.index]]
            if totals.empty or hidden[totals.index].any():
                assert not any(is_small(v, below) for v in shown.value)
                continue
            if gone.empty:
                continue
            remainder = float(totals.value.iloc[0]) - float(shown.value.sum())
            # Total minus the visible parts is the sum of at least two hidden cells,
            # which is not small: no single hidden cell equals it or is pinned by it.
            assert len(gone) >= 2, (dim_name, parts.to_dict("records"))
            assert remainder >= below
            assert all(remainder != v for v in gone.value)

    # An aggregate over years or places (a sum of cells) is shown only when none of
    # its cells is hidden, so a visible aggregate minus visible cells gives nothing hidden.
    totals = frame[frame.breakdown_dim == ""]
    for _iso3, cells in totals.groupby("country_iso3"):
        if not aggregate_is_suppressed(hidden[cells.index]):
            assert not hidden[cells.index].any()
