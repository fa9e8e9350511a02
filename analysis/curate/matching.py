"""Compute: split compute facts into long rows, attach them to results (same record, model,
architecture, paper-best), keep single-model compute off ensembles, derive the measures.

Part of the curate stage; imports vocab, ingest and data only.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.curate.identity import (
    COMPUTE_QUANTITIES,
    _clean,
    normalise_title,
    stable_id,
    unique_ids,
)
from analysis.vocab.measures import DERIVED_MEASURES
from analysis.vocab.tasks import (
    PRIMARY_BENCHMARKS,
    same_training,
)

# --------------------------------------------------------------------------- compute

COMPUTE_COLUMNS = [
    "compute_id",
    "paper_id",
    "result_id",
    "match",
    "task",
    "model",
    "benchmark",
    "quantity",
    "value",
    "unit",
    "chip",
    "convention",
    "method",
    "derived_from",
    "source",
    "source_file",
    "source_record",
    "source_url",
    "source_location",
    "licence",
]


def _norm_model(text: object) -> str | None:
    return normalise_title(text) if isinstance(text, str) else None


_SINGLE_MODEL_TAG = re.compile(r"\(\s*single(?:[\s-]+model)?\s*\)", re.IGNORECASE)
_CITATION_TAG = re.compile(r"\([^()]*\bet al\.?,?\s*\d{4}\)")
"""NLP-progress appends the citation to model names: "LUKE (Yamada et al., 2020)"."""


def model_key(text: object) -> str | None:
    """Normalised model name for attaching compute, without a "(single model)" tag.

    Leaderboards tag a paper's single model ("BERT large (single)", "XLNet (single model)") or
    append its citation ("LUKE (Yamada et al., 2020)"); compute sources name the model plainly
    ("BERT-Large", "XLNet", "LUKE"). Neither tag names a different model once ensembles are told
    apart by :func:`is_ensemble`.

    >>> model_key("BERT large (single)") == model_key("BERT-Large")
    True
    """
    if not isinstance(text, str):
        return None
    return normalise_title(_CITATION_TAG.sub(" ", _SINGLE_MODEL_TAG.sub(" ", text)))


def is_ensemble(model: object) -> bool:
    """Whether a model name says it is an ensemble ("BiDAF (ensemble)", "GNMT+RL Ensemble")."""
    return isinstance(model, str) and "ensemble" in model.casefold()


def _best_results(results: pd.DataFrame) -> pd.DataFrame:
    """Each paper's best result per primary benchmark (lowest error of its primary metric)."""
    primary = results[results["benchmark_role"] == "primary"].copy()
    if primary.empty:
        return primary
    primary = primary[
        primary["metric"]
        == primary["benchmark"].map(lambda b: PRIMARY_BENCHMARKS[b].primary_metric)
    ]
    primary = primary[primary["error"].notna()].sort_values(["error", "result_id"])
    return primary.drop_duplicates(["paper_id", "benchmark"], keep="first")


def match_compute(
    record: pd.Series,
    paper_id: str,
    own_result: str | None,
    results_by_paper: dict,
    best: dict,
    *,
    ensemble_best: dict | None = None,
    ensemble_rule: bool = True,
) -> list[tuple[str | None, str]]:
    """(result_id, match) pairs a compute record attaches to.

    ``same-record`` (the record is itself a result); ``model`` (the results of the same paper
    and model name, on the record's benchmark or a benchmark sharing its training set, see
    :func:`analysis.vocab.tasks.same_training`, or on any benchmark when the record names none);
    ``paper-best`` (only when no result has the record's model name: the paper's best result on
    each of those benchmarks, or, when the record names no benchmark, on each primary benchmark
    of its task, or of any task when the paper has none in its task); ``paper`` (no result: a
    paper-level fact). A record whose model is found is never also given to another model's
    result as the paper's best (e.g. BERT-Base's compute to the BERT-Large test result).

    Ensembles (:func:`is_ensemble`): with ``ensemble_rule``, a record that does not name an
    ensemble never attaches to an ensemble result (``best`` then holds each paper's best
    single-model results), and a record naming an ensemble attaches only to ensemble results
    (``ensemble_best``). Model names are compared by :func:`model_key`.
    """
    if own_result:
        return [(own_result, "same-record")]
    paper_results = results_by_paper.get(paper_id)
    benchmark = _clean(record.get("benchmark"))
    model = model_key(record.get("model"))
    ensemble = is_ensemble(record.get("model"))
    if ensemble_rule and paper_results is not None and "_ensemble" in paper_results:
        paper_results = paper_results[paper_results["_ensemble"] == ensemble]
    bests = ((ensemble_best or {}) if ensemble and ensemble_rule else best).get(paper_id, {})

    def same_model(benchmarks: tuple[str, ...] | None) -> list[str]:
        if paper_results is None or not model:
            return []
        hits = paper_results[paper_results["_model"] == model]
        if benchmarks is not None:
            hits = hits[hits["benchmark"].isin(benchmarks)]
        return sorted(hits["result_id"].unique())

    if not benchmark:
        hits = same_model(None)
        if hits:
            return [(rid, "model") for rid in hits]
        task = _clean(record.get("task"))
        in_task = {b: r for b, r in bests.items() if PRIMARY_BENCHMARKS[b].task == task}
        bests = in_task or bests
        return [(rid, "paper-best") for _, rid in sorted(bests.items())] or [(None, "paper")]
    candidates = same_training(benchmark)
    hits = same_model(candidates)
    if hits:
        return [(rid, "model") for rid in hits]
    matches = [(bests[c], "paper-best") for c in candidates if c in bests]
    return matches or [(None, "paper")]


