"""Find result-like numbers typed by hand into the prose of the chapters.

Numbers in prose must be glued from code. This heuristic flags decimals, percentages,
multipliers and large numbers in markdown text, outside code cells, math, inline code,
roles (such as ``{glue:text}``), directive options, link targets and HTML comments.
Years, small counts and the allow-list below are not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

ALLOWED_PHRASES: dict[str, str] = {
    r"CC BY(?:-SA)? 4\.0": "version of a Creative Commons licence",
    r"300 dpi|300-dpi|300 ppi": "the fixed resolution of exported PNG figures",
    r"SQuAD ?(?:1\.1|2\.0)": "the name of a benchmark",
    r"100 minus": "the definition of error from a percent score",
    r"\b[vV]?\d+\.x\b|version \d+(?:\.\d+)*": "a software version",
    r"(?:top|Top)-[15]\b": "the name of a metric",
}
"""Phrases whose numbers may be typed in prose (they are names or definitions, not results)."""


RESULT_LIKE = re.compile(
    r"(?<![\w.\-/])(?:\d{1,3}(?:,\d{3})+|\d+\.\d+|\d+)\s?(?:%|x\b|×|percent\b)?(?![\w.]*\d)"
)
YEAR = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")
FENCE = re.compile(r"^(```|~~~|:::)")
STRIP = [
    re.compile(r"\{[\w:-]+\}`[^`]*`"),  # roles: {glue:text}`key`, {cite:p}`key`, {numref}`x`
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"\$[^$]*\$"),  # inline math
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"<!--.*?-->"),  # HTML comments
    re.compile(r"<[^>]+>"),  # HTML tags
]


CODE_DIRECTIVES = {"code-cell", "code", "code-block", "math", "raw", "bibliography"}
FENCE_OPEN = re.compile(r"^(`{3,}|~{3,}|:{3,})\s*(?:\{([\w:-]+)\})?")


def _prose_lines(text: str) -> Iterable[tuple[int, str]]:
    """Lines of markdown prose (directive bodies such as captions included), skipping front
    matter, code cells, code blocks, display math, directive options and headings."""
    lines = text.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i + 1 for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0)
    fence: str | None = None
    in_code = in_math = False
    for number, line in enumerate(lines[start:], start + 1):
        stripped = line.strip()
        if fence and stripped == fence:
            fence, in_code = None, False
            continue
        if fence is None and (opened := FENCE_OPEN.match(stripped)):
            fence = opened.group(1)
            in_code = opened.group(2) is None or opened.group(2) in CODE_DIRECTIVES
            continue
        if stripped == "$$" or (stripped.startswith("$$") and not stripped.endswith("$$")):
            in_math = not in_math
            continue
        if in_code or in_math or stripped.startswith(("$$", ":", "#", "|")):
            continue
        yield number, line


def _flagged(token: str, allowed: set[str]) -> bool:
    bare = token.strip()
    digits = re.sub(r"[^\d.]", "", bare)
    if bare in allowed or YEAR.match(digits):
        return False
    has_marker = any(m in bare for m in ("%", "x", "×", "percent"))
    return "." in digits or has_marker or "," in bare or float(digits or 0) >= 20


def typed_numbers(text: str, allowed: Iterable[str] = ()) -> list[tuple[int, str]]:
    """(line number, token) of every result-like number typed into the prose of ``text``."""
    allowed_set = set(allowed)
    found = []
    for number, line in _prose_lines(text):
        for pattern in [*STRIP, *(re.compile(p) for p in ALLOWED_PHRASES)]:
            line = pattern.sub(" ", line)
        found += [
            (number, m.group(0))
            for m in RESULT_LIKE.finditer(line)
            if _flagged(m.group(0), allowed_set)
        ]
    return found


def scan_chapters(book_dir: Path, allowed: Iterable[str] = ()) -> dict[str, list[tuple[int, str]]]:
    """Typed numbers per chapter file of the book."""
    report = {}
    for path in sorted(book_dir.rglob("*.md")):
        hits = typed_numbers(path.read_text(encoding="utf-8"), allowed)
        if hits:
            report[path.relative_to(book_dir).as_posix()] = hits
    return report
