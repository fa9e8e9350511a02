"""Forecast the error of new results from the headline frontier model fitted at a cutoff.

    python -m analysis.forecast --cutoff 2020-07-01 --input rows.csv --output out.csv

``rows.csv`` has the columns ``benchmark``, ``date`` (YYYY-MM-DD, on or after the cutoff),
``measure`` (hardware_burden, epoch_estimate or network_operations) and ``log10_compute``.
The output adds the predictive quantiles of the error (``error_q05`` ... ``error_q95``, in the
benchmark's error unit, e.g. % top-1 error) of a new paper's result at that compute and date,
from the frontier forms fitted on the rows public before the cutoff, stacked with the
weights ``reports/backtest.json`` holds for that cutoff (equal weights for a cutoff it lacks),
and ``p_new_record``, the probability that such a result beats the best error public by then.
Both are the forecast given a positive error, as the backtest scores it: ``p_nonpositive`` is
the share of draws left out for an error at or below zero (the exponential form is a straight
line in error points and can cross zero).

May import: :mod:`analysis.data`, :mod:`analysis.models`, :mod:`analysis.projection` and
:mod:`analysis.checks` (it belongs to the checks stage).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import data
from analysis.models import frontier as fm
from analysis.models.diagnostics import DiagnosticsError
from analysis.projection import frontier as fp

INPUT_COLUMNS = ("benchmark", "date", "measure", "log10_compute")
QUANTILES = {"error_q05": 0.05, "error_q25": 0.25, "error_q50": 0.5, "error_q75": 0.75,
             "error_q95": 0.95}  # fmt: skip
SEED = 2020


class ForecastInputError(ValueError):
    """A row of the forecast input that cannot be forecast; the message names file, line, column."""


def _fail(path: Path, line: int, column: str, value: object, problem: str) -> None:
    raise ForecastInputError(
        f"{path}, line {line}, column {column!r}: {problem} (value: {value!r})"
    )


def read_input(path: Path, cutoff: float, series_of: dict[str, str]) -> pd.DataFrame:
    """The forecast rows, each checked; an error names the file, line, column and value."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in INPUT_COLUMNS if c not in frame.columns]
    if missing:
        _fail(path, 1, ",".join(missing), ",".join(frame.columns), "missing columns")
    rows = []
    for i, row in frame.iterrows():
        line = int(i) + 2
        if row["benchmark"] not in series_of:
            known = ", ".join(sorted(series_of))
            _fail(path, line, "benchmark", row["benchmark"], f"not a fitted benchmark ({known})")
        if row["measure"] not in fm.MEASURES:
            _fail(path, line, "measure", row["measure"], f"not one of {', '.join(fm.MEASURES)}")
        try:
            year = data.decimal_year(str(pd.Timestamp(row["date"]).date()))
        except ValueError:
            _fail(path, line, "date", row["date"], "not a date (YYYY-MM-DD)")
        if year < cutoff:
            _fail(path, line, "date", row["date"], "before the cutoff")
        try:
            x = float(row["log10_compute"])
        except ValueError:
            _fail(path, line, "log10_compute", row["log10_compute"], "not a number")
        if not 10.0 <= x <= 35.0:
            _fail(path, line, "log10_compute", x, "outside 10-35 (log10 FLOP)")
        rows.append({**row.to_dict(), "series": series_of[row["benchmark"]], "year": year, "x": x})
    return pd.DataFrame(rows)


def fit_at(cutoff: float) -> tuple[dict[str, fm.FrontierFit], dict[str, float], pd.DataFrame]:
    """The frontier forms fitted on rows public before ``cutoff``, their weights, the rows."""
    from analysis.checks import frontier_backtest as bt

    rows, _ = fp.headline_rows()
    train, _ = bt.split(rows, cutoff)
    fits = {}
    for form in fm.FRONTIER_FORMS:
        try:
            fits[form] = fm.fit_frontier(train, form, bt.SETTINGS, label="frontier-backtest")
        except DiagnosticsError as error:
            print(f"left out: {error}".splitlines()[-1], file=sys.stderr)
    if not fits:
        raise ValueError(f"no frontier form passed the diagnostics gate at cutoff {cutoff}")
    stored = bt.read_report()["stacking_weights"] if bt.REPORT.exists() else {}
    weights = stored.get(bt.cutoff_label(cutoff)) or {}
    weights = {f: w for f, w in weights.items() if f in fits} or {f: 1 / len(fits) for f in fits}
    total = sum(weights.values())
    return fits, {f: w / total for f, w in weights.items()}, train


def forecast(
    requests: pd.DataFrame, fits: dict[str, fm.FrontierFit], weights: dict[str, float],
    best_error: dict[str, float],
) -> pd.DataFrame:  # fmt: skip
    """Predictive quantiles and the chance of a new record for every request row."""
    rng = np.random.default_rng(SEED)
    out = []
    for _, row in requests.iterrows():
        draws = {}
        for form, fit in fits.items():
            post = fit.draws(row["series"])
            x_unit = row["x"] - fit.offset(row["measure"])
            value = fp.predictive_response(post, x_unit, row["year"], rng)
            draws[form] = fm.error_from_response(form, value, post["floor"].to_numpy())
        mixed = fp.mixture(draws, weights, SEED)
        positive = mixed[mixed > 0]
        entry = {c: row[c] for c in INPUT_COLUMNS}
        entry.update({name: float(np.quantile(positive, q)) for name, q in QUANTILES.items()})
        entry["p_new_record"] = fp.p_beats(positive, best_error[row["series"]])
        entry["p_nonpositive"] = float(1.0 - len(positive) / len(mixed))
        out.append(entry)
    return pd.DataFrame(out)


def parse_cutoff(text: str) -> float:
    """A cutoff date as a decimal year."""
    return data.decimal_year(str(pd.Timestamp(text).date()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cutoff", required=True, help="YYYY-MM-DD: fit on rows public before it")
    parser.add_argument("--input", required=True, type=Path)
    parser.add_argument("--output", required=True, type=Path)
    args = parser.parse_args(argv)
    try:
        cutoff = parse_cutoff(args.cutoff)
        fits, weights, _ = fit_at(cutoff)
        fitted = sorted(set.intersection(*(set(f.series) for f in fits.values())))
        series_of = {s.split("/")[0]: s for s in fitted}
        requests = read_input(args.input, cutoff, series_of)
        best = _best_before(cutoff)
        result = forecast(requests, fits, weights, best)
    except (ForecastInputError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    result.to_csv(args.output, index=False, float_format="%.6g")
    print(f"wrote {args.output}: {len(result)} forecasts from the fit at {args.cutoff}")
    return 0


def _best_before(cutoff: float) -> dict[str, float]:
    """The best error public before ``cutoff`` on every series (all results, with or without
    compute)."""
    primary = data.primary_results(data.load_tables())
    before = primary[(primary["year"] < cutoff) & primary["error"].gt(0)]
    return before.groupby("series")["error"].min().to_dict()


if __name__ == "__main__":
    raise SystemExit(main())
