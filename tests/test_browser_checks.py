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
