"""A real browser reads every page of the built book with the network limited to localhost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from analysis.vocab.tasks import METRICS
from tests.browser import (
    PageReading,
    chromium,
    exercise_controls,
    load_page,
    read_page,
    serve,
    site_pages,
)

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO_ROOT / "_build" / "screenshots"
PAGE_WEIGHT_BUDGET = 6_000_000
"""Bytes one page may load, its scripts, styles, fonts and charts included."""
E_NOTATION = re.compile(r"\d(?:\.\d+)?e[+-]?\d", re.IGNORECASE)
"""A number written like 1e+18 or 2.5E-3: what a reader should never see on an axis or in a cell."""
SERIES_ID = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)*/(?P<metric>[a-z0-9]+(?:_[a-z0-9]+)*)\b")
"""A raw series id, ``benchmark/metric`` (the metric part must be a known metric slug)."""
READER_SCREENSHOTS = {
    "book/projections.html": "reader-projections-table.png",
    "book/task-image-classification.html": "reader-task-image-classification.png",
    "book/data.html": "reader-data-tables.png",
    "book/methods.html": "reader-methods-tables.png",
}
"""Pages whose tables and charts changed for readers (issue 14), saved scrolled to the first one."""


def part_openers() -> dict[str, str]:
    """The first page of each part of the book, keyed by a screenshot file name."""
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text())
    openers = {f"{toc['root']}.html": "landing.png"}
    for number, part in enumerate(toc.get("parts", []), 1):
        slug = re.sub(r"[^a-z0-9]+", "-", part["caption"].lower()).strip("-")
        openers[f"{part['chapters'][0]['file']}.html"] = f"part-{number:02d}-{slug}.png"
    return openers


@pytest.fixture(scope="module")
def site(built_book: Path):
    with serve(built_book) as base, chromium() as browser:
        yield base, browser, built_book


def test_every_page_loads_cleanly_and_draws_its_charts(site) -> None:
    base, browser, html_dir = site
    pages = site_pages(html_dir)
    assert len(pages) >= 3, f"too few pages found: {pages}"
    openers = part_openers()
    problems, heavy = [], []
    for relative in pages:
        shot = SCREENSHOTS / openers[relative] if relative in openers else None
        report = load_page(browser, base + relative, screenshot=shot)
        problems += report.problems()
        if report.bytes_loaded > PAGE_WEIGHT_BUDGET:
            heavy.append(f"{relative}: {report.bytes_loaded:,} bytes")
    assert not problems, "\n".join(problems)
    assert not heavy, f"pages over the {PAGE_WEIGHT_BUDGET:,}-byte budget: {heavy}"
    for name in openers.values():
        assert (SCREENSHOTS / name).stat().st_size > 10_000, f"no screenshot {name}"


def test_chapter_charts_render_and_are_screenshotted(site) -> None:
    base, browser, _ = site
    report = load_page(browser, base + "book/question.html", SCREENSHOTS / "chapter-question.png")
    assert report.charts >= 1, "the first chapter shows no chart"
    assert not report.problems(), report.problems()


def test_citations_link_to_the_bibliography(site) -> None:
    base, browser, _ = site
    page = browser.new_page()
    page.goto(base + "book/question.html")
    hrefs = page.eval_on_selector_all(
        "article a.reference.internal[href*='bibliography']", "els => els.map(e => e.href)"
    )
    page.close()
    assert hrefs, "the first chapter cites nothing"
    assert all("bibliography.html#" in h for h in hrefs), hrefs


def test_chart_tooltip_appears_on_hover(site) -> None:
    base, browser, _ = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "book/question.html", wait_until="networkidle")
    points = page.locator(".complim-chart svg g.mark-symbol.role-mark path")
    points.first.wait_for(state="attached")
    shown = False
    for index in range(min(points.count(), 20)):
        point = points.nth(index)
        point.scroll_into_view_if_needed()
        point.hover(force=True)
        page.wait_for_timeout(150)
        if page.locator("#vg-tooltip-element.visible").count():
            shown = True
            break
    assert shown, "no tooltip appeared when hovering the chart's points"
    text = page.inner_text("#vg-tooltip-element")
    page.close()
    assert text.strip(), "the tooltip is empty"


def test_search_finds_a_chapter(site) -> None:
    base, browser, _ = site
    page = browser.new_page()
    page.goto(base + "search.html?q=compute", wait_until="networkidle")
    page.wait_for_selector("#search-results li a", timeout=15_000)
    links = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.href)")
    page.close()
    assert any("/book/" in link for link in links), links


def test_figure_download_links_resolve_to_files(site) -> None:
    base, browser, _ = site
    page = browser.new_page()
    page.goto(base + "book/question.html", wait_until="networkidle")
    hrefs = page.eval_on_selector_all(
        ".complim-figure-links a[href]", "els => els.map(e => e.href)"
    )
    sizes = {href: len(page.request.get(href).body()) for href in hrefs}
    page.close()
    assert len(hrefs) >= 6, f"expected SVG, PNG, PDF, CSV, JSON and BibTeX links, got {hrefs}"
    empty = [href for href, size in sizes.items() if size == 0]
    assert not empty, f"download links to empty files: {empty}"


@pytest.fixture(scope="module")
def readings(site) -> list[PageReading]:
    """Every page read once as a reader; the changed pages are screenshotted."""
    base, browser, html_dir = site
    out = []
    for relative in site_pages(html_dir):
        shot = READER_SCREENSHOTS.get(relative)
        out.append(read_page(browser, base + relative, SCREENSHOTS / shot if shot else None))
    return out


def _raw_ids(texts: list[str]) -> list[str]:
    return [t for t in texts for m in SERIES_ID.finditer(t) if m.group("metric") in METRICS]


def test_no_table_is_wider_than_its_container(readings: list[PageReading]) -> None:
    wide = [f"{r.url}: {line}" for r in readings for line in r.too_wide]
    wide += [f"{r.url}: the page scrolls sideways" for r in readings if r.page_wider_than_window]
    assert not wide, "\n".join(wide)


def test_no_chart_or_table_shows_e_notation(readings: list[PageReading]) -> None:
    found = [
        f"{r.url}: {t!r}"
        for r in readings
        for t in r.chart_texts + r.table_texts
        if E_NOTATION.search(t)
    ]
    assert not found, "\n".join(found[:40])


def test_no_chart_or_table_shows_a_raw_series_id(readings: list[PageReading]) -> None:
    found = [f"{r.url}: {t!r}" for r in readings for t in _raw_ids(r.chart_texts + r.table_texts)]
    assert not found, "\n".join(found[:40])


def test_reader_pages_are_screenshotted_with_their_tables(readings: list[PageReading]) -> None:
    assert sum(len(r.chart_texts) for r in readings) > 100, "charts drew almost no text"
    assert sum(len(r.table_texts) for r in readings) > 100, "tables show almost no text"
    for name in READER_SCREENSHOTS.values():
        assert (SCREENSHOTS / name).stat().st_size > 10_000, f"no screenshot {name}"


def test_a_reader_table_sorts_and_filters(site) -> None:
    base, browser, html_dir = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    found = None
    for relative in site_pages(html_dir):
        page.goto(base + relative, wait_until="load")
        if page.locator(".complim-table-long").count():
            found = relative
            break
    assert found, "no page shows a long reader table"
    table = page.locator(".complim-table-long").first
    rows = table.locator("tbody tr")
    total = rows.count()
    numeric = table.locator('th[data-type="num"]').first
    column = numeric.evaluate("th => Array.from(th.parentNode.children).indexOf(th)")
    numeric.locator("button").click()
    values = table.evaluate(
        "(t, i) => Array.from(t.querySelectorAll('tbody tr'))"
        ".map(r => parseFloat(r.cells[i].getAttribute('data-sort')))",
        column,
    )
    sorted_mark = numeric.get_attribute("aria-sort")
    first_text = rows.first.inner_text().split()[0]
    table.locator(".complim-table-filter").fill(first_text)
    visible = table.locator("tbody tr:not([hidden])").count()
    count = table.locator(".complim-table-count").inner_text()
    csv = table.locator("a.complim-table-csv")
    href = csv.evaluate("a => a.href") if csv.count() else None
    size = len(page.request.get(href).body()) if href else 0
    page.close()
    assert sorted_mark == "ascending", "clicking a header did not mark it sorted"
    assert values == sorted(values), f"{found}: the clicked column is not in ascending order"
    assert 1 <= visible <= total, (visible, total)
    assert f"of {total} rows" in count, count
    assert href and size > 0, f"{found}: the long table has no CSV download that resolves"


def test_every_what_if_control_changes_the_numbers(site) -> None:
    base, browser, _ = site
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    page.goto(base + "book/what-if.html", wait_until="load")
    chart = ".complim-presets + .complim-chart"
    page.wait_for_selector(f"{chart} svg text", timeout=20_000)
    changed = exercise_controls(page, chart)
    page.locator(".complim-presets").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "reader-what-if-controls.png"))
    page.close()
    assert len(changed) >= 7, f"too few controls: {sorted(changed)}"
    assert all(changed.values()), [name for name, ok in changed.items() if not ok]
