"""The state-of-the-art frontier model: the best error reachable with a given compute at a date.

For result ``i`` of paper group ``k`` (one paper's results on one series from one source) on
series ``s`` of task ``t``, with ``r`` the form's response::

    r(error_i) = a_s + b_s (x_i - x0_s) + g_s (year_i - t0_s) + u_k + v_i
    u_k ~ HalfNormal(sigma_u[t])      a paper's gap above the frontier (>= 0)
    v_i ~ Normal(0, sigma_v[t])       the scatter of one paper's results

The frontier ``a_s + b_s (x - x0_s) + g_s (year - t0_s)`` is the error a paper with no gap
reaches at log10 compute ``x`` in ``year``: ``b_s`` is the return to compute and ``g_s`` the
algorithmic progress per year, both shared by the series (splits, language pairs) of a task.
A paper with one result has its gap integrated out (frontier + u + v is a skew normal); a new
paper's result is drawn the same way, so forecasts carry the between-paper spread.

Forms (:data:`FRONTIER_FORMS`): ``polynomial`` (r = log10 error), ``exponential`` (r = error in
points) and ``floor`` (r = log10(error - floor_s), an irreducible error below every observed one).

May import: :mod:`analysis.vocab`, :mod:`analysis.paths` and :mod:`analysis.models` siblings.
"""

from __future__ import annotations

import inspect
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

import arviz as az
import numpy as np
import pandas as pd

from analysis.models import cache, diagnostics

FrontierForm = Literal["polynomial", "exponential", "floor"]
FRONTIER_FORMS: tuple[FrontierForm, ...] = ("polynomial", "exponential", "floor")
LN10 = float(np.log(10.0))
SD_SHAPE = 2.0
"""Gamma shape of every scale parameter: zero-avoiding, mode at half the mean."""
MEAN_HALF_NORMAL = float(np.sqrt(2.0 / np.pi))
CENTRED_GROUP_SIZE = 4
"""Paper groups with at least this many results get a centred gap (their data pin it down)."""
MIN_SERIES_ROWS = 3
MIN_SERIES_GROUPS = 3
"""A series enters a frontier fit with at least this many results from this many paper groups:
with fewer, the frontier cannot be told from one paper's gap."""
MEASURES: tuple[str, ...] = ("hardware_burden", "epoch_estimate", "network_operations")
"""Training-compute measures a frontier fit takes, the first the unit of its compute axis: the
others count operations actually performed, about a utilisation factor below the hardware
burden (peak rate x time), and enter with a fitted offset."""
OFFSET_PRIOR = (float(np.log10(0.38)), 0.3)
"""Prior mean and sd of a measure's log10 offset below the hardware burden: utilisation 0.38
(Epoch AI's median model FLOP utilisation), give or take a factor of 2."""
REQUIRED_COLUMNS = (
    "result_id", "paper_id", "source", "task", "series", "error", "year", "log10_compute",
    "measure",
)  # fmt: skip


@dataclass(frozen=True)
class FrontierPriors:
    """Prior scales in units of the response (log10 error, or error points for exponential).

    ``scale`` is one unit of plausible variation of the response. The frontier's level at the
    series' mean compute and date: Normal(median response, 2 scale). Slope per decade of
    compute: Normal(0, slope_task_sd scale) per task, shared by its series. Trend per year:
    Normal(0, trend_task_sd scale) per task. The composed scale sqrt(sigma_u^2 + sigma_v^2)
    per task: Gamma(2) with mean spread_mean scale (zero-avoiding); the share of its variance
    due to paper gaps, sigma_u^2 / (sigma_u^2 + sigma_v^2): Beta(share_a, share_b).
    Floor: a Beta(floor_a, floor_b) share of the lowest error observed on the series.
    """

    scale: float
    slope_task_sd: float = 1.0
    trend_task_sd: float = 0.25
    spread_mean: float = 0.25
    share_a: float = 2.0
    share_b: float = 2.0
    floor_a: float = 2.0
    floor_b: float = 6.0


