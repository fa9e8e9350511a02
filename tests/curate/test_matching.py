"""Attaching compute to results: single-model tags, ensembles, scoped records, compute-row tasks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.curate.matching import is_ensemble, match_compute, model_key
from analysis.curate.pipeline import SCOPE_FILE, apply_compute_scope, honest_tasks
from analysis.paths import DATA_DIR
from analysis.vocab.tasks import same_training


def _paper(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["result_id", "benchmark", "model"])
    return frame.assign(
        _model=frame["model"].map(model_key), _ensemble=frame["model"].map(is_ensemble)
    )


def test_single_model_tag_is_ignored_but_ensemble_is_not():
    assert model_key("BERT large (single)") == model_key("BERT-Large")
    assert model_key("XLNet (single model)") == model_key("XLNet") == "xlnet"
    assert model_key("Conductor-net (single-model)") == model_key("Conductor-net")
    assert model_key("FPN (single-scale)") != model_key("FPN")
    assert model_key("LUKE (Yamada et al., 2020)") == model_key("LUKE") == "luke"
    assert is_ensemble("BiDAF (ensemble)") and is_ensemble("GNMT+RL Ensemble")
    assert not is_ensemble("BiDAF (single model)") and not is_ensemble(None)


def test_single_model_fact_never_reaches_the_ensemble():
    by_paper = {
        "p": _paper(
            [("r1", "squad11", "BiDAF (ensemble)"), ("r2", "squad11", "BiDAF (single model)")]
        )
    }
    best_single = {"p": {"squad11": "r2"}}
    best_ensemble = {"p": {"squad11": "r1"}}
    unnamed = pd.Series({"benchmark": "squad11", "model": "other name"})
    assert match_compute(
        unnamed, "p", None, by_paper, best_single, ensemble_best=best_ensemble
    ) == [("r2", "paper-best")]
    # without the rule the paper's best result (the ensemble) would get it
    best_any = {"p": {"squad11": "r1"}}
    assert match_compute(unnamed, "p", None, by_paper, best_any, ensemble_rule=False) == [
        ("r1", "paper-best")
    ]
    ensemble_fact = pd.Series({"benchmark": "squad11", "model": "BiDAF ensemble of 12"})
    assert match_compute(
        ensemble_fact, "p", None, by_paper, best_single, ensemble_best=best_ensemble
    ) == [("r1", "paper-best")]


def test_ensemble_fact_without_an_ensemble_result_stays_a_paper_fact():
    by_paper = {"p": _paper([("r2", "wmt2014_en_fr", "Deep-Att")])}
    record = pd.Series({"benchmark": "wmt2014_en_fr", "model": "Deep-Att Ensemble"})
    got = match_compute(
        record, "p", None, by_paper, {"p": {"wmt2014_en_fr": "r2"}}, ensemble_best={}
    )
    assert got == [(None, "paper")]


def test_a_record_whose_model_is_found_is_not_also_given_to_other_models():
    by_paper = {
        "p": _paper(
            [
                ("dev", "squad11_dev", "BERT large (single)"),
                ("base", "squad11_dev", "BERT base (single)"),
                ("test", "squad11", "BERT (single model)"),
                ("ner", "conll2003", "BERT Large"),
            ]
        )
    }
    best = {"p": {"squad11": "test", "squad11_dev": "dev", "conll2003": "ner"}}
    record = pd.Series({"benchmark": None, "model": "BERT-Large", "task": "question_answering"})
    assert match_compute(record, "p", None, by_paper, best) == [("dev", "model"), ("ner", "model")]
    base = pd.Series({"benchmark": "squad11_dev", "model": "BERT base (single)"})
    assert match_compute(base, "p", None, by_paper, best) == [("base", "model")]
    unnamed = pd.Series({"benchmark": "squad11_dev", "model": "BERT variant"})
    assert match_compute(unnamed, "p", None, by_paper, best) == [
        ("dev", "paper-best"),
        ("test", "paper-best"),
    ]


def test_scope_file_sets_the_benchmark_and_names_a_missing_record(tmp_path: Path):
    records = pd.DataFrame(
        {"source": ["s", "s"], "source_record": ["row 2: A", "row 3: B"], "benchmark": [None, None]}
    )
    records.attrs["excluded"] = {"x": 1}
    scope = tmp_path / "scope.csv"
    scope.write_text("source,source_record,benchmark,evidence\ns,row 3: B,cnn_daily_mail,quote\n")
    out = apply_compute_scope(records, scope)
    assert out["benchmark"].tolist()[1] == "cnn_daily_mail" and pd.isna(out["benchmark"].iloc[0])
    assert out.attrs["excluded"] == {"x": 1}
    scope.write_text("source,source_record,benchmark,evidence\ns,row 9: Z,b,quote\n")
    with pytest.raises(ValueError, match=r"scope.csv, line 2, column source_record: .*row 9: Z"):
        apply_compute_scope(records, scope)


def test_a_record_scoped_away_from_the_papers_results_stays_a_paper_fact():
    # Megatron-LM: the 8.3B GPT-2 model's compute must not become the 3.9B BERT's SQuAD compute
    by_paper = {"p": _paper([("bert39", "squad11_dev", "Megatron-3.9B")])}
    best = {"p": {"squad11_dev": "bert39"}}
    unscoped = pd.Series({"benchmark": None, "model": "Megatron-LM (8.3B)", "task": None})
    assert match_compute(unscoped, "p", None, by_paper, best) == [("bert39", "paper-best")]
    scoped = unscoped.copy()
    scoped["benchmark"] = "wikitext103"
    assert match_compute(scoped, "p", None, by_paper, best) == [(None, "paper")]


def test_curated_scoped_records_reach_only_their_own_benchmark():
    scope = pd.read_csv(SCOPE_FILE, dtype=str)
    compute = pd.read_csv(DATA_DIR / "compute.csv", dtype=str)
    results = pd.read_csv(DATA_DIR / "results.csv", dtype=str).set_index("result_id")
    for row in scope.itertuples(index=False):
        rows = compute[
            (compute["source"] == row.source) & (compute["source_record"] == row.source_record)
        ]
        assert not rows.empty, f"{row.source_record} has no compute rows"
        attached = rows["result_id"].dropna()
        reached = set(results.loc[attached, "benchmark"])
        assert reached <= set(same_training(row.benchmark)), (row.source_record, reached)


def test_compute_row_task_comes_from_results_or_a_specific_source_label():
    results = pd.DataFrame(
        {"result_id": ["r1"], "paper_id": ["p"], "task": ["named_entity_recognition"]}
    )
    base = {
        "source": "epoch",
        "source_file": "f",
        "quantity": "training_flops",
        "value": 1.0,
        "method": "x",
    }
    compute = pd.DataFrame(
        [
            {
                **base,
                "paper_id": "p",
                "result_id": "r1",
                "task": "question_answering",
                "source_record": "a",
            },
            {
                **base,
                "paper_id": "p",
                "result_id": None,
                "task": "question_answering",
                "source_record": "a",
            },
            {
                **base,
                "paper_id": "llm",
                "result_id": None,
                "task": "question_answering",
                "source_record": "g",
            },
            {
                **base,
                "paper_id": "llm",
                "result_id": None,
                "task": "machine_translation",
                "source_record": "g",
            },
            {
                **base,
                "paper_id": "qa",
                "result_id": None,
                "task": "question_answering",
                "source_record": "q",
            },
        ]
    )
    out, dropped = honest_tasks(compute, results, {("epoch", "g")})
    assert out["task"].tolist()[0] == "named_entity_recognition"
    assert pd.isna(out["task"].iloc[1])  # paper has no QA result
    assert (
        out[out["paper_id"] == "llm"]["task"].isna().all() and (out["paper_id"] == "llm").sum() == 1
    )
    assert out[out["paper_id"] == "qa"]["task"].tolist() == ["question_answering"]
    assert dropped["rows"].sum() == 1 and dropped["reason"].str.contains("general-purpose").all()


def test_markdown_heading_with_leading_space_starts_a_new_section():
    from analysis.ingest._common import markdown_tables
    from analysis.ingest.leaderboards.markdown import markdown_tables as leaderboard_rows

    text = "### A\n| m | s |\n|---|---|\n| x | 1 |\n\n ### B\n | m | s |\n|---|---|\n| y | 2 |\n"
    assert [t["heading"] for t in markdown_tables(text)] == ["A", "B"]
    assert [(r.section, r.cells["m"]) for r in leaderboard_rows(text)] == [("A", "x"), ("B", "y")]


def test_one_arxiv_normaliser_for_leaderboards_and_compute_sources():
    import numpy as np

    from analysis.ingest import _common
    from analysis.ingest._common import RECORD_COLUMNS
    from analysis.ingest.leaderboards._common import normalise_arxiv_id

    assert RECORD_COLUMNS is _common.RECORD_COLUMNS
    assert "value_reported" in RECORD_COLUMNS and "flops_per_pass_raw" in RECORD_COLUMNS
    for text, expected in [
        ("https://arxiv.org/abs/cs/0101001", "cs/0101001"),
        ("https://arxiv.org/html/2410.17725v1", "2410.17725"),
        ("arXiv:1810.04805v2", "1810.04805"),
    ]:
        assert normalise_arxiv_id(text) == _common.normalise_arxiv_id(text) == expected
    assert normalise_arxiv_id("no id") is None and np.isnan(_common.normalise_arxiv_id("no id"))
