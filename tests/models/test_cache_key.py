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
from analysis.data import compute_long, default_fit_table, load_tables
from analysis.models import cache
from analysis.models.frontier import FRONTIER_FORMS, fit_frontier
from analysis.paths import DATA_DIR
from analysis.projection.frontier import headline_table
from analysis.vocab.forms import FORMS

PINNED_DATA = {
    "papers.csv": "b7299989f59732b23c6cac55f8ee3f5774cdb999996dee0abb1d95c8b2e8a367",
    "results.csv": "53b60442822b732fc07012775a79451e198bd58ef8567a8bda201d32b7f955ee",
    "compute.csv": "ed2eed2d310c18ab1ef5b3cff46d12eea67e8a608cd9bda2aca43261144b29dc",
    "hardware.csv": "04ce8d65033ff16fbfc98d5eabcd3773290f53e01b28a88c60f9223711a43faa",
}
"""sha256 of the tables the keys were recorded on."""

MODEL_SOURCE_SHA256 = "430cc6083d73302ef9de9249035920854a72ee3532a84441ca693855ef426ce0"

BOOK_FIT_KEYS = {
    "hardware_burden/polynomial/static": "c2e881f61ccfa9185dcce66932af4dd2",
    "hardware_burden/polynomial/trend": "d79f5847f392f6830a2be50a6a0a96a1",
    "hardware_burden/exponential/static": "4ce5cb04da5a3e0662c0eda63453a496",
    "hardware_burden/exponential/trend": "7ea3f4f416736850b123e03de25f4b83",
    "network_operations/polynomial/static": "e6aee8472bca141fbe3874e71ac5d110",
    "network_operations/polynomial/trend": "c94d6f4d8f7f0a3af55b152a61f31cf7",
    "network_operations/exponential/static": "0f3a3d23b36fd30823b4886c262bda51",
    "network_operations/exponential/trend": "671e92615a23a3073981ba4796d9eb13",
    "flops_per_pass/polynomial/static": "f905b37dab09caec4c1145c3ebedfe5d",
    "flops_per_pass/polynomial/trend": "0b55c291088ce26fb60fcd0d68a7dc8d",
    "flops_per_pass/exponential/static": "a22ab6cf486d9107614322ba8816a70b",
    "flops_per_pass/exponential/trend": "3e41e4b67a3dacbcdb293f41496bd8e7",
    "epoch_estimate/polynomial/static": "6096ac0a6df0e7a421852843d269f995",
    "epoch_estimate/polynomial/trend": "4d960946a3d83feea775da9f0e22468a",
    "epoch_estimate/exponential/static": "a9051acdcd557bf9802d4b1a66f18d4e",
    "epoch_estimate/exponential/trend": "5f6c9bbf789655e4f05f27cb10b9c0bc",
    "latent/polynomial": "64ccb47f2a28269abbc1074e1c00a4a6",
    "latent/exponential": "3f2aa42147a0267a6b08919c2ecab4c2",
    "frontier/polynomial": "cc0c06167747e8f67e82b16286f1937a",
    "frontier/exponential": "21246ec089a701d949f3bf56c440ec71",
    "frontier/floor": "c3d3c1b5b929f56c185dcfd963c67e64",
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
    tables_of = {m: default_fit_table(tables, m) for m in models.BOOK_MEASURES}
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
    headline = headline_table(tables).rows
    for form in FRONTIER_FORMS:
        with pytest.raises(_KeyMadeError) as made:
            fit_frontier(headline, form)
        keys[f"frontier/{form}"] = made.value.args[0]
    assert keys == BOOK_FIT_KEYS
