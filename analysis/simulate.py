"""Simulated fit tables with known parameters, shaped exactly like ``dataset.fit_table(...).rows``.

Used by the tests (parameter recovery, shapes, cache logic) and to develop the models without the
curated data. Every simulated value is drawn from a seeded generator; nothing here is real data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.forms import Form, error_from_response

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
