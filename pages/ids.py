"""Component IDs shared by the page shell and the navigation callbacks."""

NAVIGATE = "nav-location"  # dcc.Location the controls' clientside callbacks write to
VIEW_STATE = "nav-view-state"  # dcc.Store: the view shown and how its controls change it (pages/share.py)
HTML_LANG = "nav-html-lang"  # dcc.Store in the root layout: the language set on <html>
SYNTHETIC_BANNER = "synthetic-banner"  # root layout: shown while synthetic data is loaded
YEAR_SELECT = "nav-year-select"
COUNTRY_SELECT = "nav-country-select"
COPY_LINK = "nav-copy-link"  # <button>: copies the pinned link of the view on screen (assets/compass_nav.js)
COPY_LINK_STATUS = "nav-copy-link-status"  # live region: "Link copied"
COPY_LINK_MANUAL = "nav-copy-link-manual"  # shown when no clipboard works: the link, selected
COPY_LINK_FIELD = "nav-copy-link-field"  # its read-only field
COVERAGE_MAP = "overview-coverage-map"
COUNTRY_CHART = "overview-country-chart"
OVERVIEW_MAP_INDICATOR = "overview-map-indicator"  # dcc.Dropdown: the indicator the map shows (URL `map`)

# Indicator explorer (/indicators): its controls write the URL; the page renders from it.
EXPLORER_INDICATORS = "explorer-indicators"  # dbc.Checklist: indicator codes, grouped by theme
EXPLORER_COUNTRIES = "explorer-countries"  # dbc.Checklist: ISO3 codes and "programme"
EXPLORER_YEARS = "explorer-years"  # dbc.Checklist: years in which a period ends
EXPLORER_BREAKDOWN = "explorer-breakdown"  # dcc.RadioItems: "" (totals) or a breakdown dimension
EXPLORER_CHART_TYPE = "explorer-chart-type"  # dcc.RadioItems: bars | lines | map
EXPLORER_SCALE = "explorer-scale"  # dbc.Checklist: ["common"] for one scale per unit across panels
EXPLORER_MISSING = "explorer-missing"  # the notice of chosen combinations without a figure
EXPLORER_GRAPH = "explorer-graph"  # dcc.Graph of the chosen chart
EXPLORER_TABLE = "explorer-table"  # the same figures as an HTML table, sorted by the URL's `sort`

# Partners (/partners): filters write the URL; the page renders from it.
PARTNERS_COUNTRIES = "partners-countries"  # dcc.Dropdown (multi): ISO3 codes
PARTNERS_TYPES = "partners-types"  # dcc.Dropdown (multi): partner types
PARTNERS_THEMES = "partners-themes"  # dcc.Dropdown (multi): activity themes
PARTNERS_YEAR = "partners-year"  # dcc.Dropdown: a year with partner activities, or none (all years)
PARTNERS_SEARCH = "partners-search"  # dcc.Input: name or acronym, sent on Enter or when it loses focus
PARTNERS_SUMMARY = "partners-summary"
PARTNERS_DIRECTORY = "partners-directory"
PARTNERS_MATRIX = "partners-matrix"
PARTNERS_ACTIVITIES = "partners-activities"
