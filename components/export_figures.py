"""Dress a chart for a file: title, the filters it shows, its source and the export date.

A PNG or PDF leaves the dashboard without the page around it, so everything a
reader needs to trust and cite it is drawn into the image itself. Pure
functions: a figure from `components.figures` in, a new figure out.

In a right-to-left language (Arabic) the title, filter line and caption stand on
the right, each line a right-to-left paragraph (wrapped in Unicode's RLI...PDI:
an exported chart has no page whose `dir` its text would inherit), and the text
is set in the vendored Amiri first (components/export_render.py gives it to the
browser), so the file's Arabic letters never depend on the machine's fonts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from html import escape

import pandas as pd
import plotly.graph_objects as go

from components.formatting import format_day
from components.i18n import N_, text_direction
from components.theme import FONT_FAMILY

SOURCE_CAPTION = N_("Source: IOM COMPASS programme publications, compiled by the COMPASS Dashboard")
CAPTION_SOURCES = 3  # sources named in a chart's caption before "and N more"
CAPTION_TITLE_CHARS = 70  # a source title is cut beyond this in a caption
CAPTION_LINE_CHARS = 150  # an 11 px caption line of a 1000 px chart, generously
TITLE_BLUE = "#0b4f8a"
CAPTION_GREY = "#495057"
HEADER_PX = 78  # title and filter line above the plot
ABOVE_PLOT_PX = 30  # a first panel's title or a legend drawn above the plot area
TOP_EDGE = 0.999  # paper y of the plot's top edge (make_subplots writes 0.9999999999999999)
SUBTITLE_CHAR_PX = 7.4  # average width of a 13 px filter-line character, generously
SUBTITLE_LINE_PX = 18  # each further line of a wrapped filter line
LEGEND_ITEM_PX = 50  # a legend item's symbol and gaps, beside its name
LEGEND_ROW_PX = 26  # one row of a horizontal legend
FOOTER_LINE_PX = 16  # one caption line below the plot
FOOTER_PAD_PX = 14
AXIS_PX = 44  # tick labels and title of a bottom x axis
PAD_PX = 8
SIDE_PX = 16  # left edge of the title and caption
CHAR_PX = 6.8  # average width of a 13 px tick-label character, generously
MIN_PLOT_PX = 480  # the bars keep at least this much width beside long labels
ARABIC_FONT_FAMILY = f'"Amiri", {FONT_FAMILY}'  # Amiri: assets/fonts/, given to the renderer
RLI, FSI, PDI = "\u2067", "\u2068", "\u2069"  # isolates: right to left, of their own first letter


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
    rtl: bool = False  # drawn right to left (Arabic)

    @property
    def footer_lines(self) -> list[str]:
        caption = list(self.caption_lines) or [self.caption]
        return [line for line in (self.note, *caption, self.exported) if line]

    @property
    def footer_px(self) -> int:
        return FOOTER_PAD_PX + FOOTER_LINE_PX * len(self.footer_lines)


# The first caption line of a chart, brief or preview drawing an internal figure
# (issue 15): only an audience that sees internal rows gets such a file.
INTERNAL_CAPTION = N_("Includes internal figures: not published, for staff only.")


def includes_internal(rows: pd.DataFrame) -> bool:
    """Whether `rows` (read for an audience that sees internal rows) hold an internal one."""
    return "internal" in rows.columns and bool(rows["internal"].astype(bool).any())


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
    rtl = text_direction(lang) == "rtl"
    lines = source_caption(cited, t, rtl) if cited else ()
    frame = ExportFrame(
        title=title,
        filters=tuple(filters),
        filter_line=" \u00b7 ".join(
            t("{label}: {value}").format(label=label, value=value) for label, value in filters
        ),
        caption=" ".join(lines) if lines else t(SOURCE_CAPTION),
        exported=t("Exported on {date}").format(date=format_day(exported_on, lang)),
        note=note,
        caption_lines=tuple(lines),
        rtl=rtl,
    )
    return with_internal_note(frame, cited, t)


def with_internal_note(
    frame: ExportFrame, drawn: Sequence[pd.DataFrame], t: Callable[[str], str]
) -> ExportFrame:
    """`frame` whose caption starts by saying that internal figures are included,
    when any of the `drawn` rows is internal (staff files only: the public's have none)."""
    if not any(includes_internal(rows) for rows in drawn):
        return frame
    lines = (t(INTERNAL_CAPTION), *(frame.caption_lines or (frame.caption,)))
    return replace(frame, caption=" ".join(lines), caption_lines=lines)


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


def source_caption(frames: Sequence[pd.DataFrame], t, rtl: bool = False) -> list[str]:
    """'Sources: A; B; C and 2 more. Compiled by the COMPASS Dashboard.', wrapped
    into lines of a chart's width; empty when the rows cite nothing. Right to left
    (`rtl`), each source's title is an isolate (FSI...PDI), so a Latin title keeps
    its own punctuation; an isolate cut by a line break is closed and reopened."""
    sources = cited_sources(frames)
    if not sources:
        return []
    shown = "; ".join(f"{FSI}{s}{PDI}" if rtl else s for s in sources[:CAPTION_SOURCES])
    more = len(sources) - CAPTION_SOURCES
    if more > 0:
        shown = t.plural("{sources} and {count} more", "{sources} and {count} more", more).format(
            sources=shown, count=more
        )
    head = t.plural("Source: {sources}.", "Sources: {sources}.", len(sources)).format(sources=shown)
    compiled = t("Compiled by the COMPASS Dashboard.")
    lines = _wrap(f"{head} {compiled}", CAPTION_LINE_CHARS)
    return _balanced(lines) if rtl else lines


def _balanced(lines: list[str]) -> list[str]:
    """Lines in which every isolate opened is closed: one cut by a line break is
    closed at the end of the line and opened again at the start of the next."""
    out, carried = [], ""
    for line in lines:
        line = carried + line
        depth = max(line.count(FSI) - line.count(PDI), 0)
        out.append(line + PDI * depth)
        carried = FSI * depth
    return out


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
        a.yref == "paper" and a.y is not None and a.y >= TOP_EDGE and a.yanchor == "bottom"
        for a in fig.layout.annotations
    )
    legend = fig.layout.legend
    legend_above = legend.y is not None and legend.y >= TOP_EDGE and bool(_legend_entries(fig))
    return ABOVE_PLOT_PX if above or legend_above else 0


