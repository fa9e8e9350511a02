"""Where things live: the repository, its data, the raw sources and the caches."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("COMPLIM_DATA_DIR") or REPO_ROOT / "data")
"""The curated data and its hand-edited inputs (``manual/``): ``$COMPLIM_DATA_DIR`` (a copy, for
the bad-input tests) or ``data/``."""
REFERENCES_FILE = (
    DATA_DIR.parent / "references.bib"
    if os.environ.get("COMPLIM_DATA_DIR")
    else REPO_ROOT / "references.bib"
)
"""The bibliography the curation writes: ``references.bib`` beside the data directory."""
BOOK_DIR = REPO_ROOT / "book"
CONFIG_DIR = REPO_ROOT / "config"
BUILD_DIR = REPO_ROOT / "_build"
GENERATED_DIR = REPO_ROOT / "_generated"
"""Files the chapters write while executing (figure exports); copied into the site."""
FIGURES_DIR = GENERATED_DIR / "site" / "figures"


def sources_dir() -> Path:
    """The raw public sources: ``$COMPLIM_SOURCES`` or ``../shared/sources`` beside the repo."""
    override = os.environ.get("COMPLIM_SOURCES")
    return Path(override) if override else REPO_ROOT.parent / "shared" / "sources"


def posterior_cache_dir() -> Path:
    """Posterior NetCDF cache: ``$COMPLIM_POSTERIOR_CACHE`` or ``.cache/posteriors``."""
    override = os.environ.get("COMPLIM_POSTERIOR_CACHE")
    return Path(override) if override else REPO_ROOT / ".cache" / "posteriors"
