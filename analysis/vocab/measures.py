"""Compute measures of the study, their units and conversions, from tidy records and hardware.

:data:`MEASURES` is the one list of the training-compute measures the fits use, in the book's
order. Part of the vocab stage: imports nothing from the package.

- Computation per network pass: FLOPs of one forward pass (1 multiply-add = 2 FLOPs).
- Hardware burden: chips × peak FLOP/s per chip × training seconds (an upper bound: peak is not
  achieved). Peak = FP32 for GPUs/CPUs; TPUs publish no FP32 matrix peak, so their bf16 matrix peak
  is used (as Thompson et al.'s own lookup table does: 180 TFLOP/s per 4-chip Cloud TPU v2).
- Network operations: epochs × FLOPs per forward pass × training examples × TRAINING_PASSES_FACTOR.
No imputation: a measure whose ingredient is missing is NaN and the reason says which.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TRAINING_PASSES_FACTOR = 3.0
"""Training FLOP per example per epoch = 3 × forward FLOP (forward + backward ≈ 2 × forward);
the usual convention (Kaplan et al. 2020, arXiv 2001.08361; OpenAI "AI and Compute", 2018)."""

MEASURES: tuple[str, ...] = (
    "hardware_burden",
    "network_operations",
    "flops_per_pass",
    "epoch_estimate",
)
"""The training-compute measures a fit may use, in the book's order."""
DERIVED_MEASURES = ("hardware_burden", "network_operations")
"""Measures computed from other quantities (chips x peak x time; epochs x FLOP x examples x 3)."""

MACS_PER_FLOP = 0.5
SECONDS_PER_HOUR = 3600.0
SECONDS_PER_DAY = 86400.0
SECONDS_PER_YEAR = 365.25 * SECONDS_PER_DAY
JOULES_PER_KWH = 3.6e6
KG_PER_LB = 0.45359237
"""International avoirdupois pound."""
PETAFLOP_S_DAY = 1e15 * SECONDS_PER_DAY
"""One petaflop/s-day = 8.64e19 FLOP."""
TERAFLOP_S_DAY = 1e12 * SECONDS_PER_DAY
"""One teraflop/s-day = 8.64e16 FLOP (unit of OpenAI's "AI and Efficiency" CSV)."""

IMAGENET_TRAIN_IMAGES = 1_281_167
"""ILSVRC-2012 (ImageNet-1k) training images: Russakovsky et al. 2015, IJCV 115:211, Table 2."""
COCO_TRAIN2017_IMAGES = 118_287
"""COCO train2017 images (cocodataset.org download page, 2017 Train images [118K/18GB]; the
instances_train2017.json annotation file lists 118,287 images)."""
SQUAD11_TRAIN_QUESTIONS = 87_599
"""SQuAD 1.1 training questions in train-v1.1.json (Rajpurkar et al. 2016, arXiv 1606.05250,
Table 2 gives 87,599 train / 10,570 dev)."""
WMT14_EN_FR_PAIRS = 36_000_000
"""WMT 2014 English-French: "36M sentences" (Vaswani et al. 2017, arXiv 1706.03762, §5.1)."""
WMT14_EN_DE_PAIRS = 4_500_000
"""WMT 2014 English-German: "about 4.5 million sentence pairs" (Vaswani et al. 2017, §5.1)."""
CIFAR_TRAIN_IMAGES = 50_000
"""CIFAR-10 and CIFAR-100 training images (Krizhevsky 2009, "Learning Multiple Layers of Features
from Tiny Images", §3)."""
WIDER_FACE_TRAIN_IMAGES = 12_880
"""WIDER FACE training images (the 40 % training split of the 32,203 images of Yang et al. 2016,
arXiv 1511.06523): "There are 12,880 images and 159,424 faces in the training set" (Jiang and
Learned-Miller 2016, arXiv 1606.03473, Section III-A; stored text, find_string id 69181675621).
COCO keypoints and MPII are left out: top-down and bottom-up methods count their training
examples differently (person crops or images), so one set size would be wrong for one of them."""

KNOWN_TRAINING_EXAMPLES: dict[str, tuple[float, str]] = {
    "imagenet": (IMAGENET_TRAIN_IMAGES, "ImageNet-1k train, Russakovsky et al. 2015"),
    "coco_minival": (COCO_TRAIN2017_IMAGES, "COCO train2017"),
    "coco_test_dev": (COCO_TRAIN2017_IMAGES, "COCO train2017"),
    "squad11": (SQUAD11_TRAIN_QUESTIONS, "SQuAD 1.1 train, Rajpurkar et al. 2016"),
    "squad11_dev": (SQUAD11_TRAIN_QUESTIONS, "SQuAD 1.1 train, Rajpurkar et al. 2016"),
    "wmt2014_en_fr": (WMT14_EN_FR_PAIRS, "WMT14 EN-FR ~36M pairs, Vaswani et al. 2017"),
    "wmt2014_en_de": (WMT14_EN_DE_PAIRS, "WMT14 EN-DE ~4.5M pairs, Vaswani et al. 2017"),
    "cifar10": (CIFAR_TRAIN_IMAGES, "CIFAR-10 train, Krizhevsky 2009"),
    "cifar100": (CIFAR_TRAIN_IMAGES, "CIFAR-100 train, Krizhevsky 2009"),
    **{
        f"wider_face_{split}": (WIDER_FACE_TRAIN_IMAGES, "WIDER FACE train, Yang et al. 2016")
        for split in ("easy", "medium", "hard")
    },
}
"""Training-set sizes used as training_examples when a record gives epochs but no example count."""

