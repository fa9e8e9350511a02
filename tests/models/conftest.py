"""Session fixtures of the slow model tests: the compiled models and one posterior cache.

:func:`model_session` compiles, once per test session, the nutpie models of every structure the
slow model tests fit (through the package's own per-process compile caches,
``analysis.models.fit.compiled_model`` and ``analysis.models.frontier.compiled_model``) and
points the posterior cache at one session-wide temporary folder, so a test times its sampling,
not its compilation, and two tests that fit the same rows with the same settings sample once.
Tests that count cache files or need a cold cache (``test_cache.py``) keep their own folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis import models
from analysis.models import fit as fitting

SMALL = models.SamplerSettings(tune=400, draws=250, chains=2, cores=1)
"""Sampler settings of the slow model tests: enough for recovery checks, far below the book's."""

SCALING_STRUCTURES: tuple[tuple[int, int, bool, str], ...] = ((8, 8, False, "normal"),)
"""(series slots, task slots, trend, likelihood) of the simulated fits of these tests."""


@dataclass(frozen=True)
class ModelSession:
    """What the session fixture gives a test: the sampler settings and the cache folder."""

    settings: models.SamplerSettings
    cache_dir: Path


@pytest.fixture(scope="session")
def model_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModelSession]:
    """Compile the scaling model structures once and share one posterior cache per session."""
    cache_dir = tmp_path_factory.mktemp("model-session-posteriors")
    for structure in SCALING_STRUCTURES:
        fitting.compiled_model(*structure)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COMPLIM_POSTERIOR_CACHE", str(cache_dir))
        yield ModelSession(settings=SMALL, cache_dir=cache_dir)
