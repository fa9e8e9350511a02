"""OpenMMLab MMPose metafiles: 2D body-pose results on COCO keypoints (val2017) and MPII (val).

Source folder ``mmpose-model-index``. All are MMPose re-trainings (``library re-training``).
Metrics are fractions in the files and are scaled to percent: COCO ``AP`` → ``ap``; MPII ``Mean``
(PCKh@0.5) → ``pckh``. GPU count and epochs come from the config name (``8xb64-210e``); the GPU
type is not stated (chip NaN); no FLOPs or training time. CrowdPose results are excluded (counted).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.ingest._common import attach_exclusions, normalise_arxiv_id, records_frame, relative
from analysis.ingest.compute import openmmlab

SOURCE = "mmpose-model-index"
LICENCE = "Apache-2.0"
DATASETS = {"COCO": ("coco_keypoints", "AP", "ap"), "MPII": ("mpii", "Mean", "pckh")}


def read(sources_dir: Path) -> pd.DataFrame:
    """MMPose COCO-keypoint and MPII results as tidy records."""
    folder = sources_dir / SOURCE
    rows: list[dict] = []
    excluded: Counter = Counter()
    for path in sorted((folder / "configs").rglob("*.yml")):
        content = openmmlab.load_metafile(path)
        for index, model, collection, result in openmmlab.iter_results(content):
            spec = DATASETS.get(result.get("Dataset"))
            if spec is None:
                excluded["dataset outside the study (e.g. CrowdPose)"] += 1
                continue
            value = openmmlab.metric_value(result, spec[1])
            if np.isnan(value):
                excluded["no AP / PCKh value"] += 1
                continue
            rows.append(_record(path, sources_dir, index, model, collection, spec, value))
    return attach_exclusions(records_frame(rows, SOURCE, LICENCE), excluded)


def _record(path, sources_dir, index, model, collection, spec, value) -> dict:
    title, url = openmmlab.collection_paper(collection)
    name = str(model.get("Name"))
    return {
        "source_file": relative(path, sources_dir),
        "source_record": f"Models[{index}]: {name}",
        "paper_title": title,
        "paper_url": url,
        "arxiv_id": normalise_arxiv_id(url),
        "model": name,
        "task": "pose_estimation",
        "benchmark": spec[0],
        "metric": spec[2],
        "value": 100.0 * value,
        "score_origin": "library re-training",
        "epochs": openmmlab.config_epochs(name),
        "chip_count": openmmlab.config_gpus(name),
        "source_location": "GPU count and epochs from the config name; GPU type not stated",
    }
