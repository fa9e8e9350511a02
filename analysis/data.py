"""Load the committed tables (validated) and build the fit tables the models use.

``load_tables()`` reads ``data/*.csv`` strictly: empty files, wrong headers, wrong types, values
outside their metric's bounds, bad dates, unknown ids or chips raise :class:`DataValidationError`
naming the file, line, column and value.

``fit_table(tables, measure)`` gives, for one compute measure, every result of a primary
benchmark's primary metric that has that measure, a date and a positive error, and lists every
other such result in ``.excluded`` with the reason; ``default_fit_table(tables, measure)`` keeps
only the default population of the book's fits (the papers' own results, one row per training
run), the library re-trainings being a sensitivity variant.

The data stage: the one reader of ``data/``. Curation (:mod:`analysis.curate`) writes the tables
and reads them back through here to validate them; models, projections, checks and the book read
them only through here. May import: :mod:`analysis.vocab`, :mod:`analysis.schema` and
:mod:`analysis.paths`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.paths import DATA_DIR
from analysis.schema import (
    COMPUTE,
    HARDWARE_REQUIRED,
    PAPERS,
    RESULTS,
    DataValidationError,
    check_dates,
    check_references,
    check_roles,
    check_scores,
    line_of,
    remember_lines,
    scan_csv,
    validate_frame,
)
from analysis.vocab.measures import MEASURES
from analysis.vocab.tasks import METRICS, PRIMARY_BENCHMARKS

MATCH_PREFERENCE: tuple[str, ...] = ("same-record", "model", "architecture", "paper-best")
"""When several compute rows give one result the same measure, the best match kind wins and the
median of its values is used."""

__all__ = [
    "MEASURES",
    "CostInputs",
    "DataValidationError",
    "FitTable",
    "Tables",
    "compute_long",
    "date_rules",
    "default_fit_table",
    "fit_table",
    "load_cost_inputs",
    "load_tables",
    "results_by_origin_year",
]


@dataclass(frozen=True)
class Tables:
    """The four validated tables, and the compute rows no fit may use."""

    papers: pd.DataFrame
    results: pd.DataFrame
    compute: pd.DataFrame
    hardware: pd.DataFrame
    unusable_compute: frozenset[str] = frozenset()
    """compute_ids whose source value is flagged as wrong (``in_fits`` = no in
    ``data/manual/source_flags.csv``, listed in ``data/reports/flagged_values.csv``)."""


@dataclass(frozen=True)
class FitTable:
    """Rows entering a fit for one measure, and the primary results left out (with reasons).

    ``rows``: result_id, paper_id, task, benchmark, metric, series ("benchmark/metric"), error
    (> 0), year (decimal, from the result date: the day the score became public; mid-month
    for month-only dates), date (``result_date``), log10_compute (log10 FLOP of the measure;
    median over the best-matched compute rows), measure, is_frontier (beat every earlier
    result of the series; see :func:`frontier_flags`), score_origin, source,
    architecture_date (the architecture paper's date), population (paper, same_weights,
    retraining; see :func:`split_population`). ``excluded``: result_id, series, reason.
    """

    measure: str
    rows: pd.DataFrame
    excluded: pd.DataFrame


# --------------------------------------------------------------------------- loading


def _schema_columns(file: str) -> list[str] | None:
    if file in COST_COLUMNS:
        return list(COST_COLUMNS[file])
    schema = {"papers.csv": PAPERS, "results.csv": RESULTS, "compute.csv": COMPUTE}.get(file)
    return list(schema.columns) if schema is not None else None


def read_table(path: Path) -> pd.DataFrame:
    """Read one CSV as text, check its header and convert typed columns (clear errors)."""
    file = path.name
    if not path.exists():
        raise DataValidationError(file, None, None, str(path), "file is missing")
    scanned = scan_csv(path, file)
    if scanned.bom:
        raise DataValidationError(file, 1, None, "\ufeff", "starts with a byte-order mark")
    if scanned.blank_lines:
        raise DataValidationError(file, scanned.blank_lines[0], None, "", "blank line")
    remember_lines(file, scanned.lines)
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8"
        )
    except pd.errors.EmptyDataError:
        raise DataValidationError(file, 1, None, "", "file is empty (no header)") from None
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            file, None, None, exc.object[exc.start : exc.end], "not UTF-8"
        ) from None
    except pd.errors.ParserError as exc:
        raise DataValidationError(file, None, None, str(exc), "malformed CSV") from None
    expected = _schema_columns(file)
    header = list(frame.columns)
    if expected is not None and header != expected:
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        problem = (
            f"wrong header: missing {missing}, unexpected {extra}"
            if missing or extra
            else ("wrong header: columns out of order")
        )
        raise DataValidationError(file, 1, None, ",".join(header), problem)
    if expected is None:
        missing = [c for c in HARDWARE_REQUIRED if c not in header]
        if missing:
            raise DataValidationError(
                file, 1, None, ",".join(header), f"wrong header: missing {missing}"
            )
    if frame.empty:
        raise DataValidationError(file, 2, None, "", "file has a header but no rows")
    return _convert_types(file, frame)


_FLOAT_COLUMNS = {
    "results.csv": ("value", "error"),
    "compute.csv": ("value",),
    "hardware.csv": (
        "peak_fp32_flops",
        "peak_fp16_flops",
        "peak_tensor_flops",
        "tdp_watts",
        "launch_price_usd",
    ),
}
_INT_COLUMNS = {"papers.csv": ("year",)}
_BOOL_COLUMNS = {"results.csv": ("higher_is_better",)}


def _convert_types(file: str, frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in _FLOAT_COLUMNS.get(file, ()):
        if column in frame:
            frame[column] = _to_float(file, frame[column])
    for column in _INT_COLUMNS.get(file, ()):
        numbers = _to_float(file, frame[column])
        fractional = numbers.notna() & (numbers != numbers.round())
        if fractional.any():
            index = fractional.idxmax()
            raise DataValidationError(
                file, line_of(index, file), column, frame.at[index, column], "not an integer"
            )
        frame[column] = numbers.astype("Int64")
    for column in _BOOL_COLUMNS.get(file, ()):
        text = frame[column].str.strip().str.casefold()
        bad = ~text.isin(["true", "false"])
        if bad.any():
            index = bad.idxmax()
            raise DataValidationError(
                file, line_of(index, file), column, frame.at[index, column], "not True/False"
            )
        frame[column] = text == "true"
    return frame


def _to_float(file: str, column: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(column, errors="coerce")
    bad = column.notna() & numbers.isna()
    if bad.any():
        index = bad.idxmax()
        raise DataValidationError(
            file, line_of(index, file), str(column.name), column[index], "not a number"
        )
    infinite = numbers.notna() & ~np.isfinite(numbers)
    if infinite.any():
        index = infinite.idxmax()
        raise DataValidationError(
            file, line_of(index, file), str(column.name), column[index], "not finite"
        )
    return numbers.astype(float)


FLAGGED_VALUES = Path("reports") / "flagged_values.csv"
"""Compute rows whose source value is flagged (written by ``python -m analysis.curate``)."""


def unusable_compute_ids(path: Path) -> frozenset[str]:
    """compute_ids of flagged values marked ``in_fits`` = no (none when the report is absent)."""
    if not path.exists():
        return frozenset()
    flags = pd.read_csv(path, dtype=str)
    if "in_fits" not in flags.columns:
        raise DataValidationError(path.name, 1, "in_fits", "", "column is missing")
    bad = flags.loc[~flags["in_fits"].isin(["yes", "no"])]
    if not bad.empty:
        line = int(bad.index[0]) + 2
        value = bad["in_fits"].iloc[0]
        raise DataValidationError(path.name, line, "in_fits", str(value), "must be yes or no")
    return frozenset(flags.loc[flags["in_fits"] == "no", "compute_id"])


def load_tables(data_dir: Path = DATA_DIR) -> Tables:
    """Read and validate papers, results, compute and hardware; raise DataValidationError."""
    frames = {
        name: read_table(Path(data_dir) / name)
        for name in ("papers.csv", "results.csv", "compute.csv", "hardware.csv")
    }
    frames = {name: validate_frame(name, frame) for name, frame in frames.items()}
    tables = Tables(
        papers=frames["papers.csv"],
        results=frames["results.csv"],
        compute=frames["compute.csv"],
        hardware=frames["hardware.csv"],
        unusable_compute=unusable_closure(
            frames["compute.csv"], unusable_compute_ids(Path(data_dir) / FLAGGED_VALUES)
        ),
    )
    check_dates(tables.papers)
    check_scores(tables.results)
    check_roles(tables.results)
    check_references(tables.papers, tables.results, tables.compute, tables.hardware)
    return tables


# --------------------------------------------------------------------------- cost inputs

_PROVENANCE = ("source", "source_file", "source_record", "licence")
COST_COLUMNS: dict[str, tuple[str, ...]] = {
    "prices.csv": (
        "chip", "manufacturer", "vendor", "price_date", "price_per_chip_hour_usd",
        "purchase_price_usd", "peak_fp32_flops", "peak_fp16_flops", "peak_tensor_flops",
        "price_source", *_PROVENANCE,
    ),
    "price_index.csv": ("month", "series", "value", *_PROVENANCE),
    "accelerator_efficiency.csv": (
        "chip", "manufacturer", "type", "release_date", "peak_fp32_flops", "peak_fp16_flops",
        "peak_tensor_flops", "tdp_watts", *_PROVENANCE,
    ),
    "carbon_intensity.csv": (
        "pool", "region", "name", "country", "year", "g_co2e_per_kwh", "total_twh",
        *_PROVENANCE,
    ),
}  # fmt: skip
"""The curated cost-input tables (``python -m analysis.curate``) and their columns, in order."""
COST_FLOAT_COLUMNS: dict[str, tuple[str, ...]] = {
    "prices.csv": (
        "price_per_chip_hour_usd", "purchase_price_usd", "peak_fp32_flops", "peak_fp16_flops",
        "peak_tensor_flops",
    ),
    "price_index.csv": ("value",),
    "accelerator_efficiency.csv": (
        "peak_fp32_flops", "peak_fp16_flops", "peak_tensor_flops", "tdp_watts",
    ),
    "carbon_intensity.csv": ("g_co2e_per_kwh", "total_twh"),
}  # fmt: skip
COST_REQUIRED: dict[str, tuple[str, ...]] = {
    "prices.csv": ("chip", *_PROVENANCE),
    "price_index.csv": ("month", "series", "value", *_PROVENANCE),
    "accelerator_efficiency.csv": ("chip", *_PROVENANCE),
    "carbon_intensity.csv": ("pool", "region", "g_co2e_per_kwh", *_PROVENANCE),
}
"""Columns that may not be empty."""
COST_DATE_COLUMNS = {
    "prices.csv": "price_date",
    "price_index.csv": "month",
    "accelerator_efficiency.csv": "release_date",
}
CARBON_POOLS = ("mlco2_regions", "world_mix")
_ISO_DAY = r"\d{4}-\d{2}-\d{2}"


@dataclass(frozen=True)
class CostInputs:
    """The curated cost inputs: prices (with their chips' peak rates), the price index,
    accelerator peak rates and power, and grid carbon intensities, each in its file's order."""

    prices: pd.DataFrame
    price_index: pd.DataFrame
    efficiency: pd.DataFrame
    carbon: pd.DataFrame


def _check_cost_table(file: str, frame: pd.DataFrame) -> None:
    for column in COST_REQUIRED[file]:
        empty = frame[column].isna()
        if empty.any():
            index = empty.idxmax()
            raise DataValidationError(file, line_of(index, file), column, "", "must not be empty")
    date = COST_DATE_COLUMNS.get(file)
    if date is not None:
        text = frame[date].dropna()
        bad = ~text.str.fullmatch(_ISO_DAY) | pd.to_datetime(text, errors="coerce").isna()
        if bad.any():
            index = bad.idxmax()
            raise DataValidationError(
                file, line_of(index, file), date, text[index], "not a YYYY-MM-DD date"
            )
    for column in COST_FLOAT_COLUMNS[file]:
        negative = frame[column] < 0
        if negative.any():
            index = negative.idxmax()
            raise DataValidationError(
                file, line_of(index, file), column, str(frame.at[index, column]), "negative"
            )
    if file == "carbon_intensity.csv":
        bad = ~frame["pool"].isin(CARBON_POOLS)
        if bad.any():
            index = bad.idxmax()
            raise DataValidationError(
                file, line_of(index, file), "pool", frame.at[index, "pool"],
                f"not one of {', '.join(CARBON_POOLS)}",
            )  # fmt: skip


def load_cost_inputs(data_dir: Path = DATA_DIR) -> CostInputs:
    """Read and validate the four cost-input tables; raise DataValidationError naming the file,
    line, column and value. The cost model reads only these (never the raw sources)."""
    frames = {}
    for file in COST_COLUMNS:
        frame = read_table(Path(data_dir) / file)
        for column in COST_FLOAT_COLUMNS[file]:
            frame[column] = _to_float(file, frame[column])
        _check_cost_table(file, frame)
        frames[file] = frame
    return CostInputs(
        prices=frames["prices.csv"],
        price_index=frames["price_index.csv"],
        efficiency=frames["accelerator_efficiency.csv"],
        carbon=frames["carbon_intensity.csv"],
    )


# --------------------------------------------------------------------------- fit tables


def decimal_year(date: object) -> float:
    """Decimal year of ``YYYY-MM-DD`` (exact) or ``YYYY-MM`` (mid-month); NaN if none."""
    if not isinstance(date, str):
        return np.nan
    if len(date) == 7:
        year, month = int(date[:4]), int(date[5:7])
        return year + (month - 0.5) / 12.0
    stamp = pd.Timestamp(date)
    start = pd.Timestamp(year=stamp.year, month=1, day=1)
    length = (pd.Timestamp(year=stamp.year + 1, month=1, day=1) - start).days
    return stamp.year + (stamp - start).days / length


def _measure_rows(compute: pd.DataFrame, measure: str) -> pd.DataFrame:
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; expected one of {MEASURES}")
    attached = compute[compute["result_id"].notna()]
    if measure == "flops_per_pass":
        return attached[attached["quantity"] == "flops_per_pass"]
    flops = attached[attached["quantity"] == "training_flops"]
    if measure == "epoch_estimate":
        return flops[flops["method"].isin(["epoch_estimate", "reported"])]
    return flops[flops["method"] == measure]


def _per_result(rows: pd.DataFrame, measure: str) -> pd.DataFrame:
    """One log10 value per result: best match kind, median of its values."""
    if rows.empty:
        return pd.DataFrame(columns=["result_id", "measure", "log10_flops", "match", "n_values"])
    rank = {m: i for i, m in enumerate(MATCH_PREFERENCE)}
    rows = rows.assign(_rank=rows["match"].map(rank).fillna(len(rank)))
    best = rows[rows["_rank"] == rows.groupby("result_id")["_rank"].transform("min")]
    grouped = best.groupby("result_id")
    out = pd.DataFrame(
        {
            "log10_flops": grouped["value"].median().map(np.log10),
            "match": grouped["match"].first(),
            "n_values": grouped["value"].size(),
        }
    ).reset_index()
    out.insert(1, "measure", measure)
    return out


def compute_long(tables: Tables, *, usable_only: bool = False) -> pd.DataFrame:
    """Every available measure per result: result_id, measure, log10_flops, match, n_values.

    With ``usable_only``, compute rows flagged ``in_fits`` = no (and rows derived from them)
    are left out first, as :func:`fit_table` does.
    """
    parts = [_per_result(_measure_rows_for(tables, m, usable_only), m) for m in MEASURES]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=["result_id", "measure", "log10_flops", "match", "n_values"])
    return (
        pd.concat(parts, ignore_index=True)
        .sort_values(["result_id", "measure"])
        .reset_index(drop=True)
    )