def _legend_entries(fig: go.Figure) -> list[str]:
    """The names the legend lists (plotly shows none for a single trace unless asked)."""
    if fig.layout.showlegend is False or (fig.layout.showlegend is None and len(fig.data) < 2):
        return []
    return list(dict.fromkeys(tr.name for tr in fig.data if tr.showlegend is not False and tr.name))


def _legend_below_px(fig: go.Figure, plot_width: int) -> int:
    """Room for a legend drawn under the plot, its rows estimated from its names."""
    legend = fig.layout.legend
    entries = _legend_entries(fig)
    if legend.y is None or legend.y >= 0 or not entries:
        return 0
    rows, used = 1, 0.0
    for name in entries:
        item = LEGEND_ITEM_PX + CHAR_PX * len(name)
        if used and used + item > plot_width:
            rows, used = rows + 1, 0.0
        used += item
    return rows * LEGEND_ROW_PX + PAD_PX


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


def _labels_on_the_right(fig: go.Figure) -> bool:
    """Whether the horizontal bars' category axis stands on the right (a right-to-left chart)."""
    layout = fig.layout
    axes = [layout[name] for name in layout if name.startswith("yaxis")] or [layout.yaxis]
    return any(axis.side == "right" for axis in axes)


@dataclass(frozen=True)
class _Geometry:
    """Where everything of a decorated chart goes, in layout pixels."""

    width: int
    height: int
    top: int
    bottom: int
    left: int
    right: int
    axis: int  # room for the bottom axis's ticks and title
    legend: int  # room for a legend under the plot
    filter_lines: tuple[str, ...]  # the filter line, wrapped to the width

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom


