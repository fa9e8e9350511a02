"""The one set of draw summaries and interval texts (analysis.intervals)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import intervals


def test_minus_infinity_prints_as_minus_infinity_and_zero_as_zero() -> None:
    assert intervals.format_interval(-0.0001, -np.inf, np.inf) == "0.0 (−∞–∞)"
    assert intervals.format_interval(0.1234, 0.1, 0.2, 2, "%") == "0.12% (0.10–0.20)"
    assert intervals.format_power_of_ten(3.0, -np.inf, np.inf) == "10^3.0 (0–∞)"


def test_quantiles_are_draws_so_infinite_draws_stay_infinite() -> None:
    draws = np.array([1.0, 2.0, 3.0, np.inf, np.inf])
    median, lo, hi = intervals.interval_of(draws, 0.5)
    assert median == 3.0 and hi == np.inf and lo in draws
    summary = intervals.summarise(draws)
    assert summary["n_infinite"] == 2 and summary["n_draws"] == 5


def test_explicit_quantiles_interpolate_like_numpy() -> None:
    draws = np.linspace(0.0, 1.0, 101)
    median, lo, hi = intervals.interval_of(draws, quantiles=(0.05, 0.95), method="linear")
    assert (median, lo, hi) == pytest.approx((0.5, 0.05, 0.95))
    with pytest.raises(ValueError, match="no draws"):
        intervals.interval_of(np.array([]))
