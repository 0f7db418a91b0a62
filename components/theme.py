"""One Plotly figure template for every chart: palette, fonts, margins.

The palette is Okabe-Ito, readable with the common forms of colour blindness.
"""

from __future__ import annotations

import zlib

import plotly.graph_objects as go

from components.i18n import text_direction
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
    """Plotly's decimal and thousands separators for `lang` ('.,' or ', ').

    Arabic writes '1,234.5' with Western digits, as every page does
    (components/formatting.py pins Babel's "latn" digits); plotly.js's d3 formats
    only ever write Western digits, so its ticks and these agree."""
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
    """The template, the language's number separators and a title where reading
    starts: left, or right in a right-to-left language (whose hover labels are
    right-aligned too). Builders finish with `reading_direction`."""
    side = "right" if is_rtl(lang) else "left"
    fig.update_layout(
        template=figure_template(),
        separators=separators(lang),
        title={"text": title, "x": 1 if is_rtl(lang) else 0, "xanchor": side, "font": {"size": 15}},
    )
    if is_rtl(lang):
        fig.update_layout(hoverlabel={"align": "right"})
    return fig


# --- right to left (Arabic) ---------------------------------------------------------

RLI, PDI = "\u2067", "\u2069"  # Unicode's right-to-left isolate and its end
_EXTRA = "<extra>"
_FLIP = {"left": "right", "right": "left"}


def _auto_anchor(x: float) -> str:
    """The side plotly.js anchors a legend at `x` by when its xanchor is "auto"."""
    return "left" if x <= 1 / 3 else "right" if x >= 2 / 3 else "center"


def is_rtl(lang: str) -> bool:
    """Whether `lang` is written right to left (components.i18n.text_direction)."""
    return text_direction(lang) == "rtl"


def rtl_text(text: str) -> str:
    """Each line of a plotly text (lines split by <br>) isolated right to left.

    plotly.js draws every text in a left-to-right SVG (its own stylesheet says
    `direction: ltr`, and its positions assume it), so an Arabic line that starts
    with a number or a Latin name ("1,013 / نحو 1,000", "Nigeria، تراكمي") would
    read in the wrong order. U+2067 ... U+2069 make the browser order the line
    right to left, and plotly.js measures the line as drawn. Per line, because
    each line is its own positioned <tspan>. The exported charts' frames
    (components/export_figures.py) isolate their lines the same way."""
    if not text:
        return text
    return "<br>".join(f"{RLI}{line}{PDI}" if line else line for line in text.split("<br>"))


def _rtl_template(template: str) -> str:
    """A hovertemplate's lines isolated right to left; its <extra> part (the
    trace's name box, hidden with an empty <extra></extra>) and a template that is
    only the hover text (isolated per line itself) are left alone."""
    body, extra, rest = template.partition(_EXTRA)
    if body in ("", "%{hovertext}", "%{text}"):
        return template
    return rtl_text(body) + extra + rest


def _rtl_values(values):
    if isinstance(values, str):
        return rtl_text(values)
    if values is None:
        return None
    return [rtl_text(v) if isinstance(v, str) else v for v in values]


def reading_direction(fig: go.Figure, lang: str, mirror_x: bool = False) -> go.Figure:
    """A finished figure laid out for `lang`'s reading direction; unchanged for a
    left-to-right language (English and French figures are the same as before).

    Right to left: every text (title, annotations, legend and trace names, axis and
    colour-bar titles, hover text) isolated right to left (`rtl_text`); the legend,
    the annotations placed on the paper (panel titles) and the margins mirrored,
    so a panel's title sits over its right edge, where an Arabic reader starts.
    `mirror_x`: the x axes run right to left and the y axes stand on the right:
    for horizontal bars, which then grow from the right, as in Arabic print.
    Axes of time never do: years increase to the right in Arabic statistics too,
    so a chart over the years keeps them left to right (mirror_x False)."""
    if not is_rtl(lang):
        return fig
    _mirror_layout(fig.layout, mirror_x)
    if mirror_x:
        for axis in fig.select_xaxes():
            if axis.range is not None:
                axis.range = tuple(reversed(axis.range))
            else:
                axis.autorange = "reversed"
        for axis in fig.select_yaxes():
            axis.side = "right"
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        if axis.title.text:
            axis.title.text = rtl_text(axis.title.text)
    for trace in fig.data:
        _isolate_trace_texts(trace)
    return fig


def _mirror_layout(layout: go.Layout, mirror_x: bool) -> None:
    """Title, margins, legend and annotations of a right-to-left figure (in place).
    Annotations on the data (bar labels) keep their x: the axis is mirrored."""
    if layout.title.text:
        layout.title.text = rtl_text(layout.title.text)
    margin = layout.margin
    margin.l, margin.r = margin.r, margin.l
    legend = layout.legend
    if legend.x is not None:
        # plotly.js's "auto" anchor of x=0 is the left edge; mirrored it must be said:
        # a legend below the plot at x=1 with "auto" takes room beside it instead.
        anchor = legend.xanchor or _auto_anchor(legend.x)
        legend.x, legend.xanchor = 1 - legend.x, _FLIP.get(anchor, anchor)
    # The legend's entries keep their order: plotly.js lays a row out left to right,
    # so on a wide screen an Arabic reader meets the last series first; reversed,
    # a phone's legend (one entry per row) would list the last series on top.
    for annotation in layout.annotations:
        annotation.text = rtl_text(annotation.text)
        on_paper = annotation.xref == "paper"
        if on_paper and annotation.x is not None:
            annotation.x = 1 - annotation.x
        if on_paper or mirror_x:
            annotation.xanchor = _FLIP.get(annotation.xanchor, annotation.xanchor)
            # A wrapped title's lines end at the right edge (plotly.js centres them).
            annotation.align = _FLIP.get(annotation.align, annotation.align) or (
                "right" if annotation.xanchor == "right" else None
            )


def _isolate_trace_texts(trace) -> None:
    """A trace's legend name, hover text and template, colour-bar title, right to left."""
    if trace.name:
        trace.name = rtl_text(trace.name)
    if getattr(trace, "hovertext", None) is not None:
        trace.hovertext = _rtl_values(trace.hovertext)
    if getattr(trace, "hovertemplate", None):
        trace.hovertemplate = _rtl_template(trace.hovertemplate)
    colorbar = getattr(trace, "colorbar", None)
    if colorbar is not None and colorbar.title.text:
        colorbar.title.text = rtl_text(colorbar.title.text)
