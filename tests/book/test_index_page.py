"""The landing page's findings and the shared fan chart, on simulated fits with known slopes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.book.charts import fan_chart
from analysis.book.pages import index as landing
from analysis.projection import costs
from analysis.projection.assumptions import load_assumptions
from analysis.projection.inputs import BookInputs
from analysis.testing import SimulatedFit

SERIES = landing.IMAGENET
POLY_SLOPE = -0.12


@pytest.fixture(scope="module")
def inputs() -> BookInputs:
    a = load_assumptions().with_changes(max_draws=1000)
    fits = {
        "polynomial": SimulatedFit("polynomial", 20.0, {SERIES: (np.log10(20.0), POLY_SLOPE)}),
        "exponential": SimulatedFit("exponential", 20.0, {SERIES: (20.0, -3.0)}),
    }
    empty = pd.DataFrame({"series": [SERIES]})
    return BookInputs(
        assumptions=a,
        cost_model=costs.build_cost_model(a),
        measure=a.compute_measure,
        rows=empty,
        excluded=pd.DataFrame(),
        results=pd.DataFrame(),
        today=pd.Series({SERIES: 12.0}),
        fits=fits,
        n_papers=0,
    )


def test_headline_projection_covers_both_forms_and_study_targets(inputs) -> None:
    table = landing.headline_projection(inputs)
    assert set(table["form"]) == set(landing.FORMS)
    for _, rows in table.groupby("form"):
        ordered = rows.sort_values("target_error", ascending=False)
        assert ordered["log10_flop_median"].is_monotonic_increasing


def test_halving_multiplier_matches_the_slope(inputs) -> None:
    halving = landing.halving_multiplier(inputs).set_index("form")
    expected = np.log10(2) / -POLY_SLOPE
    assert halving.loc["polynomial", "log10_multiplier_median"] == pytest.approx(expected, rel=0.05)
    assert halving.loc["polynomial", "log10_multiplier_lo"] < expected
    assert halving.loc["polynomial", "log10_multiplier_hi"] > expected


def test_fan_spans_today_to_lowest_target_and_is_ordered(inputs) -> None:
    fan = landing.headline_fan(inputs, points=8)
    lowest = min(inputs.assumptions.targets[SERIES])
    assert fan["target_error"].max() == pytest.approx(12.0)
    assert fan["target_error"].min() == pytest.approx(min(lowest, 6.0))
    assert (fan["q05"] <= fan["q50"]).all() and (fan["q50"] <= fan["q95"]).all()
    spec = fan_chart(fan).to_dict()
    assert spec["spec"]["layer"][0]["encoding"]["x"]["scale"]["reverse"] is True


def test_unknown_series_is_refused(inputs) -> None:
    with pytest.raises(ValueError, match="no fitted posterior"):
        landing.headline_projection(inputs, "nope/none")
