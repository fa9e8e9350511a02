"""The book's opening question, in data: scope counts, the frontier over time, ImageNet scaling."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from analysis.book import labels
from analysis.data import Tables, default_fit_table, frontier_flags, primary_results
from analysis.vocab.series import HEADLINE_SERIES, IMAGENET


def scope_counts(tables: Tables) -> dict[str, int]:
    """How large the dataset is: papers, results, tasks, benchmarks, years covered."""
    results, papers = tables.results, tables.papers
    primary = results[results["benchmark_role"] == "primary"]
    years = papers["year"].dropna()
    return {
        "papers": int(papers["paper_id"].nunique()),
        "results": len(results),
        "primary_results": len(primary),
        "tasks": int(results["task"].nunique()),
        "primary_benchmarks": int(primary["benchmark"].nunique()),
        "first_year": int(years.min()),
        "last_year": int(years.max()),
    }


def frontier_over_time(tables: Tables, series: dict[str, str] = HEADLINE_SERIES) -> pd.DataFrame:
    """Dated results of the headline series, with the best error reached so far at each date."""
    rows = primary_results(tables)
    rows = rows[rows["series"].isin(series.values()) & rows["year"].notna()].copy()
    rows["is_frontier"] = frontier_flags(rows)
    rows = rows.sort_values(["series", "year"])
    rows["best_so_far"] = rows.groupby("series")["error"].cummin()
    columns = ["series", "task", "paper_id", "model", "year", "error", "best_so_far", "is_frontier"]
    return rows[columns].reset_index(drop=True)


def scaling_points(
    tables: Tables, series: str = IMAGENET, measure: str = "flops_per_pass"
) -> pd.DataFrame:
    """One series' results with a compute measure: error, compute (FLOP), year, model."""
    rows = default_fit_table(tables, measure).rows
    rows = rows[rows["series"] == series]
    if rows.empty:
        raise ValueError(f"no result of series {series!r} has compute measure {measure!r}")
    models = tables.results[["result_id", "model"]]
    out = rows.merge(models, on="result_id", how="left")
    out["compute_flop"] = np.power(10.0, out["log10_compute"])
    columns = ["result_id", "paper_id", "model", "year", "error", "compute_flop", "is_frontier"]
    return out[columns].reset_index(drop=True)


def frontier_chart(frame: pd.DataFrame) -> alt.Chart:
    """Best error so far over time, one line per headline series."""
    base = alt.Chart(frame).encode(
        x=alt.X(
            "year:Q", title=labels.YEAR, scale=alt.Scale(zero=False), axis=alt.Axis(format="d")
        ),
        color=alt.Color("series:N", title="Benchmark / metric"),
    )
    line = base.mark_line(interpolate="step-after").encode(
        y=alt.Y("best_so_far:Q", title=labels.ERROR_PERCENT, scale=alt.Scale(type="log"))
    )
    points = base.mark_point(filled=True, size=30, opacity=0.5).encode(
        y=alt.Y("error:Q", scale=alt.Scale(type="log")),
        tooltip=["series:N", "model:N", "paper_id:N", alt.Tooltip("year:Q", format=".1f"),
                 alt.Tooltip("error:Q", format=".2f")],
    )  # fmt: skip
    return (points + line).properties(width=560, height=340)


def scaling_chart(frame: pd.DataFrame, measure: str) -> alt.Chart:
    """Error against compute on log-log axes, coloured by year."""
    return (
        alt.Chart(frame)
        .mark_point(filled=True, size=40, opacity=0.7)
        .encode(
            x=alt.X(
                "compute_flop:Q",
                title=labels.measure_title(measure),
                scale=alt.Scale(type="log"),
                axis=alt.Axis(format=".0e"),
            ),
            y=alt.Y("error:Q", title=labels.ERROR_PERCENT, scale=alt.Scale(type="log")),
            color=alt.Color(
                "year:Q",
                title=labels.YEAR,
                scale=alt.Scale(scheme="viridis"),
                legend=alt.Legend(format="d"),
            ),
            tooltip=[
                "model:N",
                "paper_id:N",
                alt.Tooltip("year:Q", format=".1f"),
                alt.Tooltip("error:Q", format=".2f"),
                alt.Tooltip("compute_flop:Q", format=".2e"),
            ],
        )
        .properties(width=560, height=340)
    )
