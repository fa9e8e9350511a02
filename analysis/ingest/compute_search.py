"""The search log of hand-read training compute (``data/manual/compute_search.csv``).

One row per paper (and benchmark or benchmarks) whose text, appendix or official repository was
read for training compute: what was looked for, where (stored copies, a repository at a commit)
and the outcome (found, partial, not found, not usable ...), so that the next reader does not
repeat a search. Curation writes it, with each paper's ``paper_id`` and task, to
``data/reports/compute_search.csv``.

Part of the ingest stage; imports vocab and paths only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.paths import DATA_DIR
from analysis.vocab.tasks import PRIMARY_BENCHMARKS

SEARCH_FILE = DATA_DIR / "manual" / "compute_search.csv"
SEARCH_COLUMNS: tuple[str, ...] = (
    "arxiv_id",
    "paper_title",
    "benchmark",
    "looked_for",
    "where",
    "outcome",
    "pass",
)
"""Columns of ``data/manual/compute_search.csv``, in order."""
REPORT_COLUMNS: tuple[str, ...] = (
    "paper_id",
    "arxiv_id",
    "paper_title",
    "task",
    "benchmark",
    "looked_for",
    "where",
    "outcome",
    "outcome_kind",
    "pass",
)
"""Columns of ``data/reports/compute_search.csv``."""
OUTCOME_KINDS: tuple[str, ...] = (
    "found",
    "partial",
    "not found",
    "not usable",
    "not used",
    "not attached",
    "not attachable",
)
"""The first words an outcome starts with (its kind); anything else is ``other``."""


class SearchLogError(ValueError):
    """The search log breaks its format; the message names file, line and column."""


def read_search_log(path: Path = SEARCH_FILE) -> pd.DataFrame:
    """The validated search log (empty frame with the columns when the file is absent)."""
    if not path.exists():
        return pd.DataFrame(columns=list(SEARCH_COLUMNS))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(frame.columns) != list(SEARCH_COLUMNS):
        raise SearchLogError(f"{path.name}, line 1: header must be {','.join(SEARCH_COLUMNS)}")
    for index, row in frame.iterrows():
        _check_row(path.name, index + 2, row)
    return frame


def _check_row(file: str, line: int, row: pd.Series) -> None:
    def fail(column: str, problem: str) -> None:
        raise SearchLogError(
            f"{file}, line {line}, column {column!r}: {problem} (value: {row[column]!r})"
        )

    for column in ("paper_title", "benchmark", "looked_for", "where", "outcome", "pass"):
        if not row[column].strip():
            fail(column, "required")
    if row["arxiv_id"] and not re.fullmatch(r"\d{4}\.\d{4,5}", row["arxiv_id"]):
        fail("arxiv_id", "expected a new-style arXiv id without version, or empty")
    for slug in row["benchmark"].split(";"):
        if slug not in PRIMARY_BENCHMARKS:
            fail("benchmark", f"unknown primary benchmark slug {slug!r} (';' separates slugs)")


def outcome_kind(outcome: str) -> str:
    """The kind of an outcome: the longest :data:`OUTCOME_KINDS` entry it starts with."""
    text = outcome.strip().casefold()
    for kind in sorted(OUTCOME_KINDS, key=len, reverse=True):
        if text.startswith(kind):
            return kind
    return "other"


def search_report(log: pd.DataFrame, papers: pd.DataFrame, normalise_title) -> pd.DataFrame:
    """The search log with each paper's ``paper_id`` (by arXiv id, else normalised title; empty
    when the paper is not in ``papers.csv``), its task and the outcome's kind."""
    by_arxiv = papers.dropna(subset=["arxiv_id"]).set_index("arxiv_id")["paper_id"]
    by_arxiv = by_arxiv[~by_arxiv.index.duplicated()]
    titles = papers.assign(_t=papers["title"].map(normalise_title)).dropna(subset=["_t"])
    by_title = titles.drop_duplicates("_t").set_index("_t")["paper_id"]

    def paper_of(row: pd.Series) -> str | None:
        if row["arxiv_id"] and row["arxiv_id"] in by_arxiv.index:
            return by_arxiv[row["arxiv_id"]]
        return by_title.get(normalise_title(row["paper_title"]))

    out = log.copy()
    out["paper_id"] = [paper_of(row) for _, row in out.iterrows()]
    out["task"] = out["benchmark"].map(
        lambda slugs: ";".join(dict.fromkeys(PRIMARY_BENCHMARKS[s].task for s in slugs.split(";")))
    )
    out["outcome_kind"] = out["outcome"].map(outcome_kind)
    return out[list(REPORT_COLUMNS)]
