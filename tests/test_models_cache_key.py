"""The posterior cache keys of the book's fits, pinned: moving code must not re-sample.

A key hashes the fit's data rows, the model source and the sampler settings
(:func:`analysis.models.cache.cache_key`). These keys were recorded before the package was split
into pipeline stages; if one changes, either the data, the model text or the settings changed,
and every affected posterior would be sampled again.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from analysis import models
from analysis.data import compute_long
from analysis.models import cache
from analysis.vocab.forms import FORMS

MODEL_SOURCE_SHA256 = "430cc6083d73302ef9de9249035920854a72ee3532a84441ca693855ef426ce0"

BOOK_FIT_KEYS = {
    "hardware_burden/polynomial/static": "2fa665a8d8519815fc1d2b2c200e378e",
    "hardware_burden/polynomial/trend": "992549afa7622093e777047705ca9c3d",
    "hardware_burden/exponential/static": "078d2bf2e4d650084371273ed6beac1b",
    "hardware_burden/exponential/trend": "ba2f73ef5f22c2c248a11fd87ea90918",
    "network_operations/polynomial/static": "7f8712c9ccfc4442aab3fcefe0ac00e2",
    "network_operations/polynomial/trend": "f4c8ae3fcacb7861cbd626c515e7d23e",
    "network_operations/exponential/static": "3a82aa813838c178d226dd001426b242",
    "network_operations/exponential/trend": "26c262cda95282222cb0bfef340911db",
    "flops_per_pass/polynomial/static": "a708193b2abaede6ce374cc07a2337c7",
    "flops_per_pass/polynomial/trend": "b39e783ab6691249efec0244cf3b0404",
    "flops_per_pass/exponential/static": "7d57ab5c7b9dc8fcced64b7f181f0d69",
    "flops_per_pass/exponential/trend": "b268160c2beab007919f0111c0a002c1",
    "epoch_estimate/polynomial/static": "cd73c08b3609b1b2579d03169487e5ba",
    "epoch_estimate/polynomial/trend": "31a10f9d2264b0bee7f64048ff30290c",
    "epoch_estimate/exponential/static": "f49ae2f92387fc064bbeed218edef65a",
    "epoch_estimate/exponential/trend": "a5d3718312b3544b120afdf96c8277bc",
    "latent/polynomial": "69efeda757ba03d15cf5c06048b5ba32",
    "latent/exponential": "5ac55d0f4c88d84849e54849b608ca83",
}


class _KeyMadeError(Exception):
    """Raised in place of loading or sampling, carrying the key that would be used."""


def _stop(key: str, sample: object, label: str = "fit") -> None:
    raise _KeyMadeError(key)


def test_model_source_digest_is_pinned() -> None:
    assert hashlib.sha256(models.model_source().encode()).hexdigest() == MODEL_SOURCE_SHA256


def test_every_book_fit_keeps_its_cache_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "cached_posterior", _stop)
    keys = {}
    for measure, form, trend in models.book_fit_specs():
        with pytest.raises(_KeyMadeError) as made:
            models.fit_scaling(models.book_fit_table(measure).rows, form, trend=trend, tag=measure)
        keys[f"{measure}/{form}/{'trend' if trend else 'static'}"] = made.value.args[0]
    rows = pd.concat(
        [models.book_fit_table(m).rows for m in models.BOOK_MEASURES], ignore_index=True
    )
    compute = compute_long(models.book_tables(), usable_only=True)
    for form in FORMS:
        with pytest.raises(_KeyMadeError) as made:
            models.fit_measurement_error(rows, compute, form)
        keys[f"latent/{form}"] = made.value.args[0]
    assert keys == BOOK_FIT_KEYS
