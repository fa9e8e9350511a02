"""Vintage-correct, rolling-origin backtest of the frontier model and its baselines.

At each cutoff the models are refitted on the rows public before it (``year`` is the decimal
year of the day the score became public) and forecast every later row of a series they saw:

* ``all``: every later result, at the compute and date it used (a new paper's predictive, or the
  paper's own gap when the paper was already in the fit);
* ``records``: the later results that set a record on their series;
* ``headline_quantity``: for those records, the log10 compute at which a result reaches the
  record's error on its date, against the compute the record used.

Papers are the unit: coverage and CRPS (log10 scale) are averaged within each paper first, then
over papers (pooled over cutoffs: over cutoff-paper pairs). Models: ``headline`` (the forms
stacked with weights estimated from the earlier cutoffs only), each form alone, and the
baselines ``ols`` (the study's per-series least squares, no time), ``mean_line`` (the
hierarchical mean-line model) and ``no_progress`` (the headline frontier frozen at the cutoff).

Run ``python -m analysis.checks.frontier_backtest`` to write ``reports/backtest.json``.

May import: :mod:`analysis.data`, :mod:`analysis.models`, :mod:`analysis.projection`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.models import cache
from analysis.models import frontier as fm
from analysis.models.diagnostics import DiagnosticsError
from analysis.paths import REPO_ROOT
from analysis.projection import frontier as fp

CUTOFFS: tuple[float, ...] = (2016.0, 2017.0, 2018.0, 2019.0, 2020.0, 2020.5)
"""End of 2015 to end of 2019, and mid-2020 (the study's v1)."""
TARGETS = ("all", "records", "headline_quantity")
BASELINES = ("ols", "mean_line", "no_progress")
REPORT = REPO_ROOT / "reports" / "backtest.json"
N_DRAWS = 2000
SEED = 2020
SETTINGS = fm.DEFAULT_SETTINGS
"""Refits sample as the headline fits do (two chains were tried: early cutoffs, with few papers
per task, then fail the gate)."""


def cutoff_label(cutoff: float) -> str:
    """A cutoff as the date it stands for (2016.0 -> 2016-01-01, 2020.5 -> 2020-07-01)."""
    year = int(cutoff)
    return f"{year}-07-01" if cutoff - year >= 0.5 else f"{year}-01-01"


def data_digest(rows: pd.DataFrame) -> str:
    """A digest of the rows the backtest reads: a stale report fails the book's check."""
    columns = ["result_id", "series", "error", "year", "log10_compute", "is_frontier"]
    text = rows[columns].sort_values("result_id").to_csv(index=False, float_format="%.10g")
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def split(rows: pd.DataFrame, cutoff: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Eligible training rows public before ``cutoff`` and the later rows of their series."""
    train, _ = fm.eligible(rows[rows["year"] < cutoff])
    later = rows[(rows["year"] >= cutoff) & rows["series"].isin(set(train["series"]))]
    return train, later.reset_index(drop=True)


# --- scoring ------------------------------------------------------------------------------


def crps(draws: np.ndarray, observed: float) -> float:
    """CRPS of a sample forecast: E|X - y| - E|X - X'| / 2 (sorted-sample formula)."""
    x = np.sort(np.asarray(draws, dtype=float))
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return float("nan")
    n = len(x)
    spread = np.sum((2 * np.arange(1, n + 1) - n - 1) * x) / (n * n)
    return float(np.mean(np.abs(x - observed)) - spread)


def score(draws: np.ndarray, observed: float) -> dict[str, float]:
    """Interval hits, PIT and CRPS of one forecast (``draws`` and ``observed`` on one scale).

    Every score reads the finite draws: a draw of an error at or below zero (log10 -inf; the
    exponential form is linear in error points and can cross zero) or of a target no compute
    reaches (+inf) has no place on the log scale, so the forecast is scored conditional on a
    positive error or a reachable target, and ``nonfinite`` records the share left out. A NaN
    draw is a bug and raises."""
    draws = np.asarray(draws, dtype=float)
    if np.isnan(draws).any():
        raise ValueError(f"{int(np.isnan(draws).sum())} forecast draws are NaN")
    finite = draws[np.isfinite(draws)]
    nonfinite = 1.0 - len(finite) / len(draws) if len(draws) else float("nan")
    if len(finite) == 0:
        nan = float("nan")
        return {"in50": 0.0, "in90": 0.0, "pit": nan, "crps": nan, "nonfinite": nonfinite}
    q = np.quantile(finite, [0.05, 0.25, 0.75, 0.95])
    return {
        "in50": float(q[1] <= observed <= q[2]),
        "in90": float(q[0] <= observed <= q[3]),
        "pit": float(np.mean(finite <= observed)),
        "crps": crps(finite, observed),
        "nonfinite": nonfinite,
    }


def summarise(scores: pd.DataFrame) -> dict[str, float | int]:
    """Paper-weighted coverage and CRPS of scored rows (one unit = one cutoff and paper)."""
    if scores.empty:
        return {
            "n": 0,
            "papers": 0,
            "coverage_50": None,
            "coverage_90": None,
            "crps": None,
            "nonfinite_share": None,
        }
    columns = ["in50", "in90", "crps", "nonfinite"]
    per_unit = scores.groupby(["cutoff", "paper_id"])[columns].mean()
    return {
        "n": len(scores),
        "papers": int(scores["paper_id"].nunique()),
        "coverage_50": float(per_unit["in50"].mean()),
        "coverage_90": float(per_unit["in90"].mean()),
        "crps": float(per_unit["crps"].mean()),
        "nonfinite_share": float(per_unit["nonfinite"].mean()),
    }


def units(scores: pd.DataFrame) -> int:
    """The cutoff-paper units :func:`summarise` averages over."""
    return int(scores.groupby(["cutoff", "paper_id"]).ngroups) if len(scores) else 0


def chance_band(n_units: int, nominal: float, level: float = 0.95) -> tuple[float, float]:
    """The central ``level`` range of the pooled coverage a calibrated forecaster shows over
    ``n_units`` cutoff-paper units, each wholly inside or outside its interval (the widest
    case: results of one paper and cutoff miss together)."""
    from scipy import stats

    if n_units < 1:
        raise ValueError(f"a coverage over {n_units} units has no sampling range")
    tail = (1 - level) / 2
    lo, hi = stats.binom.ppf([tail, 1 - tail], n_units, nominal)
    return float(lo) / n_units, float(hi) / n_units


# --- forecasts ----------------------------------------------------------------------------


Forecaster = Callable[[pd.Series, str], np.ndarray]
"""(row, target) -> forecast draws: log10 error for 'all'/'records', log10 compute otherwise."""


def _frontier_forecaster(fit: fm.FrontierFit, cutoff: float, frozen: bool) -> Forecaster:
    rng = np.random.default_rng(SEED)

    def forecast(row: pd.Series, target: str) -> np.ndarray:
        draws = fit.draws(row["series"]).iloc[:N_DRAWS]
        year = min(row["year"], cutoff) if frozen else row["year"]
        group = fm.row_group_key(row)
        gap = fit.group_gap(group)
        offset = fit.offset(row["measure"])[: len(draws)]
        x_unit = row["log10_compute"] - offset
        value = fp.predictive_response(draws, x_unit, year, rng, gap)
        floor = draws["floor"].to_numpy()
        if target == "headline_quantity":
            noise = value - fp.frontier_response(draws, x_unit, year)
            x = fp.frontier_log10_compute(draws, fit.form, row["error"], year, shift=noise)
            return x + offset
        return fm.log10_positive(fm.error_from_response(fit.form, value, floor))

    return forecast


def _mixed_forecaster(parts: dict[str, Forecaster], weights: dict[str, float]) -> Forecaster:
    def forecast(row: pd.Series, target: str) -> np.ndarray:
        draws = {form: f(row, target) for form, f in parts.items()}
        return fp.mixture(draws, weights, SEED)

    return forecast


def _ols_forecaster(train: pd.DataFrame) -> Forecaster:
    """The study's per-series least squares of log10 error on log10 compute; t predictive."""
    rng = np.random.default_rng(SEED)
    fits = {}
    for series, g in train.groupby("series"):
        x, y = g["log10_compute"].to_numpy(), np.log10(g["error"].to_numpy())
        if len(g) < 3 or np.ptp(x) == 0:
            continue
        X = np.column_stack([np.ones_like(x), x])
        beta, *_ = np.linalg.lstsq(X, y, rcond=None)
        resid = y - X @ beta
        dof = len(y) - 2
        s2 = float(resid @ resid / dof)
        fits[series] = (beta, s2, np.linalg.inv(X.T @ X), dof)

    def forecast(row: pd.Series, target: str) -> np.ndarray:
        if row["series"] not in fits:
            return np.array([])
        beta, s2, xtx_inv, dof = fits[row["series"]]
        draws_t = rng.standard_t(dof, N_DRAWS)
        if target == "headline_quantity":
            noise = np.sqrt(s2) * draws_t
            return (
                (np.log10(row["error"]) - beta[0] - noise) / beta[1]
                if beta[1] < 0
                else np.full(N_DRAWS, np.inf)
            )
        v = np.array([1.0, row["log10_compute"]])
        sd = np.sqrt(s2 * (1 + v @ xtx_inv @ v))
        return v @ beta + sd * draws_t

    return forecast


def _mean_line_forecaster(train: pd.DataFrame) -> Forecaster:
    """The hierarchical mean-line model (polynomial, no trend), as the book fitted it before."""
    from analysis.checks.backtest import hierarchical_fit
    from analysis.projection.extrapolate import SeriesPosterior

    fit = hierarchical_fit(train, "polynomial")
    rng = np.random.default_rng(SEED)

    def forecast(row: pd.Series, target: str) -> np.ndarray:
        if row["series"] not in fit.series:
            return np.array([])
        post = SeriesPosterior.from_fit(fit, row["series"], max_draws=N_DRAWS)
        intercept = post.draws["intercept"].to_numpy(dtype=float)
        slope = post.draws["slope"].to_numpy(dtype=float)
        noise = post.noise(rng)
        if target == "headline_quantity":
            with np.errstate(divide="ignore", invalid="ignore"):
                x = post.x0 + (np.log10(row["error"]) - intercept - noise) / slope
            return np.where(slope < 0, x, np.inf)
        return intercept + slope * (row["log10_compute"] - post.x0) + noise

    return forecast


# --- the backtest -------------------------------------------------------------------------


@dataclass
class BacktestRun:
    """Scored rows of every model and target, the weights per cutoff, and timings."""

    scores: pd.DataFrame
    weights: dict[str, dict[str, float]]
    final_weights: dict[str, float]
    densities: pd.DataFrame
    fits: list[dict[str, object]]
    seconds: float


def _score_rows(
    later: pd.DataFrame, forecasters: dict[str, Forecaster], cutoff: float
) -> list[dict[str, object]]:
    out = []
    for _, row in later.iterrows():
        targets = ["all"] + (["records", "headline_quantity"] if row["is_frontier"] else [])
        for target in targets:
            observed = (
                row["log10_compute"] if target == "headline_quantity" else np.log10(row["error"])
            )
            for model, forecast in forecasters.items():
                draws = forecast(row, target)
                if len(draws) == 0:
                    continue
                out.append(
                    {
                        "cutoff": cutoff,
                        "target": target,
                        "model": model,
                        "result_id": row["result_id"],
                        "paper_id": row["paper_id"],
                        "series": row["series"],
                        **score(draws, observed),
                    }
                )
    return out


def _form_log_densities(fits: dict[str, fm.FrontierFit], later: pd.DataFrame) -> pd.DataFrame:
    """Leave-future-out log density of every later row under each form (for stacking)."""
    rows = []
    for _, row in later.iterrows():
        entry = {"result_id": row["result_id"]}
        for form, fit in fits.items():
            draws = fit.draws(row["series"]).iloc[:N_DRAWS]
            dens = fp.log10_error_density(
                draws, form, row["log10_compute"], row["year"], row["error"]
            )
            entry[form] = float(np.log(max(dens, 1e-300)))
        rows.append(entry)
    return pd.DataFrame(rows)


def weights_from_densities(past: list[pd.DataFrame], forms: tuple[str, ...]) -> dict[str, float]:
    """Stacking weights of ``forms`` from the leave-future-out densities of earlier cutoffs
    (rows where every form that was ever scored has a density; a form never scored gets 0);
    equal weights before any."""
    every = pd.concat(past, ignore_index=True) if past else pd.DataFrame()
    scored = [f for f in forms if f in every and every[f].notna().any()]
    usable = every[scored].dropna() if scored else pd.DataFrame()
    if len(usable) == 0:
        return {f: 1.0 / len(forms) for f in forms}
    w = dict(zip(scored, fp.stacking_weights(usable.to_numpy()), strict=True))
    return {f: float(w.get(f, 0.0)) for f in forms}


def run(
    rows: pd.DataFrame,
    cutoffs: Iterable[float] = CUTOFFS,
    forms: Iterable[fm.FrontierForm] = fm.FRONTIER_FORMS,
    settings: fm.FrontierSettings = SETTINGS,
    with_mean_line: bool = True,
) -> BacktestRun:
    """Refit at every cutoff, forecast the later rows, score every model and target."""
    start = time.perf_counter()
    forms = tuple(forms)
    scored: list[dict[str, object]] = []
    weights: dict[str, dict[str, float]] = {}
    fit_log: list[dict[str, object]] = []
    past_density: list[pd.DataFrame] = []
    for cutoff in cutoffs:
        train, later = split(rows, cutoff)
        if train.empty or later.empty:
            continue
        fits = {}
        for form in forms:
            entry = {"cutoff": cutoff_label(cutoff), "form": form, "rows": len(train)}
            try:
                fit = fm.fit_frontier(train, form, settings, label="frontier-backtest")
            except DiagnosticsError as error:
                fit_log.append(entry | {"passed": False, "reason": str(error).splitlines()[-1]})
                continue
            fits[form] = fit
            fit_log.append(
                entry
                | {"passed": True, "seconds": round(fit.seconds, 1), "cache_hit": fit.cache_hit}
            )
        if not fits:
            continue
        w = weights_from_densities(past_density, tuple(fits))
        weights[cutoff_label(cutoff)] = {k: round(float(v), 4) for k, v in w.items()}
        parts = {
            form: _frontier_forecaster(fit, cutoff, frozen=False) for form, fit in fits.items()
        }
        frozen = {
            form: _frontier_forecaster(fit, cutoff, frozen=True) for form, fit in fits.items()
        }
        forecasters: dict[str, Forecaster] = {
            "headline": _mixed_forecaster(parts, w),
            **parts,
            "no_progress": _mixed_forecaster(frozen, w),
            "ols": _ols_forecaster(train),
        }
        if with_mean_line:
            try:
                forecasters["mean_line"] = _mean_line_forecaster(train)
            except DiagnosticsError as error:
                reason = str(error).splitlines()[-1]
                fit_log.append({"cutoff": cutoff_label(cutoff), "form": "mean_line",
                                "rows": len(train), "passed": False, "reason": reason})  # fmt: skip
        scored.extend(_score_rows(later, forecasters, cutoff))
        past_density.append(_form_log_densities(fits, later))
    final_weights = {f: round(v, 4) for f, v in weights_from_densities(past_density, forms).items()}
    return BacktestRun(
        scores=pd.DataFrame(scored),
        weights=weights,
        final_weights=final_weights,
        densities=pd.concat(past_density, ignore_index=True) if past_density else pd.DataFrame(),
        fits=fit_log,
        seconds=time.perf_counter() - start,
    )


def cutoffs_not_scored(fits: list[dict[str, object]]) -> list[str]:
    """Cutoffs of a run's fit log at which every frontier form failed the diagnostics gate:
    nothing was forecast there, so the pooled scores leave out their later results."""
    frontier = [f for f in fits if f["form"] in fm.FRONTIER_FORMS]
    passed = {f["cutoff"] for f in frontier if f.get("passed")}
    return [str(c) for c in dict.fromkeys(f["cutoff"] for f in frontier) if c not in passed]


def _code_modules() -> list[object]:
    """The modules whose code decides a backtest run's result."""
    from analysis.checks import backtest
    from analysis.models import diagnostics, fit, scaling
    from analysis.projection import extrapolate

    here = sys.modules[__name__]
    return [here, fm, fp, backtest, diagnostics, fit, scaling, extrapolate]


def cached_run(
    rows: pd.DataFrame,
    cutoffs: Iterable[float] = CUTOFFS,
    forms: Iterable[fm.FrontierForm] = fm.FRONTIER_FORMS,
    settings: fm.FrontierSettings = SETTINGS,
) -> tuple[BacktestRun, bool]:
    """:func:`run`, computed once per data, code and settings and then read from the posterior
    cache (every chapter that shows the backtest or its stacking weights reads it): (run, hit)."""
    cutoffs, forms = tuple(cutoffs), tuple(forms)
    key = cache.cache_key(
        rows,
        cache.source_digest(_code_modules()),
        {"cutoffs": cutoffs, "forms": forms, **settings.key()},
    )
    return cache.cached_value(
        key, lambda: run(rows, cutoffs, forms, settings), label="frontier-backtest-run"
    )


def report_rows(scores: pd.DataFrame) -> list[dict[str, object]]:
    """One row per cutoff (and pooled), target and model, as ``reports/backtest.json`` lists."""
    out = []
    if scores.empty:
        return out
    for (target, model), group in scores.groupby(["target", "model"], sort=True):
        for cutoff, part in group.groupby("cutoff", sort=True):
            out.append(
                {
                    "cutoff": cutoff_label(cutoff),
                    "target": target,
                    "model": model,
                    **summarise(part),
                }
            )
        out.append({"cutoff": "pooled", "target": target, "model": model, **summarise(group)})
    return out


def paired_crps_differences(
    scores: pd.DataFrame, target: str, model: str = "headline", n_boot: int = 4000
) -> list[dict[str, object]]:
    """Per baseline: ``model``'s CRPS minus the baseline's on the forecasts both made, averaged
    over cutoff-paper units, with a 90% interval from resampling the units (a positive mean:
    the baseline forecast better; an interval holding zero: the backtest cannot tell them apart).
    """
    part = scores[scores["target"] == target]
    wide = part.pivot_table(
        index=["cutoff", "paper_id", "result_id"], columns="model", values="crps", aggfunc="mean"
    )
    rng = np.random.default_rng(SEED)
    out = []
    for baseline in BASELINES:
        if model not in wide or baseline not in wide:
            continue
        both = wide[[model, baseline]].dropna()
        if both.empty:
            continue
        units = (both[model] - both[baseline]).groupby(level=["cutoff", "paper_id"]).mean()
        values = units.to_numpy()
        boot = rng.choice(values, size=(n_boot, len(values))).mean(axis=1)
        lo, hi = np.quantile(boot, [0.05, 0.95])
        out.append(
            {
                "target": target, "model": model, "baseline": baseline, "n": len(both),
                "units": len(values), "crps_difference": float(values.mean()),
                "lo": float(lo), "hi": float(hi),
            }
        )  # fmt: skip
    return out


def pit_histogram(scores: pd.DataFrame, target: str = "all", model: str = "headline") -> list[int]:
    """Counts of PIT values in ten equal bins (flat when calibrated)."""
    if scores.empty:
        return [0] * 10
    pit = scores.loc[(scores["target"] == target) & (scores["model"] == model), "pit"].dropna()
    counts, _ = np.histogram(pit, bins=10, range=(0.0, 1.0))
    return [int(c) for c in counts]


def write_report(
    run_result: BacktestRun,
    rows: pd.DataFrame,
    measure: str,
    path: Path = REPORT,
    headline_weights: dict[str, float] | None = None,
) -> Path:
    """Write ``reports/backtest.json`` (rows, weights, PIT histogram, digest of the data);
    ``headline_weights``: the weights of the forms the headline stacks (default: every form
    over the later results all of them scored, :attr:`BacktestRun.final_weights`)."""
    weights = run_result.final_weights if headline_weights is None else headline_weights
    payload = {
        "measure": measure,
        "data_digest": data_digest(rows),
        "cutoffs": [cutoff_label(c) for c in CUTOFFS],
        "stacking_weights": run_result.weights,
        "headline_weights": {form: round(float(w), 4) for form, w in weights.items()},
        "pit_all_headline": pit_histogram(run_result.scores),
        "pit_records_headline": pit_histogram(run_result.scores, "records"),
        "fits": run_result.fits,
        "seconds": round(run_result.seconds, 1),
        "rows": report_rows(run_result.scores),
        "crps_differences": [
            row for target in TARGETS for row in paired_crps_differences(run_result.scores, target)
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=1) + "\n")
    return path


def read_report(path: Path = REPORT) -> dict:
    """The committed backtest report."""
    return json.loads(Path(path).read_text())


def main(argv: list[str] | None = None) -> int:
    """Run the backtest on the book's headline rows and write the report."""
    from analysis.projection.frontier import headline_rows

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    rows, measure = headline_rows()
    result = run(rows)
    stacked = tuple(fp.fit_forms(rows)[0])
    weights = weights_from_densities([result.densities], stacked)
    write_report(result, rows, measure, args.output, headline_weights=weights)
    print(f"wrote {args.output} ({len(result.scores)} scores, {result.seconds:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
