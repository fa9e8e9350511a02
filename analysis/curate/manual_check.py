"""Strict validation of the hand-edited inputs in ``data/manual/``, before anything is read from
the sources or written.

Each file has a declared schema (:data:`SCHEMAS`: its columns in order, and for each column
whether it is required and what it must hold). :func:`validate_manual` checks every file and
raises one :class:`ManualInputError` listing every problem, one line each, naming the file the
person edited, the physical line (the header is line 1; blank lines and multi-line quoted cells
are counted as they are in an editor), the column and the value::

    data/manual/results.csv, line 3, column 'benchmark': unknown benchmark (did you mean
    squad11_dev?) (value: 'squad11_dve')

Every file of the folder has a schema: ``results.csv``, ``compute_facts.csv``, ``chips.csv``,
``compute_scope.csv``, ``source_flags.csv``, ``paper_dates.csv``, ``authors.csv``,
``result_dates.csv``, ``same_weights.csv``, ``extra_data.csv`` and ``compute_search.csv``.

Errors, not drops: unknown chips, tasks, benchmarks, metrics, quantities and units (with the
nearest known names), a metric that is not one of its benchmark's (:func:`benchmark_metrics`),
an ``authors.csv`` paper that ``papers.csv`` lacks, a score listed twice in a table about
results, percent scores given as fractions or out of bounds, scores that are not
plain numbers (``94.6%``), impossible dates and dates after the build date
(:func:`analysis.schema.build_date`), missing or malformed URLs, duplicate keys, empty or
header-only files, malformed CSV and non-UTF-8 bytes. A UTF-8 byte-order mark and CRLF line
ends are accepted. Checks that need the sources (a scoped or flagged record must exist) run
after the sources are read, with the same locators (:func:`scope_lines`); checks that need the
curated tables (a row of a table about results must match a result) run under ``--check``
(:func:`unmatched_rows`).

Part of the curate stage: imports vocab, ingest and data (the schema's CSV scanner).
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.curate.authors import MATCHES, split_bibtex
from analysis.curate.identity import SOURCE_PRIORITY
from analysis.ingest.compute import READERS
from analysis.ingest.compute.compute_facts import UNITS, FactsError, _combine
from analysis.ingest.compute_search import SEARCH_COLUMNS
from analysis.ingest.hardware import CHIP_NAMES, CHIPS, canonical_chip
from analysis.ingest.result_tables import (
    DATE_FLAGS,
    EXTRA_DATA_KINDS,
    KEY,
    PRETRAINING,
)
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


RESULTS_FILE = DATA_DIR / "results.csv"
EXTRA_BENCHMARK_METRICS: dict[str, tuple[str, ...]] = {}
"""Metrics of a primary benchmark that no source has given yet (see :func:`benchmark_metrics`):
a pair added here, with its evidence in the commit, lets the first hand-read row of it in."""


@functools.cache
def benchmark_metrics(results_file: Path = RESULTS_FILE) -> dict[str, tuple[str, ...]]:
    """The known metrics of each primary benchmark.

    The vocabulary (:mod:`analysis.vocab.tasks`) declares only each benchmark's *primary* metric,
    no list of its other metrics, so the list is derived: the primary metric, the metrics the
    committed ``data/results.csv`` holds for that benchmark from a source other than the
    hand-read results (``manual_results``: a hand-read row never vouches for itself), and
    :data:`EXTRA_BENCHMARK_METRICS`. A metric of another benchmark (``bleu`` on ``imagenet``)
    would otherwise enter a series no fit or chapter ever looks at."""
    known = {b: {spec.primary_metric} for b, spec in PRIMARY_BENCHMARKS.items()}
    if results_file.exists():
        columns = ["benchmark", "metric", "source"]
        frame = pd.read_csv(results_file, dtype=str, keep_default_na=False, usecols=columns)
        frame = frame[frame["benchmark"].isin(known) & (frame["source"] != "manual_results")]
        for benchmark, metric in zip(frame["benchmark"], frame["metric"], strict=True):
            known[benchmark].add(metric)
    for benchmark, metrics in EXTRA_BENCHMARK_METRICS.items():
        known.setdefault(benchmark, set()).update(metrics)
    return {b: tuple(sorted(m)) for b, m in known.items()}


def _metric_of_benchmark(value: str, row: dict[str, str]) -> str | None:
    """A known metric, and (on a primary benchmark) one of that benchmark's metrics."""
    if value not in METRICS:
        return f"unknown metric (see analysis/vocab/tasks.py){suggest(value, METRICS)}"
    known = benchmark_metrics().get(row.get("benchmark", ""))
    if known is None or value in known:
        return None
    return (
        f"not a metric of benchmark {row['benchmark']}{suggest(value, known)} "
        f"(its metrics: {', '.join(known)})"
    )


