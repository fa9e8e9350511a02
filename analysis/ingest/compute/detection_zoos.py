"""Detection model zoos: COCO val2017 box AP with GPU type/count and training time.

Source folder ``detection-model-zoos`` (Detectron Dec 2017 on 8 × P100; maskrcnn-benchmark 2018–19,
mmdetection mid-2019 and detectron2 2019 on 8 × V100; ViTDet/MViTv2 on 64 × A100). All are library
re-implementations (``library re-training``). COCO val2017 is treated as ``coco_minival``.

Training hours: Detectron and maskrcnn-benchmark give total hours. detectron2: s/iter × iterations
of the schedule (1x = 90k, 3x = 270k, 9x = 810k iterations at 16 images, MODEL_ZOO.md "1x ≈ 12 COCO
epochs"). mmdetection-2019: s/iter × epochs (1x = 12, 2x = 24, 20e = 20) × iterations per epoch at
16 images (FPN and RPN models) or 8 (other C4 models) per batch, per its "Common settings". Rows
without a train time keep hours NaN. ViTDet's "train time (s/im)" column has an unclear unit and is
not used.
``configs/Detectron1-Comparisons/README.md`` (detectron2 in Detectron's settings) is read like the
detectron2 zoo. Keypoint rows give ``pose_estimation`` / ``coco_keypoints`` AP records; RPN rows
(no box AP) and non-COCO tables (LVIS, Cityscapes, VOC) are excluded and counted.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.ingest._common import (
    attach_exclusions,
    html_tables,
    markdown_tables,
    records_frame,
    strip_markdown_link,
    to_float,
)
from analysis.vocab.measures import COCO_TRAIN2017_IMAGES

SOURCE = "detection-model-zoos"
LICENCE = "Apache-2.0 (Detectron, mmdetection, detectron2) / MIT (maskrcnn-benchmark)"
PAPERS = {
    "faster": (
        "Faster R-CNN: Towards Real-Time Object Detection with Region Proposal Networks",
        "https://arxiv.org/abs/1506.01497",
    ),
    "fast": ("Fast R-CNN", "https://arxiv.org/abs/1504.08083"),
    "mask": ("Mask R-CNN", "https://arxiv.org/abs/1703.06870"),
    "retinanet": ("Focal Loss for Dense Object Detection", "https://arxiv.org/abs/1708.02002"),
    "cascade": (
        "Cascade R-CNN: Delving into High Quality Object Detection",
        "https://arxiv.org/abs/1712.00726",
    ),
    "htc": ("Hybrid Task Cascade for Instance Segmentation", "https://arxiv.org/abs/1901.07518"),
    "ssd": ("SSD: Single Shot MultiBox Detector", "https://arxiv.org/abs/1512.02325"),
    "panoptic": ("Panoptic Feature Pyramid Networks", "https://arxiv.org/abs/1901.02446"),
    "fbnet": (
        "FBNet: Hardware-Aware Efficient ConvNet Design via Differentiable Neural "
        "Architecture Search",
        "https://arxiv.org/abs/1812.03443",
    ),
    "vitdet": (
        "Exploring Plain Vision Transformer Backbones for Object Detection",
        "https://arxiv.org/abs/2203.16527",
    ),
    "mvitv2": (
        "MViTv2: Improved Multiscale Vision Transformers for Classification and Detection",
        "https://arxiv.org/abs/2112.01526",
    ),
    "lsj": (
        "Simple Copy-Paste is a Strong Data Augmentation Method for Instance Segmentation",
        "https://arxiv.org/abs/2012.07177",
    ),
}
DETECTRON2_ITERATIONS = {"1x": 90_000, "3x": 270_000, "9x": 810_000}
DETECTRON2_BATCH = 16
MMDET_EPOCHS = {"1x": 12, "2x": 24, "20e": 20}


def read(sources_dir: Path) -> pd.DataFrame:
    """All four zoos as tidy records (box AP; keypoint AP for keypoint models)."""
    folder = sources_dir / SOURCE
    rows: list[dict] = []
    excluded: Counter = Counter()
    for reader in (
        _detectron,
        _maskrcnn_benchmark,
        _mmdetection,
        _detectron2,
        _detectron1_comparisons,
        _vitdet,
        _mvitv2,
    ):
        reader(folder, rows, excluded)
    return attach_exclusions(records_frame(rows, SOURCE, LICENCE), excluded)


def _paper(key: str | None) -> dict:
    if key is None or key not in PAPERS:
        return {"paper_title": np.nan, "paper_url": np.nan, "arxiv_id": np.nan}
    title, url = PAPERS[key]
    return {"paper_title": title, "paper_url": url, "arxiv_id": url.rsplit("/", 1)[1]}


def _emit(rows: list, excluded: Counter, base: dict, box_ap: float, kp_ap: float = np.nan) -> None:
    if not np.isnan(box_ap) and not np.isnan(kp_ap):
        excluded["person-only box AP of keypoint models (not COCO detection)"] += 1
    elif not np.isnan(box_ap):
        rows.append(
            {
                **base,
                "task": "object_detection",
                "benchmark": "coco_minival",
                "metric": "box_ap",
                "value": box_ap,
            }
        )
    if not np.isnan(kp_ap):
        rows.append(
            {
                **base,
                "task": "pose_estimation",
                "benchmark": "coco_keypoints",
                "metric": "ap",
                "value": kp_ap,
            }
        )
    if np.isnan(box_ap) and np.isnan(kp_ap):
        excluded["no box/keypoint AP (e.g. RPN proposal rows)"] += 1


def _type_key(text: str) -> str | None:
    lowered = text.lower()
    for key, pattern in (
        ("htc", r"htc|hybrid"),
        ("cascade", r"cascade"),
        ("retinanet", r"retina"),
        ("ssd", r"\bssd"),
        ("panoptic", r"panoptic"),
        ("mask", r"mask|kps|keypoint"),
        ("faster", r"faster"),
        ("fast", r"\bfast"),
    ):
        if re.search(pattern, lowered):
            return key
    return None


def _cells(header: list[str], cells: list[str]) -> dict[str, str]:
    return {name.lower(): value for name, value in zip(header, cells, strict=False)}


def _detectron(folder: Path, rows: list, excluded: Counter) -> None:
    path = "detectron/MODEL_ZOO.md"
    for table in html_tables((folder / path).read_text(encoding="utf-8")):
        for line, cells in table["rows"]:
            row = _cells(table["header"], cells)
            kind = row.get("type", "")
            base = {
                "source_file": f"{SOURCE}/{path}",
                "source_record": f"line {line}",
                **_paper(_type_key(kind)),
                "model": f"{row.get('backbone')} {kind} {row.get('lr schd')}".strip(),
                "score_origin": "library re-training",
                "chip": "NVIDIA P100",
                "chip_count": 8.0,
                "training_hours": to_float(row.get("train time total (hr)")),
                "source_location": f"table at line {table['line']}: 'train time total (hr)'; "
                "8 × Tesla P100 (MODEL_ZOO.md hardware note)",
            }
            _emit(rows, excluded, base, to_float(row.get("box ap")), to_float(row.get("kp ap")))


def _maskrcnn_benchmark(folder: Path, rows: list, excluded: Counter) -> None:
    path = "maskrcnn-benchmark/MODEL_ZOO.md"
    for table in markdown_tables((folder / path).read_text(encoding="utf-8")):
        if "box AP" not in table["header"]:
            continue
        for line, cells in table["rows"]:
            row = _cells(table["header"], [strip_markdown_link(c) for c in cells])
            backbone = row.get("backbone", "")
            kind = row.get("type", "")
            # "Fast" rows here are end-to-end Faster R-CNN configs (e2e_faster_rcnn_*).
            key = (
                "fbnet"
                if "fbnet" in backbone
                else {"fast": "faster"}.get(kind.lower(), _type_key(kind))
            )
            hours = row.get("total train time(hr)", row.get("total train time (hr)"))
            base = {
                "source_file": f"{SOURCE}/{path}",
                "source_record": f"line {line}",
                **_paper(key),
                "model": f"{backbone} {kind} {row.get('lr sched')}",
                "score_origin": "library re-training",
                "chip": "NVIDIA V100",
                "chip_count": 8.0,
                "training_hours": to_float(hours),
                "source_location": f"{table['heading']}: 'total train time (hr)'; 8 × V100",
            }
            kp = to_float(row.get("keypoint ap"))
            _emit(rows, excluded, base, to_float(row.get("box ap")), kp)


def _mmdetection(folder: Path, rows: list, excluded: Counter) -> None:
    path = "mmdetection-2019/MODEL_ZOO.md"
    for table in markdown_tables((folder / path).read_text(encoding="utf-8")):
        if "VOC" in table["heading"]:
            excluded["mmdetection PASCAL VOC rows"] += len(table["rows"])
            continue
        for line, cells in table["rows"]:
            row = _cells(table["header"], [strip_markdown_link(c) for c in cells])
            backbone, schedule = row.get("backbone", ""), row.get("lr schd", "")
            key = _type_key(row.get("type", "") + " " + table["heading"])
            if "Fast R-CNN" in table["heading"]:
                key = "mask" if row.get("type") == "Mask" else "fast"
            hours, note = _mmdet_hours(row, backbone, table["heading"])
            base = {
                "source_file": f"{SOURCE}/{path}",
                "source_record": f"line {line}",
                **_paper(key),
                "model": f"{table['heading']} {backbone} {row.get('style', '')} {schedule}",
                "score_origin": "library re-training",
                "chip": "NVIDIA V100",
                "chip_count": 8.0,
                "epochs": float(MMDET_EPOCHS.get(schedule, np.nan)),
                "training_examples": float(COCO_TRAIN2017_IMAGES),
                "training_hours": hours,
                "source_location": f"{table['heading']}: {note}; 8 × V100",
            }
            _emit(rows, excluded, base, to_float(row.get("box ap")))


def _mmdet_hours(row: dict, backbone: str, heading: str) -> tuple[float, str]:
    seconds = to_float(row.get("train time (s/iter)"))
    epochs = MMDET_EPOCHS.get(row.get("lr schd", ""))
    if np.isnan(seconds) or epochs is None:
        return np.nan, "no train time (s/iter) or unknown schedule"
    batch = 16 if ("FPN" in backbone or heading == "RPN") else 8
    iterations = epochs * math.ceil(COCO_TRAIN2017_IMAGES / batch)
    hours = seconds * iterations / 3600.0
    return hours, f"hours = {seconds} s/iter × {epochs} epochs × {iterations // epochs} iter/epoch"


def _html_rows(folder: Path, path: str) -> Iterator[tuple[str, int, list[str], dict[str, str]]]:
    """(document text, line, cells, cells by lower-case header) of every HTML table row."""
    text = (folder / path).read_text(encoding="utf-8")
    for table in html_tables(text):
        for line, cells in table["rows"]:
            yield text, line, cells, _cells(table["header"], cells)


def _detectron2(folder: Path, rows: list, excluded: Counter) -> None:
    path = "detectron2/MODEL_ZOO.md"
    for text, line, _, row in _html_rows(folder, path):
        config = _config_at(text, line)
        if not re.match(r"(COCO-|Misc/|new_baselines/)", config) or "LVIS" in config:
            excluded["detectron2 non-COCO or unlinked rows"] += 1
            continue
        name = config.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        base = _detectron2_base(path, line, row, name, config)
        _emit(rows, excluded, base, to_float(row.get("box ap")), to_float(row.get("kp. ap")))


def _detectron1_comparisons(folder: Path, rows: list, excluded: Counter) -> None:
    path = "detectron2/configs/Detectron1-Comparisons/README.md"
    for text, line, cells, row in _html_rows(folder, path):
        snippet = "\n".join(text.splitlines()[line - 1 : line + 1])
        config = re.search(r'href="([^"]+\.yaml)"', snippet)
        name = config.group(1).rsplit(".", 1)[0] if config else cells[0]
        base = _detectron2_base(path, line, row, name, f"Detectron1-Comparisons/{name}")
        _emit(rows, excluded, base, to_float(row.get("box ap")), to_float(row.get("kp. ap")))


def _config_at(text: str, line: int) -> str:
    snippet = "\n".join(text.splitlines()[line - 1 : line + 1])
    match = re.search(r'href="configs/([^"]+)"', snippet)
    return match.group(1) if match else ""


def _detectron2_base(path: str, line: int, row: dict, name: str, config: str) -> dict:
    schedule = row.get("lr sched", "")
    seconds = to_float(row.get("train time (s/iter)"))
    iterations = DETECTRON2_ITERATIONS.get(schedule)
    hours = seconds * iterations / 3600.0 if iterations else np.nan
    epochs = to_float(row.get("epochs"))
    if iterations and np.isnan(epochs):
        epochs = iterations * DETECTRON2_BATCH / COCO_TRAIN2017_IMAGES
    key = "lsj" if "LSJ" in name else _type_key(name.replace("_", " "))
    note = (
        f"hours = {seconds} s/iter × {iterations} iterations ({schedule})"
        if iterations
        else "no per-iteration time for this schedule"
    )
    return {
        "source_file": f"{SOURCE}/{path}",
        "source_record": f"line {line}: {config}",
        **_paper(key),
        "model": name,
        "score_origin": "library re-training",
        "chip": "NVIDIA V100",
        "chip_count": 8.0,
        "epochs": epochs,
        "training_examples": float(COCO_TRAIN2017_IMAGES),
        "training_hours": hours,
        "source_location": f"{note}; 8 × V100 (Big Basin)",
    }


def _a100_base(path: str, line: int, config: str, key: str, **fields: object) -> dict:
    """Record fields shared by the detectron2 projects trained on 64 A100 GPUs."""
    return {
        "source_file": f"{SOURCE}/{path}",
        "source_record": f"line {line}: {config}",
        **_paper(key),
        "score_origin": "library re-training",
        "chip": "NVIDIA A100",
        "chip_count": 64.0,
        "training_examples": float(COCO_TRAIN2017_IMAGES),
        **fields,
    }


def _vitdet(folder: Path, rows: list, excluded: Counter) -> None:
    path = "detectron2/projects/ViTDet/README.md"
    for text, line, cells, row in _html_rows(folder, path):
        config = _config_at(text, line)
        if not config.startswith("COCO/"):
            excluded["ViTDet LVIS rows"] += 1
            continue
        name = config.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        epochs = re.search(r"_(\d+)ep", name)
        base = _a100_base(
            path, line, config, "vitdet",
            model=f"{cells[0]} ({name})",
            epochs=float(epochs.group(1)) if epochs else np.nan,
            source_location="64 A100 (README); 'train time (s/im)' unit unclear, not used",
        )  # fmt: skip
        _emit(rows, excluded, base, to_float(row.get("box ap")))


def _mvitv2(folder: Path, rows: list, excluded: Counter) -> None:
    path = "detectron2/projects/MViTv2/README.md"
    for text, line, cells, row in _html_rows(folder, path):
        config = _config_at(text, line)
        flops_raw = to_float(row.get("flops", "").rstrip("G")) * 1e9
        base = _a100_base(
            path, line, config, "mvitv2",
            model=f"{cells[0]} {row.get('method')} ({row.get('pre-train')})",
            epochs=to_float(row.get("epochs")),
            flops_per_pass=flops_raw * 2.0,
            flops_convention="multiply-adds",
            flops_per_pass_raw=flops_raw,
            parameters=to_float(row.get("#params", "").rstrip("M")) * 1e6,
            source_location="FLOPS column (fvcore: one multiply-add counted as one FLOP); "
            "64 A100 (README)",
        )  # fmt: skip
        _emit(rows, excluded, base, to_float(row.get("box ap")))
