"""Form controls shared by the pages whose controls live in the URL."""

from __future__ import annotations

from collections.abc import Iterable

from dash import dcc

from components.i18n import Translator

SHOWN_FROM = 2  # the fewest chosen options for which dcc.Dropdown shows its count


def dropdown_labels(t: Translator) -> dict:
    """dcc.Dropdown's own texts (select all, search...) in the page language."""
    return {
        "select_all": t("Select all"),
        "deselect_all": t("Deselect all"),
        # dcc.Dropdown fills in {num_selected} itself and shows the count only when
        # two or more are chosen (dash/dcc/async-dropdown.js: `length > 1`): the
        # catalog's plural form for 2 is the one every reader sees.
        "selected_count": t.plural("{num_selected} selected", "{num_selected} selected", SHOWN_FROM),
        "search": t("Search"),
        "clear_search": t("Clear search"),
        "clear_selection": t("Clear selection"),
        "no_options_found": t("No options found"),
    }


def multi_select(
    control_id: str,
    options: list[dict],
    value: Iterable[str] | None,
    placeholder: str,
    t: Translator,
    class_name: str,
) -> dcc.Dropdown:
    """A multi-select that sends its value when its menu closes (one new URL per choice made)."""
    return dcc.Dropdown(
        id=control_id,
        options=options,
        value=list(value or ()),
        multi=True,
        placeholder=placeholder,
        closeOnSelect=False,
        debounce=True,
        labels=dropdown_labels(t),
        className=class_name,
    )
