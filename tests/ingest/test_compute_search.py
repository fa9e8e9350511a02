"""The hand-curated compute search log and its report (issue 12, item 2)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis.curate.identity import normalise_title
from analysis.ingest.compute_search import (
    SEARCH_FILE,
    SearchLogError,
    outcome_kind,
    read_search_log,
    search_report,
)
from analysis.paths import DATA_DIR


def test_committed_log_is_valid_and_reported():
    log = read_search_log()
    assert len(log) >= 200
    report = pd.read_csv(DATA_DIR / "reports" / "compute_search.csv", dtype=str)
    assert len(report) == len(log)
    assert set(report["outcome_kind"]) <= {
        "found", "partial", "not found", "not usable", "not used", "not attached",
        "not attachable", "other",
    }  # fmt: skip


def test_outcome_kind_takes_the_longest_prefix():
    assert outcome_kind("not found in a stored copy") == "not found"
    assert outcome_kind("Found: 8 V100") == "found"
    assert outcome_kind("repo README only") == "other"


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("benchmark", "imagenet;not_a_benchmark", "unknown primary benchmark"),
        ("arxiv_id", "1512.03385v2", "arXiv id"),
        ("outcome", " ", "required"),
    ],
)
def test_corrupted_copy_names_line_and_column(tmp_path, column, value, problem):
    path = tmp_path / "compute_search.csv"
    shutil.copy(SEARCH_FILE, path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[3, column] = value
    frame.to_csv(path, index=False)
    with pytest.raises(SearchLogError, match=rf"line 5, column '{column}': .*{problem}"):
        read_search_log(path)


def test_report_resolves_papers_by_arxiv_id_then_title():
    log = pd.DataFrame(
        {
            "arxiv_id": ["1512.03385", ""],
            "paper_title": ["x", "Some Title!"],
            "benchmark": ["imagenet", "coco_minival;imagenet"],
            "looked_for": ["a", "b"],
            "where": ["w", "w"],
            "outcome": ["found: x", "not found"],
            "pass": ["p", "p"],
        }
    )
    papers = pd.DataFrame(
        {"paper_id": ["he2016deep", "t2020"], "arxiv_id": ["1512.03385", None],
         "title": ["Deep Residual Learning", "some title"]}
    )  # fmt: skip
    report = search_report(log, papers, normalise_title)
    assert report["paper_id"].tolist() == ["he2016deep", "t2020"]
    assert report["task"].tolist() == [
        "image_classification", "object_detection;image_classification"
    ]  # fmt: skip
