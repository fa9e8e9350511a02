"""The book builds from the repository alone (issue 10, item 5): nothing on the book's code path
reads the raw sources, and every table the chapters read is a committed input of their digest.

The book's code path is every module of the stages above the curation (data, models,
projection, checks, book, site); only the ingest and curate stages may name the raw sources.
CI's strict book build also runs with the raw sources hidden (``built_book`` in conftest.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

from analysis.data import COST_COLUMNS
from analysis.paths import REPO_ROOT

PACKAGE = REPO_ROOT / "analysis"
BOOK_PATH = ("data.py", "schema.py", "models", "projection", "checks", "book", "site")
RAW_READERS = ("sources_dir", "read_cost_tables", "build_cost_tables")
"""Names that reach the raw sources."""


def _book_path_modules() -> list[Path]:
    paths = []
    for part in BOOK_PATH:
        target = PACKAGE / part
        paths += [target] if target.is_file() else sorted(target.rglob("*.py"))
    return paths


def test_no_module_on_the_book_path_reads_the_raw_sources() -> None:
    found = []
    for path in _book_path_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = {a.name for a in node.names}
                if node.module == "analysis.ingest.cost_inputs" or names & set(RAW_READERS):
                    found.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}")
            elif isinstance(node, ast.Name | ast.Attribute):
                name = node.id if isinstance(node, ast.Name) else node.attr
                if name in RAW_READERS:
                    found.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno} {name}")
    assert not found, f"the book's code path reaches the raw sources: {found}"


def test_the_chapter_inputs_digest_covers_the_cost_tables() -> None:
    from analysis.site.sphinx_ext import DEFAULT_INPUTS, input_files

    digested = {p.relative_to(REPO_ROOT).as_posix() for p in input_files(list(DEFAULT_INPUTS))}
    for file in COST_COLUMNS:
        assert f"data/{file}" in digested
        assert (REPO_ROOT / "data" / file).exists()


def test_a_changed_cost_table_changes_the_digest(tmp_path: Path) -> None:
    from analysis.site.sphinx_ext import inputs_digest

    (tmp_path / "data").mkdir()
    table = tmp_path / "data" / "prices.csv"
    table.write_text((REPO_ROOT / "data" / "prices.csv").read_text(encoding="utf-8"))
    before = inputs_digest(["data/*.csv"], tmp_path)
    table.write_text(table.read_text(encoding="utf-8").replace("499.0", "498.0", 1))
    assert inputs_digest(["data/*.csv"], tmp_path) != before


def test_chapters_that_read_report_files_declare_them_as_inputs() -> None:
    """A chapter re-executes when a report it reads changes (``make bench`` rewrites
    ``reports/benchmark.json``; a curation rewrites ``data/reports/*.csv``)."""
    from analysis.site.sphinx_ext import chapter_inputs, input_files

    readers = {
        "appendix-benchmark.md": "reports/benchmark.json",
        "data.md": "data/reports/coverage.csv",
    }
    for chapter, report in readers.items():
        source = (REPO_ROOT / "book" / chapter).read_text(encoding="utf-8")
        digested = {
            p.relative_to(REPO_ROOT).as_posix() for p in input_files(chapter_inputs(source))
        }
        assert report in digested, f"{chapter} reads {report} but its digest does not cover it"
