"""Bayesian hierarchical scaling models of error against training compute (PyMC, sampled by nutpie).

One joint model per (functional form, time trend, likelihood) covers every task and benchmark series
in the rows given: series intercepts, slopes (and yearly trends) are partially pooled within their
task, and tasks under a field-wide hyperprior (non-centred). The response is
``forms.response(form, error)``; x is log10 training FLOP. Inside the sampler each series is centred
at its own mean compute and year (better geometry); the stored ``intercept`` is moved to the
fit-wide ``x0`` and ``year0``, so the mean response is
``forms.mean_response(form, intercept + trend * (year - year0), slope, x, x0)``.

Posteriors are cached (see :mod:`analysis.cache`); every fit passes the diagnostics gate
(:mod:`analysis.diagnostics`) or raises.
"""

from __future__ import annotations

import inspect
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

import arviz as az
import numpy as np
import pandas as pd
import xarray as xr
from scipy import stats

from analysis import cache, diagnostics
from analysis.forms import FORMS, Form, response

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


@dataclass(frozen=True)
class SamplerSettings:
    """nutpie settings; part of every cache key."""

    chains: int = 4
    cores: int = 2
    tune: int = 1000
    draws: int = 1000
    target_accept: float = 0.995
    low_rank: bool = False


DEFAULT_SETTINGS = SamplerSettings()
STRICT_SETTINGS = SamplerSettings(tune=3000, draws=1500, target_accept=0.999)
"""Second attempt for a default-settings fit that fails the gate (smaller steps, longer tuning)."""


def _escalation(settings: SamplerSettings) -> list[SamplerSettings]:
    """Settings to try in turn: the default ones escalate once to :data:`STRICT_SETTINGS`."""
    return [settings, STRICT_SETTINGS] if settings == DEFAULT_SETTINGS else [settings]


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


_COMPILED: dict[tuple[int, int, bool, str], Any] = {}


def compiled_model(n_series_slots: int, n_task_slots: int, trend: bool, likelihood: str) -> Any:
    """nutpie-compiled model for one structure, compiled once per process."""
    key = (n_series_slots, n_task_slots, trend, likelihood)
    if key not in _COMPILED:
        import nutpie

        model = build_model(n_series_slots, n_task_slots, trend, likelihood)
        _COMPILED[key] = nutpie.compile_pymc_model(model)
    return _COMPILED[key]


def _run_nutpie(
    compiled: Any, updates: dict[str, np.ndarray], seed: int, settings: SamplerSettings
) -> az.InferenceData:
    """Feed the data to a compiled model and sample it with nutpie."""
    import nutpie

    compiled = compiled.with_data(**{k: v for k, v in updates.items() if k in compiled.shared_data})
    return nutpie.sample(
        compiled,
        chains=settings.chains,
        cores=settings.cores,
        tune=settings.tune,
        draws=settings.draws,
        target_accept=settings.target_accept,
        low_rank_modified_mass_matrix=settings.low_rank,
        seed=seed,
        save_warmup=False,
        progress_bar=False,
    )


def _prior_updates(
    design: Design, n_series_slots: int, n_task_slots: int, prior_multiplier: float
) -> dict[str, np.ndarray]:
    """:func:`_data_updates` with every prior scale multiplied by ``prior_multiplier``."""
    updates = _data_updates(design, n_series_slots, n_task_slots)
    updates["prior_scale"] = updates["prior_scale"] * prior_multiplier
    return updates


def _sample(
    design: Design,
    trend: bool,
    likelihood: Likelihood,
    seed: int,
    settings: SamplerSettings,
    timings: dict[str, float],
    prior_multiplier: float = 1.0,
) -> az.InferenceData:
    """Compile (if needed), feed the data, sample with nutpie and tidy the posterior."""
    n_series_slots, n_task_slots = slot_sizes(design)
    start = time.perf_counter()
    compiled = compiled_model(n_series_slots, n_task_slots, trend, likelihood)
    timings["compile_s"] = timings.get("compile_s", 0.0) + time.perf_counter() - start
    start = time.perf_counter()
    updates = _prior_updates(design, n_series_slots, n_task_slots, prior_multiplier)
    raw = _run_nutpie(compiled, updates, seed, settings)
    timings["sample_s"] = timings.get("sample_s", 0.0) + time.perf_counter() - start
    return _tidy(raw, design, trend, likelihood)


