"""Flask routes for export files: charts (PNG/SVG/PDF), datasets (CSV/XLSX) and
country briefs (PDF/PPTX), each from the page's own query string.

    /export/figure/<figure>.<png|svg|pdf>?year=2022&lang=fr[&country=LBY]
    /export/<dataset>.<csv|xlsx>?year=2022&lang=fr[&country=LBY]
    /export/brief/<ISO3>.<pdf|pptx>?year=2022&lang=fr
    /export/explorer.<csv|xlsx>?<the explorer's query>   (the rows of /indicators?<same query>)
    /export/partners.<csv|xlsx>?<the partners page's query>   (the directory of /partners?<same query>)

The query is parsed by the pages' own parser (`pages.view.resolve`), but where
a page falls back to a default with a notice, a file request gets a 4xx with a
short plain-text reason: a file silently showing another year would mislead.
Keys the export does not use are ignored, as pages ignore them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from flask import Flask, Response, request

from components import export_render
from components.brief_pdf import brief_pdf
from components.brief_pptx import brief_pptx
from components.explorer_figures import graph_filename
from components.export_figures import decorate, export_size
from components.export_tables import to_csv, to_xlsx
from components.i18n import N_, get_translator
from components.notices import refusal_template
from data_access import queries as q
from data_access.db import allow_long_reads
from pages import export_paths, paths
from pages.export_paths import RESULTS_MAP
from pages.indicators_view import explorer_params, explorer_url
from pages.overview_map import MAP_KEY, overview_params
from pages.partners_view import partners_context, partners_link
from pages.urlstate import Param
from pages.view import resolve
from web.export_choices import explorer_choices, partner_choices
from web.export_registry import (
    DATASETS,
    FIGURE_WIDTH,
    FIGURES,
    ExportView,
    NothingToExport,
    country_brief,
    dataset_filters,
    explorer_parts,
    explorer_rows,
    figure_image,
    partners_rows,
    results_map_figure,
    sheet_title,
    view_filters,
)
from web.requests import query_args, request_language
from web.responses import attachment, plain_text

log = logging.getLogger(__name__)

FIGURE_FORMATS = export_render.MEDIA_TYPES
DATASET_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BRIEF_FORMATS = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# Notices of the URL parser that make a file request fail, with the status.
_REFUSED = {
    "bad_year": 400,
    "bad_lang": 400,
    "repeated": 400,
    "too_long": 400,
    "unknown_year": 404,
    "unknown_value": 404,
    "bad_text": 400,
    "bad_until": 400,
    "until_after": 404,
    "until_before": 404,
}
_NAME = re.compile(r"^([A-Za-z0-9-]{1,40})\.([a-z]{2,4})$")


class ExportError(Exception):
    """A request that cannot be answered with a file: status and a short reason,
    an English template (marked for translation) and its fields, worded in the
    reader's language when answered (`text`)."""

    def __init__(self, status: int, message: str, **fields: object):
        super().__init__(message.format(**fields))
        self.status = status
        self.message = message
        self.fields = fields

    def text(self, t: Callable[[str], str]) -> str:
        return t(self.message).format(**self.fields)


# What a reader who clicked an export link may be told, in the language of the link.
NO_DATA = N_("No data has been loaded yet.")
NO_RENDERER = N_("Image export is not available on this server right now.")
FAILED = N_("The export failed on our side. Please try again in a moment.")


def file_name(kind: str, view: ExportView, fmt: str) -> str:
    """'compass-country-figures-LBY-2022-fr.png'."""
    parts = ["compass", kind] + ([view.country] if view.country else []) + [str(view.year), view.lang]
    return "-".join(parts) + "." + fmt


# --- parsing -------------------------------------------------------------------------------------


def _compass_codes() -> set[str]:
    return set(q.countries("en").iso3)


COUNTRY_PARAM = Param("country", choices=_compass_codes, normalize=lambda s: s.strip().upper())


def _split(name: str, formats: Mapping[str, str], what: str) -> tuple[str, str]:
    match = _NAME.match(name)
    if not match:
        raise ExportError(404, N_("No such export."))
    stem, fmt = match.groups()
    if fmt not in formats:
        raise ExportError(
            400,
            N_("Unsupported format \u201c{value}\u201d: use {choices}."),
            value=fmt,
            choices=", ".join(formats),
        )
    return stem, fmt


