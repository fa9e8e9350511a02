"""The measurement-error model: one latent training compute per result, observed through every
compute measure it has, with a bias per (measure, task) and a noise per measure.

Part of the models stage; imports vocab and data only.
"""

from __future__ import annotations

import time

import arviz as az
import numpy as np
import pandas as pd

from analysis.models.fit import (
    _COMPILED,
    DEFAULT_SETTINGS,
    SamplerSettings,
    ScalingFit,
    _checked_posterior,
    _make_fit,
    _prior_key,
    _prior_updates,
    _run_nutpie,
    _tidy,
    eligible_rows,
    fit_label,
    reported_parameters,
)
from analysis.models.scaling import (
    Likelihood,
    _latent_moments,
    build_measurement_model,
    make_design,
    slot_sizes,
)
from analysis.vocab.forms import Form

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
