"""The one label table: every id the book shows has a human name, every chart reads it."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import pytest
import vl_convert as vlc

from analysis.book import labels, theme
from analysis.paths import DATA_DIR
from analysis.vocab.forms import FORMS
from analysis.vocab.measures import MEASURES
from analysis.vocab.tasks import TASKS

RAW_ID = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)*/[a-z0-9]+_[a-z0-9_]+\b")


@pytest.mark.parametrize(
    ("series", "name"),
    [
        ("imagenet/top1_accuracy", "ImageNet top-1 error (%)"),
        ("coco_test_dev/box_ap", "COCO test-dev box AP error (100 − box AP)"),
        ("squad11_dev/f1", "SQuAD 1.1 dev F1 error (100 − F1)"),
        ("librispeech_test_other/wer", "LibriSpeech test-other WER (%)"),
        ("cifar10_generation/fid", "CIFAR-10 generation FID"),
    ],
)
def test_series_names(series: str, name: str) -> None:
    assert labels.series_name(series) == name


def test_measure_form_and_task_names() -> None:
    assert labels.measure_name("hardware_burden") == "Hardware burden (FLOP)"
    assert labels.form_name("polynomial") == "Polynomial"
    assert labels.task_name("named_entity_recognition") == "Named-entity recognition"
    table = labels.known_ids()
    assert set(table["measure"]) == set(MEASURES)
    assert set(table["form"]) == set(FORMS) and set(table["task"]) == set(TASKS)


def test_every_series_in_the_data_has_a_name_without_ids_or_underscores() -> None:
    results = pd.read_csv(DATA_DIR / "results.csv", usecols=["benchmark", "metric"])
    for series in set(results["benchmark"] + "/" + results["metric"]):
        name = labels.series_name(series)
        assert "_" not in name and "/" not in name.replace("100 − ", ""), (series, name)


def test_column_labels_carry_units_and_interval_parts() -> None:
    assert labels.column_label("log10_usd") == "Cost (US$)"
    assert labels.column_label("slope_lo") == "Slope (log10 error per decade of compute) (low)"
    assert labels.column_label("some_new_column") == "Some new column"


def test_series_ids_in_text_are_replaced_but_other_slashes_kept() -> None:
    text = "Fit of imagenet/top1_accuracy and/or 2019/2020"
    assert labels.replace_series_ids(text) == "Fit of ImageNet top-1 error (%) and/or 2019/2020"


def test_one_colour_per_form_and_task() -> None:
    assert set(theme.FORM_COLOURS) == set(FORMS)
    assert set(theme.TASK_COLOURS) == set(TASKS)
    assert len(set(theme.TASK_COLOURS.values())) == len(TASKS)
    colours = theme.series_colours(["imagenet/top1_accuracy", "cifar10/accuracy"])
    assert len(set(colours.values())) == 2
    assert theme.TASK_COLOURS["image_classification"] in colours.values()


def _texts(spec: dict) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", vlc.vegalite_to_svg(spec))


FRAME = pd.DataFrame(
    {
        "compute": [1e17, 1e20, 1e23, 5e18],
        "error": [30.0, 10.0, 3.0, 12.0],
        "series": ["imagenet/top1_accuracy"] * 2 + ["coco_test_dev/box_ap"] * 2,
        "form": ["polynomial", "exponential"] * 2,
    }
)


def test_readable_charts_have_power_of_ten_ticks_and_names_everywhere() -> None:
    chart = (
        alt.Chart(FRAME)
        .mark_point()
        .encode(
            x=alt.X("compute:Q", scale=alt.Scale(type="log"), axis=alt.Axis(format=".0e")),
            y=alt.Y("error:Q", scale=alt.Scale(type="log")),
            color="form:N",
            tooltip=["series:N", "error:Q"],
        )
        .properties(width=200, height=120, title="Fit of imagenet/top1_accuracy")
    )
    faceted = chart.facet(facet=alt.Facet("series:N"), columns=2)
    for spec in (chart.to_dict(), faceted.to_dict()):
        texts = _texts(theme.readable(spec))
        assert "10¹⁸" in texts and "10²³" in texts
        assert not [t for t in texts if "e+" in t], texts
        assert not [t for t in texts if RAW_ID.search(t)], texts
        assert "Polynomial" in texts
    spec = theme.readable(chart.to_dict())
    assert spec["encoding"]["color"]["scale"]["range"] == [
        theme.FORM_COLOURS["exponential"],
        theme.FORM_COLOURS["polynomial"],
    ]
    assert spec["encoding"]["tooltip"][0]["field"] == "series__name"
    assert "ImageNet top-1 error (%)" in _texts(theme.readable(faceted.to_dict()))


def test_readable_keeps_the_data_and_the_caller_spec() -> None:
    spec = alt.Chart(FRAME).mark_point().encode(x="compute:Q", color="series:N").to_dict()
    before = repr(spec)
    out = theme.readable(spec)
    assert repr(spec) == before
    assert out["datasets"] == spec["datasets"]


@pytest.mark.parametrize(
    ("value", "label"),
    [(1e18, "10¹⁸"), (2e18, "2×10¹⁸"), (1e-4, "10⁻⁴"), (20.0, "20"), (0.5, "0.5")],
)
def test_power_of_ten_labels(value: float, label: str) -> None:
    assert theme.power_of_ten_label(value) == label


def test_log10_axis_labels_whole_numbers_as_powers() -> None:
    frame = pd.DataFrame({"x": [20.0, 24.0], "y": [1.0, 2.0]})
    chart = alt.Chart(frame).mark_point().encode(x=alt.X("x:Q", axis=theme.log10_axis("FLOP")))
    texts = _texts(chart.to_dict())
    assert "10²⁰" in texts and "10²⁴" in texts


def test_measure_and_task_ids_in_text_become_names() -> None:
    text = "hardware_burden/polynomial fit of image_classification"
    assert labels.replace_ids(text) == "Hardware burden/polynomial fit of image classification"
