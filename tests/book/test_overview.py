"""The opening chapter's numbers and charts, on the committed dataset."""

from __future__ import annotations

import pytest

from analysis.book.pages.overview import (
    HEADLINE_SERIES,
    frontier_chart,
    frontier_over_time,
    scaling_chart,
    scaling_points,
    scope_counts,
)


def test_scope_counts_are_consistent(tables) -> None:
    scope = scope_counts(tables)
    assert scope["papers"] == tables.papers["paper_id"].nunique() > 0
    assert 0 < scope["primary_results"] <= scope["results"]
    assert scope["tasks"] == 9
    assert scope["first_year"] <= scope["last_year"]


def test_best_so_far_never_rises(tables) -> None:
    frontier = frontier_over_time(tables)
    assert set(frontier["series"]) <= set(HEADLINE_SERIES.values())
    for series, group in frontier.groupby("series"):
        best = group.sort_values("year")["best_so_far"].to_numpy()
        assert (best[1:] <= best[:-1]).all(), f"{series}: best error rose"
        assert (group["best_so_far"] <= group["error"]).all()


def test_scaling_points_have_positive_compute(tables) -> None:
    points = scaling_points(tables)
    assert (points["compute_flop"] > 0).all() and (points["error"] > 0).all()
    assert points["result_id"].is_unique


def test_unknown_series_is_a_clear_error(tables) -> None:
    with pytest.raises(ValueError, match="no result of series 'nope/none'"):
        scaling_points(tables, "nope/none")


def test_charts_use_log_scales(tables) -> None:
    scaling = scaling_chart(scaling_points(tables), "flops_per_pass").to_dict()
    assert scaling["encoding"]["x"]["scale"]["type"] == "log"
    assert scaling["encoding"]["y"]["scale"]["type"] == "log"
    layered = frontier_chart(frontier_over_time(tables)).to_dict()
    assert layered["layer"][1]["encoding"]["y"]["scale"]["type"] == "log"