def _measure_rows_for(tables: Tables, measure: str, usable_only: bool) -> pd.DataFrame:
    """Compute rows of one measure, without the unusable ones when ``usable_only``."""
    rows = _measure_rows(tables.compute, measure)
    if not usable_only:
        return rows
    return rows[~_uses_unusable(rows, tables.unusable_compute)]


def primary_results(tables: Tables) -> pd.DataFrame:
    """Results of the primary metric of each primary benchmark, with date, year and series.

    ``date`` is the day the score became public (``results.result_date``: a paper's date for
    its own results, the zoo commit for a zoo score) and ``year`` its decimal year, so every
    fit, frontier flag and backtest orders results by it; ``architecture_date`` keeps the
    architecture paper's date. Tables without ``result_date`` (written before it) take the
    paper's date for both, and a ``population`` from ``score_origin``.
    """
    results = tables.results
    primary_metric = results["benchmark"].map(
        lambda b: PRIMARY_BENCHMARKS[b].primary_metric if b in PRIMARY_BENCHMARKS else None
    )
    keep = (results["benchmark_role"] == "primary") & (results["metric"] == primary_metric)
    out = results[keep].reset_index(drop=True)
    if "result_date" in out:
        out["date"] = out["result_date"]
    else:
        out = out.merge(tables.papers[["paper_id", "date"]], on="paper_id", how="left")
        out["architecture_date"] = out["date"]
    if "population" not in out:
        out["population"] = np.where(out["score_origin"] == "paper", "paper", "retraining")
    out["series"] = out["benchmark"] + "/" + out["metric"]
    out["year"] = out["date"].map(decimal_year)
    return out


