"""Readers that turn the raw compute sources into tidy records (one module per source family).

Every reader is ``read(sources_dir: Path) -> pd.DataFrame`` with exactly ``RECORD_COLUMNS`` and
``frame.attrs["excluded"]`` = {reason: count} for source rows it left out.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis.ingest._common import RECORD_COLUMNS
from analysis.ingest.compute import (
    compute_facts,
    convnet_burden,
    dawnbench,
    detection_zoos,
    epoch_models,
    mmpose,
    mmpretrain,
    mmyolo,
    openai_efficiency,
    pycls,
    timm_model_index,
    timm_results,
)

READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    timm_results.SOURCE: timm_results.read,
    timm_model_index.SOURCE: timm_model_index.read,
    mmpretrain.SOURCE: mmpretrain.read,
    pycls.SOURCE: pycls.read,
    convnet_burden.SOURCE: convnet_burden.read,
    detection_zoos.SOURCE: detection_zoos.read,
    mmyolo.SOURCE: mmyolo.read,
    mmpose.SOURCE: mmpose.read,
    dawnbench.SOURCE: dawnbench.read,
    openai_efficiency.SOURCE: openai_efficiency.read,
    epoch_models.SOURCE: epoch_models.read,
    compute_facts.SOURCE: compute_facts.read,
}
"""Source folder name → reader (``compute-facts`` reads data/manual/compute_facts.csv)."""

__all__ = ["READERS", "RECORD_COLUMNS", "read_all_records"]


def read_all_records(sources_dir: Path) -> pd.DataFrame:
    """All readers' records concatenated; attrs['excluded'] = {"source: reason": count}."""
    frames = []
    excluded: dict[str, int] = {}
    for name, reader in READERS.items():
        frame = reader(sources_dir)
        excluded.update({f"{name}: {reason}": n for reason, n in frame.attrs["excluded"].items()})
        frames.append(frame)
    records = pd.concat(frames, ignore_index=True)[RECORD_COLUMNS]
    records.attrs["excluded"] = excluded
    return records
