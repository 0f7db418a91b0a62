"""Draw assets/preview-fallback.png: the link-preview image of a view with nothing
to draw (web/previews.py), in both languages, by the app's own chart renderer.

    .venv/bin/python scripts/make_preview_fallback.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from components import export_render  # noqa: E402
from components.export_figures import ExportFrame, card_layout, text_card  # noqa: E402
from components.i18n import get_translator  # noqa: E402
from config import ROOT  # noqa: E402
from web.previews import FALLBACK_IMAGE  # noqa: E402


def main() -> None:
    en, fr = get_translator("en"), get_translator("fr")
    headline = f"{en('COMPASS Dashboard')}\n{fr('COMPASS Dashboard')}"
    lines = [
        en("Published results of IOM's COMPASS programme, each figure with its source."),
        fr("Published results of IOM's COMPASS programme, each figure with its source."),
    ]
    frame = ExportFrame(
        title="IOM \u00b7 COMPASS", filters=(), filter_line="", caption="", exported="", caption_lines=()
    )
    card, width, height, scale = card_layout(text_card(headline, lines), frame)
    png = export_render.render(card, "png", width, height, scale)
    (ROOT / "assets" / FALLBACK_IMAGE).write_bytes(png)
    export_render.shutdown()


if __name__ == "__main__":
    main()
