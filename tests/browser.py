"""Drive Debian's Chromium over a built book with the network limited to localhost."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Browser, Page, Request, Route, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output clean."""


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free loopback port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Debian Chromium (never a downloaded browser build)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageReport:
    """What one page did while loading."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    bytes_loaded: int = 0
    charts: int = 0
    charts_without_marks: int = 0
    charts_without_label: int = 0
    images_without_alt: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every failure found on the page, as readable lines."""
        found = [f"console error: {e}" for e in self.console_errors]
        found += [f"failed request: {r}" for r in self.failed_requests]
        found += [f"external request: {r}" for r in self.external_requests]
        if self.charts_without_marks:
            found.append(f"{self.charts_without_marks} of {self.charts} charts drew no marks")
        if self.charts_without_label:
            found.append(f"{self.charts_without_label} charts have no text alternative")
        found += [f"image without alt text: {src}" for src in self.images_without_alt]
        return [f"{self.url}: {line}" for line in found]


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in {"data", "blob", "about"} or parsed.hostname in LOCAL_HOSTS


def _watch(page: Page, report: PageReport) -> None:
    def on_route(route: Route, request: Request) -> None:
        if _is_local(request.url):
            route.continue_()
        else:
            report.external_requests.append(request.url)
            route.abort()

    def on_response(response: object) -> None:
        status = response.status  # type: ignore[attr-defined]
        url = response.url  # type: ignore[attr-defined]
        if status >= 400:
            report.failed_requests.append(f"{status} {url}")
        with contextlib.suppress(Exception):
            report.bytes_loaded += len(response.body())  # type: ignore[attr-defined]

    page.route("**/*", on_route)
    page.on("console", lambda m: m.type == "error" and report.console_errors.append(m.text))
    page.on("pageerror", lambda e: report.console_errors.append(str(e)))
    page.on("response", on_response)
    page.on(
        "requestfailed",
        lambda r: _is_local(r.url) and report.failed_requests.append(f"{r.failure} {r.url}"),
    )


CHART_STATE_JS = """
() => Array.from(document.querySelectorAll('.complim-chart')).map(el => ({
  marks: el.querySelectorAll('svg path, svg rect, svg line, svg circle, svg text, canvas').length,
  label: (el.getAttribute('aria-label') || '').trim().length > 0,
}))
"""
IMAGES_JS = """
() => Array.from(document.querySelectorAll('img'))
  .filter(img => !(img.getAttribute('alt') || '').trim())
  .map(img => img.getAttribute('src'))
"""


def load_page(browser: Browser, url: str, screenshot: Path | None = None) -> PageReport:
    """Load one page, wait for its charts, and report what went wrong."""
    report = PageReport(url=url)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _watch(page, report)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    if page.locator(".complim-chart").count():
        with contextlib.suppress(Exception):
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('.complim-chart'))"
                ".every(el => el.querySelector('svg, canvas'))",
                timeout=15_000,
            )
    charts = page.evaluate(CHART_STATE_JS)
    report.charts = len(charts)
    report.charts_without_marks = sum(1 for c in charts if c["marks"] == 0)
    report.charts_without_label = sum(1 for c in charts if not c["label"])
    report.images_without_alt = page.evaluate(IMAGES_JS)
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=False)
    page.close()
    return report


def site_pages(html_dir: Path) -> list[str]:
    """Every content page of a built book, relative to its root."""
    skip = {"search.html", "genindex.html", "py-modindex.html"}
    pages = []
    for path in sorted(html_dir.rglob("*.html")):
        relative = path.relative_to(html_dir).as_posix()
        if relative.split("/")[0] in {"_static", "_sources", "reports", "figures", "data"}:
            continue
        if path.name in skip:
            continue
        pages.append(relative)
    return pages


