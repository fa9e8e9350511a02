"""Time-true, like-for-like results (issue 10): result_date, population, extra_data, duplicates.

On the committed data: every zoo score is dated by its zoo's history (never the architecture's
date), every fit and backtest orders rows by result_date, the default population keeps one row
per training run. On corrupted copies of the hand-curated tables: errors name file, line, column.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis.checks.backtest import split_at
from analysis.curate.result_columns import ResultColumnsError, add_result_columns
from analysis.data import (
    DUPLICATE_REASON,
    MEASURES,
    RETRAINING_REASON,
    decimal_year,
    duplicate_pairs,
    fit_table,
    load_tables,
    primary_results,
    size_tokens,
    split_population,
)
from analysis.ingest.result_tables import (
    EXTRA_DATA_FILE,
    KEY,
    RESULT_DATES_FILE,
    SAME_WEIGHTS_FILE,
    ResultTableError,
    read_extra_data,
    read_result_dates,
    read_same_weights,
)


@pytest.fixture(scope="module")
def tables():
    return load_tables()


def test_paper_results_take_the_paper_date(tables):
    results = tables.results
    paper = results[results["score_origin"] == "paper"]
    dated = paper[paper["architecture_date"].notna()]
    assert (dated["result_date"] == dated["architecture_date"]).all()
    assert (dated["result_date_source"] == "paper date").all()
    assert (paper["population"] == "paper").all()


def test_zoo_results_are_dated_by_their_zoo_never_by_the_architecture(tables):
    zoo = tables.results[tables.results["score_origin"] != "paper"]
    assert zoo["result_date"].notna().all()
    assert zoo["result_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert (zoo["result_date_source"] != "paper date").all()
    assert zoo["result_date_source"].str.contains(r"@[0-9a-f]{7,40}").all()
    assert set(zoo["population"]) == {"same_weights", "retraining"}
    # resnet50d.ra4_e3600_r224_in1k: timm's 2024 recipe, not the 2015 ResNet paper
    ra4 = zoo[zoo["model"] == "resnet50d.ra4_e3600_r224_in1k"]
    assert not ra4.empty and (ra4["result_date"] >= "2024-01-01").all()
    assert (ra4["architecture_date"] < "2019-01-01").all()


def test_extra_data_on_every_image_classification_row_only(tables):
    results = tables.results
    classification = results["task"] == "image_classification"
    assert results.loc[classification, "extra_data"].notna().all()
    assert results.loc[~classification, "extra_data"].isna().all()
    assert results.loc[~classification, "compute_includes_pretraining"].isna().all()
    noisy = results[results["model"].fillna("").str.contains("ns_jft")]
    assert (noisy["extra_data"] == "JFT-300M").all()


@pytest.mark.parametrize("measure", MEASURES)
def test_no_row_enters_a_fit_before_its_result_date(tables, measure):
    rows = fit_table(tables, measure).rows
    by_id = tables.results.set_index("result_id")["result_date"]
    assert (rows["date"] == rows["result_id"].map(by_id)).all()
    assert (rows["year"] == rows["date"].map(decimal_year)).all()
    assert {"architecture_date", "population"} <= set(rows.columns)


@pytest.mark.parametrize("cutoff", [2016.0, 2019.0, 2021.0])
def test_a_backtest_split_has_no_row_published_after_its_cutoff(tables, cutoff):
    rows = fit_table(tables, "flops_per_pass").rows
    train, _, _ = split_at(rows, cutoff)
    assert (train["date"].map(decimal_year) < cutoff).all()
    # the architecture's date would have let later re-trainings in: not any more
    earlier_architecture = rows[rows["architecture_date"].map(decimal_year) < cutoff]
    assert len(train) < len(earlier_architecture)


def test_primary_results_keep_the_architecture_date(tables):
    primary = primary_results(tables)
    assert primary["date"].fillna("").equals(primary["result_date"].fillna(""))
    assert "architecture_date" in primary


def test_size_tokens_tell_models_apart():
    assert size_tokens("ResNeXt-101 32x4d (semi-weakly sup.)") == {"101", "32x4d"}
    assert size_tokens("EfficientNet-B7") <= size_tokens("tf_efficientnet_b7.ns_jft_in1k")
    assert not size_tokens("EfficientNet-B7") <= size_tokens("tf_efficientnet_b6.ap_in1k")
    assert not size_tokens("ConvNeXt-L") <= size_tokens("convnext_tiny.fb_in22k_ft_in1k_384")
    assert size_tokens("DPN-68 (224x224)") == size_tokens("DPN-68")


def test_duplicates_pair_same_weights_with_the_papers_own_result(tables):
    pairs = duplicate_pairs(tables)
    assert not pairs.empty
    population = tables.results.set_index("result_id")["population"]
    assert (pairs["zoo_result_id"].map(population) == "same_weights").all()
    assert (pairs["paper_result_id"].map(population) == "paper").all()
    assert (pairs["difference"] <= 0.5).all()
    assert pairs["zoo_result_id"].is_unique
    committed = pd.read_csv("data/reports/duplicates.csv", dtype={"zoo_result_id": str})
    assert set(committed["zoo_result_id"]) == set(pairs["zoo_result_id"])


@pytest.mark.parametrize("measure", MEASURES)
def test_split_population_counts_every_row_left_out(tables, measure):
    fit = fit_table(tables, measure)
    split = split_population(fit, tables)
    default, sensitivity = split.default, split.sensitivity
    assert set(default.rows["population"]) <= {"paper", "same_weights"}
    assert set(sensitivity.rows["population"]) <= {"retraining"}
    primary = set(primary_results(tables)["result_id"])
    for part in (default, sensitivity):
        assert set(part.rows["result_id"]).isdisjoint(part.excluded["result_id"])
        assert set(part.rows["result_id"]) | set(part.excluded["result_id"]) == primary
    left_out = default.excluded["reason"].value_counts()
    assert left_out.get(RETRAINING_REASON, 0) == (fit.rows["population"] == "retraining").sum()
    assert left_out.get(DUPLICATE_REASON, 0) == len(split.duplicates)
    # one row per training run: no zoo twin of a paper result stays beside it
    kept = set(default.rows["result_id"])
    assert not (set(split.duplicates["zoo_result_id"]) & kept)


# --------------------------------------------------------------------------- corrupted copies


def _corrupt(tmp_path, source, column, value, line=2):
    path = tmp_path / source.name
    shutil.copy(source, path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[line - 2, column] = value
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("result_date", "2019-02-30", "not a YYYY-MM-DD date"),
        ("result_date", "2019", "not a YYYY-MM-DD date"),
        ("result_date_flag", "guess", "not in"),
        ("result_date_source", "the architecture paper", "must name the commit"),
    ],
)
def test_corrupted_result_dates_name_line_and_column(tmp_path, column, value, problem):
    path = _corrupt(tmp_path, RESULT_DATES_FILE, column, value, line=7)
    with pytest.raises(ResultTableError, match=rf"line 7, column '{column}': {problem}"):
        read_result_dates(path)


def test_a_score_listed_twice_is_an_error(tmp_path):
    path = tmp_path / RESULT_DATES_FILE.name
    frame = pd.read_csv(RESULT_DATES_FILE, dtype=str, keep_default_na=False)
    pd.concat([frame.head(5), frame.head(1)]).to_csv(path, index=False)
    with pytest.raises(ResultTableError, match=r"line 7, column 'model': .*also on line 2"):
        read_result_dates(path)


def test_corrupted_extra_data_and_same_weights(tmp_path):
    path = _corrupt(tmp_path, EXTRA_DATA_FILE, "extra_data", "lots", line=4)
    with pytest.raises(ResultTableError, match=r"line 4, column 'extra_data'"):
        read_extra_data(path)
    path = _corrupt(tmp_path, EXTRA_DATA_FILE, "compute_includes_pretraining", "maybe")
    with pytest.raises(ResultTableError, match=r"line 2, column 'compute_includes_pretraining'"):
        read_extra_data(path)
    path = _corrupt(tmp_path, SAME_WEIGHTS_FILE, "evidence", " ", line=3)
    with pytest.raises(ResultTableError, match=r"line 3, column 'evidence': required"):
        read_same_weights(path)


def _tiny():
    results = pd.DataFrame(
        {
            "result_id": ["r1", "r2", "r3"],
            "paper_id": ["p", "p", "p"],
            "task": ["image_classification"] * 3,
            "model": ["ResNet-50", "resnet50.tv_in1k", "resnet50.a1_in1k"],
            "source": ["pwc_2020", "timm-results", "timm-results"],
            "source_file": ["f", "g", "g"],
            "benchmark": ["imagenet"] * 3,
            "metric": ["top1_accuracy"] * 3,
            "value_reported": ["76.1", "76.13", "80.4"],
            "score_origin": ["paper", "library re-evaluation", "library re-training"],
        }
    )
    papers = pd.DataFrame({"paper_id": ["p"], "date": ["2015-12-10"]})
    key = results[list(KEY)]
    dates = key.iloc[1:].assign(
        result_date=["2019-02-01", "2021-10-04"],
        result_date_source=["repo@abcdef1 adds it", "repo@1234567 adds it"],
        result_date_flag=["", ""],
    )
    same = key.iloc[[1]].assign(ported_from="torchvision", evidence="authors' release")
    extra = key.assign(
        extra_data="none", compute_includes_pretraining="n/a (no pre-training)", rule_or_source="x"
    )
    return results, papers, dates, same, extra


def test_add_result_columns_rules():
    results, papers, dates, same, extra = _tiny()
    out = add_result_columns(results, papers, dates, same, extra)
    assert out["result_date"].tolist() == ["2015-12-10", "2019-02-01", "2021-10-04"]
    assert out["architecture_date"].tolist() == ["2015-12-10"] * 3
    assert out["population"].tolist() == ["paper", "same_weights", "retraining"]
    assert out["result_date_source"].iloc[0] == "paper date"


def test_an_undated_zoo_score_stops_the_rebuild():
    results, papers, dates, same, extra = _tiny()
    with pytest.raises(ResultColumnsError, match=r"result_dates\.csv: 1 model-zoo result"):
        add_result_columns(results, papers, dates.iloc[:1], same, extra)
    with pytest.raises(ResultColumnsError, match=r"extra_data\.csv: 1 image-classification"):
        add_result_columns(results, papers, dates, same, extra.iloc[1:])


def test_coverage_counts_the_papers_own_results(tables):
    from analysis.data import coverage

    table = coverage(tables).set_index("benchmark")
    columns = [
        "paper_results", "paper_papers", "paper_with_training_compute",
        "paper_papers_with_training_compute", "paper_with_flops_per_pass",
    ]  # fmt: skip
    assert (table["paper_with_training_compute"] <= table["paper_results"]).all()
    assert (table["paper_papers_with_training_compute"] <= table["paper_papers"]).all()
    assert (table["paper_results"] <= table["results"]).all()
    assert table.at["imagenet", "paper_with_flops_per_pass"] >= 120
    assert table.at["coco_keypoints", "paper_with_training_compute"] >= 10
    committed = pd.read_csv("data/reports/coverage.csv").set_index("benchmark")
    assert committed[columns].equals(table[columns])
