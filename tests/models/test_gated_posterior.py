"""The one gated, cached, escalating posterior helper shared by the scaling and frontier fits."""

import arviz as az
import numpy as np
import pandas as pd

from analysis.models import cache


def _idata(value: float) -> az.InferenceData:
    return az.from_dict(posterior={"x": np.full((1, 4), value)})


def _run(passing: set[str], calls: list[str]):
    def sample(setting: str) -> az.InferenceData:
        calls.append(setting)
        return _idata(float(len(setting)))

    def diagnose(idata: az.InferenceData) -> pd.DataFrame:
        setting = "strict" if float(idata.posterior["x"].values.ravel()[0]) == 6 else "quick"
        return pd.DataFrame({"fit": ["f"], "passed": [setting in passing]})

    return cache.gated_posterior(("quick", "strict"), lambda s: f"key-{s}", sample, diagnose)


def test_stops_at_the_first_attempt_that_passes(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COMPLIM_POSTERIOR_CACHE", str(tmp_path))
    calls: list[str] = []
    attempts = _run({"quick"}, calls)
    assert [a.settings for a in attempts] == ["quick"] and attempts[-1].passed
    assert calls == ["quick"] and not attempts[0].hit


def test_escalates_once_and_reuses_the_cache(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COMPLIM_POSTERIOR_CACHE", str(tmp_path))
    calls: list[str] = []
    attempts = _run({"strict"}, calls)
    assert [a.settings for a in attempts] == ["quick", "strict"] and attempts[-1].passed
    again = _run({"strict"}, calls)
    assert calls == ["quick", "strict"]  # the second run sampled nothing
    assert all(a.hit for a in again)


def test_returns_every_attempt_when_none_passes(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COMPLIM_POSTERIOR_CACHE", str(tmp_path))
    attempts = _run(set(), [])
    assert len(attempts) == 2 and not any(a.passed for a in attempts)


def test_a_posterior_with_non_finite_draws_fails_the_gate_instead_of_raising() -> None:
    from analysis.models.diagnostics import fit_diagnostics

    draws = np.full((2, 50), np.nan)
    idata = az.from_dict(
        posterior={"slope": draws}, sample_stats={"diverging": np.zeros((2, 50), dtype=bool)}
    )
    table = fit_diagnostics(idata, ["slope"], "nan fit")
    assert not table["passed"].iloc[0]
    assert table["max_rhat"].iloc[0] == np.inf and table["min_ess_bulk"].iloc[0] == 0.0


def test_diagnostics_are_cached_with_the_posterior_and_not_recomputed(
    tmp_path, monkeypatch
) -> None:
    from analysis.models import diagnostics

    monkeypatch.setenv("COMPLIM_POSTERIOR_CACHE", str(tmp_path))
    rng = np.random.default_rng(0)
    idata = az.from_dict(
        posterior={"slope": rng.normal(size=(2, 200))},
        sample_stats={"diverging": np.zeros((2, 200), dtype=bool)},
    )
    first = diagnostics.stored_fit_diagnostics(idata, ["slope"], "sampled")
    cache.save_cached("k", idata, "fit")
    loaded = cache.load_cached("k", "fit")

    def recompute(*args, **kwargs):
        raise AssertionError("diagnostics recomputed for a cached posterior")

    monkeypatch.setattr(diagnostics, "fit_diagnostics", recompute)
    again = diagnostics.stored_fit_diagnostics(loaded, ["slope"], "loaded")
    assert again["fit"].iloc[0] == "loaded"
    columns = [c for c in first.columns if c != "fit"]
    pd.testing.assert_frame_equal(first[columns], again[columns], check_dtype=False)


def test_a_default_fit_escalates_to_smaller_steps_then_to_a_low_rank_mass_matrix() -> None:
    from analysis.models.fit import (
        DEFAULT_SETTINGS,
        LOW_RANK_SETTINGS,
        STRICT_SETTINGS,
        SamplerSettings,
        escalation,
    )

    steps = escalation(DEFAULT_SETTINGS)
    assert steps == [DEFAULT_SETTINGS, STRICT_SETTINGS, LOW_RANK_SETTINGS]
    assert [s.low_rank for s in steps] == [False, False, True]
    assert STRICT_SETTINGS.target_accept > DEFAULT_SETTINGS.target_accept
    custom = SamplerSettings(draws=200)
    assert escalation(custom) == [custom]


def test_the_gate_tries_a_third_attempt_after_two_failures(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COMPLIM_POSTERIOR_CACHE", str(tmp_path))
    tried: list[str] = []
    attempts = cache.gated_posterior(
        ["quick", "strict", "low_rank"],
        lambda s: f"key-{s}",
        lambda s: tried.append(s) or _idata(1.0),
        lambda idata: pd.DataFrame({"passed": [tried[-1] == "low_rank"]}),
    )
    assert tried == ["quick", "strict", "low_rank"] and attempts[-1].passed
