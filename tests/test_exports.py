"""Export files, through the Flask test client of the real app (no browser page).

Charts (PNG/SVG/PDF) and the briefs' charts go through kaleido and Debian's
chromium: those tests carry the `kaleido` mark; they skip locally without
chromium and fail in CI (CI=true), where `make test` installs it. The numbers
in every file are checked against the query functions the pages use.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import xml.etree.ElementTree as ET
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader

from components.export_tables import (
    COVERAGE_EXPORT_COLUMNS,
    PARTNER_EXPORT_COLUMNS,
    RESULT_EXPORT_COLUMNS,
    ExportColumn,
    Table,
    activity_export_columns,
    to_csv,
    to_xlsx,
)
from components.i18n import get_translator
from components.theme import place_colour
from data_access import queries as q
from tests.helpers import IN_CI, NNBSP, REPO, export_hrefs, make_app
from web.export_registry import ExportView, export_figure


@pytest.fixture(scope="module")
def app(sqlite_engine):
    # Hundreds of exports from one address: the rate limit is tested in tests/web/test_limits.py.
    return make_app(sqlite_engine, export_rate_limit="")


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


kaleido = pytest.mark.kaleido


def get_file(client, url: str, media_type: str, filename: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    return response.data


def expected_size(app, figure: str, year: int, lang: str, country: str | None = None) -> tuple[int, int]:
    with app.server.test_request_context("/"):
        name = q.countries(lang).set_index("iso3").name.get(country) if country else None
        view = ExportView(year, lang, get_translator(lang), country, name)
        _, width, height = export_figure(figure, view)
    return width, height


def colours(image: Image.Image) -> dict[tuple[int, int, int], int]:
    return {rgb: n for n, rgb in image.convert("RGB").getcolors(maxcolors=1 << 20)}


def share(image: Image.Image, rgb: tuple[int, int, int]) -> float:
    return colours(image).get(rgb, 0) / (image.width * image.height)


def hex_rgb(value: str) -> tuple[int, int, int]:
    return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))


# --- charts ------------------------------------------------------------------------------------------


@kaleido
def test_map_png_has_the_expected_size_and_the_countries_drawn(app, client, renderer):
    data = get_file(
        client, "/export/figure/coverage-map.png?year=2022", "image/png", "compass-coverage-map-2022-en.png"
    )
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(data))
    assert image.size == expected_size(app, "coverage-map", 2022, "en")
    stat = image.convert("L").getextrema()
    assert stat[1] - stat[0] > 200  # not a blank image
    # Nigeria has the most items in 2022: the darkest blue of the scale; countries
    # with nothing published are grey; the land around is drawn from the local topojson.
    assert share(image, hex_rgb("#08306b")) > 0.005
    assert share(image, hex_rgb("#d9d9d9")) > 0.01
    assert share(image, hex_rgb("#f1f3f5")) > 0.05


@kaleido
def test_country_chart_png_for_one_country_in_french(app, client, renderer):
    url = "/export/figure/country-figures.png?year=2022&lang=fr&country=lby"
    data = get_file(client, url, "image/png", "compass-country-figures-LBY-2022-fr.png")
    image = Image.open(io.BytesIO(data))
    assert image.size == expected_size(app, "country-figures", 2022, "fr", "LBY")
    assert share(image, hex_rgb(place_colour("LBY"))) > 0.01  # the bars, in Libya's own colour
    assert len(colours(image)) > 50  # text is anti-aliased: many shades, not a flat image


@kaleido
def test_svg_is_xml_with_title_filters_sources_and_date(app, client, renderer):
    data = get_file(
        client,
        "/export/figure/country-figures.svg?year=2022",
        "image/svg+xml",
        "compass-country-figures-2022-en.svg",
    )
    root = ET.fromstring(data)
    assert root.tag.endswith("svg")
    texts = " ".join(t for t in root.itertext())
    assert "Country figures, 2022" in texts
    assert "Year: 2022 · Language: English" in texts
    # The caption names the documents the bars come from, not a generic line.
    with app.server.test_request_context("/"):
        cited = q.country_level_results(2022, "en", breakdowns=False).source_title.unique()
    assert len(cited) > 3
    assert "Sources: " + cited[0][:40] in texts
    assert f"and {len(cited) - 3} more. Compiled by the COMPASS Dashboard." in texts
    assert "Exported on" in texts and str(date.today().year) in texts
    assert "more than 7,000" in texts  # the qualifier travels with the bar


@kaleido
def test_figure_pdf_is_one_page_with_its_text_and_title(client, renderer):
    data = get_file(
        client,
        "/export/figure/coverage-map.pdf?year=2022&lang=fr",
        "application/pdf",
        "compass-coverage-map-2022-fr.pdf",
    )
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text().replace("\u00a0", " ")
    assert "Éléments publiés par pays, 2022" in text
    assert "Source : " in text or "Sources : " in text
    assert "Compilé par le tableau de bord COMPASS." in text
    # The document's title, which PDF viewers show, is the chart's, not chromium's.
    assert reader.metadata.title == "Éléments publiés par pays, 2022"
    assert "Kaleido" not in str(reader.metadata)
    assert reader.trailer["/Root"]["/Lang"] == "fr"


@kaleido
def test_renders_from_several_threads_do_not_mix_up(renderer):
    import plotly.graph_objects as go

    sizes = [(300 + 40 * i, 200 + 30 * i) for i in range(6)]
    results: dict[int, bytes] = {}

    def draw(i: int) -> None:
        fig = go.Figure(go.Bar(x=[1, 2, 3], y=[i + 1, 2, 3]))
        results[i] = renderer.render(fig, "png", *sizes[i])

    threads = [threading.Thread(target=draw, args=(i,)) for i in range(len(sizes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert {i: Image.open(io.BytesIO(b)).size for i, b in results.items()} == dict(enumerate(sizes))
    assert renderer.is_running()


@kaleido
def test_renderer_restarts_after_shutdown_and_never_downloads_a_browser(renderer, monkeypatch):
    import choreographer.cli
    import kaleido as kaleido_module
    import plotly.graph_objects as go

    def no_download(*_args, **_kwargs):
        raise AssertionError("a browser download was attempted")

    for module, name in (
        (kaleido_module, "get_chrome"),
        (kaleido_module, "get_chrome_sync"),
        (choreographer.cli, "get_chrome"),
        (choreographer.cli, "get_chrome_sync"),
    ):
        monkeypatch.setattr(module, name, no_download)
    renderer.shutdown()
    assert not renderer.is_running()
    png = renderer.render(go.Figure(go.Bar(x=[1], y=[1])), "png", 200, 100)
    assert Image.open(io.BytesIO(png)).size == (200, 100)
    assert renderer.is_running()
    import plotly.io as pio

    assert pio.defaults.topojson == renderer.topojson_url()
    assert pio.defaults.topojson.startswith("file://")
    assert (renderer.GEO_DIR / "world_110m.json").is_file()


def test_no_code_asks_kaleido_to_download_a_browser():
    call = re.compile(r"get_chrome(_sync)?\s*\(|import[^\n]*get_chrome")
    offenders = [
        str(path.relative_to(REPO))
        for folder in ("components", "pages", "data_access", "scripts")
        for path in (REPO / folder).rglob("*.py")
        if call.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


OFFLINE_SCRIPT = textwrap.dedent(
    """
    import io, sys
    from PIL import Image
    from data_access.engine import make_engine
    from components import export_render
    from tests.helpers import make_app

    client = make_app(make_engine(sys.argv[1])).server.test_client()
    response = client.get("/export/figure/coverage-map.png?year=2022")
    assert response.status_code == 200, response.data
    image = Image.open(io.BytesIO(response.data)).convert("RGB")
    grey = sum(n for n, rgb in image.getcolors(1 << 20) if rgb == (0xd9, 0xd9, 0xd9))
    print("local-map", image.size, grey > 0)
    # The control: the same render with plotly's default (the CDN) cannot draw the map here.
    import kaleido
    import plotly.graph_objects as go

    fig = go.Figure(go.Choropleth(locations=["LBY"], z=[1], locationmode="ISO-3"))
    try:
        kaleido.calc_fig_sync(fig.to_dict(), opts={"format": "png", "width": 300, "height": 200})
        print("cdn-map rendered")
    except Exception as exc:
        print("cdn-map failed:", type(exc).__name__)
    export_render.shutdown()
    """
)


def _unshare() -> list[str] | None:
    """A command prefix that runs a process without any network (a new network namespace)."""
    tool = shutil.which("unshare")
    if tool is None:
        return None
    for prefix in ([tool, "--net"], [tool, "--user", "--map-root-user", "--net"]):
        if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
            return prefix
    return None


@kaleido
def test_map_export_works_without_any_network(app, sqlite_engine, renderer):
    """In a network namespace with no interface up, the map still has its shapes
    (read from assets/geo), while plotly's default CDN address fails there."""
    prefix = _unshare()
    if prefix is None:
        if IN_CI:
            pytest.fail("unshare --net is needed to prove the export works offline")
        pytest.skip("cannot create a network namespace here (unshare --net)")
    result = subprocess.run(
        [*prefix, sys.executable, "-c", OFFLINE_SCRIPT, str(sqlite_engine.url)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    size = expected_size(app, "coverage-map", 2022, "en")
    assert f"local-map {size} True" in result.stdout, result.stdout + result.stderr[-2000:]
    assert "cdn-map failed" in result.stdout, result.stdout


# --- datasets ------------------------------------------------------------------------------------------


def read_csv(data: bytes, columns=None) -> tuple[list[str], list[str], list[dict[str, str]]]:
    """Header, HXL row and rows; the rows keyed by the columns' machine names when
    `columns` are given (a French file's headers are in French), else by the header."""
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the accents right
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, hxl = rows[0], rows[1]
    keys = [c.name for c in columns] if columns else header
    assert len(keys) == len(header)
    return header, hxl, [dict(zip(keys, row, strict=True)) for row in rows[2:]]


def test_country_csv_has_the_page_figures_with_qualifiers_and_hxl(engine):
    app = make_app(engine)  # SQLite, and PostgreSQL when TEST_DATABASE_URL is set (required in CI)
    client = app.server.test_client()
    data = get_file(
        client,
        "/export/country-figures.csv?year=2022&country=LBY",
        "text/csv",
        "compass-country-figures-LBY-2022-en.csv",
    )
    header, hxl, rows = read_csv(data)
    assert header[:9] == [
        "indicator",
        "indicator_name",
        "country_iso3",
        "country_name",
        "period_start",
        "period_end",
        "value",
        "qualifier",
        "figure",
    ]
    assert {
        "breakdown",
        "breakdown_value",
        "source_title",
        "source_url",
        "source_quote",
        "source_note",
    } <= set(header)
    tags = dict(zip(header, hxl, strict=True))
    assert tags["indicator"] == "#indicator+code"
    assert tags["country_iso3"] == "#country+code"
    assert tags["value"] == "#reached"
    assert tags["qualifier"] == "#meta+qualifier"
    assert tags["period_start"] == "#date+start" and tags["period_end"] == "#date+end"
    assert tags["source_quote"] == "#meta+quote"
    reached = next(r for r in rows if r["indicator"] == "migrants_reached_by_ambassadors")
    assert (reached["value"], reached["qualifier"], reached["figure"]) == (
        "7000",
        "more_than",
        "more than 7,000",
    )
    assert (reached["period_start"], reached["period_end"]) == ("2022-01-01", "2022-12-31")
    assert reached["source_title"] and reached["source_quote"]
    with app.server.test_request_context("/"):
        page = q.country_results("LBY", 2022, "en")
    expected = {
        (r.indicator_code, f"{r.value:g}", r.qualifier, r.period_start.isoformat(), r.source_title)
        for r in page.itertuples()
    }
    got = {(r["indicator"], r["value"], r["qualifier"], r["period_start"], r["source_title"]) for r in rows}
    assert got == expected and len(rows) == len(page)


@pytest.mark.parametrize(
    ("dataset", "query", "columns"),
    [
        ("programme-figures", lambda: q.programme_results(2022, "fr"), RESULT_EXPORT_COLUMNS),
        ("country-figures", lambda: q.country_level_results(2022, "fr"), RESULT_EXPORT_COLUMNS),
        ("coverage", lambda: q.country_coverage(2022, "fr"), COVERAGE_EXPORT_COLUMNS),
        ("activities", lambda: q.activities(2022, "fr"), activity_export_columns("fr")),
    ],
)
def test_every_dataset_lists_what_the_query_returns(app, client, dataset, query, columns):
    data = get_file(
        client, f"/export/{dataset}.csv?year=2022&lang=fr", "text/csv", f"compass-{dataset}-2022-fr.csv"
    )
    header, hxl, rows = read_csv(data, columns)
    # A French file has French headers; the HXL row is the same in every language.
    assert [c.name for c in columns if c.name in header] == []
    assert hxl == [c.hxl for c in columns]
    assert all(tag.startswith("#") for tag in hxl)
    with app.server.test_request_context("/"):
        frame = query()
    assert len(rows) == len(frame) > 0
    if dataset == "coverage":
        assert {(r["country_iso3"], int(r["figures"])) for r in rows} == set(
            zip(frame.iso3, frame.figures, strict=True)
        )
        assert next(r for r in rows if r["country_iso3"] == "EGY")["country_name"] == "Égypte"
    if dataset == "activities":
        assert {r["key"] for r in rows} == set(frame.key)
        assert "#description+fr" in hxl


def test_xlsx_has_typed_cells_sources_and_filters(client):
    data = get_file(
        client,
        "/export/country-figures.xlsx?year=2022&country=LBY&lang=fr",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "compass-country-figures-LBY-2022-fr.xlsx",
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Chiffres par pays", "sources", "filtres"]
    sheet = book["Chiffres par pays"]
    header = [c.value for c in sheet[1]]
    # French headers; a column of codes says so, beside the column of names.
    assert header[:4] == ["Indicateur (code)", "Indicateur", "Pays (code ISO3)", "Pays"]
    assert "Valeur" in header and "Citation de la source" in header
    assert len(set(header)) == len(header)
    names = [c.name for c in RESULT_EXPORT_COLUMNS]
    assert [c.value for c in sheet[2]][names.index("value")] == "#reached"
    assert sheet[1][0].font.bold and sheet[1][0].fill.fgColor.rgb.endswith("0B4F8A")
    assert sheet.freeze_panes == "A3"
    rows = [dict(zip(names, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 4
    reached = next(r for r in rows if r["indicator"] == "migrants_reached_by_ambassadors")
    assert reached["value"] == 7000 and isinstance(reached["value"], int | float)
    assert reached["qualifier"] == "more_than"
    assert reached["figure"] == f"plus de 7{NNBSP}000"
    assert reached["period_start"] == datetime(2022, 1, 1)
    assert reached["period_end"] == datetime(2022, 12, 31)
    assert reached["indicator_name"] == "Migrants atteints par les ambassadeurs"

    sources = [[c.value for c in row] for row in book["sources"].iter_rows()]
    assert sources[0] == ["Source", "Adresse de la source", "Lignes qui la citent"]
    assert sources[1] == ["COMPASS Année 2 (2022) : récit des résultats", None, 4]

    assert [c.value for c in book["filtres"][1]] == ["Filtre", "Valeur"]
    filters = {row[0].value: row[1].value for row in book["filtres"].iter_rows(min_row=2)}
    assert filters["Jeu de données"] == "Chiffres par pays"  # its name, not the code of the URL
    assert filters["Année"] == "2022"
    assert filters["Pays"] == "Libye"
    assert filters["Langue"] == "Français"
    assert isinstance(filters["Date d\u2019export"], datetime)
    assert filters["Voir dans le tableau de bord"].endswith("/countries/LBY?year=2022&lang=fr")


def test_english_files_keep_the_stable_column_names(client):
    header, hxl, _ = read_csv(client.get("/export/country-figures.csv?year=2022&country=LBY").data)
    assert header == [c.name for c in RESULT_EXPORT_COLUMNS]
    book = load_workbook(io.BytesIO(client.get("/export/coverage.xlsx?year=2022").data))
    assert book.sheetnames == ["coverage", "sources", "filters"]
    filters = {row[0].value: row[1].value for row in book["filters"].iter_rows(min_row=2)}
    assert filters["Dataset"] == "Published items per country"


def test_spreadsheet_cells_never_run_as_formulas():
    table = Table(
        "test",
        (ExportColumn("text", "#meta"), ExportColumn("value", "#reached", "number")),
        (('=HYPERLINK("http://x")', -3.5), ("+1", 2.0), ("@SUM(A1)", None), ("plain", 1.0)),
    )
    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert [r[0] for r in rows[2:]] == ['\'=HYPERLINK("http://x")', "'+1", "'@SUM(A1)", "plain"]
    assert [r[1] for r in rows[2:]] == ["-3.5", "2", "", "1"]  # numbers are not neutralised
    book = load_workbook(io.BytesIO(to_xlsx(table, [("Year", "2022")])))
    cell = book["test"]["A3"]
    assert cell.data_type == "s" and cell.value.startswith("=")
    assert book["test"]["B3"].value == -3.5


# --- the country brief ------------------------------------------------------------------------------


def brief_text(data: bytes) -> tuple[PdfReader, str]:
    """The PDF and its text with (narrow) no-break spaces and line breaks as plain spaces."""
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.replace("\u00a0", " ").replace(NNBSP, " ").split())


@kaleido
def test_pdf_brief_in_french(app, client, renderer):
    data = get_file(
        client, "/export/brief/lby.pdf?year=2022&lang=fr", "application/pdf", "compass-brief-LBY-2022-fr.pdf"
    )
    reader, text = brief_text(data)
    assert reader.metadata.title == "Libye, 2022"
    for expected in (
        "FICHE PAYS COMPASS",
        "Libye, 2022",
        "Chiffres clés, 2022",
        "plus de 7 000",  # qualifier written out, French grouping
        "Ministère de la Santé (Libye)",  # a partner, with its accents
        "Gouvernement",  # its type
        "Santé mentale et soutien psychosocial",  # an activity's theme
        "COMPASS Année 2 (2022) : récit des résultats",  # the source
        f"Page 1 sur {len(reader.pages)}",
        "Source : publications du programme COMPASS",
    ):
        assert expected in text, expected
    with app.server.test_request_context("/"):
        results = q.country_results("LBY", 2022, "fr", breakdowns=False)
        activities = q.activities(2022, "fr", iso3="LBY")
    # Each figure's source quote, and every activity's description whole.
    for quote in results.source_quote.dropna().unique():
        assert " ".join(quote.split()) in text, quote[:40]
    for description in activities.description:
        assert " ".join(description.split()) in text, description[:40]
    assert len(reader.pages[0].images) + len(reader.pages[1].images) == 1  # the chart


def test_files_of_a_country_without_a_year_are_of_its_own_latest_year(client):
    # Ethiopia's latest figures of its own are of 2022 (2024: only a programme fact).
    data = get_file(
        client,
        "/export/country-figures.csv?country=ETH",
        "text/csv",
        "compass-country-figures-ETH-2022-en.csv",
    )
    assert "Beekeeping cooperatives created" in data.decode("utf-8-sig")
    response = client.get("/export/brief/eth.pptx?lang=fr")
    assert response.status_code == 200
    assert "ETH-2022-fr" in response.headers["Content-Disposition"]
    overview = client.get("/export/country-figures.csv")  # no country: the Overview's year
    assert "2024" in overview.headers["Content-Disposition"]


def test_a_brief_says_sources_differ_as_the_page_does(app):
    from components.brief import brief_kpis

    with app.server.test_request_context("/"):
        nigeria = {k.indicator: k for k in brief_kpis(q.country_results("NGA", 2024, "en"), "en")}
        trained = {k.indicator: k for k in brief_kpis(q.country_results("NGA", 2022, "en"), "en")}
    returns = nigeria["Migrants helped to return"]
    assert returns.figures == ("1,013", "about 1,000") and not returns.differ  # one article, rounded
    assert trained["Stakeholders trained"].differ  # two articles, worded differently


def test_a_brief_leaves_out_the_programme_facts_a_countrys_sources_cite(client):
    data = get_file(
        client, "/export/brief/ETH.pdf?year=2024", "application/pdf", "compass-brief-ETH-2024-en.pdf"
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Nothing was published for Ethiopia in 2024." in text
    assert "Partner countries" not in text


def test_pdf_brief_of_a_country_without_data_says_so(client):
    data = get_file(
        client, "/export/brief/NER.pdf?year=2022", "application/pdf", "compass-brief-NER-2022-en.pdf"
    )
    reader, text = brief_text(data)
    assert len(reader.pages) == 1
    assert "Nothing was published for Niger in 2022." in text
    assert "The country page: http://localhost/countries/NER?lang=en" in text
    assert "Key figures" not in text and not reader.pages[0].images


@kaleido
def test_brief_with_one_figure_shows_it_as_a_headline_not_a_one_bar_chart(app, client, renderer):
    with app.server.test_request_context("/"):
        # (Its programme facts left out: they are not the country's results.)
        results = q.country_results("TUN", 2025, "en", breakdowns=False, programme_facts=False)
    assert len(results) == 1  # the case this test is about
    row = results.iloc[0]
    reader, text = brief_text(client.get("/export/brief/TUN.pdf?year=2025").data)
    assert len(reader.pages) == 1 and not reader.pages[0].images
    assert f"Key figure, 2025 {row.value:,.0f} {row.indicator_name} · 2025" in text
    said = row.source_quote if isinstance(row.source_quote, str) and row.source_quote else row.source_note
    assert " ".join(said.split())[:60] in text
    deck = Presentation(io.BytesIO(client.get("/export/brief/TUN.pptx?year=2025").data))
    assert not [shape for slide in deck.slides for shape in slide.shapes if shape.has_chart]


@kaleido
@pytest.mark.parametrize(
    ("lang", "title", "subject"),
    [
        ("en", "Libya, 2022", "Source: IOM COMPASS"),
        ("fr", "Libye, 2022", "Source\u00a0: publications"),
        ("ar", None, "المصدر: "),  # the title names the country as the Arabic data does
    ],
)
def test_pdf_brief_says_its_language_and_title_and_claims_no_tagging(
    app, client, renderer, lang, title, subject
):
    """Open-source reportlab writes no structure tree (no /StructTreeRoot, no /Alt
    on the chart; README, Accessibility): the brief must not claim to be tagged
    (/MarkInfo), and gives a reader its language, title and subject in that language."""
    if title is None:
        with app.server.test_request_context("/"):
            country = q.countries(lang).set_index("iso3").name["LBY"]
        title = get_translator(lang)("{country}, {year}").format(country=country, year=2022)
    reader, _ = brief_text(client.get(f"/export/brief/LBY.pdf?year=2022&lang={lang}").data)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    assert "/MarkInfo" not in root and "/StructTreeRoot" not in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == title
    assert reader.metadata.subject.startswith(subject)
    assert reader.metadata.creator == "COMPASS Dashboard"


def slide_texts(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


@kaleido
def test_pptx_brief(app, client, renderer):
    data = get_file(
        client,
        "/export/brief/NGA.pptx?year=2022",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "compass-brief-NGA-2022-en.pptx",
    )
    deck = Presentation(io.BytesIO(data))
    texts = [slide_texts(s) for s in deck.slides]
    headings = [t.split("\n")[0] for t in texts]
    assert headings[:3] == ["COMPASS COUNTRY BRIEF", "Key figures, 2022", "Figures published for 2022"]
    order = [h for h in headings if not h.endswith("(continued)")]
    assert order[3:] == ["What the sources say", "Partners", "Partner activities", "Sources"]
    assert headings[-1] == "Sources" and "Partners" in headings and "Partner activities" in headings
    title, kpis, sources = texts[0], texts[1], texts[-1]
    assert "Nigeria, 2022" in title and "نيجيريا" in title and "West and Central Africa" in title
    # Two articles state it differently (model.figures); a span of years says it is cumulative.
    assert "109 / about 109 (Sources differ)" in kpis and "cumulative, 2021–2022" in kpis
    assert "more than 90%" not in kpis  # a context statistic its sources quote, not a Nigerian result
    # A source's own words stay in its language, and the reader is told which.
    assert "42 professionnels" in "\n".join(texts) and "(in French) – " in "\n".join(texts)
    assert "newsdiaryonline.com" in sources
    assert f"Page {len(deck.slides)} of {len(deck.slides)}" in sources
    assert not any(shape.shape_type == 13 for slide in deck.slides for shape in slide.shapes)  # no picture


@kaleido
def test_pptx_brief_charts_are_native_with_the_figures_as_data(app, client, renderer):
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.enum.dml import MSO_FILL

    deck = Presentation(io.BytesIO(client.get("/export/brief/NGA.pptx?year=2022").data))
    charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    with app.server.test_request_context("/"):
        results = q.country_results("NGA", 2022, "en", breakdowns=False, programme_facts=False)
    drawn = {}
    for chart in charts:
        assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
        assert chart.value_axis.minimum_scale == 0  # linear from zero, never logarithmic
        series = chart.plots[0].series[0]
        for i, (name, value) in enumerate(zip(chart.plots[0].categories, series.values, strict=True)):
            drawn[name] = value
            stated = results[results.indicator_name == name]
            assert value == stated.value.max()  # the highest figure stated: nothing added up
            hatched = series.points[i].format.fill.type == MSO_FILL.PATTERNED
            assert hatched == (stated.loc[stated.value.idxmax()].qualifier != "exact")
        # A panel holds one unit and one period: a percentage never beside counts.
        units = {results[results.indicator_name == name].unit.iloc[0] for name in chart.plots[0].categories}
        assert len(units) == 1
    assert set(drawn) == set(results.indicator_name)


@kaleido
def test_pptx_long_texts_continue_on_another_slide_rather_than_being_cut(app, client, renderer):
    deck = Presentation(io.BytesIO(client.get("/export/brief/NGA.pptx?year=2022&lang=fr").data))
    text = " ".join(" ".join(slide_texts(s).split()) for s in deck.slides)
    with app.server.test_request_context("/"):
        activities = q.activities(2022, "fr", iso3="NGA")
        notes = q.country_results(
            "NGA", 2022, "fr", breakdowns=False, programme_facts=False
        ).source_note.dropna()
    for description in activities.description:
        assert " ".join(description.split()) in text
    for note in notes:
        assert " ".join(note.split()) in text
    assert "Ce que disent les sources (suite)" in text


# --- links on the pages ---------------------------------------------------------------------------------


def test_pages_link_to_their_exports(sqlite_context):
    from pages import country, overview

    links = export_hrefs(overview.layout(year="2022", lang="fr"))
    for expected in (
        "/export/figure/results-map.png?year=2022&lang=fr",  # the map shows results (its own test file)
        "/export/figure/results-map.svg?year=2022&lang=fr",
        "/export/figure/country-figures.pdf?year=2022&lang=fr",
        "/export/coverage.csv?year=2022&lang=fr",
        "/export/country-figures.xlsx?year=2022&lang=fr",
        "/export/programme-figures.csv?year=2022&lang=fr",
        "/export/activities.xlsx?year=2022&lang=fr",
    ):
        assert expected in links
    assert set(export_hrefs(country.layout(iso3="lby", year="2022"))) == {
        "/export/brief/LBY.pdf?year=2022&lang=en",
        "/export/brief/LBY.pptx?year=2022&lang=en",
        "/export/country-figures.csv?year=2022&country=LBY&lang=en",
        "/export/country-figures.xlsx?year=2022&country=LBY&lang=en",
    }


@kaleido
def test_every_export_link_on_the_pages_answers_with_a_file(app, client, renderer):
    from pages import country, overview

    with app.server.test_request_context("/"):
        links = export_hrefs(overview.layout(year="2022")) + export_hrefs(
            country.layout(iso3="NGA", lang="fr")
        )
    assert len(links) >= 14
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, (link, response.get_data(as_text=True))
        assert response.headers["Content-Disposition"].startswith('attachment; filename="compass-')


# --- bad requests --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/export/figure/nope.png", 404),  # unknown figure
        ("/export/figure/coverage-map.gif", 400),  # unsupported format
        ("/export/figure/coverage-map.csv", 400),  # a data format for a figure
        ("/export/figure/coverage-map", 404),  # no format
        ("/export/figure/../../etc/passwd.png", 404),
        ("/export/nope.csv", 404),  # unknown dataset
        ("/export/coverage.png", 400),  # an image format for a dataset
        ("/export/coverage.csv?year=abc", 400),  # bad year
        ("/export/coverage.csv?year=1999", 404),  # a year without data
        ("/export/coverage.csv?year=2022&year=2023", 400),  # repeated key
        ("/export/coverage.csv?lang=xx", 400),  # unknown language
        ("/export/country-figures.csv?country=ZZZ", 404),  # unknown country
        ("/export/country-figures.xlsx?country=" + "A" * 700, 400),  # absurdly long value
        ("/export/brief/XYZ.pdf?year=2022", 404),  # unknown country
        ("/export/brief/LBY.docx?year=2022", 400),  # unsupported brief format
        ("/export/brief/LBY.pdf?year=20222", 400),
        ("/export/brief/LBY.pptx?lang=de", 400),
        ("/export/brief", 404),
        ("/export/a/b/c.csv", 404),
        ("/export/%00.csv", 404),
    ],
)
def test_bad_requests_get_a_short_plain_text_4xx(client, url, status):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert 0 < len(body) < 300 and "Traceback" not in body and "<html" not in body.lower()
    assert "Content-Disposition" not in response.headers


def test_unexpected_failures_are_a_short_500_without_traceback(client, monkeypatch):
    from web import export_registry

    def broken(*_args, **_kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setitem(export_registry.DATASETS, "coverage", export_registry.DatasetExport(broken))
    response = client.get("/export/coverage.csv?year=2022")
    assert response.status_code == 500
    assert response.mimetype == "text/plain"
    assert "database went away" not in response.get_data(as_text=True)


@kaleido
def test_explorer_chart_exports_for_the_explorers_own_query(client, renderer):
    query = "indicators=migrants_return_assistance&countries=NGA,MLI&chart=bars&lang=fr"
    data = get_file(
        client,
        f"/export/figure/explorer.svg?{query}",
        "image/svg+xml",
        "compass-migrants_return_assistance-MLI-NGA-fr.svg",
    )
    texts = " ".join(ET.fromstring(data).itertext())
    assert "149" in texts and "1\u202f013" in texts  # Mali 2022 and Nigeria 2024 returns, French digits
    # Names, in French, where the query has codes.
    assert "Migrants aidés au retour" in texts
    assert "Pays : Mali, Nigéria · Années : tous · Langue : Français" in texts.replace("\u00a0", " ")
    assert "migrants_return_assistance" not in texts and "NGA" not in texts
    assert "Compilé par le tableau de bord COMPASS." in texts
    png = get_file(
        client,
        f"/export/figure/explorer.png?{query}",
        "image/png",
        "compass-migrants_return_assistance-MLI-NGA-fr.png",
    )
    extrema = Image.open(io.BytesIO(png)).convert("L").getextrema()
    assert extrema[1] - extrema[0] > 200
    pdf = client.get(f"/export/figure/explorer.pdf?{query}").data
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "Migrants aidés au retour"


@kaleido
def test_explorer_chart_subtitle_stays_clear_of_the_first_panel_title(client, renderer):
    indicators = "migrants_return_assistance,migrants_reached_by_ambassadors"
    data = client.get(f"/export/figure/explorer.svg?indicators={indicators}&countries=NGA,LBY").data
    root = ET.fromstring(data)
    subtitle = next(e for e in root.iter() if e.get("class") == "gtitle-subtitle")
    assert "Indicators: " in "".join(subtitle.itertext())  # two indicators: listed under the title
    subtitle_bottom = float(subtitle.get("y")) + 13 * 1.2
    centres = [
        float(re.search(r"rotate\(0,[\d.]+,([\d.]+)\)", e.get("transform")).group(1))
        for e in root.iter()
        if e.get("class") == "annotation-text-g"
    ]
    first_panel_title_top = min(centres) - 13 * 0.7
    assert first_panel_title_top - subtitle_bottom >= 8
    # The title names the indicator of the first panel, and says how many others follow.
    title = "".join(next(e for e in root.iter() if e.get("class") == "gtitle").itertext())
    first_panel = "".join(next(e for e in root.iter() if e.get("class") == "annotation-text").itertext())
    assert title == first_panel.split(" (")[0] + " and 1 other indicator"


@pytest.mark.parametrize(
    "url, status",
    [
        ("/export/figure/explorer.png?indicators=nope", 404),
        ("/export/figure/explorer.png?countries=NGA&countries=MLI", 400),
        ("/export/figure/explorer.gif?indicators=migrants_return_assistance", 400),
    ],
)
def test_bad_explorer_exports_are_refused_with_a_short_message(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.mimetype == "text/plain" and "Traceback" not in response.get_data(as_text=True)


# --- the explorer's and the partners page's tables ------------------------------------------------------


def test_explorer_csv_has_the_explorers_rows_with_qualifiers_and_hxl(app, client):
    from data_access import explorer

    query = "indicators=migrants_return_assistance&countries=MLI,NGA"
    data = get_file(
        client,
        f"/export/explorer.csv?{query}",
        "text/csv",
        "compass-migrants_return_assistance-MLI-NGA-en.csv",
    )
    header, hxl, rows = read_csv(data)
    tags = dict(zip(header, hxl, strict=True))
    assert tags["indicator"] == "#indicator+code" and tags["value"] == "#reached"
    assert tags["qualifier"] == "#meta+qualifier" and tags["country_iso3"] == "#country+code"
    assert all(tag.startswith("#") for tag in hxl)
    with app.server.test_request_context(f"/indicators?{query}"):
        frame = explorer.explorer_results(("migrants_return_assistance",), ("MLI", "NGA"))
    assert len(rows) == len(frame) > 0
    expected = [
        (
            r.indicator_code,
            r.country_iso3,
            f"{r.value:g}",
            r.qualifier,
            r.period_start.isoformat(),
            r.period_end.isoformat(),
            r.source_title,
        )
        for r in frame.itertuples()
    ]
    got = [
        (
            r["indicator"],
            r["country_iso3"],
            r["value"],
            r["qualifier"],
            r["period_start"],
            r["period_end"],
            r["source_title"],
        )
        for r in rows
    ]
    assert got == expected  # the same rows, in the page's order
    assert {r["country_iso3"] for r in rows} == {"MLI", "NGA"}
    assert {r["scope"] for r in rows} == {"country"}


def test_explorer_xlsx_keeps_the_sort_and_lists_its_filters(client):
    query = "indicators=migrants_return_assistance&countries=MLI,NGA,programme&sort=-value&lang=fr"
    data = get_file(
        client,
        f"/export/explorer.xlsx?{query}",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "compass-migrants_return_assistance-MLI-NGA-programme-fr.xlsx",
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Explorateur d\u2019indicateurs", "sources", "filtres"]
    sheet = book["Explorateur d\u2019indicateurs"]
    header = [c.value for c in sheet[1]]
    values = [row[header.index("Valeur")].value for row in sheet.iter_rows(min_row=3)]
    assert values and all(isinstance(v, int | float) for v in values)
    assert values == sorted(values, reverse=True)
    filters = {row[0].value: row[1].value for row in book["filtres"].iter_rows(min_row=2)}
    assert filters["Voir dans le tableau de bord"].endswith(
        "/indicators?indicators=migrants_return_assistance&countries=MLI,NGA,programme&sort=-value&lang=fr"
    )
    assert isinstance(filters["Date d\u2019export"], datetime)
    # What was chosen, by name and in French: never the codes of the URL.
    assert filters["Indicateurs"] == "Migrants aidés au retour"
    assert filters["Pays"] == "Mali, Nigéria, Ensemble du programme"


def test_partners_xlsx_has_the_partner_names_and_typed_cells(app, client):
    from data_access import partners

    data = get_file(
        client,
        "/export/partners.xlsx?countries=LBY",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "compass-partners-en.xlsx",
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["partners", "sources", "filters"]
    sheet = book["partners"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["key", "name", "acronym"]
    assert [c.value for c in sheet[2]][header.index("name")] == "#org+name"
    assert sheet.freeze_panes == "A3"
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=3)]
    with app.server.test_request_context("/partners?countries=LBY"):
        entries = partners.partner_directory("en", countries=("LBY",))
    assert [r["name"] for r in rows] == [e.name for e in entries] and rows
    assert [r["activities"] for r in rows] == [e.activities for e in entries]
    assert all(isinstance(r["activities"], int) for r in rows)
    assert all("LBY" in r["countries"].split("; ") for r in rows)
    filters = {row[0].value: row[1].value for row in book["filters"].iter_rows(min_row=2)}
    assert filters["Countries"] == "Libya"  # the name, not the code of the URL
    assert filters["View in the dashboard"].endswith("/partners?countries=LBY&lang=en")


def test_partners_csv_lists_the_whole_directory_by_default(app, client):
    from data_access import partners

    data = get_file(client, "/export/partners.csv?lang=fr", "text/csv", "compass-partners-fr.csv")
    header, hxl, rows = read_csv(data, PARTNER_EXPORT_COLUMNS)
    assert hxl[:2] == ["#org+code", "#org+name"]
    assert header[:3] == ["Clé (code)", "Nom", "Sigle"]
    with app.server.test_request_context("/partners"):
        entries = partners.partner_directory("fr")
    assert [r["name"] for r in rows] == [e.name for e in entries]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/export/explorer.csv?indicators=nope", 404),
        ("/export/explorer.csv?countries=NGA&countries=MLI", 400),
        ("/export/explorer.xlsx?years=abc", 404),
        ("/export/explorer.csv?breakdown=colour", 404),
        ("/export/explorer.csv?lang=xx", 400),
        ("/export/explorer.pdf?indicators=migrants_return_assistance", 400),
        ("/export/partners.csv?types=nope", 404),
        ("/export/partners.xlsx?countries=ZZZ", 404),
        ("/export/partners.csv?year=1999", 404),
        ("/export/partners.csv?q=" + "a" * 700, 400),
        ("/export/partners.csv?lang=de", 400),
        ("/export/partners.png", 400),
    ],
)
def test_bad_explorer_and_partners_data_exports_are_refused(client, url, status):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "text/plain" and "Traceback" not in response.get_data(as_text=True)
    assert "Content-Disposition" not in response.headers


@pytest.mark.parametrize(
    ("url", "status", "reason"),
    [
        ("/export/explorer.csv?lang=en&years=abc", 404, "Unknown years \u201cabc\u201d."),
        (
            "/export/explorer.csv?lang=fr&years=abc",
            404,
            "Valeur \u00ab\u202fabc\u202f\u00bb inconnue pour years.",
        ),
        ("/export/explorer.csv?lang=ar&years=abc", 404, "قيمة غير معروفة «abc» للمفتاح years."),
        ("/export/figure/nope.png?lang=ar", 404, "لا يوجد رسم بياني باسم «nope»"),
        ("/export/nope.csv?lang=fr", 404, "Jeu de donn\u00e9es \u00ab\u202fnope\u202f\u00bb inconnu"),
        ("/export/brief/ZZZ.pdf?lang=ar", 404, "بلد غير معروف «ZZZ»"),
        ("/export/explorer.docx?lang=ar", 400, "صيغة غير مدعومة «docx»: استخدم csv, xlsx."),
        ("/export/a/b/c?lang=fr", 404, "Cet export n\u2019existe pas."),
    ],
)
def test_a_refused_export_says_why_in_the_readers_language(client, url, status, reason):
    response = client.get(url)
    assert response.status_code == status
    assert response.mimetype == "text/plain"
    assert reason in response.get_data(as_text=True)


def test_explorer_and_partners_pages_link_to_their_data(sqlite_context):
    from pages import indicators, partners

    links = export_hrefs(
        indicators.layout(
            indicators="migrants_return_assistance", countries="NGA,MLI", chart="lines", lang="fr"
        )
    )
    assert "/export/explorer.csv?indicators=migrants_return_assistance&countries=MLI,NGA&lang=fr" in links
    assert "/export/explorer.xlsx?indicators=migrants_return_assistance&countries=MLI,NGA&lang=fr" in links
    links = export_hrefs(partners.layout(countries="TUN,LBY", year="2022", lang="fr"))
    assert set(links) == {
        "/export/partners.csv?year=2022&countries=LBY,TUN&lang=fr",
        "/export/partners.xlsx?year=2022&countries=LBY,TUN&lang=fr",
    }


# --- captions ---------------------------------------------------------------------------------------


def test_caption_names_each_source_once_with_its_publisher_and_counts_the_rest():
    import pandas as pd

    from components.export_figures import source_caption

    frame = pd.DataFrame(
        {
            "source_title": ["COMPASS Year 2 (2022): results narrative", "iom.int/compass-results"]
            + ["COMPASS Year 2 (2022): results narrative"]
            + [f"Report {i}" for i in range(3)],
            "source_publisher": ["IOM", "iom.int", "IOM", "UNHCR", None, ""],
        }
    )
    lines = source_caption([frame], get_translator("en"))
    text = " ".join(lines)
    assert text.startswith(
        "Sources: COMPASS Year 2 (2022): results narrative (IOM); iom.int/compass-results;"
    )
    assert "Report 0 (UNHCR) and 2 more. Compiled by the COMPASS Dashboard." in text
    assert all(len(line) <= 150 for line in lines)
    one = source_caption([frame.head(1)], get_translator("fr"))
    assert one == [
        "Source\u00a0: COMPASS Year 2 (2022): results narrative (IOM). Compilé par le tableau de bord COMPASS."
    ]
    assert source_caption([frame.head(0)], get_translator("en")) == []


# --- the brief's figures and chart, without a renderer --------------------------------------------------


@pytest.mark.parametrize(
    "stated, differ",
    [
        ([(109, "exact"), (109, "approx")], False),  # a figure and its rounding
        ([(1013, "exact"), (1000, "approx")], False),
        ([(1013, "exact"), (700, "approx")], True),
        ([(120, "exact"), (100, "more_than")], False),  # a bound the figure meets
        ([(90, "exact"), (100, "more_than")], True),
        ([(261, "exact"), (262, "exact")], True),
        ([(90, "more_than"), (90, "more_than")], False),
    ],
)
def test_sources_differ_only_when_their_figures_do(stated, differ):
    """The brief's rule is the pages' (model.figures), for figures of one document."""
    from model.figures import sources_differ

    assert sources_differ((float(v), q, "one article") for v, q in stated) is differ


def test_brief_chart_has_one_linear_panel_per_unit_and_period(sqlite_context):
    from components.brief import brief_kpis, brief_panels
    from components.brief_chart import brief_figure

    t = get_translator("en")
    results = q.country_results("NGA", 2022, "en", breakdowns=False)
    kpis = brief_kpis(results, "en")
    panels = brief_panels(kpis, t)
    keys = {(k.unit, k.period) for k in kpis}
    assert len(panels) == len(keys) > 1
    assert sum(len(p.kpis) for p in panels) == len(kpis)
    for panel in panels:
        assert len({(k.unit, k.period) for k in panel.kpis}) == 1
    figure = brief_figure(panels, "en", t)
    axes = [figure.layout[name] for name in figure.layout if name.startswith("xaxis")]
    assert len(axes) == len(panels) and all(axis.type == "linear" for axis in axes)
    titles = [a.text for a in figure.layout.annotations]
    assert "people · cumulative, 2021–2022" in titles and "percent · cumulative, 2021–2022" in titles
    assert brief_panels(kpis[:1], t) == ()  # one figure: no chart


def test_decorated_chart_keeps_room_for_a_wrapped_filter_line_and_a_legend_below():
    import plotly.graph_objects as go

    from components.export_figures import AXIS_PX, HEADER_PX, LEGEND_ROW_PX, decorate, export_frame

    t = get_translator("en")
    names = [f"A rather long place name number {i} (cumulative, at its end year)" for i in range(6)]
    figure = go.Figure([go.Scatter(x=[2022, 2024], y=[i, i + 1], name=name) for i, name in enumerate(names)])
    figure.update_layout(height=400, legend={"orientation": "h", "y": -0.03, "yanchor": "top"})
    filters = [("Countries", ", ".join(names)), ("Language", "English")]
    frame = export_frame("A title", filters, "en", t, date(2026, 12, 4))
    out = decorate(figure, frame, 1000)
    assert "<br>" in out.layout.title.subtitle.text  # a filter line wider than the chart is wrapped
    assert out.layout.margin.t > HEADER_PX
    # Six long names need several legend rows: the room under the axis grows with them.
    assert out.layout.margin.b >= AXIS_PX + 3 * LEGEND_ROW_PX + frame.footer_px
    plot_height = out.layout.height - out.layout.margin.t - out.layout.margin.b
    assert -out.layout.legend.y * plot_height >= AXIS_PX  # under the axis, above the caption
    assert out.layout.height == 400 + out.layout.margin.t + out.layout.margin.b - (
        figure.layout.margin.b or 0
    )


def test_pptx_chart_panels_are_spread_over_slides_never_split(sqlite_context):
    from components.brief import brief_kpis, brief_panels
    from components.brief_pptx_charts import BAR_IN, CHART_AREA_IN, PANEL_IN, chart_pages

    t = get_translator("en")
    panels = brief_panels(brief_kpis(q.country_results("NGA", 2022, "en", breakdowns=False), "en"), t)
    pages = chart_pages(panels)
    assert [p for page in pages for p in page] == list(panels)  # every panel once, in order
    for page in pages:
        need = sum(PANEL_IN + BAR_IN * len(p.kpis) for p in page)
        assert need <= CHART_AREA_IN or len(page) == 1
    assert chart_pages(()) == []
