"""Component IDs shared by the page shell and the navigation callbacks."""

NAVIGATE = "nav-location"  # dcc.Location the navigation callback writes to
VIEW_STATE = "nav-view-state"
HTML_LANG = "nav-html-lang"  # dcc.Store in the root layout: the language set on <html>  # dcc.Store: the page, country, year, language shown
YEAR_SELECT = "nav-year-select"
COUNTRY_SELECT = "nav-country-select"
COPY_LINK = "nav-copy-link"  # dcc.Clipboard: copies the current address
COVERAGE_MAP = "overview-coverage-map"
COUNTRY_CHART = "overview-country-chart"
