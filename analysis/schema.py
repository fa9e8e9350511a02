"""Schemas of the committed tables (pandera) and the checks that span tables.

Every failure is raised as :class:`DataValidationError`, whose message names the file, the
1-based line of the CSV (the header is line 1, the first data row line 2), the column and the
offending value.

Part of the data stage, with :mod:`analysis.data`: the contract between curation, which writes
the tables, and everything that reads them. May import: :mod:`analysis.vocab` only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from analysis.vocab.tasks import METRICS, TASKS


def build_date() -> dt.date:
    """The day of the build: ``$SOURCE_DATE_EPOCH`` (the reproducible-builds convention) if set,
    else today. No date in the data may lie after it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


DATE_MIN = "1950-01-01"
DATE_MAX = build_date().isoformat()
"""Publication dates must lie in this range: none after the build date (a future date is a
typo); 1950 admits the classic systems Epoch AI lists (the oldest is from 1960)."""
YEAR_MAX = int(DATE_MAX[:4])

SCORE_ORIGINS = ("paper", "library re-evaluation", "library re-training")
POPULATIONS = ("paper", "same_weights", "retraining")
"""``results.population``: a paper's own result; a zoo re-evaluation of the paper authors'
released weights; a library re-training or another re-evaluation (issue 10, item 2)."""
QUANTITIES = (
    "flops_per_pass",
    "parameters",
    "epochs",
    "training_examples",
    "chip_count",
    "training_hours",
    "training_flops",
)
METHODS = ("reported", "hardware_burden", "network_operations", "epoch_estimate")
MATCHES = ("same-record", "model", "architecture", "paper-best", "paper")


class DataValidationError(ValueError):
    """A committed table is invalid; the message names file, line, column and value."""

    def __init__(
        self, file: str, line: int | None, column: str | None, value: object, problem: str
    ):
        if type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0:
            value = value.item()  # a NumPy scalar reads as its number: -5.0, not np.float64(-5.0)
        self.file, self.line, self.column, self.value, self.problem = (
            file,
            line,
            column,
            value,
            problem,
        )
        where = f"{file}"
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {problem} (value: {value!r})")


_PHYSICAL_LINES: dict[str, list[int]] = {}
"""file name -> physical line of each record of the table read last (see :func:`scan_csv`)."""


def remember_lines(file: str, lines: list[int]) -> None:
    """Record the physical line of each record of ``file`` for :func:`line_of`."""
    _PHYSICAL_LINES[file] = list(lines)


def line_of(index: object, file: str | None = None) -> int | None:
    """Physical line (1-based, header = line 1) of a 0-based row index: where the record starts
    in the file, after blank lines and multi-line quoted cells; ``index + 2`` for a file that
    was not scanned."""
    try:
        position = int(index)
    except (TypeError, ValueError):
        return None
    lines = _PHYSICAL_LINES.get(file) if file else None
    if lines is not None and 0 <= position < len(lines):
        return lines[position]
    return position + 2


@dataclass
class CsvText:
    """A CSV file read strictly: header, records (lists of text) and each record's first line."""

    file: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    blank_lines: list[int] = field(default_factory=list)
    bom: bool = False


