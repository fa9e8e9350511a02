"""The hierarchical scaling model in PyMC, its priors and its design (the arrays fed to it).

One joint model per (functional form, time trend, likelihood) covers every task and benchmark series
in the rows given: series intercepts, slopes (and yearly trends) are partially pooled within their
task, and tasks under a field-wide hyperprior (non-centred). The response is
``forms.response(form, error)``; x is log10 training FLOP. Inside the sampler each series is centred
at its own mean compute and year (better geometry); the stored ``intercept`` is moved to the
fit-wide ``x0`` and ``year0``, so the mean response is
``forms.mean_response(form, intercept + trend * (year - year0), slope, x, x0)``.

The source text of the functions in :data:`MODEL_CODE` and of the design updates is part of
every posterior cache key (:func:`model_source`): editing them re-samples every fit.

Part of the models stage; imports vocab and data only.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import xarray as xr
from scipy import stats

from analysis.vocab.forms import FORMS, Form, response

Likelihood = Literal["normal", "student"]
LIKELIHOODS: tuple[Likelihood, ...] = ("normal", "student")
REQUIRED_COLUMNS = ("result_id", "task", "series", "error", "year", "log10_compute")


@dataclass(frozen=True)
class PriorScale:
    """Scale of the response under one form: priors are written in units of ``scale``."""

    scale: float
    unit: str


PRIOR_SCALES: dict[str, PriorScale] = {
    # log10(error in %): 0.5 spans a factor ~3 in error; a slope of -0.5 per decade would be
    # a 3x error fall per 10x compute, far steeper than any published scaling.
    "polynomial": PriorScale(scale=0.5, unit="log10(error %)"),
    # error in percentage points: 15 points per decade of compute is steep for any benchmark.
    "exponential": PriorScale(scale=15.0, unit="error percentage points"),
}


SD_PRIOR_SHAPE = 4.0


# ---------------------------------------------------------------------------------------------
# Model code: the source of everything from here to the end-marker is part of the cache key.


def _mixed_normal(name: str, parent: Any, sd: Any, centred: Any, dims: str) -> Any:
    """Normal(parent, sd) per slot, centred where ``centred`` is 1 and non-centred where 0.

    Both are the same prior; the centred form suits groups whose data pin them down, the
    non-centred form groups with little or no data (including padding slots).
    """
    import pymc as pm

    raw = pm.Normal(
        f"{name}_raw", mu=centred * parent, sigma=centred * sd + (1 - centred), dims=dims
    )
    return pm.Deterministic(name, centred * raw + (1 - centred) * (parent + sd * raw), dims=dims)


def _sd_prior(name: str, mean: Any) -> Any:
    """Gamma(4, 4/mean): mean ``mean``, 95% within about 0.27-2.2 x mean.

    Zero-avoiding (Chung et al. 2013): with a handful of tasks or benchmarks the data cannot
    tell a spread near zero from a moderate one, and a prior with mass at zero sends the sampler
    into the funnel; this one states the plausible scale of between-group differences instead.
    """
    import pymc as pm

    return pm.Gamma(name, alpha=SD_PRIOR_SHAPE, beta=SD_PRIOR_SHAPE / mean)


def _pooled(
    name: str,
    field_mean: Any,
    field_sd: Any,
    sd_mean: Any,
    task_of_series: Any,
    has_siblings: Any,
    centred_series: Any,
    centred_task: Any,
) -> Any:
    """Field -> task -> series partial pooling; returns the series-level values."""
    import pymc as pm

    field_value = pm.Normal(f"{name}_field", mu=field_mean, sigma=field_sd)
    task_sd = _sd_prior(f"{name}_task_sd", sd_mean)
    series_sd = _sd_prior(f"{name}_series_sd", sd_mean)
    task_value = _mixed_normal(f"{name}_task", field_value, task_sd, centred_task, "task_slot")
    # The only series of a task *is* the task (no within-task spread to learn): sd 0 there.
    return _mixed_normal(
        f"{name}_series",
        task_value[task_of_series],
        series_sd * has_siblings,
        centred_series,
        "series_slot",
    )


def _scaling_part(
    x_local: Any,
    n_series: int,
    n_tasks: int,
    trend: bool,
    likelihood: str,
    x_var: Any = None,
) -> None:
    """Priors and likelihood of the response given centred log compute.

    ``x_var``: variance of a latent compute around ``x_local`` (measurement-error model); the
    response's sd then becomes sqrt(sigma^2 + slope^2 * x_var), the exact marginal for a normal.
    """
    import pymc as pm

    y = pm.Data("y", np.zeros(2))
    year_local = pm.Data("year_local", np.zeros(2))
    series_index = pm.Data("series_index", np.zeros(2, dtype="int64"))
    task_of_series = pm.Data("task_of_series", np.zeros(n_series, dtype="int64"))
    centred = pm.Data("centred", np.zeros(n_series))
    has_siblings = pm.Data("has_siblings", np.zeros(n_series))
    centred_task = pm.Data("centred_task", np.zeros(n_tasks))
    center = pm.Data("prior_center", 1.0)
    scale = pm.Data("prior_scale", 1.0)

    # Intercepts (at each series' own mean compute) differ by benchmark and metric, which
    # are not exchangeable: each series gets its own weakly informative prior, unpooled.
    intercept = pm.Normal("intercept_local_series", mu=center, sigma=2 * scale, dims="series_slot")
    slope = _pooled(
        "slope", 0.0, scale, scale / 4, task_of_series, has_siblings, centred, centred_task
    )
    mu = intercept[series_index] + slope[series_index] * x_local
    if trend:
        yearly = _pooled(
            "trend", 0.0, scale / 4, scale / 16, task_of_series, has_siblings, centred, centred_task
        )
        mu = mu + yearly[series_index] * year_local
    sigma = pm.HalfNormal("sigma", sigma=scale, dims="series_slot")
    sd = sigma[series_index]
    if x_var is not None:
        sd = (sd**2 + slope[series_index] ** 2 * x_var) ** 0.5
    if likelihood == "normal":
        pm.Normal("obs", mu=mu, sigma=sd, observed=y)
    else:
        nu = pm.Gamma("nu", alpha=2.0, beta=0.1)
        pm.StudentT("obs", nu=nu, mu=mu, sigma=sd, observed=y)


def build_model(n_series: int, n_tasks: int, trend: bool, likelihood: Likelihood) -> Any:
    """The PyMC model for one structure; all data enter through ``pm.Data``."""
    import pymc as pm

    coords = {"series_slot": np.arange(n_series), "task_slot": np.arange(n_tasks)}
    with pm.Model(coords=coords) as model:
        x_local = pm.Data("x_local", np.zeros(2))
        _scaling_part(x_local, n_series, n_tasks, trend, likelihood)
    return model


LATENT_PRIOR = (20.0, 4.0)
"""Prior mean and sd of a result's latent log10 training FLOP (1e12 to 1e28 within 2 sd)."""


