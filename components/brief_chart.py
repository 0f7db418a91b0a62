"""The country brief's chart, for its PDF: linear small multiples, one panel per
unit and period (`components.brief.brief_panels`).

Pure: panels in, a Plotly figure out (rendered by the warm renderer). The
PowerPoint deck draws the same panels as native charts (components.brief_pptx),
so both formats show the same bars. Each bar is written out with its
qualifier; a bound or an estimate ("more than", "about") is hatched, as in the explorer.
Right to left (Arabic), the panels are mirrored: names and panel titles on the
right, bars growing leftwards, text in the brief's Amiri.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from html import escape

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components.brief import BriefPanel, panel_title
from components.export_figures import ARABIC_FONT_FAMILY, PDI, RLI
from components.figures import _base_layout
from components.i18n import text_direction
from components.theme import PALETTE

BAR_PX = 34  # one bar's row
PANEL_PX = 56  # a panel's title and its axis
GAP_PX = 64  # between two panels: the upper one's ticks, the lower one's title
LABEL_CHARS = 38  # an indicator's name is wrapped beyond this, left of its bar
LABEL_PX = 240  # left margin for the wrapped names
TEXT_PX = 130  # right margin for the figure written after the longest bar


def _wrapped(name: str, rtl: bool = False) -> str:
    lines = [escape(line) for line in textwrap.wrap(name, LABEL_CHARS)]
    if rtl:  # each line read from the right, whatever the chart's own direction
        lines = [f"{RLI}{line}{PDI}" for line in lines]
    return "<br>".join(lines) or " "


def brief_chart_height(panels: tuple[BriefPanel, ...]) -> int:
    """The figure's height in layout pixels: it grows with the bars, so one bar stays one bar's height."""
    bars = sum(len(p.kpis) for p in panels)
    return BAR_PX * bars + PANEL_PX * len(panels) + GAP_PX * max(len(panels) - 1, 0) + 20


def brief_figure(panels: tuple[BriefPanel, ...], lang: str, t: Callable[[str], str]) -> go.Figure:
    """One horizontal-bar panel per unit and period, on linear axes starting at zero."""
    height = brief_chart_height(panels)
    rtl = text_direction(lang) == "rtl"
    rows = [BAR_PX * len(p.kpis) + PANEL_PX for p in panels]
    fig = make_subplots(
        rows=len(panels),
        cols=1,
        subplot_titles=[
            _wrapped(panel_title(p, t), rtl) if rtl else escape(panel_title(p, t)) for p in panels
        ],
        row_heights=rows,
        vertical_spacing=GAP_PX / height if len(panels) > 1 else 0,
    )
    for row, panel in enumerate(panels, start=1):
        kpis = panel.kpis
        fig.add_trace(
            go.Bar(
                orientation="h",
                x=[k.value for k in kpis],
                y=[_wrapped(k.indicator, rtl) for k in kpis],
                text=[f"{RLI}{escape(k.label)}{PDI}" if rtl else escape(k.label) for k in kpis],
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
        if rtl:  # zero on the right, the names right of it
            fig.update_xaxes(autorange="reversed", row=row, col=1)
            fig.update_yaxes(side="right", row=row, col=1)
    _base_layout(fig, lang, "")
    left, right = (TEXT_PX, LABEL_PX) if rtl else (LABEL_PX, TEXT_PX)
    fig.update_layout(
        height=height,
        bargap=0.35,
        margin={"l": left, "r": right, "t": 30, "b": 10},
        uniformtext={"mode": False},
    )
    if rtl:
        fig.update_layout(font_family=ARABIC_FONT_FAMILY)
    # Panel titles where a line starts: on the left, on the right right to left.
    fig.update_annotations(font_size=13, x=1 if rtl else 0, xanchor="right" if rtl else "left", xref="paper")
    return fig