RESULT_SOURCES = tuple(dict.fromkeys((*SOURCE_PRIORITY, *READERS)))
"""Every source a result can come from: the leaderboards, the hand-read results and the compute
sources that also give scores (model zoos)."""


def _result_source(value: str, row: dict[str, str]) -> str | None:
    return None if value in RESULT_SOURCES else f"unknown source{suggest(value, RESULT_SOURCES)}"


def _any_benchmark(value: str, row: dict[str, str]) -> str | None:
    """A benchmark slug (secondary benchmarks too: a key of a score as its source gives it).
    A misspelt key matches no result; ``--check`` finds such rows (:func:`unmatched_rows`)."""
    return None if re.fullmatch(BENCHMARK_SLUG, value) else "not a benchmark slug"


def _image_classification(value: str, row: dict[str, str]) -> str | None:
    problem = _any_benchmark(value, row)
    if problem:
        return problem
    spec = PRIMARY_BENCHMARKS.get(value)
    if spec is not None and spec.task != "image_classification":
        return f"extra_data is for image classification; {value} belongs to task {spec.task}"
    return None


def _primary_slugs(value: str, row: dict[str, str]) -> str | None:
    """One or more primary benchmark slugs separated by ``;``."""
    for slug in value.split(";"):
        if slug not in PRIMARY_BENCHMARKS:
            return f"unknown benchmark {slug!r}{suggest(slug, PRIMARY_BENCHMARKS)} (';' separates)"
    return None


def _starts_with(kinds: tuple[str, ...]) -> Check:
    def check(value: str, row: dict[str, str]) -> str | None:
        if value.startswith(kinds):
            return None
        return f"must start with one of {', '.join(kinds)}{suggest(value, kinds)}"

    return check


def _names_commit(value: str, row: dict[str, str]) -> str | None:
    """The evidence of a zoo date names the commit it rests on (unless it is the snapshot's)."""
    if row.get("result_date_flag") == "snapshot_date":
        return None
    if re.search(r"@[0-9a-f]{7,40}\b|\b[0-9a-f]{40}\b", value):
        return None
    return "must name the commit it rests on (repository@hash)"


def _record_source(value: str, row: dict[str, str]) -> str | None:
    """A URL, or ``github:owner/repo@<40-hex commit>:path`` of a bulk record."""
    if re.fullmatch(URL, value) or re.fullmatch(r"github:[\w.-]+/[\w.-]+@[0-9a-f]{40}:\S.*", value):
        return None
    return "not an http(s) URL or github:owner/repo@<40-hex commit>:path"


def _bibtex_authors(value: str, row: dict[str, str]) -> str | None:
    """``Family, Given and Family, Given``; a braced organisation; ``others``."""
    for name in split_bibtex(value):
        if name == "others" or (name.startswith("{") and name.endswith("}")) or "," in name:
            continue
        return f"{name!r} is not 'Family, Given' (BibTeX names, separated by ' and ')"
    return None


def _paper_id(value: str, row: dict[str, str]) -> str | None:
    return None if re.fullmatch(BENCHMARK_SLUG, value) else "not a paper id (a-z, 0-9, _)"


# --------------------------------------------------------------------------- file schemas


