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
    "papers.csv": "dd9948833d6646175b7dbe892d3c632a9f2590be3ad90207159a04f7a9fc0d8b",
    "results.csv": "feb5133d1a270b6c13f733a6da746b06890b1350b5c73bfbf4e3f8f6a740dfc7",
    "compute.csv": "f6e4a35940c30231b982c0677cdd0c2abc0f8f8b7650c319c839a3dd4d5e2535",
    "hardware.csv": "04ce8d65033ff16fbfc98d5eabcd3773290f53e01b28a88c60f9223711a43faa",
}
"""sha256 of the tables the keys were recorded on."""

MODEL_SOURCE_SHA256 = "430cc6083d73302ef9de9249035920854a72ee3532a84441ca693855ef426ce0"

BOOK_FIT_KEYS = {
    "hardware_burden/polynomial/static": "e211c2cc46a097e37b79e7da1eede417",
    "hardware_burden/polynomial/trend": "59af190d9f3fa4d22ec7b09edd1ba730",
    "hardware_burden/exponential/static": "b7c841c6466594fcc6eadc04d8e3fb9c",
    "hardware_burden/exponential/trend": "909f71fd750fb0d8dae0fa9e14b8c458",
    "network_operations/polynomial/static": "e6aee8472bca141fbe3874e71ac5d110",
    "network_operations/polynomial/trend": "c94d6f4d8f7f0a3af55b152a61f31cf7",
    "network_operations/exponential/static": "0f3a3d23b36fd30823b4886c262bda51",
    "network_operations/exponential/trend": "671e92615a23a3073981ba4796d9eb13",
    "flops_per_pass/polynomial/static": "f905b37dab09caec4c1145c3ebedfe5d",
    "flops_per_pass/polynomial/trend": "0b55c291088ce26fb60fcd0d68a7dc8d",
    "flops_per_pass/exponential/static": "a22ab6cf486d9107614322ba8816a70b",
    "flops_per_pass/exponential/trend": "3e41e4b67a3dacbcdb293f41496bd8e7",
    "epoch_estimate/polynomial/static": "4bc122d547aabae31dbce81b5ed4b67f",
    "epoch_estimate/polynomial/trend": "741dab5cac5ce3d353399186f145a3f0",
    "epoch_estimate/exponential/static": "9a6571582284fd2606a112eb9aa19f90",
    "epoch_estimate/exponential/trend": "b871a069c1f3cf2b9c7d535f7ad7bcb3",
    "latent/polynomial": "64ccb47f2a28269abbc1074e1c00a4a6",
    "latent/exponential": "3f2aa42147a0267a6b08919c2ecab4c2",
    "frontier/polynomial": "2ecc9030a56c1adfc0997884c82f413c",
    "frontier/exponential": "cf1a0811c8d31873f9a9ccaafc5869e2",
    "frontier/floor": "10d4b14a32ce23ff58e91d89fb5c24fa",
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
