"""Hand-curated authors (data/manual/authors.csv): the merge on small inputs, the strict reading
of the file, and the committed data (coverage, papers with training compute, references.bib)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.curate.authors import (
    COLUMNS,
    MANUAL_AUTHORS_FILE,
    fill_authors,
    natural_authors,
    natural_name,
    read_manual_authors,
    split_bibtex,
)
from analysis.curate.bibliography import bibtex_authors
from analysis.schema import DataValidationError

COVERAGE_MIN = 0.95
"""Share of all papers that must have authors (issue: authors for the bibliography)."""


def _papers(**columns: list[object]) -> pd.DataFrame:
    base = {"paper_id": ["a2019x", "b2020y"], "authors": [None, None], "venue": [None, None]}
    return pd.DataFrame({**base, **columns})


def _manual(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(p, a, v, "https://example.org/p", "author line", "arxiv_id") for p, a, v in rows],
        columns=list(COLUMNS),
    )


# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bibtex", "natural"),
    [
        ("Lahoud, Jean", "Jean Lahoud"),
        ("van den Oord, Aaron", "Aaron van den Oord"),
        ("Smith, Jr., John", "John Smith Jr."),
        ("{OpenAI}", "{OpenAI}"),
        ("others", "others"),
    ],
)
def test_natural_name(bibtex, natural):
    assert natural_name(bibtex) == natural


def test_natural_authors_and_split():
    authors = "Lahoud, Jean and Ghanem, Bernard"
    assert split_bibtex(authors) == ["Lahoud, Jean", "Ghanem, Bernard"]
    assert natural_authors(authors) == "Jean Lahoud, Bernard Ghanem"
    assert natural_authors("{Google DeepMind}") == "{Google DeepMind}"


def test_corporate_author_keeps_its_braces_in_bibtex():
    assert bibtex_authors("{OpenAI}") == "{OpenAI}"
    assert bibtex_authors("{Google DeepMind}, {Google}") == "{Google DeepMind} and {Google}"
    assert bibtex_authors("Jean Lahoud, Bernard Ghanem") == "Jean Lahoud and Bernard Ghanem"


# --- the merge ---------------------------------------------------------------------------


def test_fill_only_empty_values():
    papers = _papers(authors=[None, "Ada Lovelace"], venue=[None, "ICML 2020"])
    manual = _manual(
        [("a2019x", "Lahoud, Jean and Ghanem, Bernard", "ICCV 2017"), ("b2020y", "Byron, A.", "")]
    )
    filled, conflicts = fill_authors(papers, manual)
    assert filled.loc[0, "authors"] == "Jean Lahoud, Bernard Ghanem"
    assert filled.loc[0, "venue"] == "ICCV 2017"
    assert filled.loc[1, "authors"] == "Ada Lovelace"  # a source's value is never overwritten
    assert filled.loc[1, "venue"] == "ICML 2020"  # an empty manual venue changes nothing
    assert conflicts[["paper_id", "field"]].values.tolist() == [["b2020y", "authors"]]
    assert conflicts.loc[0, "kept"] == "Ada Lovelace"


def test_agreeing_source_value_is_no_conflict():
    papers = _papers(authors=["Jean Lahoud & Bernard Ghanem", None])
    manual = _manual([("a2019x", "Lahoud, Jean and Ghanem, Bernard", "")])
    filled, conflicts = fill_authors(papers, manual)
    assert filled.loc[0, "authors"] == "Jean Lahoud & Bernard Ghanem"
    assert conflicts.empty


def test_venue_disagreement_is_reported():
    papers = _papers(venue=["CVPR 2018", None])
    manual = _manual([("a2019x", "Lahoud, Jean", "ICCV 2017")])
    filled, conflicts = fill_authors(papers, manual)
    assert filled.loc[0, "venue"] == "CVPR 2018"
    assert conflicts["field"].tolist() == ["venue"]


def test_unknown_paper_id_is_ignored():
    filled, conflicts = fill_authors(_papers(), _manual([("zzz2000q", "Doe, J.", "")]))
    assert filled["authors"].isna().all() and conflicts.empty


# --- reading the file --------------------------------------------------------------------

HEADER = ",".join(COLUMNS)
ROW = 'a2019x,"Lahoud, Jean",,https://example.org/p,author line,arxiv_id'


def test_read_good_file(tmp_path):
    path = tmp_path / "authors.csv"
    path.write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    frame = read_manual_authors(path)
    assert frame["authors"].tolist() == ["Lahoud, Jean"]


def test_absent_file_gives_no_rows(tmp_path):
    assert read_manual_authors(tmp_path / "authors.csv").empty


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("paper_id,authors\na2019x,x\n", "header"),
        (f"{HEADER}\n{ROW}\n{ROW}\n", "duplicate"),
        (f"{HEADER}\n{ROW.replace('arxiv_id', 'guess')}\n", "must be one of"),
        (f"{HEADER}\na2019x,,,https://example.org/p,author line,arxiv_id\n", "required"),
    ],
)
def test_bad_file_is_rejected(tmp_path, text, problem):
    path = tmp_path / "authors.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError, match=problem):
        read_manual_authors(path)


# --- the committed data ------------------------------------------------------------------


def _has_authors(papers: pd.DataFrame) -> pd.Series:
    return papers["authors"].fillna("").astype(str).str.strip() != ""


def test_committed_file_reads_and_names_existing_papers(tables):
    manual = read_manual_authors(MANUAL_AUTHORS_FILE)
    assert len(manual) > 0
    assert set(manual["paper_id"]) <= set(tables.papers["paper_id"])
    assert manual["source"].str.match(r"(https?://|github:[^@]+@[0-9a-f]{40}:)").all()


def test_author_coverage(tables):
    share = _has_authors(tables.papers).mean()
    assert share >= COVERAGE_MIN, f"{share:.1%} of papers have authors (need {COVERAGE_MIN:.0%})"


def test_every_paper_with_training_compute_has_authors(tables):
    compute = tables.compute
    trained = compute[compute["result_id"].notna() & (compute["quantity"] == "training_flops")]
    results = tables.results[tables.results["result_id"].isin(set(trained["result_id"]))]
    papers = tables.papers[tables.papers["paper_id"].isin(set(results["paper_id"]))]
    assert len(papers) > 0
    missing = sorted(papers.loc[~_has_authors(papers), "paper_id"])
    assert missing == [], f"papers with a training-compute result but no authors: {missing}"
