"""Backtest: splits count every later row, CRPS is right, coverage is nominal on simulated data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.checks import backtest as bt
from analysis.testing import conjugate_fit, simulate_fit_rows


def test_split_counts_every_later_row() -> None:
    rows, _ = simulate_fit_rows(seed=1, rows_per_series=20)
    rows.loc[rows.index[:3], "series"] = "late/only"
    rows.loc[rows.index[:3], "year"] = 2030.0
    train, test, excluded = bt.split_at(rows, 2016.0)
    assert len(train) + len(test) + len(excluded) == len(rows)
    assert (excluded["series"] == "late/only").all() and len(excluded) == 3
    assert (train["year"] < 2016.0).all() and (test["year"] >= 2016.0).all()


def test_crps_matches_closed_form_for_a_normal() -> None:
    rng = np.random.default_rng(0)
    draws = rng.normal(0.0, 1.0, size=(1, 20000))
    # CRPS of N(0, 1) at y = 0 is (sqrt(2) - 1) / sqrt(pi)
    expected = (np.sqrt(2) - 1) / np.sqrt(np.pi)
    assert bt.crps_from_draws(draws, np.array([0.0]))[0] == pytest.approx(expected, rel=0.02)


def test_crps_rewards_sharp_correct_forecasts() -> None:
    rng = np.random.default_rng(1)
    sharp = rng.normal(5.0, 0.1, size=(1, 4000))
    vague = rng.normal(5.0, 3.0, size=(1, 4000))
    wrong = rng.normal(9.0, 0.1, size=(1, 4000))
    scores = [bt.crps_from_draws(d, np.array([5.0]))[0] for d in (sharp, vague, wrong)]
    assert scores[0] < scores[1] < scores[2]


def test_cutoff_labels() -> None:
    assert bt.cutoff_label(2017.0) == "≤2016"
    assert bt.cutoff_label(2020.5) == "≤2020-06"


def test_coverage_is_near_nominal_when_the_model_is_right() -> None:
    c50, c90 = [], []
    for seed in range(12):
        rows, _ = simulate_fit_rows(seed=seed, rows_per_series=40)
        result = bt.run_backtest(
            rows, conjugate_fit, cutoffs=(2016.0,), forms=("polynomial",), seed=seed
        )
        c50.append(result.summary["coverage_50"].iloc[0])
        c90.append(result.summary["coverage_90"].iloc[0])
    assert 0.4 <= np.mean(c50) <= 0.6
    assert 0.83 <= np.mean(c90) <= 0.96


def test_the_true_form_forecasts_better() -> None:
    rows, _ = simulate_fit_rows(seed=5, form="polynomial", rows_per_series=40)
    result = bt.run_backtest(rows, conjugate_fit, cutoffs=(2016.0,))
    verdict = bt.better_form(result.summary)
    assert verdict["better"].iloc[0] == "polynomial"


def test_too_few_training_rows_are_counted_not_dropped() -> None:
    rows, _ = simulate_fit_rows(seed=2, rows_per_series=20)
    result = bt.run_backtest(rows, conjugate_fit, cutoffs=(2000.0,), min_train_rows=5)
    assert result.scores.empty
    assert len(result.excluded) == len(rows)


def test_frontier_check_only_new_bests() -> None:
    rows, _ = simulate_fit_rows(seed=4, rows_per_series=40)
    fit = conjugate_fit(rows[rows["year"] < 2017], "polynomial")
    later = rows[rows["year"] >= 2017].drop(columns="is_frontier")
    table = bt.frontier_check(fit, later)
    for _series, group in table.groupby("series"):
        ordered = group.sort_values("year")["error"].to_numpy()
        assert np.all(np.diff(ordered) < 0)
    assert set(table.columns) >= {"log10_compute_used", "log10_projected_median", "inside"}
    assert isinstance(table, pd.DataFrame)


def test_frontier_check_uses_the_fit_table_flag() -> None:
    rows, _ = simulate_fit_rows(seed=4, rows_per_series=40)
    fit = conjugate_fit(rows[rows["year"] < 2017], "polynomial")
    later = rows[rows["year"] >= 2017].copy()
    assert bt.frontier_check(fit, later).empty  # simulated rows are never flagged
    later.loc[later.index[:2], "is_frontier"] = True
    table = bt.frontier_check(fit, later)
    assert set(table["result_id"]) == set(later["result_id"].iloc[:2])


def test_gate_failures_are_recorded_and_their_rows_counted() -> None:
    from analysis.models.diagnostics import DiagnosticsError

    rows, _ = simulate_fit_rows(seed=6, rows_per_series=30)

    def failing(train, form):
        if form == "exponential":
            raise DiagnosticsError("bad fit")
        return conjugate_fit(train, form)

    result = bt.run_backtest(rows, failing, cutoffs=(2016.0,), record_failures=True)
    assert list(result.failures["form"]) == ["exponential"]
    assert set(result.scores["form"]) == {"polynomial"}
    failed = result.excluded[result.excluded["reason"].str.contains("failed the gate")]
    assert len(failed) == len(result.scores)
    with pytest.raises(DiagnosticsError):
        bt.run_backtest(rows, failing, cutoffs=(2016.0,))


def test_calibration_verdict_bounds() -> None:
    low, high = bt.CALIBRATION_BAND
    assert bt.calibration(low) == "about right" and bt.calibration(high) == "about right"
    assert bt.calibration(low - 0.01) == "too narrow"
    assert bt.calibration(high + 0.01) == "too wide"
    assert bt.calibration(float("nan")) == "not assessable"
