"""Exports in Arabic: right to left, every interface string translated, Arabic
letters joined in the PDF brief (components/pdf_rtl.py), the vendored Amiri font
in the files that carry fonts.

Through the Flask test client of the real app; charts and the briefs' charts go
through kaleido and Debian's chromium (`kaleido` mark, as in test_exports.py).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from components.brief_chart import brief_figure
from components.export_figures import ARABIC_FONT_FAMILY, PDI, RLI, decorate, export_frame
from components.export_tables import COLUMN_LABELS, RESULT_EXPORT_COLUMNS, header
from components.i18n import LANGUAGE_NAMES, get_translator
from components.pdf_rtl import Span, break_lines, isolate, line_markup, shape, visual, visual_order
from data_access import queries as q
from tests.helpers import make_app

kaleido = pytest.mark.kaleido
AR = get_translator("ar")
ARABIC_LETTER = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
PRESENTATION_FORM = re.compile("[\ufe70-\ufeff]")  # Arabic Presentation Forms-B: joined letters
LATIN_WORD = re.compile("[A-Za-z]{3,}")


@pytest.fixture(scope="module")
def app(sqlite_engine):
    return make_app(sqlite_engine, export_rate_limit="")


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def get_ok(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Disposition"].endswith(
        "-ar." + url.split("?")[0].rsplit(".", 1)[1] + '"'
    )
    return response.data


# --- the right-to-left line ------------------------------------------------------------------------------


MIXED = "أكثر من 7,000 مهاجر (IOM)"


def test_a_mixed_line_is_shaped_and_ordered_from_the_right():
    # Letters in their joined forms; the line read from the right: the first word
    # ends up on the right, the number and the acronym keep their own order,
    # the brackets around a Latin acronym in Arabic text are mirrored into place.
    assert PRESENTATION_FORM.search(shape(MIXED)) and not re.search("[\u0621-\u064a]", shape(MIXED))
    assert visual(MIXED) == "(IOM) \ufeae\ufe9f\ufe8e\ufeec\ufee3 7,000 \ufee6\ufee3 \ufeae\ufe9c\ufedb\ufe83"
    assert (
        visual("الشركاء: Threads of Hope (ToH)")
        == "Threads of Hope (ToH) :\ufe80\ufe8e\ufedb\ufeae\ufeb8\ufedf\ufe8d"
    )


@pytest.mark.parametrize(
    "line",
    [
        MIXED,
        "الصفحة 1 من 3",
        "المصدر: منشورات برنامج COMPASS التابع للمنظمة الدولية للهجرة",
        "1. COMPASS Year 2 (2022): results narrative",
        "Ministry of Health (Libya)",
        "وزارة الصحة (ليبيا) – 42 مهنيًا",
    ],
)
def test_the_order_is_python_bidis_own(line):
    """visual_order runs python-bidi's pure-Python steps (to know where each
    character goes); its order must be that of python-bidi's get_display, which
    leaves brackets of right-to-left text unmirrored (so they are compared alike)."""
    from bidi import get_display

    unmirror = str.maketrans("()", "..")
    ours = "".join(char for _, char in visual_order(shape(line)))
    assert ours.translate(unmirror) == get_display(shape(line), base_dir="R").translate(unmirror)


def test_an_isolate_keeps_a_latin_addresss_punctuation_at_its_end():
    url = "https://example.org/report/"
    assert visual(f"صفحة البلد: {isolate(url)}").startswith(url)  # the closing "/" stays with it
    assert not visual(f"صفحة البلد: {url}").startswith(url)  # without: the "/" goes to the far left


def test_markup_is_applied_per_run_after_reordering():
    line = break_lines(
        [Span("الحماية", bold=True), Span(" – نص "), Span("IOM & co", color="#495057")],
        500,
        ("Helvetica", "Helvetica-Bold"),
        10,
    )[0]
    markup = line_markup(line)
    # The bold theme comes first in reading, so it is drawn rightmost; "&" is escaped once.
    assert markup.endswith(f"<b>{visual('الحماية')}</b>")
    assert markup.startswith("<font color='#495057'>IOM &amp; co</font>")


def test_lines_are_broken_in_reading_order_within_the_width():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    words = ["كلمة"] * 40
    lines = break_lines([Span(" ".join(words))], 120, ("Helvetica", "Helvetica-Bold"), 10)
    assert len(lines) > 3
    for line in lines:
        text = "".join(char for char, _ in line)
        assert stringWidth(text, "Helvetica", 10) <= 120 and not text.endswith(" ")
    assert sum(len("".join(c for c, _ in line).split()) for line in lines) == 40


# --- the PDF brief --------------------------------------------------------------------------------------


def displayed(line: str) -> str:
    """A line without brackets, shaped and in display order, by python-bidi's get_display."""
    from bidi import get_display

    return get_display(shape(line), base_dir="R")


