"""The how-to-cite chapter (``book/how-to-cite.md``): what its code cell calls."""

from __future__ import annotations

from types import SimpleNamespace

from analysis.book.citation import book_bibtex, book_citation_text, read_citation
from analysis.book.glue import glue_value, setup_chapter


def publish() -> SimpleNamespace:
    """Glue the book's version and citation text."""
    setup_chapter()
    page_items: dict[str, object] = {}
    citation = read_citation()
    glue_value("cite-version", citation["version"])
    glue_value("cite-text", book_citation_text(citation))

    page_items["bibtex"] = book_bibtex(citation)
    return SimpleNamespace(**page_items)
