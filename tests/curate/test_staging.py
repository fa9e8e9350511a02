"""Atomic curation: outputs are built and validated in a staging directory; on failure nothing
in the data directory or the bibliography changes (:mod:`analysis.curate.staging`).

These tests publish a curation result rebuilt from the committed tables into a copy of
``data/`` (no ingest of the raw sources), so they run in seconds and never touch ``data/``.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.curate.pipeline import CurationResult
from analysis.curate.staging import publish
from analysis.data import DataValidationError, load_tables
from analysis.paths import DATA_DIR, REFERENCES_FILE


def digest(*roots: Path) -> dict[str, str]:
    """sha256 of every file under the given files or directories."""
    out = {}
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def copy(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    references = tmp_path / "references.bib"
    shutil.copy2(REFERENCES_FILE, references)
    return data, references


def committed_result() -> CurationResult:
    """A curation result equal to the committed tables (reports rebuilt from them)."""

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(DATA_DIR / name, dtype=str, keep_default_na=False, na_values=[""])

    tables = load_tables()
    exclusions = read("reports/exclusions.csv")
    return CurationResult(
        papers=read("papers.csv"),
        results=tables.results,
        compute=tables.compute,
        hardware=read("hardware.csv"),
        exclusions=exclusions.assign(source_file="", source_record=""),
        ambiguous=read("reports/dedup_ambiguous.csv"),
    )


def test_an_invalid_table_changes_nothing(copy: tuple[Path, Path]) -> None:
    data, references = copy
    before = digest(data, references)
    result = committed_result()
    result.results = result.results.copy()
    result.results.loc[3, "value"] = 120.0  # outside [0, 100] for every percent metric
    with pytest.raises(DataValidationError) as error:
        publish(result, data, references)
    assert error.value.file == "results.csv" and error.value.column == "value"
    assert digest(data, references) == before


def test_a_dangling_reference_changes_nothing(copy: tuple[Path, Path]) -> None:
    data, references = copy
    before = digest(data, references)
    result = committed_result()
    result.compute = result.compute.copy()
    derived = result.compute.index[result.compute["derived_from"].notna()][0]
    result.compute.loc[derived, "derived_from"] = "c000000000000"
    with pytest.raises(DataValidationError, match="derived_from"):
        publish(result, data, references)
    assert digest(data, references) == before


def test_a_valid_result_is_published_and_validates(copy: tuple[Path, Path]) -> None:
    data, references = copy
    result = committed_result()
    result.results = result.results.copy()
    changed = publish(result, data, references)
    assert data / "results.csv" not in changed  # the same rows give the same bytes
    assert all(data / "manual" not in path.parents for path in changed)
    load_tables(data)
    assert not list(data.rglob(".*.curate-partial"))