PRIORS: dict[FrontierForm, FrontierPriors] = {
    "polynomial": FrontierPriors(scale=0.5),
    "exponential": FrontierPriors(scale=15.0),
    "floor": FrontierPriors(scale=0.5),
}


@dataclass(frozen=True)
class FrontierSettings:
    """nutpie settings of a frontier fit; part of its cache key."""

    chains: int = 4
    tune: int = 1000
    draws: int = 1000
    target_accept: float = 0.99
    seed: int = 2020
    low_rank: bool = False

    def key(self) -> dict[str, object]:
        """The settings as a cache key holds them (``low_rank`` only when set, so the keys of
        diagonal-mass-matrix fits do not depend on the option's existence)."""
        settings = asdict(self)
        if not self.low_rank:
            del settings["low_rank"]
        return settings


DEFAULT_SETTINGS = FrontierSettings()


def log10_positive(values: Any) -> np.ndarray:
    """log10 of ``values``, -inf where a value is at or below zero."""
    values = np.asarray(values, dtype=float)
    positive = values > 0
    return np.where(positive, np.log10(np.where(positive, values, 1.0)), -np.inf)


def response(form: FrontierForm, error: Any, floor: Any = 0.0) -> np.ndarray:
    """The modelled response of an error under ``form`` (``floor`` per draw for that form)."""
    error = np.asarray(error, dtype=float)
    if form == "polynomial":
        return np.log10(error)
    if form == "exponential":
        return error
    if form == "floor":
        return log10_positive(error - np.asarray(floor))
    raise ValueError(f"unknown frontier form {form!r}; expected one of {FRONTIER_FORMS}")


def error_from_response(form: FrontierForm, value: Any, floor: Any = 0.0) -> np.ndarray:
    """Inverse of :func:`response`."""
    value = np.asarray(value, dtype=float)
    if form == "polynomial":
        return 10.0**value
    if form == "exponential":
        return value
    if form == "floor":
        return np.asarray(floor) + 10.0**value
    raise ValueError(f"unknown frontier form {form!r}; expected one of {FRONTIER_FORMS}")


def group_key(rows: pd.DataFrame) -> pd.Series:
    """A paper group: one paper's results on one series from one source."""
    return rows["paper_id"].astype(str) + "|" + rows["source"].astype(str) + "|" + rows["series"]


def row_group_key(row: pd.Series) -> str:
    """The paper group of one row, as :func:`group_key` names it."""
    return f"{row['paper_id']}|{row['source']}|{row['series']}"


