"""references.bib: every paper id has an entry, every entry parses, no duplicate keys,
literature keys present, arXiv fields; and the generator on small inputs."""

from __future__ import annotations

import bibtexparser
import pandas as pd
import pytest

from analysis.curate.bibliography import bibtex_authors, build_library, escape_latex, paper_entry
from analysis.paths import DATA_DIR, REPO_ROOT


@pytest.fixture(scope="module")
def library() -> bibtexparser.Library:
    return bibtexparser.parse_string((REPO_ROOT / "references.bib").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "papers.csv", dtype=str, keep_default_na=False)


def test_every_block_parses(library):
    assert library.failed_blocks == []


def test_no_duplicate_keys(library):
    keys = [e.key for e in library.entries]
    assert len(keys) == len(set(keys))


def test_every_paper_has_an_entry(library, papers):
    keys = {e.key for e in library.entries}
    missing = set(papers["paper_id"]) - keys
    assert not missing, sorted(missing)[:10]


def test_literature_keys_present(library):
    literature = bibtexparser.parse_string(
        (DATA_DIR / "literature.bib").read_text(encoding="utf-8")
    )
    keys = {e.key for e in library.entries}
    assert {e.key for e in literature.entries} <= keys


def test_arxiv_papers_have_eprint(library, papers):
    entries = {e.key: e for e in library.entries}
    arxiv = papers[papers["arxiv_id"] != ""].head(200)
    for paper_id, arxiv_id in zip(arxiv["paper_id"], arxiv["arxiv_id"], strict=True):
        entry = entries[paper_id]
        assert entry.fields_dict["eprint"].value == arxiv_id
        assert entry.fields_dict["archivePrefix"].value == "arXiv"


def test_generated_entry_fields():
    paper = pd.Series(
        {
            "paper_id": "he2016deep",
            "title": "Deep Residual Learning for Image Recognition",
            "authors": "Kaiming He, Xiangyu Zhang",
            "year": 2016,
            "date": "2015-12-10",
            "arxiv_id": "1512.03385",
            "doi": None,
            "url": "https://arxiv.org/abs/1512.03385",
            "venue": None,
        }
    )
    entry = paper_entry(paper)
    assert entry.entry_type == "misc"
    fields = {k: f.value for k, f in entry.fields_dict.items()}
    assert fields["author"] == "Kaiming He and Xiangyu Zhang"
    assert fields["eprint"] == "1512.03385"
    assert fields["title"] == "{Deep Residual Learning for Image Recognition}"


def test_special_characters_are_escaped_and_unicode_kept():
    assert escape_latex("Q&A {at} 50% #1 a_b") == r"Q\&A at 50\% \#1 a\_b"
    assert escape_latex("Réseaux 深度") == "Réseaux 深度"
    assert bibtex_authors("et al.") is None


def test_literature_wins_a_key_collision():
    literature = "@misc{he2016deep,\n  title = {Hand Written},\n  year = {2016}\n}\n"
    papers = pd.DataFrame(
        {
            "paper_id": ["he2016deep", "zz2020x"],
            "title": ["Generated", "Other"],
            "year": [2016, 2020],
        }
    )
    library = build_library(papers, literature)
    keys = [e.key for e in library.entries]
    assert keys == ["he2016deep", "zz2020x"]
    assert library.entries[0].fields_dict["title"].value == "Hand Written"
