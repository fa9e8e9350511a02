"""The landing page's key findings, computed from the same fits and assumptions as the chapters."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.projection import costs
from analysis.projection import extrapolate as ex
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
