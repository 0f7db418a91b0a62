"""A country brief as a 16:9 PowerPoint deck (python-pptx): title, key figures,
chart, what the sources say, partners, activities, sources; in that order.

The chart is PowerPoint's own (one bar chart per unit and period, with its data
in the deck): a reader can restyle it, read its numbers or copy it into a
report. The key figures, partners and sources slides are always there (an
empty one says so); the chart needs two figures, the quotes slides need a
quote, and long texts continue on a second slide rather than being cut.

The viewer lays the text out, so the Arabic country name is included (PowerPoint
and LibreOffice shape it right to left). An Arabic deck is right to left: every
paragraph is marked so (a:pPr rtl="1") and right-aligned, its runs name Arial
as their complex-script font (the viewer's Arial has Arabic letters; a deck
cannot carry a font), tables run from the right (a:tblPr rtl="1"), the charts'
bars grow leftwards from their names on the right, and the footer is mirrored.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from components.brief import Brief, figure_text, nothing_text, period_text, quote_text
from components.brief_pptx_charts import chart_pages, panel_chart, panel_inches
from components.i18n import text_direction
from components.pdf_rtl import marked

BLUE = (0x0B, 0x4F, 0x8A)
GREY = (0x49, 0x50, 0x57)
MAX_TABLE_ROWS = 10  # rows of a table slide before "and N more"
MAX_SOURCES = 12
SLIDE_CHARS = 1100  # text of one continued slide (activities, quotes) at 12-13 pt on 12 inches
MAX_CONTINUED = 4  # slides of one continued section before "and N more"
DARK = (0x21, 0x25, 0x29)
ARABIC_FONT = "Arial"  # the complex-script font of an Arabic deck's runs


def _rgb(color: tuple[int, int, int]):
    from pptx.dml.color import RGBColor

    return RGBColor(*color)


def _textbox(slide, left, top, width, height, paragraphs, size=14, color=(0x21, 0x25, 0x29), bold=False):
    """A text box of paragraphs; each is a string or (string, size, color, bold)."""
    from pptx.util import Pt

    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, item in enumerate(paragraphs):
        text, p_size, p_color, p_bold = item if isinstance(item, tuple) else (item, size, color, bold)
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(p_size)
        run.font.bold = p_bold
        run.font.color.rgb = _rgb(p_color)
    return box


def _heading(slide, text: str):
    from pptx.util import Inches

    return _textbox(slide, Inches(0.6), Inches(0.35), Inches(12.1), Inches(0.8), [(text, 28, BLUE, True)])


def _footer(slide, caption: str, number: int, total: int, t: Callable[[str], str], rtl: bool = False):
    """The caption at the start of the line, the page number at its end (mirrored right to left)."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    caption_left, page_left = (2.2, 0.6) if rtl else (0.6, 11.1)
    _textbox(
        slide, Inches(caption_left), Inches(6.95), Inches(10.5), Inches(0.4), [(caption, 10, GREY, False)]
    )
    box = _textbox(
        slide,
        Inches(page_left),
        Inches(6.95),
        Inches(1.6),
        Inches(0.4),
        [(t("Page {page} of {pages}").format(page=number, pages=total), 10, GREY, False)],
    )
    box.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT if rtl else PP_ALIGN.RIGHT


def _table(slide, rows: list[list[str]], widths: list[float], top: float, left: float = 0.6):
    from pptx.util import Inches, Pt

    shape = slide.shapes.add_table(
        len(rows), len(rows[0]), Inches(left), Inches(top), Inches(sum(widths)), Inches(0.4 * len(rows))
    )
    table = shape.table
    for j, width in enumerate(widths):
        table.columns[j].width = Inches(width)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.text = value
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(13 if i == 0 else 12)
                    run.font.bold = i == 0
            if i == 0:
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(BLUE)
    return shape


def _more(count: int, shown: int, t: Callable[[str], str]) -> list:
    if count <= shown:
        return []
    return [(t("\u2026 and {count} more in the dashboard").format(count=count - shown), 12, GREY, False)]


def _rtl(paragraph) -> None:
    """Mark a paragraph right-to-left (python-pptx has no setting for it)."""
    paragraph._p.get_or_add_pPr().set("rtl", "1")  # noqa: SLF001


def _right_to_left(text_frame, align: bool = True) -> None:
    """Every paragraph of `text_frame` right to left (and right-aligned unless
    `align` is false: a box that sets its own alignment keeps it), every run
    with the complex-script font that shows its Arabic letters."""
    from pptx.oxml.ns import qn
    from pptx.oxml.xmlchemy import OxmlElement

    for paragraph in text_frame.paragraphs:
        p_pr = paragraph._p.get_or_add_pPr()  # noqa: SLF001 - python-pptx has no rtl setting
        p_pr.set("rtl", "1")
        if align and p_pr.get("algn") in (None, "l"):
            p_pr.set("algn", "r")
        for run in paragraph.runs:
            r_pr = run._r.get_or_add_rPr()  # noqa: SLF001
            if r_pr.find(qn("a:cs")) is None:
                cs = OxmlElement("a:cs")
                cs.set("typeface", ARABIC_FONT)
                r_pr.insert_element_before(
                    cs, "a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst"
                )