def _latent_moments(
    bias: Any, noise: Any, value: Any, result: Any, measure: Any, task: Any, n_results: Any, xp: Any
) -> tuple[Any, Any, Any]:
    """Mean, variance and log marginal density of the observed measures, per result.

    Given the bias and noise of each measure, a result's latent compute c has a normal posterior
    from its prior and its observations o_k = c + bias + noise: precision P = 1/s0^2 + sum 1/n_k^2,
    mean m = (c0/s0^2 + sum (o_k - b_k)/n_k^2) / P. ``xp`` is numpy or pytensor.tensor; the
    latent is integrated out exactly rather than sampled.
    """
    prior_mean, prior_sd = LATENT_PRIOR
    shift = value - bias[..., measure, task]
    weight = 1.0 / noise[..., measure] ** 2
    lead = shift.shape[:-1]
    if xp is np:
        precision = np.zeros((*lead, n_results))
        total = np.zeros((*lead, n_results))
        np.add.at(precision, (..., result), weight)
        np.add.at(total, (..., result), weight * shift)
    else:
        precision = xp.inc_subtensor(xp.zeros(n_results)[result], weight)
        total = xp.inc_subtensor(xp.zeros(n_results)[result], weight * shift)
    precision = precision + 1.0 / prior_sd**2
    mean = (total + prior_mean / prior_sd**2) / precision
    variance = 1.0 / precision
    resid = shift - mean[..., result]
    log_obs = -0.5 * (resid**2 * weight - xp.log(weight) + np.log(2 * np.pi))
    log_prior = -0.5 * ((mean - prior_mean) ** 2 / prior_sd**2 + np.log(2 * np.pi * prior_sd**2))
    log_post = 0.5 * xp.log(precision / (2 * np.pi))
    log_marginal = xp.sum(log_obs) + xp.sum(log_prior) - xp.sum(log_post)
    return mean, variance, log_marginal


