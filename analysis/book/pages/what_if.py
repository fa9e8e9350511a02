"""The what-if chapter (``book/what-if.md``): what its code cell calls."""

from __future__ import annotations

from types import SimpleNamespace

import altair as alt
import numpy as np
import pandas as pd

from analysis.book import formats
from analysis.book import labels as names
from analysis.book.context import book_context
from analysis.book.figures import publish_figure
from analysis.book.glue import glue_value, page_namespace, setup_chapter
from analysis.book.theme import log10_axis
from analysis.book.whatif import publish_whatif, value_text_expr
from analysis.projection.assumptions import assumptions_table


def publish() -> SimpleNamespace:
    """Glue the what-if chapter's range and publish its interactive ImageNet chart."""
    setup_chapter()
    page_items: dict[str, object] = {}
    inputs = book_context().projection()
    a = inputs.assumptions
    IMAGENET = "imagenet/top1_accuracy"
    today = float(inputs.today[IMAGENET])
    step = 0.5
    lowest = min(a.targets[IMAGENET])
    errors = np.round(np.arange(lowest, np.floor(today / step) * step + step / 2, step), 2)
    grid = formats.whatif_grid(inputs, IMAGENET, errors)
    labels = {
        "log10_flop": "Training compute (FLOP)",
        "log10_usd": "Cost (US$)",
        "log10_t_co2e": "Emissions (t CO2e)",
    }
    grid["panel"] = grid["quantity"].map(labels)
    grid = grid[["form", "panel", "target_error", "q05", "q50", "q95", "share_reached"]]
    default = float(a.targets[IMAGENET][0])
    glue_value("whatif-default-target", default)
    glue_value("whatif-lowest", float(errors.min()))
    glue_value("whatif-highest", float(errors.max()))
    glue_value("whatif-today", today)
    glue_value("whatif-year", int(a.year))
    glue_value("whatif-rows", len(grid))
    glue_value("whatif-interval", round(100 * a.interval))

    target = alt.param(
        name="target",
        value=default,
        bind=alt.binding_range(
            min=float(errors.min()),
            max=float(errors.max()),
            step=step,
            name=f"Target: {names.series_name(IMAGENET)} ",
        ),
    )
    panels = []
    for panel in labels.values():
        base = (
            alt.Chart(grid)
            .transform_filter(alt.datum.panel == panel)
            .encode(
                x=alt.X(
                    "target_error:Q",
                    title="Target top-1 error (%, reversed)",
                    scale=alt.Scale(reverse=True),
                ),
                color=alt.Color("form:N", title=names.COLUMN_LABELS["form"]),
            )
        )
        chosen = base.transform_filter(alt.expr.abs(alt.datum.target_error - target) < step / 10)
        panels.append(
            alt.layer(
                base.mark_area(opacity=0.2).encode(
                    y=alt.Y("q05:Q", axis=log10_axis(panel), scale=alt.Scale(zero=False)),
                    y2="q95:Q",
                ),
                base.mark_line().encode(y="q50:Q"),
                chosen.mark_rule(strokeWidth=3).encode(y="q05:Q", y2="q95:Q"),
                chosen.mark_point(filled=True, size=90).encode(
                    y="q50:Q",
                    tooltip=[
                        "form:N",
                        alt.Tooltip("target_error:Q", title="Target error (%)"),
                        alt.Tooltip("q50:Q", title="Median (log10)", format=".1f"),
                        alt.Tooltip("q05:Q", title="Low end (log10)", format=".1f"),
                        alt.Tooltip("q95:Q", title="High end (log10)", format=".1f"),
                    ],
                ),
                chosen.transform_calculate(power=value_text_expr("q50"))
                .mark_text(dx=10, align="left", fontWeight="bold")
                .encode(y="q50:Q", text="power:N"),
            ).properties(width=460, height=150)
        )
    whatif_chart = alt.vconcat(*panels).add_params(target)
    publish_figure(
        whatif_chart,
        "fig-whatif-imagenet",
        grid,
        alt_text="Interactive chart with a slider for the ImageNet target top-1 error. Three "
        "stacked panels show compute, US dollars and tonnes of CO2e (log scales) "
        "needed against the target error for the polynomial and exponential forms, with "
        "median lines, 90% bands and a highlighted point and label at the chosen target.",
    )

    draws = publish_whatif(inputs, IMAGENET, "fig-whatif-imagenet-controls")
    glue_value("whatif-draws", int(draws.groupby("form").size().min()))
    glue_value("whatif-amortisation", f"{a.amortisation_years:g}")
    page_items["assumptions"] = pd.DataFrame(assumptions_table(a), columns=["assumption", "value"])
    return page_namespace("what-if", page_items)
