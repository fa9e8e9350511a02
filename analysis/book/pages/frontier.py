"""The frontier chapter (``book/frontier.md``): the headline model, priors, fit and forecasts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from types import SimpleNamespace

import altair as alt
import numpy as np
import pandas as pd
from IPython.display import Markdown

from analysis.book.context import book_context
from analysis.book.figures import publish_figure
from analysis.book.glue import glue_value, setup_chapter
from analysis.book.labels import series_name
from analysis.book.tables import glue_table
from analysis.checks import backtest_store
from analysis.checks import frontier_backtest as bt
from analysis.data import DEFAULT_POPULATIONS, primary_results
from analysis.intervals import format_power_of_ten, interval_of, power_of_ten_text
from analysis.models import frontier as fm
from analysis.models.diagnostics import MAX_RHAT, MIN_ESS_BULK
from analysis.paths import GENERATED_DIR
from analysis.projection import frontier as fp
from analysis.projection.assumptions import Assumptions, load_assumptions
from analysis.projection.extrapolate import todays_best_results
from analysis.vocab.series import IMAGENET

HEADLINE_SERIES = IMAGENET
TARGETS = (5.0, 1.0)
REPORT_COLUMNS = [
    "cutoff", "target", "model", "n", "papers", "coverage_50", "coverage_90", "crps",
    "nonfinite_share",
]  # fmt: skip
PARAMETERS = (("slope", "slope_task"), ("trend", "trend_task"), ("gap_share", "gap_share"))
PERCENT_COLUMNS = ("coverage_50", "coverage_90", "nonfinite_share")
BASELINE_NAMES = {
    "ols": "the study's least squares",
    "mean_line": "the mean line",
    "no_progress": "a forecast of no further progress",
}
"""The baselines as the prose names them."""
RECORD_TARGETS = {"coverage_90": (0.85, 0.95), "coverage_50": (0.40, 0.60)}
"""The backtest targets for later record-setting results (pooled over cutoffs)."""


@cache
def headline_table() -> fp.HeadlineTable:
    """The headline rows and their exclusions, built once per kernel."""
    return fp.headline_table(book_context().tables)


@cache
def headline_attempts() -> tuple[dict[str, fm.FrontierFit], dict[str, str]]:
    """The frontier forms fitted on every headline row (cached posteriors), and the forms that
    failed the diagnostics gate even after escalation, with the reason: those are left out of
    the stack and the book says so."""
    return fp.fit_forms(headline_table().rows)


def headline_fits() -> dict[str, fm.FrontierFit]:
    """The headline frontier forms that passed the gate."""
    return headline_attempts()[0]


@cache
def backtest_run() -> bt.BacktestRun:
    """The rolling-origin backtest on the headline rows: the committed run while it is current,
    else the run from the posterior cache (refitting what it lacks)."""
    return backtest_store.committed_or_cached(headline_table().rows)


def headline_weights() -> dict[str, float]:
    """Stacking weights of the forms that passed the headline gate, estimated on every later
    result of the leave-future-out backtest that all of them scored."""
    return bt.weights_from_densities([backtest_run().densities], tuple(headline_fits()))


def paper_results() -> pd.DataFrame:
    """Primary results of the default population with a positive error: today's best is one."""
    primary = primary_results(book_context().tables)
    return primary[primary["population"].isin(DEFAULT_POPULATIONS) & (primary["error"] > 0)]


def todays_best(series: str, through_year: float) -> pd.Series:
    """The best paper-reported error published up to ``through_year`` and the result behind it."""
    papers = paper_results()
    best = todays_best_results(papers[papers["series"] == series], through_year).loc[series]
    model = papers.set_index("result_id").loc[best["result_id"], "model"]
    return pd.Series({"result_id": best["result_id"], "model": model, "error": best["error"],
                      "year": best["year"]})  # fmt: skip


def prior_table() -> pd.DataFrame:
    """The priors of every form, read from the model's own prior definitions."""
    rows = []
    for form, p in fm.PRIORS.items():
        s = p.scale
        priors = [
            ("frontier level", f"Normal(median response, {2 * s:g})"),
            ("slope per decade (task)", f"Normal(0, {p.slope_task_sd * s:g})"),
            ("trend per year (task)", f"Normal(0, {p.trend_task_sd * s:g})"),
            ("composed scale (task)", f"Gamma({fm.SD_SHAPE:g}, mean {p.spread_mean * s:g})"),
            ("gap share of variance (task)", f"Beta({p.share_a:g}, {p.share_b:g})"),
        ]
        if form == "floor":
            priors.append(("floor / lowest error", f"Beta({p.floor_a:g}, {p.floor_b:g})"))
        rows += [{"form": form, "parameter": k, "prior": v} for k, v in priors]
    mu, sd = fm.OFFSET_PRIOR
    offset = {"form": "all", "parameter": "measure offset (operations)"}
    rows.append(offset | {"prior": f"Normal({mu:.2f}, {sd:g})"})
    return pd.DataFrame(rows)