FRONTIER_ORIGINS: tuple[str, ...] = ("paper", "library re-evaluation")
"""Score origins that can set the frontier: a library re-training (a later recipe applied to an
old architecture) says nothing about what was reached when the paper appeared."""


def frontier_flags(frame: pd.DataFrame) -> pd.Series:
    """Whether each result beat every strictly earlier result of its series (lower error).

    Only results whose ``score_origin`` is in :data:`FRONTIER_ORIGINS` (when the column is
    present) compete; the others are never on the frontier.
    """
    flags = pd.Series(False, index=frame.index)
    dated = frame[frame["year"].notna() & frame["error"].notna()]
    if "score_origin" in dated:
        dated = dated[dated["score_origin"].isin(FRONTIER_ORIGINS)]
    if dated.empty:
        return flags
    yearly_best = dated.groupby(["series", "year"], sort=True)["error"].min()
    best_before = (
        yearly_best.groupby(level="series").cummin().groupby(level="series").shift(1)
    ).fillna(np.inf)
    keys = pd.MultiIndex.from_arrays([dated["series"], dated["year"]])
    flags[dated.index] = dated["error"].to_numpy() < best_before.reindex(keys).to_numpy()
    return flags


FLAGGED_REASON = "compute value flagged as wrong in its source (data/manual/source_flags.csv)"


