"""Hardware table and free-text chip mapping."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.ingest.hardware import (
    CHIP_NAMES,
    build_hardware_table,
    canonical_chip,
    tpu_chip_count,
)
from analysis.paths import sources_dir

pytestmark = pytest.mark.needs_sources  # reads the raw public sources


@pytest.fixture(scope="module")
def hardware():
    return build_hardware_table(sources_dir())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8x Tesla V100-SXM2-16GB", "NVIDIA V100"),
        ("NVIDIA P100", "NVIDIA P100"),
        ("TPU v3", "Google TPU v3"),
        ("Cloud TPU v2-8", "Google TPU v2"),
        ("Cloud TPUv3-512", "Google TPU v3"),
        ("NVIDIA GeForce GTX TITAN X", "NVIDIA GeForce GTX TITAN X"),
        ("NVIDIA TITAN X (Pascal)", "NVIDIA TITAN X Pascal"),
        ("NVIDIA TITAN X Pascal", "NVIDIA TITAN X Pascal"),
        ("8x Xp GPUs", "NVIDIA TITAN Xp"),
        ("8x A100-80G GPUs", "NVIDIA A100"),
        ("NVIDIA Tesla V100S PCIe 32 GB", "NVIDIA Tesla V100S PCIe 32 GB"),
        ("16 * 8 * Tesla-V100(ModelArts Service)", "NVIDIA V100"),
        ("1 NVidia GTX-1080 Ti", "NVIDIA GeForce GTX 1080 Ti"),
        ("NVIDIA GeForce GTX 1080", "NVIDIA GeForce GTX 1080"),
        ("1 NVidia 2080 RTX (dev box)", "NVIDIA GeForce RTX 2080"),
        ("NVIDIA GeForce RTX 2080 Ti 11GB", "NVIDIA GeForce RTX 2080 Ti"),
        ("NVIDIA H100 SXM5 80GB", "NVIDIA H100 SXM5 80GB"),
        ("NVIDIA H100 PCIe", "NVIDIA H100 PCIe"),
        ("40x K80 GPUs", "NVIDIA Tesla K80"),
        ("Google TPU v4", "Google TPU v4"),
    ],
)
def test_canonical_chip_maps_tricky_strings(text, expected):
    assert canonical_chip(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "64x GPUs",
        "4x4 TPU Pod",
        "8x NVIDIA Titan X GPUs",
        "GCP n1-standard-2, Cloud TPU",
        "8x V100 GPUs (b256), 16x A100-80G GPUs (b4096)",
        "NVIDIA V100,NVIDIA A100",
        "Cerebras CS-2",
    ],
)
def test_canonical_chip_returns_none_for_unknown_or_ambiguous(text):
    assert canonical_chip(text) is None


def test_tpu_chip_count_from_slice_names():
    assert tpu_chip_count("Cloud TPU v2-8") == 4
    assert tpu_chip_count("Cloud TPUv3-512") == 256
    assert tpu_chip_count("Cloud TPU v3 Pod") == 1024
    assert np.isnan(tpu_chip_count("TPU v3"))


def test_hardware_table_has_every_canonical_chip_once(hardware):
    assert hardware["chip"].tolist() == list(CHIP_NAMES)
    assert hardware["chip"].is_unique


def test_hardware_table_values_are_plausible(hardware):
    v100 = hardware.set_index("chip").loc["NVIDIA V100"]
    assert v100["peak_fp32_flops"] == pytest.approx(15.67e12, rel=0.01)
    assert v100["source"].startswith("epoch-ml-hardware")
    gpus = hardware[hardware["kind"].eq("GPU")]
    assert gpus["peak_fp32_flops"].dropna().between(5e11, 2e14).all()
    assert gpus["peak_fp32_flops"].notna().mean() > 0.9
    assert set(hardware["kind"]) <= {"GPU", "TPU", "CPU", "other"}


def test_hardware_table_records_where_each_row_came_from(hardware):
    with_values = hardware[hardware["peak_fp32_flops"].notna()]
    assert with_values["source"].notna().all()
    assert with_values["source_record"].notna().all()


def test_launch_prices_and_dates_parse(hardware):
    table = hardware.set_index("chip")
    assert table.loc["NVIDIA GeForce GTX 1080 Ti", "launch_price_usd"] == 699.0
    assert table["launch_price_usd"].notna().sum() >= 20
    dates = hardware["release_date"].dropna()
    assert dates.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


def test_chip_table_file_is_read_and_checked(tmp_path):
    from analysis.ingest.hardware import CHIPS, read_chips

    assert len(CHIPS) == len({chip.name for chip in CHIPS}) >= 50
    good = tmp_path / "chips.csv"
    good.write_text(
        "name,vendor,kind,pattern,epoch_ml,epoch_chips,mlco2,computerprogress\n"
        "X1,V,GPU,x1,,X1 epoch,,\n",
        encoding="utf-8",
    )
    (chip,) = read_chips(good)
    assert chip.epoch_ml is None and chip.epoch_chips == "X1 epoch"
    bad = tmp_path / "bad.csv"
    bad.write_text(good.read_text(encoding="utf-8").replace(",x1,", ",,"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.csv, line 2: name, vendor, kind, pattern"):
        read_chips(bad)
    bad.write_text("name,vendor\nX1,V\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.csv, line 1: header must be name,vendor,kind"):
        read_chips(bad)
