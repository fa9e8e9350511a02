"""Epoch AI models database ("All ML Systems - full view.csv"): training compute and setup.

Source folder ``epoch-ai-models``. Only systems whose ``Task`` includes one of the study's nine task
families are kept (one record per matching task; others counted as excluded). The database has no
benchmark scores (metric/value stay NaN; join to leaderboards by arXiv id or title).
``training_flops_method`` is "reported" when Epoch's estimation method includes "Reported", else
"epoch_estimate" (operation counting, hardware, third-party …). Chips are mapped with
``canonical_chip`` (several chips in one cell → unmapped).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.ingest._common import (
    attach_exclusions,
    normalise_arxiv_id,
    records_frame,
    require_columns,
)
from analysis.ingest.hardware import canonical_chip

SOURCE = "epoch-ai-models"
LICENCE = "CC BY 4.0 (Epoch AI, Data on AI Models)"
FILE = "All ML Systems - full view.csv"
TASKS = {
    "Image classification": "image_classification",
    "Object detection": "object_detection",
    "Question answering": "question_answering",
    "Named entity recognition": "named_entity_recognition",
    "Translation": "machine_translation",
    "Speech recognition": "speech_recognition",
    "Face detection": "face_detection",
    "Image generation": "image_generation",
    "Text-to-image": "image_generation",
    "Pose estimation": "pose_estimation",
}
"""Epoch ``Task`` labels → study task slugs (exact label match after splitting on commas)."""
USED_COLUMNS = (
    "Model",
    "Task",
    "Publication date",
    "Reference",
    "Link",
    "Authors",
    "Parameters",
    "Epochs",
    "Training dataset size (datapoints)",
    "Training hardware",
    "Hardware quantity",
    "Training time (hours)",
    "Training compute (FLOP)",
    "Training compute estimation method",
)


def read(sources_dir: Path) -> pd.DataFrame:
    """Epoch systems in the nine task families as tidy records."""
    path = sources_dir / SOURCE / FILE
    frame = pd.read_csv(path)
    require_columns(frame, USED_COLUMNS, path)
    rows: list[dict] = []
    excluded: Counter = Counter()
    for index, system in frame.iterrows():
        tasks = _study_tasks(system["Task"])
        if not tasks:
            excluded["task outside the nine families"] += 1
            continue
        base = _base_record(index, system)
        rows.extend({**base, "task": task} for task in tasks)
    return attach_exclusions(records_frame(rows, SOURCE, LICENCE), excluded)


def _study_tasks(cell: object) -> list[str]:
    if not isinstance(cell, str):
        return []
    labels = [label.strip() for label in cell.split(",")]
    return list(dict.fromkeys(TASKS[label] for label in labels if label in TASKS))


def _first_url(cell: object) -> object:
    if not isinstance(cell, str):
        return np.nan
    urls = [part for part in cell.split() if part.startswith("http")]
    return urls[0] if urls else np.nan


def _base_record(index: int, system: pd.Series) -> dict:
    method = system["Training compute estimation method"]
    flops = system["Training compute (FLOP)"]
    if pd.isna(flops):
        flops_method = np.nan
    elif isinstance(method, str) and "Reported" in method:
        flops_method = "reported"
    else:
        flops_method = "epoch_estimate"
    hardware = system["Training hardware"]
    chip = canonical_chip(hardware) if isinstance(hardware, str) else None
    link = system["Link"]
    date = system["Publication date"]
    return {
        "source_file": f"{SOURCE}/{FILE}",
        "source_record": f"row {index + 2}: {system['Model']}",
        "paper_title": system["Reference"],
        "paper_url": _first_url(link),
        "arxiv_id": normalise_arxiv_id(link),
        "paper_date": date,
        "year": float(str(date)[:4]) if isinstance(date, str) else np.nan,
        "authors": system["Authors"],
        "model": system["Model"],
        "parameters": system["Parameters"],
        "epochs": system["Epochs"],
        "training_examples": system["Training dataset size (datapoints)"],
        "chip": chip if chip else np.nan,
        "chip_count": system["Hardware quantity"],
        "training_hours": system["Training time (hours)"],
        "training_flops": flops,
        "training_flops_method": flops_method,
        "source_location": (
            f"Training hardware: {hardware}" if isinstance(hardware, str) else np.nan
        ),
    }
