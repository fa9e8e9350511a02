"""OpenMMLab MMYOLO metafiles: COCO val2017 box AP of YOLO-family detectors re-trained by MMYOLO.

Source folder ``mmyolo-model-index``. Every model was trained by OpenMMLab (``library re-training``)
on the collection's ``Training Resources`` (A100 GPUs; the count also in the config name ``8xb16``)
for ``Epochs``; no training time is given. RTMDet FLOPs come from ``configs/rtmdet/README.md``
("FLOPs(G)", OpenMMLab's counter: one multiply-add counted as one FLOP). Instance segmentation,
pose, DOTA and VOC results are excluded (counted).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.ingest._common import (
    MACS_TO_FLOPS,
    attach_exclusions,
    markdown_tables,
    normalise_arxiv_id,
    records_frame,
    relative,
    to_float,
)
from analysis.ingest.compute import openmmlab
from analysis.ingest.hardware import canonical_chip
from analysis.vocab.measures import COCO_TRAIN2017_IMAGES

SOURCE = "mmyolo-model-index"
LICENCE = "GPL-3.0"
RTMDET_README = "configs/rtmdet/README.md"
PAPERS_WITHOUT_URL = {"RTMDet": "https://arxiv.org/abs/2212.07784"}
"""RTMDet's metafile has no paper URL; its README cites arXiv 2212.07784 (PROVENANCE)."""


def read(sources_dir: Path) -> pd.DataFrame:
    """MMYOLO COCO detection results as tidy records."""
    folder = sources_dir / SOURCE
    flops = rtmdet_flops(folder / RTMDET_README)
    rows: list[dict] = []
    excluded: Counter = Counter()
    for path in openmmlab.metafiles(folder):
        content = openmmlab.load_metafile(path)
        for index, model, collection, result in openmmlab.iter_results(content):
            if result.get("Dataset") != "COCO" or result.get("Task") != "Object Detection":
                excluded["not COCO object detection"] += 1
                continue
            rows.append(_record(path, sources_dir, index, model, collection, result, flops))
    return attach_exclusions(records_frame(rows, SOURCE, LICENCE), excluded)


def _record(path, sources_dir, index, model, collection, result, flops) -> dict:
    title, url = openmmlab.collection_paper(collection)
    if not isinstance(url, str):
        url = PAPERS_WITHOUT_URL.get(collection.get("Name"), np.nan)
    name = str(model.get("Name"))
    resources = openmmlab.metadata_value(model, collection, "Training Resources")
    chip_text, count = openmmlab.resources_chip_count(resources)
    gpus_in_name = openmmlab.config_gpus(name)
    raw = flops.get(name, np.nan)
    return {
        "source_file": relative(path, sources_dir),
        "source_record": f"Models[{index}]: {name}",
        "paper_title": title,
        "paper_url": url,
        "arxiv_id": normalise_arxiv_id(url),
        "model": name,
        "task": "object_detection",
        "benchmark": "coco_minival",
        "metric": "box_ap",
        "value": openmmlab.metric_value(result, "box AP"),
        "score_origin": "library re-training",
        "flops_per_pass": raw * MACS_TO_FLOPS,
        "flops_convention": "multiply-adds" if not np.isnan(raw) else np.nan,
        "flops_per_pass_raw": raw,
        "epochs": to_float(openmmlab.metadata_value(model, collection, "Epochs")),
        "training_examples": float(COCO_TRAIN2017_IMAGES),
        "chip": (canonical_chip(chip_text) or np.nan) if isinstance(chip_text, str) else np.nan,
        "chip_count": gpus_in_name if not np.isnan(gpus_in_name) else count,
        "source_location": f"Training Resources: {resources}; GPUs from config name",
    }


def rtmdet_flops(readme: Path) -> dict[str, float]:
    """{config name: FLOPs(G) × 1e9} from the RTMDet README COCO table (distilled rows skipped)."""
    flops = {}
    for table in markdown_tables(readme.read_text(encoding="utf-8")):
        if "FLOPs(G)" not in table["header"] or "box AP" not in table["header"]:
            continue
        for _, cells in table["rows"]:
            row = dict(zip(table["header"], cells, strict=False))
            config = re.search(r"\(\./([^)]+)\.py\)", row.get("Config", ""))
            if config and "/" not in config.group(1):
                flops[config.group(1)] = to_float(row["FLOPs(G)"]) * 1e9
    return flops
