"""The committed backtest run: it reads back exactly, is used only under its own key, and is
the run of the current headline rows and code."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.checks import backtest_store as store
from analysis.checks import frontier_backtest as bt


def small_run() -> bt.BacktestRun:
    scores = pd.DataFrame(
        {
            "cutoff": [2016.0, 2020.5],
            "target": ["all", "records"],
            "model": ["headline", "ols"],
            "result_id": ["r1", "r2"],
            "paper_id": ["a2016", "b2020"],
            "series": ["imagenet/top1_error", "coco/ap"],
            "in50": [1.0, 0.0],
            "in90": [1.0, 1.0],
            "pit": [0.1234567890123456, np.nan],
            "crps": [1 / 3, 2e-17],
            "nonfinite": [0.0, 0.25],
        }
    )
    densities = pd.DataFrame({"result_id": ["r1"], "polynomial": [-0.1], "floor": [np.nan]})
    fits = [{"cutoff": "2016-01-01", "form": "floor", "rows": 19, "passed": False, "reason": "x"}]
    return bt.BacktestRun(
        scores=scores,
        weights={"2016-01-01": {"polynomial": 1.0}},
        final_weights={"polynomial": 0.25, "floor": 0.75},
        densities=densities,
        fits=fits,
        seconds=12.5,
    )


def test_a_saved_run_reads_back_exactly(tmp_path):
    run = small_run()
    store.save_run(run, "k1", tmp_path)
    key, back = store.load_run(tmp_path)
    assert key == "k1"
    pd.testing.assert_frame_equal(back.scores, run.scores, check_exact=True)
    pd.testing.assert_frame_equal(back.densities, run.densities, check_exact=True)
    assert (back.weights, back.final_weights, back.fits) == (
        run.weights,
        run.final_weights,
        run.fits,
    )
    assert math.isclose(back.seconds, run.seconds)


def test_no_committed_run_reads_as_none(tmp_path):
    assert store.load_run(tmp_path) is None


@pytest.mark.parametrize(("current_key", "expected"), [("k1", "committed"), ("k2", "rerun")])
def test_the_committed_run_is_used_only_under_its_own_key(
    tmp_path, monkeypatch, current_key, expected
):
    committed = small_run()
    store.save_run(committed, "k1", tmp_path)
    rerun = small_run()
    rerun.seconds = 99.0
    monkeypatch.setattr(store, "run_key", lambda rows: current_key)
    monkeypatch.setattr(bt, "cached_run", lambda rows: (rerun, False))
    got = store.committed_or_cached(pd.DataFrame(), tmp_path)
    assert got.seconds == (committed.seconds if expected == "committed" else rerun.seconds)


@pytest.fixture(scope="module")
def committed() -> tuple[str, bt.BacktestRun]:
    stored = store.load_run()
    assert stored is not None, f"no committed backtest run in {store.RUN_DIR}"
    return stored


def test_the_committed_run_is_the_current_one(committed):
    from analysis.projection.frontier import headline_rows

    rows, _ = headline_rows()
    assert committed[0] == store.run_key(rows), (
        "reports/backtest-run/ was made from other headline rows or backtest code: "
        "refresh it with `python -m analysis.checks.backtest_store`"
    )


def test_the_committed_report_shows_the_committed_run(committed):
    report = bt.read_report()
    assert report["rows"] == bt.report_rows(committed[1].scores)
    assert report["fits"] == committed[1].fits
