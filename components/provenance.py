"""Where the data comes from, for the Data page: its state, the import history,
the sources, the indicator definitions and the import templates."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
from dash import html

from components.data_text import data_text, foreign_attributes
from components.formatting import format_moment, format_number
from components.i18n import N_, Translator
from components.labels import IMPORT_KINDS, LANGUAGES, THEMES, UNITS, label
from components.visibility import visibility_cell

FILE_KINDS = {"csv": "CSV", "xlsx": "Excel (.xlsx)"}


def status_list(status, lang: str, t: Callable[[str], str]) -> html.Dl:
    """Data version, when it changed, and how much there is, as a definition list."""
    changed = format_moment(status.changed_at, lang) if status.changed_at else "\u2013"
    items = [
        (t("Data version"), format_number(status.version, lang), "status-version"),
        (t("Last changed"), changed, "status-changed"),
        (t("Figures"), format_number(status.results, lang), "status-results"),
        (t("Countries with data"), format_number(status.countries_with_data, lang), "status-countries"),
        (t("Sources"), format_number(status.sources, lang), "status-sources"),
    ]
    children = []
    for term, value, item_id in items:
        children += [
            html.Dt(term, className="col-sm-5 col-lg-3"),
            html.Dd(value, id=item_id, className="col-sm-7 col-lg-9"),
        ]
    return html.Dl(children, className="row mb-0 data-status")


def _table(
    caption: str,
    headers: Sequence[tuple[str, str | None]],
    rows: list,
    table_id: str,
    scrolls: bool = False,
) -> html.Div:
    """`scrolls`: a table wider than a phone, scrolled sideways in its box; the box
    is then a Tab stop named by the caption, so a keyboard can scroll it too."""
    table = html.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(h, scope="col", className=c) for h, c in headers])),
            html.Tbody(rows),
        ],
        className="table table-sm align-top data-table",
        id=table_id,
    )
    if scrolls:
        return html.Div(
            table, className="table-responsive", tabIndex="0", role="region", **{"aria-label": caption}
        )
    return html.Div(table, className="table-responsive")


def _count(value: int, lang: str) -> html.Td:
    return html.Td(format_number(value, lang), className="text-end")


# Who imported, on public pages, unless PUBLIC_IMPORTER_NAMES=1: a role, never a
# person's or a system account's name.
PUBLIC_IMPORTER = N_("programme team")


def public_file_name(name: str | None) -> str:
    """The file's own name without any folder of the server; a folder alone
    (the reference files) gives a dash."""
    if not name or name.endswith(("/", "\\")):
        return "\u2013"
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def public_document(document: str | None) -> str | None:
    """A source's document description, or None when it is a path of the server."""
    if not isinstance(document, str) or not document.strip():
        return None
    return None if "/" in document or "\\" in document else document


def import_history_table(
    frame: pd.DataFrame, lang: str, t: Callable[[str], str], show_names: bool = False, staff: bool = False
) -> html.Div:
    """One row per import, newest first: when, who (a role unless `show_names`
    or `staff`), what, row counts; for `staff` also each batch's visibility and
    its file name. No checksums, no folders of the server; the public never
    sees a file name (they often name an office or a draft)."""
    headers = [
        (t("Loaded"), None),
        (t("By"), None),
        (t("Data"), None),
        *([(t("Visibility"), None), (t("File"), None)] if staff else []),
        (t("Rows"), "text-end"),
        (t("Added"), "text-end"),
        (t("Updated"), "text-end"),
        (t("Unchanged"), "text-end"),
    ]
    rows = []
    for row in frame.itertuples():
        staff_cells = [
            html.Td(visibility_cell(row.visibility, t), className="batch-visibility"),
            html.Td(html.Code(public_file_name(row.file_name)), className="text-nowrap"),
        ]
        rows.append(
            html.Tr(
                [
                    html.Th(format_moment(row.loaded_at, lang), scope="row", className="fw-normal loaded-at"),
                    html.Td((row.loaded_by or "\u2013") if show_names or staff else t(PUBLIC_IMPORTER)),
                    html.Td(label(IMPORT_KINDS, row.kind, t)),
                    *(staff_cells if staff else []),
                    _count(row.rows_total, lang),
                    _count(row.rows_added, lang),
                    _count(row.rows_updated, lang),
                    _count(row.rows_unchanged, lang),
                ],
                **{"data-batch": str(row.id)},
            )
        )
    return _table(t("Imports, newest first"), headers, rows, "import-history", scrolls=True)


def _source_title(row, lang: str) -> html.A | html.Span:
    marks = foreign_attributes(row.title_lang, lang)  # a title in the source's language
    if isinstance(row.url, str) and row.url.strip():
        return html.A(row.title, href=row.url, target="_blank", rel="noopener noreferrer", **marks)
    return html.Span(row.title, **marks)


def _counted(form: str, count: int, lang: str) -> str:
    """A form chosen by `t.plural`, its count written as `lang` reads it (callers say 'none' themselves)."""
    return form.format(count=format_number(count, lang))


def _cited_by(row, lang: str, t: Translator) -> html.Ul | str:
    counts = [
        (row.results, t.plural("{count} figure", "{count} figures", row.results)),
        (row.activities, t.plural("{count} activity", "{count} activities", row.activities)),
        (row.campaigns, t.plural("{count} campaign", "{count} campaigns", row.campaigns)),
    ]
    shown = [html.Li(_counted(form, n, lang), className="text-nowrap") for n, form in counts if n]
    return html.Ul(shown, className="list-unstyled mb-0") if shown else t("nothing yet")


