"""The heading and lede of the pages whose first words do not depend on the data.

The page's layout shows them, and the index page's skeleton (web/frontend.py,
components/skeleton.py) shows the same two lines before Dash's scripts have run:
a reader on a slow phone reads the page's own heading at once, and the page's
largest text is painted with the first paint instead of seconds later (the
Largest Contentful Paint of Lighthouse). The Overview's and a country's ledes
name a year or a country, so they keep the programme's generic skeleton.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dash import html

from components.i18n import N_
from pages import paths


@dataclass(frozen=True)
class Intro:
    heading: str  # msgids (N_), translated where shown
    lede: str


INTROS = {
    paths.INDICATORS: Intro(
        N_("Indicator explorer"),
        N_(
            "Compare published figures across indicators, countries and years. Every choice is kept "
            "in the address: copy the link to share this view."
        ),
    ),
    paths.PARTNERS: Intro(
        N_("Partners"),
        N_(
            "Every organisation named in COMPASS partner activities: its type, the countries where "
            "it worked with IOM and its activities, each with its source."
        ),
    ),
    paths.DATA: Intro(
        N_("Data and sources"),
        N_(
            "Where every figure of the dashboard comes from: the state of the data, "
            "each import, the sources cited and what each indicator counts."
        ),
    ),
}


def intro_for(path: str) -> Intro | None:
    """The intro of the page at `path` (a request path), if its first words are fixed."""
    return INTROS.get(path.rstrip("/") or "/")


def intro_header(path: str, t: Callable[[str], str]) -> list:
    """The page's heading and lede, as its layout shows them (the skeleton's copy
    uses the same classes' looks: components/skeleton.py)."""
    intro = INTROS[path]
    return [html.H1(t(intro.heading), className="h2"), html.P(t(intro.lede), className="lead")]
