"""Posterior cache: NetCDF files keyed by a hash of data, model code and sampler settings.

A key changes when any row used by a fit changes, when the source of the model-building code
changes, or when a sampler setting changes; with nothing changed, a rebuild loads the file and
neither compiles nor samples.
"""

from __future__ import annotations

import fcntl
import hashlib
import inspect
import json
import os
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import arviz as az
import pandas as pd
import xarray as xr

from analysis.paths import posterior_cache_dir

T = TypeVar("T")


def hash_frame(frame: pd.DataFrame) -> str:
    """A stable hash of a DataFrame's values, columns and order (index ignored)."""
    canonical = frame.reset_index(drop=True).to_csv(index=False, float_format="%.12g")
    return hashlib.sha256(canonical.encode()).hexdigest()


def cache_key(data: pd.DataFrame, model_source: str, settings: Mapping[str, Any]) -> str:
    """The cache key of one fit: data rows, model code and sampler settings."""
    parts = {
        "data": hash_frame(data),
        "model": hashlib.sha256(model_source.encode()).hexdigest(),
        "settings": json.dumps(dict(settings), sort_keys=True, default=str),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


def cache_path(key: str, label: str = "fit") -> Path:
    """Where the posterior of ``key`` is stored."""
    return posterior_cache_dir() / f"{label}-{key}.nc"


LAZY_GROUPS = ("log_likelihood",)
"""Groups read from disk only when used: the pointwise log-likelihood (chains x draws x rows)
is most of a posterior file and only model comparison reads it."""

UNREADABLE_PICKLE = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError)
"""What reading a stale or damaged fast copy raises; the NetCDF file is then read instead."""


def fast_copy_path(key: str, label: str = "fit") -> Path:
    """The fast copy of a cached posterior: its eagerly read groups, pickled."""
    return cache_path(key, label).with_suffix(".groups.pkl")


def _eager_groups(idata: az.InferenceData) -> dict[str, xr.Dataset]:
    return {g: idata[g].load() for g in idata.groups() if g not in LAZY_GROUPS}


def _read_fast_copy(path: Path) -> dict[str, xr.Dataset] | None:
    if not path.exists():
        return None
    try:
        with path.open("rb") as f:
            groups = pickle.load(f)
    except UNREADABLE_PICKLE:
        return None
    return groups if isinstance(groups, dict) else None


def load_cached(key: str, label: str = "fit") -> az.InferenceData | None:
    """The cached posterior for ``key``, or None when absent (:data:`LAZY_GROUPS` stay lazy).

    The eagerly read groups come from the fast copy when there is one (reading a NetCDF file's
    groups costs about 0.3 s, the pickle a few milliseconds); the NetCDF file stays the record
    and writes the fast copy when it is missing or unreadable."""
    path = cache_path(key, label)
    if not path.exists():
        return None
    fast = fast_copy_path(key, label)
    groups = _read_fast_copy(fast)
    if groups is None:
        groups = _eager_groups(az.from_netcdf(path, engine="h5netcdf"))
        _write_atomically(fast, lambda tmp: _pickle_to(groups, tmp))
    lazy = {g: xr.open_dataset(path, group=g, engine="h5netcdf") for g in _file_groups(path)}
    return az.InferenceData(**groups, **lazy)


def _file_groups(path: Path) -> list[str]:
    """The lazily read groups that ``path`` holds."""
    import h5netcdf

    with h5netcdf.File(path, "r") as f:
        return [g for g in LAZY_GROUPS if g in f.groups]


def _write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Write ``path`` through ``write`` into a temporary file, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    write(tmp)
    tmp.replace(path)
    return path


def save_cached(key: str, idata: az.InferenceData, label: str = "fit") -> Path:
    """Store a posterior atomically (write to a temporary file, then rename), and its fast copy."""
    path = _write_atomically(
        cache_path(key, label), lambda tmp: idata.to_netcdf(str(tmp), engine="h5netcdf")
    )
    groups = _eager_groups(idata)
    _write_atomically(fast_copy_path(key, label), lambda tmp: _pickle_to(groups, tmp))
    return path


