"""The methods chapter's priors table is read from the model, not typed a second time."""

from __future__ import annotations

import pytest

from analysis.models import checks, scaling


@pytest.fixture(scope="module")
def table():
    return checks.prior_table().set_index(["form", "parameter"])["prior"]


def test_the_table_states_the_model_priors(table) -> None:
    assert table["polynomial", "field slope (per decade)"] == "Normal(0, 0.5)"
    assert table["polynomial", "series intercept (at series' mean compute)"] == (
        "Normal(median response, 1)"
    )
    assert table["polynomial", "task and series slope sd"] == "Gamma(4, 4/0.125)"
    assert table["exponential", "residual sd per series"] == "HalfNormal(15)"
    assert table["exponential", "Student-t degrees of freedom"] == "Gamma(2, 0.1)"
    assert table["exponential", "response unit"] == scaling.PRIOR_SCALES["exponential"].unit


def test_a_changed_prior_in_the_model_changes_the_table(monkeypatch) -> None:
    monkeypatch.setattr(scaling, "SD_PRIOR_SHAPE", 3.0)
    changed = checks.prior_table().set_index(["form", "parameter"])["prior"]
    assert changed["polynomial", "task and series slope sd"] == "Gamma(3, 3/0.125)"


def test_a_series_sd_has_the_prior_of_its_task_sd() -> None:
    import pymc as pm

    model = scaling.build_model(1, 1, trend=True, likelihood="normal")
    with model:
        pm.set_data({"prior_scale": 0.5})
    rvs = {rv.name: rv for rv in model.free_RVs}
    centre = model["prior_center"]
    for name in ("slope", "trend"):
        task = checks._prior_text(rvs[f"{name}_task_sd"], centre)
        assert checks._prior_text(rvs[f"{name}_series_sd"], centre) == task
