"""How to cite the book: BibTeX and text built from CITATION.cff, the single source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from analysis.paths import REPO_ROOT

CITATION_FILE = REPO_ROOT / "CITATION.cff"


def read_citation(path: Path = CITATION_FILE) -> dict[str, Any]:
    """The parsed CITATION.cff."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _author_names(citation: dict[str, Any]) -> list[str]:
    names = []
    for author in citation["authors"]:
        if "name" in author:
            names.append("{" + author["name"] + "}")
        else:
            names.append(f"{author['family-names']}, {author['given-names']}")
    return names


def book_bibtex(citation: dict[str, Any] | None = None) -> str:
    """A BibTeX entry for the book at its current version."""
    citation = citation or read_citation()
    year = str(citation["date-released"])[:4]
    return (
        "@book{computational_limits,\n"
        f"  author = {{{' and '.join(_author_names(citation))}}},\n"
        f"  title = {{{citation['title']}}},\n"
        f"  year = {{{year}}},\n"
        f"  edition = {{{citation['version']}}},\n"
        "  note = {Executable research book; data and code under the licences stated in it}\n"
        "}"
    )


def book_citation_text(citation: dict[str, Any] | None = None) -> str:
    """A plain-text citation of the book."""
    citation = citation or read_citation()
    authors = ", ".join(a.get("name") or a["family-names"] for a in citation["authors"])
    year = str(citation["date-released"])[:4]
    return f"{authors} ({year}). {citation['title']}. Version {citation['version']}."
