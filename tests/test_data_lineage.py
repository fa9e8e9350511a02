"""Lineage of derived compute values: ``derived_from`` names compute_ids that exist, and a flag
(``in_fits`` = no) on an ingredient removes every value derived from it from the fits.

The end-to-end test starts from ``data/manual/source_flags.csv`` as a contributor edits it,
rebuilds the flagged-values report the way the curation does
(:func:`analysis.curate.pipeline.flagged_values`) in a copy of the data directory, reloads the
tables and fits: RoBERTa-Large's training hours (Epoch AI, an assumption of Epoch's) flagged
``no`` take its hardware burden out of the fit.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import data as dataset
from analysis.curate.pipeline import flagged_values
from analysis.paths import DATA_DIR
from analysis.schema import DataValidationError, check_references

INGREDIENTS = {
    "hardware_burden": {"chip_count", "training_hours"},
    "network_operations": {"flops_per_pass", "epochs", "training_examples"},
}
ROBERTA = ("epoch-ai-models", "row 1460: RoBERTa Large", "training_hours")


@pytest.fixture(scope="module")
def tables() -> dataset.Tables:
    return dataset.load_tables()


@pytest.fixture(scope="module")
def compute() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "compute.csv", dtype=str)


def test_every_derived_from_id_exists_in_the_committed_table(compute: pd.DataFrame) -> None:
    ids = set(compute["compute_id"])
    derived = compute[compute["derived_from"].notna()]
    assert len(derived) > 0
    dangling = [
        (cid, ingredient)
        for cid, names in zip(derived["compute_id"], derived["derived_from"], strict=True)
        for ingredient in names.split(";")
        if ingredient not in ids
    ]
    assert dangling == []


def test_derived_rows_name_their_own_ingredients(compute: pd.DataFrame) -> None:
    """A hardware-burden row is derived from a chip count and a training time of the same
    record and result; network operations from FLOPs, epochs and examples."""
    by_id = compute.set_index("compute_id")
    for method, allowed in INGREDIENTS.items():
        rows = compute[compute["method"] == method]
        assert len(rows) > 0 and rows["derived_from"].notna().all(), method
        for row in rows.itertuples(index=False):
            parts = by_id.loc[row.derived_from.split(";")]
            assert set(parts["quantity"]) <= allowed, (row.compute_id, method)
            assert (parts["source_record"] == row.source_record).all(), row.compute_id
            own = "" if pd.isna(row.result_id) else row.result_id
            assert (parts["result_id"].fillna("") == own).all(), row.compute_id
    carried = compute[compute["match"] == "architecture"]
    assert (by_id.loc[carried["derived_from"], "quantity"] == "flops_per_pass").all()


def test_a_dangling_derived_from_is_a_validation_error(tables) -> None:
    compute = tables.compute.copy()
    index = compute.index[compute["derived_from"].notna()][0]
    compute.loc[index, "derived_from"] = "c000000000000"
    with pytest.raises(DataValidationError, match="derived_from") as error:
        check_references(tables.papers, tables.results, compute, tables.hardware)
    assert error.value.line == index + 2


def test_flag_on_a_training_time_removes_the_hardware_burden_from_the_fits(
    tmp_path: Path, tables
) -> None:
    """End to end on a real row: flag RoBERTa-Large's training hours in source_flags.csv."""
    flags = pd.read_csv(DATA_DIR / "manual" / "source_flags.csv", dtype=str)
    hit = (flags["source"] == ROBERTA[0]) & (flags["source_record"] == ROBERTA[1])
    hit &= flags["quantity"] == ROBERTA[2]
    assert hit.sum() == 1 and (flags.loc[hit, "in_fits"] == "yes").all()
    flags.loc[hit, "in_fits"] = "no"
    flags_file = tmp_path / "source_flags.csv"
    flags.to_csv(flags_file, index=False)

    data = tmp_path / "data"
    (data / "reports").mkdir(parents=True)
    for name in ("papers.csv", "results.csv", "compute.csv", "hardware.csv"):
        shutil.copy(DATA_DIR / name, data / name)
    report = flagged_values(tables.compute, flags_file)
    report.to_csv(data / dataset.FLAGGED_VALUES, index=False, float_format="%.10g")
    flagged = dataset.load_tables(data)

    compute = tables.compute
    hours = compute[
        (compute["source"] == ROBERTA[0])
        & (compute["source_record"] == ROBERTA[1])
        & (compute["quantity"] == ROBERTA[2])
    ]
    assert len(hours) >= 1
    uses_hours = (
        compute["derived_from"]
        .fillna("")
        .map(lambda names: bool(set(names.split(";")) & set(hours["compute_id"])))
    )
    burden = compute[(compute["method"] == "hardware_burden") & uses_hours]
    assert len(burden) >= 1
    assert set(burden["compute_id"]) <= flagged.unusable_compute
    assert not set(burden["compute_id"]) & tables.unusable_compute

    before = dataset.fit_table(tables, "hardware_burden").rows.set_index("result_id")
    after = dataset.fit_table(flagged, "hardware_burden")
    for row in burden.itertuples(index=False):
        assert row.result_id in before.index
        assert before.at[row.result_id, "log10_compute"] == pytest.approx(np.log10(row.value))
        if row.result_id in set(after.rows["result_id"]):
            kept = after.rows.set_index("result_id").at[row.result_id, "log10_compute"]
            assert kept != pytest.approx(np.log10(row.value))
        else:
            reasons = after.excluded.set_index("result_id")["reason"]
            assert reasons.loc[row.result_id] == dataset.FLAGGED_REASON
    # nothing else moves: only results whose hardware burden used the flagged hours
    gone = set(before.index) - set(after.rows["result_id"])
    assert gone <= set(burden["result_id"])
