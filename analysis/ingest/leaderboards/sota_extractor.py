"""Readers of the JSON task databases: Papers with Code evaluation tables (2020-08-28 dump,
``pwc-2020-evaluation-tables``), the official SQuAD leaderboard scrape and NLP-progress 2020
(``sota-extractor-leaderboards``).

Part of the ingest stage; imports vocab only.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.ingest._common import RECORD_COLUMNS
from analysis.ingest.leaderboards._common import (
    _METRIC_OVERRIDES,
    _PRIMARY_DATASETS,
    EXCLUDED_COLUMNS,
    FAMILY_ROOTS,
    LICENCE_CC_BY_SA,
    LICENCE_MIT,
    NLP_PROGRESS_FILE,
    PWC_FILE,
    SQUAD_FILE,
    _empty_record,
    _frame,
    normalise_arxiv_id,
    parse_score,
    year_from_text,
)
from analysis.vocab.tasks import METRICS, is_primary, metric_slug, slugify

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
