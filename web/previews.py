"""Link previews: the tags a shared link's served HTML carries, and its image.

- Tags (`preview_tags`): description, canonical and hreflang links, Open Graph
  and Twitter cards, written into the index page (web/frontend.py) from
  pages/previews.page_preview: the view's title and description in its
  language, its pinned address (the year written out) made absolute with
  PUBLIC_BASE_URL, else the request's host. Every value is HTML-escaped.
- Image (`/preview/<page>.png?<pinned query>`): 1200 x 630 PNG of the view's
  main chart, drawn by the export path (web/export_registry.py, the kaleido
  renderer of components/export_render.py) with the export's title and source
  caption. Kept in the shared cache under the view's pinned link, the data
  version, the cache generation and PREVIEW_STYLE, so every worker and host
  draws a view once per data version; served with an ETag. The index page only
  names the address: nothing is drawn until an unfurler asks for it. A view
  with nothing to draw, a query with a notice, a client over the export rate
  limit or a renderer failure get the static fallback image (assets/), 200.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from html import escape

import plotly.graph_objects as go
from flask import Flask, Response, request

from components import export_render
from components.export_figures import CARD_PX, ExportFrame, card_layout, text_card
from components.i18n import LANGUAGE_NAMES, get_translator
from config import LANGUAGES, ROOT, Settings
from data_access import catalog
from data_access import partners as partner_data
from data_access import queries as q
from data_access.cache import cache
from data_access.db import request_data_version
from pages import identity, paths
from pages.overview_map import MAP_KEY
from pages.partners_view import filters as partner_filters
from pages.previews import (
    COUNTRY_ROUTE,
    PREVIEW_PREFIX,
    Preview,
    image_pathname,
    pinned_link,
)
from pages.titles import APP_TITLE
from pages.view import PageContext
from web.export_registry import ExportView, NothingToExport, explorer_parts, figure_parts, results_map_parts
from web.limits import spend_render_budget
from web.requests import query_args

log = logging.getLogger(__name__)

FALLBACK_IMAGE = "preview-fallback.png"  # in assets/: 1200 x 630, both languages
PREVIEW_STYLE = "2"  # part of every image's key: change it when the pictures change
OG_LOCALES = {"en": "en_GB", "fr": "fr_FR", "ar": "ar_AR"}
IMAGE_MAX_AGE = 3600  # seconds a browser or proxy keeps an image (ETag revalidates)
FALLBACK_MAX_AGE = 300  # a fallback is retried soon: the renderer or the budget may be back


# --- tags -------------------------------------------------------------------------------------------


def base_url(settings: Settings) -> str:
    """Where absolute links point: PUBLIC_BASE_URL, else the host the request came to."""
    return (settings.public_base_url or request.host_url).rstrip("/")


def _meta(attribute: str, name: str, content: str) -> str:
    return f'<meta {attribute}="{name}" content="{escape(content, quote=True)}">'


def _link(rel: str, href: str, hreflang: str | None = None) -> str:
    lang = f' hreflang="{escape(hreflang, quote=True)}"' if hreflang else ""
    return f'<link rel="{rel}"{lang} href="{escape(href, quote=True)}">'


def preview_tags(preview: Preview, base: str, default_language: str, image_fallback: str) -> str:
    """The <meta> and <link> tags of a view's preview, escaped, one per line."""
    t = get_translator(preview.lang)
    image = base + preview.image if preview.image else image_fallback
    tags = [_meta("name", "description", preview.description)]
    if preview.pinned:
        tags.append(_link("canonical", base + preview.pinned))
        tags += [_link("alternate", base + href, lang) for lang, href in preview.alternates.items()]
        if default_language in preview.alternates:
            tags.append(_link("alternate", base + preview.alternates[default_language], "x-default"))
    og = {
        "og:type": "website",
        "og:site_name": t(APP_TITLE),
        "og:title": preview.title,
        "og:description": preview.description,
        "og:locale": OG_LOCALES[preview.lang],
    }
    tags += [_meta("property", name, value) for name, value in og.items()]
    tags += [
        _meta("property", "og:locale:alternate", OG_LOCALES[lang])
        for lang in LANGUAGES
        if lang != preview.lang
    ]
    if preview.pinned:
        tags.append(_meta("property", "og:url", base + preview.pinned))
    alt = preview.image_alt or preview.title
    image_tags = {
        "og:image": image,
        "og:image:type": "image/png",
        "og:image:width": str(CARD_PX[0]),
        "og:image:height": str(CARD_PX[1]),
        "og:image:alt": alt,
    }
    tags += [_meta("property", name, value) for name, value in image_tags.items()]
    twitter = {
        "twitter:card": "summary_large_image",
        "twitter:title": preview.title,
        "twitter:description": preview.description,
        "twitter:image": image,
        "twitter:image:alt": alt,
    }
    tags += [_meta("name", name, value) for name, value in twitter.items()]
    return "\n        ".join(tags)


# --- the image --------------------------------------------------------------------------------------


class NoPicture(Exception):
    """Nothing to draw for this request: the fallback image is served."""


