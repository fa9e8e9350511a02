"""The shared frontier headline: the landing page's values and the frontier fan, on stand-in
frontier draws (no fits)."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from analysis.book import headline
from tests.frontier_standin import SERIES, StandInFrontier, stand_in_headline


def test_headline_values_trace_to_callable_functions_and_rows() -> None:
    h = stand_in_headline(rows=("r1", "r-best"))
    values = headline.headline_values(h)
    for key in ("home-frontier-halving", "home-frontier-flop", "home-frontier-usd"):
        assert key in values
    assert values["home-frontier-best"] == (
        10.0,
        "analysis.book.pages.frontier.todays_best",
        ("r-best",),
    )
    for key, (_, function, rows) in values.items():
        module, name = function.rsplit(".", 1)
        assert callable(getattr(importlib.import_module(module), name)), key
        assert rows, key
    assert values["home-frontier-weights"][0] == "polynomial 100%"
    assert values["home-frontier-unreachable"][0] == 0.0


def test_halving_text_is_the_stacked_halving_multiplier() -> None:
    h = stand_in_headline()  # slope -0.1: halving needs 10^3.0
    text = headline.headline_values(h)["home-frontier-halving"][0]
    assert "10{sup}`3.0`" in text.data


def test_per_form_texts_list_only_the_fitted_forms() -> None:
    fits = {"polynomial": StandInFrontier(), "exponential": StandInFrontier(seed=2)}
    h = stand_in_headline(fits, {"polynomial": 0.25, "exponential": 0.75})
    values = headline.headline_values(h)
    assert values["home-frontier-weights"][0] == "polynomial 25%, exponential 75%"
    text = values["home-frontier-halving-forms"][0].data
    assert "(polynomial)" in text and "(exponential)" in text and "floor" not in text


def test_fan_is_ordered_and_lower_targets_need_more_compute() -> None:
    fits = {"polynomial": StandInFrontier(), "floor": StandInFrontier(floor=2.0, seed=4)}
    errors = np.geomspace(10.0, 1.0, 6)
    fan = headline.fan_table(fits, {"polynomial": 0.5, "floor": 0.5}, SERIES, 2020.0, errors, 1)
    assert set(fan["form"]) == {"polynomial", "floor", "stacked"}
    poly = fan[fan["form"] == "polynomial"].sort_values("target_error", ascending=False)
    assert poly["q50"].is_monotonic_increasing
    assert (poly["q05"] <= poly["q95"]).all()
    floor = fan[(fan["form"] == "floor") & (fan["target_error"] < 2.0)]
    assert floor["q50"].isna().all()  # below the floor: never reached, not drawn
    assert fan.loc[fan["target_error"] == pytest.approx(10.0)].notna().all().all()
