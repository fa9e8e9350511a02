"""The backtest chapter (``book/backtest.md``): what its code cell calls."""

from __future__ import annotations

from types import SimpleNamespace

import altair as alt
import pandas as pd
from IPython.display import Markdown

from analysis import models
from analysis.book.context import book_context
from analysis.book.figures import publish_figure
from analysis.book.formats import format_interval
from analysis.book.glue import glue_value, page_namespace, setup_chapter
from analysis.book.tables import reader_table
from analysis.checks import backtest as bt
from analysis.data import default_fit_table
from analysis.projection.assumptions import load_assumptions

HEADLINE_COLUMNS = [
    "cutoff", "model", "n", "papers", "coverage_50", "coverage_90", "crps", "nonfinite_share",
]  # fmt: skip
HEADLINE_DISPLAY = {
    "cutoff": "Cutoff",
    "model": "Model",
    "n": "Later records",
    "papers": "Papers",
    "coverage_50": "50% interval coverage (%)",
    "coverage_90": "90% interval coverage (%)",
    "crps": "CRPS (log10 error)",
    "nonfinite_share": "Off-scale draws (%)",
}


def headline_backtest() -> pd.DataFrame:
    """The headline frontier model's rolling-origin backtest (``reports/backtest.json``): glue its
    verdicts on later records and return its rows for later records, per cutoff and pooled, for
    the headline model and the baselines (coverage in percent)."""
    from analysis.book.pages import frontier

    rows = frontier.report_frame()
    pooled = rows[rows["cutoff"] == "pooled"]
    verdicts = frontier.record_verdicts(pooled)
    for key, value in verdicts.items():
        glue_value(f"backtest-headline-{key}", value)
    glue_value("backtest-headline-target-90", frontier.target_range("coverage_90"))
    glue_value("backtest-headline-target-50", frontier.target_range("coverage_50"))
    cutoffs = rows.loc[rows["cutoff"] != "pooled", "cutoff"].nunique()
    glue_value("backtest-headline-cutoffs", int(cutoffs))
    run = frontier.backtest_run()
    glue_value("backtest-headline-scope", Markdown(frontier.backtest_scope(run)))
    glue_value("backtest-headline-chance", Markdown(frontier.chance_sentence(run.scores, verdicts)))
    records = rows[rows["target"] == "records"][HEADLINE_COLUMNS]
    return frontier.coverage_percent(records).reset_index(drop=True)


PAIRED_DISPLAY = {
    "target": "Later results forecast",
    "baseline": "Baseline",
    "n": "Forecasts both made",
    "units": "Cutoff-paper units",
    "difference": "Headline CRPS minus baseline's (90% interval)",
}
TARGET_NAMES = {
    "records": "records",
    "all": "every result",
    "headline_quantity": "compute of a record",
}


def paired_differences() -> pd.DataFrame:
    """The headline's CRPS against each baseline's on the forecasts both made (rows of
    ``crps_differences`` in ``reports/backtest.json``), and the glued verdict on records."""
    from analysis.book.pages import frontier
    from analysis.checks import frontier_backtest as fb

    scores = frontier.backtest_run().scores
    rows = pd.DataFrame([r for t in fb.TARGETS for r in fb.paired_crps_differences(scores, t)])
    records = rows[rows["target"] == "records"]
    undecided = records[(records["lo"] < 0) & (records["hi"] > 0)]["baseline"]
    glue_value("backtest-paired-undecided", ", ".join(undecided) or "none")
    rows["difference"] = [
        format_interval(m, lo, hi, digits=3)
        for m, lo, hi in rows[["crps_difference", "lo", "hi"]].itertuples(index=False)
    ]
    rows["target"] = rows["target"].map(TARGET_NAMES)
    return rows[list(PAIRED_DISPLAY)]


