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
    "papers.csv": "7b916b794865be16889a6ff8098687fa247c5b48119b2de0e67fceab888a1090",
    "results.csv": "cf836c540a73c1020b14d8e7a72922a1629055c23a3e4d25da7dcc4120ea99d1",
    "compute.csv": "35330e5216d1997449dda14a6e84c651e2d9372989389279442196479f55435e",
    "hardware.csv": "04ce8d65033ff16fbfc98d5eabcd3773290f53e01b28a88c60f9223711a43faa",
}
"""sha256 of the tables the keys were recorded on."""

MODEL_SOURCE_SHA256 = "430cc6083d73302ef9de9249035920854a72ee3532a84441ca693855ef426ce0"

BOOK_FIT_KEYS = {
    "hardware_burden/polynomial/static": "b838c60a2da03be75615e532cfe865ba",
    "hardware_burden/polynomial/trend": "5df7bd0b3042ce0534a51a25c5f8630c",
    "hardware_burden/exponential/static": "0a23e2b319abb3b52669988c2c12f33e",
    "hardware_burden/exponential/trend": "48df2aed32a24851e0f5bc974a489cb0",
    "network_operations/polynomial/static": "ba3f28abfd4cd0086a0270d605f68b47",
    "network_operations/polynomial/trend": "c94d6f4d8f7f0a3af55b152a61f31cf7",
    "network_operations/exponential/static": "148f850e72d4838cf1c94aa8d214358c",
    "network_operations/exponential/trend": "671e92615a23a3073981ba4796d9eb13",
    "flops_per_pass/polynomial/static": "8cde3e7ab448e43a0811797aa481009b",
    "flops_per_pass/polynomial/trend": "8341c6d1a024ff5112665d6ce50911e6",
    "flops_per_pass/exponential/static": "0118c7cdec4a50b56a33f701544e09b7",
    "flops_per_pass/exponential/trend": "c56888417fb85bcdb9f6be64dfda57c2",
    "epoch_estimate/polynomial/static": "1b46f20dd8516b219f13e94cfc091a6d",
    "epoch_estimate/polynomial/trend": "882b91c94441f1e0799494b74dd55501",
    "epoch_estimate/exponential/static": "291510e9cfaf9c928fc32b4abdedf10e",
    "epoch_estimate/exponential/trend": "568ce67452a6ec1d664e04aa2113e473",
    "latent/polynomial": "91e734879df61075270fcfd27d136666",
    "latent/exponential": "42c5b914066070db1b564a5b38b4f6e8",
    "frontier/polynomial": "624cbbdecb8972104aea04b57fca60ec",
    "frontier/exponential": "247e4bccca732bcb60734a90c5354195",
    "frontier/floor": "4ce19359154c39db066b17b0124c4378",
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
