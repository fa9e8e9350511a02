"""Tasks, benchmarks and metrics, defined once: direction, bounds and the error of every metric.

Error (the quantity the models fit) is defined here and nowhere else:

* percent metrics, higher better (accuracy, AP, F1, EM, BLEU, PCKh): ``error = 100 - value``;
* lower-is-better metrics with zero perfect (WER, error rates, FID, KID): ``error = value``;
* everything else (inception score, bits per dimension, PSNR, MPJPE in mm, MRR, ...): no error is
  defined; such rows stay in ``results.csv`` (their direction is known) but never enter an error fit
  (``fit_table`` excludes them with the reason "metric not an error").

A raw metric name that is not in :data:`METRIC_ALIASES` has an unknown direction: its rows are not
kept as results and are counted in ``data/reports/exclusions.csv``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

ErrorKind = Literal["complement", "identity", "none"]

TASKS: tuple[str, ...] = (
    "image_classification",
    "object_detection",
    "question_answering",
    "named_entity_recognition",
    "machine_translation",
    "speech_recognition",
    "face_detection",
    "image_generation",
    "pose_estimation",
)


@dataclass(frozen=True)
class Metric:
    """A metric: direction, valid range and how its error is computed."""

    slug: str
    higher_is_better: bool
    lower: float
    upper: float
    error_kind: ErrorKind
    unit: str
    description: str


def _pct(slug: str, description: str) -> Metric:
    return Metric(slug, True, 0.0, 100.0, "complement", "percent", description)


def _pct_low(slug: str, description: str) -> Metric:
    return Metric(slug, False, 0.0, 100.0, "identity", "percent", description)


_METRIC_LIST: tuple[Metric, ...] = (
    _pct("top1_accuracy", "Top-1 accuracy (%)"),
    _pct("top5_accuracy", "Top-5 accuracy (%)"),
    _pct("accuracy", "Accuracy (%), percentage correct"),
    _pct_low("error_rate", "Classification error rate (%)"),
    _pct_low("top1_error", "Top-1 error rate (%)"),
    _pct("box_ap", "COCO box average precision, AP@[.5:.95] (%)"),
    _pct("ap", "Average precision (%)"),
    _pct("ap50", "Average precision at IoU 0.5 (%)"),
    _pct("ap75", "Average precision at IoU 0.75 (%)"),
    _pct("ap_small", "AP on small objects (%)"),
    _pct("ap_medium", "AP on medium objects (%)"),
    _pct("ap_large", "AP on large objects (%)"),
    _pct("ar", "Average recall (%)"),
    _pct("map", "Mean average precision (%)"),
    _pct("mask_ap", "Mask average precision (%)"),
    _pct("f1", "F1 score (%)"),
    _pct("em", "Exact match (%)"),
    _pct("precision", "Precision (%)"),
    _pct("recall", "Recall (%)"),
    _pct("bleu", "BLEU (tokenised, as reported)"),
    _pct("sacrebleu", "SacreBLEU"),
    _pct_low("wer", "Word error rate (%)"),
    _pct_low("per", "Phone error rate (%)"),
    _pct("pckh", "PCKh@0.5 (%)"),
    _pct("pck", "Percentage of correct keypoints (%)"),
    _pct("mean_pck", "Mean PCK (%)"),
    _pct("pck3d", "3D PCK (%)"),
    _pct("auc", "Area under the curve (%)"),
    _pct("rouge_l", "ROUGE-L"),
    _pct("meteor", "METEOR"),
    _pct("miou", "Mean intersection over union (%)"),
    _pct("per_pixel_accuracy", "Per-pixel accuracy (%)"),
    _pct("per_class_accuracy", "Per-class accuracy (%)"),
    _pct("p_at_1", "Precision at 1 (%)"),
    _pct_low("miss_rate", "Log-average miss rate mMR (%)"),
    Metric("fid", False, 0.0, math.inf, "identity", "score", "Frechet Inception Distance"),
    Metric("kid", False, 0.0, math.inf, "identity", "score", "Kernel Inception Distance"),
    Metric("inception_score", True, 1.0, math.inf, "none", "score", "Inception score"),
    Metric(
        "bits_per_dim", False, 0.0, math.inf, "none", "bits", "Negative log-likelihood, bits/dim"
    ),
    Metric("nats", False, 0.0, math.inf, "none", "nats", "Negative log-likelihood, nats"),
    Metric("psnr", True, 0.0, math.inf, "none", "dB", "Peak signal-to-noise ratio"),
    Metric("ssim", True, 0.0, 1.0, "none", "ratio", "Structural similarity"),
    Metric("lpips", False, 0.0, math.inf, "none", "distance", "LPIPS perceptual distance"),
    Metric("mpjpe", False, 0.0, math.inf, "none", "mm", "Mean per-joint position error (mm)"),
    Metric("pa_mpjpe", False, 0.0, math.inf, "none", "mm", "Procrustes-aligned MPJPE (mm)"),
    Metric("mae", False, 0.0, math.inf, "none", "score", "Mean absolute error"),
    Metric("mrr", True, 0.0, 100.0, "none", "ratio", "Mean reciprocal rank (scale as reported)"),
)
METRICS: dict[str, Metric] = {m.slug: m for m in _METRIC_LIST}

METRIC_ALIASES: dict[str, str] = {
    "top 1 accuracy": "top1_accuracy",
    "top-1 accuracy": "top1_accuracy",
    "top1 accuracy": "top1_accuracy",
    "top 5 accuracy": "top5_accuracy",
    "top-5 accuracy": "top5_accuracy",
    "accuracy": "accuracy",
    "accuracy (%)": "accuracy",
    "percentage correct": "accuracy",
    "overall accuracy": "accuracy",
    "unpermuted accuracy": "accuracy",
    "permuted accuracy": "accuracy",
    "percentage error": "error_rate",
    "error": "error_rate",
    "classification error": "error_rate",
    "mean error rate": "error_rate",
    "top-1 error rate": "top1_error",
    "box ap": "box_ap",
    "ap": "ap",
    "test ap": "ap",
    "ap50": "ap50",
    "ap75": "ap75",
    "aps": "ap_small",
    "apm": "ap_medium",
    "apl": "ap_large",
    "ar": "ar",
    "map": "map",
    "mean map": "map",
    "map@0.5": "map",
    "mask ap": "mask_ap",
    "f1": "f1",
    "em": "em",
    "precision": "precision",
    "recall": "recall",
    "bleu score": "bleu",
    "bleu": "bleu",
    "sacrebleu": "sacrebleu",
    "word error rate (wer)": "wer",
    "wer": "wer",
    "pckh-0.5": "pckh",
    "pckh": "pckh",
    "pck": "pck",
    "pck@0.2": "pck",
    "mean pck@0.2": "mean_pck",
    "mean pck": "mean_pck",
    "3dpck": "pck3d",
    "auc": "auc",
    "rouge-l": "rouge_l",
    "meteor": "meteor",
    "miou": "miou",
    "per-pixel accuracy": "per_pixel_accuracy",
    "per-class accuracy": "per_class_accuracy",
    "p@1": "p_at_1",
    "mmr": "miss_rate",
    "fid": "fid",
    "frechet inception distance": "fid",
    "kernel inception distance": "kid",
    "inception score": "inception_score",
    "is": "inception_score",
    "bits/dimension": "bits_per_dim",
    "bits per dim": "bits_per_dim",
    "bpd": "bits_per_dim",
    "nats": "nats",
    "psnr": "psnr",
    "ssim": "ssim",
    "lpips": "lpips",
    "average mpjpe (mm)": "mpjpe",
    "mpjpe": "mpjpe",
    "pa-mpjpe": "pa_mpjpe",
    "mae": "mae",
    "mrr": "mrr",
}


def metric_slug(raw_name: str) -> str | None:
    """The metric slug of a raw metric name, or None when its direction is unknown."""
    key = re.sub(r"\s+", " ", raw_name.strip().casefold())
    if key in METRICS:
        return key
    return METRIC_ALIASES.get(key)


def error_of(metric: str, value: float) -> float | None:
    """The error of a score (see module docstring); None when the metric defines no error."""
    kind = METRICS[metric].error_kind
    if kind == "complement":
        return 100.0 - value
    if kind == "identity":
        return value
    return None


def within_bounds(metric: str, value: float) -> bool:
    """Whether a value lies in its metric's valid range."""
    m = METRICS[metric]
    return m.lower <= value <= m.upper


