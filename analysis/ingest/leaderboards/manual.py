"""Reader of the hand-read results, ``data/manual/results.csv`` (one row per result, keyed by a
unique ``result_key``).

Part of the ingest stage; imports vocab only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.ingest._common import RECORD_COLUMNS
from analysis.ingest.leaderboards._common import (
    EXCLUDED_COLUMNS,
    _empty_record,
    _frame,
    normalise_arxiv_id,
    parse_score,
    year_from_text,
)
from analysis.vocab.tasks import METRICS

MANUAL_RESULTS_COLUMNS: tuple[str, ...] = (
    "result_key",
    "arxiv_id",
    "paper_title",
    "paper_url",
    "paper_date",
    "authors",
    "model",
    "task",
    "benchmark",
    "metric",
    "value",
    "source_url",
    "source_location",
    "note",
)
"""Columns of ``data/manual/results.csv``: results read by hand from papers (CONTRIBUTING.md)."""
RESULT_KEY_PATTERN = r"[a-z0-9][a-z0-9.+-]*"
"""A hand-read result's ``result_key``: lower-case slug, e.g. ``roberta-squad11-dev-em``."""


def read_manual_results(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hand-read results; every row must have a unique ``result_key`` slug, name a known task,
    metric, a score in bounds, a paper title and URL, and where in the paper the score is
    (``source_location``). ``source_record`` is ``result_key <key>``: result ids follow the key,
    not the row's line, so inserting or moving rows keeps every id.

    Raises ``ValueError`` naming file, line and column on bad input.
    """
    if not path.exists():
        return _frame([], RECORD_COLUMNS), _frame([], EXCLUDED_COLUMNS)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(frame.columns) != list(MANUAL_RESULTS_COLUMNS):
        raise ValueError(f"{path.name}, line 1: header must be {','.join(MANUAL_RESULTS_COLUMNS)}")
    records = []
    first_line: dict[str, int] = {}
    for index, row in frame.iterrows():
        line = index + 2
        _check_manual_row(path.name, line, row)
        key = row["result_key"]
        if key in first_line:
            raise ValueError(
                f"{path.name}, line {line}, column 'result_key': duplicate {key!r} "
                f"(also on line {first_line[key]})"
            )
        first_line[key] = line
        record = _empty_record()
        record.update(
            source="manual_results",
            source_file=f"data/manual/{path.name}",
            source_record=f"result_key {key}",
            licence="facts read from the cited papers (this project)",
            paper_title=row["paper_title"],
            paper_url=row["paper_url"],
            arxiv_id=normalise_arxiv_id(row["arxiv_id"]) or normalise_arxiv_id(row["paper_url"]),
            paper_date=row["paper_date"] or None,
            year=year_from_text(row["paper_date"]),
            authors=row["authors"] or None,
            model=row["model"] or None,
            task=row["task"],
            benchmark=row["benchmark"],
            metric=row["metric"],
            value=float(row["value"]),
            value_reported=row["value"],
            score_origin="paper",
            source_url=row["source_url"],
            source_location=row["source_location"],
        )
        records.append(record)
    return _frame(records, RECORD_COLUMNS), _frame([], EXCLUDED_COLUMNS)


def _check_manual_row(file: str, line: int, row: pd.Series) -> None:
    from analysis.vocab.tasks import TASKS, within_bounds

    def fail(column: str, problem: str) -> None:
        raise ValueError(
            f"{file}, line {line}, column {column!r}: {problem} (value: {row[column]!r})"
        )

    for column in (
        "result_key", "paper_title", "paper_url", "task", "benchmark", "metric", "source_location"
    ):  # fmt: skip
        if not row[column].strip():
            fail(column, "required")
    if not re.fullmatch(RESULT_KEY_PATTERN, row["result_key"]):
        fail("result_key", "not a lower-case slug (letters, digits, '.', '+', '-')")
    if row["task"] not in TASKS:
        fail("task", "unknown task")
    if row["metric"] not in METRICS:
        fail("metric", "unknown metric (see analysis/vocab/tasks.py)")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_]*", row["benchmark"]):
        fail("benchmark", "not a benchmark slug")
    value = parse_score(row["value"])
    if value is None or not within_bounds(row["metric"], value):
        fail("value", "not a number within the metric's bounds")
    if row["paper_date"] and not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", row["paper_date"]):
        fail("paper_date", "not YYYY-MM-DD or YYYY-MM")