@dataclass(frozen=True)
class Column:
    """A column of a hand-edited file: required or not, and its checks (run when not empty)."""

    name: str
    required: bool = False
    checks: tuple[Check, ...] = ()
    required_when: Callable[[dict[str, str]], bool] | None = None
    verbatim: bool = False
    """Kept exactly as a source wrote it (a key column): leading or trailing spaces allowed."""


@dataclass(frozen=True)
class ManualFile:
    """A hand-edited file: its columns in order, the columns whose values must be unique, and a
    key of several columns that must be unique together (reported at its ``key_column``)."""

    name: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()
    key: tuple[str, ...] = ()
    key_column: str = ""

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, required: bool = False, *checks: Check) -> Column:
    return Column(name, required, checks)


def _score_key(*, pair_check: bool = True) -> tuple[Column, ...]:
    """The key of the tables about results (:data:`analysis.ingest.result_tables.KEY`): the
    score as its source wrote it (model and value verbatim, spaces included)."""
    metric_checks = (_metric_of_benchmark,) if pair_check else (_one_of(METRICS, "metric"),)
    columns = {
        "source": Column("source", True, (_result_source,)),
        "source_file": Column("source_file", True),
        "model": Column("model", True, verbatim=True),
        "benchmark": Column("benchmark", True, (_any_benchmark,)),
        "metric": Column("metric", True, metric_checks),
        "value_reported": Column("value_reported", True, verbatim=True),
    }
    return tuple(columns[name] for name in KEY)


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
                _c("metric", True, _metric_of_benchmark),
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
        ManualFile(
            "authors.csv",
            (
                _c("paper_id", True, _paper_id),
                _c("authors", True, _bibtex_authors),
                _c("venue"),
                _c("source", True, _record_source),
                _c("source_record", True),
                _c("match", True, _one_of(MATCHES, "match")),
            ),
            unique=("paper_id",),
        ),
        ManualFile(
            "result_dates.csv",
            (
                *_score_key(),
                _c("result_date", True, _day),
                Column("result_date_source", True, (_names_commit,)),
                _c("result_date_flag", False, _one_of(DATE_FLAGS, "result_date_flag")),
            ),
            key=KEY,
            key_column="model",
        ),
        ManualFile(
            "same_weights.csv",
            (*_score_key(), _c("ported_from", True), _c("evidence", True)),
            key=KEY,
            key_column="model",
        ),
        ManualFile(
            "extra_data.csv",
            (
                *(
                    Column(c.name, c.required, (_image_classification,))
                    if c.name == "benchmark"
                    else c
                    for c in _score_key()
                ),
                _c("extra_data", True, _starts_with(EXTRA_DATA_KINDS)),
                _c(
                    "compute_includes_pretraining",
                    True,
                    _one_of(PRETRAINING, "compute_includes_pretraining"),
                ),
                _c("rule_or_source", True),
            ),
            key=KEY,
            key_column="model",
        ),
        ManualFile(
            "compute_search.csv",
            tuple(
                _c(name, name != "arxiv_id", *checks)
                for name, checks in zip(
                    SEARCH_COLUMNS,
                    ((_arxiv_new,), (), (_primary_slugs,), (), (), (), ()),
                    strict=True,
                )
            ),
        ),
    )
}
"""The declared schema of every hand-edited file in ``data/manual/``."""
REQUIRED_FILES = (
    "results.csv",
    "compute_facts.csv",
    "chips.csv",
    "authors.csv",
    "result_dates.csv",
    "same_weights.csv",
    "extra_data.csv",
)
"""Files that must exist and hold rows: without one, a curation would quietly lose what it
gives (authors, the zoo scores' populations ...). The others may be absent (nothing scoped,
flagged, dated by hand or searched)."""


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
    first_key: dict[tuple[str, ...], int] = {}
    for line, values in zip(text.lines, text.rows, strict=True):
        row = dict(zip(spec.header, values, strict=True))
        if spec.key:
            key = tuple(row[c] for c in spec.key)
            if key in first_key:
                problems.append(
                    DataValidationError(
                        file,
                        line,
                        spec.key_column,
                        row[spec.key_column],
                        f"the same {', '.join(spec.key)} listed twice (also on line "
                        f"{first_key[key]})",
                    )
                )
            else:
                first_key[key] = line
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
            if value != value.strip() and not column.verbatim:
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


