"""Shared helpers for the raw-source readers: record schema, identifiers, table parsing."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd

RECORD_COLUMNS: list[str] = [
    "source",
    "source_file",
    "source_record",
    "licence",
    "paper_title",
    "paper_url",
    "arxiv_id",
    "paper_date",
    "year",
    "authors",
    "model",
    "task",
    "benchmark",
    "metric",
    "value",
    "value_reported",
    "score_origin",
    "flops_per_pass",
    "flops_convention",
    "flops_per_pass_raw",
    "parameters",
    "epochs",
    "training_examples",
    "chip",
    "chip_count",
    "training_hours",
    "training_flops",
    "training_flops_method",
    "source_url",
    "source_location",
]
"""The tidy-record columns of every reader (compute sources here, leaderboards in
:mod:`analysis.ingest.leaderboards`); ``value_reported`` is the score as the source wrote it."""

NUMERIC_COLUMNS = (
    "year",
    "value",
    "flops_per_pass",
    "flops_per_pass_raw",
    "parameters",
    "epochs",
    "training_examples",
    "chip_count",
    "training_hours",
    "training_flops",
)

SCORE_ORIGINS = ("paper", "library re-evaluation", "library re-training")
FLOPS_CONVENTIONS = ("FLOPs", "multiply-adds")
MACS_TO_FLOPS = 2.0
"""One multiply-add (MAC) counts as two FLOPs."""

EMAIL_PATTERN = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")

_ARXIV_URL = re.compile(
    r"arxiv\.org/(?:abs|pdf|html|format)/(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?",
    re.IGNORECASE,
)
_ARXIV_PATTERN = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html)/|arxiv[:\s]*|^)(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?",
    re.IGNORECASE,
)


def normalise_arxiv_id(text: object) -> str | float:
    """arXiv id in a URL or string, without version: new style ("1512.03385") anywhere, old
    style ("cs/0101001") in an arxiv.org URL; NaN if none.

    >>> normalise_arxiv_id("http://arxiv.org/pdf/1512.03385v1.pdf")
    '1512.03385'
    """
    if not isinstance(text, str):
        return np.nan
    text = text.strip()
    match = _ARXIV_URL.search(text) or _ARXIV_PATTERN.search(text)
    return match.group(1) if match else np.nan


def year_from_arxiv(arxiv_id: object) -> float:
    """Submission year encoded in a new-style arXiv id (YYMM.NNNNN), NaN if none."""
    if not isinstance(arxiv_id, str) or not re.fullmatch(r"\d{4}\.\d{4,5}", arxiv_id):
        return np.nan
    return float(2000 + int(arxiv_id[:2]))


_CVF_YEAR = re.compile(r"thecvf\.com/content_?(?:cvpr|iccv|eccv|wacv)_(\d{4})", re.IGNORECASE)


def year_from_url(url: object) -> float:
    """Publication year from a paper URL: arXiv id (YYMM) or a CVF open-access path
    ("openaccess.thecvf.com/content_cvpr_2017/...") ; NaN otherwise."""
    if not isinstance(url, str):
        return np.nan
    year = year_from_arxiv(normalise_arxiv_id(url))
    if not np.isnan(year):
        return year
    match = _CVF_YEAR.search(url)
    return float(match.group(1)) if match else np.nan


def records_frame(rows: list[dict], source: str, licence: str) -> pd.DataFrame:
    """Build a frame with exactly RECORD_COLUMNS (missing → NaN) from per-record dicts."""
    frame = pd.DataFrame(rows, columns=RECORD_COLUMNS)
    frame["source"] = source
    frame["licence"] = licence
    for column in NUMERIC_COLUMNS:
        numbers = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        bad = numbers.isna() & frame[column].notna()
        if bad.any():
            first = frame[bad].iloc[0]
            raise ValueError(
                f"{first['source_file']}, {first['source_record']}, column {column}: "
                f"not a number ({first[column]!r})"
            )
        frame[column] = numbers
    text_columns = [c for c in RECORD_COLUMNS if c not in NUMERIC_COLUMNS]
    frame[text_columns] = frame[text_columns].astype("object")
    frame["source_record"] = frame["source_record"].astype(str)
    if frame["year"].isna().any():
        frame["year"] = frame["year"].fillna(frame["arxiv_id"].map(year_from_arxiv))
        frame["year"] = frame["year"].fillna(frame["paper_url"].map(year_from_url))
    return frame


def require_columns(frame: pd.DataFrame, columns: list[str] | tuple[str, ...], path: Path) -> None:
    """Raise ValueError naming the file and the missing columns if any is absent."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")


