"""A country brief as an A4 PDF (reportlab): headings in the dashboard's blue,
page numbers, the source caption on every page.

Text is set in DejaVu Sans (Debian's fonts-dejavu-core) so French accents and
the narrow no-break spaces of French numbers print; without it, Helvetica with
ordinary no-break spaces. An Arabic brief is set in Amiri, vendored in
assets/fonts/ (Arabic and Latin, so partners' names and acronyms print too),
right to left: paragraphs right-aligned, shaped and ordered for display by
components.pdf_rtl (reportlab itself neither joins Arabic letters nor reorders
a line), tables mirrored (their first column on the right), page footer
mirrored. In English and French the Arabic country name is printed under the
title, shaped the same way.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_RIGHT

from components.brief import Brief, BriefKpi, figure_text, nothing_text, period_text, quote_text
from components.i18n import text_direction
from components.pdf_rtl import ISOLATES, Span, isolate, rtl_paragraph, styled, visual
from config import ROOT

BLUE = "#0b4f8a"
GREY = "#495057"
PALE = "#eef4fa"  # the background of a notice
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
ARABIC_FONT_DIR = ROOT / "assets" / "fonts"  # Amiri, vendored: scripts/vendor_fonts.sh
MARGIN_MM = 18
RTL_LEADING = 1.2  # Amiri's tall letters and dots need more room between lines


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


@cache
def arabic_fonts() -> tuple[str, str]:
    """(regular, bold) names of the vendored Amiri, registered with reportlab on first use."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("BriefArabic", str(ARABIC_FONT_DIR / "Amiri-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("BriefArabic-Bold", str(ARABIC_FONT_DIR / "Amiri-Bold.ttf")))
    pdfmetrics.registerFontFamily("BriefArabic", normal="BriefArabic", bold="BriefArabic-Bold")
    return "BriefArabic", "BriefArabic-Bold"


def _fonts(rtl: bool) -> tuple[str, str]:
    return arabic_fonts() if rtl else fonts()


def _text(value: str) -> str:
    """Escaped for reportlab's paragraph markup; narrow no-break spaces only where the font has them."""
    text = escape(value or "")
    return text if fonts()[0] == "BriefSans" else text.replace("\u202f", "\u00a0")


def _markup(spans: list[Span]) -> str:
    """Left-to-right spans as reportlab's paragraph markup."""
    out = []
    for span in spans:
        plain = ISOLATES.sub("", span.text)  # only right-to-left lines need them
        out.append(styled("<br/>".join(_text(line) for line in plain.split("\n")), span, BLUE))
    return "".join(out)


def _para(content: str | list[Span], style, bullet: str | None = None):
    """A paragraph in the style's direction: right to left (shaped and reordered)
    for a right-to-left style, reportlab's own markup otherwise. A bullet stands
    before the text: on the right of a right-to-left paragraph."""
    from reportlab.platypus import Paragraph

    spans = [Span(content)] if isinstance(content, str) else content
    if style.alignment == TA_RIGHT:
        if bullet:
            spans = [Span(f"{bullet} "), *spans]
        return rtl_paragraph(spans, style, _fonts(rtl=True))
    return Paragraph(_markup(spans), style, bulletText=bullet)