def _pickle_to(value: object, path: Path) -> None:
    with path.open("wb") as f:
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path``'s lock file: chapters executed in parallel that need
    the same posterior or derived value compute it once (the second waits, then loads it)."""
    lock = path.with_name(path.name + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cached_posterior(
    key: str, sample: Callable[[], az.InferenceData], label: str = "fit"
) -> tuple[az.InferenceData, bool]:
    """Load the posterior for ``key``, or make it with ``sample`` and store it: (idata, hit).
    A miss is sampled under :func:`exclusive`, so two processes never sample one key twice."""

    def load() -> tuple[az.InferenceData] | None:
        cached = load_cached(key, label)
        return None if cached is None else (cached,)

    def make() -> az.InferenceData:
        idata = sample()
        save_cached(key, idata, label)
        return idata

    return _load_or_make(cache_path(key, label), load, make)


def source_digest(modules: Sequence[ModuleType]) -> str:
    """A digest of the source of ``modules``: part of the key of a value derived by their code."""
    text = "\n".join(inspect.getsource(m) for m in modules)
    return hashlib.sha256(text.encode()).hexdigest()


def cached_value(key: str, compute: Callable[[], T], label: str) -> tuple[T, bool]:
    """A value derived from cached posteriors (a backtest's scores), stored beside them so the
    chapters that read it compute it once: (value, hit). The file is this machine's own cache,
    written atomically and read back only under its own key; an unreadable one is recomputed."""
    path = posterior_cache_dir() / f"{label}-{key}.pkl"

    def make() -> T:
        value = compute()
        _write_atomically(path, lambda tmp: _pickle_to(value, tmp))
        return value

    return _load_or_make(path, lambda: _read_value(path), make)


def _load_or_make(
    path: Path, load: Callable[[], tuple[T] | None], make: Callable[[], T]
) -> tuple[T, bool]:
    """``load()``'s value (in a 1-tuple, or None when absent), else ``make()``'s, made under
    :func:`exclusive` after loading once more: (value, hit)."""
    found = load()
    if found is None:
        with exclusive(path):
            found = load()
            if found is None:
                return make(), False
    return found[0], True


def _read_value(path: Path) -> tuple[Any] | None:
    """The value pickled at ``path`` (in a 1-tuple), or None if it is missing or unreadable
    (a damaged or stale file is then computed afresh and rewritten)."""
    if not path.exists():
        return None
    try:
        with path.open("rb") as f:
            return (pickle.load(f),)
    except UNREADABLE_PICKLE:
        return None


@dataclass(frozen=True)
class Attempt:
    """One try at a gated posterior: its sampler settings, the posterior (loaded or sampled),
    whether it came from the cache, and its diagnostics row (column ``passed``)."""

    settings: Any
    idata: az.InferenceData
    hit: bool
    diagnostics: pd.DataFrame

    @property
    def passed(self) -> bool:
        return bool(self.diagnostics["passed"].iloc[0])


def gated_posterior(
    attempts: Sequence[Any],
    key_of: Callable[[Any], str],
    sample: Callable[[Any], az.InferenceData],
    diagnose: Callable[[az.InferenceData], pd.DataFrame],
    label: str = "fit",
) -> list[Attempt]:
    """Load or sample (and cache) the posterior of each sampler setting in turn, stopping at the
    first whose diagnostics pass the gate: the escalation every gated fit shares. Returns the
    attempts made; the last one passed, unless none did."""
    made: list[Attempt] = []
    for settings in attempts:
        idata, hit = cached_posterior(key_of(settings), lambda s=settings: sample(s), label)
        made.append(Attempt(settings, idata, hit, diagnose(idata)))
        if made[-1].passed:
            break
    return made