def _view(name: str) -> tuple[str, dict[str, str], PageContext]:
    """The view an image address names, validated as its page validates it."""
    pathname = image_pathname(name)
    found = identity.view_of(pathname, query_args()) if pathname else None
    if found is None:
        raise NoPicture(f"no page at {name[:80]!r}")
    if found[2].view.notices:
        raise NoPicture("the query carries a notice")
    return found


def _export_view(ctx: PageContext, iso3: str | None = None) -> ExportView:
    if ctx.year is None:
        raise NoPicture("no data")
    name = None
    if iso3:
        countries = q.countries(ctx.lang)
        found = countries.loc[countries.iso3 == iso3, "name"]
        if found.empty:
            raise NoPicture(f"no country {iso3[:10]!r}")
        name = str(found.iloc[0])
    return ExportView(year=ctx.year, lang=ctx.lang, t=ctx.t, country=iso3, country_name=name)


def _card(ctx: PageContext, headline: str, lines: list[str], title: str) -> tuple[go.Figure, ExportFrame]:
    view = ExportView(year=ctx.year or 0, lang=ctx.lang, t=ctx.t)
    t = ctx.t
    frame = view.frame(title)
    frame = replace(  # no year line: these pages span every year
        frame,
        filters=((t("Language"), LANGUAGE_NAMES[ctx.lang]),),
        filter_line=t("{label}: {value}").format(label=t("Language"), value=LANGUAGE_NAMES[ctx.lang]),
    )
    return text_card(headline, lines, frame.rtl), frame


def picture(route: str, variables: dict[str, str], ctx: PageContext) -> tuple[go.Figure, ExportFrame]:
    """The view's main chart and its export frame, from the export registry."""
    t = ctx.t
    if route == COUNTRY_ROUTE:
        return figure_parts("country-figures", _export_view(ctx, variables.get("iso3", "").upper()))
    if route == paths.INDICATORS.strip("/"):
        if not ctx.values.get("indicators"):
            raise NoPicture("no indicator chosen")
        return explorer_parts(ctx.values, ctx.lang, t)
    if route == paths.PARTNERS.strip("/"):
        count = len(partner_data.partner_directory(ctx.lang, **partner_filters(ctx.values)))
        headline = t.plural("{count} partner", "{count} partners", count).format(count=count)
        return _card(ctx, headline, [t("of IOM's COMPASS programme")], t("Partners"))
    if route == paths.DATA.strip("/"):
        count = len(catalog.source_list(ctx.lang))
        headline = t.plural("{count} source document", "{count} source documents", count).format(count=count)
        line = t("Data version {version}").format(version=q.data_version())
        return _card(ctx, headline, [line], t("Data and sources"))
    chosen = ctx.values.get(MAP_KEY)
    return results_map_parts(_export_view(ctx), str(chosen) if chosen else None)


def draw(route: str, variables: dict[str, str], ctx: PageContext) -> bytes:
    """The view's card as PNG bytes (1200 x 630), through the warm renderer."""
    figure, frame = picture(route, variables, ctx)
    card, width, height, scale = card_layout(figure, frame)
    if not spend_render_budget():
        raise NoPicture("over the export rate limit")
    return export_render.render(card, "png", width, height, scale, title=frame.title, lang=ctx.lang)


def image_key(pinned: str) -> str:
    """The shared cache's key of a view's image."""
    return f"preview:{cache.generation()}:{request_data_version()}:{PREVIEW_STYLE}:{pinned}"


def _drawn_or_none(route: str, variables: dict[str, str], ctx: PageContext) -> bytes | None:
    try:
        return draw(route, variables, ctx)
    except (NoPicture, NothingToExport) as exc:
        log.info("preview image fallback: %s", exc)
    except export_render.RendererUnavailable as exc:
        log.warning("preview image fallback, no renderer: %s", exc)
    except Exception:  # a bug or a database failure: logged, never shown
        log.exception("preview image failed: %s", request.full_path[:300])
    return None


def fallback_response() -> Response:
    data = (ROOT / "assets" / FALLBACK_IMAGE).read_bytes()
    response = Response(data, mimetype="image/png")
    response.headers["Cache-Control"] = f"public, max-age={FALLBACK_MAX_AGE}"
    return response


def preview_image(name: str) -> Response:
    """GET /preview/<name>.png?<query>: the view's card, or the fallback image."""
    try:
        route, variables, ctx = _view(name)
        key = image_key(pinned_link(route, variables, ctx))
    except NoPicture as exc:
        log.info("preview image fallback: %s", exc)
        return fallback_response()
    except Exception:  # the data cannot be read: the fallback, never a traceback
        log.exception("preview image failed: %s", request.full_path[:300])
        return fallback_response()
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    if etag in request.if_none_match:
        return Response(status=304, headers={"ETag": f'"{etag}"'})
    png = cache.get_or_compute(
        key, lambda: _drawn_or_none(route, variables, ctx), store_if=lambda value: value is not None
    )
    if png is None:
        return fallback_response()
    response = Response(png, mimetype="image/png")
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={IMAGE_MAX_AGE}"
    return response


def register_preview_routes(server: Flask) -> None:
    """Add /preview/<page>.png (one <path:...> rule: 'countries/LBY' is a page too)."""

    def image(name: str) -> Response:
        return preview_image(name)

    server.add_url_rule(f"{PREVIEW_PREFIX}<path:name>.png", endpoint="preview_image", view_func=image)
