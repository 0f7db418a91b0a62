"""Helpers for charts in browser tests.

Charts are drawn as they come near the screen (assets/plotly_lazy.js), as a
reader scrolling down would see them; a test that reads a chart scrolls to it first.
"""

from __future__ import annotations

from playwright.sync_api import Page

# Polled until true: scroll whatever element matches now (Dash may have re-rendered
# it since the last poll), and report whether plotly.js has drawn it.
_SCROLL_AND_CHECK = """selector => {
    const graph = document.querySelector(selector);
    if (!graph) return false;
    graph.scrollIntoView({block: "center"});
    return !!graph.querySelector(".main-svg");
}"""


def draw_chart(page: Page, selector: str) -> None:
    """Scroll the dcc.Graph matching `selector` into view and wait until it is drawn."""
    page.wait_for_function(_SCROLL_AND_CHECK, arg=selector)