def export_view(query: Mapping[str, object], takes_country: bool, iso3: str | None = None) -> ExportView:
    """The validated view of an export request, or ExportError. Without a year,
    a country's file (`iso3`, or the `country` of the query) is of the year its
    page opens on."""
    params = (COUNTRY_PARAM,) if takes_country else ()
    country = iso3 or (query.get("country") if takes_country else None)
    code = country.strip().upper() if isinstance(country, str) else ""
    known = len(code) == 3 and code.isascii() and code.isalpha()
    ctx = resolve(query, params, page_years=q.country_default_years(code) if known else None)
    _refuse(ctx.view.notices)
    if ctx.year is None:
        raise ExportError(404, NO_DATA)
    country = ctx.values.get("country") if takes_country else None
    return ExportView(
        year=ctx.year, lang=ctx.lang, t=ctx.t, country=country, country_name=_country_name(country, ctx.lang)
    )


def _refuse(notices) -> None:
    """ExportError for the first notice that a file request cannot fall back from."""
    for notice in notices:
        if notice.code in _REFUSED:
            raise ExportError(
                _REFUSED[notice.code], refusal_template(notice), key=notice.key, value=notice.value
            )


def _country_name(iso3: str | None, lang: str) -> str | None:
    if not iso3:
        return None
    countries = q.countries(lang)
    return countries.loc[countries.iso3 == iso3, "name"].iloc[0]


# --- handlers ------------------------------------------------------------------------------------


def _explorer_figure(fmt: str) -> Response:
    """The explorer's chart for the explorer's own query (indicators, countries,
    years, breakdown, chart): the same view as /indicators?<same query>."""
    ctx = resolve(query_args(), explorer_params(), cutoff=True)
    _refuse(ctx.view.notices)
    lang = ctx.lang
    figure, frame = explorer_parts(ctx.values, lang, ctx.t)
    title = frame.title
    width, height = export_size(figure, frame, FIGURE_WIDTH)
    try:
        image = export_render.render(
            decorate(figure, frame, FIGURE_WIDTH), fmt, width, height, title=title, lang=lang
        )
    except export_render.RendererUnavailable as exc:
        log.error("figure export unavailable: %s", exc)
        raise ExportError(503, NO_RENDERER) from exc
    return attachment(image, FIGURE_FORMATS[fmt], f"{graph_filename(ctx.values)}-{lang}.{fmt}")


def _results_map(fmt: str) -> Response:
    """The Overview's map of results for the page's query (year, lang, map)."""
    query = query_args()
    _refuse(resolve(query, overview_params()).view.notices)
    chosen = resolve(query, overview_params()).values.get(MAP_KEY)
    view = export_view({k: v for k, v in query.items() if k != MAP_KEY}, takes_country=False)
    try:
        figure, width, height = results_map_figure(view, str(chosen) if chosen else None)
        image = export_render.render(figure, fmt, width, height)
    except export_render.RendererUnavailable as exc:
        log.error("figure export unavailable: %s", exc)
        raise ExportError(503, NO_RENDERER) from exc
    return attachment(image, FIGURE_FORMATS[fmt], file_name(RESULTS_MAP, view, fmt))


def _figure(name: str) -> Response:
    stem, fmt = _split(name, FIGURE_FORMATS, "figure")
    if stem == "explorer":
        return _explorer_figure(fmt)
    if stem == RESULTS_MAP:
        return _results_map(fmt)
    if stem not in FIGURES:
        raise ExportError(
            404,
            N_("No such chart \u201c{value}\u201d: use {choices}."),
            value=stem,
            choices=", ".join(FIGURES),
        )
    view = export_view(query_args(), FIGURES[stem].takes_country)
    try:
        image = figure_image(stem, view, fmt)
    except export_render.RendererUnavailable as exc:
        log.error("figure export unavailable: %s", exc)
        raise ExportError(503, NO_RENDERER) from exc
    return attachment(image, FIGURE_FORMATS[fmt], file_name(stem, view, fmt))


def _explorer_dataset(fmt: str) -> Response:
    """The explorer's table for the explorer's own query: the rows of /indicators?<same query>."""
    ctx = resolve(query_args(), explorer_params(), cutoff=True)
    _refuse(ctx.view.notices)
    t, values, lang = ctx.t, ctx.values, ctx.lang
    if ctx.year is None or not values.get("indicators"):
        raise ExportError(404, NO_DATA)
    table = explorer_rows(values, lang, t)
    if fmt == "csv":
        body = to_csv(table, lang)
    else:
        controls = explorer_choices(values, lang, t)
        page = request.host_url.rstrip("/") + explorer_url(values, lang)
        filters = view_filters("explorer", controls, lang, t, page)
        body = to_xlsx(table, filters, lang, sheet_title("explorer", lang, t))
    return attachment(body, DATASET_FORMATS[fmt], f"{graph_filename(values)}-{lang}.{fmt}")