def _mirror(deck) -> None:
    """An Arabic deck, right to left: its text boxes, tables (their first column
    on the right) and charts' titles and labels. A footer's page number keeps
    the left alignment `_footer` gave it."""
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                _right_to_left(shape.text_frame, align=shape.text_frame.paragraphs[0].alignment is None)
            if shape.has_table:
                shape.table._tbl.tblPr.set("rtl", "1")  # noqa: SLF001 - no python-pptx setting
                for row in shape.table.rows:
                    for cell in row.cells:
                        _right_to_left(cell.text_frame)
            if shape.has_chart and shape.chart.has_title:
                _right_to_left(shape.chart.chart_title.text_frame)


def _pages(entries: list[list], limit: int = SLIDE_CHARS) -> list[list]:
    """Entries (each a list of paragraphs) grouped into slides of about `limit`
    characters; an entry is never split, so a text is never cut."""
    pages: list[list] = [[]]
    size = 0
    for entry in entries:
        length = sum(len(p[0] if isinstance(p, tuple) else p) for p in entry)
        if pages[-1] and size + length > limit:
            pages.append([])
            size = 0
        pages[-1].extend(entry)
        size += length
    return pages if pages[0] else []


def _continued(deck, blank, heading: str, entries: list[list], t: Callable[[str], str]) -> list:
    """Slides of whole entries under one heading ('… (continued)' after the first)."""
    slides = []
    pages = _pages(entries)
    shown = pages[:MAX_CONTINUED]
    for i, paragraphs in enumerate(shown):
        slide = deck.slides.add_slide(blank)
        title = heading if i == 0 else t("{heading} (continued)").format(heading=heading)
        _heading(slide, title)
        if i == len(shown) - 1 and len(pages) > len(shown):
            hidden = sum(len(page) for page in pages[len(shown) :])
            paragraphs = paragraphs + _more(hidden + len(paragraphs), len(paragraphs), t)
        _text_block(slide, paragraphs)
        slides.append(slide)
    return slides


def _text_block(slide, paragraphs: list) -> None:
    from pptx.util import Inches

    _textbox(slide, Inches(0.6), Inches(1.3), Inches(12.1), Inches(5.5), paragraphs)


def _chart_slides(deck, blank, brief: Brief, t: Callable[[str], str]) -> None:
    heading = t("Figures published for {year}").format(year=brief.year)
    rtl = text_direction(brief.lang) == "rtl"
    for i, panels in enumerate(chart_pages(brief.panels)):
        slide = deck.slides.add_slide(blank)
        _heading(slide, heading if i == 0 else t("{heading} (continued)").format(heading=heading))
        top = 1.25
        for panel in panels:
            height = panel_inches(panel)
            panel_chart(slide, panel, (0.6, top, 12.1, height - 0.05), t, rtl)
            top += height


def _title_slide(slide, brief: Brief, t: Callable[[str], str]) -> None:
    from pptx.util import Inches

    frame = brief.frame
    _textbox(
        slide,
        Inches(0.8),
        Inches(1.4),
        Inches(11.7),
        Inches(0.5),
        [(t("COMPASS country brief").upper(), 16, GREY, True)],
    )
    box = _textbox(
        slide, Inches(0.8), Inches(1.9), Inches(11.7), Inches(1.2), [(frame.title, 40, BLUE, True)]
    )
    if brief.arabic_name and text_direction(brief.lang) != "rtl":  # an Arabic title says it already
        paragraph = box.text_frame.add_paragraph()
        run = paragraph.add_run()
        run.text = brief.arabic_name
        run.font.size = box.text_frame.paragraphs[0].runs[0].font.size
        run.font.color.rgb = _rgb(GREY)
        _rtl(paragraph)
    _textbox(
        slide,
        Inches(0.8),
        Inches(4.2),
        Inches(11.7),
        Inches(1.5),
        [
            (brief.region, 18, GREY, False),
            (frame.filter_line, 14, GREY, False),
            (frame.exported, 14, GREY, False),
        ],
    )


def _nothing_lines(brief: Brief, t: Callable[[str], str]) -> list:
    lines: list = [(nothing_text(brief, t), 20, BLUE, True)]
    if brief.years_with_data:
        years = ", ".join(str(y) for y in brief.years_with_data)
        text = t("Figures or activities for {country} were published for: {years}.")
        lines.append((text.format(country=brief.country, years=years), 14, DARK, False))
    if brief.page_url:
        label = t("The country page:")  # (a call inside an f-string is not extracted)
        lines.append((f"{label} {brief.page_url}", 14, GREY, False))
    return lines


