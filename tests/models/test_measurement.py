"""Measurement-error model, LOO on one scale, and the study-style OLS."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import models
from analysis.models.ols import ols_per_series
from analysis.testing import simulate_compute_long, simulate_fit_rows
from tests.models.conftest import SMALL


@pytest.fixture(autouse=True)
def _session(model_session):
    """Compiled models and one posterior cache for the session (tests/models/conftest.py)."""
    return model_session


def test_measure_biases_and_noise_recovered():
    rows, _ = simulate_fit_rows(seed=5, n_tasks=2, series_per_task=1, rows_per_series=40)
    bias = {
        "network_operations": 0.0,
        "hardware_burden": 0.6,
        "flops_per_pass": -8.0,
        "epoch_estimate": 0.2,
    }
    compute = simulate_compute_long(rows, seed=5, bias=bias)
    fit = models.fit_measurement_error(rows, compute, "polynomial", settings=SMALL, gate=False)
    post = fit.idata.posterior
    for measure in ("hardware_burden", "flops_per_pass"):
        for task in fit.tasks:
            draws = post["bias"].sel(measure=measure, task=task).values.reshape(-1)
            low, high = np.quantile(draws, [0.01, 0.99])
            assert low <= bias[measure] <= high, (measure, task, low, high)
    assert post["bias"].sel(measure="network_operations").values.max() == 0.0
    assert set(fit.compute_observations["measure"]) <= set(bias)


def test_unlinked_measure_is_dropped_with_reason():
    compute = pd.DataFrame(
        {
            "result_id": ["a", "a", "b", "c", "c"],
            "measure": [
                "network_operations",
                "hardware_burden",
                "flops_per_pass",
                "hardware_burden",
                "epoch_estimate",
            ],
            "log10_flops": [18.0, 18.5, 10.0, 19.0, 19.2],
        }
    )
    task = pd.Series({"a": "t1", "b": "t1", "c": "t2"})
    kept, dropped = models.calibrated_observations(compute, task)
    assert set(kept["result_id"]) == {"a"}
    assert set(dropped["result_id"]) == {"b", "c"}
    assert dropped["reason"].str.contains("not linked").all()


def test_loo_puts_exponential_on_log10_scale():
    rows, _ = simulate_fit_rows(seed=7, n_tasks=1, series_per_task=2, rows_per_series=20)
    fits = {
        form: models.fit_scaling(rows, form, settings=SMALL, gate=False)
        for form in ("polynomial", "exponential")
    }
    exp = fits["exponential"]
    error = exp.idata.constant_data["error"]
    shifted = models.log10_error_loglik(exp) - exp.idata.log_likelihood["obs"]
    np.testing.assert_allclose(shifted.values[0, 0], np.log(error.values * np.log(10)))
    table = models.task_loo(fits, "sim-task-0")
    assert set(table.index) == {"polynomial", "exponential"}
    assert table.attrs["n"] == len(rows)
    # the data are polynomial: the polynomial model must rank first
    assert table.index[0] == "polynomial"


def test_ols_recovers_exact_lines_and_trend_adds_r2():
    x = np.linspace(16, 20, 10)
    year = np.linspace(2012, 2020, 10)
    rng = np.random.default_rng(0)
    y = 1.2 - 0.1 * (x - 18) + rng.normal(0, 0.05, 10)
    rows = pd.DataFrame(
        {
            "task": "t",
            "series": "s/m",
            "error": 10.0**y,
            "log10_compute": x,
            "year": year + rng.normal(0, 1, 10),
        }
    )
    table = ols_per_series(rows, "polynomial").iloc[0]
    assert table["n"] == 10
    assert abs(table["slope"] + 0.1) < 3 * table["slope_se"]
    assert 0 <= table["extra_r2_from_trend"] <= 1 - table["r2"]