@dataclass(frozen=True)
class Benchmark:
    """A primary benchmark: its task, primary metric and a description."""

    slug: str
    task: str
    primary_metric: str
    description: str


_GENERATION = (
    ("cifar10_generation", "CIFAR-10 (32x32) unconditional/conditional image generation"),
    ("cifar100_generation", "CIFAR-100 image generation"),
    ("imagenet_32_generation", "ImageNet 32x32 image generation"),
    ("imagenet_64_generation", "ImageNet 64x64 image generation"),
    ("imagenet_128_generation", "ImageNet 128x128 image generation"),
    ("imagenet_256_generation", "ImageNet 256x256 image generation"),
    ("lsun_bedroom_256_generation", "LSUN Bedroom 256x256 image generation"),
    ("lsun_churches_256_generation", "LSUN Churches 256x256 image generation"),
    ("lsun_cat_256_generation", "LSUN Cat 256x256 image generation"),
    ("lsun_horse_256_generation", "LSUN Horse 256x256 image generation"),
    ("lsun_car_256_generation", "LSUN Car 256x256 image generation"),
    ("celeba_hq_128_generation", "CelebA-HQ 128x128 image generation"),
    ("celeba_hq_256_generation", "CelebA-HQ 256x256 image generation"),
    ("celeba_hq_1024_generation", "CelebA-HQ 1024x1024 image generation"),
    ("ffhq_generation", "FFHQ (1024x1024) image generation"),
)

