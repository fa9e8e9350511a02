"""Cost model: trend fits from the committed cost-input tables (never the raw sources), the
numbers it gave when it read the raw sources, nothing dropped silently, costs monotone in
compute."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.data import load_cost_inputs
from analysis.projection import cost_inputs, costs, trends
from analysis.projection.assumptions import load_assumptions


@pytest.fixture(scope="module")
def assumptions():
    return load_assumptions().with_changes(max_draws=1000)


@pytest.fixture(scope="module")
def model(assumptions):
    return costs.build_cost_model(assumptions)


def test_every_price_row_is_used_or_excluded_with_a_reason(assumptions) -> None:
    used, excluded = cost_inputs.price_observations(assumptions)
    total = len(load_cost_inputs().prices)
    assert len(used) + len(excluded) == total
    assert excluded["reason"].notna().all()
    assert excluded["what"].str.contains("line").all()


def test_every_chip_is_used_or_excluded(assumptions) -> None:
    used, excluded = cost_inputs.efficiency_observations(assumptions)
    total = len(load_cost_inputs().efficiency)
    assert len(used) + len(excluded) == total


def test_hardware_gets_cheaper_and_more_efficient(model) -> None:
    assert (model.price.draws["slope"] > 0).mean() > 0.99
    assert (model.efficiency.draws["slope"] > 0).mean() > 0.99


def test_inflation_factor_is_one_on_average_in_the_dollar_year() -> None:
    dates = pd.Series(pd.date_range("2020-01-01", periods=12, freq="MS"))
    factors = cost_inputs.inflation_factor(dates, 2020)
    assert 1.0 / (1.0 / factors).mean() == pytest.approx(1.0)
    later = cost_inputs.inflation_factor(pd.Series(pd.to_datetime(["2024-06-01"])), 2020).iloc[0]
    assert later < 1.0  # the PPI rose after 2020, so later dollars are worth fewer 2020 dollars


def test_more_compute_never_costs_less(model) -> None:
    flop = np.linspace(18, 26, 50)
    draws = [model.cost_draws(np.full(500, x), 2020, "hardware_burden", seed=7) for x in flop]
    for column in ("usd", "kwh", "kg_co2e"):
        medians = np.array([d[column].median() for d in draws])
        assert np.all(np.diff(medians) > 0)
        paired = np.vstack([d[column].to_numpy() for d in draws])
        assert np.all(np.diff(paired, axis=0) >= 0)  # same factor draws: monotone per draw


def test_utilisation_only_for_operation_counts(model) -> None:
    burden = model.cost_draws(np.full(2000, 22.0), 2020, "hardware_burden", seed=1)
    operations = model.cost_draws(np.full(2000, 22.0), 2020, "network_operations", seed=1)
    assert (burden["utilisation"] == 1.0).all()
    assert operations["utilisation"].between(0, 1, inclusive="neither").all()
    assert operations["usd"].median() > burden["usd"].median()


def test_infinite_compute_gives_infinite_cost(model) -> None:
    draws = model.cost_draws(np.array([22.0, np.inf]), 2020, "hardware_burden")
    assert np.isfinite(draws["usd"].iloc[0])
    assert np.isinf(draws["usd"].iloc[1])


def test_later_year_is_cheaper(model) -> None:
    now = model.cost_draws(np.full(1000, 22.0), 2020, "hardware_burden", seed=2)
    later = model.cost_draws(np.full(1000, 22.0), 2030, "hardware_burden", seed=2)
    assert later["usd"].median() < now["usd"].median()
    assert later["kwh"].median() < now["kwh"].median()


@pytest.mark.parametrize("source", ["mlco2_regions", "world_mix", "fixed"])
def test_carbon_pools_are_valid_distributions(assumptions, source: str) -> None:
    values, weights = cost_inputs.carbon_intensity_pool(
        assumptions.with_changes(carbon_source=source)
    )
    assert len(values) == len(weights) >= 1
    assert weights.sum() == pytest.approx(1.0)
    assert (values >= 0).all() and (values < 2000).all()


def test_trend_interval_coverage_on_simulated_data() -> None:
    rng = np.random.default_rng(11)
    hits = 0
    for seed in range(200):
        year = rng.uniform(2012, 2024, 25)
        y = 16.0 + 0.15 * (year - 2018) + rng.normal(0, 0.3, year.size)
        fit = trends.fit_linear_trend(
            "sim", pd.DataFrame({"year": year, "y": y}), pd.DataFrame(), 800, seed
        )
        lo, hi = np.quantile(fit.draws["slope"], [0.05, 0.95])
        hits += lo <= 0.15 <= hi
    assert 0.84 <= hits / 200 <= 0.96


def test_log10_columns_match_linear_ones_and_do_not_overflow(model) -> None:
    draws = model.cost_draws(np.array([22.0, 23.0, 500.0]), 2020, "network_operations", seed=3)
    np.testing.assert_allclose(draws["log10_usd"][:2], np.log10(draws["usd"][:2]))
    np.testing.assert_allclose(draws["log10_kwh"][:2], np.log10(draws["kwh"][:2]))
    np.testing.assert_allclose(draws["log10_kg_co2e"][:2], np.log10(draws["kg_co2e"][:2]))
    assert np.isfinite(draws["log10_usd"].iloc[2]) and np.isinf(draws["usd"].iloc[2])


# The cost model of the book's assumptions, computed from the raw sources before the cost inputs
# became committed tables (analysis/ingest/cost_inputs.py at 53b4cb4): the committed tables must
# give the very same numbers.
KNOWN_TRENDS = {
    "price": (2023.3108712322864, 16.759922771225764, 0.15340430877240246, 0.42778073674174105),
    "efficiency": (
        2018.7246178416608,
        10.746898792538802,
        0.08235996474894412,
        0.18960423792899928,
    ),
}
KNOWN_FACTOR_MEANS = {
    "log10_flop_per_usd": 17.01873426596514,
    "log10_flop_per_joule": 11.263702100127436,
    "utilisation": 0.37900622784917776,
    "pue": 1.341542682501778,
    "g_co2e_per_kwh": 458.38559250000003,
}
KNOWN_COST_MEDIANS = {
    "log10_usd": 6.410933497321963,
    "log10_kwh": 5.737580351368173,
    "log10_kg_co2e": 5.382611670862172,
}


def test_cost_model_from_the_committed_tables_equals_the_raw_source_model() -> None:
    a = load_assumptions()
    model = costs.build_cost_model(a)
    assert (len(model.price.data), len(model.price.excluded)) == (432, 159)
    assert (len(model.efficiency.data), len(model.efficiency.excluded)) == (72, 29)
    assert len(model.carbon_values) == 82
    for name, (year_mean, intercept, slope, sigma) in KNOWN_TRENDS.items():
        trend = getattr(model, name)
        assert trend.year_mean == pytest.approx(year_mean, rel=1e-12, abs=0)
        means = [float(trend.draws[c].mean()) for c in ("intercept", "slope", "sigma")]
        assert means == pytest.approx([intercept, slope, sigma], rel=1e-10, abs=0)
    factors = model.factor_draws(4000, 2025.0, "network_operations", seed=7)
    means = {c: float(factors[c].mean()) for c in KNOWN_FACTOR_MEANS}
    assert means == pytest.approx(KNOWN_FACTOR_MEANS, rel=1e-10, abs=0)
    draws = model.cost_draws(np.full(4000, 23.0), 2025.0, "network_operations", seed=7)
    medians = {c: float(np.median(draws[c])) for c in KNOWN_COST_MEDIANS}
    assert medians == pytest.approx(KNOWN_COST_MEDIANS, rel=1e-10, abs=0)


def test_cost_model_reads_no_raw_source(monkeypatch, tmp_path) -> None:
    empty = tmp_path / "no-sources"
    empty.mkdir()
    monkeypatch.setenv("COMPLIM_SOURCES", str(empty))
    a = load_assumptions().with_changes(max_draws=1000)
    for basis in ("cloud_on_demand", "purchase"):
        for carbon in ("mlco2_regions", "world_mix"):
            model = costs.build_cost_model(a.with_changes(price_basis=basis, carbon_source=carbon))
            assert len(model.price.data) > 3 and len(model.carbon_values) > 1


def test_world_mix_weights_follow_generation() -> None:
    carbon = load_cost_inputs().carbon
    countries = carbon[carbon["pool"] == "world_mix"]
    values, weights = cost_inputs.carbon_intensity_pool(
        load_assumptions().with_changes(carbon_source="world_mix")
    )
    weighted = countries[countries["total_twh"].notna() & (countries["total_twh"] > 0)]
    assert len(values) == len(weighted)
    biggest = weighted["total_twh"].idxmax()
    assert weights.max() == pytest.approx(
        weighted.at[biggest, "total_twh"] / weighted["total_twh"].sum()
    )
