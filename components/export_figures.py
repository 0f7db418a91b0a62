"""Dress a chart for a file: title, the filters it shows, its source and the export date.

A PNG or PDF leaves the dashboard without the page around it, so everything a
reader needs to trust and cite it is drawn into the image itself. Pure
functions: a figure from `components.figures` in, a new figure out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

import pandas as pd
import plotly.graph_objects as go

from components.formatting import format_day
from components.i18n import N_

SOURCE_CAPTION = N_("Source: IOM COMPASS programme publications, compiled by the COMPASS Dashboard")
CAPTION_SOURCES = 3  # sources named in a chart's caption before "and N more"
CAPTION_TITLE_CHARS = 70  # a source title is cut beyond this in a caption
CAPTION_LINE_CHARS = 150  # an 11 px caption line of a 1000 px chart, generously
TITLE_BLUE = "#0b4f8a"
CAPTION_GREY = "#495057"
HEADER_PX = 78  # title and filter line above the plot
ABOVE_PLOT_PX = 30  # a first panel's title or a legend drawn above the plot area
FOOTER_LINE_PX = 16  # one caption line below the plot
FOOTER_PAD_PX = 14
AXIS_PX = 44  # tick labels and title of a bottom x axis
PAD_PX = 8
SIDE_PX = 16  # left edge of the title and caption
CHAR_PX = 6.8  # average width of a 13 px tick-label character, generously
MIN_PLOT_PX = 480  # the bars keep at least this much width beside long labels


@dataclass(frozen=True)
class ExportFrame:
    """What is drawn around the chart, already in the reader's language."""

    title: str
    filters: tuple[tuple[str, str], ...]  # (label, value), e.g. ("Year", "2022")
    filter_line: str  # "Year: 2022 · Language: English"
    caption: str  # the source line(s), joined by a space
    exported: str  # "Exported on Nov 26, 2026"
    note: str = ""  # a line the chart needs away from the page, e.g. what grey means
    caption_lines: tuple[str, ...] = ()  # the caption as drawn: wrapped to the chart's width

    @property
    def footer_lines(self) -> list[str]:
        caption = list(self.caption_lines) or [self.caption]
        return [line for line in (self.note, *caption, self.exported) if line]

    @property
    def footer_px(self) -> int:
        return FOOTER_PAD_PX + FOOTER_LINE_PX * len(self.footer_lines)


def export_frame(
    title: str,
    filters: Sequence[tuple[str, str]],
    lang: str,
    t: Callable[[str], str],
    exported_on: date,
    note: str = "",
    cited: Sequence[pd.DataFrame] = (),
) -> ExportFrame:
    """The frame of an exported chart, with the source caption and export date in `lang`.

    `cited` are the rows the chart draws (with `source_title`, `source_publisher`):
    the caption names their sources; without them it names the programme's publications."""
    lines = source_caption(cited, t) if cited else ()
    return ExportFrame(
        title=title,
        filters=tuple(filters),
        filter_line=" \u00b7 ".join(
            t("{label}: {value}").format(label=label, value=value) for label, value in filters
        ),
        caption=" ".join(lines) if lines else t(SOURCE_CAPTION),
        exported=t("Exported on {date}").format(date=format_day(exported_on, lang)),
        note=note,
        caption_lines=tuple(lines),
    )


