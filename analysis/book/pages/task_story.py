"""The story part of a task chapter: records, the frontier, the papers that drive its slope.

:func:`story_report` glues, under keys ``task-<slug>-...``, what the task chapters show before
their mean-line baseline:

* the state of the art at the study's date (the best default-population result public by the
  assumptions' ``today_through``) and now (the best in the data), each with model, paper, date;
* the record timeline per primary series (:func:`records`): best error over ``result_date``;
* the task's part of the headline frontier fits (no new fit): observed rows and the stacked
  frontier at the series' latest date, the task slope and trend per form, the halving multiplier;
* the influence of each paper on the task slope, by Pareto-smoothed importance sampling over the
  posterior draws (:func:`psis_without`), with the per-row log-likelihood from the model's own
  density (:func:`row_loglik`).
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import arviz as az
import numpy as np
import pandas as pd
from scipy import stats

from analysis import data
from analysis.book.formats import power_of_ten_myst
from analysis.book.labels import form_name, series_name, task_name
from analysis.book.theme import TASK_COLOURS
from analysis.intervals import interval_of
from analysis.models import frontier as fm
from analysis.paths import REPO_ROOT
from analysis.projection import frontier as fp
from analysis.vocab.benchmark_facts import task_facts

LEVEL = 0.9
"""Central interval of every band and interval of the story (as the frontier chapter's)."""
MAX_K = 0.7
"""Pareto k above which an importance-sampling estimate is unreliable (Vehtari et al.)."""
MIN_SERIES_RESULTS = 10
"""A series gets a record timeline with at least this many default-population results."""
MAX_SERIES = 3
MAX_LABELS = 8
"""A series' records get text labels when it has at most this many (else its latest few)."""
LATEST_LABELS = 1
INFLUENCE_ROWS = 10
"""The influence table lists the papers that move the slope most."""
SEARCH_REPORT = "data/reports/compute_search.csv"


def signed(value: float) -> str:
    """Three significant figures with a true minus sign."""
    return f"{value:.3g}".replace("-", "−")


def signed_interval(median: float, lo: float, hi: float) -> str:
    """'−0.060 (−0.075 to −0.046)': three significant figures, 'to' between signed bounds."""
    return f"{signed(median)} ({signed(lo)} to {signed(hi)})"


def shorten(text: object, limit: int) -> str:
    """Text cut to ``limit`` characters at a word boundary, with an ellipsis when cut."""
    text = str(text)
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,:;-") + "…"


def plural(n: int, word: str) -> str:
    """'1 paper', '3 papers'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --- records ----------------------------------------------------------------------------------


MID_MONTH = pd.Timedelta(days=14)
"""Where a month-precision date (``2020-10``) stands on a chart's time axis: mid-month, as on the
fits' decimal-year axis; tables and tooltips print the month as given."""


def default_results(tables: object, task: str) -> pd.DataFrame:
    """The task's primary results in the default population, dated by ``result_date``."""
    primary = data.primary_results(tables)
    keep = (
        (primary["task"] == task)
        & primary["population"].isin(data.DEFAULT_POPULATIONS)
        & (primary["error"] > 0)
        & primary["date"].notna()
        & primary["year"].notna()
    )
    out = primary[keep].copy()
    dates = out["result_date"] if "result_date" in out else out["date"]
    out["date"] = pd.to_datetime(dates, format="ISO8601", errors="coerce")
    out["date_text"] = dates.astype(str)
    out["plot_date"] = out["date"].where(out["date_text"].str.len() == 10, out["date"] + MID_MONTH)
    return out[out["date"].notna()].reset_index(drop=True)


def record_flags(frame: pd.DataFrame) -> pd.Series:
    """Whether each row set a record: the best result of its date (decimal ``year``; the lowest
    ``result_id`` on ties) among those that beat every earlier result of the series. Records are
    :func:`analysis.data.frontier_flags` on the time axis of the fits and the backtest (a
    month-precision date at mid-month), so only the results that compete for the frontier
    (:data:`analysis.data.FRONTIER_ORIGINS`) can set one."""
    beat = data.frontier_flags(frame)
    candidates = frame[beat].sort_values(["series", "year", "error", "result_id"])
    best_of_date = candidates.drop_duplicates(["series", "year"]).index
    return pd.Series(frame.index.isin(best_of_date), index=frame.index)


def training_compute(tables: object) -> pd.DataFrame:
    """Per result: its training compute (log10 FLOP) in the first measure of the headline
    measures it has (hardware burden, then training FLOP, then network operations)."""
    long = data.compute_long(tables, usable_only=True)
    long = long[long["measure"].isin(fm.MEASURES)].copy()
    long["rank"] = long["measure"].map({m: i for i, m in enumerate(fm.MEASURES)})
    first = long.sort_values(["result_id", "rank"]).drop_duplicates("result_id")
    return first[["result_id", "measure", "log10_flops"]].rename(
        columns={"measure": "compute_measure", "log10_flops": "log10_compute"}
    )


def story_series(results: pd.DataFrame, fitted: list[str]) -> list[str]:
    """The series that get a timeline: fitted ones and those with many results, most first."""
    counts = results["series"].value_counts()
    chosen = [s for s in counts.index if counts[s] >= MIN_SERIES_RESULTS or s in fitted]
    chosen = chosen[:MAX_SERIES] if chosen else list(counts.index[:1])
    return [s for s in counts.index if s in chosen]


def records(tables: object, task: str, series: list[str] | None = None) -> pd.DataFrame:
    """The records of the task's series: date, model, paper, error and training compute."""
    results = default_results(tables, task)
    if series is not None:
        results = results[results["series"].isin(series)]
    flagged = results[record_flags(results)]
    papers = tables.papers.set_index("paper_id")
    out = flagged.merge(training_compute(tables), on="result_id", how="left")
    out["paper"] = out["paper_id"].map(papers["title"]).fillna(out["paper_id"])
    columns = [
        "series", "date", "date_text", "plot_date", "model", "paper", "paper_id", "error",
        "log10_compute", "compute_measure", "result_id", "population",
    ]  # fmt: skip
    return out.sort_values(["series", "year", "result_id"])[columns].reset_index(drop=True)


def records_chart(recs: pd.DataFrame, task: str) -> alt.FacetChart:
    """Best error over the date each score became public, one panel per series: a step line
    through the records, each record a point (tooltip: model, paper, compute), few labelled."""
    colour = TASK_COLOURS.get(task, "#0072B2")
    frame = recs.drop(columns=["date"]).assign(
        date=recs["plot_date"].dt.strftime("%Y-%m-%d"),
        compute=np.where(recs["log10_compute"].notna(), 10.0 ** recs["log10_compute"], np.nan),
    )
    frame["label"] = frame["model"].map(lambda m: shorten(m, 24))
    # a series with many records labels only its latest few (the others keep their tooltip)
    from_end = frame.groupby("series").cumcount(ascending=False)
    n = frame.groupby("series")["series"].transform("size")
    frame.loc[(n > MAX_LABELS) & (from_end >= LATEST_LABELS), "label"] = ""
    # where labels go: the first record above and right of its point (nothing is left of it),
    # the others left of theirs, alternately above and below, so neighbours do not collide
    order = frame.groupby("series").cumcount()
    frame["place"] = np.where(order == 0, "first", np.where(order % 2 == 1, "below", "above"))
    frame.loc[(n > MAX_LABELS) & (from_end < LATEST_LABELS), "place"] = "above"
    x = alt.X("date:T", title="Date the score became public")
    y = alt.Y("error:Q", scale=alt.Scale(type="log"), title="Record error (metric units, log)")
    base = alt.Chart().encode(x=x, y=y)
    step = base.mark_line(interpolate="step-after", color=colour)
    dots = base.mark_point(filled=True, size=60, color=colour).encode(
        tooltip=[
            "series:N",
            alt.Tooltip("date_text:N", title="Date"),
            alt.Tooltip("model:N", title="Model"),
            alt.Tooltip("paper:N", title="Paper"),
            alt.Tooltip("error:Q", title="Error", format=".3g"),
            alt.Tooltip("compute:Q", title="Training compute (FLOP)", format=".2e"),
        ]
    )
    texts = [
        base.transform_filter(f"datum.place == '{place}'")
        .mark_text(align=align, baseline=baseline, dx=dx, dy=dy, fontSize=10, color="#333333")
        .encode(text="label:N")
        for place, align, baseline, dx, dy in (
            ("first", "left", "bottom", 4, -4),
            ("above", "right", "bottom", -4, -4),
            ("below", "right", "top", -4, 4),
        )
    ]
    return (
        alt.layer(step, dots, *texts, data=frame)
        .properties(width=250, height=200)
        .facet(facet=alt.Facet("series:N", title=None), columns=2)
        .resolve_scale(x="independent", y="independent")
    )


def records_table(recs: pd.DataFrame) -> pd.DataFrame:
    """The records for a reader table (benchmark names, model and paper titles shortened)."""
    return pd.DataFrame(
        {
            "benchmark": recs["series"].str.partition("/")[0],
            "date": recs["date_text"],
            "model": recs["model"].map(lambda m: shorten(m, 28)),
            "paper": recs["paper"].map(lambda t: shorten(t, 44)),
            "error": recs["error"],
            "log10_training_compute": recs["log10_compute"],
        }
    )


# --- state of the art -------------------------------------------------------------------------


def cite(paper_id: str, keys: set[str]) -> str:
    """A MyST citation of a paper when references.bib has it, else nothing."""
    return f" {{cite:p}}`{paper_id}`" if paper_id in keys else ""


def bib_keys() -> set[str]:
    """The citation keys of references.bib."""
    import re

    text = (REPO_ROOT / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,\s]+),", text, re.M))