def build_measurement_model(
    n_series: int,
    n_tasks: int,
    measures: tuple[str, ...],
    trend: bool,
    likelihood: Likelihood,
) -> Any:
    """Scaling model on a latent training compute per result, observed through the measures.

    log10 FLOP of measure m for result i ~ Normal(latent_i + bias[m, task_i], noise[m]); the
    first measure is the reference (bias 0). Biases are per task, so flops_per_pass's bias can
    absorb each task's typical number of training passes.
    The latent compute is integrated out analytically (:func:`_latent_moments`).
    """
    import pymc as pm
    import pytensor.tensor as pt

    coords = {
        "series_slot": np.arange(n_series),
        "task_slot": np.arange(n_tasks),
        "measure": list(measures),
    }
    with pm.Model(coords=coords) as model:
        value = pm.Data("compute_value", np.zeros(2))
        result = pm.Data("compute_result", np.zeros(2, dtype="int64"))
        measure = pm.Data("compute_measure", np.zeros(2, dtype="int64"))
        task = pm.Data("compute_task", np.zeros(2, dtype="int64"))
        centre = pm.Data("x_centre", np.zeros(2))
        free = np.ones(len(measures))
        free[0] = 0.0
        # One bias per (measure, task), each with a wide prior: learned from the task's results
        # that have several measures (cells without such results carry no observation).
        bias_free = pm.Normal("bias_free", mu=0.0, sigma=5.0, dims=("measure", "task_slot"))
        bias = pm.Deterministic("bias", free[:, None] * bias_free, dims=("measure", "task_slot"))
        noise = pm.HalfNormal("noise", sigma=1.0, dims="measure")
        mean, variance, log_marginal = _latent_moments(
            bias, noise, value, result, measure, task, centre.shape[0], pt
        )
        pm.Potential("compute", log_marginal)
        _scaling_part(mean - centre, n_series, n_tasks, trend, likelihood, x_var=variance)
    return model


def _pointwise_loglik(posterior: xr.Dataset, design: Design, likelihood: Likelihood) -> np.ndarray:
    """log p(y_i | draw) on the response scale, shape (chain, draw, n)."""
    mean = _local_mean(posterior, design)
    sigma = posterior["sigma"].values[:, :, design.series_index]
    if design.x_var is not None:
        slope = posterior["slope_series"].values[:, :, design.series_index]
        sigma = np.sqrt(sigma**2 + slope**2 * design.x_var)
    if likelihood == "normal":
        return stats.norm.logpdf(design.y, loc=mean, scale=sigma)
    nu = posterior["nu"].values[:, :, None]
    return stats.t.logpdf(design.y, df=nu, loc=mean, scale=sigma)


def _local_mean(posterior: xr.Dataset, design: Design) -> np.ndarray:
    """Mean response per draw and row, from the sampler's (locally centred) parameters."""
    idx = design.series_index
    mean = (
        posterior["intercept_local_series"].values[:, :, idx]
        + posterior["slope_series"].values[:, :, idx] * design.x_local
    )
    if "trend_series" in posterior:
        mean = mean + posterior["trend_series"].values[:, :, idx] * design.year_local
    return mean