def _uses_unusable(rows: pd.DataFrame, unusable: frozenset[str]) -> pd.Series:
    """Whether each compute row is, or is derived from, an unusable compute row."""
    if not unusable:
        return pd.Series(False, index=rows.index)
    derived = rows["derived_from"].fillna("").str.split(";")
    return rows["compute_id"].isin(unusable) | derived.map(lambda ids: bool(unusable & set(ids)))


def unusable_closure(compute: pd.DataFrame, unusable: frozenset[str]) -> frozenset[str]:
    """``unusable`` plus every compute row derived from one of them, at any depth (a zoo's
    FLOPs carried to another result, then multiplied into network operations, ...)."""
    out = set(unusable)
    if not out or "derived_from" not in compute:
        return frozenset(out)
    parents = compute["derived_from"].fillna("").str.split(";")
    children = [
        (cid, set(ids) - {""}) for cid, ids in zip(compute["compute_id"], parents, strict=True)
    ]
    children = [(cid, ids) for cid, ids in children if ids]
    grew = True
    while grew:
        grew = False
        for cid, ids in children:
            if cid not in out and ids & out:
                out.add(cid)
                grew = True
    return frozenset(out)


def fit_table(tables: Tables, measure: str) -> FitTable:
    """Rows for a fit of error against one compute measure, and the exclusions with reasons."""
    candidates = primary_results(tables)
    candidates["is_frontier"] = frontier_flags(candidates)
    measure_rows = _measure_rows(tables.compute, measure)
    unusable = _uses_unusable(measure_rows, tables.unusable_compute)
    measured = _per_result(measure_rows[~unusable], measure)
    flagged_only = set(measure_rows.loc[unusable, "result_id"]) - set(measured["result_id"])
    candidates = candidates.merge(
        measured[["result_id", "log10_flops"]], on="result_id", how="left"
    )
    reasons = pd.Series(pd.NA, index=candidates.index, dtype=object)
    no_error_metric = candidates["metric"].map(lambda m: METRICS[m].error_kind == "none")
    conditions = [
        (no_error_metric, "metric not an error"),
        (candidates["error"].isna() | (candidates["error"] <= 0), "error not positive"),
        (candidates["year"].isna(), "no publication date (year only or none)"),
        (candidates["result_id"].isin(flagged_only), FLAGGED_REASON),
        (candidates["log10_flops"].isna(), f"no compute for measure {measure}"),
    ]
    for condition, reason in conditions:
        reasons = reasons.where(reasons.notna() | ~condition, reason)
    kept = candidates[reasons.isna()]
    rows = kept.rename(columns={"log10_flops": "log10_compute"}).assign(measure=measure)[
        [
            "result_id", "paper_id", "task", "benchmark", "metric", "series", "error", "year",
            "date", "log10_compute", "measure", "is_frontier", "score_origin", "source",
            "architecture_date", "population",
        ]
    ]  # fmt: skip
    excluded = pd.DataFrame(
        {
            "result_id": candidates.loc[reasons.notna(), "result_id"],
            "series": candidates.loc[reasons.notna(), "series"],
            "reason": reasons[reasons.notna()],
        }
    )
    rows = rows.astype({"error": float, "year": float, "log10_compute": float, "is_frontier": bool})
    return FitTable(
        measure=measure,
        rows=rows.sort_values(["series", "year", "result_id"]).reset_index(drop=True),
        excluded=excluded.sort_values(["series", "result_id"]).reset_index(drop=True),
    )


