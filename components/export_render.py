"""A warm static-image renderer: one headless Chromium per process, started on first use.

`fig.write_image` starts a browser for every image (about 1.8 s); kaleido's sync
server keeps one open, so a PNG, SVG or PDF then takes about 0.15 s. The server
is started lazily (nothing happens at import), used under a lock (kaleido's
server answers one caller at a time through shared queues) and stopped at exit.

Offline by construction: the browser is Debian's chromium (never one that
kaleido downloads: nothing here calls `kaleido.get_chrome`), plotly.js comes from
the plotly package, MathJax is off, and map shapes are read from the app's own
`assets/geo/` folder through `plotly.io.defaults.topojson`.

Fonts: the browser finds fonts through fontconfig. It is started with a
fontconfig file of ours (FONTCONFIG_FILE) that adds the vendored Amiri
(`assets/fonts/`) to the machine's fonts, so an Arabic chart has its letters on
any machine; Arabic exports name Amiri first (components/export_figures.py).
"""

from __future__ import annotations

import atexit
import io
import logging
import os
import shutil
import threading
import time
from pathlib import Path

import plotly.graph_objects as go

from config import ROOT

log = logging.getLogger(__name__)

FORMATS = ("png", "svg", "pdf")
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
GEO_DIR = ROOT / "assets" / "geo"
FONT_DIR = ROOT / "assets" / "fonts"
SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")
RENDER_TIMEOUT_S = 30  # one image; kaleido aborts the render after this
STARTUP_GRACE_S = 30  # extra wait for the first image while the browser starts
BROWSER_NAMES = ("chromium", "chromium-browser")

_lock = threading.Lock()
_state = {"started": False, "atexit": False}


class RendererUnavailable(RuntimeError):
    """No image can be made: no browser installed, or it did not answer in time."""


def browser_path() -> str | None:
    """The browser kaleido drives: BROWSER_PATH if set, else chromium on PATH."""
    configured = os.environ.get("BROWSER_PATH", "").strip()
    if configured:
        return configured if Path(configured).is_file() else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def topojson_url() -> str:
    """The folder plotly.js reads world_110m.json from: the app's own assets (file://)."""
    return GEO_DIR.as_uri() + "/"


def font_config() -> Path:
    """A fontconfig file for the browser: the machine's configuration (the one
    FONTCONFIG_FILE named before, else /etc/fonts/fonts.conf) and our fonts' folder.
    Written once per process, in a temporary folder (the repository stays read-only)."""
    if _state.get("fontconfig"):
        return _state["fontconfig"]
    import tempfile
    from xml.sax.saxutils import escape

    base = os.environ.get("FONTCONFIG_FILE") or str(SYSTEM_FONTCONFIG)
    folder = Path(tempfile.mkdtemp(prefix="compass-fonts-"))
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{escape(base)}</include>\n'
        f"  <dir>{escape(str(FONT_DIR))}</dir>\n"
        f"  <cachedir>{escape(str(folder / 'cache'))}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    _state["fontconfig"] = path
    return path


def _server():
    import kaleido

    return kaleido._global_server  # noqa: SLF001 - the singleton start_sync_server() opens


def _server_alive() -> bool:
    thread = getattr(_server(), "_thread", None)
    return bool(_state["started"] and thread is not None and thread.is_alive())


def _start() -> None:
    """Open the browser (called under the lock)."""
    import kaleido
    import plotly.io as pio

    path = browser_path()
    if path is None:
        raise RendererUnavailable("no chromium found (install Debian's chromium, or set BROWSER_PATH)")
    pio.defaults.topojson = topojson_url()
    # kaleido starts the browser with a copy of this process's environment.
    os.environ["FONTCONFIG_FILE"] = str(font_config())
    if _state["started"]:  # the browser thread died: reset before opening a new one
        kaleido.stop_sync_server(silence_warnings=True)
    kaleido.start_sync_server(path=path, mathjax=False, timeout=RENDER_TIMEOUT_S, silence_warnings=True)
    _state["started"] = True
    if not _state["atexit"]:
        atexit.register(shutdown)
        _state["atexit"] = True
    log.info("static image renderer started with %s", path)


def _call_with_deadline(fig_dict: dict, opts: dict, deadline_s: float) -> bytes:
    """kaleido.calc_fig_sync, but never waits forever: a browser that died while
    starting would otherwise leave the caller blocked on kaleido's queue."""
    import kaleido
    import plotly.io as pio

    outcome: dict = {}

    def run() -> None:
        try:
            outcome["image"] = kaleido.calc_fig_sync(fig_dict, opts=opts, topojson=pio.defaults.topojson)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="export-render", daemon=True)
    worker.start()
    worker.join(deadline_s)
    if worker.is_alive():
        raise RendererUnavailable(f"the browser did not answer within {deadline_s:.0f} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["image"]


def render(
    fig: go.Figure | dict,
    fmt: str,
    width: int,
    height: int,
    scale: float = 1,
    title: str | None = None,
    lang: str | None = None,
) -> bytes:
    """The figure as PNG, SVG or PDF bytes, `width` x `height` layout pixels (times `scale`).

    A PDF gets `title` (and `lang`) as its metadata: chromium writes its own
    ("Kaleido-fier"), which a reader's PDF viewer shows as the document's name."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    fig_dict = fig.to_dict() if isinstance(fig, go.Figure) else fig
    opts = {"format": fmt, "width": int(width), "height": int(height), "scale": scale}
    with _lock:
        cold = not _server_alive()
        if cold:
            _start()
        started = time.perf_counter()
        image = _call_with_deadline(fig_dict, opts, RENDER_TIMEOUT_S + (STARTUP_GRACE_S if cold else 5))
    log.debug("rendered %s %dx%d in %.2f s (%s)", fmt, width, height, time.perf_counter() - started, cold)
    if fmt == "pdf" and title:
        return titled_pdf(image, title, lang)
    return image


def titled_pdf(data: bytes, title: str, lang: str | None = None) -> bytes:
    """`data` (a PDF) with `title` as its metadata title, and `lang` as its language."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_metadata(
        {
            "/Title": title,
            "/Author": "COMPASS Dashboard",
            "/Producer": "COMPASS Dashboard",
            "/Creator": "COMPASS Dashboard",
        }
    )
    if lang:
        writer.root_object[NameObject("/Lang")] = TextStringObject(lang)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def warm() -> None:
    """Start the browser and draw a small map and bars, so that plotly.js, the
    map shapes and plotly's Python validators are loaded too: the next image of
    this process takes the warm time."""
    figure = go.Figure(go.Choropleth(locations=["NGA"], z=[1], locationmode="ISO-3", showscale=False))
    figure.add_trace(go.Bar(x=[1, 2], y=[2, 1], orientation="h", xaxis="x", yaxis="y"))
    figure.update_layout(geo={"domain": {"x": [0, 0.5]}}, xaxis={"domain": [0.6, 1]})
    render(figure, "png", 160, 90)


def is_running() -> bool:
    """Whether this process has a browser open for rendering."""
    return _server_alive()


def shutdown() -> None:
    """Close the browser (at exit, or in tests); the next render starts a new one."""
    import kaleido

    with _lock:
        if _state["started"]:
            kaleido.stop_sync_server(silence_warnings=True)
            _state["started"] = False
