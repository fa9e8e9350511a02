"""The one label table of the book: what a reader sees in place of an id.

Series (``benchmark/metric``), compute measures, functional forms, tasks, benchmarks and the
columns the book's tables show, each with a human name (and, where it has one, its unit). Charts
(through :func:`analysis.book.theme.readable`) and reader tables
(:mod:`analysis.book.tables`) take every name from here; an id without an entry gets a readable
fallback built from its parts, never the raw id.

Axis titles with units, the same in every chart of the book, are the upper-case constants.
"""

from __future__ import annotations

import re

from analysis.vocab.forms import FORMS
from analysis.vocab.measures import MEASURES
from analysis.vocab.tasks import METRICS, PRIMARY_BENCHMARKS, TASKS

TRAINING_COMPUTE = "Training compute (FLOP, log scale)"
COMPUTE_PER_PASS = "Compute per forward pass (FLOP, log scale)"
ERROR = "Error (metric units, log scale)"
ERROR_PERCENT = "Error (%, log scale)"
YEAR = "Publication year"
COST_USD = "Cost (US$, log scale)"
EMISSIONS = "Emissions (t CO2e, log scale)"
SLOPE = "Slope of log10 error on log10 compute"
COMPUTE_NEEDED = "Compute needed (FLOP, log scale)"
COMPUTE_NEEDED_POWERS = "Compute needed (FLOP)"
"""For a linear axis of log10 values labelled 10²⁰, 10²¹, ... (:func:`theme.log10_axis`)."""

MEASURE_TITLES: dict[str, str] = {
    "hardware_burden": "Hardware burden (FLOP, log scale)",
    "network_operations": "Network operations (FLOP, log scale)",
    "flops_per_pass": COMPUTE_PER_PASS,
    "epoch_estimate": "Epoch AI training-compute estimate (FLOP, log scale)",
}
"""Axis title for each compute measure."""


def measure_title(measure: str) -> str:
    """The axis title of a compute measure; unknown measures are an error."""
    try:
        return MEASURE_TITLES[measure]
    except KeyError:
        known = sorted(MEASURE_TITLES)
        raise ValueError(f"unknown compute measure {measure!r}; known: {known}") from None


# --- names of ids ------------------------------------------------------------------------------

MEASURE_NAMES: dict[str, str] = {
    "hardware_burden": "Hardware burden",
    "network_operations": "Network operations",
    "flops_per_pass": "Compute per forward pass",
    "epoch_estimate": "Epoch AI estimate",
}
MEASURE_UNIT = "FLOP"
"""Every compute measure is counted in floating-point operations."""

FORM_NAMES: dict[str, str] = {"polynomial": "Polynomial", "exponential": "Exponential"}

TASK_NAMES: dict[str, str] = {
    "image_classification": "Image classification",
    "object_detection": "Object detection",
    "question_answering": "Question answering",
    "named_entity_recognition": "Named-entity recognition",
    "machine_translation": "Machine translation",
    "speech_recognition": "Speech recognition",
    "face_detection": "Face detection",
    "image_generation": "Image generation",
    "pose_estimation": "Pose estimation",
}

BENCHMARK_NAMES: dict[str, str] = {
    "imagenet": "ImageNet",
    "cifar10": "CIFAR-10",
    "cifar100": "CIFAR-100",
    "coco_test_dev": "COCO test-dev",
    "coco_minival": "COCO val",
    "squad11": "SQuAD 1.1 test",
    "squad11_dev": "SQuAD 1.1 dev",
    "conll2003": "CoNLL-2003",
    "wmt2014_en_fr": "WMT14 En–Fr",
    "wmt2014_en_de": "WMT14 En–De",
    "librispeech_test_clean": "LibriSpeech test-clean",
    "librispeech_test_other": "LibriSpeech test-other",
    "switchboard_hub500": "Switchboard Hub5'00",
    "wider_face_easy": "WIDER Face easy",
    "wider_face_medium": "WIDER Face medium",
    "wider_face_hard": "WIDER Face hard",
    "mpii": "MPII Human Pose",
    "coco_keypoints": "COCO keypoints",
    "cifar10_generation": "CIFAR-10 generation",
    "cifar100_generation": "CIFAR-100 generation",
    "imagenet_32_generation": "ImageNet 32×32 generation",
    "imagenet_64_generation": "ImageNet 64×64 generation",
    "imagenet_128_generation": "ImageNet 128×128 generation",
    "imagenet_256_generation": "ImageNet 256×256 generation",
    "lsun_bedroom_256_generation": "LSUN Bedroom 256 generation",
    "lsun_churches_256_generation": "LSUN Churches 256 generation",
    "lsun_cat_256_generation": "LSUN Cat 256 generation",
    "lsun_horse_256_generation": "LSUN Horse 256 generation",
    "lsun_car_256_generation": "LSUN Car 256 generation",
    "celeba_hq_128_generation": "CelebA-HQ 128 generation",
    "celeba_hq_256_generation": "CelebA-HQ 256 generation",
    "celeba_hq_1024_generation": "CelebA-HQ 1024 generation",
    "ffhq_generation": "FFHQ generation",
}

