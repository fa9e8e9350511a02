"""Parsing helpers and source-specific derivations, checked by hand against the raw files."""

from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest

from analysis.ingest._common import (
    html_tables,
    markdown_tables,
    normalise_arxiv_id,
    records_frame,
    strip_markdown_link,
    to_float,
    year_from_url,
)
from analysis.ingest.compute import (
    dawnbench,
    detection_zoos,
    openai_efficiency,
    pycls,
    timm_model_index,
    timm_results,
)
from analysis.paths import sources_dir


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://arxiv.org/abs/1512.03385v3", "1512.03385"),
        ("https://arxiv.org/pdf/2103.14030.pdf", "2103.14030"),
        ("arXiv:1706.03762", "1706.03762"),
        ("1905.11946", "1905.11946"),
    ],
)
def test_arxiv_ids_are_normalised_without_version(text, expected):
    assert normalise_arxiv_id(text) == expected


def test_non_arxiv_text_has_no_id():
    assert np.isnan(normalise_arxiv_id("https://papers.nips.cc/paper/4824-imagenet.pdf"))
    assert np.isnan(normalise_arxiv_id(None))


def test_year_from_arxiv_and_cvf_urls():
    assert year_from_url("https://arxiv.org/abs/1512.03385") == 2015
    url = "https://openaccess.thecvf.com/content_cvpr_2017/html/Xie_Aggregated_CVPR_2017_paper.html"
    assert year_from_url(url) == 2017
    assert np.isnan(year_from_url("https://example.org/paper"))


def test_cell_numbers():
    assert to_float('"1,014.45"'.strip('"')) == 1014.45
    assert to_float("75.56%") == 75.56
    assert math.isnan(to_float("-"))
    assert strip_markdown_link("[R-50-C4](configs/x.yaml) (reference)") == "R-50-C4 (reference)"


def test_html_and_markdown_tables():
    html = "<table><th>a</th><th>b<br/>c</th><tr><td>1</td><td><sup>2</sup></td></tr></table>"
    table = html_tables(html)[0]
    assert table["header"] == ["a", "b c"]
    assert table["rows"][0][1] == ["1", "2"]
    markdown = "## T\n\n| x | y |\n| :-: | --- |\n| 1 | 2 |\n| 3 | 4 |\n\ntext\n"
    parsed = markdown_tables(markdown)[0]
    assert parsed["heading"] == "T"
    assert [cells for _, cells in parsed["rows"]] == [["1", "2"], ["3", "4"]]


@pytest.mark.parametrize(
    ("text", "chip", "count"),
    [
        ("8 * V100 (AWS p3.16xlarge)", "NVIDIA V100", 8),
        ("16 p3.16xlarge (AWS)", "NVIDIA V100", 128),
        ("16 * 8 * Tesla-V100(ModelArts Service)", "NVIDIA V100", 128),
        ("8 nodes with InfiniBand (8*P100 for each node)", "NVIDIA P100", 64),
        ("Half of a TPUv2 Pod", "Google TPU v2", 128),
        ("1/16 of a TPUv2 Pod", "Google TPU v2", 16),
        ("GCP n1-standard-2, Cloud TPU", "Google TPU v2", 4),
        ("8 K80 / 488 GB / 32 CPU (Amazon EC2 [p2.8xlarge])", "NVIDIA Tesla K80", 4),
        ("Azure ND40s_v2", "NVIDIA V100", 8),
        ("Lambda GPU Cloud - 4x GTX 1080 Ti", "NVIDIA GeForce GTX 1080 Ti", 4),
    ],
)
def test_dawnbench_hardware_text(text, chip, count):
    parsed_chip, parsed_count, _ = dawnbench.parse_hardware(text)
    assert parsed_chip == chip
    assert parsed_count == count


def test_dawnbench_cpu_only_entry_gets_no_chip():
    chip, count, why = dawnbench.parse_hardware("60 GB / 16 CPU (Google Cloud [n1-standard-16])")
    assert chip is None
    assert np.isnan(count)
    assert "no known chip" in why


@pytest.fixture(scope="module")
def zoo():
    return detection_zoos.read(sources_dir())


@pytest.mark.needs_sources
def test_detectron2_hours_from_seconds_per_iteration(zoo):
    row = zoo[zoo["model"].eq("faster_rcnn_R_50_FPN_3x")].iloc[0]
    assert row["training_hours"] == pytest.approx(0.209 * 270_000 / 3600)
    assert row["chip"] == "NVIDIA V100"
    assert row["chip_count"] == 8