def drawn_text(reader: PdfReader) -> str:
    """The text of every page as drawn, left to right within each text operation:
    decoded through each font's ToUnicode map, never reordered (pypdf's and
    poppler's text extraction put right-to-left runs back in reading order)."""
    from pypdf.generic import ContentStream

    drawn = []
    for page in reader.pages:
        maps = {}
        for name, ref in (page["/Resources"].get("/Font") or {}).items():
            font, codes = ref.get_object(), {}
            if "/ToUnicode" in font:
                cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
                for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                    for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                        codes[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
            maps[name] = codes
        font = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                font = operands[0]
            elif operator in (b"Tj", b"TJ"):
                strings = operands[0] if operator == b"TJ" else [operands[0]]
                raw = b"".join(s.original_bytes for s in strings if hasattr(s, "original_bytes"))
                drawn.append("".join(maps.get(font, {}).get(byte, chr(byte)) for byte in raw))
    return "\n".join(drawn)


def pdf_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_pdf_brief_in_arabic_embeds_amiri_and_writes_joined_letters_from_the_right(client):
    # Niger, 2022: nothing published, so no chart (no renderer needed).
    data = get_ok(client, "/export/brief/NER.pdf?year=2022&lang=ar")
    reader = PdfReader(io.BytesIO(data))
    assert {name.split("+")[-1] for name in pdf_fonts(reader)} >= {"Amiri-Regular", "Amiri-Bold"}
    assert not any("DejaVu" in name for name in pdf_fonts(reader))
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    text = drawn_text(reader)
    assert PRESENTATION_FORM.search(text)
    # Each line is written in display order: the shaped line as python-bidi's own
    # get_display orders it (an oracle independent of components/pdf_rtl.py's steps).
    page = AR("Page {page} of {pages}").format(page=1, pages=1)
    assert displayed(page) in text
    assert displayed(AR("The country page:")) in text and "http://localhost/countries/NER?lang=ar" in text
    # The logical (reading) order of a line is not what is drawn.
    assert shape(AR("The country page:")) not in text


@kaleido
def test_pdf_brief_in_arabic_with_its_chart_and_tables(app, client, renderer):
    data = get_ok(client, "/export/brief/LBY.pdf?year=2022&lang=ar")
    reader = PdfReader(io.BytesIO(data))
    text = drawn_text(reader)
    for heading in (AR("Key figures, {year}").format(year=2022), AR("Partners"), AR("Sources")):
        assert displayed(heading) in text, heading
    with app.server.test_request_context("/"):
        country = q.countries("ar").set_index("iso3").name["LBY"]
        partners = q.country_partners("LBY", 2022, "ar")
    assert reader.metadata.title == AR("{country}, {year}").format(country=country, year=2022)
    for name in partners.name:  # Latin names print in Amiri's Latin letters
        assert name in text or visual(name) in text
    assert sum(len(page.images) for page in reader.pages) == 1  # the chart


def test_english_and_french_briefs_keep_their_fonts_and_print_the_arabic_name(client):
    reader = PdfReader(io.BytesIO(client.get("/export/brief/NER.pdf?year=2022&lang=fr").data))
    fonts = {name.split("+")[-1] for name in pdf_fonts(reader)}
    assert "DejaVuSans" in fonts or "Helvetica" in fonts
    text = reader.pages[0].extract_text()
    assert "La page du pays" in text  # translated (it used to stay in English)
    assert PRESENTATION_FORM.search(text)  # the Arabic name under the title, joined


# --- the PowerPoint brief ----------------------------------------------------------------------------------


A_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@kaleido
def test_pptx_brief_in_arabic_is_right_to_left(client, renderer):
    deck = Presentation(io.BytesIO(get_ok(client, "/export/brief/NGA.pptx?year=2022&lang=ar")))
    paragraphs = tables = charts = 0
    for slide in deck.slides:
        for shape_ in slide.shapes:
            frames = []
            if shape_.has_text_frame:
                frames.append(shape_.text_frame)
            if shape_.has_table:
                assert shape_.table._tbl.tblPr.get("rtl") == "1"
                tables += 1
                frames += [cell.text_frame for row in shape_.table.rows for cell in row.cells]
            if shape_.has_chart:
                charts += 1
                assert shape_.chart.value_axis.reverse_order  # bars grow leftwards
            for frame in frames:
                for paragraph in frame.paragraphs:
                    if not paragraph.text.strip():
                        continue
                    paragraphs += 1
                    assert paragraph._p.pPr.get("rtl") == "1", paragraph.text
                    for run in paragraph.runs:
                        cs = run._r.rPr.find(f"{A_NS}cs")
                        assert cs is not None and cs.get("typeface") == "Arial"
    assert paragraphs > 20 and tables >= 2 and charts >= 1
    title = deck.slides[0].shapes[0].text_frame.paragraphs[0]
    assert title.text == AR("COMPASS country brief").upper()
    assert title._p.pPr.get("algn") == "r"


@kaleido
def test_pptx_brief_in_english_is_left_to_right(client, renderer):
    data = client.get("/export/brief/NGA.pptx?year=2022&lang=en").data
    slides = [
        n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if re.match(r"ppt/slides/slide\d+\.xml", n)
    ]
    xml = "".join(zipfile.ZipFile(io.BytesIO(data)).read(n).decode() for n in slides)
    assert xml.count('rtl="1"') == 1  # only the Arabic name under the title
    assert 'typeface="Arial"' not in xml


# --- datasets ------------------------------------------------------------------------------------------


def test_xlsx_in_arabic_is_right_to_left_and_translated(client):
    book = load_workbook(
        io.BytesIO(get_ok(client, "/export/country-figures.xlsx?year=2022&country=LBY&lang=ar"))
    )
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    assert book.sheetnames == [AR("Country figures"), AR("sources"), AR("filters")]
    data, sources, filters = book.worksheets
    headers = [cell.value for cell in data[1]]
    assert headers == [header(c.name, "ar", c.label) for c in RESULT_EXPORT_COLUMNS]
    for sheet in book.worksheets:  # every header in Arabic: no English left
        for value in (cell.value for cell in sheet[1]):
            assert ARABIC_LETTER.search(value) and not LATIN_WORD.search(value.replace("ISO3", "")), value
    labels = [row[0].value for row in filters.iter_rows(min_row=2)]
    assert all(ARABIC_LETTER.search(label) and not LATIN_WORD.search(label) for label in labels), labels
    values = dict((row[0].value, row[1].value) for row in filters.iter_rows(min_row=2))
    assert values[AR("Language")] == LANGUAGE_NAMES["ar"]
    assert values[AR("Source")].startswith(
        AR("Source: IOM COMPASS programme publications, compiled by the COMPASS Dashboard")[:10]
    )


@pytest.mark.parametrize(
    ("url", "dataset"),
    [
        (
            "/export/explorer.xlsx?indicators=migrants_return_assistance&countries=MLI,NGA&lang=ar",
            "Indicator explorer",
        ),
        ("/export/partners.xlsx?countries=LBY&lang=ar", "Partner directory"),
        ("/export/activities.xlsx?year=2022&lang=ar", "Partner activities"),
    ],
)
def test_every_workbook_in_arabic_names_its_sheets_and_filters_in_arabic(client, url, dataset):
    book = load_workbook(io.BytesIO(get_ok(client, url)))
    assert book.sheetnames == [AR(dataset), AR("sources"), AR("filters")]
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    rows = list(book.worksheets[2].iter_rows(min_row=2, values_only=True))
    for label, _ in rows:  # "Years", "Search", "Export date"...: every label in Arabic
        assert ARABIC_LETTER.search(label) and not LATIN_WORD.search(label), label
    assert dict(rows)[AR("Dataset")] == AR(dataset)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_xlsx_in_other_languages_stays_left_to_right(client, lang):
    book = load_workbook(io.BytesIO(client.get(f"/export/coverage.xlsx?year=2022&lang={lang}").data))
    assert not any(sheet.sheet_view.rightToLeft for sheet in book.worksheets)


@pytest.mark.parametrize(
    "url",
    [
        "/export/programme-figures.csv?year=2022&lang=ar",
        "/export/country-figures.csv?year=2022&country=LBY&lang=ar",
        "/export/coverage.csv?year=2022&lang=ar",
        "/export/activities.csv?year=2022&lang=ar",
        "/export/explorer.csv?indicators=migrants_return_assistance&countries=MLI,NGA&lang=ar",
        "/export/partners.csv?lang=ar",
    ],
)
def test_csv_in_arabic_has_arabic_headers_and_the_same_hxl_row(client, url):
    data = get_ok(client, url)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, as in every language
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    english = list(
        csv.reader(io.StringIO(client.get(url.replace("lang=ar", "lang=en")).data.decode("utf-8-sig")))
    )
    # HXL hashtags: the same in every language, but the description's language attribute:
    # an Arabic file's descriptions fall back to English where no Arabic text exists.
    assert rows[1] == [tag.replace("#description+en", "#description") for tag in english[1]]
    assert len(rows) == len(english)
    for value in rows[0]:
        assert ARABIC_LETTER.search(value) and not LATIN_WORD.search(value.replace("ISO3", "")), value


def test_every_column_label_has_an_arabic_translation():
    for name, msgid in COLUMN_LABELS.items():
        assert AR(msgid) != msgid and ARABIC_LETTER.search(AR(msgid)), name


# --- charts --------------------------------------------------------------------------------------------


def test_an_arabic_chart_export_is_titled_and_captioned_on_the_right():
    from datetime import date

    import plotly.graph_objects as go

    figure = go.Figure(go.Bar(x=[1, 2], y=["a", "b"], orientation="h"))
    frames = {
        lang: export_frame("T", [("Y", "2022")], lang, get_translator(lang), date(2026, 1, 1))
        for lang in ("en", "ar")
    }
    english, arabic = (decorate(figure, frames[lang], 1000) for lang in ("en", "ar"))
    assert english.layout.title.xanchor == "left" and arabic.layout.title.xanchor == "right"
    assert arabic.layout.title.x > 0.9 and english.layout.title.x < 0.1
    caption = arabic.layout.annotations[-1]
    assert caption.xanchor == "right" and caption.align == "right" and caption.x >= 1
    assert all(line.startswith(RLI) and line.endswith(PDI) for line in caption.text.split("<br>"))
    assert (
        arabic.layout.font.family == ARABIC_FONT_FAMILY and english.layout.font.family != ARABIC_FONT_FAMILY
    )


def test_the_brief_chart_is_mirrored_in_arabic(sqlite_context):
    from components.brief import brief_kpis, brief_panels

    results = q.country_results("NGA", 2022, "ar", breakdowns=False, programme_facts=False)
    panels = brief_panels(brief_kpis(results, "ar"), AR)
    arabic, english = brief_figure(panels, "ar", AR), brief_figure(panels, "en", get_translator("en"))
    assert arabic.layout.xaxis.autorange == "reversed" and arabic.layout.yaxis.side == "right"
    assert english.layout.xaxis.autorange is None and english.layout.yaxis.side in (None, "left")
    assert arabic.layout.margin.r > arabic.layout.margin.l  # the names' room, on the right
    assert {a.xanchor for a in arabic.layout.annotations} == {"right"}


def test_the_renderer_is_given_the_vendored_font(renderer):
    path = renderer.font_config()
    config = path.read_text()
    assert str(renderer.FONT_DIR) in config and "<include" in config
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        pytest.skip("fontconfig's fc-list is not installed")
    found = subprocess.run(
        [fc_list, ":", "family", "file"], capture_output=True, text=True, env={"FONTCONFIG_FILE": str(path)}
    ).stdout
    assert str(renderer.FONT_DIR / "Amiri-Regular.ttf") in found


@kaleido
def test_an_arabic_chart_pdf_carries_amiri(app, client, renderer):
    data = get_ok(client, "/export/figure/country-figures.pdf?year=2022&country=LBY&lang=ar")
    reader = PdfReader(io.BytesIO(data))
    assert any("Amiri" in name for name in pdf_fonts(reader)), pdf_fonts(reader)
    with app.server.test_request_context("/"):
        country = q.countries("ar").set_index("iso3").name["LBY"]
    assert reader.metadata.title == AR("Figures for {country}, {year}").format(country=country, year=2022)


@kaleido
@pytest.mark.parametrize(
    "url",
    [
        "/export/figure/coverage-map.png?year=2022&lang=ar",
        "/export/figure/country-figures.svg?year=2022&lang=ar",
        "/export/figure/results-map.pdf?year=2022&lang=ar",
        "/export/figure/explorer.png?indicators=migrants_return_assistance&countries=MLI,NGA&lang=ar",
        "/export/programme-figures.xlsx?year=2022&lang=ar",
        "/export/activities.xlsx?year=2022&country=NGA&lang=ar",
        "/export/explorer.xlsx?indicators=migrants_return_assistance&lang=ar",
        "/export/partners.xlsx?lang=ar",
        "/export/brief/TUN.pdf?year=2025&lang=ar",
        "/export/brief/ETH.pptx?year=2022&lang=ar",
    ],
)
def test_every_kind_of_export_answers_in_arabic(client, renderer, url):
    assert get_ok(client, url)


@kaleido
def test_an_arabic_svg_chart_has_its_arabic_title(client, renderer):
    import xml.etree.ElementTree as ET

    data = get_ok(client, "/export/figure/coverage-map.svg?year=2022&lang=ar")
    texts = " ".join(ET.fromstring(data).itertext())
    assert AR("Published items per country, {year}").format(year=2022) in texts
    assert AR("Exported on {date}").split("{date}")[0].strip() in texts
    assert "Amiri" in data.decode()


def test_an_arabic_caption_isolates_each_source_and_closes_what_a_line_break_cuts():
    import pandas as pd

    from components.export_figures import FSI, source_caption

    titles = [f"Report number {i} on migration (IOM), a long Latin title to wrap." for i in range(4)]
    frame = pd.DataFrame({"source_title": titles, "source_publisher": ["IOM"] * 4})
    lines = source_caption([frame], AR, rtl=True)
    assert len(lines) > 1
    for line in lines:
        assert line.count(FSI) == line.count(PDI)  # every isolate closed on its own line
    plain = " ".join(lines).replace(FSI, "").replace(PDI, "")
    assert plain.split() == " ".join(source_caption([frame], AR)).split()  # the same words
    assert " ".join(lines).count(FSI) >= 3  # the three sources named, each isolated
    assert FSI not in "".join(source_caption([frame], AR))


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_a_failed_export_says_so_in_the_readers_language(client, monkeypatch, lang):
    from web import export_registry
    from web.exports import FAILED

    def broken(*_args, **_kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setitem(export_registry.DATASETS, "coverage", export_registry.DatasetExport(broken))
    response = client.get(f"/export/coverage.csv?year=2022&lang={lang}")
    assert response.status_code == 500
    expected = get_translator(lang)(FAILED)
    assert response.get_data(as_text=True).strip() == expected
    assert (expected != FAILED) == (lang != "en")


def test_an_image_export_without_a_browser_says_so_in_the_readers_language(client, monkeypatch):
    from components import export_render
    from web.exports import NO_RENDERER as UNAVAILABLE

    def no_browser(*_args, **_kwargs):
        raise export_render.RendererUnavailable("no chromium found")

    monkeypatch.setattr(export_render, "render", no_browser)
    response = client.get("/export/figure/coverage-map.png?year=2022&lang=ar")
    assert response.status_code == 503
    assert response.get_data(as_text=True).strip() == AR(UNAVAILABLE) != UNAVAILABLE


def test_a_right_to_left_paragraph_longer_than_a_page_continues_on_the_next():
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A6
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import SimpleDocTemplate

    from components.brief_pdf import arabic_fonts
    from components.pdf_rtl import rtl_paragraph

    regular, bold = arabic_fonts()
    style = ParagraphStyle("p", fontName=regular, fontSize=10, leading=14, alignment=TA_RIGHT)
    words = [f"كلمة{i}" for i in range(600)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A6).build([rtl_paragraph(" ".join(words), style, (regular, bold))])
    reader = PdfReader(buffer)
    assert len(reader.pages) > 1
    drawn = drawn_text(reader).split()
    assert len(drawn) == len(words)  # every word drawn once, none lost at the page break
    first_line = drawn_text(reader).split("\n")[0]
    assert first_line.endswith(displayed(words[0]))  # read from the right: the first word on the right


def test_a_chart_with_its_names_on_the_right_keeps_their_room_on_the_right():
    """A right-to-left bar chart (names right of the bars, as an Arabic figure
    builder draws it) keeps the room for its long names on the right when decorated."""
    from datetime import date

    import plotly.graph_objects as go

    frame = export_frame("T", [("Y", "2022")], "ar", AR, date(2026, 1, 1))
    names = ["a rather long name of an indicator", "b"]
    leftwards = go.Figure(go.Bar(x=[1, 2], y=names, orientation="h"))
    rightwards = go.Figure(leftwards).update_yaxes(side="right")
    left_margin = decorate(leftwards, frame, 1000).layout.margin
    right_margin = decorate(rightwards, frame, 1000).layout.margin
    assert left_margin.l > 200 and left_margin.r < 50
    assert right_margin.r == left_margin.l and right_margin.l == left_margin.r
    caption = decorate(rightwards, frame, 1000).layout.annotations[-1]
    assert caption.x > 1  # at the figure's right edge, beyond the plot and the names


def test_marks_give_a_latin_text_its_own_direction_at_its_edges():
    from components.pdf_rtl import LRM, RLM, marked

    assert marked("https://example.org/") == f"{LRM}https://example.org/{LRM}"
    assert marked("وزارة الصحة") == f"{RLM}وزارة الصحة{RLM}"
    assert marked("2022") == "2022"  # no letter: nothing to say
    # In an Arabic line, the marked address keeps its closing "/" on its right.
    assert visual(f"صفحة البلد: {marked('https://example.org/')}").startswith("https://example.org/")
