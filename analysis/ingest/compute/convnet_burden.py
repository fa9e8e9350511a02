"""convnet-burden (Albanie 2017–2019): forward cost of classic ImageNet CNNs with top-1/top-5 error.

Source folder ``convnet-burden``. Only the image-classification table carries scores; FLOPs there
are rounded to one significant figure and count a fused multiply-add as one operation (README
"Notes and Assumptions"), so flops_per_pass = 2 × raw. ``src`` MCN/PT/L1 (MatConvNet, PyTorch,
local evaluation) are library re-evaluations; SE/AU (the authors' released numbers) are ``paper``.
Detection (PASCAL VOC), segmentation and keypoint tables have no scores and are excluded (counted).
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
    records_frame,
    strip_markdown_link,
    to_float,
)

SOURCE = "convnet-burden"
LICENCE = "MIT"
FILE = "README.md"
PAPERS = [
    (r"^SE-|^SENet", "https://arxiv.org/abs/1709.01507"),
    (r"^resnext", "https://arxiv.org/abs/1611.05431"),
    (r"^resnet", "https://arxiv.org/abs/1512.03385"),
    (r"^vgg-vd", "https://arxiv.org/abs/1409.1556"),
    (r"^vgg-[fms]", "https://arxiv.org/abs/1405.3531"),
    (r"^googlenet", "https://arxiv.org/abs/1409.4842"),
    (r"^inception-v3", "https://arxiv.org/abs/1512.00567"),
    (r"^densenet", "https://arxiv.org/abs/1608.06993"),
    (r"^squeezenet", "https://arxiv.org/abs/1602.07360"),
    (r"mobilenet", "https://arxiv.org/abs/1704.04861"),
]
"""Model name → paper (the README's reference list); AlexNet/CaffeNet have no arXiv version."""
UNITS = {"MFLOPS": 1e6, "GFLOPS": 1e9, "TFLOPS": 1e12}
ORIGINS = {
    "MCN": "library re-evaluation",
    "PT": "library re-evaluation",
    "L1": "library re-evaluation",
    "SE": "paper",
    "AU": "paper",
}


def read(sources_dir: Path) -> pd.DataFrame:
    """Image-classification rows as top-1/top-5 accuracy records."""
    text = (sources_dir / SOURCE / FILE).read_text(encoding="utf-8")
    rows: list[dict] = []
    excluded: Counter = Counter()
    for table in markdown_tables(text):
        if "performance" not in table["header"]:
            excluded["table without scores (detection/segmentation/keypoints)"] += len(
                table["rows"]
            )
            continue
        for line, cells in table["rows"]:
            row = dict(zip(table["header"], [strip_markdown_link(c) for c in cells], strict=False))
            top1_err, top5_err = (to_float(v) for v in row["performance"].split("/"))
            if np.isnan(top1_err):
                excluded["no reported error"] += 1
                continue
            base = _base(line, row)
            rows.append({**base, "metric": "top1_accuracy", "value": 100 - top1_err})
            if not np.isnan(top5_err):
                rows.append({**base, "metric": "top5_accuracy", "value": 100 - top5_err})
    return attach_exclusions(records_frame(rows, SOURCE, LICENCE), excluded)


def _base(line: int, row: dict) -> dict:
    raw = flops_value(row["flops"])
    url = next((u for pattern, u in PAPERS if re.search(pattern, row["model"])), np.nan)
    return {
        "source_file": f"{SOURCE}/{FILE}",
        "source_record": f"line {line}: {row['model']}",
        "paper_url": url,
        "arxiv_id": url.rsplit("/", 1)[1] if isinstance(url, str) else np.nan,
        "model": row["model"],
        "task": "image_classification",
        "benchmark": "imagenet",
        "score_origin": ORIGINS.get(row["src"], "library re-evaluation"),
        "flops_per_pass": raw * MACS_TO_FLOPS,
        "flops_convention": "multiply-adds",
        "flops_per_pass_raw": raw,
        "source_location": f"classification table, flops '{row['flops']}' (1 s.f.), "
        f"src {row['src']}",
    }


def flops_value(text: str) -> float:
    """'727 MFLOPs' → 7.27e8; NaN if unparseable."""
    match = re.fullmatch(r"\s*([\d.]+)\s*([MGT]FLOPS)\s*", text, re.IGNORECASE)
    return float(match.group(1)) * UNITS[match.group(2).upper()] if match else np.nan
