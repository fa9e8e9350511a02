"""Hardware table (peak FLOP/s, TDP, release, price per chip) and free-text → canonical chip names.

Each canonical chip is looked up, field by field, in this priority order (see each PROVENANCE):
1. ``epoch-ml-hardware/Chip dataset-ML Hardware.csv`` (Epoch's curated ML accelerators),
2. ``epoch-ai-models/Chip dataset-Grid view.csv`` (Epoch's full chip database),
3. ``mlco2-impact/gpus.csv`` (ML CO2 Impact; TFLOPS32/TFLOPS16/TDP),
4. ``computerprogress-hardware/gpu.csv`` (Thompson et al.'s own GFLOPS lookup, GPUs only).
``source``/``source_record`` name the first table that has the chip; ``filled_from`` lists fields
taken from a later table. ML CO2's rows for TPUs and the H100 NVL are not used (their "TFLOPS32"
column holds tensor-core/bf16 figures there). Values are per chip (a TPU chip, not a Cloud TPU
device of 4 chips or a pod).

Name-mapping decisions (documented, not data): every V100 variant (PCIe/SXM2/SXM3, 16/32 GB) maps to
Epoch's generic "NVIDIA V100" (15.67 TFLOP/s FP32), every A100 variant to "NVIDIA A100". "GTX
TITAN X" is the 2015 Maxwell card; a bare "Titan X" (no "GTX", "Pascal" or "Xp") is ambiguous (the
2016 Pascal card was also sold as "NVIDIA TITAN X") and maps to None, as do strings naming two
different chips and TPUs without a version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

EPOCH_ML_FILE = "epoch-ml-hardware/Chip dataset-ML Hardware.csv"
EPOCH_CHIPS_FILE = "epoch-ai-models/Chip dataset-Grid view.csv"
MLCO2_FILE = "mlco2-impact/gpus.csv"
COMPUTERPROGRESS_GPU_FILE = "computerprogress-hardware/gpu.csv"

HARDWARE_COLUMNS = [
    "chip",
    "vendor",
    "kind",
    "peak_fp32_flops",
    "peak_fp16_flops",
    "peak_tensor_flops",
    "tdp_watts",
    "release_date",
    "launch_price_usd",
    "source",
    "source_record",
    "filled_from",
]
VALUE_FIELDS = (
    "peak_fp32_flops",
    "peak_fp16_flops",
    "peak_tensor_flops",
    "tdp_watts",
    "release_date",
    "launch_price_usd",
)


@dataclass(frozen=True)
class Chip:
    """A canonical chip: name, vendor, kind, free-text pattern and its key in each source table."""

    name: str
    vendor: str
    kind: str
    pattern: str
    epoch_ml: str | None = None
    epoch_chips: str | None = None
    mlco2: str | None = None
    computerprogress: str | None = None


CHIPS: tuple[Chip, ...] = (
    Chip(
        "NVIDIA Tesla V100S PCIe 32 GB",
        "NVIDIA",
        "GPU",
        r"v100s",
        "NVIDIA Tesla V100S PCIe 32 GB",
        "NVIDIA Tesla V100S PCIe 32 GB",
    ),
    Chip(
        "NVIDIA V100",
        "NVIDIA",
        "GPU",
        r"v[\s-]?100(?!s)",
        "NVIDIA V100",
        "NVIDIA Tesla V100 SXM2",
        "Tesla V100-SXM2-16GB",
        "Tesla V100 SXM2 16 GB",
    ),
    Chip("NVIDIA A800", "NVIDIA", "GPU", r"a800", "NVIDIA A800", "NVIDIA A800 PCIe 40 GB"),
    Chip("NVIDIA A100", "NVIDIA", "GPU", r"a100", "NVIDIA A100", "NVIDIA A100", "A100 SXM4 80 GB"),
    Chip(
        "NVIDIA H100 PCIe", "NVIDIA", "GPU", r"h100.*pcie", "NVIDIA H100 PCIe", "NVIDIA H100 PCIe"
    ),
    Chip("NVIDIA H100 NVL", "NVIDIA", "GPU", r"h100.*nvl", None, "NVIDIA H100 NVL"),
    Chip(
        "NVIDIA H100 SXM5 80GB",
        "NVIDIA",
        "GPU",
        r"h100",
        "NVIDIA H100 SXM5 80GB",
        "NVIDIA H100 SXM5 80GB",
        "H100 SXM",
    ),
    Chip("NVIDIA H800 SXM5", "NVIDIA", "GPU", r"h800", None, "NVIDIA H800 SXM5"),
    Chip(
        "NVIDIA P100",
        "NVIDIA",
        "GPU",
        r"p[\s-]?100",
        "NVIDIA P100",
        "NVIDIA P100",
        "Tesla P100",
        "Tesla P100 PCIe 16 GB",
    ),
    Chip("NVIDIA P40", "NVIDIA", "GPU", r"\bp40\b", "NVIDIA P40", "NVIDIA P40"),
    Chip("NVIDIA Tesla P4", "NVIDIA", "GPU", r"\bp4\b", "NVIDIA Tesla P4", "NVIDIA Tesla P4"),
    Chip("NVIDIA Tesla T4", "NVIDIA", "GPU", r"\bt4\b", "NVIDIA Tesla T4", "NVIDIA Tesla T4", "T4"),
    Chip(
        "NVIDIA Tesla K80",
        "NVIDIA",
        "GPU",
        r"k80",
        "NVIDIA Tesla K80",
        "NVIDIA Tesla K80",
        "Tesla K80",
        "Tesla K80",
    ),
    Chip(
        "NVIDIA Tesla K40",
        "NVIDIA",
        "GPU",
        r"k40",
        "NVIDIA Tesla K40s",
        "NVIDIA Tesla K40c",
        "Tesla K40c",
        "Tesla K40c",
    ),
    Chip("NVIDIA Tesla K20", "NVIDIA", "GPU", r"k20", "NVIDIA Tesla K20c", "NVIDIA Tesla K20c"),
    Chip(
        "NVIDIA Tesla M60",
        "NVIDIA",
        "GPU",
        r"\bm60\b",
        "NVIDIA TESLA M60",
        "NVIDIA TESLA M60",
        None,
        "Tesla M60",
    ),
    Chip("NVIDIA M40", "NVIDIA", "GPU", r"\bm40\b", "NVIDIA M40", "NVIDIA M40", "Tesla M40 24GB"),
    Chip(
        "NVIDIA GeForce GTX 1080 Ti",
        "NVIDIA",
        "GPU",
        r"1080\s*-?\s*ti",
        "NVIDIA GeForce GTX 1080 Ti",
        "NVIDIA GeForce GTX 1080 Ti",
        "GTX 1080 Ti",
        "GeForce GTX 1080 Ti",
    ),
    Chip(
        "NVIDIA GeForce GTX 1080",
        "NVIDIA",
        "GPU",
        r"1080(?!\s*-?\s*ti)",
        "NVIDIA GeForce GTX 1080",
        "NVIDIA GeForce GTX 1080",
        "GTX 1080",
    ),
    Chip(
        "NVIDIA GeForce RTX 2080 Ti",
        "NVIDIA",
        "GPU",
        r"2080\s*-?\s*ti",
        "NVIDIA GeForce RTX 2080 Ti",
        "NVIDIA GeForce RTX 2080 Ti 11GB",
        "RTX 2080 Ti",
        "GeForce RTX 2080 Ti",
    ),
    Chip(
        "NVIDIA GeForce RTX 2080",
        "NVIDIA",
        "GPU",
        r"2080(?!\s*-?\s*(ti|super))",
        None,
        "NVIDIA GeForce RTX 2080",
        "RTX 2080",
        "GeForce RTX 2080",
    ),
    Chip(
        "NVIDIA GeForce RTX 2070",
        "NVIDIA",
        "GPU",
        r"2070(?!\s*-?\s*super)",
        None,
        "NVIDIA GeForce RTX 2070",
        None,
        "GeForce RTX 2070",
    ),
    Chip(
        "NVIDIA GeForce RTX 3090 Ti",
        "NVIDIA",
        "GPU",
        r"3090\s*-?\s*ti",
        "NVIDIA GeForce RTX 3090 Ti",
        "NVIDIA GeForce RTX 3090 Ti",
    ),
    Chip(
        "NVIDIA GeForce RTX 3090",
        "NVIDIA",
        "GPU",
        r"3090",
        "NVIDIA GeForce RTX 3090",
        "NVIDIA GeForce RTX 3090",
        "RTX 3090",
    ),
    Chip(
        "NVIDIA GeForce RTX 3080",
        "NVIDIA",
        "GPU",
        r"3080(?!\s*-?\s*ti)",
        "NVIDIA GeForce RTX 3080",
        "NVIDIA GeForce RTX 3080",
        "RTX 3080",
    ),
    Chip(
        "NVIDIA GeForce RTX 4090",
        "NVIDIA",
        "GPU",
        r"4090",
        "NVIDIA GeForce RTX 4090",
        "NVIDIA GeForce RTX 4090",
        "RTX 4090",
    ),
    Chip(
        "NVIDIA RTX A6000",
        "NVIDIA",
        "GPU",
        r"rtx\s*a6000|^a6000",
        "NVIDIA RTX A6000",
        "NVIDIA RTX A6000",
        "RTX A6000",
    ),
    Chip(
        "NVIDIA RTX A5000",
        "NVIDIA",
        "GPU",
        r"rtx\s*a5000",
        "NVIDIA RTX A5000",
        "NVIDIA RTX A5000",
        "RTX A5000",
    ),
    Chip("NVIDIA A40 PCIe", "NVIDIA", "GPU", r"\ba40\b", "NVIDIA A40 PCIe", "NVIDIA A40 PCIe"),
    Chip("NVIDIA A10G", "NVIDIA", "GPU", r"a10g", "NVIDIA A10G", "NVIDIA A10G", "A10G"),
    Chip(
        "NVIDIA Quadro RTX 8000",
        "NVIDIA",
        "GPU",
        r"rtx\s*8000",
        "NVIDIA Quadro RTX 8000",
        "NVIDIA Quadro RTX 8000",
        "RTX 8000",
    ),
    Chip(
        "NVIDIA Quadro RTX 6000",
        "NVIDIA",
        "GPU",
        r"quadro\s*rtx\s*6000",
        "NVIDIA Quadro RTX 6000",
        "NVIDIA Quadro RTX 6000",
    ),
    Chip(
        "NVIDIA Quadro P6000",
        "NVIDIA",
        "GPU",
        r"p6000",
        "NVIDIA Quadro P6000",
        "NVIDIA Quadro P6000",
        "Quadro P6000",
    ),
    Chip(
        "NVIDIA TITAN RTX", "NVIDIA", "GPU", r"titan\s*rtx", None, "NVIDIA TITAN RTX", "Titan RTX"
    ),
    Chip(
        "NVIDIA TITAN Xp",
        "NVIDIA",
        "GPU",
        r"titan\s*xp|\bxp\s+gpu",
        "NVIDIA TITAN Xp",
        "NVIDIA TITAN Xp",
        "Titan Xp",
        "GeForce Titan Xp",
    ),
    Chip(
        "NVIDIA TITAN X Pascal",
        "NVIDIA",
        "GPU",
        r"titan\s*x\s*\(?pascal",
        None,
        "NVIDIA TITAN X Pascal",
        "TITAN X Pascal",
        "GeForce Titan X",
    ),
    Chip(
        "NVIDIA GeForce GTX TITAN X",
        "NVIDIA",
        "GPU",
        r"gtx\s*titan\s*x(?!p)",
        "NVIDIA GeForce GTX TITAN X",
        "NVIDIA GeForce GTX TITAN X",
        "GTX TITAN X",
        "GeForce GTX Titan X",
    ),
    Chip("NVIDIA Titan V", "NVIDIA", "GPU", r"titan\s*v\b", "NVIDIA Titan V", None, "Titan V"),
    Chip(
        "NVIDIA GeForce GTX TITAN",
        "NVIDIA",
        "GPU",
        r"gtx\s*titan(?!\s*(x|black|z))",
        "NVIDIA GeForce GTX TITAN",
        "NVIDIA GeForce GTX TITAN",
    ),
    Chip(
        "NVIDIA Quadro K6000",
        "NVIDIA",
        "GPU",
        r"k6000",
        "NVIDIA Quadro K6000",
        "NVIDIA Quadro K6000",
        "Quadro K6000",
    ),
    Chip(
        "NVIDIA Quadro P600",
        "NVIDIA",
        "GPU",
        r"quadro\s*p600\b",
        "NVIDIA Quadro P600",
        "NVIDIA Quadro P600",
    ),
    Chip(
        "NVIDIA GTX Titan Black",
        "NVIDIA",
        "GPU",
        r"titan\s*black",
        "NVIDIA GTX Titan Black",
        "NVIDIA GTX Titan Black",
    ),
    Chip(
        "NVIDIA GeForce GTX 980",
        "NVIDIA",
        "GPU",
        r"gtx\s*980",
        "NVIDIA GeForce GTX 980",
        "NVIDIA GeForce GTX 980",
    ),
    Chip(
        "NVIDIA GeForce GTX 780",
        "NVIDIA",
        "GPU",
        r"gtx\s*780",
        "NVIDIA GeForce GTX 780",
        "NVIDIA GeForce GTX 780",
    ),
    Chip(
        "NVIDIA GeForce GTX 580",
        "NVIDIA",
        "GPU",
        r"gtx\s*580",
        "NVIDIA GeForce GTX 580",
        "NVIDIA GeForce GTX 580",
    ),
    Chip(
        "AMD Radeon Instinct MI250X",
        "AMD",
        "GPU",
        r"mi250x",
        "AMD Radeon Instinct MI250X",
        "AMD Radeon Instinct MI250X",
    ),
    Chip(
        "AMD Radeon Instinct MI250", "AMD", "GPU", r"mi250(?!x)", None, "AMD Radeon Instinct MI250"
    ),
    Chip(
        "Huawei Ascend 910B",
        "Huawei",
        "other",
        r"ascend\s*910b",
        "Huawei Ascend 910B",
        "Huawei Ascend 910B",
    ),
    Chip(
        "Huawei Ascend 910",
        "Huawei",
        "other",
        r"ascend\s*910(?!b)",
        "Huawei Ascend 910",
        "Huawei Ascend 910",
    ),
    Chip("Google TPU v1", "Google", "TPU", r"tpu\s*-?\s*v1\b", "Google TPU v1", "Google TPU v1"),
    Chip("Google TPU v2", "Google", "TPU", r"tpu\s*-?\s*v2", "Google TPU v2", "Google TPU v2"),
    Chip("Google TPU v3", "Google", "TPU", r"tpu\s*-?\s*v3", "Google TPU v3", "Google TPU v3"),
    Chip("Google TPU v4", "Google", "TPU", r"tpu\s*-?\s*v4(?!i)", "Google TPU v4", "Google TPU v4"),
    Chip("Google TPU v5e", "Google", "TPU", r"tpu\s*-?\s*v5e", "Google TPU v5e", "Google TPU v5e"),
    Chip("Google TPU v5p", "Google", "TPU", r"tpu\s*-?\s*v5p", "Google TPU v5p", "Google TPU v5p"),
    Chip(
        "Google TPU v6e Trillium",
        "Google",
        "TPU",
        r"tpu\s*-?\s*v6",
        "Google TPU v6",
        "Google TPU v6e Trillium",
    ),
    Chip("Intel Xeon Platinum 8124M", "Intel", "CPU", r"xeon\s*platinum\s*8124m"),
    Chip(
        "Intel Xeon Gold 6148",
        "Intel",
        "CPU",
        r"xeon\s*gold\s*6148",
        None,
        "Intel Xeon Gold 6148",
        "Intel Xeon Gold 6148",
    ),
)
"""Canonical chips; text matching two different chips is ambiguous (None), not resolved by order."""

_COMPILED = tuple((chip, re.compile(chip.pattern, re.IGNORECASE)) for chip in CHIPS)
CHIP_NAMES = tuple(chip.name for chip in CHIPS)


def canonical_chip(text: str) -> str | None:
    """Canonical chip name for free text ("8x Tesla V100-SXM2-16GB" → "NVIDIA V100"); None if the
    text names no known chip, or names two different chips (e.g. "V100 ... A100")."""
    if not isinstance(text, str) or not text.strip():
        return None
    matched = _matching_chips(text)
    return matched[0] if len(matched) == 1 else None


def _matching_chips(text: str) -> list[str]:
    hits: list[str] = []
    spans: list[tuple[int, int]] = []
    for chip, pattern in _COMPILED:
        match = pattern.search(text)
        if not match:
            continue
        # a more specific chip (listed first) that matched the same place wins (V100S before V100)
        if any(s <= match.start() < e for s, e in spans):
            continue
        hits.append(chip.name)
        spans.append(match.span())
    return list(dict.fromkeys(hits))


_POD_CHIPS = {"Google TPU v2": 256.0, "Google TPU v3": 1024.0}
"""Chips in a full pod: TPU v2 pod = 64 devices × 4 chips; TPU v3 pod = 256 devices × 4 chips
(Jouppi et al. 2020, "A domain-specific supercomputer for training deep neural networks",
CACM 63(7))."""


def tpu_chip_count(text: str) -> float:
    """Chips in a TPU slice named in text: "v3-512" = 512 cores = 256 chips (2 cores per chip),
    "v2-8" = 4 chips, "TPU v3 Pod" = a full pod; NaN if no size is given."""
    if not isinstance(text, str):
        return np.nan
    cores = re.search(r"v[234]\s*-\s*(\d+)", text, re.IGNORECASE)
    if cores:
        return float(int(cores.group(1)) // 2)
    chip = canonical_chip(text)
    if chip in _POD_CHIPS and re.search(r"\bpod\b", text, re.IGNORECASE):
        return _POD_CHIPS[chip]
    return np.nan


def build_hardware_table(sources_dir: Path) -> pd.DataFrame:
    """One row per canonical chip with peak FLOP/s, TDP, release date and price, plus provenance."""
    tables = _source_tables(sources_dir)
    rows = [_chip_row(chip, tables) for chip in CHIPS]
    table = pd.DataFrame(rows, columns=HARDWARE_COLUMNS)
    for column in (
        "peak_fp32_flops",
        "peak_fp16_flops",
        "peak_tensor_flops",
        "tdp_watts",
        "launch_price_usd",
    ):
        table[column] = pd.to_numeric(table[column]).astype("float64")
    return table


def _chip_row(chip: Chip, tables: dict[str, tuple[str, dict[str, dict]]]) -> dict:
    row: dict = {"chip": chip.name, "vendor": chip.vendor, "kind": chip.kind}
    filled: list[str] = []
    keys = {
        "epoch_ml": chip.epoch_ml,
        "epoch_chips": chip.epoch_chips,
        "mlco2": chip.mlco2,
        "computerprogress": chip.computerprogress,
    }
    for table_key, name in keys.items():
        file_name, lookup = tables[table_key]
        values = lookup.get(name) if name else None
        if values is None:
            continue
        if "source" not in row:
            row["source"], row["source_record"] = file_name, name
        for field in VALUE_FIELDS:
            if pd.isna(row.get(field, np.nan)) and pd.notna(values.get(field, np.nan)):
                row[field] = values[field]
                if row["source"] != file_name:
                    filled.append(f"{field}: {file_name} '{name}'")
    row.setdefault("source", np.nan)
    row.setdefault("source_record", np.nan)
    row["filled_from"] = "; ".join(filled) if filled else np.nan
    return row


def _source_tables(sources_dir: Path) -> dict[str, tuple[str, dict[str, dict]]]:
    return {
        "epoch_ml": (
            EPOCH_ML_FILE,
            _epoch_lookup(
                sources_dir / EPOCH_ML_FILE,
                "Name of the hardware",
                "Tensor-FP16 performance (FLOP/s)",
            ),
        ),
        "epoch_chips": (
            EPOCH_CHIPS_FILE,
            _epoch_lookup(
                sources_dir / EPOCH_CHIPS_FILE,
                "Hardware name",
                "Tensor-FP16/BF16 performance (FLOP/s)",
            ),
        ),
        "mlco2": (MLCO2_FILE, _mlco2_lookup(sources_dir / MLCO2_FILE)),
        "computerprogress": (
            COMPUTERPROGRESS_GPU_FILE,
            _computerprogress_lookup(sources_dir / COMPUTERPROGRESS_GPU_FILE),
        ),
    }


def _epoch_lookup(path: Path, name_column: str, tensor_column: str) -> dict[str, dict]:
    frame = pd.read_csv(path, encoding="utf-8-sig")
    lookup = {}
    for _, row in frame.iterrows():
        lookup.setdefault(
            str(row[name_column]).strip(),
            {
                "peak_fp32_flops": _number(row["FP32 (single precision) performance (FLOP/s)"]),
                "peak_fp16_flops": _number(row["FP16 (half precision) performance (FLOP/s)"]),
                "peak_tensor_flops": _number(row[tensor_column]),
                "tdp_watts": _number(row["TDP (W)"]),
                "release_date": row["Release date"] if pd.notna(row["Release date"]) else np.nan,
                "launch_price_usd": _number(row["Release price (USD)"]),
            },
        )
    return lookup


def _mlco2_lookup(path: Path) -> dict[str, dict]:
    frame = pd.read_csv(path, skipinitialspace=True)
    frame.columns = [c.strip() for c in frame.columns]
    return {
        str(row["name"]).strip(): {
            "peak_fp32_flops": _number(row["TFLOPS32"]) * 1e12,
            "peak_fp16_flops": _number(row["TFLOPS16"]) * 1e12,
            "tdp_watts": _number(row["tdp_watts"]),
        }
        for _, row in frame.iterrows()
    }


def _computerprogress_lookup(path: Path) -> dict[str, dict]:
    frame = pd.read_csv(path)
    return {
        str(row["GPU"]).strip(): {
            "peak_fp32_flops": _number(row["GFLOPS"]) * 1e9,
            "tdp_watts": _number(row["TDP"]),
        }
        for _, row in frame.iterrows()
    }


def _number(value: object) -> float:
    try:
        return float(str(value).replace(",", "").replace("$", "")) if pd.notna(value) else np.nan
    except ValueError:
        return np.nan
