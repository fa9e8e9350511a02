"""Readers of leaderboards kept as markdown tables: "WER are we?" README tables
(``wer-are-we``) and NLP-progress pages as of 2024-06 (``nlp-progress-2024``).

Part of the ingest stage; imports vocab only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.ingest import _common
from analysis.ingest._common import RECORD_COLUMNS
from analysis.ingest.leaderboards._common import (
    EXCLUDED_COLUMNS,
    LICENCE_MIT,
    LICENCE_NONE,
    NLP2024_MT_FILE,
    NLP2024_NER_FILE,
    WER_FILE,
    _empty_record,
    _frame,
    date_from_month_year,
    normalise_arxiv_id,
    parse_score,
    year_from_text,
)
from analysis.ingest.leaderboards.sota_extractor import _excl
from analysis.vocab.tasks import metric_slug

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
    (tables found by :func:`analysis.ingest._common.markdown_tables`)."""
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
