"""The landing page (``book/index.md``): its key findings, from the same fits and assumptions as
the chapters, each with where it came from. The headline numbers are the frontier model's
(:mod:`analysis.book.headline`); the mean-line projections stay beside them for comparison.

:func:`landing_values` returns every number the page glues as a :class:`Traced` value: the value,
the function that computed it and the ids of the data rows behind it (``paper_id`` or
``result_id`` of ``data/*.csv``) or the assumption it restates; :func:`publish` glues them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.book import formats
from analysis.book.charts import fan_chart
from analysis.book.context import book_context
from analysis.book.figures import publish_figure
from analysis.book.glue import glue_value, setup_chapter
from analysis.book.headline import frontier_headline, headline_values
from analysis.book.headline import headline_fan as frontier_fan
from analysis.book.pages.overview import scope_counts
from analysis.data import Tables
from analysis.projection import costs
from analysis.projection import extrapolate as ex
from analysis.projection.extrapolate import todays_best_results
from analysis.projection.frontier_headline import FrontierHeadline
from analysis.projection.inputs import BookInputs
from analysis.vocab.series import IMAGENET

FORMS = ("polynomial", "exponential")


def headline_projection(inputs: BookInputs, series: str = IMAGENET) -> pd.DataFrame:
    """The projection table of one series at its study targets, under both forms."""
    a = inputs.assumptions
    posteriors = [p for form in FORMS for p in inputs.posteriors(form, [series])]
    if not posteriors:
        raise ValueError(f"no fitted posterior for series {series!r}")
    targets = inputs.targets([series])
    return costs.projection_table(
        posteriors, targets, inputs.today, inputs.cost_model, year=a.year, measure=inputs.measure
    )


def halving_multiplier(inputs: BookInputs, series: str = IMAGENET) -> pd.DataFrame:
    """log10 compute multiplier to halve today's best error of ``series``, per form."""
    tables = [
        ex.halving_table(
            inputs.posteriors(form, [series]), inputs.today, None, inputs.assumptions.interval
        )
        for form in FORMS
    ]
    return pd.concat(tables, ignore_index=True)


def headline_fan(inputs: BookInputs, series: str = IMAGENET, points: int = 16) -> pd.DataFrame:
    """Quantiles of the compute needed over target errors from today's best to the lowest target."""
    a = inputs.assumptions
    best = float(inputs.today[series])
    lowest = min([*a.targets.get(series, ()), best / 2])
    posteriors = [p for form in FORMS for p in inputs.posteriors(form, [series])]
    grid = costs.target_grid(
        posteriors, {series: np.geomspace(best, lowest, points)}, inputs.cost_model,
        year=a.year, measure=inputs.measure,
    )  # fmt: skip
    fan = grid[grid["quantity"] == "log10_flop"].drop(columns=["quantity"])
    return fan.replace([np.inf, -np.inf], np.nan).reset_index(drop=True)


@dataclass(frozen=True)
class Traced:
    """A glued value, the function that computed it and what it was computed from."""

    value: object
    function: str
    """Dotted path of the function that computed the value."""
    rows: tuple[str, ...] = ()
    """Ids of the rows of ``source`` behind the value."""
    source: str = ""
    """The table (``data/results.csv``...) those ids belong to, or the assumptions file."""


ASSUMPTIONS = "config/assumptions.yaml"


@dataclass(frozen=True)
class RecordBacktest:
    """The backtest's verdicts on later record-setting results (pooled over cutoffs) and the
    results they were scored on."""

    verdicts: dict[str, object]
    """:func:`analysis.book.pages.frontier.record_verdicts` of the pooled report rows."""
    result_ids: tuple[str, ...]
    not_beaten: tuple[str, ...] | None
    """:func:`analysis.book.pages.frontier.crps_not_beaten` of the pooled report rows."""
    scope: str
    """:func:`analysis.book.pages.frontier.backtest_scope` of the run: the cutoffs scored."""


def record_backtest() -> RecordBacktest:
    """The book's backtest on later records (the frontier chapter's run, from the cache)."""
    from analysis.book.pages import frontier

    run = frontier.backtest_run()
    scores = run.scores
    scored = scores.loc[
        (scores["target"] == "records") & (scores["model"] == "headline"), "result_id"
    ]
    pooled = frontier.backtest_rows()
    return RecordBacktest(
        frontier.record_verdicts(pooled),
        tuple(sorted(set(map(str, scored)))),
        frontier.crps_not_beaten(pooled),
        frontier.backtest_scope(run),
    )