def scan_csv(path: Path, file: str | None = None, *, require_rows: bool = True) -> CsvText:
    """Read ``path`` as UTF-8 CSV with the physical line of every record; raise
    :class:`DataValidationError` (naming ``file``, default the file name) on an empty file,
    non-UTF-8 bytes (line, column and the bytes), a quoting error, a record with more or fewer
    fields than the header, or (``require_rows``) a header without rows. Blank lines are skipped
    (and listed); a UTF-8 byte-order mark is noted and stripped."""
    file = file or path.name
    if not path.exists():
        raise DataValidationError(file, None, None, str(path), "file is missing")
    raw = path.read_bytes()
    if not raw.strip():
        raise DataValidationError(file, 1, None, "", "file is empty (no header)")
    bom = raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:] if bom else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        column = _column_of_replacement(body.decode("utf-8", errors="replace"), line)
        bad = body[exc.start : exc.end]
        raise DataValidationError(file, line, column, bad, "not UTF-8 text") from None
    scanned = CsvText(file, [], bom=bom)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    end = 0
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if not record or (len(record) == 1 and not record[0].strip()):
                scanned.blank_lines.append(start)
                continue
            if not scanned.header:
                scanned.header = record
                continue
            if len(record) != len(scanned.header):
                raise DataValidationError(
                    file, start, None, ",".join(record)[:80],
                    f"malformed CSV: {len(record)} fields, the header has {len(scanned.header)}",
                )  # fmt: skip
            scanned.rows.append(record)
            scanned.lines.append(start)
    except csv.Error as exc:
        raise DataValidationError(file, end + 1, None, "", f"malformed CSV: {exc}") from None
    if require_rows and not scanned.rows:
        raise DataValidationError(file, 2, None, "", "file has a header but no rows")
    return scanned


