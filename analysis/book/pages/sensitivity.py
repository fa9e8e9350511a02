"""The sensitivity chapter (``book/sensitivity.md``): what its code cell calls."""

from __future__ import annotations

from types import SimpleNamespace

import altair as alt
import numpy as np

from analysis.book import formats
from analysis.book.context import book_context
from analysis.book.figures import publish_figure
from analysis.book.glue import glue_value, page_namespace, setup_chapter
from analysis.checks import sensitivity as se


def publish() -> SimpleNamespace:
    """Run the sensitivity variants, glue the headline shifts and publish the tornado chart."""
    setup_chapter()
    page_items: dict[str, object] = {}
    inputs = book_context().projection()
    a = inputs.assumptions
    IMAGENET = "imagenet/top1_accuracy"
    target = float(a.targets[IMAGENET][0])
    model = inputs.cost_model
    base_post = inputs.posteriors("polynomial", [IMAGENET])[0]
    baseline = se.headline(base_post, target, model, measure=inputs.measure)
    model_variants, notes, refit_diagnostics = se.book_variants(inputs, IMAGENET)
    variants = model_variants + se.cost_variants(a, base_post, inputs.measure)
    results = se.run_variants(variants, target, {repr(a): model})
    quantities = {"log10_usd_median": "log10 US$", "log10_t_co2e_median": "log10 t CO2e"}
    tornado = se.tornado_long(results, baseline, quantities)
    glue_value("sensitivity-target", target)
    glue_value("sensitivity-year", int(a.year))
    glue_value("sensitivity-measure", inputs.measure.replace("_", " "))
    for key in ("log10_flop_median", "log10_usd_median", "log10_t_co2e_median"):
        glue_value(
            f"sensitivity-baseline-{key.split('_')[1]}",
            formats.power_of_ten_markdown(baseline[key]),
        )
    glue_value("sensitivity-n-variants", len(results))
    glue_value("sensitivity-n-factors", results.factor.nunique())
    usd = tornado[tornado.quantity == "log10_usd_median"].reset_index(drop=True)
    glue_value("sensitivity-top-factor", usd.factor.iloc[0])
    glue_value("sensitivity-top-span", float(usd.span.iloc[0]))
    glue_value("sensitivity-second-factor", usd.factor.iloc[1])
    glue_value("sensitivity-second-span", float(usd.span.iloc[1]))
    cost_factors = {v.factor for v in se.cost_variants(a, base_post, inputs.measure)}
    cost_spans = usd[usd.factor.isin(cost_factors)]
    glue_value("sensitivity-top-cost-factor", cost_spans.factor.iloc[0])
    glue_value("sensitivity-top-cost-span", float(cost_spans.span.iloc[0]))
    glue_value("sensitivity-notes", se.notes_text(notes))
    glue_value(
        "sensitivity-prior-multipliers", " and ".join(f"{m:g}" for m in se.PRIOR_MULTIPLIERS)
    )

    shown = results.assign(
        **{
            "log10 FLOP": [
                formats.format_interval(m, lo, hi)
                for m, lo, hi in zip(
                    results.log10_flop_median,
                    results.log10_flop_lo,
                    results.log10_flop_hi,
                    strict=False,
                )
            ],
            "log10 US$": [
                formats.format_interval(m, lo, hi)
                for m, lo, hi in zip(
                    results.log10_usd_median,
                    results.log10_usd_lo,
                    results.log10_usd_hi,
                    strict=False,
                )
            ],
            "log10 t CO2e": [
                formats.format_interval(m, lo, hi)
                for m, lo, hi in zip(
                    results.log10_t_co2e_median,
                    results.log10_t_co2e_lo,
                    results.log10_t_co2e_hi,
                    strict=False,
                )
            ],
        }
    )[["factor", "setting", "log10 FLOP", "log10 US$", "log10 t CO2e", "n_wrong_sign", "n_draws"]]
    page_items["variants"] = shown.rename(
        columns={"n_wrong_sign": "wrong-sign draws", "n_draws": "draws"}
    )

    plotted = tornado.replace([np.inf, -np.inf], np.nan).assign(
        panel=lambda d: d.quantity.map(quantities)
    )[["factor", "panel", "low_shift", "high_shift", "span", "low_setting", "high_setting", "rank"]]
    tornado_chart = (
        alt.Chart(plotted)
        .mark_bar()
        .encode(
            y=alt.Y("factor:N", sort=alt.SortField("rank"), title=None),
            x=alt.X("low_shift:Q", title="shift (orders of magnitude)"),
            x2="high_shift:Q",
            tooltip=[
                "factor:N",
                "low_setting:N",
                alt.Tooltip("low_shift:Q", format=".2f"),
                "high_setting:N",
                alt.Tooltip("high_shift:Q", format=".2f"),
            ],
        )
        .properties(width=220, height=260)
        .facet(column=alt.Column("panel:N", title=None))
    )
    publish_figure(
        tornado_chart,
        "fig-sensitivity-tornado",
        plotted,
        alt_text="Tornado chart in two panels, log10 US dollars and log10 tonnes of CO2e: one "
        "horizontal bar per factor spanning the lowest to the highest shift of the headline median "
        "from the baseline, factors ordered by their span in dollars, largest first.",
    )

    columns = [
        "factor",
        "setting",
        "fit",
        "n_obs",
        "n_series",
        "max_rhat",
        "min_ess_bulk",
        "divergences",
        "target_accept",
        "passed",
    ]
    page_items["refit_diagnostics"] = refit_diagnostics[columns].round(3)
    return page_namespace("sensitivity", page_items)
