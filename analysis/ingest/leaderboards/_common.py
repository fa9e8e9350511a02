"""What the leaderboard readers share: source files, licences, score and date parsing.

Part of the ingest stage; imports vocab only.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.ingest import _common
from analysis.ingest._common import RECORD_COLUMNS
from analysis.paths import DATA_DIR

EXCLUDED_COLUMNS: tuple[str, ...] = ("source", "source_file", "source_record", "reason")

PWC_FILE = "pwc-2020-evaluation-tables/evaluation_tables.json"
SQUAD_FILE = "sota-extractor-leaderboards/squad.json"
NLP_PROGRESS_FILE = "sota-extractor-leaderboards/nlp-progress.json"
WER_FILE = "wer-are-we/README.md"
NLP2024_NER_FILE = "nlp-progress-2024/named_entity_recognition.md"
NLP2024_MT_FILE = "nlp-progress-2024/machine_translation.md"

MANUAL_RESULTS_FILE = DATA_DIR / "manual" / "results.csv"

LICENCE_CC_BY_SA = "CC BY-SA 4.0"
LICENCE_MIT = "MIT"
LICENCE_NONE = "none stated"

FAMILY_ROOTS: dict[str, str] = {
    "Image Classification": "image_classification",
    "Object Detection": "object_detection",
    "Question Answering": "question_answering",
    "Named Entity Recognition": "named_entity_recognition",
    "Machine Translation": "machine_translation",
    "Speech Recognition": "speech_recognition",
    "Face Detection": "face_detection",
    "Image Generation": "image_generation",
    "Pose Estimation": "pose_estimation",
}
"""Papers-with-Code task names that root the nine task families (their subtasks are included)."""

_POSE_COCO = {"Pose Estimation", "Keypoint Detection", "Multi-Person Pose Estimation"}
_GENERATION_DATASETS = {
    "CIFAR-10": "cifar10_generation",
    "CIFAR-100": "cifar100_generation",
    "ImageNet 32x32": "imagenet_32_generation",
    "ImageNet 64x64": "imagenet_64_generation",
    "ImageNet 128x128": "imagenet_128_generation",
    "LSUN Bedroom 256 x 256": "lsun_bedroom_256_generation",
    "LSUN Churches 256 x 256": "lsun_churches_256_generation",
    "LSUN Cat 256 x 256": "lsun_cat_256_generation",
    "LSUN Horse 256 x 256": "lsun_horse_256_generation",
    "LSUN Car 256 x 256": "lsun_car_256_generation",
    "CelebA-HQ 128x128": "celeba_hq_128_generation",
    "CelebA-HQ 1024x1024": "celeba_hq_1024_generation",
    "FFHQ": "ffhq_generation",
}
_PRIMARY_DATASETS: dict[tuple[str, str], str] = {
    ("Image Classification", "ImageNet"): "imagenet",
    ("Image Classification", "CIFAR-10"): "cifar10",
    ("Image Classification", "CIFAR-100"): "cifar100",
    ("Object Detection", "COCO test-dev"): "coco_test_dev",
    ("Object Detection", "COCO minival"): "coco_minival",
    ("Question Answering", "SQuAD1.1"): "squad11",
    ("Question Answering", "SQuAD1.1 dev"): "squad11_dev",
    ("Named Entity Recognition", "CoNLL 2003 (English)"): "conll2003",
    ("Machine Translation", "WMT2014 English-French"): "wmt2014_en_fr",
    ("Machine Translation", "WMT 2014 EN-FR"): "wmt2014_en_fr",
    ("Machine Translation", "WMT2014 English-German"): "wmt2014_en_de",
    ("Machine Translation", "WMT 2014 EN-DE"): "wmt2014_en_de",
    ("Speech Recognition", "LibriSpeech test-clean"): "librispeech_test_clean",
    ("Speech Recognition", "LibriSpeech test-other"): "librispeech_test_other",
    ("Speech Recognition", "Switchboard + Hub500"): "switchboard_hub500",
    ("Speech Recognition", "Hub5'00 SwitchBoard"): "switchboard_hub500",
    ("Face Detection", "WIDER Face (Easy)"): "wider_face_easy",
    ("Face Detection", "WIDER Face (Medium)"): "wider_face_medium",
    ("Face Detection", "WIDER Face (Hard)"): "wider_face_hard",
    ("Pose Estimation", "MPII Human Pose"): "mpii",
    **{("Image Generation", k): v for k, v in _GENERATION_DATASETS.items()},
    **{(t, "COCO test-dev"): "coco_keypoints" for t in _POSE_COCO},
}
"""(Papers-with-Code task, dataset) -> primary benchmark slug."""

_METRIC_OVERRIDES: dict[tuple[str, str, str], tuple[str, str]] = {
    ("Keypoint Detection", "COCO", "Test AP"): ("coco_keypoints", "ap"),
    ("Multi-Person Pose Estimation", "COCO", "Test AP"): ("coco_keypoints", "ap"),
    ("Keypoint Detection", "COCO", "Validation AP"): ("coco_keypoints_val", "ap"),
    ("Multi-Person Pose Estimation", "COCO", "Validation AP"): ("coco_keypoints_val", "ap"),
    ("Speech Recognition", "Hub5'00 SwitchBoard", "SwitchBoard"): ("switchboard_hub500", "wer"),
    ("Speech Recognition", "Hub5'00 SwitchBoard", "CallHome"): ("hub500_callhome", "wer"),
}
"""(task, dataset, raw metric) -> (benchmark, metric) where the generic rule would be wrong."""

_NUMBER_RE = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$", re.IGNORECASE)
_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}


def normalise_arxiv_id(text: str | None) -> str | None:
    """The bare arXiv id (no version) of an arXiv URL or id; None when there is none
    (:func:`analysis.ingest._common.normalise_arxiv_id`, which gives NaN instead).

    >>> normalise_arxiv_id("http://arxiv.org/pdf/1512.03385v1.pdf")
    '1512.03385'
    """
    found = _common.normalise_arxiv_id(text)
    return found if isinstance(found, str) else None


def parse_score(raw: object) -> float | None:
    """A number from a raw cell (``"88.5%"``, ``" 28.5* "``, ``"0.914"``); None if not numeric."""
    if raw is None:
        return None
    text = str(raw).strip().replace(",", "").rstrip("*").strip().rstrip("%").strip()
    if not _NUMBER_RE.match(text):
        return None
    return float(text)


def year_from_text(text: str | None) -> int | None:
    """A four-digit year (1990-2029) in free text, the last one if several."""
    if not text:
        return None
    years = re.findall(r"(?<!\d)(199\d|20[0-2]\d)(?!\d)", text)
    return int(years[-1]) if years else None


def date_from_month_year(text: str | None) -> str | None:
    """ISO month date (day 1 is NOT invented: returns ``YYYY-MM``) from ``"December 2015"`` text."""
    if not text:
        return None
    words = re.findall(r"[A-Za-z]+", text.casefold())
    year = year_from_text(text)
    for word in words:
        for name, number in _MONTHS.items():
            if len(word) >= 3 and name.startswith(word) and year:
                return f"{year:04d}-{number:02d}"
    return None


def _empty_record() -> dict[str, object]:
    return dict.fromkeys(RECORD_COLUMNS)


def _frame(records: list[dict[str, object]], columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=list(columns))
