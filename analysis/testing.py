"""Stand-ins for tests: simulated fit tables and fits with known parameters.

:func:`simulate_fit_rows` gives tables shaped exactly like ``analysis.data.fit_table(...).rows``;
:class:`SimulatedFit` is a fitted model with known parameters and :class:`ConjugateFit` a fast
exact per-series regression, both satisfying :class:`analysis.projection.extrapolate.FitLike`.
Used by the tests (parameter recovery, shapes, cache logic, backtests) and to develop the models
without the curated data. Every simulated value is drawn from a seeded generator; nothing here is
real data. Sits above the pipeline stages: may import any of them, and none imports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.projection.trends import fit_linear_trend
from analysis.vocab.forms import Form, error_from_response, response

FIT_COLUMNS: tuple[str, ...] = (
    "result_id",
    "paper_id",
    "task",
    "benchmark",
    "metric",
    "series",
    "error",
    "year",
    "date",
    "log10_compute",
    "measure",
    "is_frontier",
)

MEASURES: tuple[str, ...] = (
    "hardware_burden",
    "network_operations",
    "flops_per_pass",
    "epoch_estimate",
)


@dataclass(frozen=True)
class SimulationTruth:
    """The parameters a simulated table was drawn from (per series, at ``x0`` and ``year0``)."""

    form: Form
    x0: float
    year0: float
    intercept: dict[str, float]
    slope: dict[str, float]
    sigma: dict[str, float]
    trend: dict[str, float] = field(default_factory=dict)


def _series_parameters(
    rng: np.random.Generator, form: Form, n_series: int, trend: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Intercepts, slopes, noise sds and yearly trends on the response scale of ``form``."""
    if form == "polynomial":
        intercept = rng.normal(1.2, 0.2, n_series)
        slope = rng.normal(-0.12, 0.04, n_series)
        sigma = rng.uniform(0.04, 0.08, n_series)
        yearly = rng.normal(-0.03, 0.01, n_series) if trend else np.zeros(n_series)
    else:
        intercept = rng.normal(25.0, 4.0, n_series)
        slope = rng.normal(-3.0, 0.8, n_series)
        sigma = rng.uniform(1.0, 2.0, n_series)
        yearly = rng.normal(-0.6, 0.2, n_series) if trend else np.zeros(n_series)
    return intercept, slope, sigma, yearly


def simulate_fit_rows(
    *,
    seed: int = 0,
    form: Form = "polynomial",
    n_tasks: int = 2,
    series_per_task: int = 2,
    rows_per_series: int = 25,
    trend: bool = False,
    measure: str = "hardware_burden",
    x0: float = 18.0,
    year0: float = 2017.0,
) -> tuple[pd.DataFrame, SimulationTruth]:
    """A fit table drawn from the model itself, with the truth it was drawn from."""
    rng = np.random.default_rng(seed)
    n_series = n_tasks * series_per_task
    intercept, slope, sigma, yearly = _series_parameters(rng, form, n_series, trend)
    frames = []
    names = []
    for s in range(n_series):
        task = f"sim-task-{s // series_per_task}"
        benchmark = f"SimBench{s}"
        series = f"{benchmark}/top-1"
        names.append(series)
        x = rng.uniform(x0 - 2.5, x0 + 2.5, rows_per_series)
        year = np.round(rng.uniform(year0 - 4, year0 + 3, rows_per_series), 2)
        mean = intercept[s] + slope[s] * (x - x0) + yearly[s] * (year - year0)
        value = mean + rng.normal(0.0, sigma[s], rows_per_series)
        frames.append(
            pd.DataFrame(
                {
                    "result_id": [f"sim-{s}-{i}" for i in range(rows_per_series)],
                    "paper_id": [f"simpaper-{s}-{i}" for i in range(rows_per_series)],
                    "task": task,
                    "benchmark": benchmark,
                    "metric": "top-1",
                    "series": series,
                    "error": error_from_response(form, value),
                    "year": year,
                    "date": pd.to_datetime(
                        [f"{int(y)}-07-01" for y in np.floor(year)], format="%Y-%m-%d"
                    ),
                    "log10_compute": x,
                    "measure": measure,
                    "is_frontier": False,
                }
            )
        )
    rows = pd.concat(frames, ignore_index=True)
    if (rows["error"] <= 0).any():
        raise ValueError("simulated a non-positive error; choose other parameters or seed")
    truth = SimulationTruth(
        form=form,
        x0=x0,
        year0=year0,
        intercept=dict(zip(names, intercept, strict=True)),
        slope=dict(zip(names, slope, strict=True)),
        sigma=dict(zip(names, sigma, strict=True)),
        trend=dict(zip(names, yearly, strict=True)) if trend else {},
    )
    return rows.loc[:, list(FIT_COLUMNS)], truth


