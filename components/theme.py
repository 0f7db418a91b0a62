"""One Plotly figure template for every chart: palette, fonts, margins.

The palette is Okabe-Ito, readable with the common forms of colour blindness.
"""

from __future__ import annotations

import zlib

import plotly.graph_objects as go

from model.places import PROGRAMME

# Okabe-Ito, minus yellow (too little contrast on white for thin marks).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000")
# Light-to-dark single-hue scale for counts on the map (blue, colour-blind safe).
SEQUENTIAL = ("#deebf7", "#9ecae1", "#4292c6", "#08519c", "#08306b")
NO_DATA_GREY = "#d9d9d9"
# Every chart colours a country the same way, in every language and view: a
# fixed ISO3 -> colour map (the Okabe-Ito hues first, for the countries with the
# most figures, then Paul Tol's "muted" hues). Names, never colours alone, say
# which country a mark is: bars carry direct labels.
COUNTRY_COLOURS = {
    "NGA": "#0072B2",
    "ETH": "#D55E00",
    "LBY": "#009E73",
    "MLI": "#CC79A7",
    "EGY": "#56B4E9",
    "TUN": "#E69F00",
    "NER": "#000000",
    "AFG": "#332288",
    "DZA": "#117733",
    "TCD": "#999933",
    "IRQ": "#882255",
    "LBN": "#44AA99",
    "MAR": "#CC6677",
    "SDN": "#AA4499",
}
PROGRAMME_COLOUR = "#495057"  # programme-wide figures: grey, never a country's hue
FONT_FAMILY = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif'
)


def figure_template() -> go.layout.Template:
    """The COMPASS template; builders pass it explicitly (no global default)."""
    return go.layout.Template(
        layout={
            "font": {"family": FONT_FAMILY, "size": 13, "color": "#212529"},
            "colorway": list(PALETTE),
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
            "hoverlabel": {"font": {"family": FONT_FAMILY}},
            "xaxis": {"gridcolor": "#e9ecef", "zerolinecolor": "#adb5bd", "automargin": True},
            "yaxis": {"gridcolor": "#e9ecef", "zerolinecolor": "#adb5bd", "automargin": True},
        }
    )


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators for `lang` ('.,' or ', ')."""
    return ", " if lang == "fr" else ".,"


def place_colour(place: str) -> str:
    """The colour of a country (ISO3) or of "programme": fixed, so a country keeps
    its colour across charts, views and languages. A country outside the map gets
    a palette colour derived from its code, also fixed."""
    if place in COUNTRY_COLOURS:
        return COUNTRY_COLOURS[place]
    if place == PROGRAMME:
        return PROGRAMME_COLOUR
    return PALETTE[zlib.crc32(place.encode()) % len(PALETTE)]


def base_layout(fig: go.Figure, lang: str, title: str) -> go.Figure:
    """The template, the language's number separators and a left-aligned title."""
    fig.update_layout(
        template=figure_template(),
        separators=separators(lang),
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
    )
    return fig
