"""The projections chapter (``book/projections.md``): what its code cell calls."""

from __future__ import annotations

from types import SimpleNamespace

import altair as alt
import numpy as np
import pandas as pd
from IPython.display import Markdown

from analysis.book import charts, formats, labels, tables
from analysis.book.context import book_context
from analysis.book.figures import publish_figure
from analysis.book.glue import glue_value, setup_chapter
from analysis.book.headline import weights_text
from analysis.book.theme import log10_axis
from analysis.projection import costs
from analysis.projection import extrapolate as ex
from analysis.vocab.series import IMAGENET

FRONTIER_COLUMNS = {"unreachable": "Share of draws never reaching it"}
FAN_CAP_LOG10_FLOP = 60.0
"""The frontier fan chart draws compute up to 10^60 FLOP; quantiles above are drawn at it."""


def frontier_series() -> list[str]:
    """The series with study targets (``targets`` of the assumptions) in the headline fits."""
    from analysis.book.pages.frontier import headline_fits

    fitted = set(next(iter(headline_fits().values())).series)
    return [s for s in book_context().assumptions.targets if s in fitted]


def frontier_projection_table() -> pd.DataFrame:
    """Per series with targets, target and form: the frontier projection of compute, multiplier,
    dollars and tonnes of CO2e (:func:`analysis.projection.frontier_headline.projection_rows`)."""
    from analysis.book.headline import frontier_headline
    from analysis.projection.frontier_headline import projection_rows

    targets = book_context().assumptions.targets
    frames = [projection_rows(frontier_headline(s), tuple(targets[s])) for s in frontier_series()]
    return pd.concat(frames, ignore_index=True)


def _power_text(row: pd.Series, name: str) -> object:
    """The power-of-ten markdown of a table row's ``<name>_median``, ``_lo`` and ``_hi``."""
    values = [float(row[f"{name}_{stat}"]) for stat in ("median", "lo", "hi")]
    return formats.power_of_ten_markdown(*values)


def _glue_frontier(table: pd.DataFrame) -> None:
    """Glue the frontier projections the chapter quotes (ImageNet, the study's first target)."""
    from analysis.book.headline import frontier_headline

    a = book_context().assumptions
    h = frontier_headline(IMAGENET)
    target = f"{a.targets[IMAGENET][0]:g}"
    glue_value("projections-frontier-n-series", len(frontier_series()))
    glue_value("projections-frontier-best", float(h.best_error))
    glue_value("projections-frontier-target", target)
    for form in ("stacked", *h.forms):
        rows = table[(table.series == IMAGENET) & (table.form == form) & (table.target == target)]
        row = rows.iloc[0]
        for name in ("log10_flop", "log10_multiplier"):
            key = name.removeprefix("log10_")
            glue_value(f"projections-frontier-{form}-{key}", _power_text(row, name))
    stacked = table[(table.series == IMAGENET) & (table.form == "stacked")]
    row = stacked[stacked.target == target].iloc[0]
    for name in ("log10_usd", "log10_t_co2e"):
        key = name.removeprefix("log10_").replace("_", "-")
        glue_value(f"projections-frontier-{key}", _power_text(row, name))
    half = stacked[stacked.target == "half of today's best"].iloc[0]
    glue_value("projections-frontier-halving", _power_text(half, "log10_multiplier"))
    glue_value("projections-frontier-weights", weights_text(h))


def frontier_display(table: pd.DataFrame) -> pd.DataFrame:
    """The frontier projection table's columns as the reader table shows them."""
    trios = ("log10_flop", "log10_multiplier", "log10_usd", "log10_t_co2e")
    columns = ["series", "target", "target_error", "form"]
    columns += [f"{q}_{part}" for q in trios for part in ("median", "lo", "hi")]
    return table[[*columns, "unreachable"]].reset_index(drop=True)


