"""pycls model zoo (Radosavovic et al. 2020): ImageNet error, FLOPs, params, train hours (8 V100).

Source folder ``pycls-model-zoo``. All 36 models were re-trained by pycls for 100 epochs on
8 × Tesla V100 16 GB (``library re-training``); train hours come only from MODEL_ZOO.md. FLOPs in
``model_complexity.json`` are multiply-adds (ResNet-50 = 4.1e9), so flops_per_pass = 2 × raw.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from analysis.ingest._common import (
    MACS_TO_FLOPS,
    attach_exclusions,
    html_tables,
    records_frame,
    to_float,
)

SOURCE = "pycls-model-zoo"
LICENCE = "MIT"
ZOO_FILE = "MODEL_ZOO.md"
PAPERS = {
    "RegNet": ("Designing Network Design Spaces", "https://arxiv.org/abs/2003.13678"),
    "ResNet": ("Deep Residual Learning for Image Recognition", "https://arxiv.org/abs/1512.03385"),
    "ResNeXt": (
        "Aggregated Residual Transformations for Deep Neural Networks",
        "https://arxiv.org/abs/1611.05431",
    ),
    "EfficientNet": (
        "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks",
        "https://arxiv.org/abs/1905.11946",
    ),
}
"""Architecture family → paper (as the pycls README cites them)."""
TRAINING = {"chip": "NVIDIA V100", "chip_count": 8.0, "epochs": 100.0}
"""MODEL_ZOO.md: 'train (hr, 100 epochs on 8 × V100)', Big Basin with 8 × Tesla V100 16 GB."""


def read(sources_dir: Path) -> pd.DataFrame:
    """pycls zoo rows as tidy records (top-1 and top-5 accuracy = 100 - error)."""
    folder = sources_dir / SOURCE
    complexity = json.loads((folder / "model_complexity.json").read_text())
    errors = json.loads((folder / "model_error.json").read_text())
    table = _zoo_rows((folder / ZOO_FILE).read_text(encoding="utf-8"))
    rows: list[dict] = []
    excluded: Counter = Counter()
    for name, (line, config, cells) in table.items():
        if name not in errors:
            excluded["zoo row without model_error.json entry"] += 1
            continue
        flops_raw = complexity.get(config, {}).get("flops", float("nan"))
        family = re.match(r"[A-Za-z]+", name).group(0)
        title, url = PAPERS["RegNet" if family.startswith("RegNet") else family]
        base = {
            "source_file": f"{SOURCE}/{ZOO_FILE}",
            "source_record": f"line {line}: {name}",
            "paper_title": title,
            "paper_url": url,
            "arxiv_id": url.rsplit("/", 1)[1],
            "model": name,
            "task": "image_classification",
            "benchmark": "imagenet",
            "score_origin": "library re-training",
            "flops_per_pass": flops_raw * MACS_TO_FLOPS,
            "flops_convention": "multiply-adds",
            "flops_per_pass_raw": flops_raw,
            "parameters": complexity.get(config, {}).get("params", float("nan")),
            "training_examples": float("nan"),
            "training_hours": to_float(cells[6]),
            "source_location": f"{ZOO_FILE} train (hr) column; FLOPs from model_complexity.json",
            **TRAINING,
        }
        for metric, key in (("top1_accuracy", "top1_err"), ("top5_accuracy", "top5_err")):
            rows.append({**base, "metric": metric, "value": 100.0 - errors[name][key]})
    return attach_exclusions(records_frame(rows, SOURCE, LICENCE), excluded)


def _zoo_rows(text: str) -> dict[str, tuple[int, str, list[str]]]:
    """{model name: (line, config path, cells)} from the HTML tables, cells in column order:
    model, flops, params, acts, batch size, infer, train, error, model id, download."""
    configs = dict(re.findall(r'href="(configs/[^"]+\.yaml)">([^<]+)</a>', text))
    by_name = {name: path for path, name in configs.items()}
    rows = {}
    for table in html_tables(text):
        for line, cells in table["rows"]:
            if len(cells) >= 8 and cells[0] in by_name:
                rows[cells[0]] = (line, by_name[cells[0]], cells)
    return rows
