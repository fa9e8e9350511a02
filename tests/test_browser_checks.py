"""The browser checks themselves catch what they must: a chart loaded from a CDN fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.book.theme import offline_html
from tests.browser import chromium, load_page, serve

pytestmark = pytest.mark.browser

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
    "description": "Two points",
    "data": {"values": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]},
    "mark": "point",
    "encoding": {"x": {"field": "x", "type": "quantitative"}},
}


def _page(tmp_path: Path, head: str, body: str) -> Path:
    (tmp_path / "page.html").write_text(f"<html><head>{head}</head><body>{body}</body></html>")
    return tmp_path


def test_a_chart_loading_vega_from_a_cdn_is_reported(tmp_path: Path) -> None:
    head = '<script src="https://cdn.jsdelivr.net/npm/vega-embed@6"></script>'
    site = _page(tmp_path, head, offline_html(SPEC))
    with serve(site) as base, chromium() as browser:
        report = load_page(browser, base + "page.html")
    problems = "\n".join(report.problems())
    assert "external request: https://cdn.jsdelivr.net/npm/vega-embed@6" in problems
    assert "charts drew no marks" in problems


def test_the_offline_chart_draws_with_the_local_bundle(tmp_path: Path) -> None:
    import vl_convert as vlc

    (tmp_path / "vega.js").write_text(vlc.javascript_bundle())
    site = _page(tmp_path, '<script src="vega.js"></script>', offline_html(SPEC))
    with serve(site) as base, chromium() as browser:
        report = load_page(browser, base + "page.html")
    assert report.charts == 1
    assert not report.problems(), report.problems()


def test_an_image_without_alt_text_is_reported(tmp_path: Path) -> None:
    (tmp_path / "dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
    )
    site = _page(tmp_path, "", '<img src="dot.svg">')
    with serve(site) as base, chromium() as browser:
        report = load_page(browser, base + "page.html")
    assert report.images_without_alt == ["dot.svg"]


def test_a_table_wider_than_the_page_is_reported_and_a_reader_table_is_not(tmp_path: Path) -> None:
    import pandas as pd

    from analysis.book.tables import reader_table
    from tests.browser import read_page

    wide = pd.DataFrame(
        {f"column_{i}": ["a_rather_long_unbreakable_cell_value"] for i in range(12)}
    )
    css = (Path(__file__).resolve().parent.parent / "_static" / "complim.css").read_text()
    head = f"<style>{css} article {{ width: 600px; }}</style>"
    raw = f"<article class='bd-article'>{wide.to_html()}</article>"
    reader = f"<article class='bd-article'>{reader_table(wide).html()}</article>"
    with serve(_page(tmp_path, head, raw)) as base, chromium() as browser:
        found_raw = read_page(browser, base + "page.html")
    (tmp_path / "page.html").unlink()
    with serve(_page(tmp_path, head, reader)) as base, chromium() as browser:
        found_reader = read_page(browser, base + "page.html")
    assert found_raw.too_wide, "a 12-column raw table in a 600-px article was not reported"
    assert not found_reader.too_wide, found_reader.too_wide
    assert "Column 0" in found_reader.table_texts
