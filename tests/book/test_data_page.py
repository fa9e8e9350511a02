"""The data chapter's summaries: counts add up, targets are measured, the search table is
self-contained and holds every result."""

from __future__ import annotations

import json
import re

from analysis.book.pages.data import (
    MEASURE_LABELS,
    counts_by_task,
    coverage_chart,
    coverage_long,
    provenance_table,
    results_by_year,
    results_search_html,
    targets_table,
    year_chart,
)


def test_counts_by_task_total_row(tables):
    counts = counts_by_task(tables)
    total = counts.iloc[-1]
    assert total["task"] == "all tasks"
    assert total["papers"] == len(tables.papers) >= 1058
    assert counts.iloc[:-1]["results"].sum() == total["results"] == len(tables.results)
    assert (counts["primary_with_compute"] <= counts["results_primary"]).all()


def test_provenance_covers_every_row(tables):
    table = provenance_table(tables)
    assert table["results"].sum() == len(tables.results)
    assert table["compute_rows"].sum() == len(tables.compute)


def test_results_by_year_counts_dated_results(tables):
    per_year = results_by_year(tables)
    dated = tables.results.merge(tables.papers, on="paper_id")["year"].notna().sum()
    assert per_year["results"].sum() == dated
    assert year_chart(per_year).to_dict()["mark"]["type"] == "bar"


def test_coverage_shares_are_fractions(tables):
    long = coverage_long(tables)
    assert long["share"].between(0, 1).all()
    assert set(long["measure"]) == {*MEASURE_LABELS.values(), "any measure"}
    assert "layer" in coverage_chart(long).to_dict()


def test_targets_imagenet_met(tables):
    targets = targets_table(tables).set_index("benchmarks")
    assert targets.loc["ImageNet", "met"]
    assert (targets["with_compute"] <= targets["results"]).all()


def test_search_table_is_self_contained(tables):
    page = results_search_html(tables)
    assert "<script src" not in page and "http" not in re.sub(r'"[^"]*"', "", page)
    data = re.search(
        r'<script type="application/json" id="complim-data">(.*?)</script>', page, re.S
    )

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not valid JSON for a browser")

    rows = json.loads(data.group(1).replace("<\\/", "</"), parse_constant=refuse)
    assert len(rows) == len(tables.results)
    assert all(isinstance(cell, str) for row in rows for cell in row)
    assert len(page) < 2_000_000