def domain_counts(tables: Tables) -> pd.DataFrame:
    """Papers and results per task family (a paper counts in every family it has a row in).

    ``papers`` counts papers with a result or a compute row in the family; ``papers_with_results``
    only those with a result (the rest are compute-only papers, mostly from Epoch AI).
    """
    results = tables.results
    compute_papers = tables.compute[["paper_id", "task"]].dropna()
    papers = pd.concat([results[["paper_id", "task"]], compute_papers]).drop_duplicates()
    out = (
        pd.DataFrame(
            {
                "papers": papers.groupby("task")["paper_id"].nunique(),
                "papers_with_results": results.groupby("task")["paper_id"].nunique(),
                "results": results.groupby("task").size(),
                "results_primary": results[results["benchmark_role"] == "primary"]
                .groupby("task")
                .size(),
            }
        )
        .fillna(0)
        .astype(int)
    )
    out.index.name = "task"
    return out.reset_index()


TRAINING_COMPUTE_METHODS: tuple[str, ...] = ("hardware_burden", "network_operations", "reported")
"""Training-compute values counted in coverage (issue 12): hardware burden, network
operations or a stated training FLOP count (not Epoch AI's own estimates)."""


def usable_training_compute(tables: Tables) -> tuple[set[str], set[str]]:
    """result_ids with a usable training-compute value (:data:`TRAINING_COMPUTE_METHODS`) and
    with a usable FLOPs per pass: attached, not flagged ``in_fits`` = no nor derived from one."""
    compute = tables.compute[tables.compute["result_id"].notna()]
    compute = compute[~_uses_unusable(compute, tables.unusable_compute)]
    flops = compute[
        (compute["quantity"] == "training_flops") & compute["method"].isin(TRAINING_COMPUTE_METHODS)
    ]
    per_pass = compute[compute["quantity"] == "flops_per_pass"]
    return set(flops["result_id"]), set(per_pass["result_id"])


def coverage(tables: Tables) -> pd.DataFrame:
    """Per primary benchmark: primary-metric results, papers, results with each measure, and
    results with a measure a fit may use (none flagged ``in_fits`` = no nor derived from one);
    of the papers' own results (``population`` paper): how many, their papers, how many have a
    usable training-compute value (:func:`usable_training_compute`) and from how many papers,
    and how many a usable FLOPs per pass (issue 12, item 4; issue 10, item 3)."""
    from analysis.data import compute_long, primary_results

    primary = primary_results(tables)
    measures = compute_long(tables)
    wide = measures.pivot_table(
        index="result_id", columns="measure", values="log10_flops", aggfunc="size"
    )
    primary = primary.merge(wide, left_on="result_id", right_index=True, how="left")
    in_fits = set(compute_long(tables, usable_only=True)["result_id"])
    primary["_in_fits"] = primary["result_id"].isin(in_fits)
    training, per_pass = usable_training_compute(tables)
    rows = []
    for benchmark, group in primary.groupby("benchmark"):
        row = {
            "benchmark": benchmark,
            "task": group["task"].iloc[0],
            "metric": group["metric"].iloc[0],
            "results": len(group),
            "papers": group["paper_id"].nunique(),
            "dated": int(group["year"].notna().sum()),
        }
        present = [m for m in MEASURES if m in group]
        for m in MEASURES:
            row[f"with_{m}"] = int(group[m].notna().sum()) if m in group else 0
        row["with_any_measure"] = int(group[present].notna().any(axis=1).sum()) if present else 0
        row["with_any_measure_in_fits"] = int(group["_in_fits"].sum())
        own = group[group["population"] == "paper"] if "population" in group else group
        trained = own[own["result_id"].isin(training)]
        row["paper_results"] = len(own)
        row["paper_papers"] = int(own["paper_id"].nunique())
        row["paper_with_training_compute"] = len(trained)
        row["paper_papers_with_training_compute"] = int(trained["paper_id"].nunique())
        row["paper_with_flops_per_pass"] = int(own["result_id"].isin(per_pass).sum())
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- populations

