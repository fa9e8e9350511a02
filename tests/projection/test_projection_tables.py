"""Projection tables: one row per target and form, monotone in the target, readable strings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.book import formats
from analysis.projection import costs
from analysis.projection import extrapolate as ex
from analysis.projection.assumptions import load_assumptions
from analysis.testing import SimulatedFit

SERIES = "imagenet/top1_accuracy"


@pytest.fixture(scope="module")
def setting():
    a = load_assumptions().with_changes(max_draws=1000)
    model = costs.build_cost_model(a)
    posteriors = [
        ex.SeriesPosterior.from_fit(SimulatedFit(form, 20.0, {SERIES: truth}, n_draws=1000), SERIES)
        for form, truth in (("polynomial", (np.log10(20.0), -0.12)), ("exponential", (20.0, -3.0)))
    ]
    return a, model, posteriors


def test_projection_table_rows_and_order(setting) -> None:
    a, model, posteriors = setting
    targets = [
        ex.Target(SERIES, label, e) for label, e in (("today", 11.5), ("5", 5.0), ("1", 1.0))
    ]
    table = costs.projection_table(
        posteriors,
        targets,
        pd.Series({SERIES: 11.5}),
        model,
        year=a.year,
        measure="hardware_burden",
    )
    assert len(table) == 6
    for _, group in table.groupby("form"):
        ordered = group.sort_values("target_error", ascending=False)
        for column in ("log10_flop_median", "log10_usd_median", "log10_usd_published_median"):
            assert np.all(np.diff(ordered[column].to_numpy()) > 0)  # lower target costs more
        assert (group["log10_flop_lo"] <= group["log10_flop_median"]).all()
        assert (group["log10_flop_median"] <= group["log10_flop_hi"]).all()
    shown = formats.display_projection_table(table)
    assert len(shown) == len(table) and shown["log10 FLOP"].str.contains("–").all()


def test_target_grid_quantiles_are_ordered(setting) -> None:
    a, model, posteriors = setting
    grid = costs.target_grid(
        posteriors,
        {SERIES: np.array([10.0, 5.0, 2.0])},
        model,
        year=a.year,
        measure="hardware_burden",
    )
    assert len(grid) == 2 * 3 * 3
    q = grid[["q05", "q25", "q50", "q75", "q95"]].to_numpy()
    assert np.all(np.diff(q, axis=1) >= 0)
    flop = grid[(grid.quantity == "log10_flop") & (grid.form == "polynomial")]
    assert np.all(np.diff(flop.sort_values("target_error", ascending=False)["q50"]) > 0)


def test_interval_and_power_of_ten_formatting() -> None:
    assert formats.format_interval(-0.0001, -0.0, np.inf) == "0.0 (0.0–∞)"
    assert formats.format_interval(25.84, 24.51, 28.06) == "25.8 (24.5–28.1)"
    text = formats.power_of_ten_markdown(29.84, 28.0, np.inf).data
    assert text == "10{sup}`29.8` (10{sup}`28.0`–∞)"
