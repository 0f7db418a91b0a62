"""Problems found in an import file, and the report written next to it."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from model.file_format import neutralise

MAX_KEPT = 10_000  # problems kept in memory and reported; the rest are counted


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth knowing) about one cell, row or the file."""

    row: int | None  # line in the file (1 = first line); None for the whole file
    column: str
    value: str
    rule: str  # a short stable code, e.g. "unknown_country"
    message: str
    severity: str = "error"  # "error" blocks the import; "warning" does not

    def line(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        column = f", column {self.column}" if self.column else ""
        value = f" ({self.value!r})" if self.value else ""
        return f"{self.severity.upper()}: {where}{column}{value}: {self.message} [{self.rule}]"


@dataclass
class Problems:
    """Every problem of an import, capped in memory but counted in full."""

    kept: list[Problem] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0

    def add(self, problem: Problem) -> None:
        if problem.severity == "error":
            self.errors += 1
        else:
            self.warnings += 1
        if len(self.kept) < MAX_KEPT:
            self.kept.append(problem)

    def error(self, row: int | None, column: str, value: object, rule: str, message: str) -> None:
        self.add(Problem(row, column, _shown(value), rule, message))

    def warn(self, row: int | None, column: str, value: object, rule: str, message: str) -> None:
        self.add(Problem(row, column, _shown(value), rule, message, "warning"))

    @property
    def dropped(self) -> int:
        return self.errors + self.warnings - len(self.kept)

    def write_csv(self, path: Path) -> None:
        """The report as CSV: row, column, value, rule, severity, message."""
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["row", "column", "value", "rule", "severity", "message"])
            for p in sorted(self.kept, key=lambda p: (p.row or 0, p.column)):
                writer.writerow([p.row or "", p.column, neutralise(p.value), p.rule, p.severity, p.message])
            if self.dropped:
                writer.writerow(
                    ["", "", "", "truncated", "warning", f"{self.dropped} more problems not listed"]
                )


def _shown(value: object, limit: int = 80) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