DEFAULT_POPULATIONS: tuple[str, ...] = ("paper", "same_weights")
"""Populations of the default fits: results as the papers reported them, and zoo
re-evaluations of the paper authors' own released weights (issue 10, item 2)."""
SENSITIVITY_POPULATIONS: tuple[str, ...] = ("retraining",)
"""Library re-trainings (later recipes) and other re-evaluations: a sensitivity variant."""
DUPLICATE_TOLERANCE = 0.5
"""A same-weights zoo score within this many points of a result of the same paper, benchmark
and metric is the same model and training run (re-evaluations of released weights reproduce
the paper's score to a few tenths)."""
DUPLICATE_REASON = (
    "same training run as the paper's own result in this fit (kept once, as the paper's; "
    "data/reports/duplicates.csv)"
)
RETRAINING_REASON = "library re-training or other re-evaluation (sensitivity population)"
DEFAULT_REASON = "paper or same-weights result (default population)"
RESOLUTIONS = frozenset(
    {"224", "256", "288", "299", "320", "331", "384", "448", "475", "480", "512"}
)
"""Numbers in a paper's model name that give the evaluation resolution, not the model."""


SIZE_LETTERS = {"t": "tiny", "s": "small", "m": "medium", "b": "base", "l": "large", "h": "huge"}
"""A size letter in a model name (``Swin-T``, ``ConvNeXt-L``) and the word zoos use for it."""
SIZE_WORDS = {word: word for word in SIZE_LETTERS.values()} | {"xlarge": "xlarge"}


def size_tokens(model: object) -> frozenset[str]:
    """The numbers that name a model's size in its name: depth, width, variant
    (``ResNeXt-101 32x4d`` -> {101, 32x4d}; ``EfficientNet-B7`` -> {b7}; ``ConvNeXt-L`` ->
    {large}), resolutions left out."""
    if not isinstance(model, str):
        return frozenset()
    text = model.casefold()
    text = re.sub(r"\d+x\d+(?![\dd])", " ", text)  # an input size, 224x224
    tokens = set(re.findall(r"\d+x\d+d", text))
    text = re.sub(r"\d+x\d+d", " ", text)
    parts = re.findall(r"[a-z]+|\d+(?:\.\d+)?", text)
    for i, part in enumerate(parts):
        following = parts[i + 1] if i + 1 < len(parts) else ""
        if part[0].isdigit():
            before = parts[i - 1] if i else ""
            tokens.add(before + part if len(before) == 1 else part)
        elif part in SIZE_WORDS:
            tokens.add(SIZE_WORDS[part])
        elif len(part) == 1 and part in SIZE_LETTERS and not following[:1].isdigit():
            tokens.add(SIZE_LETTERS[part])
    return frozenset(tokens - RESOLUTIONS)


DUPLICATE_COLUMNS: tuple[str, ...] = (
    "series", "paper_id", "paper_result_id", "paper_model", "paper_value", "zoo_result_id",
    "zoo_model", "zoo_value", "zoo_source", "difference", "candidates",
)  # fmt: skip