def build_compute(
    records: pd.DataFrame,
    paper_of: pd.Series,
    results: pd.DataFrame,
    measures: pd.DataFrame | None,
) -> pd.DataFrame:
    """Long compute rows (reported quantities and derived training-compute measures)."""
    quantity_cols = [c for c in COMPUTE_QUANTITIES if c in records]
    has_compute = records[quantity_cols].notna().any(axis=1)
    if measures is not None:
        derived_cols = [c for c in DERIVED_MEASURES if c in measures]
        has_compute |= measures.reindex(records.index)[derived_cols].notna().any(axis=1)
    frame = records[has_compute & paper_of.notna()]
    record_result = results.attrs.get("record_result", pd.Series(dtype=object))
    by_paper = {
        p: g.assign(_model=g["model"].map(model_key), _ensemble=g["model"].map(is_ensemble))
        for p, g in results.groupby("paper_id")
    }
    ensemble = results["model"].map(is_ensemble)
    best = _best_map(results[~ensemble])
    ensemble_best = _best_map(results[ensemble])
    best_any = _best_map(results)
    rows: list[dict[str, object]] = []
    withheld: list[dict[str, object]] = []
    for idx, record in frame.iterrows():
        paper_id = paper_of[idx]
        own = record_result.get(idx)
        targets = match_compute(record, paper_id, own, by_paper, best, ensemble_best=ensemble_best)
        withheld += _withheld_from_ensembles(record, paper_id, own, by_paper, best_any, targets)
        base = {
            "paper_id": paper_id,
            "task": _clean(record.get("task")),
            "model": _clean(record.get("model")),
            "benchmark": _clean(record.get("benchmark")),
            "source": record["source"],
            "source_file": record["source_file"],
            "source_record": record["source_record"],
            "source_url": _clean(record.get("source_url")),
            "source_location": _clean(record.get("source_location")),
            "licence": _clean(record.get("licence")),
        }
        ingredient_rows: dict[str, int] = {}  # quantity -> its position in ``rows``
        for result_id, match in targets:
            for quantity in quantity_cols:
                value = record[quantity]
                if pd.isna(value):
                    continue
                cid = stable_id("c", record["source"], record["source_record"], quantity, result_id)
                ingredient_rows[quantity] = len(rows)
                method = "reported"
                if quantity == "training_flops":
                    method = _clean(record.get("training_flops_method")) or "reported"
                rows.append(
                    {
                        **base,
                        "compute_id": cid,
                        "result_id": result_id,
                        "match": match,
                        "quantity": quantity,
                        "value": float(value),
                        "unit": COMPUTE_QUANTITIES[quantity],
                        "chip": _clean(record.get("chip")) if quantity == "chip_count" else None,
                        "convention": _clean(record.get("flops_convention"))
                        if quantity == "flops_per_pass"
                        else None,
                        "method": method,
                        "derived_from": None,
                    }
                )
            if measures is None or idx not in measures.index:
                continue
            for measure in DERIVED_MEASURES:
                value = measures.at[idx, measure] if measure in measures else np.nan
                if pd.isna(value):
                    continue
                inputs = _measure_inputs(measure)
                rows.append(
                    {
                        **base,
                        "compute_id": stable_id(
                            "c", record["source"], record["source_record"], measure, result_id
                        ),
                        "result_id": result_id,
                        "match": match,
                        "quantity": "training_flops",
                        "value": float(value),
                        "unit": "FLOP",
                        "chip": _clean(record.get("chip"))
                        if measure == "hardware_burden"
                        else None,
                        "convention": None,
                        "method": measure,
                        # positions of the ingredients, turned into their final ids below
                        "derived_from": [ingredient_rows[q] for q in inputs if q in ingredient_rows]
                        or None,
                    }
                )
    compute = pd.DataFrame(rows, columns=COMPUTE_COLUMNS)
    compute["compute_id"] = unique_ids("c", zip(compute["compute_id"], strict=True))
    # derived_from names the ingredients' final ids (after the re-hash above), never the
    # provisional ones: a flag on an ingredient must reach every row derived from it
    final_ids = compute["compute_id"].tolist()
    compute["derived_from"] = [
        ";".join(final_ids[position] for position in positions) if positions else None
        for positions in compute["derived_from"]
    ]
    compute = pd.concat([compute, architecture_flops(compute, results)], ignore_index=True)
    compute = compute.sort_values("compute_id").reset_index(drop=True)
    compute.attrs["ensemble_withheld"] = pd.DataFrame(withheld, columns=WITHHELD_COLUMNS)
    return compute


