"""A country brief as a 16:9 PowerPoint deck (python-pptx): title, key figures,
chart, partners and activities, sources. Five slides, always in that order;
an empty section says so rather than disappearing.

The viewer lays the text out, so the Arabic country name is included (PowerPoint
and LibreOffice shape it right to left).
"""

from __future__ import annotations

import io
from collections.abc import Callable

from components.brief import Brief

BLUE = (0x0B, 0x4F, 0x8A)
GREY = (0x49, 0x50, 0x57)
MAX_TABLE_ROWS = 10  # rows of a table slide before "and N more"
MAX_SOURCES = 12
MAX_ACTIVITIES = 6


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


def _footer(slide, caption: str, number: int, total: int, t: Callable[[str], str]):
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    _textbox(slide, Inches(0.6), Inches(6.95), Inches(10.5), Inches(0.4), [(caption, 10, GREY, False)])
    box = _textbox(
        slide,
        Inches(11.1),
        Inches(6.95),
        Inches(1.6),
        Inches(0.4),
        [(t("Page {page} of {pages}").format(page=number, pages=total), 10, GREY, False)],
    )
    box.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT


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


def brief_pptx(brief: Brief, t: Callable[[str], str]) -> bytes:
    """The brief as .pptx bytes."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]
    frame = brief.frame
    slides = [deck.slides.add_slide(blank) for _ in range(5)]
    title, kpis, chart, partners, sources = slides
    nothing = t("Nothing was published for {country} in {year}.").format(
        country=brief.country, year=brief.year
    )

    # 1. Title
    _textbox(
        title,
        Inches(0.8),
        Inches(1.4),
        Inches(11.7),
        Inches(0.5),
        [(t("COMPASS country brief").upper(), 16, GREY, True)],
    )
    lines = [(frame.title, 40, BLUE, True)]
    box = _textbox(title, Inches(0.8), Inches(1.9), Inches(11.7), Inches(1.2), lines)
    if brief.arabic_name:
        paragraph = box.text_frame.add_paragraph()
        run = paragraph.add_run()
        run.text = brief.arabic_name
        run.font.size = box.text_frame.paragraphs[0].runs[0].font.size
        run.font.color.rgb = _rgb(GREY)
        _rtl(paragraph)
    _textbox(
        title,
        Inches(0.8),
        Inches(4.2),
        Inches(11.7),
        Inches(1.5),
        [(brief.region, 18, GREY, False)]
        + [(frame.filter_line, 14, GREY, False)]
        + [(frame.exported, 14, GREY, False)],
    )

    # 2. Key figures
    _heading(kpis, t("Key figures, {year}").format(year=brief.year))
    if brief.kpis:
        rows = [[t("Indicator"), t("Figure"), t("Period"), t("Sources")]]
        for k in brief.kpis[:MAX_TABLE_ROWS]:
            figure = " / ".join(k.figures) + (f" ({t('Sources differ')})" if k.differ else "")
            rows.append([k.indicator, figure, k.period, str(k.sources)])
        _table(kpis, rows, [6.0, 3.6, 1.4, 1.1], top=1.3)
        _textbox(
            kpis, Inches(0.6), Inches(6.4), Inches(12), Inches(0.4), _more(len(brief.kpis), MAX_TABLE_ROWS, t)
        )
    else:
        _textbox(kpis, Inches(0.6), Inches(1.4), Inches(12), Inches(1), [nothing])

    # 3. Chart
    _heading(chart, t("Figures published for {year}").format(year=brief.year))
    if brief.chart_png:
        width, height = brief.chart_px
        box_w, box_h = 12.1, 5.4
        scale = min(box_w / width, box_h / height)
        chart.shapes.add_picture(
            io.BytesIO(brief.chart_png),
            Inches(0.6),
            Inches(1.3),
            Inches(width * scale),
            Inches(height * scale),
        )
    else:
        _textbox(chart, Inches(0.6), Inches(1.4), Inches(12), Inches(1), [nothing])

    # 4. Partners and their activities
    _heading(partners, t("Partners"))
    if brief.partners:
        rows = [[t("Name"), t("Type")]] + [[n, k] for n, k in brief.partners[:MAX_TABLE_ROWS]]
        _table(partners, rows, [3.9, 2.0], top=1.3)
    else:
        _textbox(partners, Inches(0.6), Inches(1.4), Inches(5.9), Inches(1), [t("No partners named.")])
    activity_lines: list = [(t("Partner activities"), 16, BLUE, True)]
    for theme, text, _names in brief.activities[:MAX_ACTIVITIES]:
        activity_lines += [(theme, 12, GREY, True), (text, 11, (0x21, 0x25, 0x29), False)]
    if not brief.activities:
        activity_lines.append((t("No partner activities."), 12, GREY, False))
    activity_lines += _more(len(brief.activities), MAX_ACTIVITIES, t)
    _textbox(partners, Inches(6.8), Inches(1.3), Inches(5.9), Inches(5.4), activity_lines)

    # 5. Sources
    _heading(sources, t("Sources"))
    source_lines = [
        (f"{i}. {s.title}" + (f" \u2013 {s.url}" if s.url else ""), 12, (0x21, 0x25, 0x29), False)
        for i, s in enumerate(brief.sources[:MAX_SOURCES], start=1)
    ] or [(t("No sources cited."), 12, GREY, False)]
    source_lines += _more(len(brief.sources), MAX_SOURCES, t)
    _textbox(sources, Inches(0.6), Inches(1.3), Inches(12.1), Inches(5.4), source_lines)

    for number, slide in enumerate(slides, start=1):
        _footer(slide, frame.caption, number, len(slides), t)
    deck.core_properties.title = frame.title
    deck.core_properties.author = "COMPASS Dashboard"
    deck.core_properties.language = brief.lang
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