PRIMARY_BENCHMARKS: dict[str, Benchmark] = {
    b.slug: b
    for b in (
        Benchmark("imagenet", "image_classification", "top1_accuracy", "ImageNet-1k validation"),
        Benchmark("cifar10", "image_classification", "accuracy", "CIFAR-10 test"),
        Benchmark("cifar100", "image_classification", "accuracy", "CIFAR-100 test"),
        Benchmark("coco_test_dev", "object_detection", "box_ap", "MS COCO test-dev, boxes"),
        Benchmark("coco_minival", "object_detection", "box_ap", "MS COCO minival/val2017, boxes"),
        Benchmark("squad11", "question_answering", "f1", "SQuAD 1.1 test (leaderboard)"),
        Benchmark("squad11_dev", "question_answering", "f1", "SQuAD 1.1 development set"),
        Benchmark("conll2003", "named_entity_recognition", "f1", "CoNLL-2003 English NER"),
        Benchmark("wmt2014_en_fr", "machine_translation", "bleu", "WMT 2014 English-French"),
        Benchmark("wmt2014_en_de", "machine_translation", "bleu", "WMT 2014 English-German"),
        Benchmark("librispeech_test_clean", "speech_recognition", "wer", "LibriSpeech test-clean"),
        Benchmark("librispeech_test_other", "speech_recognition", "wer", "LibriSpeech test-other"),
        Benchmark("switchboard_hub500", "speech_recognition", "wer", "Hub5'00 Switchboard"),
        Benchmark("wider_face_easy", "face_detection", "ap", "WIDER Face validation, easy"),
        Benchmark("wider_face_medium", "face_detection", "ap", "WIDER Face validation, medium"),
        Benchmark("wider_face_hard", "face_detection", "ap", "WIDER Face validation, hard"),
        Benchmark("mpii", "pose_estimation", "pckh", "MPII Human Pose, PCKh@0.5"),
        Benchmark("coco_keypoints", "pose_estimation", "ap", "MS COCO keypoints (test-dev or val)"),
        *(Benchmark(slug, "image_generation", "fid", text) for slug, text in _GENERATION),
    )
}
"""Primary benchmarks; every other benchmark slug in ``results.csv`` is secondary."""


TRAINING_GROUPS: tuple[tuple[str, ...], ...] = (
    ("squad11", "squad11_dev"),
    ("coco_test_dev", "coco_minival"),
    ("librispeech_test_clean", "librispeech_test_other"),
    ("wider_face_easy", "wider_face_medium", "wider_face_hard"),
)
"""Primary benchmarks that are evaluation splits of one training set: a model's training
compute is the same whichever of them it is scored on."""


def same_training(benchmark: str) -> tuple[str, ...]:
    """The benchmark and the others sharing its training set (the benchmark first)."""
    for group in TRAINING_GROUPS:
        if benchmark in group:
            return (benchmark, *(b for b in group if b != benchmark))
    return (benchmark,)


def is_primary(benchmark: str) -> bool:
    """Whether a benchmark slug is one of the primary benchmarks."""
    return benchmark in PRIMARY_BENCHMARKS


def primary_metric(benchmark: str) -> str | None:
    """The metric used for fits on a primary benchmark (None for secondary benchmarks)."""
    b = PRIMARY_BENCHMARKS.get(benchmark)
    return b.primary_metric if b else None


def slugify(text: str) -> str:
    """Lower-case ASCII slug: ``"WMT2016 English-German"`` -> ``wmt2016_english_german``."""
    text = text.casefold().replace("+", " plus ").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")