def validate_manual(
    manual_dir: Path = MANUAL_DIR, papers_file: Path | None = None, *, check_papers: bool = True
) -> dict[str, CsvText]:
    """Validate every hand-edited file; raise :class:`ManualInputError` with every problem.

    ``authors.csv`` papers are checked against ``papers_file`` (default: the ``papers.csv``
    beside ``manual_dir``) unless ``check_papers`` is false: before a curation, whose new
    authors may give a paper a new id, the check waits for the curated ``papers.csv``."""
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
    papers = papers_file or manual_dir.parent / "papers.csv"
    if check_papers and not problems and "authors.csv" in texts and papers.exists():
        problems.extend(_unknown_papers(manual_dir / "authors.csv", texts["authors.csv"], papers))
    if problems:
        raise ManualInputError(problems)
    return texts


def _unknown_papers(path: Path, text: CsvText, papers: Path) -> list[DataValidationError]:
    """Each ``paper_id`` of ``authors.csv`` names a paper of ``papers.csv`` (the committed one
    before a curation, so a typo stops it; the curated one under ``--check``, so a paper whose
    id a curation changed is found): else its authors would silently fill nothing."""
    known = set(pd.read_csv(papers, dtype=str, usecols=["paper_id"])["paper_id"])
    column = text.header.index("paper_id")
    return [
        DataValidationError(
            display_name(path),
            line,
            "paper_id",
            row[column],
            f"no such paper in {display_name(papers)}{suggest(row[column], known)}",
        )
        for line, row in zip(text.lines, text.rows, strict=True)
        if row[column] not in known
    ]


KEYED_FILES = ("result_dates.csv", "same_weights.csv", "extra_data.csv")
"""The tables about results, keyed by the score (:data:`analysis.ingest.result_tables.KEY`)."""


def unmatched_rows(
    results: pd.DataFrame, texts: dict[str, CsvText], manual_dir: Path = MANUAL_DIR
) -> list[DataValidationError]:
    """Rows of the tables about results whose key matches no row of ``results`` (the curated
    ``results.csv``), one error each at the ``model`` column: a misspelt key changes nothing and
    says nothing (a same-weights row that matches nothing leaves its score ``retraining``).
    Run by ``--check``, not before a curation (a new zoo score is dated before it exists)."""
    key = list(KEY)
    scores = results[key].fillna("").astype(str)
    known = set(map(tuple, scores.itertuples(index=False, name=None)))
    problems = []
    for name in KEYED_FILES:
        text = texts.get(name)
        if text is None:
            continue
        positions = [text.header.index(c) for c in key]
        for line, row in zip(text.lines, text.rows, strict=True):
            if tuple(row[i] for i in positions) not in known:
                same_model = scores[scores["model"] == row[positions[2]]]
                hint = (
                    f"; results.csv has {row[positions[2]]!r} only as "
                    + ", ".join(sorted({"/".join(t) for t in same_model.iloc[:3, 3:].values}))
                    if len(same_model)
                    else ""
                )
                problems.append(
                    DataValidationError(
                        display_name(manual_dir / name),
                        line,
                        "model",
                        row[positions[2]],
                        f"no result of results.csv has this {', '.join(key)}{hint}",
                    )
                )
    return problems


def check_unmatched(results_file: Path, texts: dict[str, CsvText], manual_dir: Path) -> None:
    """Raise :class:`ManualInputError` with every row of the tables about results that matches
    no result of ``results_file`` (a curated ``results.csv``), see :func:`unmatched_rows`."""
    results = pd.read_csv(results_file, dtype=str, keep_default_na=False)
    unmatched = unmatched_rows(results, texts, manual_dir)
    if unmatched:
        raise ManualInputError(unmatched)


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