def backtest_values(backtest: RecordBacktest) -> dict[str, Traced]:
    """The landing page's backtest finding: coverage of later records against the targets and
    the CRPS verdict, traced to the records scored."""
    from analysis.book.pages.frontier import BASELINE_NAMES, crps_verdict, target_range

    function = "analysis.book.pages.frontier.record_verdicts"
    v = backtest.verdicts
    values = {
        "home-backtest-level-90": 90,
        "home-backtest-level-50": 50,
        "home-backtest-cov90": float(v["records-coverage_90"]),
        "home-backtest-cov50": float(v["records-coverage_50"]),
        "home-backtest-target-90": target_range("coverage_90"),
        "home-backtest-target-50": target_range("coverage_50"),
        "home-backtest-crps": crps_verdict(backtest.not_beaten, BASELINE_NAMES),
        "home-backtest-scope": backtest.scope,
    }
    rows = backtest.result_ids
    return {key: Traced(value, function, rows, "data/results.csv") for key, value in values.items()}


def landing_values(
    tables: Tables,
    inputs: BookInputs,
    headline: FrontierHeadline | None = None,
    backtest: RecordBacktest | None = None,
) -> dict[str, Traced]:
    """Every number the landing page glues, keyed by glue key, with its function and rows:
    the frontier headline's (``headline``, default :func:`frontier_headline`), the mean-line
    projections' beside them and the backtest's (``backtest``, default :func:`record_backtest`)."""
    a = inputs.assumptions
    values: dict[str, Traced] = {}
    papers = ("data/papers.csv", tuple(tables.papers["paper_id"]))
    results = ("data/results.csv", tuple(tables.results["result_id"]))
    primary = tables.results.loc[tables.results["benchmark_role"] == "primary", "result_id"]
    counted_over = {
        "papers": papers,
        "first_year": papers,
        "last_year": papers,
        "results": results,
        "tasks": results,
        "primary_results": ("data/results.csv", tuple(primary)),
        "primary_benchmarks": ("data/results.csv", tuple(primary)),
    }
    for key, value in scope_counts(tables).items():
        source, ids = counted_over[key]
        values[f"home-{key}"] = Traced(
            value, "analysis.book.pages.overview.scope_counts", ids, source
        )

    def assumption(key: str, value: object) -> Traced:
        return Traced(
            value, "analysis.projection.assumptions.load_assumptions", (key,), ASSUMPTIONS
        )

    values["home-interval"] = assumption("projection.interval", round(100 * a.interval))
    values["home-year"] = assumption("projection.year", int(a.year))
    values["home-measure"] = assumption(
        "projection.compute_measure", inputs.measure.replace("_", " ")
    )
    today = todays_best_results(inputs.results, a.today_through).loc[IMAGENET]
    values["home-imagenet-today"] = Traced(
        float(inputs.today[IMAGENET]),
        "analysis.projection.extrapolate.todays_best_results",
        (str(today["result_id"]),),
        "data/results.csv",
    )
    fitted = inputs.rows.loc[inputs.rows["series"] == IMAGENET, "result_id"]
    behind = (*map(str, fitted), str(today["result_id"]))
    projection = headline_projection(inputs)
    study_target = str(a.targets[IMAGENET][0]).rstrip("0").rstrip(".")
    values["home-imagenet-target"] = assumption(
        f"targets.{IMAGENET}", float(a.targets[IMAGENET][0])
    )
    for form in FORMS:
        row = projection[(projection.form == form) & (projection.target == study_target)].iloc[0]
        for quantity in ("flop", "usd", "t_co2e", "multiplier"):
            text = formats.power_of_ten_markdown(
                row[f"log10_{quantity}_median"],
                row[f"log10_{quantity}_lo"],
                row[f"log10_{quantity}_hi"],
            )
            values[f"home-{form}-{quantity.replace('_', '-')}"] = Traced(
                text, "analysis.book.pages.index.headline_projection", behind, "data/results.csv"
            )
    halving = halving_multiplier(inputs).set_index("form")
    for form in FORMS:
        h = halving.loc[form]
        text = formats.power_of_ten_markdown(
            h.log10_multiplier_median, h.log10_multiplier_lo, h.log10_multiplier_hi
        )
        values[f"home-halving-{form}"] = Traced(
            text, "analysis.book.pages.index.halving_multiplier", behind, "data/results.csv"
        )
    h = headline if headline is not None else frontier_headline()
    target = float(a.targets[IMAGENET][0])
    for key, (value, function, rows) in headline_values(h, target).items():
        values[key] = Traced(value, function, rows, "data/results.csv")
    values.update(backtest_values(backtest if backtest is not None else record_backtest()))
    return values


def publish() -> None:
    """Glue the landing page's numbers and publish its ImageNet fan chart."""
    setup_chapter()
    context = book_context()
    inputs = context.projection()
    for key, traced in landing_values(context.tables, inputs).items():
        glue_value(key, traced.value)
    fan = frontier_fan()
    publish_figure(
        fan_chart(fan, width=520, height=300, columns=1),
        "fig-home-imagenet-fan",
        fan,
        alt_text="Compute needed for the frontier of the best results to reach a lower ImageNet "
        "top-1 error, from today's best error down to the study's lowest target, for each "
        "frontier form and their stacked mixture, with median lines and 50% and 90% bands that "
        "widen as the target falls.",
    )
