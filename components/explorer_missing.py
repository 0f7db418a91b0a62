"""What the explorer's chosen view lacks: each chosen indicator, place and year
with no published figure, said in words instead of a bar silently missing
("Nothing published for Egypt, Libya, Tunisia for Stakeholders trained in 2022").

Pure: the view's figures and choices in, sentences out. A place or year that was
not chosen ("every country", "every year") is not listed one by one: only an
indicator with nothing at all for the choice is then said to be missing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from components.i18n import LIST_COMMA
from model.places import PROGRAMME


def _places_of(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(
        [
            PROGRAMME if scope == "programme" else iso3
            for scope, iso3 in zip(frame.scope, frame.country_iso3, strict=True)
        ],
        index=frame.index,
        dtype=object,
    )


def missing_combinations(
    frame: pd.DataFrame,
    indicators: Sequence[str],
    places: Sequence[str],
    years: Sequence[int],
) -> list[tuple[str, tuple[str, ...], int | None]]:
    """(indicator, places without a figure, year) for each chosen indicator and
    year (None: any year) lacking figures; places () when none was chosen and the
    indicator has nothing at all. In the order of the choices."""
    located = frame.assign(place=_places_of(frame)) if not frame.empty else frame.assign(place=[])
    found = {
        (c, p, int(y)) for c, p, y in zip(located.indicator_code, located.place, located.year, strict=True)
    }
    missing = []
    for code in indicators:
        for year in list(years) or [None]:
            have = {p for c, p, y in found if c == code and (year is None or y == year)}
            if places:
                lacking = tuple(p for p in places if p not in have)
                if lacking:
                    missing.append((code, lacking, year))
            elif not have:
                missing.append((code, (), year))
    return missing


def missing_sentences(
    missing: Sequence[tuple[str, tuple[str, ...], int | None]],
    indicator_names: Mapping[str, str],
    place_names: Mapping[str, str],
    t: Callable[[str], str],
) -> list[str]:
    """Each missing combination as a sentence in the page language."""
    sentences = []
    for code, places, year in missing:
        indicator = indicator_names.get(code, code)
        where = t(LIST_COMMA).join(place_names.get(p, p) for p in places)
        if places and year is not None:
            text = t("Nothing published for {places} for {indicator} in {year}.")
        elif places:
            text = t("Nothing published for {places} for {indicator} in any year.")
        elif year is not None:
            text = t("Nothing published for {indicator} in {year}.")
        else:
            text = t("Nothing published for {indicator}.")
        sentences.append(text.format(places=where, indicator=indicator, year=year))
    return sentences