def _styles(rtl: bool = False):
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    regular, bold = _fonts(rtl)
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5, spaceAfter=3)
    if rtl:
        body.alignment = TA_RIGHT
    styles = {
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
    if rtl:
        for style in styles.values():
            style.leading = round(style.leading * RTL_LEADING, 1)
    return styles


def _rtl(styles) -> bool:
    return styles["body"].alignment == TA_RIGHT


def _table(rows: list[list], widths: list[float], styles) -> object:
    """A table with a blue header row; a cell is a string or a list of flowables.
    Right to left, its columns are mirrored: the first on the right."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Table, TableStyle

    data = [[_para(c, styles["head"]) for c in rows[0]]]
    data += [[c if isinstance(c, list) else _para(c, styles["cell"]) for c in row] for row in rows[1:]]
    rtl = _rtl(styles)
    if rtl:
        data, widths = [row[::-1] for row in data], widths[::-1]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="RIGHT" if rtl else "LEFT")
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


def _page_canvas(caption: str, page_label: Callable[[int, int], str], rtl: bool = False):
    """A canvas class that writes the caption and 'Page n of N' once the page count
    is known: caption on the left and page on the right, mirrored right to left."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    regular = _fonts(rtl)[0]

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
                left, right = MARGIN_MM * mm, width - MARGIN_MM * mm
                page = page_label(number, len(self._pages))
                if rtl:
                    self.drawRightString(right, 10 * mm, visual(caption))
                    self.drawString(left, 10 * mm, visual(page))
                else:
                    self.drawString(left, 10 * mm, caption.replace("\u202f", "\u00a0"))
                    self.drawRightString(right, 10 * mm, page)
                super().showPage()
            super().save()

    return NumberedCanvas


def _quotes(kpi: BriefKpi, lang: str, t, styles) -> list:
    wrap = isolate if _rtl(styles) else str
    return [_para(quote_text(q, lang, t, wrap), styles["quote"]) for q in kpi.quotes]


def _nothing(brief: Brief, t: Callable[[str], str], styles, width: float) -> object:
    """A shaded box: nothing for this year, the years that have something, the page's link."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Table, TableStyle

    lines = [_para(nothing_text(brief, t), styles["lead"])]
    if brief.years_with_data:
        years = ", ".join(str(y) for y in brief.years_with_data)
        text = t("Figures or activities for {country} were published for: {years}.")
        lines.append(_para(text.format(country=brief.country, years=years), styles["body"]))
    if brief.page_url:
        label = t("The country page:")  # (a call inside an f-string is not extracted)
        spans = [Span(f"{label} "), Span(isolate(brief.page_url), href=brief.page_url)]
        lines.append(_para(spans, styles["body"]))
    rtl = _rtl(styles)
    box = Table([[lines]], colWidths=[width])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), HexColor(PALE)),
                # The bar stands where a line starts: on the right, right to left.
                ("LINEAFTER" if rtl else "LINEBEFORE", (0, 0), (0, -1), 3, HexColor(BLUE)),
                ("RIGHTPADDING" if rtl else "LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return box


def _headline(kpi: BriefKpi, brief: Brief, t: Callable[[str], str], styles) -> list:
    """The one figure of a brief, large, with its indicator, period and what its sources say."""
    return [
        _para(t("Key figure, {year}").format(year=brief.year), styles["h2"]),
        _para(figure_text(kpi, t), styles["big"]),
        _para(f"{kpi.indicator} \u00b7 {period_text(kpi, t)}", styles["lead"]),
        *_quotes(kpi, brief.lang, t, styles),
    ]


def _key_figures(brief: Brief, t: Callable[[str], str], styles, width: float) -> list:
    """The table of figures: each indicator with what its sources say under it."""
    rows: list[list] = [[t("Indicator"), t("Figure"), t("Period"), t("Sources")]]
    for k in brief.kpis:
        cell = [_para(k.indicator, styles["cell"]), *_quotes(k, brief.lang, t, styles)]
        rows.append([cell, figure_text(k, t), period_text(k, t), str(k.sources)])
    return [
        _para(t("Key figures, {year}").format(year=brief.year), styles["h2"]),
        _table(rows, [width * 0.50, width * 0.21, width * 0.17, width * 0.12], styles),
    ]


def brief_pdf(brief: Brief, t: Callable[[str], str]) -> bytes:
    """The brief as PDF bytes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, KeepTogether, SimpleDocTemplate, Spacer

    rtl = text_direction(brief.lang) == "rtl"
    styles = _styles(rtl)
    frame = brief.frame
    width = A4[0] - 2 * MARGIN_MM * mm
    story: list = [
        _para(f"{t('COMPASS country brief')} \u00b7 {brief.region}".upper(), styles["kicker"]),
        _para(frame.title, styles["title"]),
        *_arabic_name(brief),
        _para(frame.filter_line, styles["small"]),
        _para(frame.exported, styles["small"]),
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
                    _para(t("Figures published for {year}").format(year=brief.year), styles["h2"]),
                    _para(
                        t("One panel per unit and period: bars of different units are never compared."),
                        styles["small"],
                    ),
                    Image(io.BytesIO(brief.chart_png), width=width, height=width * chart_h / chart_w),
                ]
            )
        )
    if brief.partners:
        story.append(_para(t("Partners"), styles["h2"]))
        rows = [[t("Name"), t("Type")]] + [[name, kind] for name, kind in brief.partners]
        story.append(_table(rows, [width * 0.7, width * 0.3], styles))
    if brief.activities:
        story.append(_para(t("Partner activities"), styles["h2"]))
        for theme, text, partners in brief.activities:
            spans = [Span(theme, bold=True), Span(f" \u2013 {isolate(text)}")]
            if partners:
                spans.append(Span(f" ({t('Partners:')} {isolate(partners)})", color=GREY))
            story.append(_para(spans, styles["body"], bullet="\u2022"))
    if brief.sources:
        story.append(_para(t("Sources"), styles["h2"]))
        for i, source in enumerate(brief.sources, start=1):
            spans = [Span(isolate(source.title))]
            if source.url:
                spans += [Span("\n"), Span(isolate(source.url), href=source.url)]
            story.append(_para(spans, styles["small"], bullet=f"{i}."))

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
    doc.build(story, canvasmaker=_page_canvas(frame.caption, page_label, rtl))
    return buffer.getvalue()


def _arabic_name(brief: Brief) -> list:
    """The country's Arabic name under the title of an English or French brief (an
    Arabic brief's title already says it), right to left in Amiri."""
    if not brief.arabic_name or text_direction(brief.lang) == "rtl":
        return []
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    regular = arabic_fonts()[0]
    style = ParagraphStyle(
        "arabic-name", fontName=regular, fontSize=16, leading=22, alignment=TA_RIGHT, textColor=HexColor(GREY)
    )
    return [_para(brief.arabic_name, style)]
