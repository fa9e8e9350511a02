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
    "papers.csv": "80052f9a372f4022937e739766660021679c7cd32acfe5f2fb6954999cd7f67e",
    "results.csv": "988549c49dba3db0a863fbedd0bcf1a66e08eb5b6e9394ae9fa67e8924410dec",
    "compute.csv": "f9dd72c9840a36a4dfaaa04f0aba15d809e32fd88ad4a3dcc7701b99c9d5ee0c",
    "hardware.csv": "04ce8d65033ff16fbfc98d5eabcd3773290f53e01b28a88c60f9223711a43faa",
}
"""sha256 of the tables the keys were recorded on."""

MODEL_SOURCE_SHA256 = "430cc6083d73302ef9de9249035920854a72ee3532a84441ca693855ef426ce0"

BOOK_FIT_KEYS = {
    "hardware_burden/polynomial/static": "74dd8f34fbbe00cc75497debd957be24",
    "hardware_burden/polynomial/trend": "39697b7523c3d9c60c9d417c4753b873",
    "hardware_burden/exponential/static": "85995dfccfd3ecc00c80399065a8766c",
    "hardware_burden/exponential/trend": "dec416e7ffa34d9a4049f2ce47700384",
    "network_operations/polynomial/static": "ba3f28abfd4cd0086a0270d605f68b47",
    "network_operations/polynomial/trend": "c94d6f4d8f7f0a3af55b152a61f31cf7",
    "network_operations/exponential/static": "148f850e72d4838cf1c94aa8d214358c",
    "network_operations/exponential/trend": "671e92615a23a3073981ba4796d9eb13",
    "flops_per_pass/polynomial/static": "0bc4cdf0e423b5ccb4f898366a80dc53",
    "flops_per_pass/polynomial/trend": "51802b74d57a562fcd96a7ebf50438c5",
    "flops_per_pass/exponential/static": "3a300aa6903767f52e326fe52dbeb7af",
    "flops_per_pass/exponential/trend": "f90b152371b33092153cfaf45472a1ba",
    "epoch_estimate/polynomial/static": "e8edb04ba32435cdab864f60337de558",
    "epoch_estimate/polynomial/trend": "9ebbc16188ed176aab5575f68544ecb5",
    "epoch_estimate/exponential/static": "93dbcbd16216c4ff0eb60dd5041fa171",
    "epoch_estimate/exponential/trend": "b1bdab3ca59b325e5d59da02f3b86ea3",
    "latent/polynomial": "525b840bfbc229ff6f5d22168173fcd4",
    "latent/exponential": "c76b538588b02c4871018b305f70174f",
    "frontier/polynomial": "27d771170d6765d26032583a03e438d9",
    "frontier/exponential": "353c46820a51fbad1931f0e6605ef37e",
    "frontier/floor": "211b2831384f9788849a4519cca85170",
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
