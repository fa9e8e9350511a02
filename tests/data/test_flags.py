"""Compute values flagged as wrong in their source stay in the data but out of every fit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analysis import data as dataset
from analysis.schema import DataValidationError


def test_committed_flags_exclude_elmo_from_the_epoch_fit(tables) -> None:
    report = pd.read_csv(dataset.DATA_DIR / dataset.FLAGGED_VALUES, dtype=str)
    out = report.loc[report["in_fits"] == "no", "compute_id"]
    assert set(out) == tables.unusable_compute and len(out) > 0
    fit = dataset.fit_table(tables, "epoch_estimate")
    flagged = report.loc[report["in_fits"] == "no", "result_id"].dropna()
    assert not set(flagged) & set(fit.rows["result_id"])
    reasons = fit.excluded.set_index("result_id").loc[list(flagged), "reason"]
    assert (reasons == dataset.FLAGGED_REASON).all()


def test_values_derived_from_a_flagged_value_are_left_out_too(tables) -> None:
    burden = tables.compute[
        (tables.compute["method"] == "hardware_burden")
        & tables.compute["derived_from"].notna()
        & tables.compute["result_id"].notna()
    ]
    counts = burden.groupby("result_id").size()
    row = burden[burden["result_id"].isin(counts[counts == 1].index)].iloc[0]
    ingredient = row["derived_from"].split(";")[0]
    before = dataset.fit_table(tables, "hardware_burden")
    flagged = replace(tables, unusable_compute=frozenset({ingredient}))
    after = dataset.fit_table(flagged, "hardware_burden")
    if row["result_id"] in set(before.rows["result_id"]):
        assert row["result_id"] not in set(after.rows["result_id"])
    reasons = after.excluded.set_index("result_id")["reason"]
    assert reasons.loc[row["result_id"]] == dataset.FLAGGED_REASON


def test_missing_report_flags_nothing(tmp_path: Path) -> None:
    assert dataset.unusable_compute_ids(tmp_path / "absent.csv") == frozenset()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("compute_id,in_fits\nc1,no\nc2,maybe\n", 3, "must be yes or no"),
        ("compute_id,finding\nc1,x\n", 1, "column is missing"),
    ],
)
def test_bad_in_fits_values_name_the_line(tmp_path: Path, text, line, message) -> None:
    path = tmp_path / "flagged_values.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError, match=message) as error:
        dataset.unusable_compute_ids(path)
    assert "flagged_values.csv" in str(error.value) and "in_fits" in str(error.value)
    assert f"line {line}" in str(error.value)