METRIC_SHORT: dict[str, str] = {
    "top1_accuracy": "top-1",
    "top5_accuracy": "top-5",
    "accuracy": "accuracy",
    "error_rate": "error rate",
    "top1_error": "top-1",
    "box_ap": "box AP",
    "ap": "AP",
    "ap50": "AP50",
    "ap75": "AP75",
    "ap_small": "AP small",
    "ap_medium": "AP medium",
    "ap_large": "AP large",
    "ar": "AR",
    "map": "mAP",
    "mask_ap": "mask AP",
    "f1": "F1",
    "em": "EM",
    "bleu": "BLEU",
    "sacrebleu": "SacreBLEU",
    "wer": "WER",
    "per": "PER",
    "pckh": "PCKh",
    "fid": "FID",
    "kid": "KID",
    "inception_score": "Inception score",
    "bits_per_dim": "bits per dimension",
}

SERIES_NAMES: dict[str, str] = {
    "imagenet/top1_accuracy": "ImageNet top-1 error (%)",
    "imagenet/top5_accuracy": "ImageNet top-5 error (%)",
    "cifar10/accuracy": "CIFAR-10 error (%)",
    "cifar100/accuracy": "CIFAR-100 error (%)",
}
"""Series whose name is not the generic '<benchmark> <metric> error (100 − <metric>)'."""

COLUMN_LABELS: dict[str, str] = {
    # identity and context
    "series": "Benchmark and error",
    "benchmark": "Benchmark",
    "benchmarks": "Benchmarks",
    "metric": "Metric",
    "task": "Task",
    "form": "Functional form",
    "measure": "Compute measure",
    "model": "Model",
    "paper_id": "Paper",
    "paper": "Paper",
    "year": "Year",
    "period": "Results published",
    "source": "Source",
    "licence": "Licence",
    "note": "Note",
    "parameter": "Parameter",
    "prior": "Prior",
    "status": "Status",
    "reason": "Reason",
    "target": "Target",
    "interval": "Interval",
    # counts
    "n": "Results",
    "n_obs": "Results",
    "n_rows": "Rows",
    "n_results": "Results",
    "n_papers": "Papers",
    "n_series": "Series",
    "n_fits": "Fits",
    "n_draws": "Posterior draws",
    "n_wrong_sign": "Wrong-sign draws",
    "wrong_sign_draws": "Wrong-sign draws",
    "results": "Results",
    "rows": "Rows",
    "papers": "Papers",
    "with_compute": "With compute",
    "results_primary": "Primary-benchmark results",
    "primary_with_compute": "Primary results with compute",
    # values
    "value": "Reported value",
    "error": "Error (metric units)",
    "target_error": "Target error (metric units)",
    "today_error": "Today's best error (metric units)",
    "todays_best_error": "Today's best error (metric units)",
    "slope": "Slope (log10 error per decade of compute)",
    "intercept": "Intercept",
    "ols_slope": "OLS slope",
    "ols_se": "OLS standard error",
    "r2": "R² (%)",
    "max_rhat": "Largest R-hat",
    "min_ess_bulk": "Smallest bulk ESS",
    "min_ess_tail": "Smallest tail ESS",
    "divergences": "Divergent transitions",
    "n_divergent": "Divergent transitions",
    "seconds": "Sampling time (s)",
    "coverage": "Share inside",
    "coverage_50": "50% interval coverage (%)",
    "coverage_90": "90% interval coverage (%)",
    "mean_crps": "Mean CRPS",
    "crps": "CRPS (log10 scale)",
    "nonfinite_share": "Off-scale draws (%)",
    "compute_flop": "Training compute (FLOP)",
    "log10_flop": "Compute needed (FLOP)",
    "log10_multiplier": "Compute multiplier vs today",
    "log10_usd": "Cost (US$)",
    "log10_t_co2e": "Emissions (t CO2e)",
    "log10_usd_published": "Cost at the study's constant (US$)",
    "log10_t_co2e_published": "Emissions at the study's constant (t CO2e)",
}
"""Reader names (with units) of the columns the book's tables show."""

