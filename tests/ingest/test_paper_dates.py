"""Paper dates: the arXiv v1 date outranks venue and Epoch AI dates; hand-entered dates are
checked against the identifier; conflicting sources are reported, never silently resolved."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.curate.identity import build_papers, date_conflicts, identify_papers
from analysis.ingest._common import RECORD_COLUMNS
from analysis.ingest.paper_dates import (
    CONFLICT_DAYS,
    HAND,
    MANUAL_DATES_COLUMNS,
    MANUAL_DATES_FILE,
    RULE_AGREES,
    RULE_DAY,
    RULE_HAND,
    RULE_ID_MONTH,
    agrees_with_arxiv_id,
    arxiv_month,
    choose_date,
    conflict_row,
    date_spread,
    gap_days,
    read_manual_dates,
)
from analysis.paths import DATA_DIR

DEBERTA = "2006.03654"


def _dates(*pairs: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["source", "paper_date"])


def test_epoch_date_a_year_late_loses_to_the_arxiv_identifier_month():
    choice = choose_date(_dates(("epoch-ai-models", "2021-06-10")), DEBERTA)
    assert (choice.date, choice.precision, choice.rule) == ("2020-06", "month", RULE_ID_MONTH)


def test_hand_entered_v1_date_wins_and_the_conflict_is_reported():
    group = _dates(("epoch-ai-models", "2021-06-10"), ("pwc_2020", "2020-06-20"))
    choice = choose_date(group, DEBERTA, hand_date="2020-06-05")
    assert (choice.date, choice.rule) == ("2020-06-05", RULE_HAND)
    row = conflict_row(group, DEBERTA, hand_date="2020-06-05")
    assert row is not None
    assert row[HAND] == "2020-06-05"
    assert row["epoch-ai-models"] == "2021-06-10"
    assert row["chosen_date"] == "2020-06-05"
    assert row["spread_days"] == gap_days("2020-06-05", "2021-06-10") > CONFLICT_DAYS


def test_venue_date_from_a_preferred_source_is_not_taken_for_the_v1_date():
    group = _dates(("pwc_2020", "2019-12-01"), ("epoch-ai-models", "2019-06-20"))
    choice = choose_date(group, "1906.04016")
    assert (choice.date, choice.source, choice.rule) == (
        "2019-06-20",
        "epoch-ai-models paper_date",
        RULE_AGREES,
    )


def test_source_priority_among_dates_that_agree_with_the_identifier():
    group = _dates(("epoch-ai-models", "2018-10-02"), ("pwc_2020", "2018-10-11"))
    assert choose_date(group, "1810.04805").date == "2018-10-11"


@pytest.mark.parametrize(
    ("date", "agrees"),
    [
        ("2017-04-15", True),
        ("2017-03-31", True),  # submitted on the last day, announced (numbered) in April
        ("2017-03-25", True),
        ("2017-03-24", False),  # more than 7 days before the identifier's month
        ("2017-05-01", False),  # v1 can never follow its identifier's month
    ],
)
def test_v1_window_around_the_identifier_month(date, agrees):
    assert agrees_with_arxiv_id(date, "1704.00028") is agrees


def test_identifier_month_and_gaps():
    assert arxiv_month("2006.03654") == "2020-06"
    assert arxiv_month("cs/0101001") is None
    assert arxiv_month("2013.00001") is None
    assert gap_days("2020-06", "2020-06-30") == 0
    assert gap_days("2020-06", "2020-08-01") == 32


def test_submission_dates_do_not_make_a_conflict():
    group = _dates(("pwc_2020", "2016-11-04"), ("squad_leaderboard", "2017-09-01"))
    assert date_spread(group, "1611.01436") == 0
    assert conflict_row(group, "1611.01436") is None


def test_paper_without_arxiv_id_keeps_source_priority_and_is_reported():
    group = _dates(("epoch-ai-models", "2015-01-10"), ("pwc_2020", "2015-12-10"))
    choice = choose_date(group, None)
    assert (choice.date, choice.rule) == ("2015-12-10", RULE_DAY)
    row = conflict_row(group, None)
    assert row is not None and row["rule"] == RULE_DAY and row["arxiv_id_month"] is None


def _records(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows).reindex(columns=RECORD_COLUMNS)


def test_build_papers_dates_and_keys_follow_the_v1_date():
    title = "DeBERTa: Decoding-enhanced BERT with Disentangled Attention"
    records = _records(
        [
            {
                "source": "epoch-ai-models",
                "source_record": "1",
                "paper_title": title,
                "arxiv_id": DEBERTA,
                "paper_date": "2021-06-10",
                "authors": "Pengcheng He, Xiaodong Liu",
            }
        ]
    )
    keys = identify_papers(records).record_paper
    papers = build_papers(records, keys, {DEBERTA: "2020-06-05"})
    row = papers.iloc[0]
    assert (row["date"], row["year"], row["paper_id"]) == ("2020-06-05", 2020, "he2020deberta")
    assert row["date_source"] == "data/manual/paper_dates.csv"
    report = date_conflicts(records, keys, papers, {DEBERTA: "2020-06-05"})
    assert report["paper_id"].tolist() == ["he2020deberta"]
    assert report.loc[0, "rule"] == RULE_HAND
    without_hand = build_papers(records, keys)
    assert without_hand.iloc[0]["date"] == "2020-06"


# --------------------------------------------------------------------------- hand-entered file

GOOD_ROW = {
    "arxiv_id": DEBERTA,
    "date": "2020-06-05",
    "source_url": "https://arxiv.org/abs/2006.03654",
    "source_location": "Submission history, [v1]",
    "note": "",
}


def _write(tmp_path: Path, rows: list[dict[str, str]], columns=MANUAL_DATES_COLUMNS) -> Path:
    path = tmp_path / "paper_dates.csv"
    pd.DataFrame(rows, columns=list(columns)).to_csv(path, index=False)
    return path


def test_manual_dates_read(tmp_path):
    assert read_manual_dates(_write(tmp_path, [GOOD_ROW])) == {DEBERTA: "2020-06-05"}
    assert read_manual_dates(tmp_path / "missing.csv") == {}


@pytest.mark.parametrize(
    ("change", "column", "problem"),
    [
        ({"date": "2021-06-10"}, "date", "cannot be the v1 date of 2006.03654"),
        ({"date": "2020-07-01"}, "date", "cannot be the v1 date"),
        ({"date": "2020-06-31"}, "date", "not a calendar date"),
        ({"date": "June 2020"}, "date", "not a calendar date"),
        ({"arxiv_id": "2006.03654v2"}, "arxiv_id", "not a new-style arXiv identifier"),
        ({"source_url": " "}, "source_url", "required"),
        ({"source_location": ""}, "source_location", "required"),
    ],
)
def test_corrupted_manual_date_names_line_and_column(tmp_path, change, column, problem):
    path = _write(tmp_path, [{**GOOD_ROW, "arxiv_id": "1810.04805", "date": "2018-10-11"}])
    path = _write(
        tmp_path, [*pd.read_csv(path, dtype=str).to_dict("records"), {**GOOD_ROW, **change}]
    )
    with pytest.raises(ValueError) as error:
        read_manual_dates(path)
    message = str(error.value)
    assert message.startswith("paper_dates.csv, line 3, ")
    assert f"column {column!r}" in message and problem in message


def test_manual_date_entered_twice_and_bad_header(tmp_path):
    with pytest.raises(ValueError, match=r"line 3, column 'arxiv_id': entered twice"):
        read_manual_dates(_write(tmp_path, [GOOD_ROW, GOOD_ROW]))
    with pytest.raises(ValueError, match=r"line 1: header must be"):
        read_manual_dates(_write(tmp_path, [GOOD_ROW], columns=reversed(MANUAL_DATES_COLUMNS)))


# --------------------------------------------------------------------------- committed tables


def _papers() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "papers.csv", dtype=str, keep_default_na=False)


def test_committed_arxiv_paper_dates_are_v1_dates_or_identifier_months():
    papers = _papers()
    arxiv = papers[papers["arxiv_id"].map(arxiv_month).notna()]
    assert len(arxiv) > 1000
    bad = arxiv[
        [
            not (date == arxiv_month(a) or agrees_with_arxiv_id(date, a))
            for date, a in zip(arxiv["date"], arxiv["arxiv_id"], strict=True)
        ]
    ]
    assert bad.empty, bad[["paper_id", "arxiv_id", "date", "date_source"]].to_string()


def test_committed_hand_dates_are_used_and_conflicts_match_the_papers():
    papers = _papers().set_index("arxiv_id")
    for arxiv_id, date in read_manual_dates(MANUAL_DATES_FILE).items():
        if arxiv_id in papers.index:
            assert papers.loc[arxiv_id, "date"] == date
    conflicts = pd.read_csv(DATA_DIR / "reports" / "date_conflicts.csv", dtype=str)
    assert (conflicts["spread_days"].astype(int) > CONFLICT_DAYS).all()
    chosen = _papers().set_index("paper_id").loc[conflicts["paper_id"], "date"]
    assert chosen.tolist() == conflicts["chosen_date"].tolist()
