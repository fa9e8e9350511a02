"""Compute needed: monotone in the target, wrong-sign draws counted, intervals that cover."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from analysis.projection import extrapolate as ex
from analysis.projection.trends import fit_linear_trend
from analysis.testing import SimulatedFit
from analysis.vocab.forms import log10_compute_for

X0 = 18.0


def _posterior(form="polynomial", intercept=1.0, slope=-0.1, spread=0.01, n=2000, seed=1):
    fit = SimulatedFit(form, X0, {"s": (intercept, slope)}, spread=spread, n_draws=n, seed=seed)
    return ex.SeriesPosterior.from_fit(fit, "s")


@pytest.mark.parametrize("form", ["polynomial", "exponential"])
@pytest.mark.parametrize("kind", ["mean", "predictive"])
def test_lower_target_never_needs_less_compute(form: str, kind: str) -> None:
    intercept = 1.0 if form == "polynomial" else 10.0
    post = _posterior(form, intercept=intercept, slope=-0.3)
    targets = [9.0, 5.0, 2.0, 1.0]
    draws = [ex.log10_compute_draws(post, t, kind=kind, seed=3) for t in targets]
    for higher, lower in itertools.pairwise(draws):
        assert np.all(lower >= higher)


def test_mean_kind_matches_forms_inversion() -> None:
    post = _posterior()
    draws = ex.log10_compute_draws(post, 5.0)
    expected = log10_compute_for(
        "polynomial", post.draws["intercept"], post.draws["slope"], 5.0, X0
    )
    np.testing.assert_allclose(draws, expected)


def test_wrong_sign_draws_are_infinite_and_counted() -> None:
    post = _posterior(slope=0.0, spread=0.05)  # about half the draws have slope >= 0
    draws = ex.log10_compute_draws(post, 5.0)
    n_wrong = int(post.wrong_sign.sum())
    assert 0 < n_wrong < len(draws)
    assert int(np.isinf(draws).sum()) == n_wrong
    summary = ex.summarise(draws)
    assert summary["n_infinite"] == n_wrong
    assert summary["n_draws"] == len(draws)  # nothing dropped


def test_predictive_interval_is_wider_than_mean_interval() -> None:
    post = _posterior()
    mean = ex.summarise(ex.log10_compute_draws(post, 5.0, kind="mean"))
    pred = ex.summarise(ex.log10_compute_draws(post, 5.0, kind="predictive"))
    assert pred["hi"] - pred["lo"] > mean["hi"] - mean["lo"]


def test_student_t_noise_used_when_nu_present() -> None:
    post = _posterior()
    heavy = ex.SeriesPosterior("s", "polynomial", X0, None, post.draws.assign(nu=1.5))
    normal = ex.log10_compute_draws(post, 5.0, kind="predictive", seed=4)
    robust = ex.log10_compute_draws(heavy, 5.0, kind="predictive", seed=4)
    assert np.ptp(robust) > np.ptp(normal)


def test_trend_fit_needs_a_year_and_shifts_compute() -> None:
    post = _posterior()
    with_trend = ex.SeriesPosterior("s", "polynomial", X0, 2015.0, post.draws.assign(trend=-0.02))
    with pytest.raises(ValueError, match="projection year"):
        ex.log10_compute_draws(with_trend, 5.0)
    later = ex.log10_compute_draws(with_trend, 5.0, year=2020.0)
    now = ex.log10_compute_draws(with_trend, 5.0, year=2015.0)
    assert np.all(later < now)  # algorithmic progress lowers the compute needed


def test_halving_multiplier_polynomial_is_two_to_minus_one_over_slope() -> None:
    post = _posterior(slope=-1 / 9, spread=1e-9)
    table = ex.halving_table([post], pd.Series({"s": 11.5}))
    assert table["log10_multiplier_median"].iloc[0] == pytest.approx(9 * np.log10(2), rel=1e-6)


def test_todays_best_respects_the_cutoff() -> None:
    rows = pd.DataFrame(
        {
            "series": ["a", "a", "a", "b"],
            "error": [20.0, 10.0, 5.0, 3.0],
            "year": [2015, 2019, 2021, 2022],
        }
    )
    best = ex.todays_best(rows, 2020.5)
    assert best["a"] == 10.0
    assert "b" not in best.index


def test_intervals_cover_the_true_compute_on_simulated_data() -> None:
    """Simulate papers from a known line, fit it exactly (conjugate), check 90% coverage."""
    rng = np.random.default_rng(2020)
    true_a, true_b, sigma, target = np.log10(20.0), -0.12, 0.06, 5.0
    truth = log10_compute_for("polynomial", true_a, true_b, target, X0)
    replicates, hits = 200, 0
    for seed in range(replicates):
        x = rng.uniform(16, 21, 30)
        y = true_a + true_b * (x - X0) + rng.normal(0, sigma, x.size)
        fit = fit_linear_trend("sim", pd.DataFrame({"year": x, "y": y}), pd.DataFrame(), 1000, seed)
        draws = fit.draws.assign(intercept=fit.mean_at(X0))
        post = ex.SeriesPosterior("s", "polynomial", X0, None, draws)
        summary = ex.summarise(ex.log10_compute_draws(post, target), 0.9)
        hits += summary["lo"] <= truth <= summary["hi"]
    assert 0.84 <= hits / replicates <= 0.96