def prior_halving(n: int = 4000, seed: int = 2020) -> pd.DataFrame:
    """Prior predictive of the headline quantity: the log10 multiplier that halves an error
    (polynomial form), and the share of prior draws whose slope never reaches it."""
    p = fm.PRIORS["polynomial"]
    slope = np.random.default_rng(seed).normal(0.0, p.slope_task_sd * p.scale, n)
    with np.errstate(divide="ignore"):
        multiplier = np.where(slope < 0, np.log10(0.5) / slope, np.inf)
    return pd.DataFrame({"slope": slope, "log10_multiplier": multiplier})


def task_table(fits: dict[str, fm.FrontierFit]) -> pd.DataFrame:
    """Per task and form: slope per decade, trend per year and gap share (median and 90%)."""
    rows = []
    for form, fit in fits.items():
        for task in fit.design.tasks:
            entry = {"task": task, "form": form}
            for name, var in PARAMETERS:
                med, lo, hi = interval_of(fit.task_draws(task, var), 0.9)
                entry |= {f"{name}_median": med, f"{name}_lo": lo, f"{name}_hi": hi}
            rows.append(entry)
    return pd.DataFrame(rows)


def halving_by_series(
    fits: dict[str, fm.FrontierFit], year: float, through_year: float, level: float
) -> pd.DataFrame:
    """Per fitted series with a result published by ``through_year``, and per form: its best
    error, and the median and interval of the log10 compute multiplier that halves it on the
    ``year`` frontier. The forms differ most where a series' errors sit far from its task's others:
    the exponential form's slope is in error points and shared by the task's series."""
    fitted = next(iter(fits.values())).series
    papers = paper_results()
    published = todays_best_results(papers[papers["series"].isin(fitted)], through_year)
    rows = []
    for series, best in published["error"].items():
        for form, fit in fits.items():
            med, lo, hi = interval_of(
                fp.halving_log10_multiplier(fit.draws(series), form, float(best), year), level
            )
            rows.append({"series": series, "best_error": float(best), "form": form,
                         "median": med, "lo": lo, "hi": hi})  # fmt: skip
    return pd.DataFrame(rows)


def _glue_halving_by_series(fits: dict[str, fm.FrontierFit], a: Assumptions) -> None:
    """The per-series halving table and the series where the forms disagree most."""
    table = halving_by_series(fits, float(a.year), a.today_through, a.interval)
    wide = table.pivot(index=["series", "best_error"], columns="form", values="median")
    shown = table.assign(
        multiplier=[
            format_power_of_ten(m, lo, hi)
            for m, lo, hi in table[["median", "lo", "hi"]].itertuples(index=False)
        ],
        benchmark=table["series"].map(series_name),
    ).pivot(index=["benchmark", "best_error"], columns="form", values="multiplier")
    glue_table(
        "frontier-halving-by-series",
        shown.reset_index().rename(columns={"best_error": "today's best error"}),
    )
    glue_value("frontier-halving-gap-text", halving_gap_text(wide))


def halving_gap_text(wide: pd.DataFrame) -> str:
    """Where the exponential form's halving multiplier is smallest next to the polynomial
    form's (finite medians, in decades): the series whose errors sit lowest in its task."""
    if not {"polynomial", "exponential"} <= set(wide.columns):
        return "Only one of the polynomial and exponential forms passed the gate."
    both = wide[np.isfinite(wide["polynomial"]) & np.isfinite(wide["exponential"])]
    both = both[both["polynomial"] > 0]
    if both.empty:
        return "No series has a finite halving multiplier under both forms."
    series, best = (both["exponential"] / both["polynomial"]).idxmin()
    poly, expo = (power_of_ten_text(float(both.loc[(series, best), f])) for f in
                  ("polynomial", "exponential"))  # fmt: skip
    return (
        f"On {series_name(series)} (best error {best:.3g}) halving takes {expo} times the "
        f"compute under the exponential form and {poly} under the polynomial form (medians)."
    )


