"""Task chapters' story: records, PSIS leave-one-paper-out, the frontier or the no-fit text."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.book.pages import task_story as ts
from analysis.data import (
    DEFAULT_POPULATIONS,
    FRONTIER_ORIGINS,
    decimal_year,
    frontier_flags,
    primary_results,
)
from analysis.vocab.tasks import TASKS

# --- records ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def all_records(tables) -> dict[str, pd.DataFrame]:
    return {task: ts.records(tables, task) for task in TASKS}


def test_records_strictly_improve_and_are_dated_by_result_date(tables, all_records):
    results = primary_results(tables).set_index("result_id")
    for task, recs in all_records.items():
        assert len(recs), f"{task} has no record"
        for series, rows in recs.groupby("series"):
            years = results.loc[rows["result_id"], "year"].to_numpy()
            order = np.argsort(years, kind="stable")
            assert (np.diff(years[order]) > 0).all(), f"{series}: two records on one date"
            errors = rows["error"].to_numpy()[order]
            assert (np.diff(errors) < 0).all(), f"{series} records not improving"
            dated = pd.to_datetime(results.loc[rows["result_id"], "result_date"], format="ISO8601")
            assert (dated.to_numpy() == rows["date"].to_numpy()).all(), series


def test_each_record_beats_everything_public_before_it(tables, all_records):
    """On the fits' time axis (decimal year), among the results that compete for the frontier;
    and every improvement of the running best is a record."""
    for task, recs in all_records.items():
        results = ts.default_results(tables, task)
        competing = results[results["score_origin"].isin(FRONTIER_ORIGINS)]
        year = results.set_index("result_id")["year"]
        for row in recs.itertuples():
            same = competing[competing["series"] == row.series]
            earlier = same[same["year"] < year[row.result_id]]
            assert earlier.empty or row.error < earlier["error"].min(), (task, row.result_id)
            on_day = same[same["year"] == year[row.result_id]]
            assert row.error == on_day["error"].min()
        for series, same in competing.groupby("series"):
            best = same.groupby("year")["error"].min().cummin()
            improved = (best.diff().fillna(-1) < 0).sum()
            assert improved == (recs["series"] == series).sum(), series


def test_records_are_the_frontier_results_the_backtest_scores(tables, all_records):
    for task, recs in all_records.items():
        results = ts.default_results(tables, task)
        frontier = set(results.loc[frontier_flags(results), "result_id"])
        assert set(recs["result_id"]) <= frontier, task


def test_no_record_comes_from_outside_the_default_population(tables, all_records):
    primary = primary_results(tables)
    other = set(primary.loc[~primary["population"].isin(DEFAULT_POPULATIONS), "result_id"])
    for task, recs in all_records.items():
        assert set(recs["population"]) <= set(DEFAULT_POPULATIONS), task
        assert not set(recs["result_id"]) & other, task


def _frame(dates: list[str], errors: list[float], origins: list[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "series": "s",
            "year": [decimal_year(d) for d in dates],
            "error": errors,
            "result_id": [f"r{i}" for i in range(len(dates))],
            "score_origin": origins or ["paper"] * len(dates),
        }
    )


def test_record_flags_ignore_a_better_result_of_a_later_date_only():
    frame = _frame(
        ["2015-01-01", "2016-01-01", "2016-01-01", "2017-01-01", "2018-01-01"],
        [10.0, 9.0, 8.0, 8.0, 7.5],
    )
    assert ts.record_flags(frame).tolist() == [True, False, True, False, True]


def test_a_month_precision_date_stands_at_mid_month_as_in_the_fits():
    # "2020-10" is mid-October: a result of 2 October came before it
    frame = _frame(["2020-10", "2020-10-02"], [5.0, 6.0])
    assert ts.record_flags(frame).tolist() == [True, True]


def test_a_library_retraining_sets_no_record():
    frame = _frame(["2019-01-01", "2019-06-01"], [10.0, 9.0], ["paper", "library re-training"])
    assert ts.record_flags(frame).tolist() == [True, False]


# --- PSIS leave-one-paper-out -------------------------------------------------------------------


def brute_force(parameter: np.ndarray, loglik: np.ndarray, q: float = 0.5) -> float:
    """The reweighted quantile with the raw weights 1 / p(rows | draw), no smoothing."""
    log_w = -loglik.reshape(len(parameter), -1).sum(axis=1)
    w = np.exp(log_w - log_w.max())
    return ts.weighted_quantile(parameter, w / w.sum(), q)


def test_psis_leave_out_equals_brute_force_reweighting():
    rng = np.random.default_rng(7)
    slope = rng.normal(-0.1, 0.02, 4000)  # posterior draws of a task slope
    # a paper whose two rows weakly favour steeper slopes: weights vary mildly, k is small
    rows = [stats.norm.logpdf(-0.12, slope, 0.05), stats.norm.logpdf(-0.13, slope, 0.08)]
    loglik = np.stack(rows, axis=1)
    out = ts.psis_without(slope, loglik)
    assert out.reliable and out.k < 0.5
    assert out.median == pytest.approx(brute_force(slope, loglik), abs=2e-4)
    assert out.lo == pytest.approx(brute_force(slope, loglik, 0.05), abs=1e-3)
    assert out.hi == pytest.approx(brute_force(slope, loglik, 0.95), abs=1e-3)
    assert out.median > np.median(slope)  # leaving out the steep paper flattens the slope


def test_psis_leave_out_recovers_the_exact_posterior_without_the_rows():
    # prior theta ~ N(0, 1); one row y ~ N(theta, 1) observed at y = 1: posterior N(1/2, 1/2)
    rng = np.random.default_rng(11)
    theta = rng.normal(0.5, np.sqrt(0.5), 20000)
    out = ts.psis_without(theta, stats.norm.logpdf(1.0, theta, 1.0)[:, None])
    assert out.reliable
    assert out.median == pytest.approx(0.0, abs=0.03)  # the prior's median
    assert out.hi == pytest.approx(stats.norm.ppf(0.95), abs=0.1)


def test_psis_flags_a_paper_the_posterior_leans_on():
    # the posterior is pinned by this one paper (sd 0.02 around its value); without it the
    # slope would be far wider: importance weights are heavy-tailed and k exceeds 0.7
    rng = np.random.default_rng(3)
    slope = rng.normal(-0.1, 0.02, 4000)
    loglik = stats.norm.logpdf(-0.1, slope, 0.0201)[:, None]
    out = ts.psis_without(slope, loglik)
    assert out.k > ts.MAX_K and not out.reliable


def test_row_loglik_is_the_models_density():
    """A lone row: the model's skew normal (checked against scipy's); a row of a group with
    several rows: Normal around the frontier plus the group's sampled gap."""
    n = 500
    rng = np.random.default_rng(5)
    draws = pd.DataFrame(
        {
            "intercept": rng.normal(1.0, 0.01, n),
            "slope": rng.normal(-0.1, 0.01, n),
            "trend": rng.normal(-0.03, 0.005, n),
            "sigma_v": np.full(n, 0.05),
            "sigma_u": np.full(n, 0.1),
            "floor": 0.0,
            "x0": 20.0,
            "t0": 2018.0,
        }
    )
    gap = np.abs(rng.normal(0, 0.1, n))
    rows = pd.DataFrame(
        {"series": ["s", "s"], "error": [8.0, 9.0], "log10_compute": [21.0, 19.5],
         "year": [2019.0, 2017.5], "measure": ["hardware_burden"] * 2}
    )  # fmt: skip
    fit = SimpleNamespace(
        form="polynomial",
        rows=rows,
        design=SimpleNamespace(series=["s"], series_index=np.array([0, 0]),
                               groups=["alone", "shared"], group_index=np.array([0, 1])),
        draws=lambda series: draws,
        offset=lambda measure: np.zeros(n),
        group_gap=lambda group: gap if group == "shared" else None,
    )  # fmt: skip
    ll = ts.row_loglik(fit, [0, 1])
    mu0 = draws["intercept"] + draws["slope"] * (21.0 - 20.0) + draws["trend"] * (2019.0 - 2018.0)
    omega = np.sqrt(0.05**2 + 0.1**2)
    expected = stats.skewnorm.logpdf(np.log10(8.0), 0.1 / 0.05, loc=mu0, scale=omega)
    np.testing.assert_allclose(ll[:, 0], expected, rtol=1e-6)
    mu1 = draws["intercept"] + draws["slope"] * (19.5 - 20.0) + draws["trend"] * (2017.5 - 2018.0)
    np.testing.assert_allclose(ll[:, 1], stats.norm.logpdf(np.log10(9.0), mu1 + gap, 0.05))