def best_result(results: pd.DataFrame, series: str, through: pd.Timestamp | None) -> pd.Series:
    """The lowest-error result of a series public by ``through`` (all when None), on the
    decimal-year axis of the fits (:func:`analysis.projection.extrapolate.todays_best_results`)."""
    rows = results[results["series"] == series]
    if through is not None:
        rows = rows[rows["year"] <= data.decimal_year(f"{through:%Y-%m-%d}")]
    if rows.empty:
        return pd.Series(dtype=object)
    return rows.sort_values(["error", "year", "result_id"]).iloc[0]


def sota_text(
    results: pd.DataFrame, series: list[str], through: pd.Timestamp | None, papers: pd.DataFrame,
    keys: set[str],
) -> str:  # fmt: skip
    """One clause per series: the best error, model, paper (cited) and date."""
    parts = []
    for s in series:
        best = best_result(results, s, through)
        if best.empty:
            parts.append(f"{series_name(s)}: no result public by then")
            continue
        title = papers["title"].get(best["paper_id"], best["paper_id"])
        parts.append(
            f"{series_name(s)}: {best['error']:.3g} by {best['model']} (*{title}*"
            f"{cite(best['paper_id'], keys)}, {best['date']:%B %Y})"
        )
    return "; ".join(parts)


# --- frontier ---------------------------------------------------------------------------------


