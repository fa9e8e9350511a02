"""The forecast command: input checks with locators, quantiles in order, record probability."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import forecast
from analysis.checks import frontier_backtest as bt
from analysis.models import frontier as fm
from analysis.models.frontier_sim import simulate

SERIES_OF = {"sim": "sim/top1_accuracy"}
FAST = fm.FrontierSettings(chains=4, tune=800, draws=600, target_accept=0.95)


def _write(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    path = tmp_path / "rows.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


GOOD = {
    "benchmark": "sim",
    "date": "2021-03-01",
    "measure": "hardware_burden",
    "log10_compute": 21.0,
}


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("benchmark", "imagenet_typo", "not a fitted benchmark"),
        ("measure", "flops_per_pass", "not one of"),
        ("date", "2019-01-01", "before the cutoff"),
        ("date", "2021-02-30", "not a date"),
        ("log10_compute", "lots", "not a number"),
        ("log10_compute", "99", "outside"),
    ],
)
def test_bad_input_names_file_line_column_and_value(tmp_path, column, value, problem):
    path = _write(tmp_path, [GOOD, {**GOOD, column: value}])
    with pytest.raises(forecast.ForecastInputError) as error:
        forecast.read_input(path, 2020.5, SERIES_OF)
    message = str(error.value)
    assert f"{path}, line 3, column {column!r}" in message and problem in message
    assert repr(value) in message or repr(float(value)) in message


def test_missing_columns_are_named(tmp_path):
    path = _write(tmp_path, [{"benchmark": "sim", "date": "2021-01-01"}])
    with pytest.raises(forecast.ForecastInputError, match="missing columns"):
        forecast.read_input(path, 2020.5, SERIES_OF)


@pytest.fixture(scope="module")
def simulated_fit() -> fm.FrontierFit:
    train, _ = bt.split(simulate(3), 2020.5)
    return fm.fit_frontier(train, "polynomial", FAST, label="sim")


def test_quantiles_increase_and_more_compute_makes_a_record_likelier(tmp_path, simulated_fit):
    path = _write(tmp_path, [GOOD, {**GOOD, "log10_compute": 23.0}])
    requests = forecast.read_input(path, 2020.5, SERIES_OF)
    best = {"sim/top1_accuracy": 8.0}
    out = forecast.forecast(requests, {"polynomial": simulated_fit}, {"polynomial": 1.0}, best)
    quantiles = out[list(forecast.QUANTILES)].to_numpy()
    assert np.all(np.diff(quantiles, axis=1) > 0)
    assert out.loc[1, "p_new_record"] > out.loc[0, "p_new_record"]
    assert list(out.columns[:4]) == list(forecast.INPUT_COLUMNS)
    assert (out["p_nonpositive"] == 0).all()  # a polynomial forecast never reaches zero error


def test_a_forecast_is_given_a_positive_error(tmp_path, simulated_fit, monkeypatch):
    """Draws of an error at or below zero (an exponential form far out) are left out of the
    quantiles and the record probability, and counted."""
    path = _write(tmp_path, [GOOD])
    requests = forecast.read_input(path, 2020.5, SERIES_OF)
    shift = {"value": None}

    def shifted(form, value, floor=0.0):
        error = 10.0 ** np.asarray(value)
        shift["value"] = float(np.quantile(error, 0.2))
        return error - shift["value"]  # a fifth of the draws at or below zero

    monkeypatch.setattr(forecast.fm, "error_from_response", shifted)
    out = forecast.forecast(
        requests, {"polynomial": simulated_fit}, {"polynomial": 1.0}, {"sim/top1_accuracy": 8.0}
    )
    assert out.loc[0, "error_q05"] > 0
    assert out.loc[0, "p_nonpositive"] == pytest.approx(0.2, abs=0.01)
