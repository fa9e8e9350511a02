"""The frontier model: calibration on simulated data with paper gaps, selection and drift.

The coverage test fits the model on 20 simulated data sets (each split at a cutoff, forecasting
the later papers) and asserts the pooled 90% and 50% predictive coverage within binomial
tolerances. Its power: the same check applied to the frontier frozen at the cutoff (no further
progress, the failure of the book's earlier model) falls outside the tolerance.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.checks import frontier_backtest as bt
from analysis.models import frontier as fm
from analysis.models.frontier_sim import FrontierTruth, simulate
from analysis.projection import frontier as fp

FAST = fm.FrontierSettings(chains=4, tune=800, draws=600, target_accept=0.95)
N_SIMS = 20
CUTOFF = 2018.0
TRUTH = FrontierTruth(trend=-0.06)
"""Progress of 0.06 log10 error a year (about 13% a year at fixed compute)."""


def _tolerance(n: int, p: float, alpha: float = 0.002) -> tuple[float, float]:
    """Two-sided binomial acceptance band for a coverage of ``p`` over ``n`` forecasts."""
    lo, hi = stats.binom.ppf([alpha / 2, 1 - alpha / 2], n, p)
    return lo / n, hi / n


@pytest.fixture(scope="module")
def simulated_scores() -> pd.DataFrame:
    """Scores of the frontier forecast and of the frozen forecast on 20 simulated data sets
    (posteriors cached like the book's, under the label ``sim``)."""
    truth_slopes, rows = [], []
    for seed in range(N_SIMS):
        data = simulate(seed, TRUTH, n_papers=40)
        train, later = bt.split(data, CUTOFF)
        fit = fm.fit_frontier(train, "polynomial", FAST, label="sim")
        slope = fit.draws("sim/top1_accuracy")["slope"]
        truth_slopes.append(float(np.mean(slope < TRUTH.slope)))
        later = later[~later["paper_id"].isin(train["paper_id"])]
        for name, frozen in (("frontier", False), ("frozen", True)):
            forecast = bt._frontier_forecaster(fit, CUTOFF, frozen=frozen)
            for _, row in later.iterrows():
                s = bt.score(forecast(row, "all"), float(np.log10(row["error"])))
                rows.append({"model": name, "seed": seed, "paper_id": row["paper_id"], **s})
    scores = pd.DataFrame(rows)
    scores.attrs["slope_pit"] = truth_slopes
    return scores


def _paper_coverage(scores: pd.DataFrame, model: str, column: str) -> tuple[float, int]:
    """Coverage with one vote per paper (a paper's results share its gap)."""
    per_paper = scores[scores["model"] == model].groupby(["seed", "paper_id"])[column].mean()
    return float(per_paper.mean()), len(per_paper)


def test_predictive_intervals_cover_new_papers_at_their_nominal_rate(simulated_scores):
    for column, nominal in (("in90", 0.9), ("in50", 0.5)):
        coverage, n = _paper_coverage(simulated_scores, "frontier", column)
        lo, hi = _tolerance(n, nominal)
        assert lo <= coverage <= hi, (
            f"{column}: {coverage:.2f} over {n} papers, band {lo:.2f}-{hi:.2f}"
        )


def _pit_bias(scores: pd.DataFrame, model: str) -> tuple[float, float]:
    """Mean PIT of later results and a 3-standard-error tolerance, from the spread of the
    per-simulation means (the rows of one simulation share its posterior, so they are not
    independent)."""
    per_sim = scores[scores["model"] == model].groupby("seed")["pit"].mean()
    return float(per_sim.mean()), 3.0 * float(per_sim.std(ddof=1)) / np.sqrt(len(per_sim))


def test_forecasts_are_unbiased_in_the_pit(simulated_scores):
    mean, tolerance = _pit_bias(simulated_scores, "frontier")
    assert abs(mean - 0.5) < tolerance, f"mean PIT {mean:.3f}, tolerance {tolerance:.3f}"


def test_the_check_flags_a_forecast_without_further_progress(simulated_scores):
    """Power: a forecast that ignores progress after the cutoff is flagged as biased (later
    results do better than forecast, so their PIT sits low)."""
    mean, tolerance = _pit_bias(simulated_scores, "frozen")
    assert mean < 0.5 - tolerance, (
        f"frozen forecast's mean PIT {mean:.3f}, tolerance {tolerance:.3f}"
    )


def test_slope_posterior_is_calibrated_across_simulations(simulated_scores):
    pit = np.asarray(simulated_scores.attrs["slope_pit"])
    inside = np.mean((pit > 0.05) & (pit < 0.95))
    assert inside >= stats.binom.ppf(0.002, N_SIMS, 0.9) / N_SIMS, pit.round(2)


def _draws(slope: float = -0.08, trend: float = -0.03, floor: float = 0.0) -> pd.DataFrame:
    n = 200
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "intercept": 1.0 + 0.01 * rng.standard_normal(n), "slope": slope, "trend": trend,
            "sigma_v": 0.04, "sigma_u": 0.1, "floor": floor, "x0": 20.0, "t0": 2017.0,
        }
    )  # fmt: skip


def test_a_lower_target_never_needs_less_compute():
    draws = _draws()
    targets = [9.0, 7.0, 5.0, 3.0, 1.0]
    computes = [
        np.median(fp.frontier_log10_compute(draws, "polynomial", t, 2020.0)) for t in targets
    ]
    assert all(a < b for a, b in itertools.pairwise(computes))


