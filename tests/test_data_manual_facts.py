"""Checks on the hand-read compute facts in data/manual/compute_facts.csv."""

import csv
import math
import re
from pathlib import Path

import pytest

from analysis.paths import DATA_DIR

FACTS_CSV: Path = DATA_DIR / "manual" / "compute_facts.csv"
README: Path = DATA_DIR / "manual" / "README.md"

COLUMNS = [
    "fact_id",
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
]
QUANTITY_UNITS: dict[str, set[str]] = {
    "chip_count": {"count"},
    "training_hours": {"hours"},
    "epochs": {"count"},
    "training_steps": {"count"},
    "batch_size": {"count", "sentences", "tokens"},
    "flops_per_pass": {"FLOPs", "multiply-adds"},
    "training_flops": {"FLOPs"},
    "parameters": {"count"},
}
BENCHMARKS = {
    "",
    "squad11",
    "wmt2014_en_fr",
    "wmt2014_en_de",
    "coco_test_dev",
    "coco_minival",
    "squad11_dev",
    "conll2003",
    "imagenet",
    "librispeech_test_clean",
    "librispeech_test_other",
    "switchboard_hub500",
}
ARXIV_ID = re.compile(r"^\d{4}\.\d{4,5}$")
ARXIV_ABS_URL = re.compile(r"^https://arxiv\.org/abs/\d{4}\.\d{4,5}$")
FACT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9.]+)+$")


def load_rows() -> list[dict[str, str]]:
    """Read the facts CSV as a list of string dictionaries."""
    with FACTS_CSV.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS, f"{FACTS_CSV}: header {reader.fieldnames}"
        return list(reader)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return load_rows()


def where(index: int, column: str) -> str:
    """Locate a cell for error messages (row 1 is the header)."""
    return f"{FACTS_CSV.name} row {index + 2} column {column!r}"


def test_file_has_enough_rows_and_papers(rows: list[dict[str, str]]) -> None:
    assert len(rows) >= 60
    assert len({row["arxiv_id"] for row in rows}) >= 25


def test_fact_ids_are_unique_slugs(rows: list[dict[str, str]]) -> None:
    ids = [row["fact_id"] for row in rows]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate fact_id: {duplicates}"
    for index, row in enumerate(rows):
        assert FACT_ID.match(row["fact_id"]), where(index, "fact_id")


def test_no_duplicate_fact(rows: list[dict[str, str]]) -> None:
    keys = [
        (row["arxiv_id"], row["model"], row["benchmark"], row["quantity"], row["source_url"])
        for row in rows
    ]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, f"same fact stated twice: {duplicates}"


def test_urls_and_ids(rows: list[dict[str, str]]) -> None:
    for index, row in enumerate(rows):
        assert ARXIV_ID.match(row["arxiv_id"]), where(index, "arxiv_id")
        assert row["paper_url"] == f"https://arxiv.org/abs/{row['arxiv_id']}", where(
            index, "paper_url"
        )
        assert ARXIV_ABS_URL.match(row["source_url"]), where(index, "source_url")
        assert row["paper_title"].strip(), where(index, "paper_title")


def test_every_row_has_a_location_and_note(rows: list[dict[str, str]]) -> None:
    for index, row in enumerate(rows):
        assert len(row["source_location"].strip()) >= 5, where(index, "source_location")
        assert row["note"].strip(), where(index, "note")


def test_quantities_units_and_values(rows: list[dict[str, str]]) -> None:
    for index, row in enumerate(rows):
        assert row["quantity"] in QUANTITY_UNITS, where(index, "quantity")
        assert row["unit"] in QUANTITY_UNITS[row["quantity"]], where(index, "unit")
        assert row["benchmark"] in BENCHMARKS, where(index, "benchmark")
        value = float(row["value"])
        assert math.isfinite(value), where(index, "value")
        assert value > 0, where(index, "value")


def test_counts_are_whole_numbers(rows: list[dict[str, str]]) -> None:
    whole = {"chip_count", "training_steps", "batch_size", "parameters"}
    for index, row in enumerate(rows):
        if row["quantity"] in whole:
            assert float(row["value"]).is_integer(), where(index, "value")


def test_chip_named_exactly_on_chip_count_rows(rows: list[dict[str, str]]) -> None:
    for index, row in enumerate(rows):
        if row["quantity"] == "chip_count":
            assert row["chip"].strip(), where(index, "chip")
        else:
            assert row["chip"] == "", where(index, "chip")


def test_chip_names_are_documented(rows: list[dict[str, str]]) -> None:
    readme = README.read_text(encoding="utf-8")
    for chip in {row["chip"] for row in rows if row["chip"]}:
        assert f"`{chip}`" in readme, f"chip {chip!r} not listed in {README}"


def test_day_conversions_are_stated(rows: list[dict[str, str]]) -> None:
    for index, row in enumerate(rows):
        if row["quantity"] == "training_hours" and "day" in row["note"].lower():
            assert "converted" in row["note"], where(index, "note")