def attach_exclusions(frame: pd.DataFrame, excluded: Counter) -> pd.DataFrame:
    """Record in frame.attrs['excluded'] how many source rows were left out, per reason."""
    frame.attrs["excluded"] = dict(excluded)
    return frame


def to_float(text: object) -> float:
    """A number from a table cell ("1,014.45", "75.56%", "-" → NaN)."""
    if text is None:
        return np.nan
    if isinstance(text, int | float):
        return float(text)
    cleaned = str(text).strip().replace(",", "").rstrip("%").strip()
    if cleaned in {"", "-", "—", "N/A", "n/a", "nan", "None"}:
        return np.nan
    try:
        return float(cleaned)
    except ValueError:
        return np.nan


def relative(path: Path, sources_dir: Path) -> str:
    """Path of a source file relative to the sources directory, with forward slashes."""
    return path.relative_to(sources_dir).as_posix()


class _TableParser(HTMLParser):
    """Collect every HTML <table> as a list of rows of cell texts, noting header cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._line = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append({"header": [], "rows": [], "line": self.getpos()[0]})
        elif tag == "tr" and self.tables:
            self._row = []
            self._line = self.getpos()[0]
        elif tag in {"td", "th"} and self.tables:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None and self.tables:
            text = re.sub(r"\s+", " ", "".join(self._cell)).strip()
            self._cell = None
            if tag == "th":
                self.tables[-1]["header"].append(text)
            elif self._row is not None:
                self._row.append(text)
        elif tag == "tr" and self._row is not None and self.tables:
            if self._row:
                self.tables[-1]["rows"].append((self._line, self._row))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data.replace("\xa0", " "))


def html_tables(text: str) -> list[dict]:
    """HTML tables in a document: dicts with 'header' (list), 'rows' [(line, cells)], 'line'."""
    parser = _TableParser()
    parser.feed(text)
    return parser.tables


def markdown_tables(text: str) -> list[dict]:
    """Pipe tables in a markdown document: dicts with 'header', 'rows' [(line, cells)], 'line',
    and 'heading' (the nearest preceding markdown heading)."""
    tables: list[dict] = []
    lines = text.splitlines()
    heading = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.lstrip().startswith("#"):
            heading = line.strip().lstrip("#").strip()
        is_separator = index + 1 < len(lines) and re.fullmatch(
            r"\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*", lines[index + 1]
        )
        if "|" in line and is_separator:
            table = {"header": _split_pipe(line), "rows": [], "line": index + 1, "heading": heading}
            index += 2
            while index < len(lines) and "|" in lines[index] and lines[index].strip():
                table["rows"].append((index + 1, _split_pipe(lines[index])))
                index += 1
            tables.append(table)
            continue
        index += 1
    return tables


def _split_pipe(line: str) -> list[str]:
    cells = line.strip()
    cells = cells.removeprefix("|").removesuffix("|")
    return [cell.strip() for cell in cells.split("|")]


def strip_markdown_link(text: str) -> str:
    """'[R-50-C4](configs/x.yaml) (reference)' → 'R-50-C4 (reference)'; removes ** emphasis."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return text.replace("**", "").strip()