def _geometry(fig: go.Figure, frame: ExportFrame, min_width: int) -> _Geometry:
    """The chart keeps its own height; header (title, wrapped filter line, what
    the chart draws above its plot) and footer (axis, legend, caption) are added."""
    margin = fig.layout.margin
    labels = _label_px(fig)
    if _labels_on_the_right(fig):  # a right-to-left chart: its category names right of the bars
        left = max(margin.l or 0, SIDE_PX)
        right = max(margin.r or 0, labels, SIDE_PX)
        width = max(min_width, labels + MIN_PLOT_PX + left)
    else:
        right = max(margin.r or 0, SIDE_PX)
        width = max(min_width, labels + MIN_PLOT_PX + right)
        left = max(margin.l or 0, labels, SIDE_PX)
    lines = tuple(_wrap(frame.filter_line, int((width - 2 * SIDE_PX) / SUBTITLE_CHAR_PX))) or ("",)
    top = HEADER_PX + SUBTITLE_LINE_PX * (len(lines) - 1) + _above_plot_px(fig)
    axis = AXIS_PX if _has_bottom_axis(fig) else 0
    legend = _legend_below_px(fig, width - left - right)
    bottom = (margin.b or 0) + axis + legend + frame.footer_px
    own = fig.layout.height or 450
    height = own + top + frame.footer_px + axis + legend
    return _Geometry(int(width), int(height), top, bottom, left, right, axis, legend, lines)


def export_size(fig: go.Figure, frame: ExportFrame, min_width: int) -> tuple[int, int]:
    """(width, height) of the decorated figure: the chart's own height plus header
    and footer; wider than `min_width` when long labels would squeeze the bars."""
    geometry = _geometry(fig, frame, min_width)
    return geometry.width, geometry.height


def _lines(lines: Iterable[str], rtl: bool) -> str:
    """Lines as plotly's text: escaped, joined by <br>, each isolated right to left if `rtl`."""
    return "<br>".join(f"{RLI}{escape(line)}{PDI}" if rtl else escape(line) for line in lines)


def decorate(fig: go.Figure, frame: ExportFrame, min_width: int) -> go.Figure:
    """A copy of `fig` with the title, filter line, source caption and export date
    drawn in; its size is `export_size(fig, frame, min_width)`, so the chart keeps its height.
    Right to left (`frame.rtl`), they stand on the right."""
    out = go.Figure(fig)
    g = _geometry(fig, frame, min_width)
    rtl = frame.rtl
    if rtl:
        out.update_layout(font_family=ARABIC_FONT_FAMILY)
    out.update_layout(
        width=g.width,
        height=g.height,
        margin={"t": g.top, "b": g.bottom, "l": g.left, "r": g.right},
        title={
            "text": f"<b>{_lines([frame.title], rtl)}</b>",
            "subtitle": {
                "text": _lines(g.filter_lines, rtl),
                "font": {"size": 13, "color": CAPTION_GREY},
            },
            "x": 1 - SIDE_PX / g.width if rtl else SIDE_PX / g.width,
            "xref": "container",
            "xanchor": "right" if rtl else "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 14},
            "font": {"size": 19, "color": TITLE_BLUE},
        },
    )
    if g.axis:
        # Without a standoff, automargin puts the axis title at the margin's far edge.
        out.update_xaxes(title_standoff=6)
    if g.legend:
        # Under the axis, above the caption: in the room kept for it.
        out.update_layout(legend={"y": -(g.axis + PAD_PX) / g.plot_height, "yanchor": "top"})
    # Paper coordinates are relative to the plot area, whose margins are set above:
    # this puts the caption in the figure's bottom-left corner (bottom-right, right to left).
    out.add_annotation(
        text=_lines(frame.footer_lines, rtl),
        xref="paper",
        yref="paper",
        x=1 + (g.right - SIDE_PX) / g.plot_width if rtl else -(g.left - SIDE_PX) / g.plot_width,
        y=-(g.bottom - PAD_PX) / g.plot_height,
        xanchor="right" if rtl else "left",
        yanchor="bottom",
        align="right" if rtl else "left",
        showarrow=False,
        font={"size": 11, "color": CAPTION_GREY},
    )
    return out


