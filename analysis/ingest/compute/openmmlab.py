"""Shared parsing of OpenMMLab model-index metafiles (MMPretrain, MMYOLO, MMPose).

Each ``configs/<family>/metafile.yml`` has ``Collections`` (paper, family-level metadata) and
``Models`` (name, metadata, results). Models with ``Converted From`` are the original authors'
weights re-evaluated by OpenMMLab; the others were trained by OpenMMLab (library re-trainings).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import yaml

from analysis.ingest._common import to_float

GPU_COUNT_PATTERN = re.compile(r"(?:^|_)(\d+)xb(\d+)(?:_|-|$)")
"""Config-name convention 'resnet50_8xb32_in1k' = 8 GPUs × 32 images per GPU."""

EPOCHS_PATTERN = re.compile(r"(?:^|[_-])(\d+)e(?:[_-]|$)")
"""Config-name convention '..._300e_...' = 300 training epochs."""


def metafiles(folder: Path) -> list[Path]:
    """All metafile.yml files under folder/configs, sorted for determinism."""
    return sorted((folder / "configs").rglob("metafile.yml"))


def load_metafile(path: Path) -> dict:
    """Parse one metafile, naming the file on a YAML error."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: invalid YAML: {error}") from error
    if not isinstance(content, dict):
        raise ValueError(f"{path}: expected a mapping with Collections/Models")
    return content


def collections_by_name(content: dict) -> dict[str, dict]:
    """Collections keyed by name."""
    return {c["Name"]: c for c in content.get("Collections") or [] if isinstance(c, dict)}


def model_collection(model: dict, collections: dict[str, dict]) -> dict:
    """The collection a model belongs to ('In Collection' may be a list: first one)."""
    name = model.get("In Collection")
    if isinstance(name, list):
        name = name[0] if name else None
    return collections.get(name, {}) if name else {}


def collection_paper(collection: dict) -> tuple[object, object]:
    """(title, URL) of a collection's paper; either may be NaN."""
    paper = collection.get("Paper") or {}
    if isinstance(paper, list):
        paper = paper[0] if paper else {}
    if isinstance(paper, str):
        return np.nan, paper
    return paper.get("Title", np.nan) or np.nan, paper.get("URL", np.nan) or np.nan


def metadata_value(model: dict, collection: dict, key: str) -> object:
    """A metadata field from the model, else from its collection (NaN if neither)."""
    for holder in (model, collection):
        value = (holder.get("Metadata") or {}).get(key)
        if value is not None:
            return value
    return np.nan


def config_gpus(name: str) -> float:
    """GPU count encoded in an OpenMMLab config name ('8xb32' → 8), NaN if absent."""
    match = GPU_COUNT_PATTERN.search(name)
    return float(match.group(1)) if match else np.nan


def config_epochs(name: str) -> float:
    """Epoch count encoded in a config name ('_300e_' → 300), NaN if absent."""
    match = EPOCHS_PATTERN.search(name)
    return float(match.group(1)) if match else np.nan


def iter_results(content: dict) -> Iterator[tuple[int, dict, dict, dict]]:
    """(model index, model, collection, result) for every result entry of every model."""
    collections = collections_by_name(content)
    for index, model in enumerate(content.get("Models") or []):
        collection = model_collection(model, collections)
        for result in model.get("Results") or []:
            yield index, model, collection, result


def metric_value(result: dict, key: str) -> float:
    """A metric from a result's Metrics mapping as float (NaN if absent)."""
    return to_float((result.get("Metrics") or {}).get(key))


def resources_chip_count(text: object) -> tuple[object, float]:
    """('8x V100 GPUs' → ('V100 GPUs', 8.0)); the chip text is mapped by
    :mod:`analysis.ingest.hardware`."""
    if not isinstance(text, str):
        return np.nan, np.nan
    match = re.match(r"\s*(\d+)\s*[x×]\s*(.+)", text)
    if not match:
        return text, np.nan
    return match.group(2).strip(), float(match.group(1))