SERIES_PATTERN = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*/[a-z0-9]+(?:_[a-z0-9]+)*$")
"""What a series id looks like: ``benchmark/metric`` in lower-case slugs."""


def _words(slug: str) -> str:
    """A slug as words, first letter capitalised: ``'foo_bar'`` -> ``'Foo bar'``."""
    text = slug.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def benchmark_name(benchmark: str) -> str:
    """The reader's name of a benchmark."""
    if benchmark in BENCHMARK_NAMES:
        return BENCHMARK_NAMES[benchmark]
    if benchmark in PRIMARY_BENCHMARKS:
        return PRIMARY_BENCHMARKS[benchmark].description
    return _words(benchmark)


def metric_error_name(metric: str) -> str:
    """What the fitted error of a metric is called, with its unit."""
    short = METRIC_SHORT.get(metric, metric.replace("_", " "))
    m = METRICS.get(metric)
    if m is None or m.error_kind == "none":
        return short
    if m.error_kind == "identity":
        return f"{short} (%)" if m.unit == "percent" else short
    return f"{short} error (100 − {short})"


def series_name(series: str) -> str:
    """A series' name: ``'imagenet/top1_accuracy'`` -> ``'ImageNet top-1 error (%)'``."""
    if series in SERIES_NAMES:
        return SERIES_NAMES[series]
    benchmark, _, metric = series.partition("/")
    if not metric:
        return benchmark_name(benchmark)
    return f"{benchmark_name(benchmark)} {metric_error_name(metric)}"


def measure_name(measure: str, *, unit: bool = True) -> str:
    """``'hardware_burden'`` -> ``'Hardware burden (FLOP)'`` (no unit with ``unit=False``)."""
    name = MEASURE_NAMES.get(measure, _words(measure))
    return f"{name} ({MEASURE_UNIT})" if unit else name


def form_name(form: str) -> str:
    """``'polynomial'`` -> ``'Polynomial'``."""
    return FORM_NAMES.get(form, _words(form))


def task_name(task: str) -> str:
    """``'image_classification'`` -> ``'Image classification'``."""
    return TASK_NAMES.get(task, _words(task))


def column_label(column: str) -> str:
    """The reader's header of a table column (units included); unknown columns become words."""
    if column in COLUMN_LABELS:
        return COLUMN_LABELS[column]
    for suffix, text in (("_median", ""), ("_lo", " (low)"), ("_hi", " (high)")):
        if column.endswith(suffix) and column[: -len(suffix)] in COLUMN_LABELS:
            return COLUMN_LABELS[column[: -len(suffix)]] + text
    return _words(column)


VALUE_NAMERS = {
    "series": series_name,
    "measure": lambda m: measure_name(m, unit=False),
    "form": form_name,
    "task": task_name,
    "benchmark": benchmark_name,
}
"""Columns (and chart fields) whose values are ids, and how each id is named."""


def value_label(field: str, value: object) -> object:
    """The reader's name of one id in a labelled field; other values are returned unchanged."""
    namer = VALUE_NAMERS.get(field)
    if namer is None or not isinstance(value, str):
        return value
    return namer(value)


def known_ids() -> dict[str, dict[str, str]]:
    """Every id the book knows, by field: the full label table (series from the vocabulary)."""
    series = {f"{b}/{spec.primary_metric}" for b, spec in PRIMARY_BENCHMARKS.items()}
    series |= set(SERIES_NAMES)
    return {
        "series": {s: series_name(s) for s in sorted(series)},
        "measure": {m: measure_name(m) for m in MEASURES},
        "form": {f: form_name(f) for f in FORMS},
        "task": {t: task_name(t) for t in TASKS},
        "benchmark": {b: benchmark_name(b) for b in PRIMARY_BENCHMARKS},
    }


def replace_series_ids(text: str) -> str:
    """Text with every ``benchmark/metric`` id in it replaced by the series' name."""
    return re.sub(
        r"\b[a-z0-9]+(?:_[a-z0-9]+)*/[a-z0-9]+(?:_[a-z0-9]+)*\b",
        lambda m: (
            series_name(m.group(0)) if m.group(0).partition("/")[2] in METRICS else m.group(0)
        ),
        text,
    )


_SNAKE_IDS = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def replace_ids(text: str) -> str:
    """Text with series ids and snake_case measure and task ids replaced by their names."""
    text = replace_series_ids(text)

    def name(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in MEASURE_NAMES:
            return MEASURE_NAMES[token].lower() if match.start() else MEASURE_NAMES[token]
        if token in TASK_NAMES:
            return TASK_NAMES[token].lower() if match.start() else TASK_NAMES[token]
        return token

    return _SNAKE_IDS.sub(name, text)
