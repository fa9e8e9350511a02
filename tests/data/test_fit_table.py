"""fit_table and compute_long on the committed data and on a small synthetic dataset."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.data import (
    MEASURES,
    Tables,
    compute_long,
    decimal_year,
    fit_table,
    frontier_flags,
    primary_results,
)


@pytest.mark.parametrize("measure", MEASURES)
def test_every_primary_result_is_fitted_or_excluded(tables, measure):
    fit = fit_table(tables, measure)
    primary = primary_results(tables)
    assert set(fit.rows["result_id"]).isdisjoint(fit.excluded["result_id"])
    assert set(fit.rows["result_id"]) | set(fit.excluded["result_id"]) == set(primary["result_id"])
    assert fit.excluded["reason"].notna().all()


@pytest.mark.parametrize("measure", MEASURES)
def test_fit_rows_are_usable(tables, measure):
    rows = fit_table(tables, measure).rows
    assert (rows["error"] > 0).all()
    assert rows["year"].between(1950, 2027).all()
    assert np.isfinite(rows["log10_compute"]).all()
    assert (rows["series"] == rows["benchmark"] + "/" + rows["metric"]).all()
    assert rows["is_frontier"].dtype == bool
    assert (rows["measure"] == measure).all()


def test_targets_imagenet_and_coco(tables):
    long = compute_long(tables)
    primary = primary_results(tables)
    with_any = primary[primary["result_id"].isin(long["result_id"])]
    counts = with_any.groupby("benchmark")["result_id"].nunique()
    assert counts.get("imagenet", 0) >= 100
    assert counts.get("coco_minival", 0) + counts.get("coco_test_dev", 0) >= 30


def test_unknown_measure_is_rejected(tables):
    with pytest.raises(ValueError, match="unknown measure"):
        fit_table(tables, "vibes")


def test_compute_long_one_row_per_result_and_measure(tables):
    long = compute_long(tables)
    assert not long.duplicated(["result_id", "measure"]).any()
    assert set(long["measure"]) <= set(MEASURES)


def test_decimal_year():
    assert decimal_year("2020-01-01") == pytest.approx(2020.0)
    assert decimal_year("2019-07-02") == pytest.approx(2019 + 182 / 365)
    assert decimal_year("2018-03") == pytest.approx(2018 + 2.5 / 12)
    assert np.isnan(decimal_year(None))


def test_frontier_flags():
    frame = pd.DataFrame(
        {
            "series": ["s"] * 5 + ["t"],
            "year": [2015.0, 2016.0, 2016.0, 2017.0, np.nan, 2015.0],
            "error": [30.0, 25.0, 31.0, 26.0, 1.0, 50.0],
        }
    )
    assert frontier_flags(frame).tolist() == [True, True, False, False, False, True]
    retrained = frame.assign(score_origin=["paper", "library re-training", *["paper"] * 4])
    assert frontier_flags(retrained).tolist() == [True, False, False, True, False, True]


def _tiny_tables() -> Tables:
    papers = pd.DataFrame(
        {"paper_id": ["a2015x", "b2016y", "c2017z"], "date": ["2015-06-01", "2016-06-01", None]}
    )
    results = pd.DataFrame(
        {
            "result_id": ["r1", "r2", "r3", "r4", "r5"],
            "paper_id": ["a2015x", "b2016y", "c2017z", "b2016y", "a2015x"],
            "task": ["image_classification"] * 4 + ["image_generation"],
            "benchmark": ["imagenet", "imagenet", "imagenet", "imagenet", "cifar10_generation"],
            "benchmark_role": ["primary"] * 5,
            "metric": ["top1_accuracy", "top1_accuracy", "top1_accuracy", "top5_accuracy", "fid"],
            "error": [30.0, 20.0, 15.0, 5.0, 0.0],
            "score_origin": ["paper"] * 5,
            "source": ["pwc_2020"] * 5,
        }
    )
    compute = pd.DataFrame(
        {
            "result_id": ["r1", "r1", "r2", "r3"],
            "quantity": ["flops_per_pass", "flops_per_pass", "training_flops", "flops_per_pass"],
            "method": ["reported", "reported", "hardware_burden", "reported"],
            "match": ["same-record", "paper-best", "model", "same-record"],
            "value": [1e9, 1e12, 1e18, 1e10],
        }
    )
    return Tables(papers=papers, results=results, compute=compute, hardware=pd.DataFrame())


def test_fit_table_reasons_on_tiny_data():
    fit = fit_table(_tiny_tables(), "flops_per_pass")
    assert fit.rows["result_id"].tolist() == ["r1"]
    assert fit.rows["log10_compute"].iloc[0] == pytest.approx(9.0)
    reasons = dict(zip(fit.excluded["result_id"], fit.excluded["reason"], strict=True))
    assert reasons == {
        "r2": "no compute for measure flops_per_pass",
        "r3": "no publication date (year only or none)",
        "r5": "error not positive",
    }
    burden = fit_table(_tiny_tables(), "hardware_burden")
    assert burden.rows["result_id"].tolist() == ["r2"]
    assert burden.rows["log10_compute"].iloc[0] == pytest.approx(18.0)
