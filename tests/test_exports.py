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

from components import export_render
from components.export_tables import ExportColumn, Table, to_csv, to_xlsx
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


@pytest.fixture(scope="module")
def renderer():
    """The warm renderer; skipped without chromium, except in CI where it must be there."""
    if export_render.browser_path() is None:
        message = "chromium is not installed (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    yield export_render
    export_render.shutdown()


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
def test_svg_is_xml_with_title_filters_source_and_date(client, renderer):
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
    assert "Source: IOM COMPASS programme publications, compiled by the COMPASS Dashboard" in texts
    assert "Exported on" in texts and str(date.today().year) in texts
    assert "more than 7,000" in texts  # the qualifier travels with the bar


@kaleido
def test_figure_pdf_is_one_page_with_its_text(client, renderer):
    data = get_file(
        client,
        "/export/figure/coverage-map.pdf?year=2021&lang=fr",
        "application/pdf",
        "compass-coverage-map-2021-fr.pdf",
    )
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Éléments publiés par pays, 2021" in text
    assert "Source : publications du programme COMPASS" in text.replace("\u00a0", " ")


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


def read_csv(data: bytes) -> tuple[list[str], list[str], list[dict[str, str]]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the accents right
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, hxl = rows[0], rows[1]
    return header, hxl, [dict(zip(header, row, strict=True)) for row in rows[2:]]


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
    ("dataset", "query"),
    [
        ("programme-figures", lambda: q.programme_results(2022, "fr")),
        ("country-figures", lambda: q.country_level_results(2022, "fr")),
        ("coverage", lambda: q.country_coverage(2022, "fr")),
        ("activities", lambda: q.activities(2022, "fr")),
    ],
)
def test_every_dataset_lists_what_the_query_returns(app, client, dataset, query):
    data = get_file(
        client, f"/export/{dataset}.csv?year=2022&lang=fr", "text/csv", f"compass-{dataset}-2022-fr.csv"
    )
    _, hxl, rows = read_csv(data)
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
    assert book.sheetnames == ["country-figures", "sources", "filters"]
    sheet = book["country-figures"]
    header = [c.value for c in sheet[1]]
    assert [c.value for c in sheet[2]][header.index("value")] == "#reached"
    assert sheet[1][0].font.bold and sheet[1][0].fill.fgColor.rgb.endswith("0B4F8A")
    assert sheet.freeze_panes == "A3"
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 4
    reached = next(r for r in rows if r["indicator"] == "migrants_reached_by_ambassadors")
    assert reached["value"] == 7000 and isinstance(reached["value"], int | float)
    assert reached["qualifier"] == "more_than"
    assert reached["figure"] == f"plus de 7{NNBSP}000"
    assert reached["period_start"] == datetime(2022, 1, 1)
    assert reached["period_end"] == datetime(2022, 12, 31)
    assert reached["indicator_name"] == "Migrants atteints par les ambassadeurs"

    sources = [[c.value for c in row] for row in book["sources"].iter_rows()]
    assert sources[0] == ["source_title", "source_url", "rows_citing"]
    assert sources[1] == ["COMPASS Année 2 (2022) : récit des résultats", None, 4]

    filters = {row[0].value: row[1].value for row in book["filters"].iter_rows(min_row=2)}
    assert filters["Année"] == "2022"
    assert filters["Pays"] == "Libye (LBY)"
    assert filters["Langue"] == "Français"
    assert isinstance(filters["Date d\u2019export"], datetime)
    assert filters["Voir dans le tableau de bord"].endswith("/countries/LBY?year=2022&lang=fr")


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


@kaleido
def test_pdf_brief_in_french(client, renderer):
    data = get_file(
        client, "/export/brief/lby.pdf?year=2022&lang=fr", "application/pdf", "compass-brief-LBY-2022-fr.pdf"
    )
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    assert reader.metadata.title == "Libye, 2022"
    # pypdf gives the (narrow) no-break spaces back as spaces.
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ").replace(NNBSP, " ")
    for expected in (
        "FICHE PAYS COMPASS",
        "Libye, 2022",
        "Chiffres clés, 2022",
        "plus de 7 000",  # qualifier written out, French grouping
        "Ministère de la Santé (Libye)",  # a partner, with its accents
        "Gouvernement",  # its type
        "Santé mentale et soutien psychosocial",  # an activity's theme
        "COMPASS Année 2 (2022) : récit des résultats",  # the source
        "Page 1 sur 2",
        "Page 2 sur 2",
        "Source : publications du programme COMPASS",
    ):
        assert expected in text, expected
    assert len(reader.pages[0].images) == 1  # the chart


def test_pdf_brief_of_a_country_without_data_says_so(client):
    data = get_file(
        client, "/export/brief/NER.pdf?year=2022", "application/pdf", "compass-brief-NER-2022-en.pdf"
    )
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert "Nothing was published for Niger in 2022." in reader.pages[0].extract_text()


@kaleido
def test_pptx_brief(client, renderer):
    data = get_file(
        client,
        "/export/brief/NGA.pptx?year=2022",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "compass-brief-NGA-2022-en.pptx",
    )
    deck = Presentation(io.BytesIO(data))
    assert len(deck.slides) == 5

    def texts(slide) -> str:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        return "\n".join(parts)

    title, kpis, chart, partners, sources = (texts(s) for s in deck.slides)
    assert "Nigeria, 2022" in title and "نيجيريا" in title and "West and Central Africa" in title
    assert "109 / about 109 (Sources differ)" in kpis and "more than 90%" in kpis and "2021–2022" in kpis
    assert any(shape.shape_type == 13 for shape in deck.slides[2].shapes)  # a picture: the chart
    assert "Girls Power Initiative" in partners and "Local NGO" in partners and "Livelihoods" in partners
    assert "newsdiaryonline.com" in sources
    assert "Page 5 of 5" in sources


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
    svg = data.decode()
    assert "Explorateur" in svg or "explorer" in svg.lower()
    assert "149" in svg and "1\u202f013" in svg  # Mali 2022 and Nigeria 2024 returns, French digits
    png = get_file(
        client,
        f"/export/figure/explorer.png?{query}",
        "image/png",
        "compass-migrants_return_assistance-MLI-NGA-fr.png",
    )
    extrema = Image.open(io.BytesIO(png)).convert("L").getextrema()
    assert extrema[1] - extrema[0] > 200


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
    assert book.sheetnames == ["explorer", "sources", "filters"]
    sheet = book["explorer"]
    header = [c.value for c in sheet[1]]
    values = [row[header.index("value")].value for row in sheet.iter_rows(min_row=3)]
    assert values and all(isinstance(v, int | float) for v in values)
    assert values == sorted(values, reverse=True)
    filters = {row[0].value: row[1].value for row in book["filters"].iter_rows(min_row=2)}
    assert filters["Voir dans le tableau de bord"].endswith(
        "/indicators?indicators=migrants_return_assistance&countries=MLI,NGA,programme&sort=-value&lang=fr"
    )
    assert isinstance(filters["Date d\u2019export"], datetime)


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
    assert filters["Countries"] == "LBY"
    assert filters["View in the dashboard"].endswith("/partners?countries=LBY&lang=en")


def test_partners_csv_lists_the_whole_directory_by_default(app, client):
    from data_access import partners

    data = get_file(client, "/export/partners.csv?lang=fr", "text/csv", "compass-partners-fr.csv")
    _, hxl, rows = read_csv(data)
    assert hxl[:2] == ["#org+code", "#org+name"]
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