def _key_figures_slide(slide, brief: Brief, t: Callable[[str], str]) -> None:
    from pptx.util import Inches

    if len(brief.kpis) == 1:
        _heading(slide, t("Key figure, {year}").format(year=brief.year))
        kpi = brief.kpis[0]
        lines = [
            (figure_text(kpi, t), 54, BLUE, True),
            (f"{kpi.indicator} \u00b7 {period_text(kpi, t)}", 20, DARK, False),
        ]
        lines += [(quote_text(q, brief.lang, t, _wrap(brief)), 13, GREY, False) for q in kpi.quotes]
        _textbox(slide, Inches(0.6), Inches(1.4), Inches(12.1), Inches(5.2), lines)
        return
    _heading(slide, t("Key figures, {year}").format(year=brief.year))
    if not brief.kpis:
        _textbox(slide, Inches(0.6), Inches(1.4), Inches(12.1), Inches(3), _nothing_lines(brief, t))
        return
    rows = [[t("Indicator"), t("Figure"), t("Period"), t("Sources")]]
    rows += [
        [k.indicator, figure_text(k, t), period_text(k, t), str(k.sources)]
        for k in brief.kpis[:MAX_TABLE_ROWS]
    ]
    _table(slide, rows, [5.6, 3.3, 2.0, 1.2], top=1.3)
    _textbox(
        slide, Inches(0.6), Inches(6.4), Inches(12), Inches(0.4), _more(len(brief.kpis), MAX_TABLE_ROWS, t)
    )


def _wrap(brief: Brief) -> Callable[[str], str]:
    """How a text of the data (a quote, a title, a URL, names) is set in the deck's
    paragraphs: between marks of its own direction in a right-to-left deck."""
    return marked if text_direction(brief.lang) == "rtl" else str


def _quote_entries(brief: Brief, t: Callable[[str], str]) -> list[list]:
    """What each figure's sources say: the indicator and figure, then each quote or note."""
    entries, wrap = [], _wrap(brief)
    for kpi in brief.kpis:
        if kpi.quotes:
            head = (f"{kpi.indicator} \u2013 {figure_text(kpi, t)} ({period_text(kpi, t)})", 13, BLUE, True)
            entries.append(
                [head] + [(quote_text(q, brief.lang, t, wrap), 12, DARK, False) for q in kpi.quotes]
            )
    return entries


def _activity_entries(brief: Brief, t: Callable[[str], str]) -> list[list]:
    entries, wrap = [], _wrap(brief)
    for theme, text, names in brief.activities:
        entry = [(theme, 13, BLUE, True), (wrap(text), 12, DARK, False)]
        if names:
            entry.append((f"{t('Partners:')} {wrap(names)}", 11, GREY, False))
        entries.append(entry)
    return entries


def brief_pptx(brief: Brief, t: Callable[[str], str]) -> bytes:
    """The brief as .pptx bytes."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]
    frame = brief.frame

    title = deck.slides.add_slide(blank)
    _title_slide(title, brief, t)
    _key_figures_slide(deck.slides.add_slide(blank), brief, t)
    if brief.has_chart:
        _chart_slides(deck, blank, brief, t)
    if len(brief.kpis) > 1:  # one figure's quotes are on its own slide
        _continued(deck, blank, t("What the sources say"), _quote_entries(brief, t), t)

    partners = deck.slides.add_slide(blank)
    _heading(partners, t("Partners"))
    if brief.partners:
        rows = [[t("Name"), t("Type")]] + [[n, k] for n, k in brief.partners[:MAX_TABLE_ROWS]]
        _table(partners, rows, [8.1, 4.0], top=1.3)
        _textbox(
            partners,
            Inches(0.6),
            Inches(6.4),
            Inches(12),
            Inches(0.4),
            _more(len(brief.partners), MAX_TABLE_ROWS, t),
        )
    else:
        _textbox(partners, Inches(0.6), Inches(1.4), Inches(12.1), Inches(1), [t("No partners named.")])
    if brief.activities:
        _continued(deck, blank, t("Partner activities"), _activity_entries(brief, t), t)

    sources = deck.slides.add_slide(blank)
    _heading(sources, t("Sources"))
    wrap = _wrap(brief)
    source_lines = [
        (f"{i}. {wrap(s.title)}" + (f" \u2013 {wrap(s.url)}" if s.url else ""), 12, DARK, False)
        for i, s in enumerate(brief.sources[:MAX_SOURCES], start=1)
    ] or [(t("No sources cited."), 12, GREY, False)]
    source_lines += _more(len(brief.sources), MAX_SOURCES, t)
    _text_block(sources, source_lines)

    rtl = text_direction(brief.lang) == "rtl"
    slides = list(deck.slides)
    for number, slide in enumerate(slides, start=1):
        _footer(slide, frame.caption, number, len(slides), t, rtl)
    if rtl:
        _mirror(deck)
    deck.core_properties.title = frame.title
    deck.core_properties.author = "COMPASS Dashboard"
    deck.core_properties.language = brief.lang
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
