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
    "papers.csv": "a84fa3c947701ba237789626f3e08fa194ec76ae59e73054bc918e90dc132ab3",
    "results.csv": "09e742361a8dfee336a1d138d759b76d1305ba29c4df63a01e09f8b7791c8430",
    "compute.csv": "8206db159bae44c33d997b750ae86789c9e7f04d5b9f726393fe322a4acfa46f",
    "hardware.csv": "04ce8d65033ff16fbfc98d5eabcd3773290f53e01b28a88c60f9223711a43faa",
}
"""sha256 of the tables the keys were recorded on."""

MODEL_SOURCE_SHA256 = "430cc6083d73302ef9de9249035920854a72ee3532a84441ca693855ef426ce0"

BOOK_FIT_KEYS = {
    "hardware_burden/polynomial/static": "399209a92bdde7ec9ca295955ca3edd4",
    "hardware_burden/polynomial/trend": "9f7e7e467cb1d88ae78c12f943205264",
    "hardware_burden/exponential/static": "f0cc3d959b92ae4aab684df8f7e6e56e",
    "hardware_burden/exponential/trend": "c154afefcb9f705d18fd77f0c8cb9749",
    "network_operations/polynomial/static": "f2b12bb9d2093411863b7e68c5255ab3",
    "network_operations/polynomial/trend": "f32b2eadd6ab0159bdbd12c23619b3ce",
    "network_operations/exponential/static": "e273812e7ca1cd0b368dbbe853de9378",
    "network_operations/exponential/trend": "dabfef6b6815e360a5149d9e4e2a1591",
    "flops_per_pass/polynomial/static": "88ecf6bf808b30907249434e4568cd79",
    "flops_per_pass/polynomial/trend": "fa285e0eab4b5b5c779b591d6c8fa322",
    "flops_per_pass/exponential/static": "a2404a33118041c2ccd35e2433299a18",
    "flops_per_pass/exponential/trend": "6b90f4bc5de32ed62bc1c41f5962c75d",
    "epoch_estimate/polynomial/static": "f54244ac925442e328d26f46d2238aa6",
    "epoch_estimate/polynomial/trend": "4ba650756d2d5f17c8835273a055aa71",
    "epoch_estimate/exponential/static": "99a13c2c736eec22529f3c91cb0c625d",
    "epoch_estimate/exponential/trend": "5dc0ed35cecbde41254da28d037c5e57",
    "latent/polynomial": "a574f4622860c400036bbe7705339baa",
    "latent/exponential": "f35ce0ef504a6b7bb06edbdd25f56b9c",
    "frontier/polynomial": "7e187741bb824614cf7a098c2135ed98",
    "frontier/exponential": "49056a28365ab709ce87a79db0eaf8d0",
    "frontier/floor": "23cc6f357b77264a213fa89bf8c0cd6c",
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