def source_table(frame: pd.DataFrame, lang: str, t: Translator) -> html.Div:
    """Every source document, linked when it has an address, with what cites it."""
    # The publisher is mostly the site already named in the title: phones skip it.
    headers = [
        (t("Source"), None),
        (t("Publisher"), "d-none d-md-table-cell"),
        (t("Language"), None),
        (t("Cited by"), None),
    ]
    rows = []
    for row in frame.itertuples():
        title: list = [_source_title(row, lang)]
        document = public_document(row.document)
        if document and document != row.title and not row.url:
            # Our English description of a document without an address (reference data).
            marks = foreign_attributes("en", lang)
            title.append(html.Div(document, className="small text-break", **marks))
        rows.append(
            html.Tr(
                [
                    html.Th(title, scope="row", className="fw-normal text-break source-title"),
                    html.Td(row.publisher or "\u2013", className="d-none d-md-table-cell"),
                    html.Td(label(LANGUAGES, row.language, t)),
                    html.Td(_cited_by(row, lang, t)),
                ]
            )
        )
    return _table(t("Sources, by title"), headers, rows, "source-list")


def indicator_list(frame: pd.DataFrame, lang: str, t: Translator) -> html.Div:
    """Each indicator with its code, unit, theme, whether it may be summed, and its definition."""
    items = []
    for row in frame.itertuples():
        summable = t("may be added across countries") if row.summable else t("never added across countries")
        facts = [
            t("Unit: {unit}").format(unit=label(UNITS, row.unit, t)),
            t("Theme: {theme}").format(theme=label(THEMES, row.theme, t)),
            summable,
            _counted(
                t.plural("{count} figure stored", "{count} figures stored", row.results), row.results, lang
            )
            if row.results
            else t("no figures stored yet"),
        ]
        items.append(
            html.Li(
                [
                    html.H3(
                        [
                            data_text(row.name, row.name_lang, lang),
                            " ",
                            html.Code(row.code, className="small"),
                        ],
                        className="h6 mb-1",
                    ),
                    html.P(" \u00b7 ".join(facts), className="small text-body-secondary mb-1"),
                    data_text(row.definition, row.definition_lang, lang, html.P, className="mb-0")
                    if row.definition
                    else html.P(t("No definition yet."), className="mb-0"),
                ],
                className="list-group-item",
                **{"data-code": row.code},
            )
        )
    return html.Ul(
        items, className="list-group list-group-flush indicator-definitions", id="indicator-definitions"
    )


def template_downloads(
    templates: Sequence, href: Callable[[str], str], lang: str, t: Callable[[str], str]
) -> html.Div:
    """Links to the import templates that exist; a sentence when none does yet."""
    if not templates:
        return html.P(t("The import templates are not available yet."), className="text-body-secondary")
    names = {"results": t("Results template"), "activities": t("Activities template")}
    items = [
        html.Li(
            [
                html.A(
                    f"{names.get(tpl.kind, tpl.name)} \u00b7 {FILE_KINDS.get(tpl.extension, tpl.extension)}",
                    href=href(tpl.name),
                    download=f"compass_{tpl.name}",
                ),
                html.Span(f" ({_size(tpl.size, lang, t)})", className="small text-body-secondary"),
            ]
        )
        for tpl in templates
    ]
    return html.Ul(items, className="template-downloads", id="template-downloads")


def _size(size: int, lang: str, t: Callable[[str], str]) -> str:
    if size < 1024:
        return t("{size} bytes").format(size=format_number(size, lang))
    return t("{size} KB").format(size=format_number(max(1, round(size / 1024)), lang))


def export_list(groups: Sequence[tuple[str, Sequence[tuple[str, str, str]]]], element_id: str) -> html.Ul:
    """One line per exportable thing: its name, then its formats as links.

    `groups`: (name, [(format, href, description)...])."""
    items = []
    for name, links in groups:
        children: list = [html.Span(name + " ", className="fw-semibold")]
        for i, (text, href, description) in enumerate(links):
            if i:
                children.append(
                    html.Span(" \u00b7 ", className="text-body-secondary", **{"aria-hidden": "true"})
                )
            children.append(
                html.A(text, href=href, title=description, rel="nofollow", **{"aria-label": description})
            )
        items.append(html.Li(children))
    return html.Ul(items, className="export-list", id=element_id)


def country_export_table(
    rows: Sequence[tuple[str, str, Sequence[tuple[str, str, str]]]], t: Callable[[str], str]
) -> html.Div:
    """Country | brief PDF | brief PPTX | data CSV | data XLSX.

    `rows`: (iso3, country name, four (text, href, description) links in that order)."""
    headers = [
        (t("Country"), None),
        (t("Brief (PDF)"), None),
        (t("Brief (PowerPoint)"), None),
        (t("Figures (CSV)"), None),
        (t("Figures (Excel)"), None),
    ]
    body = [
        html.Tr(
            [html.Th(name, scope="row")]
            + [
                html.Td(
                    html.A(text, href=href, title=description, rel="nofollow", **{"aria-label": description})
                )
                for text, href, description in links
            ],
            **{"data-iso3": iso3},
        )
        for iso3, name, links in rows
    ]
    return _table(t("Country briefs and figures, by country"), headers, body, "country-exports")