def eligible(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of series with enough results and paper groups, and the others with the reason."""
    groups = group_key(rows)
    per_series = pd.DataFrame({"series": rows["series"], "group": groups}).groupby("series")
    n_rows = per_series.size()
    n_groups = per_series["group"].nunique()
    ok = (n_rows >= MIN_SERIES_ROWS) & (n_groups >= MIN_SERIES_GROUPS)
    keep = rows["series"].map(ok).fillna(False).astype(bool)
    reason = f"series has fewer than {MIN_SERIES_ROWS} results or {MIN_SERIES_GROUPS} paper groups"
    excluded = pd.DataFrame(
        {"result_id": rows.loc[~keep, "result_id"], "series": rows.loc[~keep, "series"]}
    ).assign(reason=reason)
    return rows[keep].reset_index(drop=True), excluded.reset_index(drop=True)


@dataclass(frozen=True)
class FrontierDesign:
    """Arrays a frontier fit needs, with the labels of its series, tasks and paper groups."""

    form: FrontierForm
    error: np.ndarray
    x_local: np.ndarray
    year_local: np.ndarray
    series_index: np.ndarray
    group_index: np.ndarray
    task_of_series: np.ndarray
    task_of_group: np.ndarray
    series: list[str]
    tasks: list[str]
    groups: list[str]
    x0: np.ndarray
    t0: np.ndarray
    y_center: np.ndarray
    min_error: np.ndarray
    group_size: np.ndarray
    measure_index: np.ndarray


def make_design(rows: pd.DataFrame, form: FrontierForm) -> FrontierDesign:
    """The design of a frontier fit on ``rows`` (a fit table's rows, all eligible)."""
    if form not in FRONTIER_FORMS:
        raise ValueError(f"unknown frontier form {form!r}; expected one of {FRONTIER_FORMS}")
    missing = [c for c in REQUIRED_COLUMNS if c not in rows]
    if missing:
        raise ValueError(f"frontier rows lack columns {missing}")
    rows = rows.reset_index(drop=True)
    unknown = sorted(set(rows["measure"]) - set(MEASURES))
    if unknown:
        raise ValueError(f"frontier rows have measures {unknown}; expected some of {MEASURES}")
    series = sorted(rows["series"].unique())
    tasks = sorted(rows["task"].unique())
    groups_of = group_key(rows)
    groups = sorted(groups_of.unique())
    s_index = rows["series"].map({s: i for i, s in enumerate(series)}).to_numpy()
    g_index = groups_of.map({g: i for i, g in enumerate(groups)}).to_numpy()
    task_index = {t: i for i, t in enumerate(tasks)}
    by_series = rows.groupby("series")
    task_of_series = np.array([task_index[by_series["task"].first()[s]] for s in series])
    series_of_group = [series.index(g.rsplit("|", 1)[1]) for g in groups]
    x0 = by_series["log10_compute"].mean().reindex(series).to_numpy()
    t0 = by_series["year"].mean().reindex(series).to_numpy()
    error = rows["error"].to_numpy(float)
    y = np.log10(error) if form != "exponential" else error
    y_center = pd.Series(y).groupby(s_index).median().reindex(range(len(series))).to_numpy()
    return FrontierDesign(
        form=form,
        error=error,
        x_local=rows["log10_compute"].to_numpy(float) - x0[s_index],
        year_local=rows["year"].to_numpy(float) - t0[s_index],
        series_index=s_index,
        group_index=g_index,
        task_of_series=task_of_series,
        task_of_group=task_of_series[np.array(series_of_group, dtype=int)],
        series=series,
        tasks=tasks,
        groups=groups,
        x0=x0,
        t0=t0,
        y_center=y_center,
        min_error=by_series["error"].min().reindex(series).to_numpy(),
        group_size=np.bincount(g_index, minlength=len(groups)),
        measure_index=rows["measure"].map({m: i for i, m in enumerate(MEASURES)}).to_numpy(),
    )


# ---------------------------------------------------------------------------------------------
# Model code: the source of these functions is part of every frontier cache key.


def log_normal_cdf(z: Any) -> Any:
    """log Phi(z), stable far into the lower tail (erfcx there instead of erf)."""
    import pytensor.tensor as pt

    lower = pt.log(pt.erfcx(-z / np.sqrt(2.0)) / 2.0) - z**2 / 2.0
    upper = pt.log1p(-pt.erfc(z / np.sqrt(2.0)) / 2.0)
    return pt.switch(z < 0, lower, upper)


def skew_normal_logp(y: Any, frontier: Any, sigma_v: Any, sigma_u: Any) -> Any:
    """log density of frontier + u + v, u ~ HalfNormal(sigma_u), v ~ Normal(0, sigma_v)."""
    import pytensor.tensor as pt

    omega = pt.sqrt(sigma_v**2 + sigma_u**2)
    z = (y - frontier) / omega
    return (
        np.log(2.0)
        - pt.log(omega)
        - 0.5 * np.log(2 * np.pi)
        - z**2 / 2.0
        + log_normal_cdf(z * sigma_u / sigma_v)
    )


def build_frontier_model(
    n_series: int, n_tasks: int, n_groups: int, form: FrontierForm, priors: FrontierPriors
) -> Any:
    """The PyMC frontier model for one structure; data enter through ``pm.Data``."""
    import pymc as pm
    import pytensor.tensor as pt

    coords = {
        "series": np.arange(n_series),
        "task": np.arange(n_tasks),
        "group": np.arange(n_groups),
        "other_measure": np.arange(len(MEASURES) - 1),
    }
    s = priors.scale
    with pm.Model(coords=coords) as model:
        error = pm.Data("error", np.ones(2))
        x_local = pm.Data("x_local", np.zeros(2))
        year_local = pm.Data("year_local", np.zeros(2))
        series_index = pm.Data("series_index", np.zeros(2, dtype="int64"))
        group_index = pm.Data("group_index", np.zeros(2, dtype="int64"))
        task_of_series = pm.Data("task_of_series", np.zeros(n_series, dtype="int64"))
        task_of_group = pm.Data("task_of_group", np.zeros(n_groups, dtype="int64"))
        y_center = pm.Data("y_center", np.zeros(n_series))
        min_error = pm.Data("min_error", np.ones(n_series))
        centred_group = pm.Data("centred_group", np.zeros(n_groups))
        measure_index = pm.Data("measure_index", np.zeros(2, dtype="int64"))
        shared = pm.Data("shared", np.zeros(1, dtype="int64"))
        alone = pm.Data("alone", np.zeros(1, dtype="int64"))

        # The level of a typical result is what the data pin down; the frontier lies the mean
        # gap below it. Sampling the level decorrelates the frontier from the gap scale.
        level = pm.Normal("level", mu=y_center, sigma=2 * s, dims="series")
        # Benchmarks of one task (splits, language pairs) share its return to compute and its
        # progress per year; their levels differ.
        slope_task = pm.Normal("slope_task", mu=0.0, sigma=priors.slope_task_sd * s, dims="task")
        slope = pm.Deterministic("slope", slope_task[task_of_series], dims="series")
        trend_task = pm.Normal("trend_task", mu=0.0, sigma=priors.trend_task_sd * s, dims="task")
        trend = pm.Deterministic("trend", trend_task[task_of_series], dims="series")
        # The composed error's scale and the share of its variance that is the paper gap
        # (the usual parameters of a stochastic frontier), rather than the two scales.
        spread = pm.Gamma(
            "spread", alpha=SD_SHAPE, beta=SD_SHAPE / (priors.spread_mean * s), dims="task"
        )
        gap_share = pm.Beta("gap_share", alpha=priors.share_a, beta=priors.share_b, dims="task")
        sigma_u = pm.Deterministic("sigma_u", spread * pt.sqrt(gap_share), dims="task")
        sigma_v_task = pm.Deterministic("sigma_v", spread * pt.sqrt(1 - gap_share), dims="task")
        sigma_v = sigma_v_task[task_of_series]
        intercept = pm.Deterministic(
            "intercept", level - sigma_u[task_of_series] * MEAN_HALF_NORMAL, dims="series"
        )
        # Only papers with several results keep a sampled gap. Papers with many results pin
        # theirs down (centred form); the others are non-centred. Both are HalfNormal(sigma_u).
        group_sd = sigma_u[task_of_group]
        gap_raw = pm.HalfNormal(
            "gap_raw", sigma=centred_group * group_sd + (1 - centred_group), dims="group"
        )
        gap = pm.Deterministic(
            "gap", centred_group * gap_raw + (1 - centred_group) * group_sd * gap_raw, dims="group"
        )

        # Operation counts sit a utilisation factor below the hardware burden (the unit).
        other = pm.Normal(
            "measure_offset", mu=OFFSET_PRIOR[0], sigma=OFFSET_PRIOR[1], dims="other_measure"
        )
        offset = pt.concatenate([pt.zeros(1), other])
        frontier = (
            intercept[series_index]
            + slope[series_index] * (x_local - offset[measure_index])
            + trend[series_index] * year_local
        )
        if form == "floor":
            share = pm.Beta("floor_share", alpha=priors.floor_a, beta=priors.floor_b, dims="series")
            floor = pm.Deterministic("floor", share * min_error, dims="series")
            above = error - floor[series_index]
            y = pt.log10(above)
            pm.Potential("jacobian", -pt.sum(pt.log(above * LN10)))
        elif form == "polynomial":
            y = pt.log10(error)
        else:
            y = error
        # Results of a paper with several results share its gap, sampled; a paper with one
        # result has the gap integrated out: frontier + gap + noise is then a skew normal.
        sv = sigma_v[series_index]
        su = sigma_u[task_of_series][series_index]
        pm.Potential(
            "obs_shared",
            pm.logp(
                pm.Normal.dist(mu=frontier[shared] + gap[group_index[shared]], sigma=sv[shared]),
                y[shared],
            ),
        )
        pm.Potential("obs_alone", skew_normal_logp(y[alone], frontier[alone], sv[alone], su[alone]))
    return model


MODEL_FUNCTIONS = ("log_normal_cdf", "skew_normal_logp", "build_frontier_model")


def model_source() -> str:
    """The source of the model code and priors, hashed into every frontier cache key."""
    parts = [inspect.getsource(globals()[name]) for name in MODEL_FUNCTIONS]
    parts.append(repr(PRIORS) + repr(MEASURES) + repr(OFFSET_PRIOR))
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Sampling.


def _slots(n: int, step: int) -> int:
    return max(step, int(np.ceil(n / step)) * step)


def slot_sizes(design: FrontierDesign) -> tuple[int, int, int]:
    """Padded numbers of series, tasks and groups: one compiled model serves many fits."""
    return (
        _slots(len(design.series), 4),
        _slots(len(design.tasks), 4),
        _slots(len(design.groups), 32),
    )


def data_updates(design: FrontierDesign, n_series: int, n_groups: int) -> dict[str, np.ndarray]:
    """Padded arrays for ``with_data``; padding slots see no data and sample their prior."""

    def pad(values: np.ndarray, size: int, fill: float = 0.0) -> np.ndarray:
        out = np.full(size, fill, dtype=values.dtype)
        out[: len(values)] = values
        return out

    row_group_size = design.group_size[design.group_index]
    return {
        "error": design.error,
        "x_local": design.x_local,
        "year_local": design.year_local,
        "series_index": design.series_index.astype("int64"),
        "group_index": design.group_index.astype("int64"),
        "task_of_series": pad(design.task_of_series.astype("int64"), n_series),
        "task_of_group": pad(design.task_of_group.astype("int64"), n_groups),
        "y_center": pad(design.y_center.astype(float), n_series),
        "min_error": pad(design.min_error.astype(float), n_series, 1.0),
        "measure_index": design.measure_index.astype("int64"),
        "centred_group": pad((design.group_size >= CENTRED_GROUP_SIZE).astype(float), n_groups),
        "shared": np.flatnonzero(row_group_size > 1).astype("int64"),
        "alone": np.flatnonzero(row_group_size == 1).astype("int64"),
    }


_COMPILED: dict[tuple[int, int, int, str], Any] = {}


def compiled_model(n_series: int, n_tasks: int, n_groups: int, form: FrontierForm) -> Any:
    """The nutpie-compiled frontier model of one structure, compiled once per process."""
    key = (n_series, n_tasks, n_groups, form)
    if key not in _COMPILED:
        import nutpie

        model = build_frontier_model(n_series, n_tasks, n_groups, form, PRIORS[form])
        _COMPILED[key] = nutpie.compile_pymc_model(model)
    return _COMPILED[key]


def _sample(design: FrontierDesign, settings: FrontierSettings) -> az.InferenceData:
    import nutpie

    n_series, n_tasks, n_groups = slot_sizes(design)
    start = time.perf_counter()
    model = compiled_model(n_series, n_tasks, n_groups, design.form)
    compile_s = time.perf_counter() - start
    updates = data_updates(design, n_series, n_groups)
    model = model.with_data(**{k: v for k, v in updates.items() if k in model.shared_data})
    start = time.perf_counter()
    idata = nutpie.sample(
        model,
        chains=settings.chains,
        cores=2,
        tune=settings.tune,
        draws=settings.draws,
        target_accept=settings.target_accept,
        seed=settings.seed,
        low_rank_modified_mass_matrix=settings.low_rank,
        progress_bar=False,
    )
    keep = {
        "series": slice(0, len(design.series)),
        "task": slice(0, len(design.tasks)),
        "group": slice(0, len(design.groups)),
    }
    posterior = idata.posterior.isel(**{k: v for k, v in keep.items() if k in idata.posterior.dims})
    drop = [v for v in ("slope_z", "trend_z", "gap_raw", "level") if v in posterior]
    out = az.InferenceData(posterior=posterior.drop_vars(drop), sample_stats=idata.sample_stats)
    out.attrs.update(compile_s=compile_s, sample_s=time.perf_counter() - start)
    return out


REPORTED = ("intercept", "slope_task", "trend_task", "spread", "gap_share", "measure_offset")


def reported_parameters(form: FrontierForm) -> list[str]:
    """Parameters the diagnostics gate checks."""
    return [*REPORTED, "floor"] if form == "floor" else list(REPORTED)


@dataclass
class FrontierFit:
    """A fitted frontier: posterior, design, rows and diagnostics."""

    form: FrontierForm
    design: FrontierDesign
    rows: pd.DataFrame
    posterior: Any
    diagnostics: pd.DataFrame
    cache_hit: bool
    seconds: float
    _draws: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    @property
    def series(self) -> list[str]:
        return list(self.design.series)

    def series_index(self, series: str) -> int:
        if series not in self.design.series:
            raise KeyError(f"series {series!r} is not in this frontier fit ({self.design.series})")
        return self.design.series.index(series)

    def draws(self, series: str) -> pd.DataFrame:
        """Per posterior draw: intercept, slope, trend, sigma_v, sigma_u, floor, x0, t0 (read
        from the posterior once per series; each call returns its own copy)."""
        if series not in self._draws:
            self._draws[series] = self._read_draws(series)
        return self._draws[series].copy()

    def _read_draws(self, series: str) -> pd.DataFrame:
        i = self.series_index(series)
        task = int(self.design.task_of_series[i])
        post = self.posterior

        def flat(name: str, dim: str, index: int) -> np.ndarray:
            return np.asarray(post[name].isel({dim: index})).ravel()

        frame = pd.DataFrame(
            {
                "intercept": flat("intercept", "series", i),
                "slope": flat("slope", "series", i),
                "trend": flat("trend", "series", i),
                "sigma_v": flat("sigma_v", "task", task),
                "sigma_u": flat("sigma_u", "task", task),
            }
        )
        frame["floor"] = flat("floor", "series", i) if "floor" in post else 0.0
        for measure in MEASURES[1:]:
            frame[f"offset_{measure}"] = self.offset(measure)
        frame["x0"] = float(self.design.x0[i])
        frame["t0"] = float(self.design.t0[i])
        return frame

    def task_draws(self, task: str, name: str) -> np.ndarray:
        """Posterior draws of a task-level parameter (``slope_task``, ``trend_task``,
        ``gap_share``, ``sigma_u``, ...) of ``task``."""
        if task not in self.design.tasks:
            raise KeyError(f"task {task!r} is not in this frontier fit ({self.design.tasks})")
        t = self.design.tasks.index(task)
        return np.asarray(self.posterior[name].isel(task=t)).ravel()

    def offset(self, measure: str) -> np.ndarray:
        """Per draw: log10 offset of ``measure`` below the hardware burden (0 for the unit)."""
        if measure not in MEASURES:
            raise KeyError(f"measure {measure!r} is not one of {MEASURES}")
        i = MEASURES.index(measure)
        if i == 0:
            return np.zeros(int(self.posterior.sizes["chain"] * self.posterior.sizes["draw"]))
        return np.asarray(self.posterior["measure_offset"].isel(other_measure=i - 1)).ravel()

    def group_gap(self, group: str) -> np.ndarray | None:
        """Posterior draws of a known paper group's gap (None for a group fitted as one row)."""
        if group not in self.design.groups:
            return None
        k = self.design.groups.index(group)
        if self.design.group_size[k] < 2:
            return None
        return np.asarray(self.posterior["gap"].isel(group=k)).ravel()


def _diagnosed_row(idata: az.InferenceData, form: FrontierForm, name: str) -> pd.DataFrame:
    return diagnostics.stored_fit_diagnostics(idata, reported_parameters(form), name)


def _diagnosed(idata: az.InferenceData, form: FrontierForm, name: str) -> az.InferenceData:
    """A fresh posterior with its diagnostics kept in its attributes (cached with it)."""
    _diagnosed_row(idata, form, name)
    return idata


def escalated(settings: FrontierSettings) -> FrontierSettings:
    """Settings for a second attempt after a failed gate: twice the tuning and draws."""
    return FrontierSettings(
        chains=settings.chains,
        tune=2 * settings.tune,
        draws=2 * settings.draws,
        target_accept=max(settings.target_accept, 0.99),
        seed=settings.seed,
    )


FINAL_TARGET_ACCEPT = 0.999
"""Target acceptance of the last attempt: the smallest steps, against the last divergences."""


def escalation(settings: FrontierSettings) -> tuple[FrontierSettings, ...]:
    """Settings to try in turn until one passes the gate: ``settings``, :func:`escalated`, the
    escalated ones with a low-rank mass matrix (which adapts to correlations between parameters,
    a task's intercept and its trend, that a diagonal one cannot), and those with the smaller
    steps of :data:`FINAL_TARGET_ACCEPT`."""
    longer = escalated(settings)
    low_rank = replace(longer, low_rank=True)
    return settings, longer, low_rank, replace(low_rank, target_accept=FINAL_TARGET_ACCEPT)


def fit_frontier(
    rows: pd.DataFrame,
    form: FrontierForm,
    settings: FrontierSettings = DEFAULT_SETTINGS,
    label: str = "frontier",
) -> FrontierFit:
    """Fit (or load from the cache) the frontier model on eligible ``rows``; gated.

    A fit that fails the gate is sampled again with each later setting of :func:`escalation`;
    if every attempt fails, :class:`~analysis.models.diagnostics.DiagnosticsError` names them.
    """
    rows = rows.reset_index(drop=True)
    design = make_design(rows, form)
    key_rows = rows[list(REQUIRED_COLUMNS)]
    start = time.perf_counter()
    name = f"{label} {form}"
    attempts = cache.gated_posterior(
        escalation(settings),
        key_of=lambda a: cache.cache_key(key_rows, model_source(), {"form": form, **a.key()}),
        sample=lambda a: _diagnosed(_sample(design, a), form, name),
        diagnose=lambda idata: _diagnosed_row(idata, form, name),
        label=label,
    )
    last = attempts[-1]
    if not last.passed:
        diagnostics.check_gate(pd.concat([a.diagnostics for a in attempts], ignore_index=True))
        raise AssertionError("unreachable: check_gate raises on a failed fit")
    return FrontierFit(
        form=form,
        design=design,
        rows=rows,
        posterior=last.idata.posterior,
        diagnostics=last.diagnostics,
        cache_hit=last.hit,
        seconds=time.perf_counter() - start,
    )
