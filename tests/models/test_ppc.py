"""Posterior predictive checks per benchmark series (table, per-result intervals, chart)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis import models
from analysis.book.pages import tasks as report
from analysis.testing import simulate_fit_rows


@pytest.fixture(scope="module")
def fit(model_session):
    rows = simulate_fit_rows(seed=5, n_tasks=1, series_per_task=2, rows_per_series=40)[0]
    return models.fit_scaling(rows, "polynomial", settings=model_session.settings, gate=False)


def test_intervals_agree_with_the_check_table(fit) -> None:
    table = report.posterior_predictive_check(fit).set_index("series")
    intervals = report.predictive_intervals(fit, fit.series)
    assert len(intervals) == fit.n_obs
    assert (intervals["predicted_low"] < intervals["predicted_median"]).all()
    assert (intervals["predicted_median"] < intervals["predicted_high"]).all()
    share = intervals.groupby("series")["inside"].mean()
    np.testing.assert_allclose(share.loc[table.index], table["inside_90"], atol=1e-12)
    # data drawn from the model itself: most observations fall inside their 90% intervals
    assert share.min() >= 0.75


def test_intervals_keep_only_the_series_asked_for(fit) -> None:
    one = report.predictive_intervals(fit, fit.series[:1])
    assert set(one["series"]) == {fit.series[0]}


def test_chart_has_one_panel_per_series_and_marks_outside_points(fit) -> None:
    intervals = report.predictive_intervals(fit, fit.series)
    intervals.loc[0, "error"] = intervals.loc[0, "predicted_high"] * 10
    intervals.loc[0, "inside"] = False
    spec = json.loads(report.predictive_chart(intervals, "check").to_json())
    assert spec["facet"]["field"] == "series"
    values = next(iter(spec["datasets"].values()))
    assert {v["status"] for v in values} == {"inside the interval", "outside the interval"}
