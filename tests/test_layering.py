"""The layers import only downwards: app -> web -> pages -> components and
data_access -> model and config.

Read from the syntax tree, not with grep, so that imports inside functions and
under `if TYPE_CHECKING:` count as much as those at the top of a module.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import REPO

FLASK_REQUEST_NAMES = frozenset({"request", "Response", "after_request"})
MODEL_MAY_IMPORT = frozenset(sys.stdlib_module_names) | {"__future__", "pandas", "config", "model"}

# layer -> top-level modules it must never import
FORBIDDEN = {
    "components": {"data_access", "pages", "web"},
    "data_access": {"dash", "dash_bootstrap_components", "components", "pages", "web"},
    "pages": {"web"},
}


@dataclass(frozen=True)
class Import:
    """One imported module (and the names taken from it), where it is written."""

    path: str  # relative to the repository
    line: int
    module: str  # absolute dotted name
    names: tuple[str, ...]  # for `from module import a, b`; empty for `import module`

    @property
    def top(self) -> str:
        return self.module.split(".")[0]

    def __str__(self) -> str:
        what = f"from {self.module} import {', '.join(self.names)}" if self.names else f"import {self.module}"
        return f"{self.path}:{self.line}: {what}"


def _package_of(path: Path) -> list[str]:
    """The dotted package a file's relative imports start from."""
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return parts if path.name == "__init__.py" else parts[:-1]


def imports_in(source: str, path: Path) -> list[Import]:
    """Every import of a module's source, wherever it stands, relative ones made
    absolute, in the order of the file's lines."""
    return sorted(_imports(source, path), key=lambda imp: imp.line)


def _imports(source: str, path: Path) -> Iterator[Import]:
    shown = str(path.relative_to(REPO))
    for node in ast.walk(ast.parse(source, filename=shown)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(shown, node.lineno, alias.name, ())
        elif isinstance(node, ast.ImportFrom):
            names = tuple(alias.name for alias in node.names)
            if node.level:
                base = _package_of(path)[: len(_package_of(path)) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield Import(shown, node.lineno, module, names)


def layer_imports(layer: str) -> list[Import]:
    """Every import written in the files of one layer (a top-level package)."""
    folder = REPO / layer
    assert (folder / "__init__.py").is_file(), f"{layer}/ is not a package: update the layering test"
    found: list[Import] = []
    for path in sorted(folder.rglob("*.py")):
        found += imports_in(path.read_text(encoding="utf-8"), path)
    return found


def _refuse(layer: str, rule: str, bad: list[Import]) -> None:
    """Fail with one line per offending import: file, line and the import itself."""
    if bad:
        pytest.fail(f"{layer}/ {rule}:\n" + "\n".join(f"  {imp}" for imp in bad), pytrace=False)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_or_beside_it(layer):
    forbidden = FORBIDDEN[layer]
    bad = [imp for imp in layer_imports(layer) if imp.top in forbidden]
    _refuse(layer, f"must not import {', '.join(sorted(forbidden))}", bad)


def _reaches_flask_requests(imp: Import) -> bool:
    """`from flask import request` (or Response, after_request), or a bare
    `import flask`, which reaches them as attributes."""
    return imp.top == "flask" and (bool(FLASK_REQUEST_NAMES & set(imp.names)) or not imp.names)


def test_pages_leave_flask_requests_and_responses_to_web():
    bad = [imp for imp in layer_imports("pages") if _reaches_flask_requests(imp)]
    _refuse("pages", "must not import flask's request, Response or after_request", bad)


def test_model_imports_only_the_standard_library_pandas_and_config():
    bad = [imp for imp in layer_imports("model") if imp.top not in MODEL_MAY_IMPORT]
    _refuse("model", "may import only the standard library, pandas and config", bad)


def test_the_checker_sees_type_checking_function_level_and_relative_imports():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from pages.urlstate import Notice\n"
        "def build():\n"
        "    import data_access.queries as q\n"
        "from ..web import exports\n"
        "from . import labels\n"
    )
    assert [str(imp) for imp in imports_in(source, REPO / "components" / "probe.py")] == [
        "components/probe.py:1: from typing import TYPE_CHECKING",
        "components/probe.py:3: from pages.urlstate import Notice",
        "components/probe.py:5: import data_access.queries",
        "components/probe.py:6: from web import exports",
        "components/probe.py:7: from components import labels",
    ]