def _tidy(
    raw: az.InferenceData,
    design: Design,
    trend: bool,
    likelihood: Likelihood,
    latent: tuple[np.ndarray, np.ndarray] | None = None,
) -> az.InferenceData:
    """Drop padding and raw parameters; name coordinates; add intercepts at x0, log-likelihood."""
    post = raw.posterior
    n_s, n_t = len(design.series), len(design.tasks)
    keep: dict[str, xr.DataArray] = {}
    for name, values in post.data_vars.items():
        if name.endswith(("_z", "_raw")):
            continue
        if "series_slot" in values.dims:
            values = values.isel(series_slot=slice(0, n_s)).rename(series_slot="series")
        if "task_slot" in values.dims:
            values = values.isel(task_slot=slice(0, n_t)).rename(task_slot="task")
        keep[name] = values
    posterior = xr.Dataset(keep).drop_vars(["series_slot", "task_slot"], errors="ignore")
    posterior = posterior.assign_coords(series=design.series, task=design.tasks)
    if latent is not None:
        mean, variance = latent
        design = replace(design, x_local=mean - design.x_mean[design.series_index], x_var=variance)
    intercept = _global_intercept(post, design)
    posterior["intercept_series"] = (("chain", "draw", "series"), intercept)
    loglik = _pointwise_loglik(post, design, likelihood)
    obs_coords = {"result": design.result_id}
    attrs = {
        "form": design.form,
        "trend": int(trend),
        "likelihood": likelihood,
        "x0": design.x0,
        "year0": design.year0,
        "series_task": "|".join(design.tasks[t] for t in design.task_of_series),
        "n_obs": len(design.y),
    }
    posterior.attrs = attrs
    return az.InferenceData(
        posterior=posterior,
        sample_stats=raw.sample_stats[["diverging", "depth", "step_size", "n_steps"]].load(),
        log_likelihood=xr.Dataset(
            {"obs": (("chain", "draw", "result"), loglik)}, coords=obs_coords
        ),
        observed_data=xr.Dataset({"obs": (("result",), design.y)}, coords=obs_coords),
        constant_data=xr.Dataset(
            {
                "error": (("result",), design.error),
                "log10_compute": (("result",), design.x),
                "year": (("result",), design.year),
                "series_index": (("result",), design.series_index),
            },
            coords=obs_coords,
        ),
    )


def _stored_diagnostics(idata: az.InferenceData, names: list[str], label: str) -> pd.DataFrame:
    """The fit's diagnostics row, computed once and kept in the cached posterior's attributes."""
    import json

    stored = idata.posterior.attrs.get("diagnostics")
    if stored is None:
        table = diagnostics.fit_diagnostics(idata, names, label)
        idata.posterior.attrs["diagnostics"] = table.drop(columns="fit").to_json(orient="records")
        return table
    record = json.loads(stored)[0]
    return pd.DataFrame([{"fit": label, **record}])


def reported_parameters(trend: bool, likelihood: Likelihood) -> list[str]:
    """Posterior variables the book reports, hence gated."""
    out = ["intercept_local_series"]
    for name in ["slope"] + (["trend"] if trend else []):
        out += [f"{name}_field", f"{name}_task_sd", f"{name}_series_sd", f"{name}_task"]
        out.append(f"{name}_series")
    out += ["intercept_series", "sigma"]
    if likelihood == "student":
        out.append("nu")
    return out