MEASURE_COLUMNS = [
    "flops_per_pass",
    "hardware_burden",
    "burden_peak_flops",
    "burden_peak_basis",
    "network_operations",
    "training_examples_used",
    "training_examples_origin",
    "epoch_estimate",
    "reported_training_flops",
    "missing",
]


def macs_to_flops(macs):
    """Multiply-adds → FLOPs (×2)."""
    return macs / MACS_PER_FLOP


def flops_to_macs(flops):
    """FLOPs → multiply-adds (÷2)."""
    return flops * MACS_PER_FLOP


def petaflop_s_days_to_flop(pfs_days: float) -> float:
    """Petaflop/s-days → FLOP."""
    return pfs_days * PETAFLOP_S_DAY


def flop_to_petaflop_s_days(flop: float) -> float:
    """FLOP → petaflop/s-days."""
    return flop / PETAFLOP_S_DAY


def teraflop_s_days_to_flop(tfs_days: float) -> float:
    """Teraflop/s-days → FLOP."""
    return tfs_days * TERAFLOP_S_DAY


def hardware_burden(chip_count, peak_flops_per_s, training_hours):
    """Chips × peak FLOP/s per chip × training seconds (FLOP); NaN propagates."""
    return chip_count * peak_flops_per_s * training_hours * SECONDS_PER_HOUR


def network_operations(
    flops_per_pass, epochs, training_examples, passes_factor: float = TRAINING_PASSES_FACTOR
):
    """Epochs × forward FLOPs per example × examples per epoch × passes factor (FLOP)."""
    return epochs * flops_per_pass * training_examples * passes_factor


def burden_peak(hardware: pd.DataFrame) -> pd.DataFrame:
    """Per chip: the peak FLOP/s used for hardware burden and its basis (fp32 / TPU bf16 matrix)."""
    is_tpu = hardware["kind"].eq("TPU")
    peak = hardware["peak_fp32_flops"].where(~is_tpu, hardware["peak_tensor_flops"])
    basis = np.where(is_tpu, "TPU bf16 matrix peak", "FP32 peak")
    return pd.DataFrame(
        {"chip": hardware["chip"], "burden_peak_flops": peak, "burden_peak_basis": basis}
    ).set_index("chip")


def derive_measures(records: pd.DataFrame, hardware: pd.DataFrame) -> pd.DataFrame:
    """Per record (same index): the compute measures where their ingredients exist, else NaN,
    with 'missing' naming absent ingredients per measure (";"-separated)."""
    peaks = burden_peak(hardware)
    chip = records["chip"]
    peak = chip.map(peaks["burden_peak_flops"]).astype(float)
    basis = chip.map(peaks["burden_peak_basis"])
    examples, origin = _training_examples(records)
    out = pd.DataFrame(index=records.index)
    out["flops_per_pass"] = records["flops_per_pass"].astype(float)
    out["hardware_burden"] = hardware_burden(
        records["chip_count"].astype(float), peak, records["training_hours"].astype(float)
    )
    out["burden_peak_flops"] = peak
    out["burden_peak_basis"] = basis.where(peak.notna())
    out["network_operations"] = network_operations(
        out["flops_per_pass"], records["epochs"].astype(float), examples
    )
    out["training_examples_used"] = examples
    out["training_examples_origin"] = origin
    method = records["training_flops_method"]
    flops = records["training_flops"].astype(float)
    out["epoch_estimate"] = flops.where(method.eq("epoch_estimate"))
    out["reported_training_flops"] = flops.where(method.eq("reported"))
    out["missing"] = _missing_reasons(records, peak, examples)
    return out[MEASURE_COLUMNS]


def _training_examples(records: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    own = records["training_examples"].astype(float)
    known = records["benchmark"].map(lambda b: KNOWN_TRAINING_EXAMPLES.get(b, (np.nan, None)))
    default = known.map(lambda pair: pair[0]).astype(float)
    use_default = own.isna() & records["epochs"].notna() & default.notna()
    examples = own.where(~use_default, default)
    origin = pd.Series(np.where(own.notna(), "record", None), index=records.index, dtype=object)
    origin = origin.where(~use_default, known.map(lambda pair: pair[1]))
    return examples, origin


def _missing_reasons(records: pd.DataFrame, peak: pd.Series, examples: pd.Series) -> pd.Series:
    def reasons(index) -> str:
        row = records.loc[index]
        parts = []
        burden = [
            name
            for name, ok in (
                ("chip", pd.notna(row["chip"])),
                ("peak FLOP/s for this chip", pd.isna(row["chip"]) or pd.notna(peak.loc[index])),
                ("chip_count", pd.notna(row["chip_count"])),
                ("training_hours", pd.notna(row["training_hours"])),
            )
            if not ok
        ]
        if burden:
            parts.append("hardware_burden: no " + ", ".join(burden))
        operations = [
            name
            for name, ok in (
                ("flops_per_pass", pd.notna(row["flops_per_pass"])),
                ("epochs", pd.notna(row["epochs"])),
                ("training_examples", pd.notna(examples.loc[index])),
            )
            if not ok
        ]
        if operations:
            parts.append("network_operations: no " + ", ".join(operations))
        if pd.isna(row["training_flops"]):
            parts.append("training_flops: none given")
        return "; ".join(parts)

    return pd.Series([reasons(i) for i in records.index], index=records.index, dtype=object)


def kg_from_lb(lb: float | np.ndarray, kg_per_lb: float = KG_PER_LB) -> float | np.ndarray:
    """Kilograms from pounds (international avoirdupois pound)."""
    return np.asarray(lb, dtype=float) * kg_per_lb


def lb_from_kg(kg: float | np.ndarray, kg_per_lb: float = KG_PER_LB) -> float | np.ndarray:
    """Pounds from kilograms."""
    return np.asarray(kg, dtype=float) / kg_per_lb
