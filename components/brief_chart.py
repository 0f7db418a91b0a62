"""The country brief's chart, for its PDF: linear small multiples, one panel per
unit and period (`components.brief.brief_panels`).

Pure: panels in, a Plotly figure out (rendered by the warm renderer). The
PowerPoint deck draws the same panels as native charts (components.brief_pptx),
so both formats show the same bars. Each bar is written out with its
qualifier; a bound or an estimate ("more than", "about") is hatched, as in the explorer.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from html import escape

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components.brief import BriefPanel, panel_title
from components.figures import _base_layout
from components.theme import PALETTE

BAR_PX = 34  # one bar's row
PANEL_PX = 56  # a panel's title and its axis
GAP_PX = 64  # between two panels: the upper one's ticks, the lower one's title
LABEL_CHARS = 38  # an indicator's name is wrapped beyond this, left of its bar
LABEL_PX = 240  # left margin for the wrapped names
TEXT_PX = 130  # right margin for the figure written after the longest bar


def _wrapped(name: str) -> str:
    return "<br>".join(escape(line) for line in textwrap.wrap(name, LABEL_CHARS)) or " "


def brief_chart_height(panels: tuple[BriefPanel, ...]) -> int:
    """The figure's height in layout pixels: it grows with the bars, so one bar stays one bar's height."""
    bars = sum(len(p.kpis) for p in panels)
    return BAR_PX * bars + PANEL_PX * len(panels) + GAP_PX * max(len(panels) - 1, 0) + 20


def brief_figure(panels: tuple[BriefPanel, ...], lang: str, t: Callable[[str], str]) -> go.Figure:
    """One horizontal-bar panel per unit and period, on linear axes starting at zero."""
    height = brief_chart_height(panels)
    rows = [BAR_PX * len(p.kpis) + PANEL_PX for p in panels]
    fig = make_subplots(
        rows=len(panels),
        cols=1,
        subplot_titles=[escape(panel_title(p, t)) for p in panels],
        row_heights=rows,
        vertical_spacing=GAP_PX / height if len(panels) > 1 else 0,
    )
    for row, panel in enumerate(panels, start=1):
        kpis = panel.kpis
        fig.add_trace(
            go.Bar(
                orientation="h",
                x=[k.value for k in kpis],
                y=[_wrapped(k.indicator) for k in kpis],
                text=[escape(k.label) for k in kpis],
                textposition="outside",
                cliponaxis=False,
                marker={
                    "color": PALETTE[0],
                    "pattern": {
                        "shape": ["" if k.qualifier == "exact" else "/" for k in kpis],
                        "fgcolor": "white",
                        "fillmode": "overlay",
                        "solidity": 0.3,
                    },
                },
                hoverinfo="skip",
                showlegend=False,
            ),
            row=row,
            col=1,
        )
        fig.update_yaxes(autorange="reversed", row=row, col=1)
        fig.update_xaxes(type="linear", rangemode="tozero", tickformat=",~g", row=row, col=1)
    _base_layout(fig, lang, "")
    fig.update_layout(
        height=height,
        bargap=0.35,
        margin={"l": LABEL_PX, "r": TEXT_PX, "t": 30, "b": 10},
        uniformtext={"mode": False},
    )
    fig.update_annotations(font_size=13, x=0, xanchor="left", xref="paper")  # panel titles, on the left
    return fig