WITHHELD_COLUMNS = ["source", "source_record", "model", "paper_id", "result_id", "match"]


def _best_map(results: pd.DataFrame) -> dict[str, dict[str, str]]:
    """paper_id -> {primary benchmark: result_id of the paper's best result there}."""
    best: dict[str, dict[str, str]] = {}
    frame = _best_results(results)
    for p, b, r in zip(frame["paper_id"], frame["benchmark"], frame["result_id"], strict=True):
        best.setdefault(p, {})[b] = r
    return best


def _withheld_from_ensembles(
    record: pd.Series,
    paper_id: str,
    own_result: str | None,
    by_paper: dict,
    best_any: dict,
    targets: list[tuple[str | None, str]],
) -> list[dict[str, object]]:
    """Ensemble results the record would reach without the ensemble rule (for the report)."""
    if own_result or is_ensemble(record.get("model")):
        return []
    paper_results = by_paper.get(paper_id)
    if paper_results is None or not paper_results["_ensemble"].any():
        return []
    old = match_compute(record, paper_id, None, by_paper, best_any, ensemble_rule=False)
    ensembles = set(paper_results.loc[paper_results["_ensemble"], "result_id"])
    kept = {rid for rid, _ in targets}
    return [
        {
            "source": record["source"],
            "source_record": record["source_record"],
            "model": _clean(record.get("model")),
            "paper_id": paper_id,
            "result_id": rid,
            "match": match,
        }
        for rid, match in old
        if rid in ensembles and rid not in kept
    ]


def architecture_keys(model: object, source: object = None) -> set[str]:
    """Normalised names under which a model-zoo entry may match a paper's model name.

    The full name, the name before timm's pretrained-weight tag (``resnet152.a1h_in1k`` ->
    ``resnet152``) and, for MMPretrain, the name before its config suffix
    (``resnet50_8xb32_in1k`` -> ``resnet50``).
    """
    if not isinstance(model, str) or not model.strip():
        return set()
    names = {model}
    if " " not in model.strip():
        names.add(model.split(".")[0])
        if source == "mmpretrain-model-index":
            names.add(model.split("_")[0])
    return {k for k in (normalise_title(n) for n in names) if k}


def architecture_flops(compute: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """FLOPs per pass of zoo models carried over to the same paper's own results.

    FLOPs of one forward pass are a property of the architecture (at the zoo's input size), not
    of a training run, so a zoo's value is attached (``match = architecture``) to a result of
    the same paper and benchmark whose model name equals the zoo model's architecture name and
    which has no FLOPs of its own. Training-time quantities are never carried over.
    """
    zoo = compute[(compute["quantity"] == "flops_per_pass") & (compute["match"] == "same-record")]
    has_own = set(zoo["result_id"])
    if zoo.empty:
        return pd.DataFrame(columns=COMPUTE_COLUMNS)
    keyed = zoo.assign(
        _keys=[architecture_keys(m, s) for m, s in zip(zoo["model"], zoo["source"], strict=True)]
    ).explode("_keys")
    keyed = keyed[keyed["_keys"].notna()]
    targets = results[
        ~results["result_id"].isin(has_own) & (results["benchmark_role"] == "primary")
    ]
    targets = targets.assign(_keys=targets["model"].map(_norm_model)).dropna(subset=["_keys"])
    pairs = targets[["result_id", "paper_id", "benchmark", "_keys"]].merge(
        keyed.drop(columns=["result_id"]), on=["paper_id", "benchmark", "_keys"]
    )
    pairs = pairs.drop_duplicates(["result_id", "compute_id"])
    out = pairs.assign(
        derived_from=pairs["compute_id"],
        compute_id=[
            stable_id("c", cid, rid)
            for cid, rid in zip(pairs["compute_id"], pairs["result_id"], strict=True)
        ],
        match="architecture",
    )
    return out[COMPUTE_COLUMNS]


def _measure_inputs(measure: str) -> tuple[str, ...]:
    if measure == "hardware_burden":
        return ("chip_count", "training_hours")
    return ("flops_per_pass", "epochs", "training_examples")