def _column_of_replacement(text: str, line: int) -> str | None:
    """Header name of the field holding the first undecodable byte on ``line`` (if found)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    end = 0
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if header is None:
                header = record
            if start <= line <= end:
                for position, value in enumerate(record):
                    if "\ufffd" in value and header and position < len(header):
                        return header[position]
                return None
    except csv.Error:
        return None
    return None


_ID = r"^[a-z0-9][a-z0-9_]*$"
_DATE = r"^\d{4}-\d{2}(-\d{2})?$"


def _text(nullable: bool = True, **kwargs: object) -> pa.Column:
    return pa.Column(str, nullable=nullable, **kwargs)


PAPERS = pa.DataFrameSchema(
    {
        "paper_id": _text(False, checks=pa.Check.str_matches(_ID), unique=True),
        "title": _text(False, checks=pa.Check.str_length(min_value=1)),
        "authors": _text(),
        "year": pa.Column("Int64", nullable=True, checks=pa.Check.in_range(1950, YEAR_MAX)),
        "date": _text(checks=pa.Check.str_matches(_DATE)),
        "date_precision": _text(checks=pa.Check.isin(["day", "month"])),
        "date_source": _text(),
        "venue": _text(),
        "arxiv_id": _text(
            checks=pa.Check.str_matches(r"^(\d{4}\.\d{4,5}|[a-z\-]+(\.[A-Z]{2})?/\d{7})$")
        ),
        "doi": _text(checks=pa.Check.str_matches(r"^10\.\S+/\S+$")),
        "url": _text(checks=pa.Check.str_matches(r"^https?://")),
        "sources": _text(False),
    },
    strict=True,
    ordered=True,
)

RESULTS = pa.DataFrameSchema(
    {
        "result_id": _text(False, checks=pa.Check.str_matches(r"^r[0-9a-f]{12}$"), unique=True),
        "paper_id": _text(False),
        "task": _text(False, checks=pa.Check.isin(TASKS)),
        "benchmark": _text(False, checks=pa.Check.str_matches(_ID)),
        "benchmark_role": _text(False, checks=pa.Check.isin(["primary", "secondary"])),
        "metric": _text(False, checks=pa.Check.isin(list(METRICS))),
        "model": _text(),
        "value": pa.Column(float, nullable=False),
        "value_reported": _text(False),
        "error": pa.Column(float, nullable=True),
        "higher_is_better": pa.Column(bool, nullable=False),
        "source": _text(False),
        "source_file": _text(False),
        "source_record": _text(False),
        "score_origin": _text(False, checks=pa.Check.isin(SCORE_ORIGINS)),
        "licence": _text(False),
        "result_date": _text(checks=pa.Check.str_matches(_DATE)),
        "result_date_source": _text(),
        "result_date_flag": _text(checks=pa.Check.isin(["upper_bound", "snapshot_date"])),
        "architecture_date": _text(checks=pa.Check.str_matches(_DATE)),
        "population": _text(False, checks=pa.Check.isin(POPULATIONS)),
        "extra_data": _text(),
        "compute_includes_pretraining": _text(
            checks=pa.Check.isin(["yes", "no", "n/a (no pre-training)", "unknown"])
        ),
    },
    strict=True,
    ordered=True,
)

COMPUTE = pa.DataFrameSchema(
    {
        "compute_id": _text(False, checks=pa.Check.str_matches(r"^c[0-9a-f]{12}$"), unique=True),
        "paper_id": _text(False),
        "result_id": _text(),
        "match": _text(False, checks=pa.Check.isin(MATCHES)),
        "task": _text(checks=pa.Check.isin(TASKS)),
        "model": _text(),
        "benchmark": _text(),
        "quantity": _text(False, checks=pa.Check.isin(QUANTITIES)),
        "value": pa.Column(float, nullable=False, checks=pa.Check.gt(0)),
        "unit": _text(False),
        "chip": _text(),
        "convention": _text(checks=pa.Check.isin(["FLOPs", "multiply-adds"])),
        "method": _text(False, checks=pa.Check.isin(METHODS)),
        "derived_from": _text(),
        "source": _text(False),
        "source_file": _text(False),
        "source_record": _text(False),
        "source_url": _text(),
        "source_location": _text(),
        "licence": _text(),
    },
    strict=True,
    ordered=True,
)

HARDWARE_REQUIRED = ("chip", "peak_fp32_flops")
HARDWARE = pa.DataFrameSchema(
    {
        "chip": _text(False, checks=pa.Check.str_length(min_value=1), unique=True),
        "peak_fp32_flops": pa.Column(float, nullable=True, checks=pa.Check.gt(0)),
    },
    strict=False,
)

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "papers.csv": PAPERS,
    "results.csv": RESULTS,
    "compute.csv": COMPUTE,
    "hardware.csv": HARDWARE,
}
POSITIVE_HARDWARE_COLUMNS = (
    "peak_fp32_flops",
    "peak_fp16_flops",
    "peak_tensor_flops",
    "tdp_watts",
    "launch_price_usd",
)


def _first_failure(exc: SchemaError | SchemaErrors) -> tuple[object, object, object, str]:
    cases = exc.failure_cases
    if isinstance(cases, pd.DataFrame) and len(cases):
        row = cases.iloc[0]
        check = str(row.get("check", ""))
        return row.get("index"), row.get("column"), row.get("failure_case"), check
    return None, getattr(exc.schema, "name", None), cases, str(exc).splitlines()[0]


def validate_frame(file: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Validate one parsed table against its schema, raising :class:`DataValidationError`."""
    for column, spec in SCHEMAS[file].columns.items():
        if spec.unique and column in frame:
            repeated = frame[column].notna() & frame[column].duplicated(keep="first")
            if repeated.any():
                index = repeated.idxmax()
                first = frame.index[frame[column] == frame.at[index, column]][0]
                raise DataValidationError(
                    file, line_of(index, file), column, frame.at[index, column],
                    f"duplicate (also on line {line_of(first, file)})",
                )  # fmt: skip
    try:
        return SCHEMAS[file].validate(frame, lazy=True)
    except (SchemaErrors, SchemaError) as exc:
        index, column, value, check = _first_failure(exc)
        raise DataValidationError(
            file,
            line_of(index, file),
            None if column is None else str(column),
            value,
            f"fails check {check}",
        ) from None


@dataclass(frozen=True)
class RowProblem:
    """One failing cell found by a cross-table check."""

    file: str
    index: int
    column: str
    value: object
    problem: str

    def error(self) -> DataValidationError:
        return DataValidationError(
            self.file, line_of(self.index, self.file), self.column, self.value, self.problem
        )


