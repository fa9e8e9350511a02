"""Parameter recovery on data simulated from the model's own functional forms."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import models
from analysis.testing import simulate_fit_rows
from tests.models.conftest import SMALL


@pytest.fixture(autouse=True)
def _session(model_session):
    """Compiled models and one posterior cache for the session (tests/models/conftest.py)."""
    return model_session


def _inside_90(fit: models.ScalingFit, truth: dict[str, float], column: str) -> np.ndarray:
    inside = []
    for series, value in truth.items():
        draws = fit.series_draws(series)[column]
        low, high = np.quantile(draws, [0.05, 0.95])
        inside.append(low <= value <= high)
    return np.array(inside)


@pytest.mark.parametrize("form", ["polynomial", "exponential"])
def test_slopes_and_intercepts_recovered_with_near_nominal_coverage(form):
    hits = []
    for seed in range(3):
        rows, truth = simulate_fit_rows(
            seed=seed, form=form, n_tasks=2, series_per_task=2, rows_per_series=30
        )
        fit = models.fit_scaling(rows, form, seed=seed, settings=SMALL, gate=False)
        assert fit.x0 == pytest.approx(np.round(np.median(rows["log10_compute"]), 1))
        # move the true intercepts from the simulation's x0 to the fit's x0
        intercept = {
            s: truth.intercept[s] + truth.slope[s] * (fit.x0 - truth.x0) for s in truth.intercept
        }
        hits += list(_inside_90(fit, truth.slope, "slope"))
        hits += list(_inside_90(fit, intercept, "intercept"))
    coverage = float(np.mean(hits))
    # 24 intervals at 90%: fewer than 17 inside has probability < 1% under nominal coverage
    assert coverage >= 17 / 24