def publish() -> SimpleNamespace:
    """Run the backtests, glue coverage, scores and verdicts and publish the coverage chart."""
    setup_chapter()
    page_items: dict[str, object] = {}
    page_items["headline"] = reader_table(
        headline_backtest(), "tab-backtest-headline", rename=HEADLINE_DISPLAY
    )
    page_items["paired"] = reader_table(
        paired_differences(), "tab-backtest-paired", rename=PAIRED_DISPLAY
    )
    glue_value("backtest-mean-line-min-rows", models.MIN_SERIES_ROWS)
    glue_value("backtest-mean-line-min-span", models.MIN_SERIES_SPAN)
    a = load_assumptions()
    measure = a.compute_measure
    tables = book_context().tables
    rows = default_fit_table(tables, measure).rows
    result = bt.run_backtest(
        rows, bt.hierarchical_fit, cutoffs=(*bt.CUTOFFS, bt.STUDY_CUTOFF), record_failures=True
    )
    summary = result.summary
    early = summary[summary.cutoff.isin(bt.CUTOFFS)]
    scores_early = result.scores[result.scores.cutoff.isin(bt.CUTOFFS)]
    pooled = bt.summarise_scores(scores_early, by=("form",)).set_index("form")

    glue_value("backtest-measure", measure.replace("_", " "))
    glue_value("backtest-level-50", 50)
    glue_value("backtest-level-90", 90)
    glue_value("backtest-n-rows", len(rows))
    glue_value("backtest-n-scored", len(scores_early) // max(1, scores_early.form.nunique()))
    glue_value("backtest-n-excluded", int((result.excluded.cutoff.isin(bt.CUTOFFS)).sum()))
    for form in ("polynomial", "exponential"):
        if form in pooled.index:
            glue_value(f"backtest-{form}-cov50", float(100 * pooled.loc[form, "coverage_50"]))
            glue_value(f"backtest-{form}-cov90", float(100 * pooled.loc[form, "coverage_90"]))
            glue_value(f"backtest-{form}-crps", float(pooled.loc[form, "mean_crps"]))
        else:
            for key in ("cov50", "cov90", "crps"):
                glue_value(f"backtest-{form}-{key}", float("nan"))
    verdict = bt.better_form(early) if not early.empty else pd.DataFrame(columns=["better"])
    better_counts = verdict["better"].value_counts()
    glue_value("backtest-poly-wins", int(better_counts.get("polynomial", 0)))
    glue_value("backtest-n-cutoffs", len(verdict))
    pooled_better = (
        (
            "polynomial"
            if pooled.get("mean_crps", pd.Series(dtype=float)).idxmin() == "polynomial"
            else "exponential"
        )
        if not pooled.empty
        else "neither (no scores)"
    )
    glue_value("backtest-pooled-better", pooled_better)

    glue_value("backtest-calibration-low", round(100 * bt.CALIBRATION_BAND[0]))
    glue_value("backtest-calibration-high", round(100 * bt.CALIBRATION_BAND[1]))
    for form in ("polynomial", "exponential"):
        value = float(pooled.loc[form, "coverage_90"]) if form in pooled.index else float("nan")
        glue_value(f"backtest-{form}-calibration", bt.calibration(value))

    coverage = bt.coverage_long(early)
    bars = (
        alt.Chart(coverage)
        .mark_bar()
        .encode(
            x=alt.X("form:N", title=None),
            y=alt.Y("coverage:Q", title="share inside", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("form:N", title="form"),
            tooltip=[
                "period:N",
                "form:N",
                "interval:N",
                alt.Tooltip("coverage:Q", format=".2f"),
                "n:Q",
            ],
        )
    )
    nominal = alt.Chart(coverage).mark_rule(strokeDash=[4, 3]).encode(y="nominal:Q")
    coverage_chart = (
        alt.layer(bars, nominal, data=coverage)
        .properties(width=110, height=150)
        .facet(
            column=alt.Column("period:N", title="results published"),
            row=alt.Row("interval:N", title="predictive interval"),
        )
    )
    publish_figure(
        coverage_chart,
        "fig-backtest-coverage",
        coverage,
        alt_text="Grid of bar charts: for each cutoff and for the 50% and 90% predictive "
        "intervals, the share of later results inside the interval for the polynomial and "
        "exponential forms, with a dashed line at the nominal level.",
    )

    summary_display = summary.assign(
        coverage_50=(100 * summary.coverage_50).round(0),
        coverage_90=(100 * summary.coverage_90).round(0),
        mean_crps=summary.mean_crps.round(2),
    )[["period", "form", "n", "coverage_50", "coverage_90", "mean_crps"]]
    summary_display.columns = [
        "published",
        "form",
        "later results",
        "50% coverage (%)",
        "90% coverage (%)",
        "mean CRPS (points)",
    ]
    page_items["summary"] = summary_display

    late_runs = {measure: result}
    for other in ("network_operations", "epoch_estimate"):
        if other != measure and len(late_runs) < 2:
            late_runs[other] = bt.run_backtest(
                default_fit_table(tables, other).rows,
                bt.hierarchical_fit,
                cutoffs=(bt.STUDY_CUTOFF,),
                record_failures=True,
            )
    late_scores, frontier_parts = [], []
    for name, run in late_runs.items():
        after = run.scores[run.scores.cutoff == bt.STUDY_CUTOFF] if len(run.scores) else run.scores
        late_scores.append(after.assign(measure=name.replace("_", " ")))
        measure_rows = default_fit_table(tables, name).rows
        later_rows = measure_rows[measure_rows.year >= bt.STUDY_CUTOFF]
        for (cutoff, form), fit in run.fits.items():
            if cutoff == bt.STUDY_CUTOFF:
                frontier_parts.append(
                    bt.frontier_check(fit, later_rows).assign(
                        form=form, measure=name.replace("_", " ")
                    )
                )
    after = pd.concat(late_scores, ignore_index=True)
    late_summary = (
        bt.summarise_scores(after, by=("measure", "form")) if len(after) else pd.DataFrame()
    )
    frontier = pd.concat(frontier_parts, ignore_index=True) if frontier_parts else pd.DataFrame()
    glue_value("backtest-late-measures", " and ".join(m.replace("_", " ") for m in late_runs))
    glue_value("backtest-late-n", int(len(after) / 2))
    poly = after[after.form == "polynomial"] if len(after) else after
    glue_value(
        "backtest-late-polynomial-cov90",
        float(100 * poly.in_90.mean()) if len(poly) else float("nan"),
    )
    expo = after[after.form == "exponential"] if len(after) else after
    glue_value(
        "backtest-late-exponential-cov90",
        float(100 * expo.in_90.mean()) if len(expo) else float("nan"),
    )
    glue_value(
        "backtest-late-below",
        float(100 * (poly.error < poly.predicted_median).mean()) if len(poly) else float("nan"),
    )
    poly_frontier = frontier[frontier.form == "polynomial"] if len(frontier) else frontier
    glue_value("backtest-frontier-n", len(poly_frontier))
    glue_value(
        "backtest-frontier-inside", int(poly_frontier["inside"].sum()) if len(poly_frontier) else 0
    )

    page_items["late_summary"] = (
        late_summary.assign(
            coverage_50=(100 * late_summary.coverage_50).round(0),
            coverage_90=(100 * late_summary.coverage_90).round(0),
            mean_crps=late_summary.mean_crps.round(2),
        )[["measure", "form", "n", "coverage_50", "coverage_90", "mean_crps"]]
        if len(late_summary)
        else late_summary
    )

    if frontier.empty:
        display_frontier = pd.DataFrame(
            {"note": ["no later record-setting results with this measure"]}
        )
    else:
        display_frontier = frontier.assign(
            year=frontier.year.round(2),
            used=frontier.log10_compute_used.round(1),
            projected=[
                format_interval(m, lo, hi)
                for m, lo, hi in zip(
                    frontier.log10_projected_median,
                    frontier.log10_projected_lo,
                    frontier.log10_projected_hi,
                    strict=False,
                )
            ],
        )[["measure", "series", "form", "year", "error", "used", "projected", "inside"]]
        display_frontier.columns = [
            "measure",
            "series",
            "form",
            "year",
            "error",
            "log10 FLOP used",
            "log10 FLOP projected in 2020",
            "inside",
        ]
    page_items["frontier"] = display_frontier

    glue_value("backtest-n-fits", sum(len(run.fits) for run in late_runs.values()))
    glue_value("backtest-n-failures", sum(len(run.failures) for run in late_runs.values()))

    rows_diag = [
        fit.diagnostics.assign(cutoff=bt.cutoff_label(cutoff), measure=name.replace("_", " "))
        for name, run in late_runs.items()
        for (cutoff, form), fit in run.fits.items()
        if hasattr(fit, "diagnostics")
    ]
    failures = pd.concat([run.failures for run in late_runs.values()], ignore_index=True)
    failed = failures.assign(cutoff=failures.cutoff.map(bt.cutoff_label))
    columns = [
        "measure",
        "cutoff",
        "fit",
        "n_obs",
        "max_rhat",
        "min_ess_bulk",
        "divergences",
        "passed",
    ]
    if not failed.empty:
        columns.append("message")
    diagnostics = (
        pd.concat([*rows_diag, failed], ignore_index=True) if rows_diag or len(failed) else failed
    )
    page_items["diagnostics"] = diagnostics.reindex(
        columns=[c for c in columns if c in diagnostics.columns]
    ).round(3)
    return page_namespace("backtest", page_items)