@pytest.mark.needs_sources
def test_mmdetection_hours_from_epochs_and_batch(zoo):
    model = "Faster R-CNN R-50-FPN pytorch 1x"
    row = zoo[zoo["model"].eq(model)].iloc[0]
    assert row["value"] == 36.4
    assert row["training_hours"] == pytest.approx(0.353 * 12 * math.ceil(118_287 / 16) / 3600)


@pytest.mark.needs_sources
def test_detectron_total_hours_and_p100(zoo):
    detectron = zoo[zoo["source_file"].str.contains("/detectron/")]
    assert detectron["chip"].eq("NVIDIA P100").all()
    assert detectron["training_hours"].notna().mean() > 0.9


@pytest.mark.needs_sources
def test_keypoint_models_give_pose_records_not_detection(zoo):
    assert zoo.loc[zoo["benchmark"].eq("coco_keypoints"), "metric"].eq("ap").all()
    detection_models = set(zoo.loc[zoo["metric"].eq("box_ap"), "model"])
    assert not any("keypoint" in model.lower() or "Kps" in model for model in detection_models)


@pytest.mark.needs_sources
def test_pycls_row_matches_model_zoo():
    records = pycls.read(sources_dir())
    row = records[records["model"].eq("RegNetX-200MF") & records["metric"].eq("top1_accuracy")]
    assert row["training_hours"].iloc[0] == 3.0
    assert row["flops_per_pass"].iloc[0] == pytest.approx(2 * 0.2e9, rel=0.05)
    assert row["value"].iloc[0] == pytest.approx(100 - 31.1, abs=0.1)


def test_timm_score_origin_heuristic():
    assert timm_results.score_origin("resnet50.a1_in1k") == "library re-training"
    assert timm_results.score_origin("resnet50.tv_in1k") == "library re-training"
    assert timm_results.score_origin("convnext_base.fb_in22k_ft_in1k") == "library re-evaluation"
    assert timm_results.paper_label("resnet50.a1_in1k") == "ResNet (v1b/v1.5)"
    assert timm_results.paper_label("swinv2_base_window8_256.ms_in1k") == "Swin Transformer V2"


def test_timm_model_index_resources_and_time():
    assert timm_model_index.resources_count("8x NVIDIA V100 GPUs") == 8
    assert timm_model_index.resources_count("Cloud TPUv3-512") == 256
    assert timm_model_index.training_hours("6 days") == 144
    assert np.isnan(timm_model_index.training_hours("< 24 hours"))


def test_records_frame_names_file_record_and_column_of_a_bad_number():
    rows = [{"source_file": "x/y.csv", "source_record": "row 7", "epochs": "ninety"}]
    with pytest.raises(ValueError, match=r"x/y.csv, row 7, column epochs: not a number"):
        records_frame(rows, "x", "MIT")


@pytest.mark.needs_sources
def test_reader_names_file_and_missing_column(tmp_path):
    folder = tmp_path / timm_results.SOURCE
    shutil.copytree(sources_dir() / timm_results.SOURCE, folder)
    results = folder / timm_results.RESULTS_FILE
    frame = pd.read_csv(results, thousands=",")
    frame.drop(columns=["top1"]).to_csv(results, index=False)
    with pytest.raises(ValueError, match=r"results-imagenet.csv: missing column\(s\) top1"):
        timm_results.read(tmp_path)


@pytest.mark.needs_sources
def test_openai_reader_names_row_of_an_unknown_target(tmp_path):
    folder = tmp_path / openai_efficiency.SOURCE
    shutil.copytree(sources_dir() / openai_efficiency.SOURCE, folder)
    path = folder / openai_efficiency.FILE
    frame = pd.read_csv(path)
    frame.loc[3, "Metric"] = "VGG"
    frame.to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"row 5, column Metric: unknown 'VGG'"):
        openai_efficiency.read(tmp_path)


def test_timm_training_data_note_from_tag():
    note = timm_results.training_data_note("convnext_base.fb_in22k_ft_in1k")
    assert note == "extra data per tag: ImageNet-21k/22k"
    assert timm_results.training_data_note("resnet50.a1_in1k") == "ImageNet-1k only per tag"
    assert "JFT" in timm_results.training_data_note("tf_efficientnet_b7.ns_jft_in1k")