def frontier_band(
    fits: dict[str, fm.FrontierFit], weights: dict[str, float], series: str, year: float,
    grid: np.ndarray, seed: int = 2020,
) -> pd.DataFrame:  # fmt: skip
    """Median and :data:`LEVEL` band of the stacked frontier error along ``grid`` (log10
    hardware-burden FLOP) in ``year``; the lead form alone when only one form has weight."""
    per_form = {}
    for form, fit in fits.items():
        draws = fit.draws(series)
        floor = draws["floor"].to_numpy()
        per_form[form] = np.stack(
            [
                fm.error_from_response(form, fp.frontier_response(draws, x, year), floor)
                for x in grid
            ],
            axis=1,
        )
    rows = []
    lo_q, hi_q = (1 - LEVEL) / 2, (1 + LEVEL) / 2
    for j, x in enumerate(grid):
        mixed = fp.mixture({f: v[:, j] for f, v in per_form.items()}, weights, seed)
        rows.append(
            {
                "series": series,
                "log10_compute": float(x),
                "median": float(np.median(mixed)),
                "low": float(np.quantile(mixed, lo_q)),
                "high": float(np.quantile(mixed, hi_q)),
            }
        )
    return pd.DataFrame(rows)


def positive_band(lines: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """The band as a log axis can draw it: a forms' frontier in error points (exponential) can
    cross zero; the band is cut at a tenth of the series' lowest observed error and the line
    drawn only where it is positive."""
    floor = points.groupby("series")["error"].min() / 10
    low = lines["series"].map(floor)
    out = lines.assign(
        low=np.maximum(lines["low"], low),
        high=np.maximum(lines["high"], low),
        median=lines["median"].where(lines["median"] > 0),
    )
    return out


def hardware_equivalent(fit: fm.FrontierFit, rows: pd.DataFrame) -> np.ndarray:
    """Rows' log10 compute in hardware-burden units (less the median fitted offset of their
    measure), the compute axis of the frontier."""
    offsets = {m: float(np.median(fit.offset(m))) for m in fm.MEASURES}
    return rows["log10_compute"].to_numpy(float) - rows["measure"].map(offsets).to_numpy(float)


def frontier_chart(points: pd.DataFrame, lines: pd.DataFrame) -> alt.FacetChart:
    """Observed rows and the stacked frontier with its band against compute, one panel a series."""
    frame = pd.concat(
        [
            lines.assign(compute=10.0 ** lines["log10_compute"], layer="frontier"),
            points.assign(compute=10.0 ** points["log10_hb"], layer="observed")[
                ["series", "compute", "error", "model", "paper_id", "year", "measure", "layer"]
            ],
        ],
        ignore_index=True,
    )
    x = alt.X("compute:Q", scale=alt.Scale(type="log"), title="Training compute (FLOP, log scale)")
    y_scale = alt.Scale(type="log")
    colour = alt.Color("series:N", legend=None)
    frontier = alt.Chart().transform_filter("datum.layer == 'frontier'")
    band = frontier.mark_area(opacity=0.2).encode(
        x=x, y=alt.Y("low:Q", scale=y_scale, title="Error (metric units, log scale)"),
        y2="high:Q", color=colour,
    )  # fmt: skip
    line = frontier.mark_line().encode(x=x, y=alt.Y("median:Q", scale=y_scale), color=colour)
    dots = (
        alt.Chart()
        .transform_filter("datum.layer == 'observed'")
        .mark_circle(size=40, opacity=0.7)
        .encode(
            x=x,
            y=alt.Y("error:Q", scale=y_scale),
            color=colour,
            tooltip=[
                "series:N",
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("paper_id:N", title="Paper"),
                alt.Tooltip("error:Q", title="Error", format=".3g"),
                alt.Tooltip("year:Q", title="Year", format=".1f"),
                alt.Tooltip("measure:N", title="Compute measure"),
            ],
        )
    )
    return (
        alt.layer(band, line, dots, data=frame)
        .properties(width=250, height=200)
        .facet(facet=alt.Facet("series:N", title=None), columns=2)
        .resolve_scale(x="independent", y="independent")
    )


# --- influence of each paper ------------------------------------------------------------------


def row_loglik(fit: fm.FrontierFit, rows: pd.Index | np.ndarray) -> np.ndarray:
    """Per posterior draw and fitted row (positions in ``fit.rows``): the log-likelihood the
    model gives the row, in its response (with the floor form's Jacobian, as the model's
    potential has it). A row of a paper group with several results is Normal around the frontier
    plus the group's sampled gap; a lone row has the gap integrated out, the model's own skew
    normal (:func:`analysis.models.frontier.skew_normal_logp`, evaluated once for all rows)."""
    d = fit.design
    positions = np.asarray(rows, dtype=int)
    if positions.size == 0:
        return np.zeros((0, 0))
    y, mu, sv, su, gaps, jac = [], [], [], [], [], []
    for i in positions:
        row = fit.rows.iloc[i]
        draws = fit.draws(d.series[d.series_index[i]])
        x = float(row["log10_compute"]) - fit.offset(str(row["measure"]))
        mu.append(fp.frontier_response(draws, x, float(row["year"])))
        floor = draws["floor"].to_numpy()
        y.append(fm.response(fit.form, float(row["error"]), floor) * np.ones(len(draws)))
        sv.append(draws["sigma_v"].to_numpy())
        su.append(draws["sigma_u"].to_numpy())
        gaps.append(fit.group_gap(d.groups[d.group_index[i]]))
        with np.errstate(divide="ignore", invalid="ignore"):
            above = float(row["error"]) - floor
            jac.append(-np.log(above * fm.LN10) if fit.form == "floor" else np.zeros(len(draws)))
    y, mu, sv, su, jac = (np.stack(v, axis=1) for v in (y, mu, sv, su, jac))
    alone = np.array([g is None for g in gaps])
    ll = np.empty_like(y)
    if alone.any():
        logp = fm.skew_normal_logp(y[:, alone], mu[:, alone], sv[:, alone], su[:, alone])
        ll[:, alone] = np.asarray(logp.eval(), dtype=float)
    for j in np.flatnonzero(~alone):
        ll[:, j] = stats.norm.logpdf(y[:, j], mu[:, j] + gaps[j], sv[:, j])
    ll = ll + jac
    return np.where(np.isfinite(ll), ll, -np.inf)


@dataclass(frozen=True)
class LeaveOut:
    """A parameter's posterior without one group of rows, by PSIS."""

    median: float
    lo: float
    hi: float
    k: float

    @property
    def reliable(self) -> bool:
        return bool(self.k <= MAX_K)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q`` quantile of ``values`` under normalised ``weights`` (midpoint interpolation)."""
    order = np.argsort(values)
    v, w = np.asarray(values, float)[order], np.asarray(weights, float)[order]
    cdf = np.cumsum(w) - 0.5 * w
    cdf = cdf / w.sum()
    return float(np.interp(q, cdf, v))


def psis_without(parameter: np.ndarray, loglik: np.ndarray) -> LeaveOut:
    """The posterior of ``parameter`` with the rows of ``loglik`` (draws x rows) left out:
    importance weights 1 / p(rows | draw), Pareto-smoothed (arviz ``psislw``)."""
    log_ratio = -np.asarray(loglik, float).reshape(len(parameter), -1).sum(axis=1)
    lw, k = az.psislw(log_ratio)
    w = np.exp(np.asarray(lw) - np.max(lw))
    lo_q, hi_q = (1 - LEVEL) / 2, (1 + LEVEL) / 2
    return LeaveOut(
        median=weighted_quantile(parameter, w, 0.5),
        lo=weighted_quantile(parameter, w, lo_q),
        hi=weighted_quantile(parameter, w, hi_q),
        k=float(np.asarray(k).ravel()[0]),
    )


def influence_table(fit: fm.FrontierFit, task: str) -> pd.DataFrame:
    """Per paper with rows on the task's fitted series: rows, the task slope without the paper
    and the Pareto k of that estimate, sorted by the size of the shift."""
    slope = fit.task_draws(task, "slope_task")
    full = float(np.median(slope))
    rows = fit.rows.reset_index(drop=True)
    positions = np.flatnonzero(rows["task"].to_numpy() == task)
    ll = row_loglik(fit, positions)
    records = []
    papers = rows.loc[positions, "paper_id"].to_numpy()
    for paper in pd.unique(papers):
        cols = np.flatnonzero(papers == paper)
        out = psis_without(slope, ll[:, cols])
        records.append(
            {
                "paper_id": paper,
                "rows": len(cols),
                "slope_without": out.median,
                "shift": out.median - full,
                "pareto_k": out.k,
                "unreliable": not out.reliable,
            }
        )
    table = pd.DataFrame(records)
    order = table["shift"].abs().sort_values(ascending=False).index
    return table.loc[order].reset_index(drop=True)


# --- the report -------------------------------------------------------------------------------


def _md(text: str) -> object:
    from IPython.display import Markdown

    return Markdown(text)


@dataclass(frozen=True)
class Story:
    """What the tests and the shared body need to know of one task's story."""

    task: str
    fitted: bool
    series: list[str]
    records: pd.DataFrame
    influence: pd.DataFrame | None
    answer: str


def no_fit_text(task: str, n_rows: int, n_papers: int, n_search: int) -> str:
    """The plain statement of a task that has no series in the headline frontier fits."""
    return (
        f"**No frontier for {task_name(task).lower()}.** The headline frontier fits take a "
        f"series with at least {fm.MIN_SERIES_ROWS} default-population results with a "
        f"training-compute measure from at least {fm.MIN_SERIES_GROUPS} paper groups; "
        f"{task_name(task).lower()} has {plural(n_rows, 'such result')} from "
        f"{plural(n_papers, 'paper')}, so it has "
        "no series in the fits and no slope of its own. The search for its compute is logged "
        f"in `{SEARCH_REPORT}` ({n_search} papers of the task read, with what was looked for, "
        "where, and the outcome; see the data chapter)."
    )


def story_report(task: str, prefix: str) -> Story:
    """Glue every story item of a task chapter under ``prefix`` (``task-<slug>``)."""
    from analysis.book.context import book_context
    from analysis.book.figures import publish_figure
    from analysis.book.glue import glue_value
    from analysis.book.pages import frontier as fr
    from analysis.book.tables import glue_table
    from analysis.projection.assumptions import load_assumptions

    a = load_assumptions()
    tables = book_context().tables
    papers = tables.papers.set_index("paper_id")
    keys = bib_keys()
    for fact in task_facts(task):
        glue_value(f"{prefix}-fact-{fact.name}", f"{fact.value:,.0f}")
    glue_value(f"{prefix}-level", round(100 * LEVEL))
    glue_value(f"{prefix}-max-k", MAX_K)

    head = fr.headline_table().rows
    fits = fr.headline_fits()
    task_rows = head[head["task"] == task]
    fitted = sorted(task_rows["series"].unique()) if fits else []

    results = default_results(tables, task)
    series = story_series(results, fitted)
    year_text = int(a.today_through)
    through = pd.Timestamp(year_text, 1, 1) + pd.Timedelta(days=365.25 * (a.today_through % 1))
    glue_value(f"{prefix}-study-date", f"{through:%B %Y}")
    glue_value(f"{prefix}-sota-study", _md(sota_text(results, series, through, papers, keys)))
    glue_value(f"{prefix}-sota-now", _md(sota_text(results, series, None, papers, keys)))
    latest = results.loc[results["series"].isin(series), "date"].max()
    glue_value(f"{prefix}-latest-date", f"{latest:%B %Y}" if pd.notna(latest) else "no date")

    recs = records(tables, task, series)
    publish_figure(
        records_chart(recs, task),
        f"fig-{prefix}-records",
        data=recs,
        alt_text=(
            f"Record timeline of {task_name(task)}: for each of {len(series)} benchmark series, "
            "the best error so far over the date each score became public, as a step line, with "
            "each record a point labelled with its model."
        ),
    )
    glue_table(
        f"{prefix}-records",
        records_table(recs),
        rename={"date": "Date", "log10_training_compute": "Training compute (FLOP)"},
    )
    with_compute = recs["log10_compute"].notna()
    glue_value(f"{prefix}-n-records", len(recs))
    glue_value(f"{prefix}-n-records-compute", int(with_compute.sum()))
    glue_value(f"{prefix}-n-default", len(results[results["series"].isin(series)]))
    glue_value(f"{prefix}-series-names", ", ".join(series_name(s) for s in series))

    if not fitted:
        search = pd.read_csv(REPO_ROOT / SEARCH_REPORT) if _has_search() else pd.DataFrame()
        n_search = data.papers_searched(search, task) if len(search) else 0
        with_any = results.merge(training_compute(tables), on="result_id", how="inner")
        text = no_fit_text(task, len(with_any), int(with_any["paper_id"].nunique()), n_search)
        glue_value(f"{prefix}-frontier-text", _md(text))
        glue_value(f"{prefix}-slope-text", _md("No slope: the task has no series in the fits."))
        counts = (
            results.assign(compute=results["result_id"].isin(with_any["result_id"]))
            .groupby(["series", "compute"])
            .size()
            .reset_index(name="results")
        )
        counts["status"] = np.where(counts["compute"], "with training compute", "without")
        chart = (
            alt.Chart(counts)
            .mark_bar()
            .encode(
                x=alt.X("results:Q", title="Default-population results"),
                y=alt.Y("series:N", title=None),
                color=alt.Color("status:N", title=None),
                tooltip=["series:N", "status:N", "results:Q"],
            )
        )
        publish_figure(
            chart,
            f"fig-{prefix}-frontier",
            data=counts,
            alt_text=(
                f"Bar chart of {task_name(task)} results per benchmark series, with and without a "
                "training-compute measure: no series has enough for a frontier fit."
            ),
        )
        glue_table(f"{prefix}-influence", pd.DataFrame({"status": ["no frontier fit"]}))
        glue_value(f"{prefix}-influence-text", _md("No slope, so no paper drives one."))
        first = series[0] if series else ""
        n_first = int((recs["series"] == first).sum())
        answer = (
            f"**Answer.** The record on {series_name(first) if first else 'its benchmarks'} "
            f"was set {n_first} times in the data, but with too few results carrying a "
            "training compute the book cannot say how error on this task falls with compute. "
            + text.split("** ", 1)[1]
        )
        glue_value(f"{prefix}-answer", _md(answer))
        return Story(task, False, series, recs, None, answer)

    weights = fr.headline_weights()
    lead = max(fits, key=lambda f: weights.get(f, 0.0))
    glue_value(f"{prefix}-lead-form", form_name(lead).lower())
    glue_value(
        f"{prefix}-weights",
        ", ".join(f"{form_name(f).lower()} {100 * weights.get(f, 0.0):.0f}%" for f in fits),
    )
    lines, points = [], []
    for s in fitted:
        rows = task_rows[task_rows["series"] == s]
        hb = hardware_equivalent(fits[lead], rows)
        grid = np.linspace(hb.min() - 0.25, hb.max() + 0.25, 30)
        lines.append(frontier_band(fits, weights, s, float(rows["year"].max()), grid))
        model = tables.results.set_index("result_id")["model"]
        points.append(rows.assign(log10_hb=hb, model=rows["result_id"].map(model)))
    lines_df, points_df = pd.concat(lines), pd.concat(points)
    lines_df = positive_band(lines_df, points_df)
    publish_figure(
        frontier_chart(points_df, lines_df),
        f"fig-{prefix}-frontier",
        data=pd.concat([points_df.assign(layer="observed"), lines_df.assign(layer="frontier")]),
        alt_text=(
            f"Frontier of {task_name(task)}, one panel per benchmark series: observed results as "
            "points against training compute (hardware-burden units), and the stacked frontier at "
            f"the series' latest date with its {round(100 * LEVEL)}% band."
        ),
    )
    slope_parts, halving_parts = [], []
    for form, fit in fits.items():
        slope = interval_of(fit.task_draws(task, "slope_task"), LEVEL)
        trend = interval_of(fit.task_draws(task, "trend_task"), LEVEL)
        unit = "log10 error" if form != "exponential" else "error points"
        slope_parts.append(
            f"{form_name(form).lower()} form: slope {signed_interval(*slope)} {unit} "
            f"per decade of compute, trend {signed_interval(*trend)} {unit} per year"
        )
        glue_value(f"{prefix}-slope-{form}", float(slope[0]))
    for s in fitted:
        best = best_result(results, s, through)
        if best.empty:
            continue
        per_form = {
            f: fp.halving_log10_multiplier(fit.draws(s), f, float(best["error"]), float(a.year))
            for f, fit in fits.items()
        }
        stacked = fp.mixture(per_form, weights, a.seed)
        unreachable = float(np.mean(np.isinf(stacked)))
        halving_parts.append(
            f"on {series_name(s)}, halving the error of {best['error']:.3g} (the best by "
            f"{through:%B %Y}) on the {int(a.year)} frontier takes "
            f"{power_of_ten_myst(*interval_of(stacked, LEVEL))} times the compute "
            f"({100 * unreachable:.0f}% of draws never reach it)"
        )
    frontier_text = (
        f"{len(task_rows)} results from {task_rows['paper_id'].nunique()} papers on "
        f"{len(fitted)} series of the task enter the headline frontier fits. Median and "
        f"{round(100 * LEVEL)}% interval of the task's parameters: " + "; ".join(slope_parts) + "."
    )
    halving_text = "; ".join(halving_parts) if halving_parts else "no halving multiplier"
    glue_value(f"{prefix}-frontier-text", _md(frontier_text))
    glue_value(f"{prefix}-slope-text", _md("Stacked over the forms, " + halving_text + "."))

    influence = influence_table(fits[lead], task)
    shown = influence.head(INFLUENCE_ROWS).copy()
    shown["paper"] = shown["paper_id"].map(papers["title"]).fillna(shown["paper_id"])
    glue_table(
        f"{prefix}-influence",
        shown[["paper", "rows", "slope_without", "pareto_k", "unreliable"]],
        rename={
            "slope_without": f"Task slope without it ({form_name(lead).lower()} form)",
            "pareto_k": "Pareto k",
            "unreliable": f"Unreliable (k > {MAX_K})",
        },
    )
    full = float(np.median(fits[lead].task_draws(task, "slope_task")))
    top = influence.iloc[0]
    n_bad = int(influence["unreliable"].sum())
    title = papers["title"].get(top["paper_id"], top["paper_id"])
    influence_text = (
        f"With every paper, the {form_name(lead).lower()} slope is {signed(full)}; the paper that "
        f"moves it most is *{title}*{cite(top['paper_id'], keys)} ({int(top['rows'])} rows): "
        f"without it the slope would be {signed(top['slope_without'])} (Pareto k "
        f"{top['pareto_k']:.2f}). Of {len(influence)} papers, {n_bad} have k above {MAX_K}"
        + (
            ", so their estimates are unreliable: the posterior leans on them too much for "
            "reweighting to stand in for a refit."
            if n_bad
            else ", so every estimate is reliable."
        )
    )
    glue_value(f"{prefix}-influence-text", _md(influence_text))
    lead_slope = interval_of(fits[lead].task_draws(task, "slope_task"), LEVEL)
    answer = (
        f"**Answer.** On the frontier of {task_name(task).lower()} "
        f"({form_name(lead).lower()} form, the stack's lead), the task slope is "
        f"{signed_interval(*lead_slope)} "
        f"{'log10 error' if lead != 'exponential' else 'error points'} per decade of compute; "
        + halving_text
        + f". The record fell {len(recs)} times on the series shown, "
        f"{int(with_compute.sum())} of them with a known training compute. Caveats: "
        f"{len(task_rows)} fitted results from {task_rows['paper_id'].nunique()} papers"
        + (f", {n_bad} of which the slope leans on too much to reweight" if n_bad else "")
        + "; the slope is shared by the task's series; compute is in hardware-burden units."
    )
    glue_value(f"{prefix}-answer", _md(answer))
    return Story(task, True, series, recs, influence, answer)


def _has_search() -> bool:
    return (REPO_ROOT / SEARCH_REPORT).exists()