def _global_intercept(posterior: xr.Dataset, design: Design) -> np.ndarray:
    """Series intercepts moved from each series' own centre to (x0, year0)."""
    n = len(design.series)
    intercept = posterior["intercept_local_series"].values[:, :, :n]
    intercept = intercept - posterior["slope_series"].values[:, :, :n] * (design.x_mean - design.x0)
    if "trend_series" in posterior:
        intercept = intercept - posterior["trend_series"].values[:, :, :n] * (
            design.year_mean - design.year0
        )
    return intercept


# End of model code.
# ---------------------------------------------------------------------------------------------

MODEL_CODE = (
    _scaling_part,
    _latent_moments,
    build_measurement_model,
    _mixed_normal,
    _sd_prior,
    _pooled,
    build_model,
    _pointwise_loglik,
    _local_mean,
    _global_intercept,
)


def model_source() -> str:
    """Source of the model code and priors: part of every cache key."""
    sources = [inspect.getsource(function) for function in MODEL_CODE]
    sources += [inspect.getsource(f) for f in (_data_updates, _centring, _slope_standard_errors)]
    sources.append(repr((SD_PRIOR_SHAPE, LATENT_PRIOR)))
    sources.append(repr(sorted((k, asdict(v)) for k, v in PRIOR_SCALES.items())))
    return "\n".join(sources)


@dataclass(frozen=True)
class Design:
    """Arrays fed to the model, derived from the fit rows."""

    form: Form
    y: np.ndarray
    error: np.ndarray
    x: np.ndarray
    year: np.ndarray
    series_index: np.ndarray
    x_local: np.ndarray
    year_local: np.ndarray
    series: list[str]
    tasks: list[str]
    task_of_series: np.ndarray
    x_mean: np.ndarray
    year_mean: np.ndarray
    x0: float
    year0: float
    result_id: list[str]
    x_var: np.ndarray | None = None
    """Variance of a latent compute (measurement-error model only)."""


def validate_rows(rows: pd.DataFrame) -> None:
    """Clear errors for rows the model cannot take."""
    missing = [c for c in REQUIRED_COLUMNS if c not in rows.columns]
    if missing:
        raise ValueError(f"fit rows lack column(s) {missing}")
    if rows.empty:
        raise ValueError("fit rows are empty")
    for column in ("error", "year", "log10_compute"):
        bad = rows.loc[~np.isfinite(rows[column].astype(float)), "result_id"]
        if not bad.empty:
            raise ValueError(f"fit rows: column {column!r} is not finite for {list(bad)[:5]}")
    bad = rows.loc[rows["error"] <= 0, "result_id"]
    if not bad.empty:
        raise ValueError(f"fit rows: column 'error' must be > 0; not so for {list(bad)[:5]}")
    if rows["result_id"].duplicated().any():
        dup = rows.loc[rows["result_id"].duplicated(), "result_id"]
        raise ValueError(f"fit rows: duplicated result_id {list(dup)[:5]}")
    task_per_series = rows.groupby("series")["task"].nunique()
    if (task_per_series > 1).any():
        raise ValueError(
            f"series in several tasks: {list(task_per_series[task_per_series > 1].index)}"
        )


