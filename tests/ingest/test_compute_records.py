"""Compute formulas and unit helpers on hand-checked examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.ingest.compute import RECORD_COLUMNS
from analysis.vocab import measures as compute

V100_FP32 = 15.7e12


def test_hardware_burden_eight_v100_for_a_day():
    # 8 × 15.7e12 FLOP/s × 24 h × 3600 s/h = 1.085e19 FLOP
    assert compute.hardware_burden(8, V100_FP32, 24) == pytest.approx(1.08518e19, rel=1e-4)


def test_hardware_burden_propagates_missing_hours():
    assert math.isnan(compute.hardware_burden(8, V100_FP32, np.nan))


def test_network_operations_resnet50_ninety_epochs():
    # ResNet-50: 4.1e9 multiply-adds = 8.2e9 FLOPs per image; 90 epochs of 1,281,167 images; ×3
    flops = compute.macs_to_flops(4.1e9)
    expected = 90 * 8.2e9 * 1_281_167 * 3
    assert compute.network_operations(flops, 90, 1_281_167) == pytest.approx(expected)
    assert expected == pytest.approx(2.837e18, rel=1e-3)


def test_network_operations_passes_factor_is_a_parameter():
    assert compute.network_operations(1.0, 1.0, 1.0, passes_factor=1.0) == 1.0
    assert compute.TRAINING_PASSES_FACTOR == 3.0


def test_unit_conversions_round_trip():
    assert compute.macs_to_flops(5.0) == 10.0
    assert compute.flops_to_macs(10.0) == 5.0
    assert compute.petaflop_s_days_to_flop(1.0) == pytest.approx(8.64e19)
    assert compute.flop_to_petaflop_s_days(8.64e19) == pytest.approx(1.0)
    assert compute.teraflop_s_days_to_flop(1.0) == pytest.approx(8.64e16)


def _records(**columns) -> pd.DataFrame:
    frame = pd.DataFrame({column: [np.nan] for column in RECORD_COLUMNS}, dtype=object)
    for key, value in columns.items():
        frame[key] = [value]
    return frame


def _hardware() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "chip": ["NVIDIA V100", "Google TPU v3"],
            "kind": ["GPU", "TPU"],
            "peak_fp32_flops": [V100_FP32, np.nan],
            "peak_tensor_flops": [125e12, 123e12],
        }
    )


def test_derive_measures_hardware_burden_and_reason():
    records = _records(
        chip="NVIDIA V100", chip_count=8.0, training_hours=24.0, benchmark="imagenet"
    )
    measures = compute.derive_measures(records, _hardware())
    assert measures.loc[0, "hardware_burden"] == pytest.approx(1.08518e19, rel=1e-4)
    assert "network_operations: no flops_per_pass, epochs" in measures.loc[0, "missing"]
    assert "hardware_burden" not in measures.loc[0, "missing"]


def test_derive_measures_uses_tpu_matrix_peak():
    records = _records(chip="Google TPU v3", chip_count=2.0, training_hours=1.0)
    measures = compute.derive_measures(records, _hardware())
    assert measures.loc[0, "hardware_burden"] == pytest.approx(2 * 123e12 * 3600)
    assert measures.loc[0, "burden_peak_basis"] == "TPU bf16 matrix peak"


def test_derive_measures_known_training_set_only_when_epochs_given():
    with_epochs = _records(flops_per_pass=8.2e9, epochs=90.0, benchmark="imagenet")
    without = _records(flops_per_pass=8.2e9, benchmark="imagenet")
    measured = compute.derive_measures(with_epochs, _hardware())
    assert measured.loc[0, "network_operations"] == pytest.approx(90 * 8.2e9 * 1_281_167 * 3)
    assert "Russakovsky" in measured.loc[0, "training_examples_origin"]
    unmeasured = compute.derive_measures(without, _hardware())
    assert np.isnan(unmeasured.loc[0, "network_operations"])
    assert np.isnan(unmeasured.loc[0, "training_examples_used"])


def test_derive_measures_names_a_chip_without_peak():
    records = _records(chip="Intel Xeon Platinum 8124M", chip_count=2.0, training_hours=1.0)
    hardware = pd.DataFrame(
        {
            "chip": ["Intel Xeon Platinum 8124M"],
            "kind": ["CPU"],
            "peak_fp32_flops": [np.nan],
            "peak_tensor_flops": [np.nan],
        }
    )
    measures = compute.derive_measures(records, hardware)
    assert np.isnan(measures.loc[0, "hardware_burden"])
    assert "no peak FLOP/s for this chip" in measures.loc[0, "missing"]


def test_derive_measures_never_imputes_missing_chip():
    records = _records(chip_count=8.0, training_hours=24.0)
    measures = compute.derive_measures(records, _hardware())
    assert np.isnan(measures.loc[0, "hardware_burden"])
    assert "no chip" in measures.loc[0, "missing"]


def test_derive_measures_splits_training_flops_by_method():
    records = pd.concat(
        [
            _records(training_flops=1e20, training_flops_method="epoch_estimate"),
            _records(training_flops=2e20, training_flops_method="reported"),
        ],
        ignore_index=True,
    )
    measures = compute.derive_measures(records, _hardware())
    assert measures["epoch_estimate"].tolist()[0] == 1e20
    assert np.isnan(measures["epoch_estimate"].tolist()[1])
    assert measures["reported_training_flops"].tolist()[1] == 2e20


@pytest.mark.needs_sources
def test_derive_measures_on_the_real_records():
    from analysis.ingest.compute import pycls
    from analysis.ingest.hardware import build_hardware_table
    from analysis.paths import sources_dir

    records = pycls.read(sources_dir())
    measures = compute.derive_measures(records, build_hardware_table(sources_dir()))
    first = records.index[records["model"].eq("RegNetX-200MF")][0]
    # 8 × V100 (Epoch ML hardware: 15.67 TFLOP/s) × 3.0 h
    assert measures.loc[first, "hardware_burden"] == pytest.approx(8 * 15.67e12 * 3.0 * 3600)
    assert measures["hardware_burden"].notna().all()
    assert measures["network_operations"].notna().all()
    # the work done cannot exceed the peak-rate upper bound (implied utilisation < 100 %)
    assert (measures["network_operations"] < measures["hardware_burden"]).all()
