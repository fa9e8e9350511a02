"""DAWNBench training submissions (2017–2020): time to a fixed accuracy with chip type and count.

Source folder ``dawnbench-entries``. ImageNet: hours to the first epoch with top-5 ≥ 93 %;
SQuAD 1.1: hours to the first epoch with dev F1 ≥ 0.75 (the competition targets). Submitter names
and e-mail addresses are never read into the records (nor code URLs, which can name a person).
Scores are submitters' own (``score_origin = "paper"``).

Hardware text is parsed by ``parse_hardware``. Decisions (documented assumptions, not data):
a GCP "Cloud TPU" without version is a Cloud TPU v2 device (4 chips): the listed prices (4.595 and
6.595 USD/h = 4.50 or 6.50 for the TPU + 0.095 for an n1-standard-2) are Cloud TPU v2 prices of
2018;
"1 TPUv2" is one such device; a TPUv2 pod has 256 chips. Cloud instance types map to their GPUs
(AWS/Alibaba/Azure documentation). AWS/GCP "K80" GPUs are half of a K80 board, whose peak the
hardware table gives, so they count 0.5 chip each. CPU-only vCPU entries (unknown CPU model) get no
chip.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.ingest._common import attach_exclusions, records_frame, relative
from analysis.ingest.hardware import canonical_chip

SOURCE = "dawnbench-entries"
LICENCE = "none stated (cite Coleman et al. 2017, DAWNBench)"
IMAGENET_TOP5_TARGET = 93.0
SQUAD_F1_TARGET = 0.75
INSTANCES: dict[str, tuple[str, float]] = {
    "p3.16xlarge": ("NVIDIA V100", 8.0),
    "p3.2xlarge": ("NVIDIA V100", 1.0),
    "p2.8xlarge": ("NVIDIA Tesla K80", 8.0),
    "p2.xlarge": ("NVIDIA Tesla K80", 1.0),
    "g3.16xlarge": ("NVIDIA Tesla M60", 4.0),
    "gn6e-c12g1.24xlarge": ("NVIDIA V100", 8.0),
    "ND40s_v2": ("NVIDIA V100", 8.0),
    "c5.18xlarge": ("Intel Xeon Platinum 8124M", 2.0),
}
"""Cloud instance type → (chip, chips per instance); c5.18xlarge = 2 sockets of Xeon 8124M."""
CLOUD_TPU_V2_CHIPS = 4.0
TPU_V2_POD_CHIPS = 256.0
K80_BOARDS_PER_GPU = 0.5


def read(sources_dir: Path) -> pd.DataFrame:
    """DAWNBench training entries as tidy records (one per submission)."""
    folder = sources_dir / SOURCE
    rows: list[dict] = []
    excluded: Counter = Counter()
    excluded["inference submissions (no training compute)"] = len(
        list(folder.glob("*/inference/*.json"))
    )
    for benchmark in ("ImageNet", "SQuAD"):
        for path in sorted((folder / benchmark / "train").glob("*.json")):
            record = _entry(path, sources_dir, benchmark)
            if record is None:
                excluded["training log never reaches the target"] += 1
            else:
                rows.append(record)
    return attach_exclusions(records_frame(rows, SOURCE, LICENCE), excluded)


def _entry(path: Path, sources_dir: Path, benchmark: str) -> dict | None:
    entry = json.loads(path.read_text(encoding="utf-8"))
    log = pd.read_csv(path.with_suffix(".tsv"), sep="\t")
    if benchmark == "ImageNet":
        reached = log[log["top5Accuracy"] >= IMAGENET_TOP5_TARGET]
        target = {
            "task": "image_classification",
            "benchmark": "imagenet",
            "metric": "top5_accuracy",
        }
        value_of = lambda r: r["top5Accuracy"]  # noqa: E731
    else:
        reached = log[log["f1Score"] >= SQUAD_F1_TARGET]
        target = {"task": "question_answering", "benchmark": "squad11_dev", "metric": "f1"}
        value_of = lambda r: 100.0 * r["f1Score"]  # noqa: E731
    if reached.empty:
        return None
    first = reached.iloc[0]
    epochs_done = first["epoch"] + (1 if log["epoch"].min() == 0 else 0)
    chip, count, note = parse_hardware(entry.get("hardware", ""))
    return {
        "source_file": relative(path, sources_dir),
        "source_record": f"{path.with_suffix('.tsv').name} row {reached.index[0] + 2}",
        "paper_date": entry.get("timestamp", np.nan),
        "year": float(str(entry.get("timestamp", "nan"))[:4]) if entry.get("timestamp") else np.nan,
        "model": entry.get("model", np.nan),
        **target,
        "value": value_of(first),
        "score_origin": "paper",
        "epochs": float(epochs_done),
        "chip": chip if chip else np.nan,
        "chip_count": count,
        "training_hours": float(first["hours"]),
        "source_location": f"hardware: {entry.get('hardware', '')!s} ({note}); "
        f"framework: {entry.get('framework', '')}",
    }


def parse_hardware(text: str) -> tuple[str | None, float, str]:
    """(canonical chip, chip count, how) from DAWNBench hardware text; (None, NaN, why) if not."""
    tpu = _parse_tpu(text)
    if tpu is not None:
        return tpu
    chip = canonical_chip(text)
    count = _explicit_count(text)
    instance = next(((k, v) for k, v in INSTANCES.items() if k in text), None)
    how = "count from text"
    if instance is not None and (chip is None or np.isnan(count)):
        key, (instance_chip, per_instance) = instance
        machines = re.match(r"\s*(\d+)\s+(?:nodes|ecs|p3|c5)", text)
        count = (float(machines.group(1)) if machines else 1.0) * per_instance
        chip = chip or instance_chip
        how = f"{key} = {per_instance:g} × {instance_chip} per instance"
    if chip is None:
        return None, np.nan, "no known chip in text"
    if chip == "NVIDIA Tesla K80":
        count *= K80_BOARDS_PER_GPU
        how += "; K80 GPU = half a board"
    return chip, count, how


def _parse_tpu(text: str) -> tuple[str, float, str] | None:
    pod = re.search(r"(half|1/(\d+)) of a TPUv2 Pod", text, re.IGNORECASE)
    if pod:
        fraction = 0.5 if pod.group(1).lower() == "half" else 1.0 / int(pod.group(2))
        return "Google TPU v2", fraction * TPU_V2_POD_CHIPS, "fraction of a 256-chip TPU v2 pod"
    if re.search(r"Cloud TPU\s*$", text):
        return "Google TPU v2", CLOUD_TPU_V2_CHIPS, "Cloud TPU = v2 device (2018 price)"
    devices = re.match(r"\s*(\d+)\s*TPUv2\b", text)
    if devices:
        return (
            "Google TPU v2",
            float(devices.group(1)) * CLOUD_TPU_V2_CHIPS,
            "TPUv2 = Cloud TPU v2 device of 4 chips",
        )
    return None


def _explicit_count(text: str) -> float:
    product = re.search(r"(\d+)\s*\*\s*(\d+)\s*\*", text) or re.search(
        r"(\d+)\s+nodes?\b[^(]*\((\d+)\s*\*", text
    )
    if product:
        return float(int(product.group(1)) * int(product.group(2)))
    single = re.search(r"(?:^|- )\s*(\d+)\s*(?:\*|x\b|x\s)", text) or re.match(
        r"\s*(\d+)\s+(?:K80|M60|P100|V100|P4|T4|NVidia)", text, re.IGNORECASE
    )
    return float(single.group(1)) if single else np.nan