def projection_draws(
    fits: dict[str, fm.FrontierFit], series: str, year: float, best: float
) -> dict[str, dict[str, np.ndarray]]:
    """Per quantity and form: draws of log10 compute per study target of ImageNet (:data:`TARGETS`)
    and of the halving multiplier (:func:`analysis.projection.frontier.projection_draws`)."""
    return fp.projection_draws(fits, series, year, best, TARGETS)


def _glue_interval(key: str, values: np.ndarray, level: float) -> str:
    med, lo, hi = interval_of(values, level)
    text = format_power_of_ten(med, lo, hi)
    glue_value(key, text)
    return text


def report_frame() -> pd.DataFrame:
    """Every row of ``reports/backtest.json``: per cutoff and pooled, target and model."""
    return pd.DataFrame(bt.report_rows(backtest_run().scores), columns=REPORT_COLUMNS)


def backtest_rows() -> pd.DataFrame:
    """The backtest's rows pooled over cutoffs (``reports/backtest.json`` lists them all)."""
    rows = report_frame()
    return rows[rows["cutoff"] == "pooled"].drop(columns="cutoff").reset_index(drop=True)


def coverage_percent(rows: pd.DataFrame) -> pd.DataFrame:
    """Report rows with coverages and off-scale draws in percent, as the chapters show them."""
    return rows.assign(**{c: 100 * rows[c] for c in PERCENT_COLUMNS if c in rows})


def target_range(column: str) -> str:
    """'85–95%': the backtest's target for the coverage ``column`` of later records."""
    lo, hi = RECORD_TARGETS[column]
    return f"{100 * lo:.0f}–{100 * hi:.0f}%"


