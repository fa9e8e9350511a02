"""timm model-index metadata (2021-03, Papers-with-Code format in markdown): ImageNet top-1/top-5
with parameters, epochs and training resources (chip × count) for about half of 272 models.

Source folder ``timm-model-index-2021``. Accuracies are timm's evaluations of the listed weights
(``library re-evaluation``). Its ``FLOPs`` field is not consistently defined (PROVENANCE: resnet50
5.28e9 matches neither MACs nor 2 × MACs), so it is kept only as ``flops_per_pass_raw`` with
``flops_per_pass`` NaN; use ``timm-results`` for forward cost. ``Training Resources`` text is mapped
with ``canonical_chip``/``tpu_chip_count`` ("Cloud TPU v3 Pod" = a full 1,024-chip pod, as
NoisyStudent's paper states 2,048 cores); "Training Time" is used only when it is a plain number of
hours or days ("< 24 hours" is a bound, not a value). The arXiv id comes from each file's BibTeX.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis.ingest._common import (
    attach_exclusions,
    normalise_arxiv_id,
    records_frame,
    relative,
    to_float,
)
from analysis.ingest.hardware import canonical_chip, tpu_chip_count

SOURCE = "timm-model-index-2021"
LICENCE = "Apache-2.0 (PwC-format metadata)"
MODEL_INDEX = re.compile(r"<!--\s*\nType: model-index\n(.*?)-->", re.DOTALL)
METRICS = {"Top 1 Accuracy": "top1_accuracy", "Top 5 Accuracy": "top5_accuracy"}


def read(sources_dir: Path) -> pd.DataFrame:
    """timm model-index entries as tidy records."""
    folder = sources_dir / SOURCE
    rows: list[dict] = []
    excluded: Counter = Counter()
    for path in sorted(folder.glob("*.md")):
        if path.name == "PROVENANCE.md":
            continue
        text = path.read_text(encoding="utf-8")
        match = MODEL_INDEX.search(text)
        if not match:
            excluded["markdown file without a model-index block"] += 1
            continue
        try:
            index = yaml.safe_load(match.group(1))
        except yaml.YAMLError as error:
            raise ValueError(f"{path}: invalid model-index YAML: {error}") from error
        arxiv_id = _bibtex_arxiv(text)
        papers = {c["Name"]: c.get("Paper") or {} for c in index.get("Collections") or []}
        for position, model in enumerate(index.get("Models") or []):
            base = _base(path, sources_dir, position, model, papers, arxiv_id)
            for result in model.get("Results") or []:
                if result.get("Dataset") != "ImageNet":
                    excluded["result on another dataset"] += 1
                    continue
                for key, metric in METRICS.items():
                    value = to_float((result.get("Metrics") or {}).get(key))
                    if not np.isnan(value):
                        rows.append({**base, "metric": metric, "value": value})
    return attach_exclusions(records_frame(rows, SOURCE, LICENCE), excluded)


def _bibtex_arxiv(text: str) -> object:
    match = re.search(r"eprint\s*=\s*\{([^}]+)\}", text) or re.search(
        r"arxiv\.org/abs/(\d{4}\.\d{4,5})", text
    )
    return normalise_arxiv_id(match.group(1)) if match else np.nan


def _base(path, sources_dir, position, model, papers, arxiv_id) -> dict:
    metadata = model.get("Metadata") or {}
    paper = papers.get(model.get("In Collection"), {})
    resources = metadata.get("Training Resources")
    chip = canonical_chip(resources) if isinstance(resources, str) else None
    return {
        "source_file": relative(path, sources_dir),
        "source_record": f"Models[{position}]: {model.get('Name')}",
        "paper_title": paper.get("Title", np.nan),
        "paper_url": paper.get("URL", np.nan),
        "arxiv_id": arxiv_id,
        "model": model.get("Name"),
        "task": "image_classification",
        "benchmark": "imagenet",
        "score_origin": "library re-evaluation",
        "flops_per_pass_raw": to_float(metadata.get("FLOPs")),
        "parameters": to_float(metadata.get("Parameters")),
        "epochs": to_float(metadata.get("Epochs")),
        "chip": chip if chip else np.nan,
        "chip_count": resources_count(resources),
        "training_hours": training_hours(metadata.get("Training Time")),
        "source_location": (
            f"Training Resources: {resources}; Training Time: {metadata.get('Training Time')}; "
            "FLOPs field inconsistently defined, not used"
        ),
    }


def resources_count(text: object) -> float:
    """'8x NVIDIA V100 GPUs' → 8; TPU slices via tpu_chip_count; NaN if no count."""
    if not isinstance(text, str):
        return np.nan
    match = re.match(r"\s*(\d+)\s*x\s+", text)
    return float(match.group(1)) if match else tpu_chip_count(text)


def training_hours(text: object) -> float:
    """'60 hours' → 60, '6 days' → 144; bounds like '< 24 hours' → NaN."""
    if not isinstance(text, str):
        return np.nan
    match = re.fullmatch(r"\s*([\d.]+)\s*(hours?|days?)\s*", text)
    if not match:
        return np.nan
    return float(match.group(1)) * (24.0 if match.group(2).startswith("day") else 1.0)
