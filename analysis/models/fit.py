"""Fitting: compile, sample with nutpie, escalate on a failed gate, and the fit object.

Posteriors are cached (:mod:`analysis.models.cache`); every fit passes the diagnostics gate
(:mod:`analysis.models.diagnostics`) or raises.

Part of the models stage; imports vocab and data only.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import arviz as az
import numpy as np
import pandas as pd
import xarray as xr

from analysis.models import cache, diagnostics
from analysis.models.scaling import (
    LIKELIHOODS,
    Design,
    Likelihood,
    _data_updates,
    _global_intercept,
    _pointwise_loglik,
    build_model,
    make_design,
    model_source,
    slot_sizes,
)
from analysis.vocab.forms import FORMS, Form
from analysis.vocab.measures import MEASURES


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
STRICT_SETTINGS = SamplerSettings(tune=3000, draws=3000, target_accept=0.999)
"""Second attempt for a default-settings fit that fails the gate (smaller steps, longer tuning)."""
LOW_RANK_SETTINGS = replace(STRICT_SETTINGS, low_rank=True)
"""Third attempt: the strict settings with a low-rank mass matrix, which adapts to correlations
between parameters (a series' slope and its trend) that a diagonal one cannot."""


def escalation(settings: SamplerSettings) -> list[SamplerSettings]:
    """Settings to try in turn: the default ones escalate to :data:`STRICT_SETTINGS`, then to
    :data:`LOW_RANK_SETTINGS`; any other settings are tried alone."""
    if settings != DEFAULT_SETTINGS:
        return [settings]
    return [settings, STRICT_SETTINGS, LOW_RANK_SETTINGS]


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
BOOK_MEASURES: tuple[str, ...] = MEASURES
"""The measures the book fits, each on its own (:data:`analysis.vocab.measures.MEASURES`)."""


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
    """Load or sample a posterior, escalating (see :func:`escalation`) while it fails the gate.

    Returns (posterior, cache hit, diagnostics row, the settings that made the posterior) and
    records the whole time taken as ``timings["total_s"]``.
    """
    start = time.perf_counter()

    def key_of(attempt: SamplerSettings) -> str:
        return cache.cache_key(key_data, model_source(), {**key_settings, **asdict(attempt)})

    def sample_and_check(attempt: SamplerSettings) -> az.InferenceData:
        idata = sample(attempt)
        diagnostics.stored_fit_diagnostics(idata, names, label)  # kept in the posterior's attrs
        return idata

    def diagnose(idata: az.InferenceData) -> pd.DataFrame:
        return diagnostics.stored_fit_diagnostics(idata, names, label)

    attempts = escalation(settings)
    last = cache.gated_posterior(attempts, key_of, sample_and_check, diagnose, kind)[-1]
    timings["total_s"] = time.perf_counter() - start
    return last.idata, last.hit, last.diagnostics, last.settings


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
    table["low_rank"] = attempt.low_rank
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
    checks). Raises :class:`analysis.models.diagnostics.DiagnosticsError` if ``gate`` and the fit
    fails the gate.
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


def fit_book(table: Any, measure: str, form: Form, trend: bool = False) -> BookFit:
    """The book's fit of one measure's fit table (``analysis.data.fit_table``), with the table's
    exclusions and the fit's own. Cached on disk only; :mod:`analysis.book.context` keeps one per
    process."""
    fit = fit_scaling(table.rows, form, trend=trend, tag=measure)
    excluded = pd.concat([table.excluded, fit.excluded], ignore_index=True)
    return BookFit(measure=measure, fit=fit, rows=fit.rows, excluded=excluded)
