"""Coverage report: results with a compute measure, and with one a fit may use."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis import data as dataset
from analysis.data import coverage


@pytest.fixture(scope="module")
def table(tables) -> pd.DataFrame:
    return coverage(tables).set_index("benchmark")


def test_in_fits_count_never_exceeds_any_measure(table) -> None:
    assert (table["with_any_measure_in_fits"] <= table["with_any_measure"]).all()
    assert (table["with_any_measure_in_fits"] >= 0).all()


def test_without_flags_every_measured_result_is_usable(tables) -> None:
    unflagged = coverage(replace(tables, unusable_compute=frozenset()))
    assert (unflagged["with_any_measure_in_fits"] == unflagged["with_any_measure"]).all()


def test_results_measured_only_by_flagged_values_are_not_usable(tables, table) -> None:
    flagged_rows = tables.compute[tables.compute["compute_id"].isin(tables.unusable_compute)]
    flagged_results = set(flagged_rows["result_id"].dropna())
    assert flagged_results, "the committed data flag at least one value out of the fits"
    primary = dataset.primary_results(tables)
    usable = set(dataset.compute_long(tables, usable_only=True)["result_id"])
    lost = primary[primary["result_id"].isin(flagged_results - usable)]
    # a flagged result may keep another, usable measure (ELMo's CoNLL 2003 results have the
    # hand-read bilm-tf hardware burden besides Epoch AI's flagged FLOP): only the lost count
    for benchmark, group in lost.groupby("benchmark"):
        row = table.loc[benchmark]
        assert row["with_any_measure"] - row["with_any_measure_in_fits"] >= len(group)


def test_flagging_every_value_of_a_benchmark_leaves_it_none_usable(tables) -> None:
    primary = dataset.primary_results(tables)
    squad = set(primary.loc[primary["benchmark"] == "squad11_dev", "result_id"])
    ids = tables.compute.loc[tables.compute["result_id"].isin(squad), "compute_id"]
    flagged = replace(tables, unusable_compute=frozenset(ids))
    row = coverage(flagged).set_index("benchmark").loc["squad11_dev"]
    assert row["with_any_measure"] > 0
    assert row["with_any_measure_in_fits"] == 0


def test_in_fits_count_matches_the_fit_tables(tables, table) -> None:
    fitted: dict[str, set[str]] = {}
    for measure in dataset.MEASURES:
        rows = dataset.fit_table(tables, measure).rows
        for benchmark, group in rows.groupby("benchmark"):
            fitted.setdefault(benchmark, set()).update(group["result_id"])
    for benchmark, ids in fitted.items():
        assert len(ids) <= table.loc[benchmark, "with_any_measure_in_fits"]


def test_committed_report_has_the_column(table) -> None:
    report = pd.read_csv(dataset.DATA_DIR / "reports" / "coverage.csv").set_index("benchmark")
    assert list(report.columns) == list(table.columns)
    pd.testing.assert_frame_equal(report, table, check_dtype=False)