def duplicate_pairs(tables: Tables) -> pd.DataFrame:
    """Same-weights zoo scores paired with the paper's own result of the same training run.

    A pair: a ``same_weights`` result and a ``paper`` result of the same paper, benchmark and
    metric whose values differ by at most :data:`DUPLICATE_TOLERANCE`, whose extra training data
    agree (or one is unknown) and whose model names agree on size (every :func:`size_tokens`
    number of the paper's name is in the zoo's name: ResNet-50 never pairs with a
    ResNeXt-101); when several paper results qualify, the nearest (``candidates`` says how
    many did).
    """
    primary = primary_results(tables)
    if "extra_data" not in primary:
        primary["extra_data"] = None
    columns = ["result_id", "paper_id", "series", "model", "value", "extra_data", "source"]
    zoo = primary.loc[primary["population"] == "same_weights", columns]
    paper = primary.loc[primary["population"] == "paper", columns[:-1]]
    pairs = zoo.merge(paper, on=["paper_id", "series"], suffixes=("_zoo", "_paper"))
    pairs["difference"] = (pairs["value_zoo"] - pairs["value_paper"]).abs().round(6)
    same_size = [
        size_tokens(paper_model) <= size_tokens(zoo_model)
        for paper_model, zoo_model in zip(pairs["model_paper"], pairs["model_zoo"], strict=True)
    ]
    same_data = (
        pairs["extra_data_zoo"].isna()
        | pairs["extra_data_paper"].isna()
        | (pairs["extra_data_zoo"] == "unknown")
        | (pairs["extra_data_paper"] == "unknown")
        | (pairs["extra_data_zoo"] == pairs["extra_data_paper"])
    )
    pairs = pairs[
        (pairs["difference"] <= DUPLICATE_TOLERANCE)
        & pd.Series(same_size, index=pairs.index, dtype=bool)
        & same_data
    ]
    if pairs.empty:
        return pd.DataFrame(columns=list(DUPLICATE_COLUMNS))
    pairs["candidates"] = pairs.groupby("result_id_zoo")["result_id_paper"].transform("size")
    best = pairs.sort_values(["result_id_zoo", "difference", "result_id_paper"]).drop_duplicates(
        "result_id_zoo"
    )
    out = best.rename(
        columns={
            "result_id_zoo": "zoo_result_id", "result_id_paper": "paper_result_id",
            "model_zoo": "zoo_model", "model_paper": "paper_model", "value_zoo": "zoo_value",
            "value_paper": "paper_value", "source": "zoo_source",
        }
    )  # fmt: skip
    return out[list(DUPLICATE_COLUMNS)].sort_values(["series", "paper_id", "zoo_result_id"])


@dataclass(frozen=True)
class PopulationSplit:
    """One fit table split by population: the default rows (paper and same-weights results,
    one row per training run), the sensitivity rows (re-trainings), the pairs removed."""

    default: FitTable
    sensitivity: FitTable
    duplicates: pd.DataFrame


def split_population(fit: FitTable, tables: Tables) -> PopulationSplit:
    """Default and sensitivity rows of ``fit``; every row left out is in ``excluded``.

    Default: ``paper`` and ``same_weights`` rows; a same-weights zoo row whose paired paper
    result (:func:`duplicate_pairs`) is also in this fit is left out (the paper's row is kept),
    and ``is_frontier`` is recomputed among the default population. Sensitivity: the
    ``retraining`` rows (frontier flags as in ``fit``).
    """
    rows = fit.rows
    pairs = duplicate_pairs(tables)
    in_fit = set(rows["result_id"])
    pairs = pairs[pairs["paper_result_id"].isin(in_fit) & pairs["zoo_result_id"].isin(in_fit)]
    duplicate = rows["result_id"].isin(pairs["zoo_result_id"])
    retraining = rows["population"].isin(SENSITIVITY_POPULATIONS)

    def left_out(mask: pd.Series, reason: str) -> pd.DataFrame:
        return pd.DataFrame(
            {"result_id": rows.loc[mask, "result_id"], "series": rows.loc[mask, "series"],
             "reason": reason}
        )  # fmt: skip

    def table(keep: pd.Series, extra: list[pd.DataFrame]) -> FitTable:
        excluded = pd.concat([fit.excluded, *extra], ignore_index=True)
        return FitTable(
            measure=fit.measure,
            rows=rows[keep].reset_index(drop=True),
            excluded=excluded.sort_values(["series", "result_id"]).reset_index(drop=True),
        )

    default = table(
        ~duplicate & ~retraining,
        [left_out(duplicate, DUPLICATE_REASON), left_out(retraining, RETRAINING_REASON)],
    )
    primary = primary_results(tables)
    population = primary[
        primary["population"].isin(DEFAULT_POPULATIONS)
        & ~primary["result_id"].isin(pairs["zoo_result_id"])
    ]
    flags = pd.Series(frontier_flags(population).to_numpy(), index=population["result_id"])
    default.rows["is_frontier"] = default.rows["result_id"].map(flags).fillna(False).astype(bool)
    sensitivity = table(retraining, [left_out(~retraining, DEFAULT_REASON)])
    return PopulationSplit(default=default, sensitivity=sensitivity, duplicates=pairs)


def date_rule(source: object) -> str:
    """The rule that dated a result, from its ``result_date_source``: the paper's date, or the
    history of the named zoo repository (``owner/name@commit ...``)."""
    text = str(source) if isinstance(source, str) else ""
    if text == "paper date":
        return "paper's own date"
    match = re.match(r"([\w.-]+/[\w.-]+)@[0-9a-f]{7,40}", text)
    if match:
        return f"first appearance in {match.group(1)}"
    return "other (see result_date_source)"


def date_rules(tables: Tables) -> pd.DataFrame:
    """Per dating rule: primary results, how many it dated later than their architecture paper
    (``moved``), the median shift in years among those, and how many carry a flag (a date that
    is only a later bound)."""
    primary = primary_results(tables)
    shift = primary["year"] - primary["architecture_date"].map(decimal_year)
    frame = pd.DataFrame(
        {
            "rule": primary["result_date_source"].map(date_rule),
            "moved": primary["date"] != primary["architecture_date"],
            "shift": shift,
            "flagged": primary["result_date_flag"].notna(),
        }
    )
    out = frame.groupby("rule").agg(
        results=("moved", "size"), moved=("moved", "sum"), flagged=("flagged", "sum")
    )
    out["median_shift_years"] = frame[frame["moved"]].groupby("rule")["shift"].median()
    out = out.astype({"results": int, "moved": int, "flagged": int})
    return out.sort_values("results", ascending=False).reset_index()


