"""Posterior cache and diagnostics gate of the scaling models (small simulated data)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import models
from analysis.models import cache
from analysis.models import fit as fitting
from analysis.models.diagnostics import DiagnosticsError
from analysis.models.scaling import _data_updates
from analysis.testing import simulate_fit_rows

SMALL = models.SamplerSettings(tune=300, draws=200, chains=2, cores=1)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLIM_POSTERIOR_CACHE", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def rows():
    return simulate_fit_rows(seed=3, n_tasks=2, series_per_task=2, rows_per_series=20)[0]


def test_hit_does_not_sample_and_changes_miss(cache_dir, rows, monkeypatch):
    first = models.fit_scaling(rows, "polynomial", settings=SMALL, gate=False)
    assert not first.cache_hit
    assert len(list(cache_dir.glob("*.nc"))) == 1

    def refuse(*args, **kwargs):
        raise AssertionError("sampled on a cache hit")

    monkeypatch.setattr(fitting, "_sample", refuse)
    second = models.fit_scaling(rows, "polynomial", settings=SMALL, gate=False)
    assert second.cache_hit
    np.testing.assert_allclose(
        first.idata.posterior["slope_series"].values, second.idata.posterior["slope_series"].values
    )
    changed = rows.assign(error=rows["error"] * 1.01)
    with pytest.raises(AssertionError, match="sampled on a cache hit"):
        models.fit_scaling(changed, "polynomial", settings=SMALL, gate=False)
    monkeypatch.setattr(fitting, "model_source", lambda: "a different model")
    with pytest.raises(AssertionError, match="sampled on a cache hit"):
        models.fit_scaling(rows, "polynomial", settings=SMALL, gate=False)


def test_shapes_and_series_draws(cache_dir, rows):
    fit = models.fit_scaling(rows, "exponential", trend=True, settings=SMALL, gate=False)
    assert fit.series == sorted(rows["series"].unique())
    post = fit.idata.posterior
    assert post["slope_series"].dims == ("chain", "draw", "series")
    assert list(post["task"].values) == sorted(rows["task"].unique())
    assert fit.idata.log_likelihood["obs"].shape == (2, 200, len(rows))
    draws = fit.series_draws(fit.series[0])
    assert list(draws.columns) == ["chain", "draw", "intercept", "slope", "sigma", "trend"]
    assert len(draws) == 400


def test_gate_fails_a_deliberately_bad_fit(cache_dir, rows):
    bad = models.SamplerSettings(tune=1, draws=10, chains=2, cores=1)
    with pytest.raises(DiagnosticsError, match="diagnostics gate"):
        models.fit_scaling(rows, "polynomial", settings=bad)


def test_prior_multiplier_keys_the_cache_and_scales_the_priors(cache_dir, rows, monkeypatch):
    updates = fitting._prior_updates(models.make_design(rows, "polynomial"), 8, 4, 2.0)
    default = _data_updates(models.make_design(rows, "polynomial"), 8, 4)
    assert float(updates["prior_scale"]) == pytest.approx(2.0 * float(default["prior_scale"]))
    models.fit_scaling(rows, "polynomial", settings=SMALL, gate=False)
    wider = models.fit_scaling(rows, "polynomial", settings=SMALL, gate=False, prior_multiplier=2)
    assert not wider.cache_hit  # a different prior is a different posterior
    assert len(list(cache_dir.glob("*.nc"))) == 2
    with pytest.raises(ValueError, match="prior_multiplier must be a positive number"):
        models.fit_scaling(rows, "polynomial", settings=SMALL, prior_multiplier=0.0)


def test_a_derived_value_is_computed_once_per_key(cache_dir):
    calls = []

    def compute():
        calls.append(1)
        return {"scores": [1.0, 2.0]}

    first, hit_first = cache.cached_value("k1", compute, "derived")
    second, hit_second = cache.cached_value("k1", compute, "derived")
    other, hit_other = cache.cached_value("k2", compute, "derived")
    assert (hit_first, hit_second, hit_other) == (False, True, False)
    assert first == second == other and len(calls) == 2
    assert len(list(cache_dir.glob("derived-*.pkl"))) == 2


def test_a_damaged_derived_value_is_recomputed_and_rewritten(cache_dir):
    cache.cached_value("k1", lambda: [1.0], "derived")
    (path,) = cache_dir.glob("derived-k1.pkl")
    path.write_bytes(b"not a pickle")
    value, hit = cache.cached_value("k1", lambda: [2.0], "derived")
    assert (value, hit) == ([2.0], False)
    assert cache.cached_value("k1", lambda: [3.0], "derived") == ([2.0], True)


def test_two_processes_needing_one_value_compute_it_once(cache_dir):
    """Chapters executed in parallel: the second process waits for the first one's value."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    log = cache_dir / "computed.log"
    processes = [
        context.Process(target=_slow_cached_value, args=(str(cache_dir), str(log)))
        for _ in range(3)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [process.exitcode for process in processes] == [0, 0, 0]
    assert log.read_text().count("computed") == 1
    assert cache.cached_value("shared", lambda: "recomputed", "derived") == ("value", True)


def _slow_cached_value(cache_dir: str, log: str) -> None:
    import os
    import time

    os.environ["COMPLIM_POSTERIOR_CACHE"] = cache_dir

    def compute() -> str:
        with open(log, "a") as handle:
            handle.write("computed\n")
        time.sleep(0.5)
        return "value"

    cache.cached_value("shared", compute, "derived")


def test_the_source_digest_follows_the_code():
    from analysis.checks import frontier_backtest as bt

    assert cache.source_digest([bt]) != cache.source_digest([bt, fitting])
    assert cache.source_digest([bt]) == cache.source_digest([bt])


def test_a_posterior_is_read_from_its_fast_copy_and_the_netcdf_file_is_the_record(
    cache_dir, rows, monkeypatch
):
    fit = models.fit_scaling(rows, "polynomial", settings=SMALL, gate=False)
    (nc,) = cache_dir.glob("*.nc")
    label, key = nc.stem.rsplit("-", 1)
    fast = cache.fast_copy_path(key, label)
    assert fast.exists()

    def refuse(*args, **kwargs):
        raise AssertionError("read the NetCDF groups although the fast copy exists")

    with monkeypatch.context() as patch:
        patch.setattr(cache.az, "from_netcdf", refuse)
        loaded = cache.load_cached(key, label)
    assert set(loaded.groups()) == set(fit.idata.groups())
    for group in fit.idata.groups():
        for name in fit.idata[group].data_vars:
            np.testing.assert_array_equal(loaded[group][name].values, fit.idata[group][name].values)
    fast.write_bytes(
        b"not a pickle"
    )  # a damaged or stale copy: the record is read, the copy rewritten
    again = cache.load_cached(key, label)
    np.testing.assert_array_equal(
        again.posterior["slope_series"].values, fit.idata.posterior["slope_series"].values
    )
    assert cache._read_fast_copy(fast) is not None