# --- frontier section or the explicit no-fit text -----------------------------------------------


def test_every_task_gets_a_frontier_or_the_no_fit_text(tables):
    from analysis.book.pages.frontier import headline_table

    rows = headline_table().rows
    for task in TASKS:
        fitted = sorted(rows.loc[rows["task"] == task, "series"].unique())
        if fitted:
            continue
        results = ts.default_results(tables, task)
        with_compute = results.merge(ts.training_compute(tables), on="result_id")
        text = ts.no_fit_text(task, len(with_compute), with_compute["paper_id"].nunique(), 0)
        assert text.startswith("**No frontier for")
        assert f"has {len(with_compute)} such result" in text
        assert ts.SEARCH_REPORT in text


def test_no_fit_task_glues_the_no_fit_text_and_a_fitted_task_its_frontier(monkeypatch):
    """The story glues the frontier text of a task with a fitted series, the no-fit text of one
    without (the headline fits come from the posterior cache)."""
    import myst_nb

    from analysis.book.pages.frontier import headline_table

    glued: dict[str, object] = {}
    monkeypatch.setattr(
        myst_nb, "glue", lambda key, value, display=True: glued.update({key: value})
    )
    rows = headline_table().rows
    counts = rows.groupby("task").size()
    unfitted = [t for t in TASKS if t not in counts.index]
    tasks = [*unfitted[:1], counts.idxmin()]
    for task in tasks:
        prefix = "task-" + task.replace("_", "-")
        story = ts.story_report(task, prefix)
        text = glued[f"{prefix}-frontier-text"].data
        assert story.fitted == (task in counts.index)
        if story.fitted:
            assert "enter the headline frontier fits" in text
            assert story.influence is not None and len(story.influence)
            assert {"paper_id", "rows", "slope_without", "pareto_k"} <= set(story.influence)
        else:
            assert text.startswith("**No frontier for") and ts.SEARCH_REPORT in text
        assert f"fig-{prefix}-frontier" in glued and f"fig-{prefix}-records" in glued
        assert glued[f"{prefix}-answer"].data.startswith("**Answer.**")


def test_the_records_table_lists_records_in_the_order_set_with_the_date_as_given(
    tables, all_records
):
    """A month-precision date (CoNLL 2003's ACE, "2020-10") prints as the month and stands at
    mid-month, after a record of 2 October: the table never shows a record worse than the one
    above it."""
    results = primary_results(tables).set_index("result_id")
    for task, recs in all_records.items():
        table = ts.records_table(recs)
        assert (table["date"].to_numpy() == results.loc[recs["result_id"], "result_date"]).all()
        for series, rows in table.groupby(recs["series"]):
            assert (np.diff(rows["error"].to_numpy()) < 0).all(), (task, series)
        month = recs["date_text"].str.len() == 7
        assert (recs.loc[month, "plot_date"].dt.day == 15).all(), task
