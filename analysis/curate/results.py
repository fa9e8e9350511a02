"""Results: one row per (paper, benchmark, metric, model) result, the preferred source kept.

Part of the curate stage; imports vocab, ingest and data only.
"""

from __future__ import annotations

import pandas as pd

from analysis.curate.identity import _source_rank, unique_ids
from analysis.curate.matching import _norm_model
from analysis.vocab.tasks import (
    METRICS,
    error_of,
    is_primary,
    within_bounds,
)

# --------------------------------------------------------------------------- results


RESULT_COLUMNS = [
    "result_id",
    "paper_id",
    "task",
    "benchmark",
    "benchmark_role",
    "metric",
    "model",
    "value",
    "value_reported",
    "error",
    "higher_is_better",
    "source",
    "source_file",
    "source_record",
    "score_origin",
    "licence",
]


def plausible_score(metric: str, value: float) -> bool:
    """Within the metric's bounds, and above 1 % for a percent score where higher is better
    (such rows are fractions or typos in the source, e.g. an ImageNet top-1 of "0.95")."""
    spec = METRICS[metric]
    if not within_bounds(metric, value):
        return False
    return not (spec.unit == "percent" and spec.higher_is_better and value <= 1.0)


def duplicate_results(frame: pd.DataFrame) -> pd.Series:
    """Which score rows repeat a result already kept (frame sorted by source priority).

    Within one source a row is a duplicate when paper, benchmark, metric, value (2 decimals) and
    normalised model name repeat (library zoos list distinct models with equal scores). Across
    sources the model name is ignored (sources spell models differently): a row repeats a result
    when a higher-priority source has the same paper, benchmark, metric and value.
    """
    key = ["paper_id", "benchmark", "metric", "_value"]
    within = frame.duplicated([*key, "_model", "source"], keep="first")
    first_source = frame.groupby(key, sort=False)["source"].transform("first")
    across = frame["source"] != first_source
    return within | across


def build_results(records: pd.DataFrame, paper_of: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Result rows (one per paper, benchmark, metric and value) and the duplicates left out.

    Returns ``(results, dropped)``; ``dropped`` has the record index, the kept ``result_id``
    and a reason; the record -> result mapping is in ``results.attrs["record_result"]``.
    """
    has_score = records["value"].notna() & records["metric"].notna() & records["benchmark"].notna()
    frame = records[has_score].assign(paper_id=paper_of[has_score.index[has_score]])
    frame = frame[frame["paper_id"].notna()]
    in_bounds = pd.Series(
        [
            plausible_score(m, float(v))
            for m, v in zip(frame["metric"], frame["value"], strict=True)
        ],
        index=frame.index,
        dtype=bool,
    )
    out_of_bounds = frame[~in_bounds]
    frame = frame[in_bounds]
    ranks = _source_rank(records["source"].unique())
    frame = frame.assign(
        _rank=frame["source"].map(ranks),
        _value=pd.to_numeric(frame["value"]).round(2),
        result_id=unique_ids(
            "r",
            zip(
                frame["source"],
                frame["source_file"],
                frame["source_record"],
                frame["benchmark"],
                frame["metric"],
                strict=True,
            ),
        ),
    ).sort_values(["_rank", "source_file", "source_record"], kind="stable")
    frame = frame.assign(_model=frame["model"].map(lambda m: _norm_model(m) or ""))
    duplicate = duplicate_results(frame)
    kept = frame[~duplicate]
    dup = frame[duplicate]
    key = ["paper_id", "benchmark", "metric", "_value"]
    first_of_key = frame.drop_duplicates(key, keep="first").set_index(key)["result_id"]
    winner = [first_of_key[tuple(k)] for k in dup[key].itertuples(index=False)]
    dropped = pd.DataFrame(
        {
            "record_index": dup.index,
            "source": dup["source"].to_numpy(),
            "source_file": dup["source_file"].to_numpy(),
            "source_record": dup["source_record"].to_numpy(),
            "reason": [f"duplicate of result {w}" for w in winner],
            "kept_result_id": winner,
        }
    )
    dropped = pd.concat(
        [
            dropped,
            pd.DataFrame(
                {
                    "record_index": out_of_bounds.index,
                    "source": out_of_bounds["source"].to_numpy(),
                    "source_file": out_of_bounds["source_file"].to_numpy(),
                    "source_record": out_of_bounds["source_record"].to_numpy(),
                    "reason": [
                        f"value {v} outside the bounds of metric {m} or implausible (<= 1 %)"
                        for v, m in zip(
                            out_of_bounds["value"], out_of_bounds["metric"], strict=True
                        )
                    ],
                    "kept_result_id": None,
                }
            ),
        ],
        ignore_index=True,
    )
    record_result = pd.concat([kept["result_id"], pd.Series(winner, index=dup.index, dtype=object)])
    results = kept.assign(
        benchmark_role=kept["benchmark"].map(lambda b: "primary" if is_primary(b) else "secondary"),
        value=pd.to_numeric(kept["value"]),
        error=[
            error_of(m, v)
            for m, v in zip(kept["metric"], pd.to_numeric(kept["value"]), strict=True)
        ],
        higher_is_better=kept["metric"].map(lambda m: METRICS[m].higher_is_better),
        score_origin=kept["score_origin"].fillna("paper"),
    )
    if "value_reported" not in results:
        results["value_reported"] = None
    results["value_reported"] = results["value_reported"].where(
        results["value_reported"].notna(), results["value"].map(lambda v: f"{v:g}")
    )
    results = results[RESULT_COLUMNS].sort_values("result_id").reset_index(drop=True)
    results.attrs["record_result"] = record_result
    return results, dropped
