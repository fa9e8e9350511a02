"""Check every internal link, image, script and stylesheet of a built site.

Run as ``python -m analysis.site.linkcheck _build/html``; exits non-zero when anything is broken.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "iframe": "src"}
SKIPPED_DIRS = {"_static", "_sources", "_images", "reports"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if found.get("name") and tag == "a":
            self.ids.add(str(found["name"]))
        wanted = LINK_ATTRIBUTES.get(tag)
        if wanted and found.get(wanted):
            self.links.append(str(found[wanted]))


def _parse(page: Path) -> _Collector:
    collector = _Collector()
    collector.feed(page.read_text(encoding="utf-8", errors="replace"))
    return collector


def _is_internal(link: str) -> bool:
    parsed = urlparse(link)
    return not parsed.scheme and not parsed.netloc and not link.startswith(("mailto:", "//"))


def broken_links(site: Path) -> list[str]:
    """Every internal link of every page in ``site`` that points at nothing."""
    pages = [
        p for p in sorted(site.rglob("*.html")) if p.relative_to(site).parts[0] not in SKIPPED_DIRS
    ]
    parsed = {page.resolve(): _parse(page) for page in pages}
    broken = []
    for page, collector in parsed.items():
        for link in collector.links:
            if not _is_internal(link):
                continue
            target = urlparse(link)
            path = page if not target.path else (page.parent / unquote(target.path)).resolve()
            if path.is_dir():
                path = path / "index.html"
            where = f"{page.relative_to(site.resolve())}: {link}"
            if not path.exists():
                broken.append(f"{where} (no such file)")
            elif target.fragment and path.suffix == ".html":
                ids = parsed[path].ids if path in parsed else _parse(path).ids
                if unquote(target.fragment) not in ids:
                    broken.append(f"{where} (no anchor #{target.fragment})")
    return broken


def main(argv: list[str]) -> int:
    """Print the broken links of the site named on the command line."""
    site = Path(argv[1] if len(argv) > 1 else "_build/html")
    broken = broken_links(site)
    for line in broken:
        print(line)
    print(f"linkcheck: {len(broken)} broken internal links in {site}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
