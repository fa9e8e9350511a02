"""Time-true dating in the data stage: the dating rules, results by origin and result year, and
the default population of the fits."""

import pandas as pd

from analysis import data
from analysis.data import DUPLICATE_REASON, RETRAINING_REASON


def test_date_rule_names_the_paper_or_the_zoo_repository() -> None:
    assert data.date_rule("paper date") == "paper's own date"
    source = "huggingface/pytorch-image-models@a09e240cd6f0e08ad25efda9b5b1234567890abc (2021)"
    assert data.date_rule(source) == "first appearance in huggingface/pytorch-image-models"
    assert data.date_rule(None).startswith("other")


def test_date_rules_count_every_primary_result_once(tables) -> None:
    rules = data.date_rules(tables)
    assert rules["results"].sum() == len(data.primary_results(tables))
    own = rules.set_index("rule").loc["paper's own date"]
    assert own["moved"] == 0  # a paper's own result keeps its paper's date
    zoo = rules[rules["rule"].str.startswith("first appearance")]
    assert (zoo["moved"] > 0).all() and (zoo["median_shift_years"] >= 0).all()


def test_results_by_origin_year_adds_up_to_the_dated_primary_results(tables) -> None:
    counts = data.results_by_origin_year(tables)
    primary = data.primary_results(tables)
    assert counts["results"].sum() == int(primary["year"].notna().sum())
    assert set(counts["score_origin"]) <= set(primary["score_origin"])


def test_default_fit_table_keeps_only_the_default_population(tables) -> None:
    for measure in ("hardware_burden", "flops_per_pass"):
        whole = data.fit_table(tables, measure)
        default = data.default_fit_table(tables, measure)
        assert set(default.rows["population"]) <= set(data.DEFAULT_POPULATIONS)
        left = default.excluded[
            default.excluded["reason"].isin([RETRAINING_REASON, DUPLICATE_REASON])
        ]
        # every row of the whole table is either kept or left out with a population reason
        assert len(default.rows) + len(left) == len(whole.rows)
        assert not set(default.rows["result_id"]) & set(left["result_id"])


def test_no_default_row_is_a_second_observation_of_one_training_run(tables) -> None:
    pairs = data.duplicate_pairs(tables)
    rows = data.default_fit_table(tables, "flops_per_pass").rows
    both = pairs["paper_result_id"].isin(rows["result_id"]) & pairs["zoo_result_id"].isin(
        rows["result_id"]
    )
    assert not both.any(), pd.DataFrame(pairs[both]).head()