def make_design(rows: pd.DataFrame, form: Form) -> Design:
    """Index series and tasks, centre compute and year per series, compute the response."""
    if form not in FORMS:
        raise ValueError(f"unknown functional form {form!r}; expected one of {FORMS}")
    validate_rows(rows)
    ordered = rows.sort_values(["task", "series", "result_id"], kind="stable")
    tasks = sorted(ordered["task"].unique())
    series = list(ordered["series"].drop_duplicates())
    series_index = ordered["series"].map({s: i for i, s in enumerate(series)}).to_numpy()
    series_task = ordered.drop_duplicates("series").set_index("series")["task"]
    task_of_series = np.array([tasks.index(series_task[s]) for s in series])
    x = ordered["log10_compute"].to_numpy(float)
    year = ordered["year"].to_numpy(float)
    x_mean = ordered.groupby("series", sort=False)["log10_compute"].mean().loc[series].to_numpy()
    year_mean = ordered.groupby("series", sort=False)["year"].mean().loc[series].to_numpy()
    error = ordered["error"].to_numpy(float)
    return Design(
        form=form,
        y=response(form, error),
        error=error,
        x=x,
        year=year,
        series_index=series_index,
        x_local=x - x_mean[series_index],
        year_local=year - year_mean[series_index],
        series=series,
        tasks=tasks,
        task_of_series=task_of_series,
        x_mean=x_mean,
        year_mean=year_mean,
        x0=round(float(np.median(x)), 1),
        year0=float(round(float(np.median(year)))),
        result_id=list(ordered["result_id"]),
    )


def _slots(n: int, step: int = 8) -> int:
    """Padded size of a dimension, so subsets of similar size share one compiled model."""
    return max(step, math.ceil(n / step) * step)


def slot_sizes(design: Design) -> tuple[int, int]:
    """(series slots, task slots) of a design: up to 8 series and 8 tasks share one compile."""
    return _slots(len(design.series)), _slots(len(design.tasks))


def _slope_standard_errors(design: Design) -> np.ndarray:
    """Per-series OLS standard error of the slope (inf with fewer than 3 rows)."""
    errors = np.full(len(design.series), np.inf)
    for s in range(len(design.series)):
        mask = design.series_index == s
        x, y = design.x_local[mask], design.y[mask]
        sxx = float(np.sum((x - x.mean()) ** 2))
        if mask.sum() < 3 or sxx <= 0:
            continue
        beta = np.sum((x - x.mean()) * (y - y.mean())) / sxx
        resid = y - y.mean() - beta * (x - x.mean())
        errors[s] = np.sqrt(np.sum(resid**2) / (mask.sum() - 2) / sxx)
    return errors


def _centring(design: Design, sd_mean: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(has_siblings, centred series, centred tasks): centre a group where its data pin it.

    A group is centred when the data's standard error of its slope is below the prior mean of
    the spread it is drawn with (the likelihood dominates), non-centred otherwise.
    """
    series_per_task = np.bincount(design.task_of_series, minlength=len(design.tasks))
    has_siblings = series_per_task[design.task_of_series] > 1
    se = _slope_standard_errors(design)
    centred_series = has_siblings & (se < sd_mean)
    task_precision = np.zeros(len(design.tasks))
    np.add.at(task_precision, design.task_of_series, 1 / (se**2 + (sd_mean * has_siblings) ** 2))
    centred_task = task_precision > 1 / sd_mean**2
    return has_siblings, centred_series, centred_task


def _data_updates(design: Design, n_series_slots: int, n_task_slots: int) -> dict[str, np.ndarray]:
    """Values for every ``pm.Data`` of :func:`build_model`."""
    prior = PRIOR_SCALES[design.form]
    has_siblings, centred_series, centred_task = _centring(design, prior.scale / 4)

    def padded(values: np.ndarray, size: int, dtype: str = "float64") -> np.ndarray:
        out = np.zeros(size, dtype=dtype)
        out[: len(values)] = values
        return out

    return {
        "centred": padded(centred_series, n_series_slots),
        "centred_task": padded(centred_task, n_task_slots),
        "has_siblings": padded(has_siblings, n_series_slots),
        "y": design.y,
        "x_local": design.x_local,
        "year_local": design.year_local,
        "series_index": design.series_index.astype("int64"),
        "task_of_series": padded(design.task_of_series, n_series_slots, "int64"),
        "prior_center": np.asarray(float(np.median(design.y))),
        "prior_scale": np.asarray(prior.scale),
    }
