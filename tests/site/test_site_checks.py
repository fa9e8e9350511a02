"""Link check, hand-typed-number scan and version sync."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from analysis import __version__
from analysis.book.citation import book_bibtex, read_citation
from analysis.site.linkcheck import broken_links
from analysis.site.prose_check import scan_chapters, typed_numbers

REPO_ROOT = Path(__file__).resolve().parents[2]


def _site(tmp_path: Path) -> Path:
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "a.html").write_text(
        '<a href="b.html#here">ok</a><a href="b.html#gone">bad anchor</a>'
        '<a href="missing.html">bad file</a><a href="https://example.org">external</a>'
        '<img src="../img.png" alt="x"><a href="#self">self</a><span id="self"></span>'
    )
    (tmp_path / "book" / "b.html").write_text('<h1 id="here">B</h1>')
    (tmp_path / "img.png").write_bytes(b"\x89PNG")
    return tmp_path


def test_linkcheck_reports_missing_files_and_anchors_only(tmp_path: Path) -> None:
    broken = broken_links(_site(tmp_path))
    assert broken == [
        "book/a.html: b.html#gone (no anchor #gone)",
        "book/a.html: missing.html (no such file)",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Error fell to 11.5% in 2019.", ["11.5%"]),
        ("Compute grew 500x over 3 tasks.", ["500x"]),
        ("We have 1,058 papers.", ["1,058"]),
        ("Glued: {glue:text}`n-papers:,` and `12.5` and $x = 3.5$.", []),
        ("Licensed CC BY-SA 4.0.", []),
        ("SQuAD 1.1 and error as 100 minus the score.", []),
        ("SQuAD 1.1 reached 95.1 F1.", ["95.1"]),
    ],
)
def test_typed_numbers_in_prose(text: str, expected: list[str]) -> None:
    assert [token.strip() for _, token in typed_numbers(text)] == expected


def test_code_cells_and_math_are_not_prose() -> None:
    text = "```{code-cell} ipython3\nx = 12.5\n```\n$$\ny = 3.25\n$$\nCaption 42.5 here.\n"
    assert typed_numbers(text) == [(7, "42.5 ")]


def test_no_chapter_types_results_by_hand() -> None:
    report = scan_chapters(REPO_ROOT / "book")
    assert not report, f"numbers typed into prose (glue them from code): {report}"


def test_version_is_the_same_everywhere() -> None:
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    citation = read_citation()
    changelog = (REPO_ROOT / "CHANGELOG.md").read_text()
    newest = re.search(r"^## (\S+)", changelog, re.M)
    assert pyproject["project"]["version"] == __version__
    assert str(citation["version"]) == __version__
    assert newest and newest.group(1) == __version__
    assert f"edition = {{{__version__}}}" in book_bibtex(citation)
