"""Hand-curated authors and venues (``data/manual/authors.csv``) for the papers whose sources
give none (Papers with Code lists no authors).

Each row names one paper (``paper_id`` of ``data/papers.csv``), its authors in BibTeX form
(``Family, Given and Family, Given``; an organisation that published a model announcement is a
braced corporate name such as ``{OpenAI}``), the venue when the record gives one, and where they
were read: ``source`` (a URL, or ``github:owner/repo@<40-hex commit>:path`` of a bulk record) and
``source_record`` (the record or the place on the page). ``match`` says how the record was tied
to the paper (``arxiv_id``, ``title`` or ``publisher`` for announcements).

:func:`fill_authors` fills an empty ``authors`` / ``venue`` of ``papers.csv`` from the file,
after paper ids are assigned (ids never depend on it). A value a source already gives is never
overwritten: when the hand-curated authors (by surname) or venue disagree with it, the paper is
listed in ``reports/author_conflicts.csv``.

Part of the curate stage; imports data only.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

import pandas as pd

from analysis.paths import DATA_DIR
from analysis.schema import DataValidationError, scan_csv

log = logging.getLogger(__name__)

MANUAL_AUTHORS_FILE = DATA_DIR / "manual" / "authors.csv"
COLUMNS = ("paper_id", "authors", "venue", "source", "source_record", "match")
MATCHES = ("arxiv_id", "title", "publisher")
CONFLICT_COLUMNS = ("paper_id", "field", "kept", "manual", "manual_source")


def read_manual_authors(path: Path = MANUAL_AUTHORS_FILE) -> pd.DataFrame:
    """The hand-curated authors, checked strictly: exact header, one row per ``paper_id``, and
    ``paper_id``, ``authors``, ``source`` and ``match`` filled. An absent file gives no rows."""
    if not path.exists():
        return pd.DataFrame(columns=list(COLUMNS))
    file = f"data/manual/{path.name}"
    text = scan_csv(path, file)
    if tuple(text.header) != COLUMNS:
        raise DataValidationError(
            file, 1, None, ",".join(text.header), f"header must be {','.join(COLUMNS)}"
        )
    seen: dict[str, int] = {}
    for line, values in zip(text.lines, text.rows, strict=True):
        row = dict(zip(COLUMNS, values, strict=True))
        for column in ("paper_id", "authors", "source", "match"):
            if not row[column].strip():
                raise DataValidationError(file, line, column, row[column], "required")
        if row["match"] not in MATCHES:
            raise DataValidationError(
                file, line, "match", row["match"], f"must be one of {', '.join(MATCHES)}"
            )
        if row["paper_id"] in seen:
            raise DataValidationError(
                file,
                line,
                "paper_id",
                row["paper_id"],
                f"duplicate (also on line {seen[row['paper_id']]})",
            )
        seen[row["paper_id"]] = line
    return pd.DataFrame(text.rows, columns=list(COLUMNS))


def split_bibtex(authors: str) -> list[str]:
    """``"Lahoud, Jean and {OpenAI}"`` -> ``["Lahoud, Jean", "{OpenAI}"]``."""
    return [n.strip() for n in re.split(r"\s+and\s+", authors.strip()) if n.strip()]


def natural_name(name: str) -> str:
    """One BibTeX name in the ``Given Family`` order of ``papers.csv``: ``"van Schaik, André"``
    -> ``"André van Schaik"``, ``"Smith, Jr., John"`` -> ``"John Smith Jr."``; a braced
    corporate name and ``others`` stay as they are."""
    if name.startswith("{") and name.endswith("}"):
        return name
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2:
        return f"{parts[1]} {parts[0]}".strip()
    if len(parts) == 3:
        return f"{parts[2]} {parts[0]} {parts[1]}".strip()
    return name


def natural_authors(authors: str) -> str:
    """BibTeX authors as the comma-separated ``Given Family`` list of ``papers.csv``."""
    return ", ".join(natural_name(n) for n in split_bibtex(authors))


def _fold(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", ascii_text.casefold())


def _surnames_bibtex(authors: str) -> set[str]:
    out = set()
    for name in split_bibtex(authors):
        if name == "others":
            continue
        family = name.strip("{}") if name.startswith("{") else name.split(",")[0]
        out.add(_fold(family.split()[-1] if family.split() else family))
    return out - {""}


def _surnames_natural(authors: str) -> set[str]:
    names = [n.strip() for n in re.split(r";|,(?![^()]*\))| and |&", authors) if n.strip()]
    out = {_fold(n.strip("{}").split()[-1]) for n in names if n not in ("others", "et al.")}
    return out - {""}


def fill_authors(papers: pd.DataFrame, manual: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill empty ``authors`` and ``venue`` of ``papers`` from ``manual`` (by ``paper_id``);
    returns the papers and the conflicts (a value from a source that the hand-curated one
    disagrees with: kept, and listed)."""
    papers = papers.copy()
    for column in ("authors", "venue"):
        papers[column] = papers[column].astype(object)
    by_id = manual.set_index("paper_id")
    unknown = sorted(set(by_id.index) - set(papers["paper_id"]))
    if unknown:
        log.warning(
            "data/manual/authors.csv: %d paper_id(s) not in papers.csv (first: %s)",
            len(unknown),
            ", ".join(unknown[:5]),
        )
    conflicts = []
    for i, paper_id in papers["paper_id"].items():
        if paper_id not in by_id.index:
            continue
        row = by_id.loc[paper_id]
        have = papers.at[i, "authors"]
        if not isinstance(have, str) or not have.strip():
            papers.at[i, "authors"] = natural_authors(row["authors"])
        elif _surnames_natural(have) != _surnames_bibtex(row["authors"]):
            conflicts.append((paper_id, "authors", have, row["authors"], row["source"]))
        venue = papers.at[i, "venue"]
        if row["venue"].strip():
            if not isinstance(venue, str) or not venue.strip():
                papers.at[i, "venue"] = row["venue"]
            elif venue != row["venue"]:
                conflicts.append((paper_id, "venue", venue, row["venue"], row["source"]))
    return papers, pd.DataFrame(conflicts, columns=list(CONFLICT_COLUMNS))
