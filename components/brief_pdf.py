"""A country brief as an A4 PDF (reportlab): headings in the dashboard's blue,
page numbers, the source caption on every page.

Text is set in DejaVu Sans (Debian's fonts-dejavu-core) so French accents and
the narrow no-break spaces of French numbers print; without it, Helvetica with
ordinary no-break spaces. The Arabic country name is left out: reportlab would
print its letters unjoined and left to right without a shaping engine.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from components.brief import Brief, BriefKpi, figure_text, nothing_text, period_text, quote_text

BLUE = "#0b4f8a"
GREY = "#495057"
PALE = "#eef4fa"  # the background of a notice
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
MARGIN_MM = 18


@cache
def fonts() -> tuple[str, str]:
    """(regular, bold) font names: DejaVu Sans when installed, else Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.is_file() and bold.is_file()):
        return "Helvetica", "Helvetica-Bold"
    pdfmetrics.registerFont(TTFont("BriefSans", str(regular)))
    pdfmetrics.registerFont(TTFont("BriefSans-Bold", str(bold)))
    pdfmetrics.registerFontFamily("BriefSans", normal="BriefSans", bold="BriefSans-Bold")
    return "BriefSans", "BriefSans-Bold"


def _text(value: str) -> str:
    """Escaped for reportlab's paragraph markup; narrow no-break spaces only where the font has them."""
    text = escape(value or "")
    return text if fonts()[0] == "BriefSans" else text.replace("\u202f", "\u00a0")


def _styles():
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    regular, bold = fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5, spaceAfter=3)
    return {
        "kicker": ParagraphStyle("kicker", parent=body, fontName=bold, fontSize=9, textColor=HexColor(GREY)),
        "title": ParagraphStyle(
            "title", parent=body, fontName=bold, fontSize=22, leading=27, textColor=HexColor(BLUE)
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=bold,
            fontSize=13,
            leading=16,
            textColor=HexColor(BLUE),
            spaceBefore=10,
            spaceAfter=5,
        ),
        "body": body,
        "lead": ParagraphStyle("lead", parent=body, fontSize=11.5, leading=15, spaceAfter=4),
        "big": ParagraphStyle(
            "big", parent=body, fontName=bold, fontSize=30, leading=36, textColor=HexColor(BLUE), spaceAfter=2
        ),
        "quote": ParagraphStyle(
            "quote",
            parent=body,
            fontSize=8,
            leading=10.5,
            textColor=HexColor(GREY),
            spaceBefore=2,
            spaceAfter=0,
        ),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=HexColor(GREY)),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5, spaceAfter=0),
        "head": ParagraphStyle(
            "head",
            parent=body,
            fontName=bold,
            fontSize=9,
            leading=11.5,
            spaceAfter=0,
            textColor=HexColor("#ffffff"),
        ),
    }


def _table(rows: list[list], widths: list[float], styles) -> object:
    """A table with a blue header row; a cell is a string or a list of flowables."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph, Table, TableStyle

    data = [[Paragraph(_text(c), styles["head"]) for c in rows[0]]]
    data += [
        [c if isinstance(c, list) else Paragraph(_text(c), styles["cell"]) for c in row] for row in rows[1:]
    ]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HexColor(BLUE)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, HexColor("#dee2e6")),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _page_canvas(caption: str, page_label: Callable[[int, int], str]):
    """A canvas class that writes the caption and 'Page n of N' once the page count is known."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    regular = fonts()[0]

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            # Viewers show the document's title (in the reader's language), not the
            # file name. No /MarkInfo and no structure tree: open-source reportlab
            # cannot tag the content (README, Accessibility), so none is claimed.
            self.setViewerPreference("DisplayDocTitle", "true")

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                width, _ = self._pagesize
                self.setFont(regular, 7.5)
                self.setFillColor(HexColor(GREY))
                self.drawString(MARGIN_MM * mm, 10 * mm, caption.replace("\u202f", "\u00a0"))
                self.drawRightString(width - MARGIN_MM * mm, 10 * mm, page_label(number, len(self._pages)))
                super().showPage()
            super().save()

    return NumberedCanvas


def _quotes(kpi: BriefKpi, lang: str, t, styles) -> list:
    from reportlab.platypus import Paragraph

    return [Paragraph(_text(quote_text(q, lang, t)), styles["quote"]) for q in kpi.quotes]


