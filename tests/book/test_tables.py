"""Reader tables: human headers, no index, integers, significant figures, intervals, names."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.book.tables import (
    LONG_ROWS,
    ROOT_PLACEHOLDER,
    number_html,
    reader_frame,
    reader_table,
)

FRAME = pd.DataFrame(
    {
        "series": ["imagenet/top1_accuracy", "squad11/f1"],
        "form": ["polynomial", "exponential"],
        "slope": [-0.0523, -0.112],
        "slope_lo": [-0.08, -0.2],
        "slope_hi": [-0.03, -0.05],
        "n": [120.0, 30.0],
        "log10_flop_median": [23.41, np.inf],
        "log10_flop_lo": [22.1, 20.0],
        "log10_flop_hi": [25.0, np.inf],
    },
    index=pd.Index([5, 9]),
)


def test_reader_frame_names_ids_merges_intervals_and_drops_the_index() -> None:
    out = reader_frame(FRAME)
    assert list(out.columns) == [
        "Index",
        "Benchmark and error",
        "Functional form",
        "Slope (log10 error per decade of compute)",
        "Results",
        "Compute needed (FLOP)",
    ]
    row = out.iloc[0]
    assert row["Benchmark and error"] == "ImageNet top-1 error (%)"
    assert row["Functional form"] == "Polynomial"
    assert row["Slope (log10 error per decade of compute)"] == "−0.052 (−0.080 to −0.030)"
    assert row["Results"] == "120"
    assert row["Compute needed (FLOP)"].startswith("10²³")
    assert out.iloc[1]["Compute needed (FLOP)"].startswith("∞")


def test_a_default_index_is_not_shown() -> None:
    assert "Index" not in reader_frame(FRAME.reset_index(drop=True)).columns


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1234.0, 0, "1,234"),
        (0.1234, 3, "0.123"),
        (-2.5, 1, "−2.5"),
        (3.2e9, 0, "3.2×10<sup>9</sup>"),
        (float("nan"), 2, "—"),
        (float("inf"), 2, "∞"),
    ],
)
def test_numbers(value: float, decimals: int, text: str) -> None:
    assert number_html(value, decimals) == text


def test_no_cell_uses_e_notation() -> None:
    frame = pd.DataFrame({"value": [1e-9, 4.2e21, 12.5, 0.0]})
    assert not reader_frame(frame)["Reported value"].str.contains("e[+-]", regex=True).any()


def test_short_tables_sort_but_have_no_tools(tmp_path: Path) -> None:
    html = reader_table(FRAME, csv_dir=tmp_path).html()
    assert "complim-sort" in html and "complim-table-filter" not in html
    assert 'data-type="num"' in html and "<th" in html


def test_long_tables_have_filter_count_and_csv(tmp_path: Path) -> None:
    frame = pd.DataFrame({"task": ["image_classification"] * (LONG_ROWS + 1), "n": 1})
    with pytest.raises(ValueError, match="needs a label"):
        reader_table(frame, csv_dir=tmp_path)
    table = reader_table(frame, "tab-test-long", csv_dir=tmp_path)
    html = table.html()
    assert "complim-table-filter" in html and f"{LONG_ROWS + 1} rows" in html
    assert f'href="{ROOT_PLACEHOLDER}tables/tab-test-long.csv"' in html
    assert pd.read_csv(tmp_path / "tab-test-long.csv").equals(frame)
    assert "Image classification" in html and "image_classification" not in html


def test_bad_table_labels_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="table label"):
        reader_table(FRAME, "Table 1", csv_dir=tmp_path)


def test_displayed_dataframes_become_reader_tables_in_a_shell() -> None:
    from IPython.core.formatters import format_display_data
    from IPython.core.interactiveshell import InteractiveShell

    from analysis.book.tables import use_reader_tables

    shell = InteractiveShell.instance()
    try:
        assert use_reader_tables()
        frame = pd.DataFrame({"task": ["pose_estimation"] * (LONG_ROWS + 2), "n": 2.0})
        bundle, _ = format_display_data(frame)
        assert "complim-table" in bundle["text/html"] and "Pose estimation" in bundle["text/html"]
    finally:
        shell.display_formatter.formatters["text/html"].pop(pd.DataFrame, None)
        InteractiveShell.clear_instance()


def test_years_have_no_thousands_separator() -> None:
    out = reader_frame(pd.DataFrame({"year": [2019.0, 2020.0], "cutoff": [2018.5, 2019.0]}))
    assert list(out["Year"]) == ["2019", "2020"]
    assert list(out["Cutoff"]) == ["2018.5", "2019.0"]


def test_numbers_in_text_cells_lose_their_e_notation() -> None:
    out = reader_frame(pd.DataFrame({"value": ["6.874e+16", "1e-3 kg", "see fig-2e"]}))
    assert list(out["Reported value"]) == ["6.874×10¹⁶", "10⁻³ kg", "see fig-2e"]


def test_a_page_returns_its_dataframes_as_reader_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.book import tables
    from analysis.book.glue import page_namespace
    from analysis.book.tables import ReaderTable

    monkeypatch.setattr(tables, "TABLES_DIR", tmp_path)
    long = pd.DataFrame({"task": ["face_detection"] * (LONG_ROWS + 1)})
    page = page_namespace("what-if", {"assumptions": long, "short": FRAME, "text": "x"})
    assert isinstance(page.assumptions, ReaderTable)
    assert page.assumptions.label == "tab-what-if-assumptions"
    assert isinstance(page.short, ReaderTable) and page.short.label is None
    assert page.text == "x"
    assert (tmp_path / "tab-what-if-assumptions.csv").exists()
