"""Shared fixtures and markers.

* ``tables``: the committed tables of ``data/``, loaded once per session;
* ``built_book``: one strict, from-scratch book build per test session;
* ``@pytest.mark.needs_sources``: the test reads the raw public sources (``../shared/sources`` or
  ``$COMPLIM_SOURCES``); without them it is skipped, and the skip says which directory is missing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.paths import sources_dir

REPO_ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "needs_sources: reads the raw public sources (skipped when they are absent)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests marked ``needs_sources`` when the raw sources are not on this machine."""
    root = sources_dir()
    if root.is_dir():
        return
    skip = pytest.mark.skip(
        reason=f"needs the raw sources: {root} not found (set COMPLIM_SOURCES to their directory)"
    )
    for item in items:
        if "needs_sources" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def tables():
    """The committed tables of ``data/`` (validated), loaded once for the whole session."""
    from analysis.data import load_tables

    return load_tables()


def _plain(text: str) -> str:
    """Sphinx's console output without colour codes, its progress lines one per line."""
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text).replace("\r", "\n")


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the book strictly (-W -n --keep-going) from scratch into a temporary directory.

    The execution cache and the posterior cache both start empty, so every chapter executes
    and every model is sampled: this is the cold build a fresh clone gets. The raw sources are
    hidden (``COMPLIM_SOURCES`` is an empty directory), so a chapter that reads anything but
    the committed tables of ``data/`` fails the build; the tests marked ``needs_sources`` still
    read the real sources. While working on
    the tests themselves, ``COMPLIM_BUILT_BOOK=_build/html`` reuses a book built before.
    """
    reuse = os.environ.get("COMPLIM_BUILT_BOOK")
    if reuse:
        html = Path(reuse)
        assert (html / "index.html").exists(), f"COMPLIM_BUILT_BOOK={reuse} holds no built book"
        return html
    out = tmp_path_factory.mktemp("book")
    no_sources = out / "no-sources"  # the book reads committed tables only: hide the raw sources
    no_sources.mkdir()
    env = {
        **os.environ,
        "COMPLIM_POSTERIOR_CACHE": str(out / "posteriors"),
        "COMPLIM_SOURCES": str(no_sources),
    }
    command = [str(JUPYTER_BOOK), "build", str(REPO_ROOT), "--path-output", str(out)]
    command += ["--builder", "html", "-W", "-n", "--keep-going"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO_ROOT)
    log = out / "build.log"
    log.write_text(result.stdout + "\n" + result.stderr)
    if result.returncode != 0:
        reports = sorted((out / "_build" / "html" / "reports").glob("**/*.err.log"))
        details = "\n".join(p.read_text()[-3000:] for p in reports)
        output = f"{_plain(result.stdout)[-3000:]}\n--- stderr ---\n{_plain(result.stderr)[-6000:]}"
        pytest.fail(f"strict book build failed (log: {log}):\n{output}\n{details}")
    html = out / "_build" / "html"
    assert (html / "index.html").exists(), "the build produced no index.html"
    return html