def _nothing(brief: Brief, t: Callable[[str], str], styles, width: float) -> object:
    """A shaded box: nothing for this year, the years that have something, the page's link."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph, Table, TableStyle

    lines = [Paragraph(_text(nothing_text(brief, t)), styles["lead"])]
    if brief.years_with_data:
        years = ", ".join(str(y) for y in brief.years_with_data)
        lines.append(
            Paragraph(
                _text(
                    t("Figures or activities for {country} were published for: {years}.").format(
                        country=brief.country, years=years
                    )
                ),
                styles["body"],
            )
        )
    if brief.page_url:
        href = escape(brief.page_url, {"'": "&#39;", '"': "&quot;"})
        lines.append(
            Paragraph(
                f"{_text(t('The country page:'))} <link href='{href}' color='{BLUE}'>{_text(brief.page_url)}</link>",
                styles["body"],
            )
        )
    box = Table([[lines]], colWidths=[width])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), HexColor(PALE)),
                ("LINEBEFORE", (0, 0), (0, -1), 3, HexColor(BLUE)),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return box


def _headline(kpi: BriefKpi, brief: Brief, t: Callable[[str], str], styles) -> list:
    """The one figure of a brief, large, with its indicator, period and what its sources say."""
    from reportlab.platypus import Paragraph

    return [
        Paragraph(_text(t("Key figure, {year}").format(year=brief.year)), styles["h2"]),
        Paragraph(_text(figure_text(kpi, t)), styles["big"]),
        Paragraph(_text(f"{kpi.indicator} \u00b7 {period_text(kpi, t)}"), styles["lead"]),
        *_quotes(kpi, brief.lang, t, styles),
    ]


def _key_figures(brief: Brief, t: Callable[[str], str], styles, width: float) -> list:
    """The table of figures: each indicator with what its sources say under it."""
    from reportlab.platypus import Paragraph

    rows: list[list] = [[t("Indicator"), t("Figure"), t("Period"), t("Sources")]]
    for k in brief.kpis:
        cell = [Paragraph(_text(k.indicator), styles["cell"]), *_quotes(k, brief.lang, t, styles)]
        rows.append([cell, figure_text(k, t), period_text(k, t), str(k.sources)])
    return [
        Paragraph(_text(t("Key figures, {year}").format(year=brief.year)), styles["h2"]),
        _table(rows, [width * 0.50, width * 0.21, width * 0.17, width * 0.12], styles),
    ]


def brief_pdf(brief: Brief, t: Callable[[str], str]) -> bytes:
    """The brief as PDF bytes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    styles = _styles()
    frame = brief.frame
    width = A4[0] - 2 * MARGIN_MM * mm
    story: list = [
        Paragraph(_text(f"{t('COMPASS country brief')} \u00b7 {brief.region}".upper()), styles["kicker"]),
        Paragraph(_text(frame.title), styles["title"]),
        Paragraph(_text(frame.filter_line), styles["small"]),
        Paragraph(_text(frame.exported), styles["small"]),
        Spacer(1, 4 * mm),
    ]
    if not brief.kpis:
        story.append(_nothing(brief, t, styles, width))
    elif len(brief.kpis) == 1:
        story += _headline(brief.kpis[0], brief, t, styles)
    else:
        story += _key_figures(brief, t, styles, width)
    if brief.chart_png:
        chart_w, chart_h = brief.chart_px
        # The heading stays with its chart: never alone at the foot of a page.
        story.append(
            KeepTogether(
                [
                    Paragraph(_text(t("Figures published for {year}").format(year=brief.year)), styles["h2"]),
                    Paragraph(
                        _text(
                            t("One panel per unit and period: bars of different units are never compared.")
                        ),
                        styles["small"],
                    ),
                    Image(io.BytesIO(brief.chart_png), width=width, height=width * chart_h / chart_w),
                ]
            )
        )
    if brief.partners:
        story.append(Paragraph(_text(t("Partners")), styles["h2"]))
        rows = [[t("Name"), t("Type")]] + [[name, kind] for name, kind in brief.partners]
        story.append(_table(rows, [width * 0.7, width * 0.3], styles))
    if brief.activities:
        story.append(Paragraph(_text(t("Partner activities")), styles["h2"]))
        for theme, text, partners in brief.activities:
            line = f"<b>{_text(theme)}</b> \u2013 {_text(text)}"
            if partners:
                line += f" <font color='{GREY}'>({_text(t('Partners:'))} {_text(partners)})</font>"
            story.append(Paragraph(line, styles["body"], bulletText="\u2022"))
    if brief.sources:
        story.append(Paragraph(_text(t("Sources")), styles["h2"]))
        for i, source in enumerate(brief.sources, start=1):
            line = _text(source.title)
            if source.url:
                href = escape(source.url, {"'": "&#39;", '"': "&quot;"})
                line += f"<br/><link href='{href}' color='{BLUE}'>{_text(source.url)}</link>"
            story.append(Paragraph(line, styles["small"], bulletText=f"{i}."))

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_MM * mm,
        rightMargin=MARGIN_MM * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=frame.title,
        author="COMPASS Dashboard",
        creator="COMPASS Dashboard",
        subject=frame.caption,
        lang=brief.lang,
    )
    page_label = lambda n, total: t("Page {page} of {pages}").format(page=n, pages=total)  # noqa: E731
    doc.build(story, canvasmaker=_page_canvas(frame.caption, page_label))
    return buffer.getvalue()
