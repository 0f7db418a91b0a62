"""Right-to-left text for reportlab: Arabic letters joined, lines in visual order.

reportlab draws the characters it is given, left to right, one glyph each: it
neither joins Arabic letters nor reorders a right-to-left line (its own RTL
mode needs `rlbidi`, which is not on PyPI). So a paragraph is prepared here:

1. shaped with arabic-reshaper: each letter becomes the Presentation Form of
   its place in the word (initial, medial, final, isolated; lam-alef ligatures);
2. broken into lines of the frame's width, in logical order (as it is read),
   measured in the fonts it will be drawn in;
3. each line reordered for display by the Unicode bidirectional algorithm
   (python-bidi), with the paragraph's direction right to left: Arabic words
   run from the right, a Latin name, an acronym or a number keeps its own
   left-to-right order, brackets are mirrored;
4. drawn right-aligned, one reportlab line per line, each run in its style
   (bold, colour, link), so markup survives: it is applied per run after
   reordering, never parsed from shaped text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

# Bidi formatting characters: their work is done once a line is in visual order
# (and a font has no glyph for most of them).
_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
ISOLATES = re.compile("[\u2066-\u2069]")


@dataclass(frozen=True)
class Span:
    """A run of text in one style; '\\n' in `text` starts a new line."""

    text: str
    bold: bool = False
    color: str | None = None
    href: str | None = None


@cache
def _reshaper():
    import arabic_reshaper

    # Harakat (vowel marks) kept: a name written with them keeps them.
    return arabic_reshaper.ArabicReshaper({"delete_harakat": False})


def shape(text: str) -> str:
    """`text` with its Arabic letters in their joined Presentation Forms, still in logical order."""
    return _reshaper().reshape(text) if text else text


def visual_order(text: str) -> list[tuple[int, str]]:
    """The characters of one line of `text` (a right-to-left paragraph) in display
    order, left to right: (index in `text`, character as drawn, mirrored if need be).
    Explicit formatting characters are left out.

    python-bidi's `get_display` returns the reordered string only; which input
    character went where is needed to keep each run's style, so this runs the
    same algorithm's steps from its pure-Python implementation (`bidi.algorithm`,
    python-bidi's "V1"), marking each character with its index first. That
    implementation predates the rule for paired brackets (N0, Unicode 6.3), added
    here by `_resolve_brackets`; python-bidi's own `get_display` (its Rust "V2")
    has that rule but does not mirror brackets of right-to-left text (L4). A test
    (tests/test_exports_arabic.py) checks that both give the same order.
    """
    from bidi import algorithm as uba

    storage = uba.get_empty_storage()
    storage["base_level"], storage["base_dir"] = 1, "R"
    uba.get_embedding_levels(_marked_isolates(text), storage, False, False)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    _resolve_brackets(storage["chars"])
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    return [(c["index"], c["ch"]) for c in storage["chars"] if not _CONTROLS.match(c["ch"])]


FSI, LRI, RLI, PDI = "\u2068", "\u2066", "\u2067", "\u2069"
LRM, RLM = "\u200e", "\u200f"


def isolate(text: str) -> str:
    """`text` as an isolate of its own direction (FSI...PDI): a Latin title or
    address in an Arabic line keeps its punctuation ("https://…/", "(IOM)…")."""
    return f"{FSI}{text}{PDI}" if text else text


def marked(text: str) -> str:
    """`text` between two marks of its own direction (LRM or RLM, by its first
    letter): what an isolate does at its edges, for viewers that may not know
    isolates (a PowerPoint deck). A Latin title keeps its final "/" or "." in an
    Arabic paragraph."""
    direction = _first_strong(text)
    if direction is None:
        return text
    mark = LRM if direction == "L" else RLM
    return f"{mark}{text}{mark}"


def _first_strong(text: Iterable[str]) -> str | None:
    from unicodedata import bidirectional

    for char in text:
        kind = bidirectional(char)
        if kind == "L":
            return "L"
        if kind in ("R", "AL"):
            return "R"
    return None


def _marked_isolates(text: str) -> str:
    """Isolates (LRI, RLI, FSI ... PDI) as marks of their direction (LRM, RLM),
    one character for one, so indices stay: the pure-Python algorithm predates
    isolates, and a mark on each side makes the neutrals at an isolate's edges
    take its direction, which is what an isolate is used for here."""
    chars, stack = list(text), []
    for i, char in enumerate(chars):
        if char in (FSI, LRI, RLI):
            if char == FSI:
                end = text.find(PDI, i)
                direction = _first_strong(text[i + 1 : end if end >= 0 else len(text)]) or "R"
            else:
                direction = "L" if char == LRI else "R"
            chars[i] = LRM if direction == "L" else RLM
            stack.append(chars[i])
        elif char == PDI:
            # A PDI whose opener ended the line before: the direction of what it closes.
            last = _first_strong(reversed(text[:i])) or "R"
            chars[i] = stack.pop() if stack else LRM if last == "L" else RLM
    return "".join(chars)


_BRACKETS = {"(": ")", "[": "]", "{": "}"}


def _resolve_brackets(chars: list[dict]) -> None:
    """Rule N0 of the bidirectional algorithm, for a right-to-left paragraph: a
    pair of brackets takes the paragraph's direction (R) when it holds R text,
    else the direction of what it holds (L) when the text before it is L too;
    so "Threads of Hope (ToH)" keeps its brackets around "ToH". Numbers count as R."""
    pairs, stack = [], []
    for i, char in enumerate(chars):
        ch = char["ch"]
        if ch in _BRACKETS:
            stack.append((_BRACKETS[ch], i))
        elif ch in _BRACKETS.values():
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == ch:
                    pairs.append((stack[depth][1], i))
                    del stack[depth:]
                    break

    def strong(kind: str) -> str | None:
        return "L" if kind == "L" else "R" if kind in ("R", "AL", "EN", "AN") else None

    for opening, closing in sorted(pairs):
        inside = {strong(c["type"]) for c in chars[opening + 1 : closing]}
        if "R" in inside:
            direction = "R"
        elif "L" in inside:
            before = next((strong(c["type"]) for c in reversed(chars[:opening]) if strong(c["type"])), "R")
            direction = before
        else:
            continue
        chars[opening]["type"] = chars[closing]["type"] = direction


def visual(text: str) -> str:
    """One line of right-to-left text, shaped and in display order (e.g. a page footer)."""
    shaped = shape(text)
    return "".join(char for _, char in visual_order(shaped))


# --- paragraphs --------------------------------------------------------------------------------------

_Char = tuple[str, Span]  # a shaped character and the span (style) it belongs to


def _shaped_chars(spans: Sequence[Span]) -> list[_Char]:
    """Every character of the spans, shaped, with its span. A span is shaped on
    its own: spans meet between words, where letters do not join anyway."""
    return [(char, span) for span in spans for char in shape(span.text)]


def _words(chars: list[_Char]) -> list[list[_Char]]:
    """Words, each with the space after it; a line break is a word of its own."""
    words: list[list[_Char]] = [[]]
    for item in chars:
        char = item[0]
        if char == "\n":
            words += [[item], []]
        else:
            words[-1].append(item)
            if char == " ":
                words.append([])
    return [w for w in words if w]


def _width(chars: Sequence[_Char], fonts: tuple[str, str], size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    regular, bold = fonts
    return sum(
        stringWidth(char, bold if span.bold else regular, size)
        for char, span in chars
        if not _CONTROLS.match(char)  # never drawn
    )


def break_lines(
    spans: Sequence[Span], width: float, fonts: tuple[str, str], size: float
) -> list[list[_Char]]:
    """The paragraph's lines in logical order, each at most `width` points wide
    (a word longer than a line gets a line of its own), trailing spaces dropped."""
    lines: list[list[_Char]] = [[]]
    used = 0.0
    for word in _words(_shaped_chars(spans)):
        if word[0][0] == "\n":
            lines.append([])
            used = 0.0
            continue
        ink = _width([c for c in word if c[0] != " "], fonts, size)
        if lines[-1] and used + ink > width:
            lines.append([])
            used = 0.0
        lines[-1].extend(word)
        used += _width(word, fonts, size)
    for line in lines:
        while line and line[-1][0] == " ":
            line.pop()
    return lines


def _markup(text: str, span: Span, link_color: str) -> str:
    return styled(escape(text), span, link_color)


def styled(out: str, span: Span, link_color: str) -> str:
    """Paragraph markup `out` (already escaped) in the style of `span`: bold, colour, link."""
    if span.bold:
        out = f"<b>{out}</b>"
    if span.color:
        out = f"<font color='{span.color}'>{out}</font>"
    if span.href:
        href = escape(span.href, {"'": "&#39;", '"': "&quot;"})
        out = f"<link href='{href}' color='{span.color or link_color}'>{out}</link>"
    return out


def line_markup(line: Sequence[_Char], link_color: str = "#0b4f8a") -> str:
    """One logical line as reportlab markup, in display order, each run in its style."""
    order = visual_order("".join(char for char, _ in line))
    runs: list[tuple[Span, str]] = []
    for index, char in order:
        span = line[index][1]
        if runs and runs[-1][0] is span:
            runs[-1] = (span, runs[-1][1] + char)
        else:
            runs.append((span, char))
    return "".join(_markup(text, span, link_color) for span, text in runs)


def rtl_paragraph(spans: Sequence[Span] | str, style, fonts: tuple[str, str]):
    """A flowable paragraph of right-to-left text in `style` (whose alignment should
    be right), drawn in `fonts` (regular, bold): broken into lines for the width it
    is given, wherever it is placed (the page's frame, a table's cell)."""
    from reportlab.platypus import Flowable, Paragraph

    if isinstance(spans, str):
        spans = [Span(spans)]

    class RtlParagraph(Flowable):
        def __init__(self):
            super().__init__()
            self.style = style
            self._paragraph = None

        def _lines(self, width: float):
            inner = width - style.leftIndent - style.rightIndent
            lines = break_lines(spans, inner, fonts, style.fontSize)
            return Paragraph("<br/>".join(line_markup(line) for line in lines) or " ", style)

        def wrap(self, avail_width, avail_height):
            self._paragraph = self._lines(avail_width)
            self.width, self.height = self._paragraph.wrap(avail_width, avail_height)
            return self.width, self.height

        def split(self, avail_width, avail_height):
            return self._lines(avail_width).split(avail_width, avail_height)

        def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 - reportlab's name
            self._paragraph.drawOn(canvas, x, y, _sW)

        def getSpaceBefore(self):  # noqa: N802
            return style.spaceBefore

        def getSpaceAfter(self):  # noqa: N802
            return style.spaceAfter

    return RtlParagraph()
