"""The Arabic words of plotly.js's toolbar (assets/plotly-locale-ar-dictionary.js):
every string plotly.js's French locale translates has its Arabic, and the index
page has the lazy loader fetch the file right after plotly.js's own Arabic locale.
The browser side is tests/browser/test_arabic_charts.py."""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers import REPO, make_app
from web import frontend

ASSETS = REPO / "assets"
DICTIONARY = "plotly-locale-ar-dictionary.js"
# A key or value of a JavaScript object literal as plotly's locales write them:
# a quoted string (with \x.. or \u.... escapes) or a bare name.
_STRING = r'"((?:[^"\\]|\\.)*)"'
_ENTRY = re.compile(rf"(?:{_STRING}|([A-Za-z_$][\w$]*))\s*:\s*{_STRING}")
ARABIC = re.compile("[\u0600-\u06ff]")


def _js_string(raw: str) -> str:
    return json.loads('"' + re.sub(r"\\x([0-9a-fA-F]{2})", r"\\u00\1", raw) + '"')


def dictionary_of(path) -> dict[str, str]:
    """The `dictionary` of a plotly.js locale file, read without running it."""
    text = path.read_text(encoding="utf-8")
    start = re.search(r"dictionary\s*:\s*\{", text).end()
    body = text[start : text.index("}", start)]
    return {
        _js_string(quoted) if quoted else bare: _js_string(value)
        for quoted, bare, value in _ENTRY.findall(body)
    }


def test_every_string_of_plotly_js_locales_has_its_arabic():
    french = dictionary_of(ASSETS / "vendor" / "plotly-locale-fr.js")
    arabic = dictionary_of(ASSETS / DICTIONARY)
    assert len(french) > 50 and "Download plot as a PNG" in french  # the reader reads them all
    assert sorted(set(french) - set(arabic)) == []
    assert sorted(set(arabic) - set(french)) == []  # no key plotly.js would never ask for
    assert all(ARABIC.search(value) for value in arabic.values()), arabic
    assert arabic["Download plot as a PNG"] == "تنزيل الرسم البياني بصيغة PNG"


def test_the_dictionary_registers_as_arabic_and_keeps_npms_formats():
    text = (ASSETS / DICTIONARY).read_text(encoding="utf-8")
    assert 'name: "ar"' in text and 'moduleType: "locale"' in text
    assert "format:" not in text  # plotly.js's registerLocale keeps the npm file's month names
    assert "://" not in text  # registers itself; fetches nothing
    npm = (ASSETS / "vendor" / "plotly-locale-ar.js").read_text(encoding="utf-8")
    assert "dictionary:{}" in npm  # why this file exists; if npm fills it, compare the two


@pytest.fixture(scope="module")
def index_html(sqlite_engine) -> str:
    response = make_app(sqlite_engine).server.test_client().get("/?lang=ar")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_index_names_it_after_the_npm_locale_and_never_links_it(index_html):
    urls = re.findall(r'<meta name="compass-plotly-locale" content="([^"]+)">', index_html)
    fingerprint = frontend.fingerprint(ASSETS / DICTIONARY)
    assert urls[-2:] == [
        f"/assets/vendor/plotly-locale-ar.js?m={frontend.fingerprint(ASSETS / 'vendor' / 'plotly-locale-ar.js')}",
        f"/assets/{DICTIONARY}?m={fingerprint}",
    ]
    assert f'src="/assets/{DICTIONARY}' not in index_html  # not one of Dash's asset <script>s
