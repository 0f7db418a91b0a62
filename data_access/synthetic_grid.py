"""The synthetic results as a deterministic sequence of rows, built with numpy.

A *cell* is one country, year, indicator and month; its total is the figure
of that month, and every breakdown layer splits the total into parts that add
up to it exactly (integer multinomial draws). The generation order is layer
by layer (totals first), and inside a layer cell by cell with the month
outermost and the country innermost, so the first rows already cover every
country, year and indicator; `--rows N` takes the first N. Each random draw
has its own seed, so those rows are the same whatever N is, and the same seed
always gives the same rows. They are written in natural-key order.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from data_access.synthetic_spec import (
    AGE_GROUPS,
    DISABILITY,
    DISTRICTS,
    INDICATORS,
    LAYERS,
    MONTHS,
    NATIONALITIES,
    PARTNERS,
    POPULATION_GROUPS,
    SEXES,
    SUBDISTRICTS,
    YEARS,
    Layer,
    layer_values,
)

_DRAWS = (
    "total",
    "sex_age",
    "disability",
    "population_group",
    "implementing_partner",
    "nationality",
    "admin",
)


@dataclass(frozen=True)
class Chunk:
    """Rows as columns (object arrays hold str or None)."""

    dim: np.ndarray  # breakdown_dim, "" for totals
    indicator_code: np.ndarray
    country_index: np.ndarray  # position in Grid.countries
    period_start: np.ndarray  # "YYYY-MM-DD"
    period_end: np.ndarray
    value: np.ndarray  # int64, whole people
    breakdown_value: np.ndarray
    implementing_partner: np.ndarray  # the value on the partner layer's rows, else None

    def __len__(self) -> int:
        return len(self.value)


def _period_bounds() -> tuple[np.ndarray, np.ndarray]:
    """Start and end dates of each (year, month), indexed year * 12 + month."""
    starts, ends = [], []
    for year in YEARS:
        for month in MONTHS:
            starts.append(f"{year}-{month:02d}-01")
            ends.append(f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}")
    return np.array(starts, dtype=object), np.array(ends, dtype=object)


class Grid:
    """Every synthetic row for `countries` and `seed`, generated on demand."""

    def __init__(self, countries: Sequence[str], seed: int) -> None:
        if not countries:
            raise ValueError("no countries to generate results for")
        self.countries = tuple(countries)
        self.shape = (len(MONTHS), len(INDICATORS), len(YEARS), len(self.countries))  # cell order
        self.n_cells = int(np.prod(self.shape))
        sequences = np.random.SeedSequence(seed).spawn(len(_DRAWS))
        self._rngs = {name: np.random.default_rng(seq) for name, seq in zip(_DRAWS, sequences, strict=True)}
        self._draws: dict[str, np.ndarray] = {}
        self._starts, self._ends = _period_bounds()
        self._codes = np.array([i.code for i in INDICATORS], dtype=object)

    @property
    def size(self) -> int:
        """How many rows the grid holds (the most --rows can ask for)."""
        return self.n_cells * sum(layer.parts for layer in LAYERS)

    # --- values ---------------------------------------------------------------------

    def totals(self) -> np.ndarray:
        """Each cell's monthly total: country scale x yearly trend x seasonality x noise."""
        if "total" not in self._draws:
            rng = self._rngs["total"]
            n_months, n_ind, n_years, n_countries = self.shape
            country_scale = 120.0 * rng.lognormal(0.0, 0.6, n_countries)
            indicator_scale = rng.lognormal(0.0, 0.5, n_ind)
            growth = rng.normal(0.08, 0.06, (n_ind, n_countries))  # per year
            phase = rng.uniform(0.0, 12.0, n_ind)
            amplitude = rng.uniform(0.1, 0.45, n_ind)
            months = np.arange(n_months)[:, None]
            season = 1.0 + amplitude * np.sin(2.0 * np.pi * (months - phase) / 12.0)  # (M, I)
            years = np.arange(n_years) - (n_years - 1) / 2.0
            trend = np.exp(growth[:, None, :] * years[None, :, None])  # (I, Y, C)
            mean = season[:, :, None, None] * indicator_scale[None, :, None, None] * trend[None]
            mean = mean * country_scale[None, None, None, :]
            noisy = mean * rng.lognormal(0.0, 0.2, mean.shape)
            self._draws["total"] = np.rint(noisy).astype(np.int64).ravel()
        return self._draws["total"]

    def _split(self, name: str, shares_by_country: np.ndarray) -> np.ndarray:
        """Each cell's total split into parts with its country's shares (cells x parts)."""
        if name not in self._draws:
            country = np.arange(self.n_cells) % len(self.countries)
            self._draws[name] = self._rngs[name].multinomial(self.totals(), shares_by_country[country])
        return self._draws[name]

    def _shares(self, name: str, parts: int, concentration: float) -> np.ndarray:
        return self._rngs[name].dirichlet(np.full(parts, concentration), len(self.countries))

    def parts(self, layer: Layer) -> np.ndarray:
        """The layer's values, cells x parts; every row adds up to the cell's total."""
        key = f"layer:{layer.dim}"
        if key not in self._draws:
            self._draws[key] = self._layer_parts(layer)
        return self._draws[key]

    def _layer_parts(self, layer: Layer) -> np.ndarray:
        n_countries = len(self.countries)
        if layer.draw == "total":
            return self.totals()[:, None]
        if layer.draw == "sex_age":
            if "sex_age" not in self._draws:
                sex = self._rngs["sex_age"].uniform(0.35, 0.65, n_countries)
                sexes = np.stack([sex, 1.0 - sex], axis=1)
                ages = self._shares("sex_age", len(AGE_GROUPS), 4.0)
                self._split("sex_age", (sexes[:, :, None] * ages[:, None, :]).reshape(n_countries, -1))
            both = self._draws["sex_age"].reshape(-1, len(SEXES), len(AGE_GROUPS))
            by_dim = {"sex": both.sum(axis=2), "age_group": both.sum(axis=1)}
            return by_dim.get(layer.dim, self._draws["sex_age"])
        if layer.draw == "admin":
            if "admin" not in self._draws:
                districts = self._shares("admin", DISTRICTS, 1.5)
                within = self._rngs["admin"].dirichlet(np.full(SUBDISTRICTS, 2.0), (n_countries, DISTRICTS))
                self._split("admin", (districts[:, :, None] * within).reshape(n_countries, -1))
            admin2 = self._draws["admin"]
            return (
                admin2.reshape(-1, DISTRICTS, SUBDISTRICTS).sum(axis=2) if layer.dim == "admin1" else admin2
            )
        counts = {
            "disability": len(DISABILITY),
            "population_group": len(POPULATION_GROUPS),
            "implementing_partner": len(PARTNERS),
            "nationality": len(NATIONALITIES),
        }
        concentration = 0.6 if layer.draw == "nationality" else 2.0
        if layer.draw not in self._draws:
            self._split(layer.draw, self._shares(layer.draw, counts[layer.draw], concentration))
        return self._draws[layer.draw]

    # --- rows -----------------------------------------------------------------------

    def taken(self, rows: int) -> list[int]:
        """How many rows of each layer (in LAYERS order) the first `rows` rows hold."""
        if rows > self.size:
            raise ValueError(f"the synthetic grid holds at most {self.size:,} rows")
        taken, left = [], rows
        for layer in LAYERS:
            taken.append(min(left, self.n_cells * layer.parts))
            left -= taken[-1]
        return taken

    def chunks(self, rows: int, chunk_rows: int = 200_000) -> Iterator[Chunk]:
        """The first `rows` rows of the grid, in chunks of about `chunk_rows`.

        Which rows: the first of the generation order (module doc). In what
        order: that of the natural key (indicator, country, period, breakdown),
        so that the indexes rebuilt after a bulk load sort presorted rows."""
        taken = self.taken(rows)
        layers = sorted(
            (layer.dim, n, layer, take)
            for n, (layer, take) in enumerate(zip(LAYERS, taken, strict=True))
            if take
        )
        per_cell = sum(layer.parts for _dim, _n, layer, _take in layers)
        plan = _Plan(self, [(layer, take) for _dim, _n, layer, take in layers])
        cells = self._cells_in_key_order()
        step = max(1, chunk_rows // per_cell)
        for first in range(0, len(cells), step):
            chunk = plan.chunk(cells[first : first + step])
            if len(chunk):
                yield chunk

    def _cells_in_key_order(self) -> np.ndarray:
        """Cell numbers ordered by indicator code, country, year, month."""
        n_months, n_ind, n_years, n_countries = self.shape
        indicator = np.argsort(self._codes)[:, None, None, None]
        country = np.arange(n_countries)[None, :, None, None]
        year = np.arange(n_years)[None, None, :, None]
        month = np.arange(n_months)[None, None, None, :]
        return (((month * n_ind + indicator) * n_years + year) * n_countries + country).ravel()


class _Plan:
    """Lays the selected rows of a block of cells out in natural-key order."""

    def __init__(self, grid: Grid, layers: list[tuple[Layer, int]]) -> None:
        self.grid = grid
        self.layers = layers  # sorted by breakdown_dim, with the rows taken of each
        self.per_cell = sum(layer.parts for layer, _take in layers)
        self.offsets = np.cumsum([0] + [layer.parts for layer, _take in layers])[:-1]
        tables = [
            np.array([layer_values(layer, c) for c in grid.countries], dtype=object) for layer, _ in layers
        ]
        self.labels = np.concatenate(tables, axis=1)  # country x (every layer's values)
        # Value order inside a layer: the same in every country (admin codes share the prefix).
        self.orders = [np.argsort(table[0]) for table in tables]
        self.dims = np.array([layer.dim for layer, _take in layers], dtype=object)

    def chunk(self, cells: np.ndarray) -> Chunk:
        grid, size = self.grid, len(cells) * self.per_cell
        value = np.zeros(size, dtype=np.int64)
        column = np.zeros(size, dtype=np.int64)  # position in self.labels' columns
        layer_of = np.zeros(size, dtype=np.int64)
        valid = np.zeros(size, dtype=bool)
        base = np.arange(len(cells))[:, None] * self.per_cell
        for n, ((layer, take), offset, order) in enumerate(
            zip(self.layers, self.offsets, self.orders, strict=True)
        ):
            at = (base + offset + np.arange(layer.parts)[None, :]).ravel()
            value[at] = grid.parts(layer)[cells][:, order].ravel()
            column[at] = np.tile(offset + order, len(cells))
            layer_of[at] = n
            valid[at] = ((cells[:, None] * layer.parts + order[None, :]) < take).ravel()
        cell = np.repeat(cells, self.per_cell)[valid]
        n_months, n_ind, n_years, n_countries = grid.shape
        country = cell % n_countries
        year = (cell // n_countries) % n_years
        indicator = (cell // (n_countries * n_years)) % n_ind
        period = year * 12 + cell // (n_countries * n_years * n_ind)
        dims = self.dims[layer_of[valid]]
        values = self.labels[country, column[valid]]
        return Chunk(
            dim=dims,
            indicator_code=grid._codes[indicator],
            country_index=country,
            period_start=grid._starts[period],
            period_end=grid._ends[period],
            value=value[valid],
            breakdown_value=values,
            implementing_partner=np.where(dims == "implementing_partner", values, None),
        )
