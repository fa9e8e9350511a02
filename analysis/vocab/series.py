"""Named benchmark series (``benchmark/metric``) that chapters and checks refer to by name.

Part of the vocab stage: imports nothing from the package.
"""

from __future__ import annotations

IMAGENET = "imagenet/top1_accuracy"
"""ImageNet-1k top-1: the study's headline series (its 5% and 1% error targets)."""

HEADLINE_SERIES: dict[str, str] = {
    "image_classification": IMAGENET,
    "object_detection": "coco_test_dev/box_ap",
    "question_answering": "squad11/f1",
    "named_entity_recognition": "conll2003/f1",
    "machine_translation": "wmt2014_en_fr/bleu",
}
"""The study's five original benchmarks, one per task of its first version."""
