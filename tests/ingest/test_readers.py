"""Each raw-source reader on the real sources: schema, plausible row counts, no e-mail addresses,
consistent FLOP conventions, canonical chips."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.ingest._common import EMAIL_PATTERN, SCORE_ORIGINS
from analysis.ingest.compute import READERS, RECORD_COLUMNS, read_all_records
from analysis.ingest.compute.compute_facts import BENCHMARK_TASKS
from analysis.ingest.hardware import CHIP_NAMES
from analysis.paths import sources_dir
from analysis.vocab.tasks import TASKS

pytestmark = pytest.mark.needs_sources  # reads the raw public sources

METRICS = ("top1_accuracy", "top5_accuracy", "box_ap", "f1", "em", "bleu", "wer", "ap", "pckh")

MINIMUM_ROWS = {
    "timm-results": 3000,  # 1,556 results × top-1/top-5, minus 13 test architectures
    "mmpretrain-model-index": 700,  # 436 ImageNet top-1 (+ top-5, CIFAR)
    "pycls-model-zoo": 72,  # 36 models × top-1/top-5
    "detection-model-zoos": 200,  # ≈65 + 15 + 87 + 55 + 18 COCO rows
    "dawnbench-entries": 38,  # 27 ImageNet + 11 SQuAD training submissions
    "epoch-ai-models": 500,  # systems in the nine task families
    "timm-model-index-2021": 500,  # 272 models × top-1/top-5
    "convnet-burden": 60,  # 34 scored classification rows × top-1/top-5
    "mmyolo-model-index": 65,  # COCO detection results
    "mmpose-model-index": 170,  # 152 COCO keypoints + 30 MPII
    "openai-ai-and-efficiency": 12,  # all rows
    "compute-facts": 20,  # hand facts grouped per paper/model/benchmark
}


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return read_all_records(sources_dir())


def test_every_reader_has_a_documented_minimum():
    assert set(READERS) <= set(MINIMUM_ROWS)


def test_columns_are_exactly_the_agreed_schema(records):
    assert list(records.columns) == RECORD_COLUMNS


@pytest.mark.parametrize("source", sorted(MINIMUM_ROWS))
def test_row_counts_are_plausible(records, source):
    assert (records["source"] == source).sum() >= MINIMUM_ROWS[source]


def test_no_email_addresses_anywhere(records):
    text = records.astype(str).apply(lambda column: column.str.cat(sep="\n"))
    for column, joined in text.items():
        assert not EMAIL_PATTERN.search(joined), f"e-mail address in column {column}"


def test_flops_conventions_are_consistent(records):
    has_flops = records["flops_per_pass"].notna()
    assert records.loc[has_flops, "flops_convention"].isin(["FLOPs", "multiply-adds"]).all()
    macs = records["flops_convention"].eq("multiply-adds")
    ratio = records.loc[macs, "flops_per_pass"] / records.loc[macs, "flops_per_pass_raw"]
    assert (ratio == 2.0).all()
    plain = records["flops_convention"].eq("FLOPs")
    assert (records.loc[plain, "flops_per_pass"] == records.loc[plain, "flops_per_pass_raw"]).all()


def test_resnet50_forward_cost_is_about_8_gflops(records):
    timm = records[records["model"].eq("resnet50.tv_in1k")]
    assert not timm.empty
    assert timm["flops_per_pass"].iloc[0] == pytest.approx(8.2e9, rel=0.05)


def test_slugs_and_origins_are_from_the_agreed_vocabulary(records):
    assert records["task"].dropna().isin(TASKS).all()
    with_benchmark = records[records["benchmark"].notna()]
    expected_task = with_benchmark["benchmark"].map(BENCHMARK_TASKS)
    assert expected_task.notna().all(), "unknown benchmark slug"
    assert (with_benchmark["task"] == expected_task).all()
    assert records.loc[records["metric"].notna(), "metric"].isin(METRICS).all()
    scored = records["value"].notna()
    assert records.loc[scored, "task"].notna().all()
    assert records.loc[scored, "score_origin"].isin(SCORE_ORIGINS).all()
    assert records.loc[scored, "metric"].notna().all()


def test_chips_are_keys_of_the_hardware_table(records):
    assert records["chip"].dropna().isin(CHIP_NAMES).all()


def test_arxiv_ids_are_normalised(records):
    ids = records["arxiv_id"].dropna()
    assert ids.str.fullmatch(r"\d{4}\.\d{4,5}").all()


def test_training_flops_methods(records):
    has_flops = records["training_flops"].notna()
    methods = records.loc[has_flops, "training_flops_method"]
    assert methods.isin(["reported", "epoch_estimate"]).all()


def test_exclusions_are_counted(records):
    excluded = records.attrs["excluded"]
    assert excluded["timm-results: test architecture (not a published model)"] == 13
    assert all(count > 0 for count in excluded.values())


def test_scores_are_percentages(records):
    scored = records[records["value"].notna()]
    assert scored["value"].between(0, 100).all()


def test_resnet50_forward_cost_agrees_across_sources(records):
    models = {
        "timm-results": "resnet50.tv_in1k",
        "mmpretrain-model-index": "resnet50_8xb32_in1k",
        "pycls-model-zoo": "ResNet-50",
        "convnet-burden": "resnet-50",
    }
    costs = {
        source: records.loc[
            records["source"].eq(source) & records["model"].eq(model), "flops_per_pass"
        ].iloc[0]
        for source, model in models.items()
    }
    for source, cost in costs.items():
        assert cost == pytest.approx(8.2e9, rel=0.05), source