def publish() -> SimpleNamespace:
    """Project compute, dollars and CO2e for every target, glue the numbers, publish the figures."""
    setup_chapter()
    page_items: dict[str, object] = {}
    frontier_table = frontier_projection_table()
    _glue_frontier(frontier_table)
    page_items["frontier_table"] = tables.reader_table(
        frontier_display(frontier_table), "tab-projections-frontier", rename=FRONTIER_COLUMNS
    )
    from analysis.book.headline import headline_fan

    fan = pd.concat([headline_fan(s) for s in frontier_series()], ignore_index=True)
    quantiles = ["q05", "q25", "q50", "q75", "q95"]
    fan[quantiles] = fan[quantiles].clip(upper=FAN_CAP_LOG10_FLOP)
    glue_value(
        "projections-frontier-fan-cap", formats.power_of_ten_markdown(FAN_CAP_LOG10_FLOP, digits=0)
    )
    publish_figure(
        charts.fan_chart(fan),
        "fig-projections-frontier-fan",
        fan,
        alt_text="One panel per benchmark: log10 compute at which the frontier reaches each "
        "target error, from today's best error to the lowest target, per frontier form and "
        "stacked, each with a median line and 50% and 90% bands.",
    )
    inputs = book_context().projection()
    a = inputs.assumptions
    model = inputs.cost_model
    posteriors = inputs.posteriors("polynomial") + inputs.posteriors("exponential")
    table = costs.projection_table(
        posteriors, inputs.targets(), inputs.today, model, year=a.year, measure=inputs.measure
    )
    predictive = costs.projection_table(
        [p for p in posteriors if p.series == IMAGENET],
        [t for t in inputs.targets([IMAGENET]) if t.label == "5"],
        inputs.today,
        model,
        year=a.year,
        measure=inputs.measure,
        kind="predictive",
    )

    def pick(form, target="5", series=IMAGENET, frame=table):
        rows = frame[(frame.series == series) & (frame.form == form) & (frame.target == target)]
        return rows.iloc[0]

    glue_value("projections-interval", round(100 * a.interval))
    glue_value("projections-year", int(a.year))
    glue_value("projections-measure", inputs.measure.replace("_", " "))
    glue_value("projections-n-rows", len(inputs.rows))
    glue_value("projections-n-series", len(inputs.projected_series))
    glue_value("projections-imagenet-today", float(inputs.today[IMAGENET]))
    glue_value("projections-imagenet-target", a.targets[IMAGENET][0])
    glue_value("projections-imagenet-target2", a.targets[IMAGENET][1])
    P10 = formats.power_of_ten_markdown
    for form in ("polynomial", "exponential"):
        row = pick(form)
        for name in (
            "log10_multiplier",
            "log10_flop",
            "log10_usd",
            "log10_t_co2e",
            "log10_usd_published",
            "log10_t_co2e_published",
        ):
            key = name.replace("log10_", "").replace("_", "-")
            values = [float(row[f"{name}_{stat}"]) for stat in ("median", "lo", "hi")]
            glue_value(f"projections-{form}-{key}", P10(*values))
            glue_value(f"projections-{form}-{key}-median", P10(values[0]))
        glue_value(f"projections-{form}-wrong-sign", int(row["n_wrong_sign"]))
        glue_value(f"projections-{form}-draws", int(row["n_draws"]))
    row = pick("polynomial", frame=predictive)
    glue_value(
        "projections-predictive-flop",
        P10(*[float(row[f"log10_flop_{stat}"]) for stat in ("median", "lo", "hi")]),
    )
    glue_value(
        "projections-wrong-sign-total",
        int(table.drop_duplicates(["series", "form"])["n_wrong_sign"].sum()),
    )
    glue_value(
        "projections-draws-total", int(table.drop_duplicates(["series", "form"])["n_draws"].sum())
    )

    trends = formats.trend_figure_data(model)
    points = (
        alt.Chart(trends)
        .transform_filter(alt.datum.part == "observation")
        .mark_point(opacity=0.35, size=18)
        .encode(
            x=alt.X(
                "year:Q", title=labels.YEAR, scale=alt.Scale(zero=False), axis=alt.Axis(format="d")
            ),
            y=alt.Y(
                "y:Q",
                axis=log10_axis("Peak FLOP per US$ or per joule (log scale)"),
                scale=alt.Scale(zero=False),
            ),
            tooltip=[
                "panel:N",
                alt.Tooltip("year:Q", format=".1f"),
                alt.Tooltip("y:Q", format=".2f"),
            ],
        )
    )
    band = (
        alt.Chart(trends)
        .transform_filter(alt.datum.part == "trend")
        .mark_area(opacity=0.3)
        .encode(x="year:Q", y="lo:Q", y2="hi:Q")
    )
    line = (
        alt.Chart(trends)
        .transform_filter(alt.datum.part == "trend")
        .mark_line()
        .encode(x="year:Q", y="y:Q")
    )
    trend_chart = (
        alt.layer(points, band, line, data=trends)
        .properties(width=250, height=220)
        .facet(column=alt.Column("panel:N", title=None))
        .resolve_scale(y="independent")
    )
    publish_figure(
        trend_chart,
        "fig-projections-hardware-trends",
        trends,
        alt_text="Two panels: log10 peak FLOP per constant US dollar of cloud rental prices and "
        "log10 peak FLOP per joule of ML accelerators against year, with points for each "
        "price or chip and a rising fitted line with its 90% band.",
    )
    price = model.price.summary()
    efficiency = model.efficiency.summary()
    glue_value("projections-price-n", int(price["n"]))
    glue_value("projections-price-doubling", price["doubling_years_median"])
    glue_value("projections-efficiency-n", int(efficiency["n"]))
    glue_value("projections-efficiency-doubling", efficiency["doubling_years_median"])
    glue_value("projections-price-excluded", len(model.price.excluded))
    glue_value("projections-efficiency-excluded", len(model.efficiency.excluded))
    glue_value("projections-dollar-year", a.dollar_year)
    lo, median, hi = np.quantile(model.price.mean_at(a.year), [0.05, 0.5, 0.95])
    glue_value("projections-flop-per-usd", formats.power_of_ten_markdown(median, lo, hi, 2))
    glue_value(
        "projections-published-flop-per-usd",
        formats.power_of_ten_markdown(np.log10(a.published_flop_per_usd), digits=2),
    )

    page_items["projection_table"] = tables.reader_table(
        formats.reader_projection_table(table), "tab-projections-table"
    )

    grid_errors = {}
    for series in inputs.projected_series:
        best = float(inputs.today.get(series, np.nan))
        lowest = min([*a.targets.get(series, ()), best / 2]) if np.isfinite(best) else None
        if lowest is not None:
            grid_errors[series] = np.geomspace(best, lowest, 16)
    grid = costs.target_grid(posteriors, grid_errors, model, year=a.year, measure=inputs.measure)
    fan = grid[grid.quantity == "log10_flop"].replace([np.inf, -np.inf], np.nan)
    fan = fan.drop(columns=["quantity"]).reset_index(drop=True)
    fan_chart = charts.fan_chart(fan)
    publish_figure(
        fan_chart,
        "fig-projections-fan",
        fan,
        alt_text="One panel per benchmark: log10 compute needed against target error on a reversed "
        "log axis, from today's best error to the lowest target, for the polynomial and "
        "exponential forms, each with a median line and 50% and 90% bands that widen as "
        "the target falls.",
    )

    all_series = sorted(set(inputs.rows.series))
    halving = pd.concat(
        [
            ex.halving_table(
                inputs.posteriors(key, all_series),
                inputs.today,
                inputs.fits[key].series_task,
                a.interval,
            )
            for key in ("polynomial", "exponential")
        ],
        ignore_index=True,
    )
    halving_display = (
        halving[
            [
                "task",
                "series",
                "form",
                "today_error",
                "log10_multiplier_median",
                "log10_multiplier_lo",
                "log10_multiplier_hi",
                "n_wrong_sign",
            ]
        ]
        .sort_values(["task", "series", "form"], ignore_index=True)
        .rename(columns={"today_error": "todays_best_error"})
    )
    poly_halving = halving[(halving.form == "polynomial") & (halving.series == IMAGENET)]
    if not poly_halving.empty:
        glue_value(
            "projections-imagenet-halving",
            formats.power_of_ten_markdown(poly_halving.log10_multiplier_median.iloc[0]),
        )
    else:
        glue_value("projections-imagenet-halving", Markdown("not estimable"))
    page_items["halving"] = tables.reader_table(
        halving_display,
        "tab-projections-halving",
        rename={"log10_multiplier": "Compute multiplier to halve today's best error"},
    )

    nyc = a.comparisons["new_york_city_t_co2_per_year"]
    american = a.comparisons["average_american_lb_co2_per_year"]
    budget = a.comparisons["us_federal_outlays_usd_fy2020"]
    american_t = american.value * a.kg_per_lb / 1000
    for form in ("polynomial", "exponential"):
        row = pick(form)
        t_co2e, usd = float(row["log10_t_co2e_median"]), float(row["log10_usd_median"])
        glue_value(f"projections-{form}-nyc-years", P10(t_co2e - np.log10(nyc.value)))
        glue_value(f"projections-{form}-budgets", P10(usd - np.log10(budget.value)))
        glue_value(f"projections-{form}-americans", P10(t_co2e - np.log10(american_t)))
    glue_value("projections-nyc-mt", nyc.value / 1e6)
    glue_value("projections-american-lb", american.value)
    glue_value("projections-budget-trillion", budget.value / 1e12)
    return SimpleNamespace(**page_items)
