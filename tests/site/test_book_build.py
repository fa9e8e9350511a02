"""The strict, from-scratch book build and what it must contain."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.book

REPO_ROOT = Path(__file__).resolve().parents[2]
EXTERNAL_ASSET = re.compile(r"""<(?:script|link|img)[^>]+(?:src|href)=["'](?:https?:)?//""", re.I)


def toc_files() -> list[str]:
    """Every document named in _toc.yml."""
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    return files


def test_every_toc_document_is_built(built_book: Path) -> None:
    missing = [f for f in toc_files() if not (built_book / f"{f}.html").exists()]
    assert not missing, f"documents in _toc.yml with no HTML page: {missing}"


def test_no_page_loads_assets_from_the_internet(built_book: Path) -> None:
    offenders = {}
    for page in built_book.rglob("*.html"):
        hits = EXTERNAL_ASSET.findall(page.read_text(encoding="utf-8"))
        if hits:
            offenders[page.relative_to(built_book).as_posix()] = hits[:3]
    assert not offenders, f"pages that load assets from another host: {offenders}"


def test_vega_and_mathjax_are_served_locally(built_book: Path) -> None:
    bundle = built_book / "_static" / "complim-vega.js"
    assert bundle.stat().st_size > 100_000, "the Vega bundle is missing or truncated"
    assert "window.vegaEmbed" in bundle.read_text(encoding="utf-8")
    assert (built_book / "_static" / "mathjax" / "tex-chtml.js").exists()


def test_curated_tables_are_downloadable(built_book: Path) -> None:
    expected = sorted(p.name for p in (REPO_ROOT / "data").glob("*.csv"))
    assert expected, "data/ holds no CSV table"
    for name in expected:
        copied = built_book / "data" / name
        assert copied.exists() and copied.stat().st_size > 0, f"data/{name} not in the site"


def test_every_glued_figure_has_its_files(built_book: Path) -> None:
    labels = set()
    for page in built_book.rglob("*.html"):
        labels |= set(re.findall(r'<figure[^>]*id="(fig-[a-z0-9-]+)"', page.read_text()))
    assert labels, "the book has no labelled figure"
    for label in sorted(labels):
        for suffix in ("svg", "png", "pdf", "csv", "json", "bib"):
            path = built_book / "figures" / f"{label}.{suffix}"
            assert path.exists() and path.stat().st_size > 0, f"missing {path.name}"


def test_footer_names_version_and_build_date(built_book: Path) -> None:
    from analysis import __version__

    index = (built_book / "book" / "index.html").read_text()
    footer = re.search(r"Computational Limits · version ([\w.]+) · built (\d{4}-\d\d-\d\d)", index)
    assert footer, "footer lacks version and build date"
    assert footer.group(1) == __version__


def test_internal_links_resolve(built_book: Path) -> None:
    from analysis.site.linkcheck import broken_links

    broken = broken_links(built_book)
    assert not broken, "\n".join(broken[:20])