def test_later_years_need_less_compute_when_progress_is_positive():
    draws = _draws()
    early = fp.frontier_log10_compute(draws, "polynomial", 5.0, 2020.0)
    late = fp.frontier_log10_compute(draws, "polynomial", 5.0, 2025.0)
    assert np.all(late < early)


def test_multiplier_and_absolute_compute_come_from_the_same_draws():
    draws = _draws()
    start = fp.frontier_log10_compute(draws, "polynomial", 10.0, 2020.0)
    end = fp.frontier_log10_compute(draws, "polynomial", 5.0, 2020.0)
    multiplier = fp.halving_log10_multiplier(draws, "polynomial", 10.0, 2020.0)
    np.testing.assert_allclose(multiplier, end - start)


def test_a_target_below_the_floor_is_unreachable_and_a_wrong_slope_never_reaches():
    below = fp.frontier_log10_compute(_draws(floor=2.0), "floor", 1.5, 2020.0)
    wrong = fp.frontier_log10_compute(_draws(slope=0.01), "polynomial", 5.0, 2020.0)
    assert np.all(np.isinf(below)) and np.all(np.isinf(wrong))


def test_stacking_prefers_the_form_with_the_higher_predictive_density():
    log_density = np.column_stack([np.full(50, -1.0), np.full(50, -3.0)])
    weights = fp.stacking_weights(log_density)
    assert weights[0] > 0.95 and weights.sum() == pytest.approx(1.0)


def test_design_rejects_unknown_measures_and_forms():
    data = simulate(0)
    with pytest.raises(ValueError, match="expected one of"):
        fm.make_design(data, "cubic")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="measures"):
        fm.make_design(data.assign(measure="flops_per_pass"), "polynomial")


def test_series_with_too_few_papers_are_left_out_with_a_reason():
    data = simulate(1)
    few = data[data["paper_id"].isin(data["paper_id"].unique()[:2])].assign(series="tiny/f1")
    kept, excluded = fm.eligible(pd.concat([data, few]))
    assert "tiny/f1" not in set(kept["series"])
    assert set(excluded["series"]) == {"tiny/f1"} and excluded["reason"].str.contains("paper").all()


def _fake_fit(rows: pd.DataFrame) -> fm.FrontierFit:
    """A frontier fit whose posterior is made up: draw d of task t has slope 10 t + d."""
    import xarray as xr

    design = fm.make_design(rows, "polynomial")
    n_tasks, n_draws = len(design.tasks), 5
    slope = np.arange(n_draws)[None, :, None] + 10.0 * np.arange(n_tasks)[None, None, :]
    per_series = np.ones((1, n_draws, len(design.series)))
    per_task = np.ones((1, n_draws, n_tasks))
    offsets = np.zeros((1, n_draws, len(fm.MEASURES) - 1))
    posterior = xr.Dataset(
        {
            "slope_task": (("chain", "draw", "task"), slope),
            **{
                v: (("chain", "draw", "series"), per_series)
                for v in ("intercept", "slope", "trend")
            },
            **{v: (("chain", "draw", "task"), per_task) for v in ("sigma_v", "sigma_u")},
            "measure_offset": (("chain", "draw", "other_measure"), offsets),
        }
    )
    return fm.FrontierFit("polynomial", design, rows, posterior, pd.DataFrame(), True, 0.0)


def test_task_draws_read_the_named_task_and_reject_an_unknown_one():
    rows, _ = fm.eligible(simulate(0, TRUTH, n_papers=12))
    fit = _fake_fit(rows)
    task = fit.design.tasks[-1]
    expected = 10.0 * (len(fit.design.tasks) - 1) + np.arange(5)
    np.testing.assert_array_equal(fit.task_draws(task, "slope_task"), expected)
    with pytest.raises(KeyError, match="not in this frontier fit"):
        fit.task_draws("no_such_task", "slope_task")


def test_a_row_names_its_paper_group_as_the_frame_does():
    rows = simulate(1, TRUTH, n_papers=6)
    keys = fm.group_key(rows)
    assert [fm.row_group_key(r) for _, r in rows.iterrows()] == keys.tolist()


def test_draws_of_a_series_are_a_fresh_copy_each_time():
    rows, _ = fm.eligible(simulate(0, TRUTH, n_papers=12))
    fit = _fake_fit(rows)
    series = fit.series[0]
    first = fit.draws(series)
    first["intercept"] = -99.0
    assert (fit.draws(series)["intercept"] == 1.0).all()


def test_a_failed_fit_escalates_to_longer_sampling_a_low_rank_mass_matrix_then_smaller_steps():
    first, longer, low_rank, smaller_steps = fm.escalation(fm.DEFAULT_SETTINGS)
    assert first == fm.DEFAULT_SETTINGS and not first.low_rank and not longer.low_rank
    assert (longer.tune, longer.draws) == (2 * first.tune, 2 * first.draws)
    assert low_rank.low_rank and (low_rank.tune, low_rank.draws) == (longer.tune, longer.draws)
    assert smaller_steps == replace(low_rank, target_accept=fm.FINAL_TARGET_ACCEPT)
    assert smaller_steps.target_accept > low_rank.target_accept


def test_only_a_low_rank_attempt_names_the_option_in_its_cache_key():
    assert "low_rank" not in fm.DEFAULT_SETTINGS.key()
    assert fm.DEFAULT_SETTINGS.key() == {
        k: v for k, v in vars(fm.DEFAULT_SETTINGS).items() if k != "low_rank"
    }
    assert fm.escalation(fm.DEFAULT_SETTINGS)[2].key()["low_rank"] is True