def _partners_dataset(fmt: str) -> Response:
    """The partner directory for the partners page's own query: the rows of /partners?<same query>."""
    ctx = partners_context(query_args())
    _refuse(ctx.view.notices)
    t, values, lang = ctx.t, ctx.values, ctx.lang
    if not ctx.years:
        raise ExportError(404, NO_DATA)
    table = partners_rows(values, lang, t)
    year = values.get("year")
    if fmt == "csv":
        body = to_csv(table, lang)
    else:
        controls = partner_choices(values, lang, t)
        page = request.host_url.rstrip("/") + partners_link(values, lang)
        filters = view_filters("partners", controls, lang, t, page)
        body = to_xlsx(table, filters, lang, sheet_title("partners", lang, t))
    name = "-".join(["compass", "partners"] + ([str(year)] if year else []) + [lang]) + "." + fmt
    return attachment(body, DATASET_FORMATS[fmt], name)


def _dataset(name: str) -> Response:
    stem, fmt = _split(name, DATASET_FORMATS, "dataset")
    if stem == "explorer":
        return _explorer_dataset(fmt)
    if stem == "partners":
        return _partners_dataset(fmt)
    if stem not in DATASETS:
        names = ", ".join([*DATASETS, "explorer", "partners"])
        raise ExportError(
            404, N_("No such dataset \u201c{value}\u201d: use {choices}."), value=stem, choices=names
        )
    spec = DATASETS[stem]
    view = export_view(query_args(), spec.takes_country)
    table = spec.build(view, stem)
    if fmt == "csv":
        body = to_csv(table, view.lang)
    else:
        page = (
            paths.country_url(view.country, view.year, view.lang)
            if view.country
            else paths.overview_url(view.year, view.lang)
        )
        filters = dataset_filters(stem, view, request.host_url.rstrip("/") + page)
        body = to_xlsx(table, filters, view.lang, sheet_title(stem, view.lang, view.t))
    return attachment(body, DATASET_FORMATS[fmt], file_name(stem, view, fmt))


def _brief(name: str) -> Response:
    stem, fmt = _split(name, BRIEF_FORMATS, "country")
    iso3 = stem.upper()
    view = export_view(query_args(), takes_country=False, iso3=iso3)
    countries = q.countries(view.lang)
    match = countries[countries.iso3 == iso3]
    if match.empty:
        raise ExportError(
            404,
            N_("Unknown country \u201c{value}\u201d: use one of {choices}."),
            value=stem[:40],
            choices=", ".join(sorted(countries.iso3)),
        )
    country = match.iloc[0]
    view = replace(view, country=iso3, country_name=country["name"])
    brief = country_brief(view, country, request.host_url.rstrip("/"))
    body = brief_pdf(brief, view.t) if fmt == "pdf" else brief_pptx(brief, view.t)
    return attachment(body, BRIEF_FORMATS[fmt], file_name("brief", view, fmt))


def export_file(rest: str) -> Response:
    """Dispatch /export/<rest> to the figure, brief or dataset handler."""
    allow_long_reads()  # a whole dataset may take longer than a page's reads
    parts = rest.split("/")
    try:
        if len(parts) == 2 and parts[0] == "figure":
            return _figure(parts[1])
        if len(parts) == 2 and parts[0] == "brief":
            return _brief(parts[1])
        if len(parts) == 1:
            return _dataset(parts[0])
        raise ExportError(404, N_("No such export."))
    except ExportError as exc:
        return plain_text(exc.status, exc.text(get_translator(request_language())))
    except NothingToExport as exc:
        return plain_text(404, get_translator(request_language())(exc.message).format(**exc.fields))
    except Exception:  # a bug or a database failure: logged with its traceback, never shown
        log.exception("export failed: /export/%s?%s", rest, request.query_string.decode(errors="replace"))
        t = get_translator(request_language())
        return plain_text(500, t(FAILED))


def register_export_routes(server: Flask) -> None:
    """Add /export/... to `server` (called by the app factory).

    One <path:...> rule, so that every address under the prefix gets a short
    plain-text answer rather than Dash's catch-all page route."""
    server.add_url_rule(
        export_paths.EXPORT_PREFIX + "<path:rest>", endpoint="export_file", view_func=export_file
    )