def extra_data_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Image-classification headline rows per extra training data and whether their compute
    includes the pre-training (``results.extra_data``, ``compute_includes_pretraining``)."""
    results = book_context().tables.results.set_index("result_id")
    images = rows.loc[rows["task"] == "image_classification", "result_id"]
    columns = ["extra_data", "compute_includes_pretraining"]
    found = results.loc[images, columns].fillna("unknown")
    counts = found.groupby(columns).size().rename("results").reset_index()
    names = {"extra_data": "extra training data"}
    names["compute_includes_pretraining"] = "compute includes pre-training"
    return counts.rename(columns=names)


def _glue_extra_data(rows: pd.DataFrame) -> None:
    table = extra_data_table(rows)
    kind = table["extra training data"]
    extra = table[~kind.isin(["none", "unknown"])]
    glue_value("frontier-extra-data-unknown", int(table.loc[kind == "unknown", "results"].sum()))
    includes = extra.groupby("compute includes pre-training")["results"].sum()
    glue_value("frontier-n-image-classification", int(table["results"].sum()))
    glue_value("frontier-extra-data", int(extra["results"].sum()))
    for kind in ("yes", "no", "unknown"):
        glue_value(f"frontier-extra-pretraining-{kind}", int(includes.get(kind, 0)))
    glue_table("frontier-extra-data-table", table)


def _glue_off_scale(pooled: pd.DataFrame) -> None:
    """Share of the headline's forecast draws the scores leave out, for later records (an error
    at or below zero) and for the compute of a record (a target no compute reaches)."""
    headline = pooled[pooled["model"] == "headline"].set_index("target")["nonfinite_share"]
    for target, key in (("records", "records"), ("headline_quantity", "quantity")):
        glue_value(f"frontier-offscale-{key}", float(100 * headline.get(target, float("nan"))))


def record_verdicts(pooled: pd.DataFrame) -> dict[str, object]:
    """The backtest's verdicts on later record-setting results (pooled rows of the report):
    coverage of the headline model's 90% and 50% intervals (percent) against
    :data:`RECORD_TARGETS`, its CRPS against the baselines, and whether every target is met."""
    records = pooled[(pooled["target"] == "records") & (pooled["model"] == "headline")]
    out: dict[str, object] = {}
    verdicts = []
    for column, (lo, hi) in RECORD_TARGETS.items():
        value = float(records[column].iloc[0]) if len(records) else float("nan")
        met = lo <= value <= hi
        verdicts.append(met)
        out[f"records-{column}"] = 100 * value
        out[f"records-{column}-verdict"] = "within" if met else "outside"
    not_beaten = crps_not_beaten(pooled)
    out["crps-verdict"] = crps_verdict(not_beaten, BASELINE_NAMES)
    out["targets-met"] = "met" if all(verdicts) and not_beaten == () else "missed"
    return out


def chance_sentence(scores: pd.DataFrame, verdicts: Mapping[str, object]) -> str:
    """How far chance alone moves the headline's pooled coverage of later records: the range a
    calibrated forecaster shows over as many cutoff-paper units
    (:func:`~analysis.checks.frontier_backtest.chance_band`), and where the measured one
    (``verdicts``, from :func:`record_verdicts`) lies."""
    mine = scores[(scores["target"] == "records") & (scores["model"] == "headline")]
    n_units = bt.units(mine)
    if n_units == 0:
        return "No later record was scored, so the coverage has no sampling range."
    parts = []
    for column, nominal in (("coverage_90", 0.9), ("coverage_50", 0.5)):
        lo, hi = bt.chance_band(n_units, nominal)
        measured = float(verdicts[f"records-{column}"])
        where = "inside" if 100 * lo <= measured <= 100 * hi else "outside"
        parts.append(
            f"{100 * lo:.0f}–{100 * hi:.0f}% for the {100 * nominal:.0f}% intervals"
            f" ({measured:.0f}% measured: {where})"
        )
    return (
        f"These coverages rest on {n_units} cutoff-paper units, so chance alone moves them: a"
        f" calibrated forecaster would show {parts[0]} and {parts[1]} in 95 of 100 such"
        " backtests, even in the widest case where the results of one unit all miss together."
    )


def backtest_scope(run: bt.BacktestRun) -> str:
    """Which cutoffs the pooled backtest scores, as a sentence: all, or all but those at which
    every form failed the gate (:func:`~analysis.checks.frontier_backtest.cutoffs_not_scored`)."""
    missing = bt.cutoffs_not_scored(run.fits)
    if not missing:
        return "Every cutoff could be fitted and is scored."
    cutoffs = "cutoff" if len(missing) == 1 else "cutoffs"
    return (
        f"The {_listed(missing, 'and')} {cutoffs} could not be fitted: every form failed the"
        " diagnostics gate there, so neither they nor their later results are scored, and the"
        " pooled scores speak only for the other cutoffs."
    )


def crps_not_beaten(pooled: pd.DataFrame) -> tuple[str, ...] | None:
    """The baselines whose CRPS on later records the headline model does not beat (pooled rows
    of the report); None when the headline has no records score."""
    crps = pooled[pooled["target"] == "records"].set_index("model")["crps"]
    if "headline" not in crps.index:
        return None
    return tuple(m for m in bt.BASELINES if m in crps.index and crps["headline"] >= crps[m])


def crps_verdict(not_beaten: Sequence[str] | None, names: Mapping[str, str] | None = None) -> str:
    """The CRPS verdict of :func:`crps_not_beaten`, naming the baselines by their report codes
    or by ``names``."""
    if not_beaten is None:
        return "cannot be scored (no refit passed the gate)"
    if not not_beaten:
        return "beats every baseline"
    return "does not beat " + _listed([(names or {}).get(m, m) for m in not_beaten], "or")


def _listed(words: Sequence[str], conjunction: str) -> str:
    """``['a', 'b', 'c']`` → ``'a, b and c'`` (with ``conjunction`` 'and')."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def publish() -> SimpleNamespace:
    """Fit the frontier forms, glue the headline, the priors, the fit and the backtest verdict."""
    setup_chapter()
    a = load_assumptions()
    table = headline_table()
    rows = table.rows
    fits = headline_fits()
    weights = headline_weights()

    glue_value("frontier-n-rows", len(rows))
    glue_value("frontier-offset-utilisation", float(10 ** fm.OFFSET_PRIOR[0]))
    glue_value("frontier-scale-log", fm.PRIORS["polynomial"].scale)
    glue_value("frontier-scale-points", fm.PRIORS["exponential"].scale)
    glue_value("frontier-max-rhat", MAX_RHAT)
    glue_value("frontier-min-ess", int(MIN_ESS_BULK))
    glue_value("frontier-final-accept", fm.FINAL_TARGET_ACCEPT)
    glue_value("frontier-target-a", TARGETS[0])
    glue_value("frontier-target-b", TARGETS[1])
    glue_value("frontier-nominal-90", 90)
    glue_value("frontier-nominal-50", 50)
    for column, key in (("coverage_90", "90"), ("coverage_50", "50")):
        glue_value(f"frontier-target-{key}", target_range(column))
    glue_value("frontier-n-papers", int(rows["paper_id"].nunique()))
    glue_value("frontier-n-series", int(rows["series"].nunique()))
    glue_value("frontier-n-tasks", int(rows["task"].nunique()))
    by_measure = rows["measure"].value_counts()
    for measure in fm.MEASURES:
        glue_value(f"frontier-n-{measure}", int(by_measure.get(measure, 0)))
    reasons = (
        table.excluded["reason"].value_counts().rename_axis("reason").reset_index(name="results")
    )
    glue_table("frontier-excluded", reasons)
    _glue_extra_data(rows)
    glue_table("frontier-priors", prior_table())
    prior = prior_halving()
    glue_value(
        "frontier-prior-wrong-sign", float(100 * np.mean(np.isinf(prior["log10_multiplier"])))
    )
    finite = prior["log10_multiplier"][np.isfinite(prior["log10_multiplier"])]
    glue_value("frontier-prior-halving", format_power_of_ten(*interval_of(finite.to_numpy(), 0.9)))
    diagnostics = pd.concat([f.diagnostics for f in fits.values()], ignore_index=True)
    glue_table(
        "frontier-diagnostics",
        diagnostics[["fit", "max_rhat", "min_ess_bulk", "divergences", "passed"]],
    )
    glue_table("frontier-tasks", task_table(fits))
    _glue_halving_by_series(fits, a)
    _, failed = headline_attempts()
    for form in fm.FRONTIER_FORMS:
        glue_value(f"frontier-weight-{form}", float(100 * weights.get(form, 0.0)))
    glue_value(
        "frontier-failed",
        "; ".join(f"the {form} form failed the gate ({why})" for form, why in failed.items())
        or "none failed",
    )
    run = backtest_run()
    failed_refits = [f for f in run.fits if not f.get("passed", True)]
    glue_value("frontier-backtest-failed", len(failed_refits))
    glue_table(
        "frontier-backtest-failures",
        pd.DataFrame(failed_refits, columns=["cutoff", "form", "rows", "reason"]),
    )

    from analysis.book.headline import frontier_headline

    h = frontier_headline(HEADLINE_SERIES)
    best = todays_best(HEADLINE_SERIES, a.today_through)
    glue_value("frontier-best-error", float(best["error"]))
    glue_value("frontier-best-model", str(best["model"]))
    glue_value("frontier-best-result", str(best["result_id"]))
    glue_value("frontier-year", int(h.year))
    quantities = (*(f"target-{t:g}" for t in TARGETS), "today", "halving")
    for quantity in quantities:
        _glue_interval(f"frontier-{quantity}-stacked", h.draws(quantity), h.level)
        for form in fm.FRONTIER_FORMS:
            if form in h.forms:
                _glue_interval(f"frontier-{quantity}-{form}", h.draws(quantity, form), h.level)
            else:
                glue_value(f"frontier-{quantity}-{form}", "not fitted (gate)")
    glue_value("frontier-level", round(100 * h.level))
    for target in TARGETS:
        key = f"target-{target:g}"
        glue_value(f"frontier-unreachable-{target:g}", float(100 * h.unreachable(key)))
        _glue_interval(f"frontier-usd-{target:g}", h.costs[key]["log10_usd"].to_numpy(), h.level)
        tonnes = h.costs[key]["log10_t_co2e"].to_numpy()
        _glue_interval(f"frontier-tco2-{target:g}", tonnes, h.level)

    pooled = backtest_rows()
    glue_table("frontier-backtest", coverage_percent(pooled))
    _glue_off_scale(pooled)
    verdicts = record_verdicts(pooled)
    for key, value in verdicts.items():
        glue_value(f"frontier-{key}", value)
    glue_value("frontier-records-chance", Markdown(chance_sentence(run.scores, verdicts)))
    out = GENERATED_DIR / "site" / "reports" / "backtest.json"
    bt.write_report(run, rows, fp.HEADLINE_MEASURE, out, headline_weights=weights)
    glue_value("frontier-backtest-fits", len(run.fits))
    glue_value("frontier-backtest-scope", Markdown(backtest_scope(run)))
    pit_counts = bt.pit_histogram(run.scores)
    pit = pd.DataFrame({"bin": np.arange(10) / 10 + 0.05, "results": pit_counts})
    chart = (
        alt.Chart(pit)
        .mark_bar()
        .encode(
            x=alt.X(
                "bin:Q",
                title="PIT (share of forecast draws below the observed error)",
                bin=alt.Bin(step=0.1),
            ),
            y=alt.Y("results:Q", title="later results"),
            tooltip=["bin:Q", "results:Q"],
        )
        .properties(width=420, height=220)
    )
    publish_figure(
        chart,
        "fig-frontier-pit",
        pit,
        alt_text="Histogram of the PIT of later results under the headline frontier model",
    )
    return SimpleNamespace(rows=rows, fits=fits, weights=weights, headline=h, best=best)
