"""The "as published" scenario reproduces the study's constants exactly."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.projection import costs
from analysis.projection.assumptions import load_assumptions


@pytest.fixture(scope="module")
def assumptions():
    return load_assumptions()


def test_config_holds_the_study_constants(assumptions) -> None:
    assert assumptions.published_flop_per_usd == 6.874e16
    assert assumptions.published_flop_per_lb_co2e == 3.498e17
    assert assumptions.kg_per_lb == 0.45359237


def test_one_dollar_and_one_pound(assumptions) -> None:
    row = costs.as_published(np.log10(6.874e16), assumptions).iloc[0]
    assert row["usd"] == pytest.approx(1.0, rel=1e-12)
    row = costs.as_published(np.log10(3.498e17), assumptions).iloc[0]
    assert row["lb_co2e"] == pytest.approx(1.0, rel=1e-12)
    assert row["kg_co2e"] == pytest.approx(0.45359237, rel=1e-12)


def test_dollars_per_flop_about_1_45e_minus_17(assumptions) -> None:
    usd = costs.as_published(0.0, assumptions)["usd"].iloc[0]
    assert usd == pytest.approx(1.45e-17, rel=0.01)


def test_published_costs_scale_linearly_with_compute(assumptions) -> None:
    table = costs.as_published(np.array([20.0, 21.0, 22.0]), assumptions)
    np.testing.assert_allclose(np.diff(np.log10(table["usd"])), 1.0)
    np.testing.assert_allclose(np.diff(np.log10(table["kg_co2e"])), 1.0)


def test_log10_version_agrees_and_survives_huge_compute(assumptions) -> None:
    x = np.array([18.0, 25.0])
    linear = costs.as_published(x, assumptions)
    logged = costs.as_published_log10(np.append(x, 400.0), assumptions)
    np.testing.assert_allclose(logged["log10_usd"][:2], np.log10(linear["usd"]))
    np.testing.assert_allclose(logged["log10_t_co2e"][:2], np.log10(linear["kg_co2e"] / 1000))
    assert np.isfinite(logged["log10_usd"].iloc[2])
