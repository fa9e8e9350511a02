"""Checks on the hand-read compute facts in data/manual/compute_facts.csv.

Format and value rules are those of the reader
(``analysis.ingest.compute.compute_facts.validate_facts``); the checks here are the stricter
house rules for the committed file."""

import csv
import re
from pathlib import Path

import pytest

from analysis.ingest.compute.compute_facts import FACT_COLUMNS, FACTS_FILE, validate_facts

README: Path = FACTS_FILE.parent / "README.md"
ARXIV_ABS_URL = re.compile(r"^https://arxiv\.org/abs/\d{4}\.\d{4,5}$")
REPOSITORY_URL = re.compile(r"^https://github\.com/[\w.-]+/[\w.-]+")
COMMIT = re.compile(r"\b[0-9a-f]{40}\b")
HOURS_CONVERSION = re.compile(r"converted|=\s*[\d,.]+\s*(?:[\w-]+-)?hours|x 24")
FACT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9.+]+)+$")


def load_rows() -> list[dict[str, str]]:
    """Read the facts CSV as a list of string dictionaries (header checked)."""
    with FACTS_FILE.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == list(FACT_COLUMNS), f"{FACTS_FILE}: header {reader.fieldnames}"
        return list(reader)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return load_rows()


def where(index: int, column: str) -> str:
    """Locate a cell for error messages (row 1 is the header)."""
    return f"{FACTS_FILE.name} row {index + 2} column {column!r}"


def test_file_passes_the_readers_validation():
    facts = validate_facts(FACTS_FILE)
    assert (facts["value"] > 0).all()


def test_file_has_enough_rows_and_papers(rows: list[dict[str, str]]) -> None:
    assert len(rows) >= 60
    assert len({row["arxiv_id"] for row in rows}) >= 25


def test_fact_ids_are_unique_slugs(rows: list[dict[str, str]]) -> None:
    for index, row in enumerate(rows):
        assert FACT_ID.match(row["fact_id"]), where(index, "fact_id")


def test_no_duplicate_fact(rows: list[dict[str, str]]) -> None:
    keys = [
        (row["arxiv_id"], row["model"], row["benchmark"], row["quantity"], row["source_url"])
        for row in rows
    ]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, f"same fact stated twice: {duplicates}"


def test_urls_are_arxiv_abstract_pages(rows: list[dict[str, str]]) -> None:
    for index, row in enumerate(rows):
        assert row["paper_url"] == f"https://arxiv.org/abs/{row['arxiv_id']}", where(
            index, "paper_url"
        )
        if not ARXIV_ABS_URL.match(row["source_url"]):
            # issue 12: an official repository's README, config or log at a named commit
            assert REPOSITORY_URL.match(row["source_url"]), where(index, "source_url")
            cited = row["source_url"] + " " + row["source_location"] + " " + row["note"]
            assert COMMIT.search(cited), where(index, "source_location")
        assert row["paper_title"].strip(), where(index, "paper_title")


def test_every_row_has_a_location_and_note(rows: list[dict[str, str]]) -> None:
    for index, row in enumerate(rows):
        assert len(row["source_location"].strip()) >= 5, where(index, "source_location")
        assert row["note"].strip(), where(index, "note")


def test_counts_are_whole_numbers(rows: list[dict[str, str]]) -> None:
    whole = {"chip_count", "training_steps", "batch_size", "parameters"}
    for index, row in enumerate(rows):
        if row["quantity"] in whole:
            assert float(row["value"]).is_integer(), where(index, "value")


def test_chip_names_are_documented(rows: list[dict[str, str]]) -> None:
    readme = README.read_text(encoding="utf-8")
    for chip in {row["chip"] for row in rows if row["chip"]}:
        assert f"`{chip}`" in readme, f"chip {chip!r} not listed in {README}"


def test_day_conversions_are_stated(rows: list[dict[str, str]]) -> None:
    for index, row in enumerate(rows):
        if row["quantity"] == "training_hours" and "day" in row["note"].lower():
            assert HOURS_CONVERSION.search(row["note"]), where(index, "note")