def results_by_origin_year(tables: Tables) -> pd.DataFrame:
    """Primary results per year of their ``result_date`` and score origin (dated rows only)."""
    primary = primary_results(tables)
    primary = primary[primary["year"].notna()]
    year = np.floor(primary["year"]).astype(int)
    counts = primary.groupby([year.rename("year"), "score_origin"]).size()
    return counts.rename("results").reset_index()


def default_fit_table(tables: Tables, measure: str) -> FitTable:
    """The fit table of the book's default fits: :func:`fit_table` restricted to the default
    population (:func:`split_population`); re-trainings and duplicate observations of one
    training run are in ``excluded`` with their reason."""
    return split_population(fit_table(tables, measure), tables).default


# --------------------------------------------------------------------------- coverage targets

ORIGINAL_BENCHMARKS: dict[str, tuple[str, ...]] = {
    "ImageNet": ("imagenet",),
    "COCO": ("coco_minival", "coco_test_dev"),
    "SQuAD 1.1": ("squad11", "squad11_dev"),
    "WMT 2014": ("wmt2014_en_de", "wmt2014_en_fr"),
    "CoNLL 2003": ("conll2003",),
}
"""The study's original five benchmarks, as the coverage targets group their splits."""
ORIGINAL_TARGET, ORIGINAL_SHARE, ORIGINAL_SMALL = 60, 0.6, 100
"""Target of an original benchmark: 60 results with training compute, or 60% of its
paper-reported results where it has fewer than 100."""
OTHER_TASKS: tuple[str, ...] = (
    "speech_recognition", "image_generation", "pose_estimation", "face_detection",
)  # fmt: skip
OTHER_TARGET = 25
"""Target of each other domain: 25 results with training compute."""
MIN_SEARCHED = 40
"""Papers of a domain logged as read without finding compute, where its target is missed."""


def _distinct_papers(rows: pd.DataFrame) -> int:
    """Distinct papers of search-log rows (paper id, else arXiv id, else title)."""
    return int(rows["paper_id"].fillna(rows["arxiv_id"]).fillna(rows["paper_title"]).nunique())


def _searched_without_compute(search: pd.DataFrame, mask: pd.Series) -> int:
    return _distinct_papers(search[mask & search["outcome_kind"].ne("found")])


def _in_task(search: pd.DataFrame, task: str) -> pd.Series:
    """Search-log rows of ``task`` (a row may name several, ``;``-separated)."""
    return search["task"].fillna("").map(lambda s: task in s.split(";"))


def papers_searched(search: pd.DataFrame, task: str) -> int:
    """Distinct papers of ``task`` in the compute-search log (any outcome)."""
    return _distinct_papers(search[_in_task(search, task)])


def coverage_targets(tables: Tables, search: pd.DataFrame) -> pd.DataFrame:
    """Per original benchmark and per other domain: the papers' own primary results, those with a
    usable training-compute value (:func:`usable_training_compute`) and their distinct papers, the
    target and whether it holds, and the distinct papers of the compute-search log
    (``data/reports/compute_search.csv``) read without finding compute; ``search_log_complete``
    holds where the target does or at least :data:`MIN_SEARCHED` such papers are logged."""
    primary = primary_results(tables)
    own = primary[primary["population"] == "paper"]
    trained = own["result_id"].isin(usable_training_compute(tables)[0])

    def of_benchmarks(b: tuple[str, ...]) -> pd.Series:
        return search["benchmark"].fillna("").map(lambda s: bool(set(s.split(";")) & set(b)))

    groups = [(name, "benchmark", own["benchmark"].isin(b), of_benchmarks(b))
              for name, b in ORIGINAL_BENCHMARKS.items()]  # fmt: skip
    groups += [
        (task, "domain", own["task"].eq(task), _in_task(search, task)) for task in OTHER_TASKS
    ]
    rows = []
    for name, kind, in_group, in_search in groups:
        results, with_compute = int(in_group.sum()), int((in_group & trained).sum())
        small = kind == "benchmark" and results < ORIGINAL_SMALL
        target = int(np.ceil(ORIGINAL_SHARE * results)) if small else (
            ORIGINAL_TARGET if kind == "benchmark" else OTHER_TARGET
        )  # fmt: skip
        searched = _searched_without_compute(search, in_search)
        rows.append(
            {
                "target_group": name,
                "kind": kind,
                "paper_results": results,
                "with_training_compute": with_compute,
                "papers_with_training_compute": int(
                    own.loc[in_group & trained, "paper_id"].nunique()
                ),
                "target": target,
                "met": with_compute >= target,
                "searched_without_compute": searched,
                "search_log_complete": with_compute >= target or searched >= MIN_SEARCHED,
            }
        )
    return pd.DataFrame(rows)
