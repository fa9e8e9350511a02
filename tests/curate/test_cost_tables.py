"""The committed cost-input tables: built from the raw sources by the curation, described in the
data package and the data dictionary, and read strictly (file, line, column and value)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.curate.cost_tables import build_cost_tables, cost_resources, write_cost_tables
from analysis.data import COST_COLUMNS, DataValidationError, load_cost_inputs
from analysis.paths import DATA_DIR, sources_dir

COUNTS = {
    "prices.csv": 591,
    "price_index.csv": 295,
    "accelerator_efficiency.csv": 101,
    "carbon_intensity.csv": 295,
}


def _frames(inputs) -> dict[str, pd.DataFrame]:
    return {
        "prices.csv": inputs.prices,
        "price_index.csv": inputs.price_index,
        "accelerator_efficiency.csv": inputs.efficiency,
        "carbon_intensity.csv": inputs.carbon,
    }


def test_committed_tables_have_every_row_with_its_provenance() -> None:
    frames = _frames(load_cost_inputs())
    assert {file: len(frame) for file, frame in frames.items()} == COUNTS
    for frame in frames.values():
        for column in ("source", "source_file", "source_record", "licence"):
            assert frame[column].notna().all()
    carbon = frames["carbon_intensity.csv"]
    assert carbon["pool"].value_counts().to_dict() == {"world_mix": 213, "mlco2_regions": 82}
    assert not carbon.duplicated(["pool", "region"]).any()


@pytest.mark.needs_sources
def test_committed_tables_are_what_the_curation_builds_from_the_sources(tmp_path: Path) -> None:
    write_cost_tables(build_cost_tables(sources_dir()), tmp_path)
    for file in COST_COLUMNS:
        assert (tmp_path / file).read_bytes() == (DATA_DIR / file).read_bytes(), file
    built, committed = _frames(load_cost_inputs(tmp_path)), _frames(load_cost_inputs())
    for file in COST_COLUMNS:
        pd.testing.assert_frame_equal(built[file], committed[file], check_exact=True)


def test_descriptor_and_dictionary_describe_the_tables() -> None:
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["path"]: r for r in descriptor["resources"]}
    expected = {r["path"]: r for r in cost_resources()}
    for file, columns in COST_COLUMNS.items():
        assert resources[file] == expected[file]
        assert [f["name"] for f in resources[file]["schema"]["fields"]] == list(columns)
        assert resources[file]["licenses"] and resources[file]["sources"]
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for file in COST_COLUMNS:
        assert f"### `{file}` ({COUNTS[file]:,} rows)" in readme
    assert "price_index.csv" in (DATA_DIR / "LICENSE-DATA.md").read_text(encoding="utf-8")


def _copy(tmp_path: Path) -> Path:
    for file in COST_COLUMNS:
        shutil.copy2(DATA_DIR / file, tmp_path / file)
    return tmp_path


def _edit(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "line", "old", "new", "column", "problem"),
    [
        ("prices.csv", 2, "499.0", "-499.0", "purchase_price_usd", "negative"),
        ("prices.csv", 2, "2010-11-09", "9 Nov 2010", "price_date", "not a YYYY-MM-DD date"),
        ("price_index.csv", 3, "100.6", "a hundred", "value", "not a number"),
        ("carbon_intensity.csv", 2, "mlco2_regions", "moon", "pool", "not one of"),
        ("accelerator_efficiency.csv", 2, "row 2", "", "source_record", "must not be empty"),
    ],
)
def test_a_bad_cell_is_named_by_file_line_and_column(
    tmp_path: Path, file: str, line: int, old: str, new: str, column: str, problem: str
) -> None:
    data_dir = _copy(tmp_path)
    _edit(data_dir / file, line, old, new)
    with pytest.raises(DataValidationError) as error:
        load_cost_inputs(data_dir)
    text = str(error.value)
    assert file in text and f"line {line}" in text and column in text and problem in text


def test_a_wrong_header_or_missing_table_is_refused(tmp_path: Path) -> None:
    data_dir = _copy(tmp_path)
    _edit(data_dir / "price_index.csv", 1, "month,series", "series,month")
    with pytest.raises(DataValidationError, match="wrong header"):
        load_cost_inputs(data_dir)
    (data_dir / "price_index.csv").unlink()
    with pytest.raises(DataValidationError, match="file is missing"):
        load_cost_inputs(data_dir)