def _cut(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "\u2026"


def cited_sources(frames: Iterable[pd.DataFrame]) -> list[str]:
    """Each source document the rows cite once, in first-cited order: its title,
    with its publisher when the title does not already name it."""
    named: dict[str, None] = {}
    for frame in frames:
        if frame is None or frame.empty or "source_title" not in frame:
            continue
        publishers = frame["source_publisher"] if "source_publisher" in frame else [""] * len(frame)
        for title, publisher in zip(frame["source_title"], publishers, strict=True):
            title = _cut(str(title), CAPTION_TITLE_CHARS)
            publisher = publisher if isinstance(publisher, str) else ""
            if publisher and publisher.lower() not in title.lower():
                title = f"{title} ({publisher})"
            named.setdefault(title)
    return list(named)


def source_caption(frames: Sequence[pd.DataFrame], t) -> list[str]:
    """'Sources: A; B; C and 2 more. Compiled by the COMPASS Dashboard.', wrapped
    into lines of a chart's width; empty when the rows cite nothing."""
    sources = cited_sources(frames)
    if not sources:
        return []
    shown = "; ".join(sources[:CAPTION_SOURCES])
    more = len(sources) - CAPTION_SOURCES
    if more > 0:
        shown = t.plural("{sources} and {count} more", "{sources} and {count} more", more).format(
            sources=shown, count=more
        )
    head = t.plural("Source: {sources}.", "Sources: {sources}.", len(sources)).format(sources=shown)
    compiled = t("Compiled by the COMPASS Dashboard.")
    return _wrap(f"{head} {compiled}", CAPTION_LINE_CHARS)


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters, broken between words."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _above_plot_px(fig: go.Figure) -> int:
    """Room for what the chart draws above its plot area (the first panel's title,
    a legend at the top), so that the filter line never touches it."""
    above = any(
        a.yref == "paper" and a.y is not None and a.y >= 1 and a.yanchor == "bottom"
        for a in fig.layout.annotations
    )
    legend = fig.layout.legend
    shown = fig.layout.showlegend is not False and any(tr.showlegend is not False for tr in fig.data)
    legend_above = legend.y is not None and legend.y >= 1 and shown and len(fig.data) > 1
    return ABOVE_PLOT_PX if above or legend_above else 0


def _header_px(fig: go.Figure) -> int:
    return HEADER_PX + _above_plot_px(fig)


def _has_bottom_axis(fig: go.Figure) -> bool:
    return any(trace.type in ("bar", "scatter", "histogram", "box") for trace in fig.data)


def _label_px(fig: go.Figure) -> int:
    """Room for the longest category label left of horizontal bars, estimated.

    Used as the left margin with automargin still on: labels never clip, and the
    margin is known, so the caption can be placed on the figure's left edge."""
    labels = [
        str(y)
        for trace in fig.data
        if trace.type == "bar" and trace.orientation == "h"
        for y in trace.y or ()
    ]
    if not labels:
        return 0
    return int(max(len(label) for label in labels) * CHAR_PX) + 2 * SIDE_PX


def export_size(fig: go.Figure, frame: ExportFrame, min_width: int) -> tuple[int, int]:
    """(width, height) of the decorated figure: the chart's own height plus header
    and footer; wider than `min_width` when long labels would squeeze the bars."""
    own = fig.layout.height or 450
    height = own + _header_px(fig) + frame.footer_px + (AXIS_PX if _has_bottom_axis(fig) else 0)
    right = max(fig.layout.margin.r or 0, SIDE_PX)
    width = max(min_width, _label_px(fig) + MIN_PLOT_PX + right)
    return int(width), int(height)


def decorate(fig: go.Figure, frame: ExportFrame, min_width: int) -> go.Figure:
    """A copy of `fig` with the title, filter line, source caption and export date
    drawn in; its size is `export_size(fig, frame, min_width)`, so the chart keeps its height."""
    out = go.Figure(fig)
    margin = out.layout.margin
    width, height = export_size(fig, frame, min_width)
    axis = AXIS_PX if _has_bottom_axis(out) else 0
    top, bottom = _header_px(out), (margin.b or 0) + axis + frame.footer_px
    left = max(margin.l or 0, _label_px(out), SIDE_PX)
    right = max(margin.r or 0, SIDE_PX)
    plot_height, plot_width = height - top - bottom, width - left - right
    out.update_layout(
        width=width,
        height=height,
        margin={"t": top, "b": bottom, "l": left, "r": right},
        title={
            "text": f"<b>{escape(frame.title)}</b>",
            "subtitle": {"text": escape(frame.filter_line), "font": {"size": 13, "color": CAPTION_GREY}},
            "x": SIDE_PX / width,
            "xref": "container",
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 14},
            "font": {"size": 19, "color": TITLE_BLUE},
        },
    )
    if axis:
        # Without a standoff, automargin puts the axis title at the margin's far edge.
        out.update_xaxes(title_standoff=6)
    # Paper coordinates are relative to the plot area, whose margins are set above:
    # this puts the caption in the figure's bottom-left corner.
    out.add_annotation(
        text="<br>".join(escape(line) for line in frame.footer_lines),
        xref="paper",
        yref="paper",
        x=-(left - SIDE_PX) / plot_width,
        y=-(bottom - PAD_PX) / plot_height,
        xanchor="left",
        yanchor="bottom",
        align="left",
        showarrow=False,
        font={"size": 11, "color": CAPTION_GREY},
    )
    return out
