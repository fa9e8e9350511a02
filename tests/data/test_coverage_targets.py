"""Training-compute coverage against its targets (issue 12): target rule and search-log counts."""

import math

import pandas as pd

from analysis import data


def _search(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["paper_id", "task", "benchmark", "outcome_kind"])
    return frame.assign(arxiv_id=None, paper_title=frame["paper_id"])


def test_targets_follow_the_rule_and_count_the_papers_own_results(tables) -> None:
    empty = _search([])
    frame = data.coverage_targets(tables, empty).set_index("target_group")
    assert list(frame.index[:5]) == list(data.ORIGINAL_BENCHMARKS)
    for name, row in frame.iterrows():
        assert 0 <= row["with_training_compute"] <= row["paper_results"]
        assert row["papers_with_training_compute"] <= row["with_training_compute"]
        if row["kind"] == "domain":
            assert row["target"] == data.OTHER_TARGET
        elif row["paper_results"] >= data.ORIGINAL_SMALL:
            assert row["target"] == data.ORIGINAL_TARGET
        else:
            assert row["target"] == math.ceil(data.ORIGINAL_SHARE * row["paper_results"])
        assert row["met"] == (row["with_training_compute"] >= row["target"])
        # with an empty search log only a met target is complete
        assert row["search_log_complete"] == row["met"], name


def test_search_log_counts_distinct_papers_read_without_compute(tables) -> None:
    rows = [(f"p{i}", "speech_recognition", "librispeech_test_clean", "not found")
            for i in range(data.MIN_SEARCHED)]  # fmt: skip
    rows += [("p0", "speech_recognition", "librispeech_test_other", "not usable"),  # same paper
             ("q", "speech_recognition", "librispeech_test_clean", "found"),  # found: not counted
             ("r", "question_answering", "squad11;squad11_dev", "not found")]  # fmt: skip
    frame = data.coverage_targets(tables, _search(rows)).set_index("target_group")
    speech = frame.loc["speech_recognition"]
    assert speech["searched_without_compute"] == data.MIN_SEARCHED
    assert speech["search_log_complete"]
    assert frame.loc["SQuAD 1.1", "searched_without_compute"] == 1
    assert frame.loc["ImageNet", "searched_without_compute"] == 0


def test_papers_searched_counts_each_paper_once_by_id_arxiv_or_title() -> None:
    search = pd.DataFrame(
        {
            "paper_id": ["a", "a", None, None, None],
            "arxiv_id": [None, None, "2101.00001", None, None],
            "paper_title": ["A", "A", "B", "C", "D"],
            "task": ["face_detection", "face_detection", "face_detection",
                     "pose_estimation;face_detection", "speech_recognition"],
        }
    )  # fmt: skip
    assert data.papers_searched(search, "face_detection") == 3
    assert data.papers_searched(search, "speech_recognition") == 1
