"""Hand-curated tables about results (``data/manual/``), keyed by the score itself.

* ``result_dates.csv``: the day each model-zoo score (library re-evaluation or re-training)
  became public, established from the zoo's own git history (the first commit listing those
  weights with that score), with the evidence (``result_date_source``) and a flag
  (``upper_bound`` when only a later date could be established).
* ``same_weights.csv``: zoo scores that re-evaluate the paper authors' own released weights
  (ported or converted checkpoints, the authors' own release host), with the evidence.
* ``extra_data.csv``: for image-classification results, the training data beyond
  ImageNet-1k (``none``, ``ImageNet-21k``, ``JFT-300M``, ``Instagram (...)``, ``web image-text
  (...)``, ``other:<named>``, ``unknown``) and whether a training-compute value of the row
  includes that pre-training, with the rule or source that decided it.

A row is keyed by :data:`KEY` (source, file, model, benchmark, metric and the score as the source
wrote it), never by ``result_id`` or a line number, so a row keeps its date, population and
training data when other rows of the source change. Errors name the file, line and column.

Part of the ingest stage; imports paths only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.paths import DATA_DIR

KEY: tuple[str, ...] = ("source", "source_file", "model", "benchmark", "metric", "value_reported")
"""The columns that identify a score in the hand-curated result tables."""

RESULT_DATES_FILE = DATA_DIR / "manual" / "result_dates.csv"
SAME_WEIGHTS_FILE = DATA_DIR / "manual" / "same_weights.csv"
EXTRA_DATA_FILE = DATA_DIR / "manual" / "extra_data.csv"

RESULT_DATES_COLUMNS = (*KEY, "result_date", "result_date_source", "result_date_flag")
SAME_WEIGHTS_COLUMNS = (*KEY, "ported_from", "evidence")
EXTRA_DATA_COLUMNS = (*KEY, "extra_data", "compute_includes_pretraining", "rule_or_source")

DATE_FLAGS = ("", "upper_bound", "snapshot_date")
"""``result_date_flag``: empty (the first listing of those weights with that score),
``upper_bound`` (only a later listing could be dated), ``snapshot_date`` (no history: the zoo
snapshot's date, the latest the score can be)."""
EXTRA_DATA_KINDS = (
    "none",
    "ImageNet-21k",
    "JFT-300M",
    "JFT-3B",
    "Instagram",
    "web image-text",
    "other:",
    "unknown",
)
"""What ``extra_data`` starts with (a name in parentheses or after ``other:`` may follow)."""
PRETRAINING = ("yes", "no", "n/a (no pre-training)", "unknown")
"""``compute_includes_pretraining``."""
_COMMIT = re.compile(r"@[0-9a-f]{7,40}\b|\b[0-9a-f]{40}\b")


class ResultTableError(ValueError):
    """A hand-curated result table breaks its format (file, line and column named)."""


def _read(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame(columns=list(columns))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(frame.columns) != list(columns):
        raise ResultTableError(f"{path.name}, line 1: header must be {','.join(columns)}")
    for column in ("source", "source_file", "benchmark", "metric", "value_reported"):
        empty = frame.index[frame[column].str.strip() == ""]
        if len(empty):
            _fail(path, int(empty[0]), column, "", "required")
    repeated = frame.duplicated(list(KEY), keep="first")
    if repeated.any():
        index = int(repeated.idxmax())
        first = frame.index[(frame[list(KEY)] == frame.loc[index, list(KEY)]).all(axis=1)][0]
        _fail(
            path, index, "model", frame.at[index, "model"],
            f"the same score is listed twice (also on line {int(first) + 2})",
        )  # fmt: skip
    return frame


def _fail(path: Path, index: int, column: str, value: object, problem: str) -> None:
    raise ResultTableError(
        f"{path.name}, line {index + 2}, column {column!r}: {problem} (value: {value!r})"
    )


def read_result_dates(path: Path = RESULT_DATES_FILE) -> pd.DataFrame:
    """Zoo scores' dates: a real ``YYYY-MM-DD`` date, evidence naming a commit, a known flag."""
    frame = _read(path, RESULT_DATES_COLUMNS)
    for index, row in frame.iterrows():
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["result_date"]) or pd.isna(
            pd.to_datetime(row["result_date"], errors="coerce")
        ):
            _fail(path, index, "result_date", row["result_date"], "not a YYYY-MM-DD date")
        if row["result_date_flag"] not in DATE_FLAGS:
            _fail(path, index, "result_date_flag", row["result_date_flag"], f"not in {DATE_FLAGS}")
        evidence = row["result_date_source"]
        if row["result_date_flag"] != "snapshot_date" and not _COMMIT.search(evidence):
            _fail(path, index, "result_date_source", evidence, "must name the commit it rests on")
    return frame


def read_same_weights(path: Path = SAME_WEIGHTS_FILE) -> pd.DataFrame:
    """Zoo scores of the paper authors' own released weights, each with its evidence."""
    frame = _read(path, SAME_WEIGHTS_COLUMNS)
    for index, row in frame.iterrows():
        if not row["evidence"].strip():
            _fail(path, index, "evidence", row["evidence"], "required")
    return frame


def read_extra_data(path: Path = EXTRA_DATA_FILE) -> pd.DataFrame:
    """Image-classification results' extra training data and whether compute includes it."""
    frame = _read(path, EXTRA_DATA_COLUMNS)
    for index, row in frame.iterrows():
        if not row["extra_data"].startswith(EXTRA_DATA_KINDS):
            _fail(
                path, index, "extra_data", row["extra_data"], f"must start with {EXTRA_DATA_KINDS}"
            )
        if row["compute_includes_pretraining"] not in PRETRAINING:
            _fail(
                path, index, "compute_includes_pretraining",
                row["compute_includes_pretraining"], f"not in {PRETRAINING}",
            )  # fmt: skip
        if not row["rule_or_source"].strip():
            _fail(path, index, "rule_or_source", "", "required")
    return frame
