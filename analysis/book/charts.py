"""Charts shared by several pages (the landing page and the chapters)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.book import labels
from analysis.book.theme import log10_axis


def fan_chart(
    fan: pd.DataFrame, *, width: int = 230, height: int = 170, columns: int = 2
) -> alt.FacetChart:
    """Compute needed against target error: median line, 50% and 90% bands, one panel a series.

    ``fan`` is the ``log10_flop`` part of :func:`analysis.projection.costs.target_grid`.
    """
    base = alt.Chart(fan).encode(
        x=alt.X("target_error:Q", title="Target error (metric units, reversed log scale)",
                scale=alt.Scale(type="log", reverse=True, nice=False)),
        color=alt.Color("form:N", title=labels.COLUMN_LABELS["form"]),
    )  # fmt: skip
    layers = alt.layer(
        base.mark_area(opacity=0.2).encode(
            y=alt.Y(
                "q05:Q", axis=log10_axis(labels.COMPUTE_NEEDED_POWERS), scale=alt.Scale(zero=False)
            ),
            y2="q95:Q",
        ),
        base.mark_area(opacity=0.35).encode(y="q25:Q", y2="q75:Q"),
        base.mark_line().encode(
            y="q50:Q",
            tooltip=[
                "series:N",
                "form:N",
                alt.Tooltip("target_error:Q", format=".2f"),
                alt.Tooltip("q50:Q", title="Median compute (log10 FLOP)", format=".1f"),
            ],
        ),
        data=fan,
    ).properties(width=width, height=height)
    return layers.facet(facet=alt.Facet("series:N", title=None), columns=columns).resolve_scale(
        x="independent", y="independent"
    )