@dataclass
class ScalingFit:
    """A fitted (cached) joint scaling model."""

    idata: az.InferenceData
    form: Form
    trend: bool
    likelihood: Likelihood
    x0: float
    year0: float
    series: list[str]
    tasks: list[str]
    series_task: dict[str, str]
    diagnostics: pd.DataFrame
    label: str
    cache_hit: bool
    timings: dict[str, float] = field(default_factory=dict)
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The rows the fit used."""
    excluded: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Rows given but left out (result_id, series, reason)."""
    dropped_observations: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Compute observations left out (measurement-error model only)."""
    compute_observations: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Compute observations used, with their task (measurement-error model only)."""

    @property
    def n_obs(self) -> int:
        """Number of rows in the fit."""
        return int(self.idata.observed_data.sizes["result"])

    def series_draws(self, series: str) -> pd.DataFrame:
        """One row per posterior draw: intercept (at x0, year0), slope, sigma, trend, nu."""
        if series not in self.series:
            raise KeyError(f"series {series!r} not in this fit; it has {self.series}")
        post = self.idata.posterior
        columns = {
            "intercept": post["intercept_series"].sel(series=series),
            "slope": post["slope_series"].sel(series=series),
            "sigma": post["sigma"].sel(series=series),
        }
        if self.trend:
            columns["trend"] = post["trend_series"].sel(series=series)
        if self.likelihood == "student":
            columns["nu"] = post["nu"]
        frame = pd.DataFrame({k: v.values.reshape(-1) for k, v in columns.items()})
        frame.insert(0, "chain", np.repeat(post["chain"].values, post.sizes["draw"]))
        frame.insert(1, "draw", np.tile(post["draw"].values, post.sizes["chain"]))
        return frame


def fit_label(form: Form, trend: bool, likelihood: Likelihood, tag: str = "") -> str:
    """Human-readable name of a fit."""
    parts = [form, "trend" if trend else "no-trend", likelihood]
    return " / ".join(([tag] if tag else []) + parts)


MIN_SERIES_ROWS = 5
"""A series enters a fit only with at least this many rows ..."""
MIN_SERIES_SPAN = 0.5
"""... spanning at least this many decades of compute (else its slope is prior only)."""
MIN_YEAR_SPAN = 2.0
"""... and, in a fit with a time trend, at least this many years."""
BOOK_MEASURES: tuple[str, ...] = (
    "hardware_burden",
    "network_operations",
    "flops_per_pass",
    "epoch_estimate",
)


