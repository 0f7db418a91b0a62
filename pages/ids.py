"""Component IDs shared by the page shell and the navigation callbacks."""

NAVIGATE = "nav-location"  # dcc.Location the navigation callback writes to
VIEW_STATE = "nav-view-state"  # dcc.Store: the page, country, year, language shown
YEAR_SELECT = "nav-year-select"
COUNTRY_SELECT = "nav-country-select"
COVERAGE_MAP = "overview-coverage-map"
COUNTRY_CHART = "overview-country-chart"
