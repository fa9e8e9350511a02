"""The rolling-origin backtest's pieces: vintage splits, proper scores, paper-weighted summaries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.checks import frontier_backtest as bt
from analysis.models import frontier as fm
from analysis.models.frontier_sim import simulate


@pytest.mark.parametrize("cutoff", bt.CUTOFFS)
def test_no_training_row_is_public_after_its_cutoff(cutoff):
    data = simulate(5, n_papers=60, years=(2012.0, 2022.0))
    train, later = bt.split(data, cutoff)
    assert (train["year"] < cutoff).all()
    assert (later["year"] >= cutoff).all()
    assert set(later["series"]) <= set(train["series"])


def test_crps_matches_its_closed_form_for_a_normal_forecast():
    draws = np.random.default_rng(0).normal(0.0, 1.0, 20000)
    # CRPS of N(0, 1) at y = 0 is 2 phi(0) - 1/sqrt(pi) = 0.2337
    assert bt.crps(draws, 0.0) == pytest.approx(0.2337, abs=0.01)
    assert bt.crps(draws, 3.0) > bt.crps(draws, 0.0)


def test_score_counts_interval_hits_and_pit():
    draws = np.linspace(0.0, 1.0, 1001)
    inside, outside = bt.score(draws, 0.5), bt.score(draws, 0.97)
    assert inside["in50"] == 1.0 and inside["in90"] == 1.0
    assert inside["pit"] == pytest.approx(0.5, abs=0.01)
    assert outside["in50"] == 0.0 and outside["in90"] == 0.0


def test_a_forecast_of_errors_below_zero_is_scored_on_its_positive_errors():
    """A form linear in error points can forecast errors at or below zero (log10 -inf): the
    interval and PIT read the other draws, as the CRPS does, and the share is recorded."""
    draws = np.concatenate([np.linspace(-2.0, 0.0, 900), np.full(100, -np.inf)])
    inside = bt.score(draws, -1.0)
    assert inside["in50"] == 1.0 and inside["in90"] == 1.0
    assert inside["pit"] == pytest.approx(0.5, abs=0.01)
    assert inside["nonfinite"] == pytest.approx(0.1)
    assert bt.score(draws, 0.5)["in90"] == 0.0
    unreachable = bt.score(
        np.concatenate([np.linspace(20.0, 22.0, 900), np.full(100, np.inf)]), 21.0
    )
    assert unreachable["in90"] == 1.0 and unreachable["nonfinite"] == pytest.approx(0.1)


def test_a_nan_draw_stops_the_scoring():
    with pytest.raises(ValueError, match="NaN"):
        bt.score(np.array([0.1, np.nan, 0.3]), 0.2)


def test_log10_error_is_minus_infinity_at_or_below_zero_error():
    out = fm.log10_positive(np.array([10.0, 0.0, -3.0]))
    assert out[0] == pytest.approx(1.0) and np.isneginf(out[1:]).all()


def test_one_paper_with_many_rows_does_not_dominate_the_summary():
    many = pd.DataFrame(
        {
            "cutoff": 2018.0,
            "paper_id": "big",
            "in50": 0.0,
            "in90": 0.0,
            "crps": 1.0,
            "nonfinite": 0.0,
        },
        index=range(50),
    )
    few = pd.DataFrame(
        {
            "cutoff": 2018.0,
            "paper_id": ["a", "b", "c"],
            "in50": 1.0,
            "in90": 1.0,
            "crps": 0.0,
            "nonfinite": 0.0,
        }
    )
    summary = bt.summarise(pd.concat([many, few]))
    assert (
        summary["coverage_90"] == pytest.approx(0.75)
        and summary["papers"] == 4
        and summary["n"] == 53
    )


def test_report_rows_list_every_cutoff_and_the_pooled_summary():
    scores = pd.DataFrame(
        {
            "cutoff": [2017.0, 2017.0, 2020.5, 2020.5], "target": "all", "model": "headline",
            "paper_id": ["a", "b", "a", "c"], "in50": [1, 0, 1, 1], "in90": 1.0, "crps": 0.1,
            "pit": 0.5, "nonfinite": [0.0, 0.0, 0.2, 0.0],
        }
    )  # fmt: skip
    rows = bt.report_rows(scores)
    assert [r["cutoff"] for r in rows] == ["2017-01-01", "2020-07-01", "pooled"]
    assert set(rows[0]) == {
        "cutoff",
        "target",
        "model",
        "n",
        "papers",
        "coverage_50",
        "coverage_90",
        "crps",
        "nonfinite_share",
    }
    assert rows[-1]["papers"] == 3
    assert rows[1]["nonfinite_share"] == pytest.approx(0.1)


def test_cutoff_labels_are_dates():
    assert bt.cutoff_label(2016.0) == "2016-01-01" and bt.cutoff_label(2020.5) == "2020-07-01"


def test_a_form_never_scored_gets_no_weight_and_the_others_are_stacked():
    past = [pd.DataFrame({"polynomial": [-1.0, -1.2], "exponential": [-2.0, -2.5]})]
    weights = bt.weights_from_densities(past, ("polynomial", "exponential", "floor"))
    assert weights["floor"] == 0.0 and weights["polynomial"] > weights["exponential"]
    assert sum(weights.values()) == pytest.approx(1.0)
    equal = bt.weights_from_densities([], ("polynomial", "exponential"))
    assert equal == {"polynomial": 0.5, "exponential": 0.5}


def test_a_backtest_run_is_cached_under_its_rows(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLIM_POSTERIOR_CACHE", str(tmp_path))
    calls = []

    def fake_run(rows, cutoffs, forms, settings):
        calls.append(len(rows))
        return len(rows)

    monkeypatch.setattr(bt, "run", fake_run)
    rows = pd.DataFrame({"result_id": ["a", "b"], "year": [2015.0, 2017.0]})
    assert bt.cached_run(rows) == (2, False)
    assert bt.cached_run(rows) == (2, True)
    assert bt.cached_run(rows.iloc[:1]) == (1, False)
    assert calls == [2, 1]


def _paired_scores(headline: list[float], baseline: list[float], papers: list[str]) -> pd.DataFrame:
    rows = []
    for i, (h, b, paper) in enumerate(zip(headline, baseline, papers, strict=True)):
        for model, value in (("headline", h), ("ols", b)):
            rows.append(
                {"cutoff": 2019.0, "target": "records", "model": model, "paper_id": paper,
                 "result_id": f"r{i}", "crps": value}
            )  # fmt: skip
    return pd.DataFrame(rows)


def test_paired_crps_differences_compare_the_same_forecasts_paper_by_paper():
    papers = [f"p{i}" for i in range(30)]
    better = _paired_scores([0.05] * 30, [0.10 + 0.01 * (i % 3) for i in range(30)], papers)
    (row,) = bt.paired_crps_differences(better, "records")
    assert row["baseline"] == "ols" and row["units"] == 30
    assert row["hi"] < 0 < -row["crps_difference"]  # the headline is clearly better
    noisy = _paired_scores([0.1 + 0.05 * (-1) ** i for i in range(30)], [0.1] * 30, papers)
    (tie,) = bt.paired_crps_differences(noisy, "records")
    assert tie["lo"] < 0 < tie["hi"]  # cannot be told apart
    # a forecast only the headline made is not compared
    extra = pd.concat([better, _paired_scores([9.0], [np.nan], ["solo"])], ignore_index=True)
    extra = extra.dropna(subset=["crps"])
    (same,) = bt.paired_crps_differences(extra, "records")
    assert same["n"] == 30 and same["crps_difference"] == pytest.approx(row["crps_difference"])


def test_the_report_names_the_weights_the_headline_stacks(tmp_path):
    scores = _paired_scores([0.05, 0.06], [0.1, 0.1], ["a", "b"]).assign(
        in50=1.0, in90=1.0, pit=0.5, nonfinite=0.0
    )
    run = bt.BacktestRun(
        scores=scores, weights={"2019-01-01": {"polynomial": 0.5, "exponential": 0.5}},
        final_weights={"polynomial": 0.0, "exponential": 0.4, "floor": 0.6},
        densities=pd.DataFrame(), fits=[], seconds=1.0,
    )  # fmt: skip
    rows = pd.DataFrame(
        {"result_id": ["r0"], "series": ["s"], "error": [1.0], "year": [2019.5],
         "log10_compute": [20.0], "is_frontier": [True]}
    )  # fmt: skip
    stacked = {"polynomial": 0.0612, "exponential": 0.9388}
    path = bt.write_report(run, rows, "training_compute", tmp_path / "b.json", stacked)
    report = bt.read_report(path)
    assert report["headline_weights"] == stacked
    assert {r["baseline"] for r in report["crps_differences"]} == {"ols"}
    default = bt.read_report(bt.write_report(run, rows, "training_compute", tmp_path / "c.json"))
    assert default["headline_weights"] == run.final_weights


def test_a_cutoff_is_unscored_only_when_every_frontier_form_failed() -> None:
    fits = [
        {"cutoff": "2018-01-01", "form": "polynomial", "passed": False},
        {"cutoff": "2018-01-01", "form": "exponential", "passed": False},
        {"cutoff": "2019-01-01", "form": "polynomial", "passed": True},
        {"cutoff": "2019-01-01", "form": "floor", "passed": False},
        {"cutoff": "2019-01-01", "form": "mean_line", "passed": False},
        {"cutoff": "2020-01-01", "form": "exponential", "passed": True},
        {"cutoff": "2020-01-01", "form": "mean_line", "passed": False},
    ]
    assert bt.cutoffs_not_scored(fits) == ["2018-01-01"]
    assert bt.cutoffs_not_scored([f for f in fits if f["cutoff"] != "2018-01-01"]) == []


def test_the_backtest_scope_names_the_unscored_cutoffs() -> None:
    from types import SimpleNamespace

    from analysis.book.pages.frontier import backtest_scope

    failed = [{"cutoff": c, "form": "polynomial", "passed": False} for c in ("2018", "2019")]
    scope = backtest_scope(SimpleNamespace(fits=failed))  # type: ignore[arg-type]
    assert "2018 and 2019 cutoffs could not be fitted" in scope
    passed = [{"cutoff": "2018", "form": "polynomial", "passed": True}]
    assert backtest_scope(SimpleNamespace(fits=passed)) == (  # type: ignore[arg-type]
        "Every cutoff could be fitted and is scored."
    )


def test_the_chance_band_holds_a_calibrated_coverage_and_narrows_with_more_units() -> None:
    rng = np.random.default_rng(7)
    for n_units, nominal in ((31, 0.5), (31, 0.9), (200, 0.5)):
        lo, hi = bt.chance_band(n_units, nominal)
        assert lo < nominal < hi
        simulated = rng.binomial(n_units, nominal, 20000) / n_units
        assert ((simulated >= lo) & (simulated <= hi)).mean() >= 0.95
    assert np.diff(bt.chance_band(200, 0.5)) < np.diff(bt.chance_band(31, 0.5))
    with pytest.raises(ValueError, match="0 units"):
        bt.chance_band(0, 0.5)


def test_units_count_each_cutoff_and_paper_once() -> None:
    scores = pd.DataFrame({"cutoff": [2018.0, 2018.0, 2019.0], "paper_id": ["a", "a", "a"]})
    assert bt.units(scores) == 2
    assert bt.units(scores.iloc[:0]) == 0