# --- link-preview cards (og:image): the same decorated chart, at 1200 x 630 -------------------------

CARD_PX = (1200, 630)  # what Open Graph and Twitter's large card show
CARD_STEP = (40, 21)  # the card's ratio in whole numbers: layouts of n steps render exactly
CARD_MIN_WIDTH = 1000  # layout pixels: the card's text is drawn at 1.2 times the export's
CARD_MIN_PLOT_PX = 240  # the chart keeps at least this height beside its title and caption


def card_layout(fig: go.Figure, frame: ExportFrame) -> tuple[go.Figure, int, int, float]:
    """`fig` decorated like an export (title, filter line, sources, date), sized to
    the card's ratio: (figure, layout width, layout height, scale) where width and
    height times scale are exactly CARD_PX. A short chart grows to fill the card;
    a tall one (several panels) keeps its own height, never squeezed into
    overlapping labels: the layout grows instead, and the scale shrinks it back
    (smaller text rather than a cut caption)."""
    out = go.Figure(fig)
    step_w, step_h = CARD_STEP
    steps = math.ceil(CARD_MIN_WIDTH / step_w)
    own = out.layout.height or 450
    least = CARD_MIN_PLOT_PX if _fits_any_height(out) else max(CARD_MIN_PLOT_PX, own)
    for _ in range(4):  # the header's wrapping depends on the width: converges in two
        width, height = steps * step_w, steps * step_h
        got_w, got_h = export_size(out, frame, width)
        overhead = got_h - own
        needed = max(math.ceil(got_w / step_w), math.ceil((overhead + least) / step_h))
        if needed > steps:
            steps = needed
            continue
        out.update_layout(height=height - overhead)
        break
    width, height = steps * step_w, steps * step_h
    return decorate(out, frame, width), width, height, CARD_PX[0] / width


def _fits_any_height(fig: go.Figure) -> bool:
    """A map or a text card is drawn at any height; bars and their labels are not
    (squeezed, a panel's title runs into its labels)."""
    return all(trace.type in ("choropleth", "scattergeo") for trace in fig.data)


def _card_text(fig: go.Figure, text: str, y: float, size: int, colour: str, rtl: bool = False) -> None:
    """One block of a text card, at height `y` of the picture: on the left, or on the right right to left."""
    fig.add_annotation(
        text=text,
        x=1 if rtl else 0,
        y=y,
        xref="paper",
        yref="paper",
        xanchor="right" if rtl else "left",
        align="right" if rtl else "left",
        showarrow=False,
        font={"size": size, "color": colour},
    )


def text_card(headline: str, lines: Sequence[str], rtl: bool = False) -> go.Figure:
    """A chart-less picture for pages without a chart (partners, data): a large
    headline and a few lines, in the theme's colours; decorate it like a chart
    (right to left, `rtl`, as an Arabic export is)."""
    fig = go.Figure()
    fig.update_xaxes(visible=False, range=[0, 1])
    fig.update_yaxes(visible=False, range=[0, 1])
    headline_html = "<br>".join(f"<b>{_lines([line], rtl)}</b>" for line in headline.split("\n"))
    _card_text(fig, headline_html, 0.62, 44, TITLE_BLUE, rtl)
    _card_text(fig, _lines(lines, rtl), 0.42, 20, CAPTION_GREY, rtl)
    fig.update_layout(height=400, margin={"l": SIDE_PX, "r": SIDE_PX, "t": 0, "b": 0}, plot_bgcolor="white")
    return fig
