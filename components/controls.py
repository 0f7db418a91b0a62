"""Form controls shared by the pages whose controls live in the URL."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from dash import dcc


def dropdown_labels(t: Callable[[str], str]) -> dict:
    """dcc.Dropdown's own texts (select all, search...) in the page language."""
    return {
        "select_all": t("Select all"),
        "deselect_all": t("Deselect all"),
        "selected_count": t("{num_selected} selected"),
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
    t: Callable[[str], str],
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