READING_JS = """
() => {
  const article = document.querySelector('article.bd-article') || document.querySelector('main')
    || document.body;
  const area = article.getBoundingClientRect();
  const wide = [];
  for (const table of article.querySelectorAll('table')) {
    let box = table;
    for (let el = table.parentElement; el && el !== article; el = el.parentElement) {
      const overflow = getComputedStyle(el).overflowX;
      if (['auto', 'scroll', 'hidden'].includes(overflow)) { box = el; break; }
    }
    const r = box.getBoundingClientRect();
    if (r.width > 0 && (r.right > area.right + 1 || r.left < area.left - 1)) {
      const head = Array.from(table.querySelectorAll('th')).slice(0, 3).map(th => th.textContent);
      wide.push(`${Math.round(r.width)} px > ${Math.round(area.width)} px: ${head.join(' | ')}`);
    }
  }
  const text = nodes => Array.from(nodes).map(n => n.textContent.trim()).filter(Boolean);
  return {
    wide: wide,
    page_wide: document.documentElement.scrollWidth > window.innerWidth + 1,
    chart_texts: text(document.querySelectorAll('.complim-chart svg text')),
    table_texts: text(article.querySelectorAll('table th, table td')),
  };
}
"""


@dataclass
class PageReading:
    """What a reader sees on one page: tables too wide, and the text of charts and tables."""

    url: str
    too_wide: list[str] = field(default_factory=list)
    page_wider_than_window: bool = False
    chart_texts: list[str] = field(default_factory=list)
    table_texts: list[str] = field(default_factory=list)


def read_page(browser: Browser, url: str, screenshot: Path | None = None) -> PageReading:
    """Load one page as a reader (charts drawn) and collect what :class:`PageReading` holds.

    With ``screenshot``, the viewport is saved scrolled to the page's first table or chart.
    """
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.route("**/*", lambda route, request: route.continue_() if _is_local(request.url)
               else route.abort())  # fmt: skip
    page.goto(url, wait_until="load")
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=20_000)
    if page.locator(".complim-chart").count():
        with contextlib.suppress(Exception):
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('.complim-chart'))"
                ".every(el => el.querySelector('svg, canvas'))",
                timeout=15_000,
            )
    found = page.evaluate(READING_JS)
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        target = page.locator(".complim-table, .complim-chart").first
        with contextlib.suppress(Exception):
            target.scroll_into_view_if_needed(timeout=2_000)
            page.evaluate("window.scrollBy(0, -60)")
        page.screenshot(path=str(screenshot), full_page=False)
    page.close()
    return PageReading(
        url=url,
        too_wide=found["wide"],
        page_wider_than_window=found["page_wide"],
        chart_texts=found["chart_texts"],
        table_texts=found["table_texts"],
    )


CONTROLS_JS = """
async (root) => {
  const chart = document.querySelector(root);
  const texts = () => Array.from(chart.querySelectorAll('svg text')).map(t => t.textContent)
    .join('|');
  const settle = () => new Promise(done => setTimeout(done, 400));
  await settle();
  const changed = {};
  for (const bind of chart.querySelectorAll('.vega-bind')) {
    const name = (bind.querySelector('.vega-bind-name') || bind).textContent.trim();
    const before = texts();
    const range = bind.querySelector('input[type=range]');
    const radios = Array.from(bind.querySelectorAll('input[type=radio]'));
    if (range) {
      const span = (+range.max) - (+range.min);
      const low = now => now - (+range.min) > span / 2;
      range.value = low(+range.value) ? (+range.min) + span * 0.2 : (+range.max) - span * 0.2;
      range.dispatchEvent(new Event('input', {bubbles: true}));
    } else if (radios.length) {
      const other = radios.filter(r => !r.checked).pop();
      if (other) { other.click(); }
    }
    await settle();
    changed[name] = texts() !== before;
  }
  return changed;
}
"""
"""Moves each control of a chart once (a slider to the other side, a radio to its last other
option) and reports, per control, whether the chart's text changed."""


def exercise_controls(page: Page, selector: str) -> dict[str, bool]:
    """Per control of the chart at ``selector``: whether moving it changed the chart's text."""
    page.wait_for_selector(f"{selector} .vega-bind", timeout=15_000)
    return page.evaluate(CONTROLS_JS, selector)