def eligible_rows(rows: pd.DataFrame, trend: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of series with enough data for a slope (and trend), and the others with their reason."""
    grouped = rows.groupby("series")["log10_compute"]
    count = grouped.transform("size")
    span = grouped.transform("max") - grouped.transform("min")
    years = rows.groupby("series")["year"]
    year_span = years.transform("max") - years.transform("min")
    few = count < MIN_SERIES_ROWS
    narrow = ~few & (span < MIN_SERIES_SPAN)
    short = ~few & ~narrow & (year_span < MIN_YEAR_SPAN) if trend else few & ~few
    reason = pd.Series("", index=rows.index)
    reason[few] = f"series has fewer than {MIN_SERIES_ROWS} rows with this measure"
    reason[narrow] = f"series spans less than {MIN_SERIES_SPAN} decades of compute"
    reason[short] = f"series spans less than {MIN_YEAR_SPAN} years (trend fits only)"
    narrow = narrow | short
    excluded = rows.loc[few | narrow, ["result_id", "series"]].assign(reason=reason[few | narrow])
    return rows.loc[~(few | narrow)].copy(), excluded.reset_index(drop=True)


def _checked_posterior(
    key_data: pd.DataFrame,
    key_settings: dict[str, Any],
    sample: Callable[[SamplerSettings], az.InferenceData],
    names: list[str],
    label: str,
    kind: str,
    settings: SamplerSettings,
    timings: dict[str, float],
) -> tuple[az.InferenceData, bool, pd.DataFrame, SamplerSettings]:
    """Load or sample a posterior, escalating once (see :func:`_escalation`) if it fails the gate.

    Returns (posterior, cache hit, diagnostics row, the settings that made the posterior) and
    records the whole time taken as ``timings["total_s"]``.
    """
    start = time.perf_counter()
    for attempt in _escalation(settings):
        key = cache.cache_key(key_data, model_source(), {**key_settings, **asdict(attempt)})

        def sample_and_check(attempt: SamplerSettings = attempt) -> az.InferenceData:
            idata = sample(attempt)
            _stored_diagnostics(idata, names, label)
            return idata

        idata, hit = cache.cached_posterior(key, sample_and_check, kind)
        table = _stored_diagnostics(idata, names, label)
        if bool(table["passed"].iloc[0]):
            break
    timings["total_s"] = time.perf_counter() - start
    return idata, hit, table, attempt


def _prior_key(prior_multiplier: float) -> dict[str, float]:
    """Cache-key entry of a prior multiplier (none for the default, so default keys are stable)."""
    if not (math.isfinite(prior_multiplier) and prior_multiplier > 0):
        raise ValueError(f"prior_multiplier must be a positive number, not {prior_multiplier!r}")
    return {} if prior_multiplier == 1.0 else {"prior_multiplier": prior_multiplier}


def _make_fit(
    design: Design,
    posterior: tuple[az.InferenceData, bool, pd.DataFrame, SamplerSettings],
    trend: bool,
    likelihood: Likelihood,
    label: str,
    gate: bool,
    **extra: Any,
) -> ScalingFit:
    """The :class:`ScalingFit` of a checked posterior (raising if ``gate`` and it fails the
    gate); ``extra``: timings, rows, excluded, ..."""
    idata, hit, table, attempt = posterior
    table.insert(1, "n_obs", len(design.y))
    table.insert(2, "n_series", len(design.series))
    table["target_accept"] = attempt.target_accept
    if gate:
        diagnostics.check_gate(table)
    return ScalingFit(
        idata=idata,
        form=design.form,
        trend=trend,
        likelihood=likelihood,
        x0=design.x0,
        year0=design.year0,
        series=design.series,
        tasks=design.tasks,
        series_task={
            s: design.tasks[t] for s, t in zip(design.series, design.task_of_series, strict=True)
        },
        diagnostics=table,
        label=label,
        cache_hit=hit,
        **extra,
    )


def fit_scaling(
    rows: pd.DataFrame,
    form: Form,
    trend: bool = False,
    likelihood: Likelihood = "normal",
    seed: int = 2020,
    *,
    settings: SamplerSettings = DEFAULT_SETTINGS,
    tag: str = "",
    gate: bool = True,
    prior_multiplier: float = 1.0,
) -> ScalingFit:
    """Fit (or load from cache) the joint hierarchical scaling model to ``rows``.

    ``rows`` are ``FitTable.rows`` (or any subset). Series without enough data for a slope are
    left out first (:func:`eligible_rows`; listed in ``ScalingFit.excluded``). ``tag`` only names
    the fit. ``prior_multiplier`` widens (>1) or narrows (<1) every prior scale (sensitivity
    checks). Raises :class:`analysis.diagnostics.DiagnosticsError` if ``gate`` and the fit fails
    the gate.
    """
    if likelihood not in LIKELIHOODS:
        raise ValueError(f"unknown likelihood {likelihood!r}; expected one of {LIKELIHOODS}")
    prior_key = _prior_key(prior_multiplier)
    used, excluded = eligible_rows(rows, trend)
    if used.empty:
        raise ValueError(
            f"no series has {MIN_SERIES_ROWS}+ rows spanning {MIN_SERIES_SPAN}+ decades of compute"
        )
    design = make_design(used, form)
    data = pd.DataFrame(
        {
            "result_id": design.result_id,
            "series": [design.series[i] for i in design.series_index],
            "task": [design.tasks[design.task_of_series[i]] for i in design.series_index],
            "error": design.error,
            "x": design.x,
            "year": design.year,
        }
    )
    key_settings = {"seed": seed, "trend": trend, "likelihood": likelihood, "form": form}
    timings: dict[str, float] = {}
    label = fit_label(form, trend, likelihood, tag)
    names = reported_parameters(trend, likelihood)

    def sample(attempt: SamplerSettings) -> az.InferenceData:
        return _sample(design, trend, likelihood, seed, attempt, timings, prior_multiplier)

    posterior = _checked_posterior(
        data, key_settings | prior_key, sample, names, label, "scaling", settings, timings
    )
    return _make_fit(
        design,
        posterior,
        trend,
        likelihood,
        label,
        gate,
        timings=timings,
        rows=used,
        excluded=excluded,
    )


@dataclass
class BookFit:
    """One fit the book reports, with the rows it used and those it left out."""

    measure: str
    fit: ScalingFit
    rows: pd.DataFrame
    excluded: pd.DataFrame


def book_fit_specs() -> list[tuple[str, Form, bool]]:
    """(measure, form, trend) of every fit in the book."""
    return [(m, f, t) for m in BOOK_MEASURES for f in FORMS for t in (False, True)]


_BOOK_FITS: dict[tuple[str, Form, bool], BookFit] = {}
_TABLES: dict[str, Any] = {}


def book_tables() -> Any:
    """``dataset.load_tables()``, loaded once per process."""
    if "tables" not in _TABLES:
        from analysis.dataset import load_tables

        _TABLES["tables"] = load_tables()
    return _TABLES["tables"]


def book_fit_table(measure: str) -> Any:
    """``dataset.fit_table`` of one measure, built once per process."""
    if measure not in _TABLES:
        from analysis.dataset import fit_table

        _TABLES[measure] = fit_table(book_tables(), measure)
    return _TABLES[measure]


def book_fit(measure: str, form: Form, trend: bool = False) -> BookFit:
    """The book's fit for one measure, form and trend (cached on disk and in memory)."""
    key = (measure, form, trend)
    if key not in _BOOK_FITS:
        table = book_fit_table(measure)
        fit = fit_scaling(table.rows, form, trend=trend, tag=measure)
        excluded = pd.concat([table.excluded, fit.excluded], ignore_index=True)
        _BOOK_FITS[key] = BookFit(measure=measure, fit=fit, rows=fit.rows, excluded=excluded)
    return _BOOK_FITS[key]


def book_fits() -> list[BookFit]:
    """Every fit the book uses, in a fixed order (each passes the diagnostics gate or raises)."""
    return [book_fit(m, f, t) for m, f, t in book_fit_specs()]


def log10_error_loglik(fit: ScalingFit) -> xr.DataArray:
    """Pointwise log-likelihood on the log10(error) scale, comparable across forms.

    The polynomial model's response already is log10(error). The exponential model's is error,
    so its density is moved with the Jacobian: log p(log10 e) = log p(e) + log(e * ln 10).
    """
    loglik = fit.idata.log_likelihood["obs"]
    if fit.form == "polynomial":
        return loglik
    error = fit.idata.constant_data["error"]
    return loglik + np.log(error * np.log(10.0))


def task_loo(fits: dict[str, ScalingFit], task: str) -> pd.DataFrame:
    """PSIS-LOO comparison (ArviZ) of fits on the rows of one task, on the log10(error) scale.

    Only results of ``task`` present in every fit are compared (trend fits may leave out series
    with too short a span of years).
    """
    common: set[str] | None = None
    for fit in fits.values():
        ids = set(fit.rows.loc[fit.rows["task"] == task, "result_id"])
        common = ids if common is None else common & ids
    if not common:
        raise ValueError(f"no result of task {task!r} is in every fit")
    chosen = sorted(common)
    compared = {}
    for label, fit in fits.items():
        loglik = log10_error_loglik(fit).sel(result=chosen)
        compared[label] = az.InferenceData(
            posterior=fit.idata.posterior[["slope_series"]],
            log_likelihood=xr.Dataset({"obs": loglik}),
        )
    table = az.compare(compared, ic="loo")
    table.attrs["n"] = len(chosen)
    return table


# --- Measurement-error model: one latent training compute per result ------------------------

REFERENCE_MEASURE = "network_operations"
"""The measure taken as unbiased for training compute (epochs x FLOPs per pass x passes)."""


def measure_offsets(compute: pd.DataFrame, measures: tuple[str, ...]) -> pd.Series:
    """Typical log10 offset of each measure from the first, from results with several measures.

    Least squares over the median pairwise differences (weighted by the number of pairs), the
    reference fixed at 0; a measure never seen beside another gets offset 0.
    """
    wide = compute.pivot_table(index="result_id", columns="measure", values="log10_flops")
    present = [m for m in measures if m in wide.columns]
    equations, targets, weights = [], [], []
    for i, a in enumerate(present):
        for b in present[i + 1 :]:
            both = wide[[a, b]].dropna()
            if both.empty:
                continue
            row = np.zeros(len(present))
            row[i], row[present.index(b)] = 1.0, -1.0
            equations.append(row)
            targets.append(float((both[a] - both[b]).median()))
            weights.append(np.sqrt(len(both)))
    anchor = np.zeros(len(present))
    anchor[0] = 1.0
    matrix = np.vstack([*equations, anchor * 1e3]) * np.r_[weights, 1.0][:, None]
    rhs = np.r_[targets, 0.0] * np.r_[weights, 1.0]
    solution = np.linalg.lstsq(matrix, rhs, rcond=None)[0]
    return pd.Series(solution, index=present).reindex(list(measures), fill_value=0.0)


def provisional_compute(compute: pd.DataFrame, measures: tuple[str, ...]) -> pd.Series:
    """Per result, the mean of its measures moved by their typical offsets (centring only)."""
    offsets = measure_offsets(compute, measures)
    moved = compute["log10_flops"] - compute["measure"].map(offsets)
    return moved.groupby(compute["result_id"]).mean()


def _anchored_measures(frame: pd.DataFrame) -> set[str]:
    """Measures linked to the reference within one task's results (via results with several)."""
    anchored = {REFERENCE_MEASURE} & set(frame["measure"])
    groups = [set(g) for _, g in frame.groupby("result_id")["measure"] if g.nunique() > 1]
    grew = True
    while grew:
        grew = False
        for group in groups:
            if group & anchored and not group <= anchored:
                anchored |= group
                grew = True
    return anchored


def calibrated_observations(
    compute: pd.DataFrame, task_of_result: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Observations whose (measure, task) bias can be learned, and the others with a reason.

    A measure's bias in a task is learned only if the task's results link it to the reference
    measure (a result with both, or a chain of such results). Other observations would sit on an
    arbitrary scale, so they are left out.
    """
    frame = compute.assign(task=compute["result_id"].map(task_of_result))
    keep = np.zeros(len(frame), dtype=bool)
    for _, group in frame.groupby("task"):
        anchored = _anchored_measures(group)
        keep[frame.index.get_indexer(group.index[group["measure"].isin(anchored)])] = True
    dropped = frame.loc[~keep, ["result_id", "measure"]].assign(
        reason="measure not linked to network_operations within the task (bias not learnable)"
    )
    return frame.loc[keep].drop(columns="task"), dropped.reset_index(drop=True)


def fit_measurement_error(
    rows: pd.DataFrame,
    compute: pd.DataFrame,
    form: Form,
    trend: bool = False,
    likelihood: Likelihood = "normal",
    seed: int = 2020,
    *,
    settings: SamplerSettings = DEFAULT_SETTINGS,
    tag: str = "measurement-error",
    gate: bool = True,
    prior_multiplier: float = 1.0,
) -> ScalingFit:
    """The scaling model on a latent compute per result, observed through every measure it has.

    ``rows``: fit-table rows of any measures (one per result is kept: task, series, error,
    year; ``log10_compute`` is replaced); ``compute``: ``dataset.compute_long``. The posterior
    adds ``bias`` (measure, task; only cells with observations mean anything) and ``noise``;
    ``intercept_series`` and the log-likelihood refer to the reference measure's scale.
    ``prior_multiplier`` scales the scaling part's priors as in :func:`fit_scaling`.
    """
    prior_key = _prior_key(prior_multiplier)
    rows = rows.drop_duplicates("result_id")
    measures = (REFERENCE_MEASURE, *sorted(set(compute["measure"]) - {REFERENCE_MEASURE}))
    compute = compute.loc[
        compute["result_id"].isin(rows["result_id"]), ["result_id", "measure", "log10_flops"]
    ]
    compute, dropped = calibrated_observations(compute, rows.set_index("result_id")["task"])
    provisional = provisional_compute(compute, measures)
    rows = rows.assign(log10_compute=rows["result_id"].map(provisional))
    uncalibrated = rows.loc[rows["log10_compute"].isna(), ["result_id", "series"]].assign(
        reason="no calibrated compute measure"
    )
    used, excluded = eligible_rows(rows.loc[rows["log10_compute"].notna()], trend)
    excluded = pd.concat([uncalibrated, excluded], ignore_index=True)
    design = make_design(used, form)
    observed = compute.loc[compute["result_id"].isin(design.result_id)].sort_values(
        ["result_id", "measure"]
    )
    position = {r: i for i, r in enumerate(design.result_id)}
    result_index = observed["result_id"].map(position).to_numpy("int64")
    task_of_result = design.task_of_series[design.series_index]
    extra = {
        "compute_value": observed["log10_flops"].to_numpy(float),
        "compute_result": result_index,
        "compute_measure": observed["measure"].map(measures.index).to_numpy("int64"),
        "compute_task": task_of_result[result_index].astype("int64"),
        "x_centre": design.x_mean[design.series_index],
    }
    data = pd.DataFrame(
        {
            "result_id": design.result_id,
            "series": [design.series[i] for i in design.series_index],
            "error": design.error,
            "year": design.year,
        }
    )
    key_data = pd.concat([data, observed.reset_index(drop=True)], axis=1)
    key_settings = {"seed": seed, "trend": trend, "likelihood": likelihood, "form": form}
    key_settings["measures"] = measures
    timings: dict[str, float] = {}
    n_series_slots, n_task_slots = slot_sizes(design)
    shape = (n_series_slots, n_task_slots, measures, trend, likelihood)

    def sample(attempt: SamplerSettings) -> az.InferenceData:
        start = time.perf_counter()
        if shape not in _COMPILED:
            import nutpie

            _COMPILED[shape] = nutpie.compile_pymc_model(build_measurement_model(*shape))
        timings["compile_s"] = timings.get("compile_s", 0.0) + time.perf_counter() - start
        start = time.perf_counter()
        updates = {
            **_prior_updates(design, n_series_slots, n_task_slots, prior_multiplier),
            **extra,
        }
        raw = _run_nutpie(_COMPILED[shape], updates, seed, attempt)
        timings["sample_s"] = timings.get("sample_s", 0.0) + time.perf_counter() - start
        mean, variance, _ = _latent_moments(
            raw.posterior["bias"].values,
            raw.posterior["noise"].values,
            extra["compute_value"],
            extra["compute_result"],
            extra["compute_measure"],
            extra["compute_task"],
            len(design.y),
            np,
        )
        return _tidy(raw, design, trend, likelihood, latent=(mean, variance))

    label = fit_label(form, trend, likelihood, tag)
    names = [*reported_parameters(trend, likelihood), "noise"]
    posterior = _checked_posterior(
        key_data, key_settings | prior_key, sample, names, label, "measurement", settings, timings
    )
    return _make_fit(
        design,
        posterior,
        trend,
        likelihood,
        label,
        gate,
        timings=timings,
        rows=used,
        excluded=excluded,
        dropped_observations=dropped,
        compute_observations=observed.assign(
            task=[design.tasks[t] for t in task_of_result[result_index]]
        ),
    )
