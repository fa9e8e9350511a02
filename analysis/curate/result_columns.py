"""Columns of ``results.csv`` that come from the hand-curated result tables (issue 10):
``result_date`` (the day the score became public), its source and flag, ``architecture_date``
(the date of the paper that introduced the architecture: the paper's date), ``population``
(paper, same_weights, retraining) and, for image classification, ``extra_data`` and
``compute_includes_pretraining``.

Rules:

* a paper's own result (``score_origin`` paper): ``result_date`` = the paper's date,
  ``result_date_source`` 'paper date', ``population`` paper;
* a model-zoo score: its row of ``data/manual/result_dates.csv`` (the zoo's own history; never
  the architecture's date); a zoo score without a row is an error, so a new zoo row is dated
  before it enters the data; ``population`` same_weights when it is listed in
  ``data/manual/same_weights.csv`` (the paper authors' released weights), else retraining;
* ``extra_data``: image-classification rows from ``data/manual/extra_data.csv`` (a row missing
  there is an error); empty for other tasks.

Part of the curate stage; imports vocab, ingest and data only.
"""

from __future__ import annotations

import pandas as pd

from analysis.ingest.result_tables import (
    EXTRA_DATA_FILE,
    KEY,
    RESULT_DATES_FILE,
    SAME_WEIGHTS_FILE,
    read_extra_data,
    read_result_dates,
    read_same_weights,
)

NEW_COLUMNS: tuple[str, ...] = (
    "result_date",
    "result_date_source",
    "result_date_flag",
    "architecture_date",
    "population",
    "extra_data",
    "compute_includes_pretraining",
)
"""Columns appended to ``results.csv``, in order."""
PAPER_DATE = "paper date"
POPULATIONS = ("paper", "same_weights", "retraining")


class ResultColumnsError(ValueError):
    """A result lacks its row in a hand-curated table (or a table row matches no result)."""


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in KEY:
        out[column] = out[column].fillna("").astype(str)
    return out


def add_result_columns(
    results: pd.DataFrame,
    papers: pd.DataFrame,
    dates: pd.DataFrame | None = None,
    same_weights: pd.DataFrame | None = None,
    extra: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``results`` with :data:`NEW_COLUMNS` (tables default to the committed files)."""
    dates = read_result_dates(RESULT_DATES_FILE) if dates is None else dates
    same_weights = read_same_weights(SAME_WEIGHTS_FILE) if same_weights is None else same_weights
    extra = read_extra_data(EXTRA_DATA_FILE) if extra is None else extra
    out = _keyed(results)
    key = list(KEY)
    paper_date = papers.set_index("paper_id")["date"]
    out["architecture_date"] = out["paper_id"].map(paper_date)
    is_paper = out["score_origin"] == "paper"

    dated = out.merge(_keyed(dates), on=key, how="left", indicator=True)
    dated.index = out.index
    missing = ~is_paper & (dated["_merge"] != "both")
    if missing.any():
        row = out[missing].iloc[0]
        raise ResultColumnsError(
            f"{RESULT_DATES_FILE.name}: {int(missing.sum())} model-zoo result(s) have no date, "
            f"e.g. {dict(row[key])!r}: add a row with the zoo commit that first lists the score"
        )
    out["result_date"] = dated["result_date"].where(~is_paper, out["architecture_date"])
    out["result_date_source"] = dated["result_date_source"].where(~is_paper, PAPER_DATE)
    out["result_date_flag"] = dated["result_date_flag"].where(~is_paper, "")
    out.loc[is_paper & out["architecture_date"].isna(), "result_date_source"] = None
    zoo_paper_dated = ~is_paper & (out["result_date_source"] == PAPER_DATE)
    if zoo_paper_dated.any():
        raise ResultColumnsError("a model-zoo result may never take the paper's date")

    same = out.merge(_keyed(same_weights)[key], on=key, how="left", indicator=True)["_merge"]
    same.index = out.index
    out["population"] = "retraining"
    out.loc[~is_paper & (same == "both"), "population"] = "same_weights"
    out.loc[is_paper, "population"] = "paper"

    classification = out["task"] == "image_classification"
    extras = _keyed(extra)[[*key, "extra_data", "compute_includes_pretraining"]]
    tagged = out[key].merge(extras, on=key, how="left", indicator=True)
    tagged.index = out.index
    untagged = classification & (tagged["_merge"] != "both")
    if untagged.any():
        row = out[untagged].iloc[0]
        raise ResultColumnsError(
            f"{EXTRA_DATA_FILE.name}: {int(untagged.sum())} image-classification result(s) "
            f"have no extra_data row, e.g. {dict(row[key])!r}"
        )
    out["extra_data"] = tagged["extra_data"].where(classification)
    out["compute_includes_pretraining"] = tagged["compute_includes_pretraining"].where(
        classification
    )
    for column in NEW_COLUMNS:
        out[column] = out[column].replace("", None)
    out["model"] = results["model"]
    return out[[*results.columns, *NEW_COLUMNS]]


def unused_rows(table: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """Rows of a hand-curated result table that match no result (listed, not an error: a zoo
    snapshot may drop a model; the rows stay for the day it returns)."""
    merged = _keyed(table).merge(
        _keyed(results)[list(KEY)], on=list(KEY), how="left", indicator=True
    )
    return merged[merged["_merge"] == "left_only"].drop(columns="_merge")
