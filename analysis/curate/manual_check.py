"""Strict validation of the hand-edited inputs in ``data/manual/``, before anything is read from
the sources or written.

Each file has a declared schema (:data:`SCHEMAS`: its columns in order, and for each column
whether it is required and what it must hold). :func:`validate_manual` checks every file and
raises one :class:`ManualInputError` listing every problem, one line each, naming the file the
person edited, the physical line (the header is line 1; blank lines and multi-line quoted cells
are counted as they are in an editor), the column and the value::

    data/manual/results.csv, line 3, column 'benchmark': unknown benchmark (did you mean
    squad11_dev?) (value: 'squad11_dve')

Errors, not drops: unknown chips, tasks, benchmarks, metrics, quantities and units (with the
nearest known names), percent scores given as fractions or out of bounds, scores that are not
plain numbers (``94.6%``), impossible dates and dates after the build date
(:func:`analysis.schema.build_date`), missing or malformed URLs, duplicate keys, empty or
header-only files, malformed CSV and non-UTF-8 bytes. A UTF-8 byte-order mark and CRLF line
ends are accepted. Checks that need the sources (a scoped or flagged record must exist) run
after the sources are read, with the same locators (:func:`scope_lines`).

Part of the curate stage: imports vocab, ingest and data (the schema's CSV scanner).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.ingest.compute import READERS
from analysis.ingest.compute.compute_facts import UNITS, FactsError, _combine
from analysis.ingest.hardware import CHIP_NAMES, CHIPS, canonical_chip
from analysis.paths import DATA_DIR, REPO_ROOT
from analysis.schema import DATE_MIN, QUANTITIES, CsvText, DataValidationError, build_date, scan_csv
from analysis.vocab.tasks import METRICS, PRIMARY_BENCHMARKS, TASKS

MANUAL_DIR = DATA_DIR / "manual"
UNSTATED_CHIPS = ("GPU (model not stated)", "Google TPU (generation not stated)")
"""Chip names that say the paper does not name the chip: kept on purpose, never mapped."""
SLUG = r"[a-z0-9][a-z0-9.+-]*"
BENCHMARK_SLUG = r"[a-z0-9][a-z0-9_]*"
ARXIV_ID = r"\d{4}\.\d{4,5}|[a-z\-]+(\.[A-Z]{2})?/\d{7}"
NUMBER = r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?"
URL = r"https?://[^\s/]+\.[^\s/]+(/\S*)?"


class ManualInputError(ValueError):
    """One or more hand-edited inputs are invalid; one line per problem."""

    def __init__(self, errors: list[DataValidationError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def display_name(path: Path) -> str:
    """How a file is named in errors: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def suggest(value: str, known: object) -> str:
    """`` (did you mean a, b?)`` with the nearest known names (difflib), or nothing."""
    close = difflib.get_close_matches(value, list(known), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


# --------------------------------------------------------------------------- cell checks

Check = Callable[[str, dict[str, str]], str | None]
"""A check of one cell: (value, whole row) -> problem, or None when the cell is fine."""


def _slug(value: str, row: dict[str, str]) -> str | None:
    return None if re.fullmatch(SLUG, value) else "not a lower-case slug (letters, digits, .+-)"


def _url(value: str, row: dict[str, str]) -> str | None:
    return None if re.fullmatch(URL, value) else "not an http(s) URL"


def _paper_url(value: str, row: dict[str, str]) -> str | None:
    """An http(s) URL; an arXiv URL must name the row's ``arxiv_id`` (else the row would join
    another paper)."""
    problem = _url(value, row)
    if problem:
        return problem
    found = re.search(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", value)
    arxiv_id = row.get("arxiv_id", "")
    if found and arxiv_id and found.group(1) != arxiv_id:
        return f"names arXiv {found.group(1)}, but arxiv_id is {arxiv_id}"
    return None


def _arxiv(value: str, row: dict[str, str]) -> str | None:
    if re.fullmatch(ARXIV_ID, value):
        return None
    return "not an arXiv identifier without version (e.g. 1512.03385)"


def _arxiv_new(value: str, row: dict[str, str]) -> str | None:
    if re.fullmatch(r"\d{4}\.\d{4,5}", value):
        return None
    return "expected a new-style arXiv id without version, e.g. 1512.03385"


def _date(value: str, row: dict[str, str]) -> str | None:
    """``YYYY-MM-DD`` or ``YYYY-MM``, a real calendar date in [DATE_MIN, build date]."""
    if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value):
        return "not YYYY-MM-DD or YYYY-MM"
    text = value if len(value) == 10 else f"{value}-01"
    if pd.isna(pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")):
        return "not a calendar date"
    today = build_date().isoformat()
    if value > today[: len(value)]:
        return f"after the build date {today}"
    if text < DATE_MIN:
        return f"before {DATE_MIN}"
    return None


def _day(value: str, row: dict[str, str]) -> str | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "not a calendar date YYYY-MM-DD"
    return _date(value, row)


def _v1_date(value: str, row: dict[str, str]) -> str | None:
    """A hand-entered arXiv v1 date: a real day, not after the build date, in the identifier's
    month or up to ON_HOLD_DAYS days before it (analysis.ingest.paper_dates)."""
    from analysis.ingest.paper_dates import ON_HOLD_DAYS, agrees_with_arxiv_id, arxiv_month

    problem = _day(value, row)
    if problem:
        return problem
    arxiv_id = row.get("arxiv_id", "")
    if arxiv_month(arxiv_id) and not agrees_with_arxiv_id(value, arxiv_id):
        return (
            f"cannot be the v1 date of {arxiv_id} (must lie in {arxiv_month(arxiv_id)} or up to "
            f"{ON_HOLD_DAYS} days before it)"
        )
    return None


def _one_of(known: object, what: str) -> Check:
    names = tuple(known)  # type: ignore[arg-type]

    def check(value: str, row: dict[str, str]) -> str | None:
        return None if value in names else f"unknown {what}{suggest(value, names)}"

    return check


def _benchmark(value: str, row: dict[str, str]) -> str | None:
    if value in PRIMARY_BENCHMARKS:
        return None
    return f"unknown benchmark{suggest(value, PRIMARY_BENCHMARKS)}"


def _task(value: str, row: dict[str, str]) -> str | None:
    if value not in TASKS:
        return f"unknown task{suggest(value, TASKS)}"
    spec = PRIMARY_BENCHMARKS.get(row.get("benchmark", ""))
    if spec is not None and spec.task != value:
        return f"benchmark {spec.slug} belongs to task {spec.task}"
    return None


def _score(value: str, row: dict[str, str]) -> str | None:
    """A plain number within the metric's bounds; a percent metric's score in percent."""
    from analysis.curate.results import plausible_score

    if not re.fullmatch(NUMBER, value):
        return "not a plain number (write 94.6, without %, * or thousands separators)"
    number = float(value)
    spec = METRICS.get(row.get("metric", ""))
    if spec is None:
        return None  # the metric's own error names it
    if not math.isfinite(number) or not spec.lower <= number <= spec.upper:
        return f"outside the bounds [{spec.lower:g}, {spec.upper:g}] of metric {spec.slug}"
    if not plausible_score(spec.slug, number):
        return (
            f"{spec.slug} is a percent metric: {value} looks like a fraction; "
            f"write the score in percent (e.g. {number * 100:g})"
        )
    return None


def _positive(value: str, row: dict[str, str]) -> str | None:
    if not re.fullmatch(NUMBER, value):
        return "not a number"
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        return "must be a positive finite number"
    if row.get("quantity") in ("chip_count", "training_steps") and number != int(number):
        return f"{row['quantity']} must be a whole number"
    return None


def _unit(value: str, row: dict[str, str]) -> str | None:
    allowed = UNITS.get(row.get("quantity", ""))
    if allowed is None or value in allowed:
        return None
    return f"for {row['quantity']} expected one of {sorted(allowed)}"


def _fact_benchmark(value: str, row: dict[str, str]) -> str | None:
    if value in PRIMARY_BENCHMARKS:
        return None
    return f"unknown benchmark{suggest(value, PRIMARY_BENCHMARKS)}"


def _chip(value: str, row: dict[str, str]) -> str | None:
    """Exactly one chip of chips.csv recognises the name, or the name says the paper does not
    state the chip: an unknown or ambiguous name would silently lose the hardware burden."""
    if row.get("quantity") != "chip_count":
        return "a chip is only given on chip_count rows"
    if value in UNSTATED_CHIPS or canonical_chip(value) is not None:
        return None
    hits = [c.name for c in CHIPS if re.search(c.pattern, value, re.IGNORECASE)]
    if len(hits) > 1:
        return f"ambiguous chip: the chips.csv patterns of {', '.join(hits)} all match"
    known = (*CHIP_NAMES, *UNSTATED_CHIPS)
    return f"unknown chip: no pattern of data/manual/chips.csv matches{suggest(value, known)}"


def _regex(value: str, row: dict[str, str]) -> str | None:
    try:
        re.compile(value)
    except re.error as exc:
        return f"not a regular expression ({exc})"
    return None


def _yes_no(value: str, row: dict[str, str]) -> str | None:
    return None if value in ("yes", "no") else "must be yes or no"


def _number(value: str, row: dict[str, str]) -> str | None:
    if re.fullmatch(NUMBER, value) and math.isfinite(float(value)):
        return None
    return "not a number"


def _benchmark_slug(value: str, row: dict[str, str]) -> str | None:
    return None if re.fullmatch(BENCHMARK_SLUG, value) else "not a benchmark slug"


def _compute_source(value: str, row: dict[str, str]) -> str | None:
    return None if value in READERS else f"unknown compute source{suggest(value, READERS)}"


# --------------------------------------------------------------------------- file schemas


@dataclass(frozen=True)
class Column:
    """A column of a hand-edited file: required or not, and its checks (run when not empty)."""

    name: str
    required: bool = False
    checks: tuple[Check, ...] = ()
    required_when: Callable[[dict[str, str]], bool] | None = None


@dataclass(frozen=True)
class ManualFile:
    """A hand-edited file: its columns in order and the columns whose values must be unique."""

    name: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, required: bool = False, *checks: Check) -> Column:
    return Column(name, required, checks)


SCHEMAS: dict[str, ManualFile] = {
    f.name: f
    for f in (
        ManualFile(
            "results.csv",
            (
                _c("result_key", True, _slug),
                _c("arxiv_id", False, _arxiv),
                _c("paper_title", True),
                _c("paper_url", True, _paper_url),
                _c("paper_date", False, _date),
                _c("authors"),
                _c("model", True),
                _c("task", True, _task),
                _c("benchmark", True, _benchmark),
                _c("metric", True, _one_of(METRICS, "metric (see analysis/vocab/tasks.py)")),
                _c("value", True, _score),
                _c("source_url", True, _url),
                _c("source_location", True),
                _c("note"),
            ),
            unique=("result_key",),
        ),
        ManualFile(
            "compute_facts.csv",
            (
                _c("fact_id", True, _slug),
                _c("arxiv_id", True, _arxiv_new),
                _c("paper_title"),
                _c("paper_url", False, _paper_url),
                _c("model"),
                _c("benchmark", False, _fact_benchmark),
                _c("quantity", True, _one_of(UNITS, "quantity")),
                _c("value", True, _positive),
                _c("unit", True, _unit),
                Column("chip", False, (_chip,), lambda row: row["quantity"] == "chip_count"),
                _c("source_url", True, _url),
                _c("source_location", True),
                _c("note"),
            ),
            unique=("fact_id",),
        ),
        ManualFile(
            "chips.csv",
            (
                _c("name", True),
                _c("vendor", True),
                _c("kind", True),
                _c("pattern", True, _regex),
                _c("epoch_ml"),
                _c("epoch_chips"),
                _c("mlco2"),
                _c("computerprogress"),
            ),
            unique=("name",),
        ),
        ManualFile(
            "compute_scope.csv",
            (
                _c("source", True, _compute_source),
                _c("source_record", True),
                _c("benchmark", True, _benchmark_slug),
                _c("evidence", True),
            ),
        ),
        ManualFile(
            "source_flags.csv",
            (
                _c("source", True, _compute_source),
                _c("source_record", True),
                _c("quantity", True, _one_of(QUANTITIES, "quantity")),
                _c("value", True, _number),
                _c("in_fits", True, _yes_no),
                _c("finding", True),
                _c("evidence", True),
            ),
        ),
        ManualFile(
            "paper_dates.csv",
            (
                _c("arxiv_id", True, _arxiv_new),
                _c("date", True, _v1_date),
                _c("source_url", True, _url),
                _c("source_location", True),
                _c("note"),
            ),
            unique=("arxiv_id",),
        ),
    )
}
"""The declared schema of every hand-edited file in ``data/manual/``."""
REQUIRED_FILES = ("results.csv", "compute_facts.csv", "chips.csv")
"""Files that must exist and hold rows (the others may be absent: nothing scoped or flagged)."""


# --------------------------------------------------------------------------- validation


def read_manual(path: Path, spec: ManualFile) -> tuple[CsvText, list[DataValidationError]]:
    """Scan one file and check its header and every cell; returns the text and the problems."""
    file = display_name(path)
    text = scan_csv(path, file)
    if text.header != spec.header:
        missing = [c for c in spec.header if c not in text.header]
        extra = [c for c in text.header if c not in spec.header]
        problem = (
            f"header must be {','.join(spec.header)}"
            + (f" (missing {missing})" if missing else "")
            + (f" (unexpected {extra})" if extra else "")
        )
        raise DataValidationError(file, 1, None, ",".join(text.header), problem)
    problems: list[DataValidationError] = []
    first: dict[tuple[str, str], int] = {}
    for line, values in zip(text.lines, text.rows, strict=True):
        row = dict(zip(spec.header, values, strict=True))
        for column in spec.unique:
            key = (column, row[column])
            if not row[column]:
                continue
            if key in first:
                problems.append(
                    DataValidationError(
                        file, line, column, row[column], f"duplicate (also on line {first[key]})"
                    )
                )
            else:
                first[key] = line
        for column in spec.columns:
            value = row[column.name]
            if not value.strip():
                if column.required or (column.required_when and column.required_when(row)):
                    problems.append(DataValidationError(file, line, column.name, value, "required"))
                continue
            if value != value.strip():
                problems.append(
                    DataValidationError(file, line, column.name, value, "leading or trailing space")
                )
                continue
            for check in column.checks:
                problem = check(value, row)
                if problem:
                    problems.append(DataValidationError(file, line, column.name, value, problem))
                    break
    return text, problems


def validate_manual(manual_dir: Path = MANUAL_DIR) -> dict[str, CsvText]:
    """Validate every hand-edited file; raise :class:`ManualInputError` with every problem."""
    problems: list[DataValidationError] = []
    texts: dict[str, CsvText] = {}
    for name, spec in SCHEMAS.items():
        path = manual_dir / name
        if not path.exists():
            if name in REQUIRED_FILES:
                problems.append(DataValidationError(display_name(path), None, None, "", "missing"))
            continue
        try:
            texts[name], found = read_manual(path, spec)
        except DataValidationError as exc:
            problems.append(exc)
            continue
        problems.extend(found)
    if not problems and "compute_facts.csv" in texts:
        problems.extend(
            _facts_records(manual_dir / "compute_facts.csv", texts["compute_facts.csv"])
        )
    if problems:
        raise ManualInputError(problems)
    return texts


def _facts_records(path: Path, text: CsvText) -> list[DataValidationError]:
    """The checks that combine facts into records (one value per quantity per record), run on a
    frame indexed by physical line so that their messages name the edited line."""
    frame = pd.DataFrame(text.rows, columns=text.header, index=[n - 2 for n in text.lines])
    frame["value"] = frame["value"].astype(float)
    try:
        _combine(frame, path)
    except FactsError as exc:
        match = re.search(r"line (\d+), column (\w+): (.*)", str(exc))
        if match:
            line, column, problem = int(match[1]), match[2], match[3]
            value = frame.at[line - 2, column] if column in frame else ""
            return [DataValidationError(display_name(path), line, column, value, problem)]
        return [DataValidationError(display_name(path), None, None, "", str(exc))]
    return []


def scope_lines(path: Path) -> list[int]:
    """Physical line of each row of ``compute_scope.csv`` (for errors found after ingest)."""
    return scan_csv(path, display_name(path), require_rows=False).lines
