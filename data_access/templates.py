"""The import templates readers may download: which files, and where they are.

Only the names in TEMPLATE_FILES are ever served (web/downloads.py), from one
directory that the app's config may point elsewhere (tests do).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from config import ROOT

TEMPLATES_DIR = ROOT / "data" / "templates"
TEMPLATE_FILES = (
    "results_template.csv",
    "results_template.xlsx",
    "activities_template.csv",
    "activities_template.xlsx",
)
CONFIG_KEY = "COMPASS_TEMPLATES_DIR"


@dataclass(frozen=True)
class Template:
    """An import template present on disk."""

    name: str
    size: int  # bytes

    @property
    def kind(self) -> str:
        return self.name.split("_", 1)[0]  # "results" | "activities"

    @property
    def extension(self) -> str:
        return Path(self.name).suffix.lstrip(".")


def templates_dir() -> Path:
    """Where the current app serves templates from (tests point it elsewhere)."""
    return Path(current_app.config.get(CONFIG_KEY, TEMPLATES_DIR))


def available_templates() -> list[Template]:
    """The whitelisted templates that exist, in TEMPLATE_FILES order."""
    directory = templates_dir()
    found = []
    for name in TEMPLATE_FILES:
        path = directory / name
        if path.is_file():
            found.append(Template(name=name, size=path.stat().st_size))
    return found
