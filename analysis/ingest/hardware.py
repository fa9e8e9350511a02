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

import csv
import re
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.paths import DATA_DIR

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


CHIPS_FILE = DATA_DIR / "manual" / "chips.csv"
"""The canonical-chip table: one row per chip, columns as :class:`Chip` (empty = no key)."""


def read_chips(path: Path = CHIPS_FILE) -> tuple[Chip, ...]:
    """Canonical chips from ``path``; raises ValueError naming the file and line of a bad row."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        expected = [f.name for f in fields(Chip)]
        if reader.fieldnames != expected:
            raise ValueError(f"{path.name}, line 1: header must be {','.join(expected)}")
        chips = []
        for line, row in enumerate(reader, start=2):
            if not all(row[column] for column in ("name", "vendor", "kind", "pattern")):
                raise ValueError(f"{path.name}, line {line}: name, vendor, kind, pattern required")
            chips.append(Chip(**{key: value or None for key, value in row.items()}))
    return tuple(chips)


CHIPS: tuple[Chip, ...] = read_chips()
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


def _scaled_lookup(
    frame: pd.DataFrame, key: str, columns: dict[str, tuple[str, float]]
) -> dict[str, dict]:
    """{key cell: {field: number in ``column`` x ``scale``}} for ``columns`` = {field: (column,
    scale)}."""
    return {
        str(row[key]).strip(): {
            field: _number(row[column]) * scale for field, (column, scale) in columns.items()
        }
        for _, row in frame.iterrows()
    }


def _mlco2_lookup(path: Path) -> dict[str, dict]:
    frame = pd.read_csv(path, skipinitialspace=True)
    frame.columns = [c.strip() for c in frame.columns]
    columns = {
        "peak_fp32_flops": ("TFLOPS32", 1e12),
        "peak_fp16_flops": ("TFLOPS16", 1e12),
        "tdp_watts": ("tdp_watts", 1.0),
    }
    return _scaled_lookup(frame, "name", columns)


def _computerprogress_lookup(path: Path) -> dict[str, dict]:
    columns = {"peak_fp32_flops": ("GFLOPS", 1e9), "tdp_watts": ("TDP", 1.0)}
    return _scaled_lookup(pd.read_csv(path), "GPU", columns)


def _number(value: object) -> float:
    try:
        return float(str(value).replace(",", "").replace("$", "")) if pd.notna(value) else np.nan
    except ValueError:
        return np.nan
