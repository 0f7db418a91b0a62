"""One Plotly figure template for every chart: palette, fonts, margins.

The palette is Okabe-Ito, readable with the common forms of colour blindness.
"""

from __future__ import annotations

import plotly.graph_objects as go

# Okabe-Ito, minus yellow (too little contrast on white for thin marks).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000")
# Light-to-dark single-hue scale for counts on the map (blue, colour-blind safe).
SEQUENTIAL = ("#deebf7", "#9ecae1", "#4292c6", "#08519c", "#08306b")
NO_DATA_GREY = "#d9d9d9"
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
