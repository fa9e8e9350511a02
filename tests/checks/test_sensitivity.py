"""Sensitivity and reproduction: variants move the headline the right way; claims evaluated."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.checks import reproduction as rp
from analysis.checks import sensitivity as se
from analysis.projection import extrapolate as ex
from analysis.projection.assumptions import load_assumptions
from analysis.projection.costs import build_cost_model
from analysis.testing import SimulatedFit, conjugate_fit, simulate_fit_rows

SERIES = "imagenet/top1_accuracy"


@pytest.fixture(scope="module")
def setting():
    a = load_assumptions().with_changes(max_draws=1000)
    model = build_cost_model(a)
    fit = SimulatedFit("polynomial", 20.0, {SERIES: (np.log10(20.0), -0.12)}, n_draws=1000)
    return a, model, ex.SeriesPosterior.from_fit(fit, SERIES)


def test_cost_variants_move_costs_in_the_expected_direction(setting) -> None:
    a, model, post = setting
    base = se.headline(post, 5.0, model, measure="hardware_burden")
    results = se.run_variants(
        se.cost_variants(a, post, "hardware_burden"), 5.0, {repr(a): model}
    ).set_index("setting")
    later = results.loc[str(int(a.year) + 10)]
    assert later["log10_usd_median"] < base["log10_usd_median"]  # hardware gets cheaper
    assert later["log10_flop_median"] == pytest.approx(base["log10_flop_median"])
    hyperscale = results.loc["hyperscale (1.1)", "log10_t_co2e_median"]
    average = results.loc["industry average (1.58)", "log10_t_co2e_median"]
    assert hyperscale < average
    # utilisation does not enter a hardware-burden projection (already peak rate x time)
    assert results.loc["low (mean 0.2)", "log10_usd_median"] == pytest.approx(
        base["log10_usd_median"]
    )


def test_tornado_sorted_by_span_and_signs(setting) -> None:
    a, model, post = setting
    base = se.headline(post, 5.0, model, measure="hardware_burden")
    results = se.run_variants(se.cost_variants(a, post, "hardware_burden"), 5.0, {repr(a): model})
    table = se.tornado_table(results, base)
    assert (table["low_shift"] <= 0).all() and (table["high_shift"] >= 0).all()
    assert list(table["span"]) == sorted(table["span"], reverse=True)
    assert set(table["factor"]) == set(results["factor"])


def test_reproduction_table_has_one_row_per_claim() -> None:
    rows, _ = simulate_fit_rows(seed=3, rows_per_series=40, x0=20.0)
    rows["series"] = rows["series"].replace({"SimBench0/top-1": SERIES})
    a = load_assumptions().with_changes(max_draws=500)
    fits = {f: conjugate_fit(rows, f, n_draws=500) for f in ("polynomial", "exponential")}
    inputs = rp.ReproductionInputs(
        rows, fits, build_cost_model(a), ex.todays_best(rows, 2020.5), "hardware_burden", 2000
    )
    table = rp.reproduction_table(inputs)
    assert list(table["key"]) == [c.key for c in rp.CLAIMS]
    assert set(table["agree"]) <= {"yes", "no", "partly", "n/a"}
    assert table.set_index("key").loc["constants", "agree"] == "yes"
    assert table.set_index("key").loc["progress", "agree"] == "n/a"  # no trend fit given


def test_ols_r2_perfect_and_null() -> None:
    x = np.linspace(15, 22, 30)
    perfect = pd.DataFrame({"log10_compute": x, "error": 10 ** (1 - 0.1 * (x - 18)), "year": x})
    assert rp.ols_r2(perfect, "polynomial") == pytest.approx(1.0)
    flat = perfect.assign(error=np.where(np.arange(30) % 2 == 0, 10.0, 20.0))
    assert rp.ols_r2(flat, "polynomial") < 0.1


def test_measured_frontier_keeps_only_new_records_among_the_rows() -> None:
    rows = pd.DataFrame(
        {
            "series": ["a"] * 5 + ["b"] * 2,
            "year": [2015.0, 2016.0, 2016.5, 2017.0, 2018.0, 2016.0, 2017.0],
            "error": [30.0, 25.0, 27.0, 20.0, 22.0, 10.0, 12.0],
        }
    )
    kept = se.measured_frontier(rows)
    assert kept.index.tolist() == [0, 1, 3, 5]


def test_notes_text_says_when_every_variant_was_fitted() -> None:
    assert se.notes_text([]) == "none; every variant was fitted."
    assert se.notes_text(["x: not fitted"]) == "x: not fitted."
