"""Rewrite the README's performance section, and only it.

The section lives between two HTML comments; everything outside them is
left byte for byte as it was.
"""

from __future__ import annotations

from pathlib import Path

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"


def rewrite_section(text: str, body: str) -> str:
    """`text` with what lies between the markers replaced by `body`."""
    start = text.find(START)
    end = text.find(END)
    if start < 0 or end < 0:
        raise ValueError(f"the README has no {START} ... {END} section")
    if end < start or text.count(START) != 1 or text.count(END) != 1:
        raise ValueError("the README's bench markers must appear once each, start before end")
    head = text[: start + len(START)]
    tail = text[end:]
    return f"{head}\n{body.strip()}\n{tail}"


def update_readme(path: Path, body: str) -> None:
    """Write the new section into the README at `path`."""
    text = path.read_text(encoding="utf-8")
    path.write_text(rewrite_section(text, body), encoding="utf-8")
