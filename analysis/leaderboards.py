"""Readers for the leaderboard sources (results only, no compute).

* Papers with Code evaluation tables, 2020-08-28 dump (``pwc-2020-evaluation-tables``);
* the official SQuAD leaderboard scrape and NLP-progress 2020 JSON
  (``sota-extractor-leaderboards``);
* "WER are we?" README tables (``wer-are-we``);
* NLP-progress pages as of 2024-06 (``nlp-progress-2024``).

Each reader returns ``(records, excluded)``: tidy records in the shared record format (see
:data:`RECORD_COLUMNS`) and a table of raw rows that were not kept, each with a reason.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.benchmarks import METRICS, is_primary, metric_slug, slugify
from analysis.paths import DATA_DIR
from analysis.sources import _common
from analysis.sources._common import RECORD_COLUMNS

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
    (:func:`analysis.sources._common.normalise_arxiv_id`, which gives NaN instead).

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


# --------------------------------------------------------------------------- Papers with Code


@dataclass(frozen=True)
class _LeaderboardRow:
    family: str
    task: str
    dataset: str
    index: int
    row: dict


def _walk_datasets(datasets: list[dict], prefix: str = "") -> Iterator[tuple[str, list[dict]]]:
    for ds in datasets:
        name = prefix + ds["dataset"].strip()
        rows = (ds.get("sota") or {}).get("rows") or []
        if rows:
            yield name, rows
        yield from _walk_datasets(ds.get("subdatasets") or [], name + " / ")


def _family_of(task_name: str, ancestors: tuple[str, ...]) -> str | None:
    for name in (task_name, *reversed(ancestors)):
        if name in FAMILY_ROOTS:
            return FAMILY_ROOTS[name]
    return None


def _walk_tasks(tasks: list[dict], ancestors: tuple[str, ...] = ()) -> Iterator[tuple[str, dict]]:
    for task in tasks:
        family = _family_of(task["task"], ancestors)
        if family:
            yield family, task
        yield from _walk_tasks(task.get("subtasks") or [], (*ancestors, task["task"]))


def iter_family_rows(taskdb: list[dict]) -> Iterator[_LeaderboardRow]:
    """Leaderboard rows of the nine task families, each (task, dataset) leaderboard once.

    A task that occurs under two families (the dump repeats subtasks) is assigned to the
    family whose root name it contains, else to the first family in task order.
    """
    families: dict[str, set[str]] = {}
    tasks: dict[str, dict] = {}
    for family, task in _walk_tasks(taskdb):
        families.setdefault(task["task"], set()).add(family)
        tasks.setdefault(task["task"], task)
    order = list(FAMILY_ROOTS.values())
    for name in sorted(tasks):
        candidates = sorted(families[name], key=order.index)
        own = [f for root, f in FAMILY_ROOTS.items() if root.casefold() in name.casefold()]
        family = own[0] if own else candidates[0]
        for dataset, rows in _walk_datasets(tasks[name].get("datasets") or []):
            for index, row in enumerate(rows):
                yield _LeaderboardRow(family, name, dataset, index, row)


def pwc_benchmark(task: str, dataset: str) -> str:
    """Benchmark slug of a Papers-with-Code leaderboard (primary mapping, else a derived slug)."""
    if (task, dataset) in _PRIMARY_DATASETS:
        return _PRIMARY_DATASETS[(task, dataset)]
    base = slugify(dataset.replace(" / ", " "))
    slug = base if task in FAMILY_ROOTS else f"{slugify(task)}__{base}"
    if is_primary(slug):
        slug = f"{slug}_other"
    return slug


def pwc_metric(family: str, dataset: str, raw_metric: str) -> str | None:
    """Metric slug of a raw Papers-with-Code metric, with the speech-recognition conventions."""
    if family == "speech_recognition" and raw_metric.strip().casefold() == "percentage error":
        return "per" if "timit" in dataset.casefold() else "wer"
    return metric_slug(raw_metric)


NOT_SCORES = re.compile(
    r"param|flops|fps|inference time|speed|size \(mb\)|training images|reference images|"
    r"search time|gpu days|memory|multi-view|using 2d ground-truth",
    re.IGNORECASE,
)
"""Leaderboard columns that describe the model or setting, not its score."""


def _unknown_metric_reason(raw_metric: str) -> str:
    if NOT_SCORES.search(raw_metric):
        return f"not a score (model size, speed or setting column): {raw_metric}"
    return f"metric direction unknown: {raw_metric}"


def _percent_scale_factor(values: list[float], metric: str) -> float:
    """100 when a percent metric's whole leaderboard column is given as fractions (all <= 1)."""
    if METRICS[metric].unit != "percent" or not values:
        return 1.0
    return 100.0 if max(values) <= 1.0 else 1.0