def check_scores(results: pd.DataFrame) -> None:
    """Score within its metric's bounds; error consistent with the metric's definition."""
    from analysis.vocab.tasks import error_of

    for index, metric, value, error in zip(
        results.index, results["metric"], results["value"], results["error"], strict=True
    ):
        spec = METRICS[metric]
        if not spec.lower <= value <= spec.upper:
            raise RowProblem(
                "results.csv", index, "value", value,
                f"outside the bounds [{spec.lower}, {spec.upper}] of metric {metric}",
            ).error()  # fmt: skip
        expected = error_of(metric, value)
        if (expected is None) != pd.isna(error) or (
            expected is not None and not math.isclose(expected, error, abs_tol=1e-6)
        ):
            raise RowProblem(
                "results.csv",
                index,
                "error",
                error,
                f"does not equal the {metric} error {expected}",
            ).error()


def check_roles(results: pd.DataFrame) -> None:
    """``benchmark_role`` says whether the benchmark is primary; a primary benchmark's task fits."""
    from analysis.vocab.tasks import PRIMARY_BENCHMARKS

    for index, benchmark, role, task in zip(
        results.index, results["benchmark"], results["benchmark_role"], results["task"], strict=True
    ):
        spec = PRIMARY_BENCHMARKS.get(benchmark)
        expected = "primary" if spec else "secondary"
        if role != expected:
            raise RowProblem(
                "results.csv", index, "benchmark_role", role, f"benchmark {benchmark} is {expected}"
            ).error()
        if spec and task != spec.task:
            raise RowProblem(
                "results.csv", index, "task", task, f"benchmark {benchmark} belongs to {spec.task}"
            ).error()


def check_dates(papers: pd.DataFrame) -> None:
    """Dates are real calendar dates in [DATE_MIN, DATE_MAX] and agree with ``year``."""
    for index, date, year in zip(papers.index, papers["date"], papers["year"], strict=True):
        if pd.isna(date):
            continue
        text = date if len(date) == 10 else f"{date}-01"
        parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        if pd.isna(parsed):
            raise RowProblem("papers.csv", index, "date", date, "not a calendar date").error()
        if not DATE_MIN <= text <= DATE_MAX:
            raise RowProblem(
                "papers.csv", index, "date", date, f"outside [{DATE_MIN}, {DATE_MAX}]"
            ).error()
        if pd.isna(year) or int(year) != parsed.year:
            raise RowProblem(
                "papers.csv", index, "year", year, f"does not match date {date}"
            ).error()


def check_references(
    papers: pd.DataFrame, results: pd.DataFrame, compute: pd.DataFrame, hardware: pd.DataFrame
) -> None:
    """results -> papers, compute -> papers/results, compute.chip -> hardware, compute.derived_from
    -> compute (every ingredient of a derived row is a row of the table)."""
    paper_ids = set(papers["paper_id"])
    result_paper = dict(zip(results["result_id"], results["paper_id"], strict=True))
    chips = set(hardware["chip"])
    compute_ids = set(compute["compute_id"])
    for index, pid in zip(results.index, results["paper_id"], strict=True):
        if pid not in paper_ids:
            raise RowProblem(
                "results.csv", index, "paper_id", pid, "unknown paper_id (not in papers.csv)"
            ).error()
    for index, row in zip(compute.index, compute.itertuples(index=False), strict=True):
        if row.paper_id not in paper_ids:
            raise RowProblem(
                "compute.csv",
                index,
                "paper_id",
                row.paper_id,
                "unknown paper_id (not in papers.csv)",
            ).error()
        if isinstance(row.result_id, str):
            if row.result_id not in result_paper:
                raise RowProblem(
                    "compute.csv",
                    index,
                    "result_id",
                    row.result_id,
                    "unknown result_id (not in results.csv)",
                ).error()
            if result_paper[row.result_id] != row.paper_id:
                raise RowProblem(
                    "compute.csv",
                    index,
                    "paper_id",
                    row.paper_id,
                    "differs from the paper of its result",
                ).error()
        if isinstance(row.chip, str) and row.chip not in chips:
            raise RowProblem(
                "compute.csv", index, "chip", row.chip, "chip not in hardware.csv"
            ).error()
        if isinstance(row.derived_from, str):
            for ingredient in row.derived_from.split(";"):
                if ingredient not in compute_ids:
                    raise RowProblem(
                        "compute.csv", index, "derived_from", row.derived_from,
                        f"ingredient {ingredient!r} is not a compute_id of compute.csv",
                    ).error()  # fmt: skip
    for column in POSITIVE_HARDWARE_COLUMNS:
        if column not in hardware:
            continue
        values = pd.to_numeric(hardware[column], errors="coerce")
        bad = values[values.notna() & (values <= 0)]
        if len(bad):
            raise RowProblem(
                "hardware.csv", bad.index[0], column, bad.iloc[0], "must be positive"
            ).error()
    papers_used = set(results["paper_id"]) | set(compute["paper_id"])
    unused = papers[~papers["paper_id"].isin(papers_used)]
    if len(unused):
        raise RowProblem(
            "papers.csv", unused.index[0], "paper_id", unused["paper_id"].iloc[0],
            "paper has no result and no compute row",
        ).error()  # fmt: skip


