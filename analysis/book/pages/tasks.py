"""Tables, figures and glued numbers for the methods, task and cross-task chapters.

Every chapter is a thin call into this module: :func:`task_report` glues everything a task
chapter shows under keys prefixed ``task-<slug>-``.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from analysis import models
from analysis.book.context import LATENT, book_context
from analysis.book.glue import glue_value, setup_chapter
from analysis.book.labels import series_name
from analysis.book.pages.task_story import story_report
from analysis.intervals import interval_of
from analysis.models.checks import prior_table
from analysis.models.ols import ols_per_series
from analysis.vocab.forms import FORMS, Form, error_from_response
from analysis.vocab.series import IMAGENET
from analysis.vocab.tasks import TASKS

PRIMARY_MEASURE = "hardware_burden"
"""The study's measure (processors x peak FLOP/s x training time): the task chapters' lead fit."""
INTERVAL = (0.05, 0.95)


def task_slug(task: str) -> str:
    """``image_classification`` -> ``image-classification``."""
    return task.replace("_", "-")


def task_title(task: str) -> str:
    """``image_classification`` -> ``Image classification``."""
    return task.replace("_", " ").capitalize()


def measurement_error_fit(form: Form) -> models.ScalingFit:
    """The measurement-error model over every measure (see :class:`BookContext`)."""
    return book_context().measurement_fit(form)


def all_fits() -> tuple[models.BookFit, ...]:
    """Every fit of the book: per measure, form and trend, plus the measurement-error model."""
    return book_context().all_fits()


def gated_fits() -> tuple[tuple[models.BookFit, ...], list[str]]:
    """The book's mean-line fits that pass the diagnostics gate, and each one that does not
    (``measure / form (+ trend): reason``): a task chapter leaves a failed baseline fit out and
    names it, as the frontier chapter does with a failed form, instead of stopping the build."""
    from analysis.models.diagnostics import DiagnosticsError

    context = book_context()
    fits, failed = [], []
    for measure, form, trend in models.book_fit_specs():
        try:
            fits.append(context.fit(measure, form, trend))
        except DiagnosticsError as error:
            name = f"{measure.replace('_', ' ')} / {form}{' + trend' if trend else ''}"
            failed.append(f"{name}: {str(error).strip().splitlines()[-1]}")
    for form in FORMS:
        if context.measurement_failure(form) is None:
            fit = context.measurement_fit(form)
            fits.append(models.BookFit(LATENT, fit, fit.rows, fit.excluded))
    return tuple(fits), failed


def diagnostics_table(fits: tuple[models.BookFit, ...] | None = None) -> pd.DataFrame:
    """One row per fit: N, worst R-hat, smallest bulk ESS, divergences, pass."""
    fits = all_fits() if fits is None else fits
    frames = [b.fit.diagnostics.assign(measure=b.measure) for b in fits]
    table = pd.concat(frames, ignore_index=True)
    columns = ["measure", "fit", "n_obs", "n_series", "max_rhat", "min_ess_bulk", "divergences"]
    return table[[*columns, "passed"]].round({"max_rhat": 3, "min_ess_bulk": 0})


def _summary(values: np.ndarray) -> tuple[float, float, float]:
    """(median, lo, hi) at the :data:`INTERVAL` quantiles, interpolated between draws."""
    return interval_of(values, quantiles=INTERVAL, method="linear")


def series_slopes(task: str, fits: tuple[models.BookFit, ...] | None = None) -> pd.DataFrame:
    """Bayesian slope (median, 90% interval) per series, fit and measure, beside the OLS slope."""
    records = []
    for book in all_fits() if fits is None else fits:
        fit = book.fit
        if fit.trend:
            continue
        ols = ols_per_series(fit.rows, fit.form).set_index("series")
        for series in [s for s, t in fit.series_task.items() if t == task]:
            median, low, high = _summary(fit.series_draws(series)["slope"].to_numpy())
            records.append(
                {
                    "measure": book.measure,
                    "form": fit.form,
                    "series": series,
                    "n": int(ols.loc[series, "n"]),
                    "slope": median,
                    "slope_lo": low,
                    "slope_hi": high,
                    "ols_slope": ols.loc[series].get("slope", np.nan),
                    "ols_se": ols.loc[series].get("slope_se", np.nan),
                    "ols_r2": ols.loc[series].get("r2", np.nan),
                }
            )
    return pd.DataFrame.from_records(records)


def fitted_lines(fit: models.ScalingFit, series: list[str], n_grid: int = 40) -> pd.DataFrame:
    """Posterior median and 90% band of the mean error along each series' compute range."""
    frames = []
    for name in series:
        rows = fit.rows.loc[fit.rows["series"] == name]
        grid = np.linspace(rows["log10_compute"].min(), rows["log10_compute"].max(), n_grid)
        draws = fit.series_draws(name)
        intercept = draws["intercept"].to_numpy()[:, None]
        if fit.trend:
            year = float(rows["year"].median())
            intercept = intercept + draws["trend"].to_numpy()[:, None] * (year - fit.year0)
        mean = intercept + draws["slope"].to_numpy()[:, None] * (grid - fit.x0)
        error = error_from_response(fit.form, mean)
        frames.append(
            pd.DataFrame(
                {
                    "series": name,
                    "log10_compute": grid,
                    "median": np.median(error, axis=0),
                    "low": np.quantile(error, INTERVAL[0], axis=0),
                    "high": np.quantile(error, INTERVAL[1], axis=0),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def lines_chart(points: pd.DataFrame, lines: pd.DataFrame, title: str) -> alt.LayerChart:
    """Log-log chart: observed errors and fitted lines with 90% credible bands per series."""
    x = alt.X("compute:Q", scale=alt.Scale(type="log"), title="Training compute (FLOP)")
    y_scale = alt.Scale(type="log")
    colour = alt.Color("series:N", title="Benchmark / metric")
    lines = lines.assign(compute=10.0 ** lines["log10_compute"])
    points = points.assign(compute=10.0 ** points["log10_compute"])
    band = (
        alt.Chart(lines)
        .mark_area(opacity=0.2)
        .encode(x=x, y=alt.Y("low:Q", scale=y_scale, title="Error (%)"), y2="high:Q", color=colour)
    )
    line = (
        alt.Chart(lines).mark_line().encode(x=x, y=alt.Y("median:Q", scale=y_scale), color=colour)
    )
    dots = (
        alt.Chart(points)
        .mark_circle(size=30, opacity=0.6)
        .encode(
            x=x,
            y=alt.Y("error:Q", scale=y_scale),
            color=colour,
            tooltip=["series", "error", "year", "log10_compute"],
        )
    )
    return (band + line + dots).properties(title=title)


PPC_LEVELS = (0.5, 0.9)
"""Central posterior predictive intervals whose coverage the checks report."""


def _predictive_draws(fit: models.ScalingFit, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Posterior predictive draws of every fitted row's response (draw, row), and row series."""
    rng = np.random.default_rng(seed)
    post = fit.idata.posterior
    const = fit.idata.constant_data
    idx = const["series_index"].values.astype(int)

    def per_row(name: str) -> np.ndarray:
        return post[name].values.reshape(-1, len(fit.series))[:, idx]

    mean = per_row("intercept_series") + per_row("slope_series") * (
        const["log10_compute"].values - fit.x0
    )
    if fit.trend:
        mean = mean + per_row("trend_series") * (const["year"].values - fit.year0)
    return mean + per_row("sigma") * rng.standard_normal(mean.shape), idx


def posterior_predictive_check(fit: models.ScalingFit, seed: int = 2020) -> pd.DataFrame:
    """Per series: share of observed responses inside the 50% and 90% posterior predictive
    intervals (near 0.5 and 0.9 when the model describes the spread well)."""
    predicted, idx = _predictive_draws(fit, seed)
    observed = fit.idata.observed_data["obs"].values
    records = []
    for s, name in enumerate(fit.series):
        mask = idx == s
        inside = {}
        for level in PPC_LEVELS:
            low, high = np.quantile(predicted[:, mask], [(1 - level) / 2, (1 + level) / 2], axis=0)
            inside[level] = float(np.mean((observed[mask] >= low) & (observed[mask] <= high)))
        records.append(
            {
                "series": name,
                "n": int(mask.sum()),
                **{f"inside_{round(100 * level)}": inside[level] for level in PPC_LEVELS},
            }
        )
    return pd.DataFrame.from_records(records)


def predictive_intervals(
    fit: models.ScalingFit, series: list[str], seed: int = 2020
) -> pd.DataFrame:
    """Per fitted row of ``series``: observed error and its posterior predictive median and
    outer (90%) interval, in error units, and whether the observation falls inside."""
    predicted, idx = _predictive_draws(fit, seed)
    level = PPC_LEVELS[-1]
    error = error_from_response(fit.form, predicted)
    low, median, high = np.quantile(error, [(1 - level) / 2, 0.5, (1 + level) / 2], axis=0)
    const = fit.idata.constant_data
    frame = pd.DataFrame(
        {
            "result_id": const["result"].values,
            "series": [fit.series[i] for i in idx],
            "log10_compute": const["log10_compute"].values,
            "error": const["error"].values,
            "predicted_median": median,
            "predicted_low": low,
            "predicted_high": high,
        }
    )
    frame["inside"] = (frame["error"] >= frame["predicted_low"]) & (
        frame["error"] <= frame["predicted_high"]
    )
    return frame.loc[frame["series"].isin(series)].reset_index(drop=True)


def predictive_chart(frame: pd.DataFrame, title: str) -> alt.FacetChart:
    """Per series (facet): each row's 90% posterior predictive interval of error as a vertical
    rule, the observed error as a point coloured by whether it falls inside."""
    data = frame.assign(
        compute=10.0 ** frame["log10_compute"],
        status=np.where(frame["inside"], "inside the interval", "outside the interval"),
    )
    x = alt.X("compute:Q", scale=alt.Scale(type="log"), title="Training compute (FLOP)")
    y_scale = alt.Scale(type="log")
    rules = (
        alt.Chart()
        .mark_rule(opacity=0.5)
        .encode(
            x=x,
            y=alt.Y("predicted_low:Q", scale=y_scale, title="Error (%)"),
            y2="predicted_high:Q",
        )
    )
    dots = (
        alt.Chart()
        .mark_circle(size=30)
        .encode(
            x=x,
            y=alt.Y("error:Q", scale=y_scale),
            color=alt.Color("status:N", title="Observed error"),
            tooltip=["series", "result_id", "error", "predicted_low", "predicted_high"],
        )
    )
    return (
        alt.layer(rules, dots, data=data)
        .properties(width=220, height=180)
        .facet(facet=alt.Facet("series:N", title=None), columns=3)
        .resolve_scale(x="independent", y="independent")
        .properties(title=title)
    )


@dataclass(frozen=True)
class TaskSummary:
    """What a task chapter needs besides its glued items."""

    task: str
    skipped: bool
    n_results: int
    n_fitted: int


def exclusion_counts(task: str) -> pd.DataFrame:
    """Per measure: results of the task in the fit table, in the primary no-trend fit, and left
    out with each reason."""
    records = []
    for measure in models.BOOK_MEASURES:
        table = book_context().fit_table(measure)
        rows = table.rows.loc[table.rows["task"] == task]
        fit = book_context().fit(measure, "polynomial", False).fit
        used = fit.rows.loc[fit.rows["task"] == task]
        left = fit.excluded.loc[fit.excluded["result_id"].isin(rows["result_id"])]
        record = {"measure": measure, "with this measure": len(rows), "in the fit": len(used)}
        for reason, count in left["reason"].value_counts().items():
            record[reason] = int(count)
        records.append(record)
    return pd.DataFrame.from_records(records).fillna(0)


def _markdown(text: str) -> object:
    """Text glued for ``{glue:md}`key:myst```."""
    from IPython.display import Markdown

    return Markdown(text)


def glue_conventions(prefix: str) -> None:
    """Glue the constants the prose names (interval level, PPC levels, diagnostics gate)."""
    from analysis.models.diagnostics import MAX_RHAT, MIN_ESS_BULK

    glue_value(f"{prefix}-interval", round(100 * (INTERVAL[1] - INTERVAL[0])))
    glue_value(f"{prefix}-ppc-inner", round(100 * PPC_LEVELS[0]))
    glue_value(f"{prefix}-ppc-outer", round(100 * PPC_LEVELS[1]))
    glue_value(f"{prefix}-ppc-inner-share", PPC_LEVELS[0])
    glue_value(f"{prefix}-ppc-outer-share", PPC_LEVELS[1])
    glue_value(f"{prefix}-max-rhat", MAX_RHAT)
    glue_value(f"{prefix}-min-ess", round(MIN_ESS_BULK))


def task_report(task: str) -> TaskSummary:
    """Glue every item of a task chapter (keys ``task-<slug>-...``) and return its summary."""
    setup_chapter()
    from analysis.book.figures import publish_figure

    slug = task_slug(task)
    prefix = f"task-{slug}"
    glue_conventions(prefix)
    story_report(task, prefix)  # records, frontier, influential papers, answer (before baseline)
    counts = exclusion_counts(task)
    gated, failed = gated_fits()
    glue_value(f"{prefix}-failed-fits", "; ".join(failed) if failed else "none")
    fits = [b for b in gated if task in b.fit.tasks]
    n_results = int(counts["with this measure"].max()) if not counts.empty else 0
    glue_value(f"{prefix}-counts", counts)
    glue_value(f"{prefix}-n-results", n_results)
    glue_value(f"{prefix}-n-fits", len(fits))
    if not fits:
        counts_long = counts.melt(id_vars="measure", var_name="status", value_name="results")
        chart = (
            alt.Chart(counts_long)
            .mark_bar()
            .encode(
                x=alt.X("results:Q", title="Results"),
                y=alt.Y("measure:N", title="Compute measure"),
                color=alt.Color("status:N", title=None),
                yOffset="status:N",
            )
            .properties(title=f"{task_title(task)}: results per compute measure (no fit)")
        )
        publish_figure(
            chart,
            f"fig-{prefix}-lines",
            data=counts_long,
            alt_text=(
                f"Bar chart of {task_title(task)} results per compute measure and their status; "
                "no benchmark series has enough data for a fitted line."
            ),
        )
        empty = pd.DataFrame()
        for item in ("slopes", "diagnostics", "ppc"):
            glue_value(f"{prefix}-{item}", empty)
        glue_value(f"{prefix}-n-fitted", 0)
        glue_value(f"{prefix}-summary", _markdown(_skipped_text(task, n_results)))
        return TaskSummary(task, True, n_results, 0)
    lead = next((b for b in fits if b.measure == PRIMARY_MEASURE), fits[0])
    lead_fit = book_context().fit(lead.measure, "polynomial", False).fit
    series = [s for s, t in lead_fit.series_task.items() if t == task]
    points = lead_fit.rows.loc[lead_fit.rows["series"].isin(series)]
    lines = fitted_lines(lead_fit, series)
    chart = lines_chart(points, lines, f"{task_title(task)}: error against {lead.measure}")
    publish_figure(
        chart,
        f"fig-{prefix}-lines",
        data=pd.concat([points.assign(layer="observed"), lines.assign(layer="fit")]),
        alt_text=(
            f"Log-log scatter of error against training compute ({lead.measure}) for "
            f"{len(series)} benchmark series of {task_title(task)}, with the polynomial model's "
            "posterior median line and 90% credible band per series."
        ),
    )
    slopes = series_slopes(task, gated)
    glue_value(f"{prefix}-slopes", slopes.round(4))
    glue_value(f"{prefix}-lead-measure", lead.measure.replace("_", " "))
    glue_value(f"{prefix}-n-fitted", len(points))
    glue_value(f"{prefix}-n-series", len(series))
    task_diag = diagnostics_table(tuple(fits))
    glue_value(f"{prefix}-diagnostics", task_diag)
    glue_value(f"{prefix}-n-diag", len(task_diag))
    ppc = posterior_predictive_check(lead_fit)
    glue_value(f"{prefix}-ppc", ppc.loc[ppc["series"].isin(series)].round(2))
    intervals = predictive_intervals(lead_fit, series)
    publish_figure(
        predictive_chart(intervals, f"{task_title(task)}: posterior predictive check"),
        f"fig-{prefix}-ppc",
        data=intervals,
        alt_text=(
            f"Posterior predictive check of {task_title(task)}, one panel per benchmark series: "
            "each result's 90% posterior predictive interval of error as a vertical line and its "
            "observed error as a point, coloured by whether it falls inside."
        ),
    )
    lead_slopes = slopes.loc[(slopes["measure"] == lead.measure) & (slopes["form"] == "polynomial")]
    steepest = lead_slopes.sort_values("slope").iloc[0]
    glue_value(f"{prefix}-steepest-series", steepest["series"])
    glue_value(f"{prefix}-steepest-slope", float(steepest["slope"]))
    glue_value(f"{prefix}-steepest-lo", float(steepest["slope_lo"]))
    glue_value(f"{prefix}-steepest-hi", float(steepest["slope_hi"]))
    glue_value(
        f"{prefix}-summary", _markdown(_summary_text(task, lead.measure, lead_slopes, len(points)))
    )
    return TaskSummary(task, False, n_results, len(points))


def _skipped_text(task: str, n_results: int) -> str:
    """The answer paragraph of a task without any fit."""
    return (
        f"**Mean-line baseline: not estimable here.** {task_title(task)} has {n_results} "
        "results with a compute measure at most, and no benchmark series with "
        f"{models.MIN_SERIES_ROWS} or more of them spanning {models.MIN_SERIES_SPAN} decades of "
        "compute under any measure, so no slope can be estimated from data rather than from the "
        "prior. The task is left out of the mean-line fits; its rows stay in the dataset."
    )


def _summary_text(task: str, measure: str, slopes: pd.DataFrame, n_fitted: int) -> str:
    """The answer paragraph of a fitted task: per-series polynomial slopes with intervals."""
    parts = []
    for row in slopes.sort_values("slope").itertuples():
        halving = np.log10(2) / -row.slope if row.slope < 0 else np.inf
        halving_text = f"{halving:.1f}" if np.isfinite(halving) else "no finite number of"
        parts.append(
            f"{series_name(row.series)}: {row.slope:.3f} (90% interval {row.slope_lo:.3f} to "
            f"{row.slope_hi:.3f}), i.e. {halving_text} decades of compute per halving of error"
        )
    return (
        f"**Mean-line baseline.** With compute measured as {measure.replace('_', ' ')} "
        f"({n_fitted} results), "
        "log10 error falls with log10 compute at a rate of " + "; ".join(parts) + "."
    )


# --- cross-task ---------------------------------------------------------------------------


def task_slopes() -> pd.DataFrame:
    """Task-level slope (median, 90%) of every no-trend fit; for the polynomial form also the
    decades of compute needed to halve the error, log10(2) / -slope."""
    records = []
    for book in all_fits():
        fit = book.fit
        if fit.trend:
            continue
        slopes = fit.idata.posterior["slope_task"]
        for task in fit.tasks:
            draws = slopes.sel(task=task).values.reshape(-1)
            median, low, high = _summary(draws)
            record = {
                "measure": book.measure,
                "form": fit.form,
                "task": task,
                "slope": median,
                "slope_lo": low,
                "slope_hi": high,
            }
            if fit.form == "polynomial":
                with np.errstate(divide="ignore"):
                    decades = np.where(draws < 0, np.log10(2) / -draws, np.inf)
                record["decades_per_halving"] = float(np.median(decades))
            records.append(record)
    return pd.DataFrame.from_records(records)


def loo_verdicts(measure: str = PRIMARY_MEASURE) -> pd.DataFrame:
    """Per task: PSIS-LOO ranks of polynomial vs exponential, with and without trend (log10
    error scale), and whether the best beats the runner-up by more than 2 standard errors."""
    fits = {
        f"{form}{' + trend' if trend else ''}": book_context().fit(measure, form, trend).fit
        for form in FORMS
        for trend in (False, True)
    }
    records = []
    for task in fits["polynomial"].tasks:
        present = {label: fit for label, fit in fits.items() if task in fit.tasks}
        table = models.task_loo(present, task)
        best, second = table.index[0], table.index[1]
        clear = table.loc[second, "elpd_diff"] > 2 * table.loc[second, "dse"]
        records.append(
            {
                "task": task,
                "n": table.attrs["n"],
                "best": best,
                "runner_up": second,
                "elpd_diff": float(table.loc[second, "elpd_diff"]),
                "se": float(table.loc[second, "dse"]),
                "clear": bool(clear),
                "pareto_k_warning": bool(table["warning"].any()),
            }
        )
    return pd.DataFrame.from_records(records)


# --- methods: prior predictive -------------------------------------------------------------


def prior_predictive(form: Form, n_draws: int = 400, seed: int = 2020) -> pd.DataFrame:
    """Error quantiles along ±3 decades of compute under the priors alone, drawn from the
    scaling model itself (:func:`analysis.models.checks.prior_predictive`)."""
    from analysis.models.checks import prior_predictive as model_prior_predictive

    return model_prior_predictive(form, n_draws=n_draws, seed=seed)


def prior_predictive_chart(data: pd.DataFrame) -> alt.FacetChart:
    """Bands of prior predictive error (50% and 90%) per form."""
    x = alt.X("decades_from_centre:Q", title="log10 compute minus the series' centre")
    base = alt.Chart(data)
    outer = base.mark_area(opacity=0.25).encode(
        x=x, y=alt.Y("q05:Q", title="Error (% or response units)"), y2="q95:Q"
    )
    inner = base.mark_area(opacity=0.45).encode(x=x, y="q25:Q", y2="q75:Q")
    line = base.mark_line().encode(x=x, y="median:Q")
    return (
        (outer + inner + line)
        .properties(width=260, height=220)
        .facet(column=alt.Column("form:N", title=None))
        .resolve_scale(y="independent")
    )


def priors_table() -> pd.DataFrame:
    """The priors of the scaling model, as the model defines them (from `models.checks`)."""
    return prior_table()


def imagenet_ols(measure: str = PRIMARY_MEASURE) -> pd.Series:
    """The study-style OLS of ImageNet top-1 error on compute, and with a year term."""
    rows = book_context().fit_table(measure).rows
    table = ols_per_series(rows, "polynomial").set_index("series")
    return table.loc[IMAGENET]


def measurement_table(fit: models.ScalingFit) -> pd.DataFrame:
    """Posterior bias (per task with observations) and noise of each measure, log10 units."""
    post = fit.idata.posterior
    records = []
    counts = fit.compute_observations.groupby(["measure", "task"]).size()
    for measure in post["measure"].values:
        noise = _summary(post["noise"].sel(measure=measure).values.reshape(-1))
        for task in post["task"].values:
            if (measure, task) not in counts.index:
                continue
            bias = _summary(post["bias"].sel(measure=measure, task=task).values.reshape(-1))
            records.append(
                {
                    "measure": measure,
                    "task": task,
                    "observations": int(counts[(measure, task)]),
                    "bias": bias[0],
                    "bias_lo": bias[1],
                    "bias_hi": bias[2],
                    "noise": noise[0],
                }
            )
    return pd.DataFrame.from_records(records)


def methods_report() -> None:
    """Glue every item of the methods chapter (keys ``methods-...``)."""
    setup_chapter()
    from analysis.book.figures import publish_figure
    from analysis.checks.reproduction import STUDY_IMAGENET_R2, STUDY_IMAGENET_TREND_R2
    from analysis.models import PRIOR_SCALES

    glue_conventions("methods")
    glue_value("methods-scale-polynomial", PRIOR_SCALES["polynomial"].scale)
    glue_value("methods-scale-exponential", PRIOR_SCALES["exponential"].scale)
    glue_value("methods-study-r2", round(100 * STUDY_IMAGENET_R2))
    glue_value("methods-study-trend-r2", round(100 * STUDY_IMAGENET_TREND_R2))

    prior = pd.concat([prior_predictive(form) for form in FORMS], ignore_index=True)
    publish_figure(
        prior_predictive_chart(prior),
        "fig-methods-prior-predictive",
        data=prior,
        alt_text=(
            "Two panels, polynomial and exponential form: bands of the error a single benchmark "
            "series could show under the priors alone, over three decades of compute either side "
            "of its centre (median line, 50% and 90% bands)."
        ),
    )
    glue_value("methods-priors", priors_table())
    glue_value("methods-min-rows", models.MIN_SERIES_ROWS)
    glue_value("methods-min-span", models.MIN_SERIES_SPAN)
    glue_value("methods-min-years", models.MIN_YEAR_SPAN)
    settings = models.DEFAULT_SETTINGS
    strict = models.STRICT_SETTINGS
    for name, value in (
        ("chains", settings.chains),
        ("tune", settings.tune),
        ("draws", settings.draws),
        ("target-accept", settings.target_accept),
        ("strict-tune", strict.tune),
        ("strict-draws", strict.draws),
        ("strict-target-accept", strict.target_accept),
    ):
        glue_value(f"methods-{name}", value)
    fits = all_fits()
    table = diagnostics_table(fits)
    glue_value("methods-diagnostics", table)
    glue_value("methods-n-fits", len(table))
    attempts = pd.concat([b.fit.diagnostics for b in fits], ignore_index=True)
    glue_value(
        "methods-n-escalated", int((attempts["target_accept"] > settings.target_accept).sum())
    )
    glue_value("methods-n-low-rank", int(attempts["low_rank"].sum()))
    _glue_measurement_model()
    ols = imagenet_ols()
    glue_value("methods-ols-imagenet-n", int(ols["n"]))
    glue_value("methods-ols-imagenet-r2", 100 * float(ols["r2"]))
    glue_value("methods-ols-imagenet-extra-r2", 100 * float(ols["extra_r2_from_trend"]))
    glue_value("methods-ols-imagenet-slope", float(ols["slope"]))
    glue_value("methods-ols-imagenet-se", float(ols["slope_se"]))


def _glue_measurement_model() -> None:
    """Glue the measurement-error model's numbers, or say plainly that it failed the gate."""
    failure = book_context().measurement_failure("polynomial")
    if failure is not None:
        glue_value("methods-me-status", f"On this build the model failed the gate ({failure}); "
                   "its numbers below are missing and no chapter uses it.")  # fmt: skip
        glue_value("methods-me-table", pd.DataFrame({"status": ["failed the diagnostics gate"]}))
        for key in ("methods-me-n", "methods-me-n-dropped"):
            glue_value(key, 0)
        glue_value("methods-me-tasks", "no task")
        for key in ("methods-me-fpp-imagenet", "methods-me-hb-imagenet"):
            glue_value(key, float("nan"))
        return
    me = measurement_error_fit("polynomial")
    glue_value("methods-me-status", "The model passed the gate on this build.")
    glue_value("methods-me-table", measurement_table(me).round(2))
    glue_value("methods-me-n", me.n_obs)
    glue_value("methods-me-n-dropped", len(me.dropped_observations))
    glue_value("methods-me-tasks", ", ".join(t.replace("_", " ") for t in me.tasks))
    bias = me.idata.posterior["bias"]
    fpp = bias.sel(measure="flops_per_pass", task="image_classification").values.reshape(-1)
    glue_value("methods-me-fpp-imagenet", float(np.median(fpp)))
    hb = bias.sel(measure="hardware_burden", task="image_classification").values.reshape(-1)
    glue_value("methods-me-hb-imagenet", float(np.median(hb)))


def cross_task_report() -> None:
    """Glue every item of the cross-task chapter (keys ``cross-task-...``)."""
    setup_chapter()
    from analysis.book.figures import publish_figure

    glue_conventions("cross-task")

    slopes = task_slopes()
    poly = slopes.loc[slopes["form"] == "polynomial"].copy()
    chart = alt.Chart(poly).mark_rule().encode(
        x=alt.X("slope_lo:Q", title="Task slope: change in log10 error per decade of compute"),
        x2="slope_hi:Q",
        y=alt.Y("task:N", title=None),
        color=alt.Color("measure:N", title="Compute measure"),
        yOffset="measure:N",
    ) + alt.Chart(poly).mark_point(filled=True).encode(
        x="slope:Q", y="task:N", color="measure:N", yOffset="measure:N"
    )
    publish_figure(
        chart,
        "fig-cross-task-slopes",
        data=poly,
        alt_text=(
            "Task-level slopes of the polynomial model (posterior median and 90% interval) for "
            "each task and compute measure; further left means error falls faster with compute."
        ),
    )
    glue_value("cross-task-slopes", slopes.round(3))
    lead = poly.loc[poly["measure"] == PRIMARY_MEASURE].sort_values("slope")
    glue_value("cross-task-n-tasks", len(lead))
    hungriest = lead.iloc[-1]
    cheapest = lead.iloc[0]
    glue_value("cross-task-hungriest", hungriest["task"].replace("_", " "))
    glue_value("cross-task-hungriest-decades", float(hungriest["decades_per_halving"]))
    glue_value("cross-task-cheapest", cheapest["task"].replace("_", " "))
    glue_value("cross-task-cheapest-decades", float(cheapest["decades_per_halving"]))
    fitted = {t for b in all_fits() for t in b.fit.tasks}
    skipped = [task_title(t) for t in TASKS if t not in fitted]
    glue_value("cross-task-skipped", ", ".join(skipped) if skipped else "none")
    glue_value("cross-task-n-skipped", len(skipped))
    loo = pd.concat(
        [loo_verdicts(m).assign(measure=m) for m in models.BOOK_MEASURES], ignore_index=True
    )
    glue_value("cross-task-loo", loo.round(2))
    glue_value("cross-task-loo-n", len(loo))
    glue_value("cross-task-loo-poly-best", int(loo["best"].str.startswith("polynomial").sum()))
    glue_value("cross-task-loo-clear", int(loo["clear"].sum()))