def simulate_compute_long(
    rows: pd.DataFrame,
    *,
    seed: int = 0,
    bias: dict[str, float] | None = None,
    noise: dict[str, float] | None = None,
    keep_probability: float = 0.6,
) -> pd.DataFrame:
    """Noisy observations of each row's ``log10_compute`` under several measures.

    ``rows.log10_compute`` plays the latent training compute; each measure observes it with a
    bias and a noise sd; each (result, measure) pair is kept with ``keep_probability`` (at least one
    measure per result is always kept).
    """
    rng = np.random.default_rng(seed)
    bias = bias or {
        "hardware_burden": 0.5,
        "network_operations": 0.0,
        "flops_per_pass": -7.5,
        "epoch_estimate": 0.1,
    }
    noise = noise or {
        "hardware_burden": 0.3,
        "network_operations": 0.1,
        "flops_per_pass": 0.4,
        "epoch_estimate": 0.2,
    }
    records = []
    for result_id, latent in zip(rows["result_id"], rows["log10_compute"], strict=True):
        keep = rng.random(len(MEASURES)) < keep_probability
        if not keep.any():
            keep[rng.integers(len(MEASURES))] = True
        for measure, kept in zip(MEASURES, keep, strict=True):
            if kept:
                value = latent + bias[measure] + rng.normal(0.0, noise[measure])
                records.append((result_id, measure, value))
    return pd.DataFrame(records, columns=["result_id", "measure", "log10_flops"])


@dataclass(frozen=True)
class SimulatedFit:
    """A stand-in for a fitted model with known parameters (for tests and examples).

    Draws are Normal around the true intercept and slope with the given spreads; sigma is fixed.
    """

    form: Form
    x0: float
    truth: dict[str, tuple[float, float]]  # series -> (intercept, slope)
    sigma: float = 0.05
    spread: float = 0.02
    n_draws: int = 2000
    seed: int = 2020
    year0: float | None = None

    @property
    def series(self) -> list[str]:
        return list(self.truth)

    def series_draws(self, series: str) -> pd.DataFrame:
        intercept, slope = self.truth[series]
        rng = np.random.default_rng([self.seed, len(series), sum(map(ord, series))])
        return pd.DataFrame(
            {
                "intercept": rng.normal(intercept, self.spread, self.n_draws),
                "slope": rng.normal(slope, self.spread, self.n_draws),
                "sigma": np.full(self.n_draws, self.sigma),
            }
        )


@dataclass(frozen=True)
class ConjugateFit:
    """Independent per-series Bayesian linear regressions (flat prior, exact posterior draws).

    A fast stand-in for the hierarchical model (tests; quick looks). Satisfies ``FitLike``.
    """

    form: Form
    x0: float
    year0: float
    draws_by_series: dict[str, pd.DataFrame]

    @property
    def series(self) -> list[str]:
        return list(self.draws_by_series)

    def series_draws(self, series: str) -> pd.DataFrame:
        return self.draws_by_series[series]


def conjugate_fit(
    rows: pd.DataFrame, form: Form, n_draws: int = 1000, seed: int = 2020
) -> ConjugateFit:
    """Fit :class:`ConjugateFit` to fit-table rows (series with fewer than 3 rows are skipped)."""
    x0 = float(rows["log10_compute"].mean())
    draws = {}
    for series, group in rows.groupby("series", sort=True):
        if len(group) < 3:
            continue
        data = pd.DataFrame({"year": group["log10_compute"], "y": response(form, group["error"])})
        trend = fit_linear_trend(str(series), data, pd.DataFrame(), n_draws, seed)
        draws[str(series)] = trend.draws.assign(intercept=trend.mean_at(x0))
    return ConjugateFit(form, x0, float(rows["year"].mean()), draws)