FIELD_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "papers.csv": {
        "paper_id": (
            "BibTeX key of the paper: first-author surname + year + first significant title "
            "word (without authors: first title word + year + second title word), a/b/c "
            "suffixes for collisions."
        ),
        "title": "Paper title as given by the highest-priority source.",
        "authors": (
            "Authors as given by a source that lists them (Papers with Code lists none), else "
            "from data/manual/authors.csv (read from a named page or record; an organisation in "
            "braces, e.g. {OpenAI}, for a model announcement); empty if unknown."
        ),
        "year": "Publication year (from date when known, else from the source's year).",
        "date": (
            "Date the paper first became public, YYYY-MM-DD, or YYYY-MM when only the month is"
            " known; empty if unknown. For a paper with an arXiv id this is its arXiv v1 date"
            " (see 'Paper dates' below)."
        ),
        "date_precision": "day or month; empty when there is no date.",
        "date_source": (
            "Where the date comes from: data/manual/paper_dates.csv (hand-entered arXiv v1"
            " date), a source's paper_date, the arXiv identifier's month, a published month or"
            " a leaderboard submission date."
        ),
        "venue": "Venue when a source gives it, else from data/manual/authors.csv; often empty.",
        "arxiv_id": "arXiv identifier without version (e.g. 1512.03385).",
        "doi": "DOI when a source gives it.",
        "url": "Paper URL (first source URL, else the arXiv abstract page).",
        "sources": "Semicolon-separated sources that mention the paper.",
    },
    "results.csv": {
        "result_id": (
            "Stable id: 'r' + 12 hex digits of sha1(source|source_file|source_record|benchmark|"
            "metric); hand-read results are keyed by their result_key, never their line."
        ),
        "paper_id": "Paper reporting the result (papers.csv).",
        "task": "One of the nine task families.",
        "benchmark": (
            "Benchmark slug (analysis/benchmarks.py); secondary benchmarks get slugs derived "
            "from the Papers-with-Code task and dataset names."
        ),
        "benchmark_role": (
            "primary (the study's benchmarks) or secondary (other leaderboards of the nine "
            "families)."
        ),
        "metric": (
            "Metric slug; its direction, bounds and error are defined in analysis/benchmarks.py."
        ),
        "model": "Model name as given by the source.",
        "value": (
            "Score on the metric's scale (percent metrics in percent; a leaderboard column "
            "given entirely as fractions is multiplied by 100, see value_reported)."
        ),
        "value_reported": "The score exactly as the source wrote it.",
        "error": (
            "Error for the fits: 100 - value (percent metrics, higher better), value (lower "
            "better), empty when the metric defines none (e.g. inception score)."
        ),
        "higher_is_better": "Direction of the metric.",
        "source": "Source the row was read from.",
        "source_file": "File inside the sources directory.",
        "source_record": (
            "Record inside the file (leaderboard | dataset | row | metric, line numbers, keys); "
            "hand-read results: 'result_key <key>' (data/manual/results.csv)."
        ),
        "score_origin": "paper, library re-evaluation or library re-training.",
        "licence": "Licence of the source row.",
        "result_date": (
            "Day the score became public: a paper's own result, the paper's date; a model-zoo "
            "score, the first zoo commit listing those weights with that score "
            "(data/manual/result_dates.csv), never the architecture's date. Fits, frontier "
            "flags and backtests order results by it."
        ),
        "result_date_source": (
            "How result_date was found: 'paper date', or the zoo commit (repository@hash, "
            "date, what it adds)."
        ),
        "result_date_flag": (
            "upper_bound: only a later listing could be dated (the score may be older); "
            "snapshot_date: no history, the zoo snapshot's date; empty otherwise."
        ),
        "architecture_date": "Date of the paper that introduced the architecture (papers.date).",
        "population": (
            "paper (the paper's own result), same_weights (a zoo re-evaluation of the paper "
            "authors' released weights, data/manual/same_weights.csv) or retraining (a library "
            "re-training or another re-evaluation): the default fits use paper and "
            "same_weights, one row per training run; retraining enters a sensitivity variant."
        ),
        "extra_data": (
            "Image classification only: training data beyond ImageNet-1k (none, ImageNet-21k, "
            "JFT-300M, JFT-3B, Instagram (...), web image-text (...), other:<named>, unknown), "
            "from data/manual/extra_data.csv; empty for other tasks."
        ),
        "compute_includes_pretraining": (
            "Image classification only: whether a training-compute value of the row includes "
            "the pre-training on extra data (yes, no, n/a (no pre-training), unknown)."
        ),
    },
    "compute.csv": {
        "compute_id": (
            "Stable id: 'c' + 12 hex digits of sha1(source|source_record|quantity|result); "
            "hand-read facts are keyed by their fact_ids, never their lines."
        ),
        "paper_id": "Paper the compute fact belongs to.",
        "result_id": "Result the fact is attached to (empty: paper-level fact without a result).",
        "match": (
            "How it was attached: same-record, model (same paper, benchmark, model name; a "
            "'(single model)' tag ignored), architecture (FLOPs per pass of a zoo model of the "
            "same architecture and paper), paper-best (only when no result has the record's "
            "model name: the paper's best single-model result on each primary benchmark of the "
            "record's task, or on the benchmark it names), paper (no result: a paper-level "
            "fact). Single-model compute never attaches to an ensemble result."
        ),
        "task": (
            "Task family: the attached result's; for a paper-level row the record's task when "
            "the paper has results in it, or, for a paper without results, when the source "
            "labels the system with study task families only (else empty)."
        ),
        "model": "Model name in the compute source.",
        "benchmark": "Benchmark named by the compute source, if any.",
        "quantity": (
            "flops_per_pass, parameters, epochs, training_examples, chip_count, "
            "training_hours or training_flops."
        ),
        "value": "Positive value in unit.",
        "unit": "FLOP, count or hours.",
        "chip": "Canonical chip name (hardware.csv) for chip_count and hardware-burden rows.",
        "convention": (
            "For flops_per_pass: what the source reported (FLOPs or multiply-adds; values are"
            " FLOPs)."
        ),
        "method": (
            "reported, or the derivation of a training_flops row: hardware_burden, "
            "network_operations, epoch_estimate."
        ),
        "derived_from": "Semicolon-separated compute_ids of the ingredients of a derived row.",
        "source": "Source the fact was read from.",
        "source_file": "File inside the sources directory.",
        "source_record": (
            "Record inside the file; hand-read facts: 'fact_id <id>, <id>' "
            "(data/manual/compute_facts.csv)."
        ),
        "source_url": "URL of the paper or page for hand-read facts.",
        "source_location": "Section, table or line where the fact is written.",
        "licence": "Licence of the source row.",
    },
    "hardware.csv": {
        "chip": "Canonical chip name.",
        "peak_fp32_flops": "Peak FP32 throughput, FLOP/s.",
    },
}
"""Column descriptions: the data dictionary and datapackage.json are generated from this."""
