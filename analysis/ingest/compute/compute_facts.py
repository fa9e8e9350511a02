"""Hand-read compute facts (``data/manual/compute_facts.csv``).

One fact per row (quantity, value, unit) for a paper/model/benchmark; facts are validated strictly
(errors name the file, line and column) and then combined into one record per
(arxiv_id, model, benchmark). Facts with an empty model or benchmark ("shared", whole paper) are
added to every record of the same paper they are compatible with. ``training_steps`` and
``batch_size`` are not record columns; they are kept in ``source_location`` for the reader's eye,
not turned into epochs. Chips keep D3's names mapped by ``canonical_chip`` ("GPU (model not
stated)" and "Google TPU (generation not stated)" stay unmapped on purpose).
A record's ``source_record`` lists its facts' ``fact_id`` values (sorted), never line numbers, so
the compute ids derived from it survive inserting, moving or deleting other rows of the file.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.ingest._common import attach_exclusions, records_frame
from analysis.ingest.hardware import canonical_chip
from analysis.paths import DATA_DIR
from analysis.vocab.tasks import PRIMARY_BENCHMARKS

SOURCE = "compute-facts"
LICENCE = "facts read from the cited papers (this project)"
FACTS_FILE = DATA_DIR / "manual" / "compute_facts.csv"
REQUIRED_COLUMNS = (
    "arxiv_id",
    "paper_title",
    "paper_url",
    "model",
    "benchmark",
    "quantity",
    "value",
    "unit",
    "chip",
    "source_url",
    "source_location",
    "note",
)
FACT_COLUMNS = ("fact_id", *REQUIRED_COLUMNS)
"""The header of ``data/manual/compute_facts.csv``, in order."""
UNITS = {
    "chip_count": {"count"},
    "training_hours": {"hours"},
    "epochs": {"count"},
    "training_steps": {"count"},
    "batch_size": {"count", "sentences", "tokens"},
    "flops_per_pass": {"FLOPs", "multiply-adds"},
    "training_flops": {"FLOPs"},
    "parameters": {"count"},
}
"""Allowed quantity → units."""
BENCHMARK_TASKS = {slug: spec.task for slug, spec in PRIMARY_BENCHMARKS.items()}
"""The study's primary benchmark slugs (analysis/vocab/tasks.py, image generation included)
and their task."""


class FactsError(ValueError):
    """A compute-facts file breaks the format; the message names file, line and column."""


def read(sources_dir: Path, facts_file: Path | None = None) -> pd.DataFrame:
    """Facts as tidy records (empty frame with the schema if the file does not exist yet)."""
    path = facts_file or FACTS_FILE
    if not path.exists():
        return attach_exclusions(records_frame([], SOURCE, LICENCE), Counter())
    facts = validate_facts(path)
    rows = _combine(facts, path)
    return attach_exclusions(records_frame(rows, SOURCE, LICENCE), Counter())


def validate_facts(path: Path) -> pd.DataFrame:
    """Load and check the facts file; raise FactsError naming file, line and column."""
    facts = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [column for column in FACT_COLUMNS if column not in facts.columns]
    if missing:
        raise FactsError(f"{path}: missing column(s) {', '.join(missing)}")
    _check_fact_ids(path, facts["fact_id"])
    for index, fact in facts.iterrows():
        _check_fact(path, index + 2, fact)
    facts["value"] = facts["value"].astype(float)
    return facts


FACT_ID_PATTERN = r"[a-z0-9][a-z0-9.+-]*"
"""A fact id: lower-case slug, e.g. ``vaswani2017-base-ende-hours``."""


def _check_fact_ids(path: Path, fact_ids: pd.Series) -> None:
    """Every fact has a unique slug ``fact_id``: compute ids are derived from it."""
    first_line: dict[str, int] = {}
    for index, fact_id in fact_ids.items():
        line = index + 2
        if not fact_id.strip():
            raise FactsError(f"{path}: line {line}, column fact_id: required (a unique slug)")
        if not re.fullmatch(FACT_ID_PATTERN, fact_id):
            raise FactsError(
                f"{path}: line {line}, column fact_id: not a lower-case slug ({fact_id!r})"
            )
        if fact_id in first_line:
            raise FactsError(
                f"{path}: line {line}, column fact_id: duplicate {fact_id!r} "
                f"(also on line {first_line[fact_id]})"
            )
        first_line[fact_id] = line


def _check_fact(path: Path, line: int, fact: pd.Series) -> None:
    def fail(column: str, problem: str) -> None:
        raise FactsError(f"{path}: line {line}, column {column}: {problem} ({fact[column]!r})")

    if not re.fullmatch(r"\d{4}\.\d{4,5}", fact["arxiv_id"]):
        fail("arxiv_id", "expected a new-style arXiv id without version, e.g. 1512.03385")
    if fact["quantity"] not in UNITS:
        fail("quantity", f"expected one of {sorted(UNITS)}")
    if fact["unit"] not in UNITS[fact["quantity"]]:
        fail("unit", f"for {fact['quantity']} expected one of {sorted(UNITS[fact['quantity']])}")
    try:
        value = float(fact["value"])
    except ValueError:
        fail("value", "not a number")
    if not np.isfinite(value) or value <= 0:
        fail("value", "must be a positive finite number")
    if fact["benchmark"] and fact["benchmark"] not in BENCHMARK_TASKS:
        fail("benchmark", "unknown benchmark slug")
    if fact["chip"] and fact["quantity"] != "chip_count":
        fail("chip", "a chip is only given on chip_count rows")
    if fact["quantity"] == "chip_count" and not fact["chip"]:
        fail("chip", "a chip_count row needs the chip")
    for column in ("source_url", "source_location"):
        if not fact[column].strip():
            fail(column, "required")
    if not fact["source_url"].startswith("http"):
        fail("source_url", "expected a URL")


def _combine(facts: pd.DataFrame, path: Path) -> list[dict]:
    """One record per (paper, model, benchmark, cited source): facts with an empty model or
    benchmark join every record of the same paper and source they fit; a fact cited from
    another paper (e.g. an estimate by later authors) stays a record of its own."""
    key = ["arxiv_id", "model", "benchmark", "source_url"]
    specific = facts[(facts["model"] != "") & (facts["benchmark"] != "")]
    shared = facts[(facts["model"] == "") | (facts["benchmark"] == "")]
    covered: set[int] = set()
    rows = []
    for (arxiv_id, model, benchmark, source_url), own in specific.groupby(key, sort=False):
        extra = shared[
            (shared["arxiv_id"] == arxiv_id)
            & (shared["source_url"] == source_url)
            & shared["model"].isin(["", model])
            & shared["benchmark"].isin(["", benchmark])
        ]
        covered.update(extra.index)
        rows.append(_record(pd.concat([own, extra]), path, model, benchmark))
    for (_, model, benchmark, _), group in shared.drop(index=list(covered)).groupby(
        key, sort=False
    ):
        rows.append(_record(group, path, model, benchmark))
    return rows


def _record(group: pd.DataFrame, path: Path, model: str, benchmark: str) -> dict:
    first = group.iloc[0]
    record: dict = {
        "source_file": path.name if path != FACTS_FILE else "data/manual/compute_facts.csv",
        "source_record": "fact_id " + ", ".join(sorted(group["fact_id"])),
        "paper_title": first["paper_title"] or np.nan,
        "paper_url": first["paper_url"] or np.nan,
        "arxiv_id": first["arxiv_id"],
        "model": model or np.nan,
        "task": BENCHMARK_TASKS.get(benchmark, np.nan),
        "benchmark": benchmark or np.nan,
        "source_url": first["source_url"],
    }
    _check_one_value_per_quantity(path, group)
    locations = []
    for _, fact in group.sort_values("fact_id").iterrows():
        locations.append(
            f"{fact['quantity']}={fact['value']:g} {fact['unit']}: {fact['source_location']}"
        )
        _apply(record, fact)
    record["source_location"] = "; ".join(locations)
    return record


def _check_one_value_per_quantity(path: Path, group: pd.DataFrame) -> None:
    """A record takes each quantity from one fact, so the file's row order cannot decide."""
    repeated = group[group["quantity"].duplicated()]
    if not repeated.empty:
        index = repeated.index[0]
        other = group.index[group["quantity"] == repeated.at[index, "quantity"]][0]
        raise FactsError(
            f"{path}: line {index + 2}, column quantity: {repeated.at[index, 'quantity']!r} "
            f"already given for the same paper, model and benchmark on line {other + 2}"
        )


def _apply(record: dict, fact: pd.Series) -> None:
    quantity, value = fact["quantity"], fact["value"]
    if quantity == "chip_count":
        chip = canonical_chip(fact["chip"])
        record["chip"] = chip if chip else np.nan
        record["chip_count"] = value
    elif quantity == "flops_per_pass":
        macs = fact["unit"] == "multiply-adds"
        record["flops_per_pass_raw"] = value
        record["flops_per_pass"] = value * 2.0 if macs else value
        record["flops_convention"] = "multiply-adds" if macs else "FLOPs"
    elif quantity == "training_flops":
        record["training_flops"] = value
        record["training_flops_method"] = "reported"
    elif quantity in {"training_hours", "epochs", "parameters"}:
        record[quantity] = value
