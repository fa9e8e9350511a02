"""Pure functions of the curation: arXiv ids, scores, paper ids, de-duplication, result merging,
compute matching, leaderboard parsing and the metric registry."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.curate.identity import (
    assign_paper_ids,
    base_paper_key,
    best_title,
    build_papers,
    clean_title,
    first_author_surname,
    identify_papers,
    normalise_title,
    unique_ids,
)
from analysis.curate.matching import (
    COMPUTE_COLUMNS,
    architecture_flops,
    architecture_keys,
    match_compute,
)
from analysis.curate.results import build_results, duplicate_results
from analysis.ingest._common import RECORD_COLUMNS
from analysis.ingest.leaderboards._common import (
    date_from_month_year,
    normalise_arxiv_id,
    parse_score,
)
from analysis.ingest.leaderboards.manual import MANUAL_RESULTS_COLUMNS, read_manual_results
from analysis.ingest.leaderboards.markdown import markdown_tables
from analysis.ingest.leaderboards.sota_extractor import pwc_benchmark, pwc_metric
from analysis.ingest.paper_dates import paper_date
from analysis.vocab.tasks import (
    METRICS,
    PRIMARY_BENCHMARKS,
    TASKS,
    error_of,
    metric_slug,
    same_training,
    within_bounds,
)

# --------------------------------------------------------------------------- arXiv and scores


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://arxiv.org/abs/1512.03385v3", "1512.03385"),
        ("http://arxiv.org/pdf/1706.03762v5.pdf", "1706.03762"),
        ("https://arxiv.org/pdf/2106.07447.pdf", "2106.07447"),
        ("arXiv:1810.04805v2", "1810.04805"),
        ("1409.1556", "1409.1556"),
        ("https://arxiv.org/abs/cs/0101001", "cs/0101001"),
        ("http://openaccess.thecvf.com/content_iccv_2017/html/x.html", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_arxiv_id(text, expected):
    assert normalise_arxiv_id(text) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("88.5%", 88.5),
        (" 28.5* ", 28.5),
        ("0.914", 0.914),
        ("1,014.5", 1014.5),
        (".455", 0.455),
        ("480M", None),
        ("", None),
    ],
)
def test_parse_score(raw, expected):
    assert parse_score(raw) == expected


def test_month_year_dates_do_not_invent_a_day():
    assert date_from_month_year("September 2019, Interspeech") == "2019-09"
    assert date_from_month_year("Interspeech, Sept 2018") == "2018-09"
    assert date_from_month_year("2015") is None


# --------------------------------------------------------------------------- titles and ids


def test_normalise_title_ignores_case_punctuation_and_accents():
    a = normalise_title("Deep Residual Learning for Image Recognition")
    b = normalise_title("deep residual learning for image recognition.")
    c = normalise_title("Déep  Residual-Learning: for Image Recognition")
    assert a == b == c
    assert normalise_title("   ") is None
    assert normalise_title(np.nan) is None


def test_paper_key_with_authors():
    key = base_paper_key(
        "Deep Residual Learning for Image Recognition", 2016, "Kaiming He, Xiangyu Zhang"
    )
    assert key == "he2016deep"


def test_paper_key_without_authors_uses_two_title_words():
    assert base_paper_key("The Attention Is All You Need", 2017) == "attention2017all"


def test_paper_key_without_year():
    assert base_paper_key("Some Title", None) == "somendtitle"


def test_surname_is_ascii():
    assert first_author_surname("Łukasz Kaiser; Aidan Gomez") == "kaiser"
    assert first_author_surname("Jürgen Schmidhuber and Sepp Hochreiter") == "schmidhuber"
    assert first_author_surname("") is None


def _papers(rows):
    frame = pd.DataFrame(rows)
    for column in ("authors", "date", "arxiv_id"):
        if column not in frame:
            frame[column] = None
    frame["paper_key"] = [f"k{i}" for i in range(len(frame))]
    return frame


def test_colliding_keys_get_deterministic_suffixes():
    papers = _papers(
        [
            {"title": "Deep Nets B", "year": 2016, "date": "2016-05-01", "arxiv_id": "1605.00002"},
            {"title": "Deep Nets A", "year": 2016, "date": "2016-01-01", "arxiv_id": "1601.00001"},
            {"title": "Unique Title", "year": 2016},
        ]
    )
    ids = assign_paper_ids(papers)
    assert ids.tolist() == ["deep2016netsb", "deep2016netsa", "unique2016title"]
    assert assign_paper_ids(papers.iloc[::-1]).sort_index().tolist() == ids.tolist()


def test_unique_ids_are_stable_and_distinct():
    first = unique_ids("r", [("a", 1), ("a", 1), ("b", 2)])
    again = unique_ids("r", [("a", 1), ("a", 1), ("b", 2)])
    assert first == again
    assert len(set(first)) == 3
    assert all(i.startswith("r") and len(i) == 13 for i in first)


# --------------------------------------------------------------------------- de-duplication


def _records(rows):
    frame = pd.DataFrame(rows)
    return frame.reindex(columns=RECORD_COLUMNS)


def test_arxiv_id_first_then_title():
    records = _records(
        [
            {"source": "a", "source_record": "1", "paper_title": "X Net", "arxiv_id": "1801.00001"},
            {"source": "b", "source_record": "2", "paper_title": "X Net!", "arxiv_id": None},
            {"source": "c", "source_record": "3", "paper_title": "Other", "arxiv_id": "1801.00001"},
            {"source": "d", "source_record": "4", "paper_title": "Lonely", "paper_url": "http://x"},
        ]
    )
    keys = identify_papers(records).record_paper
    assert keys[0] == keys[1] == keys[2] == "arxiv:1801.00001"
    assert keys[3] == "title:lonely"


def test_ambiguous_titles_are_listed_not_merged():
    records = _records(
        [
            {
                "source": "a",
                "source_record": "1",
                "paper_title": "Layer Normalization",
                "arxiv_id": "1607.06450",
            },
            {
                "source": "a",
                "source_record": "2",
                "paper_title": "Layer normalization",
                "arxiv_id": "1603.01354",
            },
            {
                "source": "b",
                "source_record": "3",
                "paper_title": "Layer Normalization",
                "arxiv_id": None,
            },
        ]
    )
    identity = identify_papers(records)
    keys = identity.record_paper
    assert keys[0] != keys[1]
    assert keys[2] == "title:layernormalization"
    assert len(identity.ambiguous) == 2
    assert set(identity.ambiguous["arxiv_ids"]) == {"1603.01354;1607.06450"}


def test_arxiv_merges_with_conflicting_titles_are_listed():
    long_title = "Densely Connected Convolutional Networks"
    records = _records(
        [
            {
                "source": "a",
                "source_record": "1",
                "paper_title": long_title,
                "arxiv_id": "1608.06993",
            },
            {
                "source": "b",
                "source_record": "2",
                "paper_title": "DenseNet",
                "arxiv_id": "1608.06993",
            },
        ]
    )
    identity = identify_papers(records)
    assert identity.record_paper.nunique() == 1
    assert identity.ambiguous["kind"].str.startswith("same arXiv id").sum() == 1


def test_titles_that_are_urls_are_dropped():
    assert clean_title("http://allennlp.org/") is None
    assert clean_title("  Attention   Is All You Need ") == "Attention Is All You Need"
    group = pd.DataFrame(
        {
            "source": ["timm-results", "epoch-ai-models"],
            "paper_title": ["ConvNeXt", "A ConvNet for the 2020s"],
        }
    )
    assert best_title(group) == "A ConvNet for the 2020s"


def test_records_without_any_paper_identity_are_excluded():
    records = _records(
        [{"source": "a", "source_record": "1", "paper_title": None, "paper_url": None}]
    )
    assert list(identify_papers(records).excluded_index) == [0]


def test_paper_date_prefers_publication_date_over_submission_and_arxiv_month():
    group = pd.DataFrame(
        {
            "source": ["squad_leaderboard", "pwc_2020", "pwc_2020"],
            "paper_date": ["2018-01-01", "2018-10-11", "2018-10-30"],
        }
    )
    assert paper_date(group, "1810.04805") == ("2018-10-11", "day", "pwc_2020 paper_date")
    only_arxiv = group.iloc[:1]
    assert paper_date(only_arxiv, "1810.04805")[:2] == ("2018-10", "month")
    assert paper_date(only_arxiv, None)[2] == "squad_leaderboard submission date"


def test_build_papers_merges_sources():
    pwc = {"source": "pwc_2020", "source_record": "1", "paper_title": "BERT"}
    epoch = {"source": "epoch-ai-models", "source_record": "2", "paper_title": "BERT: Pre-training"}
    records = _records(
        [
            {**pwc, "arxiv_id": "1810.04805", "paper_date": "2018-10-11"},
            {**epoch, "arxiv_id": "1810.04805", "authors": "Jacob Devlin, Ming-Wei Chang"},
        ]
    )
    keys = identify_papers(records).record_paper
    papers = build_papers(records, keys)
    assert len(papers) == 1
    row = papers.iloc[0]
    assert row["paper_id"] == "devlin2018bert"
    assert row["sources"] == "epoch-ai-models;pwc_2020"
    assert row["title"] == "BERT"


def _score_rows(rows):
    frame = _records(rows)
    frame["source_file"] = "f"
    frame["score_origin"] = "paper"
    return frame


def test_duplicate_results_within_and_across_sources():
    frame = pd.DataFrame(
        {
            "paper_id": ["p"] * 4,
            "benchmark": ["imagenet"] * 4,
            "metric": ["top1_accuracy"] * 4,
            "_value": [76.1, 76.1, 76.1, 76.1],
            "_model": ["a", "b", "a", "c"],
            "source": ["pwc_2020", "pwc_2020", "pwc_2020", "timm-results"],
        }
    )
    assert duplicate_results(frame).tolist() == [False, False, True, True]


def _score(record: str, benchmark: str, metric: str, value: float, task: str) -> dict:
    return {
        "source": "pwc_2020",
        "source_record": record,
        "benchmark": benchmark,
        "metric": metric,
        "value": value,
        "task": task,
        "model": f"m{record}",
        "licence": "x",
    }


def test_build_results_computes_error_and_drops_out_of_bounds():
    records = _score_rows(
        [
            _score("1", "imagenet", "top1_accuracy", 76.5, "image_classification"),
            _score("2", "cifar10_generation", "fid", 3.2, "image_generation"),
            _score("3", "imagenet", "top1_accuracy", 176.5, "image_classification"),
            _score("4", "imagenet", "top1_accuracy", 0.95, "image_classification"),
        ]
    )
    results, dropped = build_results(records, pd.Series(["p1", "p2", "p1", "p1"]))
    by_metric = results.set_index("metric")
    assert by_metric.loc["top1_accuracy", "error"] == pytest.approx(23.5)
    assert by_metric.loc["fid", "error"] == pytest.approx(3.2)
    assert set(results["benchmark_role"]) == {"primary"}
    assert dropped["reason"].str.contains("outside the bounds").sum() == 2
    assert len(results) == 2


# --------------------------------------------------------------------------- compute matching


def test_match_compute_prefers_same_record_then_model_then_paper_best():
    paper_results = pd.DataFrame(
        {
            "result_id": ["r1", "r2", "r3"],
            "benchmark": ["imagenet", "imagenet", "coco_minival"],
            "_model": ["resnet50", "resnet101", "resnet50fpn"],
        }
    )
    by_paper = {"p": paper_results}
    best = {"p": {"imagenet": "r2", "coco_test_dev": "r9", "coco_minival": "r3"}}
    record = pd.Series({"benchmark": "imagenet", "model": "ResNet-50"})
    assert match_compute(record, "p", "r0", by_paper, best) == [("r0", "same-record")]
    assert match_compute(record, "p", None, by_paper, best) == [("r1", "model")]
    unnamed = pd.Series({"benchmark": None, "model": "Something else"})
    assert match_compute(unnamed, "p", None, by_paper, best) == [
        ("r3", "paper-best"),
        ("r9", "paper-best"),
        ("r2", "paper-best"),
    ]
    assert match_compute(unnamed, "q", None, by_paper, best) == [(None, "paper")]
    detection = pd.Series({"benchmark": None, "model": "x", "task": "object_detection"})
    assert match_compute(detection, "p", None, by_paper, best) == [
        ("r3", "paper-best"),
        ("r9", "paper-best"),
    ]


def test_paper_fact_outside_its_task_attaches_to_all_best_results():
    by_paper = {
        "p": pd.DataFrame({"result_id": ["r1"], "benchmark": ["conll2003"], "_model": ["a"]})
    }
    best = {"p": {"conll2003": "r1"}}
    record = pd.Series({"benchmark": None, "model": "LUKE", "task": "question_answering"})
    assert match_compute(record, "p", None, by_paper, best) == [("r1", "paper-best")]


def test_match_compute_uses_evaluation_splits_of_the_same_training_set():
    paper_results = pd.DataFrame(
        {
            "result_id": ["r1", "r2"],
            "benchmark": ["coco_test_dev", "coco_minival"],
            "_model": ["a", "b"],
        }
    )
    by_paper = {"p": paper_results}
    best = {"p": {"coco_test_dev": "r1", "coco_minival": "r2"}}
    record = pd.Series({"benchmark": "coco_minival", "model": "A"})
    assert match_compute(record, "p", None, by_paper, best) == [("r1", "model")]
    unnamed = pd.Series({"benchmark": "coco_minival", "model": "C"})
    assert match_compute(unnamed, "p", None, by_paper, best) == [
        ("r2", "paper-best"),
        ("r1", "paper-best"),
    ]
    assert same_training("squad11_dev") == ("squad11_dev", "squad11")
    assert same_training("imagenet") == ("imagenet",)


# --------------------------------------------------------------------------- leaderboards, metrics


def test_pwc_benchmark_slugs():
    assert pwc_benchmark("Image Classification", "ImageNet") == "imagenet"
    assert pwc_benchmark("Image Classification", "SVHN") == "svhn"
    assert pwc_benchmark("Semi-Supervised Image Classification", "ImageNet - 10% labeled data") == (
        "semi_supervised_image_classification__imagenet_10_labeled_data"
    )
    assert pwc_benchmark("Image Generation", "CIFAR-10") == "cifar10_generation"


def test_speech_percentage_error_is_wer():
    assert pwc_metric("speech_recognition", "Switchboard + Hub500", "Percentage error") == "wer"
    assert pwc_metric("speech_recognition", "TIMIT", "Percentage error") == "per"
    assert pwc_metric("image_classification", "SVHN", "Percentage error") == "error_rate"
    assert pwc_metric("image_classification", "ImageNet", "Number of params") is None


def test_markdown_tables_keep_sections_and_lines():
    text = "# A\n\n| x | y |\n|---|:-:|\n| 1 | [t](http://u) |\n\n## B\n| x |\n| --- |\n| 2 |\n"
    rows = list(markdown_tables(text))
    assert [(r.section, r.line, r.cells["x"]) for r in rows] == [("A", 5, "1"), ("B", 10, "2")]


def test_metric_registry_is_consistent():
    assert metric_slug("Top 1 Accuracy") == "top1_accuracy"
    assert metric_slug("Word Error Rate (WER)") == "wer"
    assert metric_slug("Mean ADD") is None
    assert error_of("top1_accuracy", 76.0) == pytest.approx(24.0)
    assert error_of("wer", 2.5) == pytest.approx(2.5)
    assert error_of("inception_score", 9.0) is None
    assert not within_bounds("f1", 101.0)
    for benchmark in PRIMARY_BENCHMARKS.values():
        assert benchmark.task in TASKS
        assert METRICS[benchmark.primary_metric].error_kind != "none"


# --------------------------------------------------------------------------- hand-read results

_MANUAL_ROW = {
    "result_key": "resnet-152-imagenet-top1",
    "arxiv_id": "1512.03385",
    "paper_title": "Deep Residual Learning for Image Recognition",
    "paper_url": "https://arxiv.org/abs/1512.03385",
    "paper_date": "2015-12-10",
    "authors": "Kaiming He, Xiangyu Zhang",
    "model": "ResNet-152",
    "task": "image_classification",
    "benchmark": "imagenet",
    "metric": "top1_accuracy",
    "value": "78.57",
    "source_url": "https://arxiv.org/abs/1512.03385",
    "source_location": "Table 3",
    "note": "",
}


def _manual_file(tmp_path, **changes):
    path = tmp_path / "results.csv"
    pd.DataFrame([{**_MANUAL_ROW, **changes}], columns=list(MANUAL_RESULTS_COLUMNS)).to_csv(
        path, index=False
    )
    return path


def test_manual_results_are_read(tmp_path):
    records, excluded = read_manual_results(_manual_file(tmp_path))
    assert len(records) == 1 and excluded.empty
    row = records.iloc[0]
    assert row["arxiv_id"] == "1512.03385"
    assert row["value"] == pytest.approx(78.57)
    assert row["source_record"] == "result_key resnet-152-imagenet-top1"


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("metric", "vibes", "unknown metric"),
        ("value", "178", "bounds"),
        ("task", "astrology", "unknown task"),
        ("source_location", "", "required"),
        ("paper_date", "Dec 2015", "YYYY-MM-DD"),
        ("result_key", "", "required"),
        ("result_key", "ResNet 152", "slug"),
    ],
)
def test_bad_manual_results_name_line_and_column(tmp_path, column, value, problem):
    with pytest.raises(ValueError, match=problem) as info:
        read_manual_results(_manual_file(tmp_path, **{column: value}))
    assert f"results.csv, line 2, column {column!r}" in str(info.value)


def test_missing_manual_file_is_empty(tmp_path):
    records, _ = read_manual_results(tmp_path / "absent.csv")
    assert records.empty


@pytest.mark.needs_sources
def test_epoch_supplement_keeps_only_known_papers_outside_the_families():
    from analysis.curate.pipeline import epoch_supplement
    from analysis.paths import sources_dir

    extra = epoch_supplement(sources_dir(), {"1910.10683"}, set())
    assert len(extra) >= 1
    assert set(extra["arxiv_id"]) == {"1910.10683"}
    assert extra["task"].isna().all()
    assert (extra["source"] == "epoch-ai-models").all()


def test_architecture_keys():
    assert architecture_keys("resnet152.a1h_in1k", "timm-results") == {
        "resnet152a1hin1k",
        "resnet152",
    }
    assert "resnet50" in architecture_keys("resnet50_8xb32_in1k", "mmpretrain-model-index")
    assert "resnet50" not in architecture_keys("resnet50_8xb32_in1k", "timm-results")
    assert architecture_keys("ResNet-50 (torchvision)", "x") == {"resnet50torchvision"}
    assert architecture_keys(None) == set()


def test_architecture_flops_carry_only_flops_to_same_paper_results():
    compute = pd.DataFrame(
        [
            {"compute_id": "c1", "paper_id": "p", "result_id": "rz", "match": "same-record",
             "model": "resnet152.tv_in1k", "benchmark": "imagenet", "quantity": "flops_per_pass",
             "value": 2.3e10, "source": "timm-results"},
            {"compute_id": "c2", "paper_id": "p", "result_id": "rz", "match": "same-record",
             "model": "resnet152.tv_in1k", "benchmark": "imagenet", "quantity": "training_hours",
             "value": 30.0, "source": "timm-results"},
        ]
    ).reindex(columns=COMPUTE_COLUMNS)  # fmt: skip
    results = pd.DataFrame(
        {
            "result_id": ["rz", "rp", "rq", "ro"],
            "paper_id": ["p", "p", "p", "other"],
            "benchmark": ["imagenet"] * 4,
            "benchmark_role": ["primary"] * 4,
            "model": ["resnet152.tv_in1k", "ResNet-152", "ResNet-50", "ResNet-152"],
        }
    )
    carried = architecture_flops(compute, results)
    assert carried["result_id"].tolist() == ["rp"]
    assert carried["quantity"].tolist() == ["flops_per_pass"]
    assert carried["match"].tolist() == ["architecture"]
    assert carried["derived_from"].tolist() == ["c1"]