def _taskdb_records(
    taskdb: list[dict], *, source: str, source_file: str, licence: str, source_url: str
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    records: list[dict[str, object]] = []
    excluded: list[dict[str, object]] = []
    leaderboard_rows: dict[tuple[str, str], list[_LeaderboardRow]] = {}
    for lrow in iter_family_rows(taskdb):
        leaderboard_rows.setdefault((lrow.task, lrow.dataset), []).append(lrow)
    for (task, dataset), lrows in leaderboard_rows.items():
        columns: dict[tuple[str, str, str], list[tuple[_LeaderboardRow, str, float]]] = {}
        for lrow in lrows:
            where = f"{task} | {dataset} | row {lrow.index + 1}"
            metrics = lrow.row.get("metrics") or {}
            if not metrics:
                excluded.append(_excl(source, source_file, where, "no metric values"))
            for raw_metric, raw_value in metrics.items():
                at = f"{where} | {raw_metric}"
                override = _METRIC_OVERRIDES.get((task, dataset, raw_metric))
                benchmark, metric = override or (
                    pwc_benchmark(task, dataset),
                    pwc_metric(lrow.family, dataset, raw_metric),
                )
                if metric is None:
                    excluded.append(
                        _excl(source, source_file, at, _unknown_metric_reason(raw_metric))
                    )
                    continue
                value = parse_score(raw_value)
                if value is None:
                    excluded.append(
                        _excl(source, source_file, at, f"value not numeric: {raw_value!r}")
                    )
                    continue
                columns.setdefault((benchmark, metric, raw_metric), []).append(
                    (lrow, str(raw_value), value)
                )
        for (benchmark, metric, raw_metric), cells in columns.items():
            factor = _percent_scale_factor([v for _, _, v in cells], metric)
            for lrow, raw_value, value in cells:
                record = _empty_record()
                paper_url = (lrow.row.get("paper_url") or "").strip() or None
                record.update(
                    source=source,
                    source_file=source_file,
                    source_record=f"{task} | {dataset} | row {lrow.index + 1} | {raw_metric}",
                    licence=licence,
                    paper_title=(lrow.row.get("paper_title") or "").strip() or None,
                    paper_url=paper_url,
                    arxiv_id=normalise_arxiv_id(paper_url),
                    paper_date=lrow.row.get("paper_date") or None,
                    year=year_from_text(lrow.row.get("paper_date") or "")
                    or year_from_text(lrow.row.get("model_name") or ""),
                    model=(lrow.row.get("model_name") or "").strip() or None,
                    task=lrow.family,
                    benchmark=benchmark,
                    metric=metric,
                    value=value * factor,
                    value_reported=raw_value,
                    score_origin="paper",
                    source_url=source_url,
                    source_location=f"task {task!r}, dataset {dataset!r}, row {lrow.index + 1}",
                )
                records.append(record)
    return records, excluded


def _excl(source: str, source_file: str, where: str, reason: str) -> dict[str, object]:
    return {"source": source, "source_file": source_file, "source_record": where, "reason": reason}


def read_pwc(sources_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Papers with Code evaluation tables (2020-08-28), nine task families with subtasks."""
    path = sources_dir / PWC_FILE
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        taskdb = json.load(handle)
    records, excluded = _taskdb_records(
        taskdb,
        source="pwc_2020",
        source_file=PWC_FILE,
        licence=LICENCE_CC_BY_SA,
        source_url="https://paperswithcode.com/ (evaluation-tables dump 2020-08-28)",
    )
    return _frame(records, RECORD_COLUMNS), _frame(excluded, EXCLUDED_COLUMNS)


def read_squad_leaderboard(sources_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The official SQuAD leaderboard scrape; only SQuAD 1.1 (``paper_date`` = submission date)."""
    taskdb = json.loads((sources_dir / SQUAD_FILE).read_text(encoding="utf-8"))
    for task in taskdb:
        task["datasets"] = [d for d in task.get("datasets", []) if d["dataset"] == "SQuAD1.1"]
    records, excluded = _taskdb_records(
        taskdb,
        source="squad_leaderboard",
        source_file=SQUAD_FILE,
        licence=LICENCE_CC_BY_SA,
        source_url="https://rajpurkar.github.io/SQuAD-explorer/",
    )
    return _frame(records, RECORD_COLUMNS), _frame(excluded, EXCLUDED_COLUMNS)


_NLP_PROGRESS_DATASETS = {
    "CoNLL 2003 (English)": ("Named Entity Recognition", "CoNLL 2003 (English)"),
    "WMT 2014 EN-DE": ("Machine Translation", "WMT 2014 EN-DE"),
    "WMT 2014 EN-FR": ("Machine Translation", "WMT 2014 EN-FR"),
}


def read_nlp_progress_2020(sources_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """NLP-progress (2020-05, JSON): CoNLL-2003 and WMT-2014 tables; years from model labels."""
    taskdb = json.loads((sources_dir / NLP_PROGRESS_FILE).read_text(encoding="utf-8"))
    wanted: dict[str, list[dict]] = {}
    for task in taskdb:
        for dataset in task.get("datasets", []):
            if dataset["dataset"] in _NLP_PROGRESS_DATASETS:
                root, name = _NLP_PROGRESS_DATASETS[dataset["dataset"]]
                wanted.setdefault(root, []).append({**dataset, "dataset": name})
    reshaped = [{"task": root, "datasets": ds, "subtasks": []} for root, ds in wanted.items()]
    records, excluded = _taskdb_records(
        reshaped,
        source="nlp_progress_2020",
        source_file=NLP_PROGRESS_FILE,
        licence=LICENCE_MIT,
        source_url="https://github.com/sebastianruder/NLP-progress",
    )
    return _frame(records, RECORD_COLUMNS), _frame(excluded, EXCLUDED_COLUMNS)


# --------------------------------------------------------------------------- markdown tables

_LINK_RE = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)")


@dataclass(frozen=True)
class MarkdownRow:
    """One row of a markdown table with its section heading and 1-based line number."""

    section: str
    line: int
    cells: dict[str, str]


def markdown_tables(text: str) -> Iterator[MarkdownRow]:
    """Rows of every pipe table in a markdown document, keyed by header cell
    (tables found by :func:`analysis.sources._common.markdown_tables`)."""
    for table in _common.markdown_tables(text):
        for line, cells in table["rows"]:
            yield MarkdownRow(
                table["heading"], line, dict(zip(table["header"], cells, strict=False))
            )


def first_link(cell: str) -> tuple[str | None, str | None]:
    """(text, url) of the first markdown link in a cell."""
    match = _LINK_RE.search(cell or "")
    if not match:
        return None, None
    return match.group("text").strip(), match.group("url").strip()


_WER_TABLES = {
    "LibriSpeech": {
        "WER test-clean": "librispeech_test_clean",
        "WER test-other": "librispeech_test_other",
    },
    "Hub5'00 Evaluation (Switchboard / CallHome)": {
        "WER (SWB)": "switchboard_hub500",
        "WER (CH)": "hub500_callhome",
    },
}


def _markdown_score(
    *,
    source: str,
    source_file: str,
    licence: str,
    source_url: str,
    mrow: MarkdownRow,
    column: str,
    link_cell: str,
    **fields: object,
) -> tuple[dict[str, object] | None, dict[str, object] | None]:
    """(record, None) for a numeric score in ``column`` of a row whose ``link_cell`` links a
    paper, else (None, exclusion with the reason)."""
    raw = mrow.cells.get(column, "")
    where = f"{mrow.section} | line {mrow.line} | {column}"
    title, paper_url = first_link(mrow.cells.get(link_cell, ""))
    value = parse_score(raw)
    if value is None or title is None:
        reason = "no paper link" if title is None else f"value not numeric: {raw!r}"
        return None, _excl(source, source_file, where, reason)
    record = _empty_record()
    record.update(
        source=source,
        source_file=source_file,
        source_record=where,
        licence=licence,
        score_origin="paper",
        source_url=source_url,
        source_location=f"section {mrow.section!r}, line {mrow.line}",
        paper_title=title,
        paper_url=paper_url,
        arxiv_id=normalise_arxiv_id(paper_url),
        value=value,
        value_reported=raw,
        **fields,
    )
    return record, None


def read_wer_are_we(sources_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """LibriSpeech and Hub5'00 WER tables of "WER are we?" ("Humans" rows are not papers)."""
    text = (sources_dir / WER_FILE).read_text(encoding="utf-8")
    records, excluded = [], []
    source, licence = "wer_are_we", LICENCE_NONE
    url = "https://github.com/syhw/wer_are_we"
    for mrow in markdown_tables(text):
        columns = _WER_TABLES.get(mrow.section)
        if not columns:
            continue
        published = mrow.cells.get("Published", "")
        for column, benchmark in columns.items():
            if not mrow.cells.get(column, ""):
                continue
            if "*Humans*" in mrow.cells.get("Paper", ""):
                where = f"{mrow.section} | line {mrow.line} | {column}"
                excluded.append(_excl(source, WER_FILE, where, "human baseline, not a model"))
                continue
            record, exclusion = _markdown_score(
                source=source, source_file=WER_FILE, licence=licence, source_url=url, mrow=mrow,
                column=column, link_cell="Paper", paper_date=date_from_month_year(published),
                year=year_from_text(published), model=mrow.cells.get("Notes") or None,
                task="speech_recognition", benchmark=benchmark, metric="wer",
            )  # fmt: skip
            if record is None:
                excluded.append(exclusion)
            else:
                records.append(record)
    return _frame(records, RECORD_COLUMNS), _frame(excluded, EXCLUDED_COLUMNS)


_NLP2024_TABLES = {
    (NLP2024_NER_FILE, "CoNLL 2003 (English)"): ("named_entity_recognition", "conll2003", "F1"),
    (NLP2024_MT_FILE, "WMT 2014 EN-DE"): ("machine_translation", "wmt2014_en_de", "BLEU"),
    (NLP2024_MT_FILE, "WMT 2014 EN-FR"): ("machine_translation", "wmt2014_en_fr", "BLEU"),
}


def read_nlp_progress_2024(sources_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """NLP-progress 2024-06: CoNLL-2003 F1 and WMT-2014 BLEU tables (years from model labels)."""
    records, excluded = [], []
    source, url = "nlp_progress_2024", "https://github.com/sebastianruder/NLP-progress"
    for source_file in (NLP2024_NER_FILE, NLP2024_MT_FILE):
        text = (sources_dir / source_file).read_text(encoding="utf-8")
        for mrow in markdown_tables(text):
            spec = _NLP2024_TABLES.get((source_file, mrow.section))
            if not spec:
                continue
            task, benchmark, column = spec
            model = re.sub(r"[♦\s]+$", "", mrow.cells.get("Model", "")).strip()
            record, exclusion = _markdown_score(
                source=source, source_file=source_file, licence=LICENCE_MIT, source_url=url,
                mrow=mrow, column=column, link_cell="Paper / Source", year=year_from_text(model),
                model=model or None, task=task, benchmark=benchmark, metric=metric_slug(column),
            )  # fmt: skip
            if record is None:
                excluded.append(exclusion)
            else:
                records.append(record)
    return _frame(records, RECORD_COLUMNS), _frame(excluded, EXCLUDED_COLUMNS)


MANUAL_RESULTS_COLUMNS: tuple[str, ...] = (
    "result_key",
    "arxiv_id",
    "paper_title",
    "paper_url",
    "paper_date",
    "authors",
    "model",
    "task",
    "benchmark",
    "metric",
    "value",
    "source_url",
    "source_location",
    "note",
)
"""Columns of ``data/manual/results.csv``: results read by hand from papers (CONTRIBUTING.md)."""
RESULT_KEY_PATTERN = r"[a-z0-9][a-z0-9.+-]*"
"""A hand-read result's ``result_key``: lower-case slug, e.g. ``roberta-squad11-dev-em``."""


def read_manual_results(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hand-read results; every row must have a unique ``result_key`` slug, name a known task,
    metric, a score in bounds, a paper title and URL, and where in the paper the score is
    (``source_location``). ``source_record`` is ``result_key <key>``: result ids follow the key,
    not the row's line, so inserting or moving rows keeps every id.

    Raises ``ValueError`` naming file, line and column on bad input.
    """
    if not path.exists():
        return _frame([], RECORD_COLUMNS), _frame([], EXCLUDED_COLUMNS)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(frame.columns) != list(MANUAL_RESULTS_COLUMNS):
        raise ValueError(f"{path.name}, line 1: header must be {','.join(MANUAL_RESULTS_COLUMNS)}")
    records = []
    first_line: dict[str, int] = {}
    for index, row in frame.iterrows():
        line = index + 2
        _check_manual_row(path.name, line, row)
        key = row["result_key"]
        if key in first_line:
            raise ValueError(
                f"{path.name}, line {line}, column 'result_key': duplicate {key!r} "
                f"(also on line {first_line[key]})"
            )
        first_line[key] = line
        record = _empty_record()
        record.update(
            source="manual_results",
            source_file=f"data/manual/{path.name}",
            source_record=f"result_key {key}",
            licence="facts read from the cited papers (this project)",
            paper_title=row["paper_title"],
            paper_url=row["paper_url"],
            arxiv_id=normalise_arxiv_id(row["arxiv_id"]) or normalise_arxiv_id(row["paper_url"]),
            paper_date=row["paper_date"] or None,
            year=year_from_text(row["paper_date"]),
            authors=row["authors"] or None,
            model=row["model"] or None,
            task=row["task"],
            benchmark=row["benchmark"],
            metric=row["metric"],
            value=float(row["value"]),
            value_reported=row["value"],
            score_origin="paper",
            source_url=row["source_url"],
            source_location=row["source_location"],
        )
        records.append(record)
    return _frame(records, RECORD_COLUMNS), _frame([], EXCLUDED_COLUMNS)


def _check_manual_row(file: str, line: int, row: pd.Series) -> None:
    from analysis.benchmarks import TASKS, within_bounds

    def fail(column: str, problem: str) -> None:
        raise ValueError(
            f"{file}, line {line}, column {column!r}: {problem} (value: {row[column]!r})"
        )

    for column in (
        "result_key", "paper_title", "paper_url", "task", "benchmark", "metric", "source_location"
    ):  # fmt: skip
        if not row[column].strip():
            fail(column, "required")
    if not re.fullmatch(RESULT_KEY_PATTERN, row["result_key"]):
        fail("result_key", "not a lower-case slug (letters, digits, '.', '+', '-')")
    if row["task"] not in TASKS:
        fail("task", "unknown task")
    if row["metric"] not in METRICS:
        fail("metric", "unknown metric (see analysis/benchmarks.py)")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_]*", row["benchmark"]):
        fail("benchmark", "not a benchmark slug")
    value = parse_score(row["value"])
    if value is None or not within_bounds(row["metric"], value):
        fail("value", "not a number within the metric's bounds")
    if row["paper_date"] and not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", row["paper_date"]):
        fail("paper_date", "not YYYY-MM-DD or YYYY-MM")


LEADERBOARD_READERS = (
    read_pwc,
    read_squad_leaderboard,
    read_nlp_progress_2020,
    read_wer_are_we,
    read_nlp_progress_2024,
)


def read_leaderboards(sources_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All leaderboard records (and hand-read results) and exclusions, in reader order."""
    parts = [reader(sources_dir) for reader in LEADERBOARD_READERS]
    parts.append(read_manual_results(MANUAL_RESULTS_FILE))
    records = pd.concat([p[0] for p in parts], ignore_index=True)
    excluded = pd.concat([p[1] for p in parts], ignore_index=True)
    return records, excluded
