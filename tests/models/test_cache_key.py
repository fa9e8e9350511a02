"""The posterior cache keys of the book's fits, pinned: moving code must not re-sample.

A key hashes the fit's data rows, the model source and the sampler settings
(:func:`analysis.models.cache.cache_key`). These keys were recorded before the package was split
into pipeline stages; if one changes, either the data, the model text or the settings changed,
and every affected posterior would be sampled again.

The keys hash the data rows too, so they hold only for the tables they were recorded on
(:data:`PINNED_DATA`); when ``data/`` has changed since, the key test is skipped with that reason
(re-pin the keys in the commit that changes the data) and only the model-source digest is checked.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from analysis import models
from analysis.data import compute_long, fit_table, load_tables
from analysis.models import cache
from analysis.paths import DATA_DIR
from analysis.vocab.forms import FORMS

PINNED_DATA = {
    "papers.csv": "446188f57e2d36d206590cc5321a20f1a26a5e458f48132694287192fb68669d",
    "results.csv": "3b3615ae0029474452854b90b990038b4d73b2a962316a7966c14bb467d2c358",
    "compute.csv": "3d7644390a7ed4eec2eb81229c59fbeebe7ad8c6c6406d10ab7839d831015ca1",
    "hardware.csv": "04ce8d65033ff16fbfc98d5eabcd3773290f53e01b28a88c60f9223711a43faa",
}
"""sha256 of the tables the keys were recorded on."""

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
    changed = [
        name
        for name, digest in PINNED_DATA.items()
        if hashlib.sha256((DATA_DIR / name).read_bytes()).hexdigest() != digest
    ]
    if changed:
        pytest.skip(f"data/ changed since the keys were pinned ({', '.join(changed)}): re-pin them")
    monkeypatch.setattr(cache, "cached_posterior", _stop)
    keys = {}
    tables = load_tables()
    tables_of = {m: fit_table(tables, m) for m in models.BOOK_MEASURES}
    for measure, form, trend in models.book_fit_specs():
        with pytest.raises(_KeyMadeError) as made:
            models.fit_scaling(tables_of[measure].rows, form, trend=trend, tag=measure)
        keys[f"{measure}/{form}/{'trend' if trend else 'static'}"] = made.value.args[0]
    rows = pd.concat([tables_of[m].rows for m in models.BOOK_MEASURES], ignore_index=True)
    compute = compute_long(tables, usable_only=True)
    for form in FORMS:
        with pytest.raises(_KeyMadeError) as made:
            models.fit_measurement_error(rows, compute, form)
        keys[f"latent/{form}"] = made.value.args[0]
    assert keys == BOOK_FIT_KEYS
