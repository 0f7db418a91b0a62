"""The "synthetic data" warning shown on every page while generated figures are loaded."""

from __future__ import annotations

from dash import html

from components.i18n import N_, get_translator
from config import LANGUAGES

TITLE = N_("Synthetic data:")
MESSAGE = N_(
    "This database contains synthetic data generated for tests and benchmarks: "
    "these figures are not real COMPASS results."
)


def synthetic_banner(component_id: str) -> html.Div:
    """A warning that cannot be dismissed, in every UI language.

    It sits in the root layout, which client-side navigation (and a switch of
    language) does not re-render, so it holds each language's text with its
    `lang`; assets/compass.css shows the one matching <html lang>, which the
    navigation callbacks keep in step with the page."""
    texts = []
    for lang in LANGUAGES:
        t = get_translator(lang)
        texts.append(
            html.P(
                [html.Strong(t(TITLE)), " ", t(MESSAGE)],
                lang=lang,
                className="synthetic-banner-text mb-0",
            )
        )
    return html.Div(texts, id=component_id, role="alert", className="alert alert-warning synthetic-banner")
