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
    "papers.csv": "a84fa3c947701ba237789626f3e08fa194ec76ae59e73054bc918e90dc132ab3",
    "results.csv": "09e742361a8dfee336a1d138d759b76d1305ba29c4df63a01e09f8b7791c8430",
    "compute.csv": "8206db159bae44c33d997b750ae86789c9e7f04d5b9f726393fe322a4acfa46f",
    "hardware.csv": "04ce8d65033ff16fbfc98d5eabcd3773290f53e01b28a88c60f9223711a43faa",
}
"""sha256 of the tables the keys were recorded on."""

MODEL_SOURCE_SHA256 = "430cc6083d73302ef9de9249035920854a72ee3532a84441ca693855ef426ce0"

BOOK_FIT_KEYS = {
    "hardware_burden/polynomial/static": "20027654690519f4b0d25c9d3f3ea70e",
    "hardware_burden/polynomial/trend": "75d740c38875915c9cd15c3c9d860ca1",
    "hardware_burden/exponential/static": "32bc327dadc1c59d15ce6d4327c082ef",
    "hardware_burden/exponential/trend": "c29c20b9684a9ea15cc926eeb6f2ff05",
    "network_operations/polynomial/static": "72d7420a783548b15f824958a79bc085",
    "network_operations/polynomial/trend": "93e9f349c4c59146ccd5f4f43d7213d5",
    "network_operations/exponential/static": "220a3d45394aff2a8ab919038c576d9c",
    "network_operations/exponential/trend": "f55b74cf03af60c38c50de32d4028ad2",
    "flops_per_pass/polynomial/static": "301f643c2d995a3702d3d502d27e59e2",
    "flops_per_pass/polynomial/trend": "295d2e7961d7a93595b97065076f0c02",
    "flops_per_pass/exponential/static": "3de9d59dc9a7b5ed4aa4469299bbb639",
    "flops_per_pass/exponential/trend": "0ff7e50aa5745f28f922c42be2c779e7",
    "epoch_estimate/polynomial/static": "4e1b1c275f5c958686ecf9fb5e7bb45d",
    "epoch_estimate/polynomial/trend": "dbbf216a10bc2d442376bf93556857c8",
    "epoch_estimate/exponential/static": "1dc4342ba7910e554a621edc7e3e0156",
    "epoch_estimate/exponential/trend": "c0a64294ca7969a711707dd67e8219ab",
    "latent/polynomial": "0fabb1b11321c398494c9c6de86b3f0b",
    "latent/exponential": "a0cb3cd1162f079058b8fe0cf4fea8d6",
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
