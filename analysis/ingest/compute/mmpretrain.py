"""OpenMMLab MMPretrain metafiles: ImageNet-1k / CIFAR top-1 with FLOPs, parameters, paper.

Source folder ``mmpretrain-model-index``. FLOPs there count a multiply-add as one operation
(PROVENANCE: resnet50 = 4.12e9), so ``flops_per_pass`` = 2 × raw. Converted official weights are
``library re-evaluation``; OpenMMLab-trained ones ``library re-training``. Training resources and
epochs (model- or collection-level) are kept only for OpenMMLab-trained models, since for converted
weights they describe OpenMMLab's recipe, not the original run.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.ingest._common import (
    MACS_TO_FLOPS,
    attach_exclusions,
    normalise_arxiv_id,
    records_frame,
    relative,
    to_float,
)
from analysis.ingest.compute import openmmlab
from analysis.ingest.hardware import canonical_chip

SOURCE = "mmpretrain-model-index"
LICENCE = "Apache-2.0"
DATASETS = {
    "ImageNet-1k": "imagenet",
    "CIFAR-10": "cifar10",
    "CIFAR10": "cifar10",
    "CIFAR-100": "cifar100",
    "CIFAR100": "cifar100",
}
METRICS = {"Top 1 Accuracy": "top1_accuracy", "Top 5 Accuracy": "top5_accuracy"}


def read(sources_dir: Path) -> pd.DataFrame:
    """MMPretrain classification results as tidy records."""
    folder = sources_dir / SOURCE
    rows: list[dict] = []
    excluded: Counter = Counter()
    for path in openmmlab.metafiles(folder):
        content = openmmlab.load_metafile(path)
        for index, model, collection, result in openmmlab.iter_results(content):
            benchmark = DATASETS.get(result.get("Dataset"))
            if benchmark is None or result.get("Task") != "Image Classification":
                excluded["dataset/task outside the study"] += 1
                continue
            base = _base_record(path, sources_dir, index, model, collection, benchmark)
            found = False
            for key, metric in METRICS.items():
                value = openmmlab.metric_value(result, key)
                if np.isnan(value):
                    continue
                rows.append({**base, "metric": metric, "value": value})
                found = True
            if not found:
                excluded["no top-1/top-5 value"] += 1
    return attach_exclusions(records_frame(rows, SOURCE, LICENCE), excluded)


def _base_record(
    path: Path, sources_dir: Path, index: int, model: dict, collection: dict, benchmark: str
) -> dict:
    title, url = openmmlab.collection_paper(collection)
    converted = "Converted From" in model
    flops_raw = to_float(openmmlab.metadata_value(model, {}, "FLOPs"))
    record = {
        "source_file": relative(path, sources_dir),
        "source_record": f"Models[{index}]: {model.get('Name')}",
        "paper_title": title,
        "paper_url": url,
        "arxiv_id": normalise_arxiv_id(url),
        "model": model.get("Name"),
        "task": "image_classification",
        "benchmark": benchmark,
        "score_origin": "library re-evaluation" if converted else "library re-training",
        "flops_per_pass": flops_raw * MACS_TO_FLOPS,
        "flops_convention": "multiply-adds" if not np.isnan(flops_raw) else np.nan,
        "flops_per_pass_raw": flops_raw,
        "parameters": to_float(openmmlab.metadata_value(model, {}, "Parameters")),
    }
    if not converted:
        record.update(_training_setup(model, collection))
    return record


def _training_setup(model: dict, collection: dict) -> dict:
    resources = openmmlab.metadata_value(model, collection, "Training Resources")
    chip_text, count = openmmlab.resources_chip_count(resources)
    name = str(model.get("Name", ""))
    if np.isnan(count):
        count = openmmlab.config_gpus(name)
    epochs = to_float(openmmlab.metadata_value(model, collection, "Epochs"))
    if np.isnan(epochs):
        epochs = openmmlab.config_epochs(name)
    chip = canonical_chip(chip_text) if isinstance(chip_text, str) else None
    return {
        "chip": chip if chip else np.nan,
        "chip_count": count,
        "epochs": epochs,
        "source_location": f"Training Resources: {resources}"
        if isinstance(resources, str)
        else np.nan,
    }
