"""Every number glued on the landing page traces to a function and to the rows it came from.

The fits are stand-ins with known slopes (no sampling): the mean-line fits and the frontier
headline's (``tests.frontier_standin``, traced to the headline's ImageNet rows and today's best
result of the data); the tables, the fit table, today's best errors and the cost model are the
book's own.
"""

from __future__ import annotations

import importlib
import re

import numpy as np
import pytest
import yaml

from analysis.book.pages import index as landing
from analysis.data import fit_table, primary_results
from analysis.paths import BOOK_DIR, CONFIG_DIR
from analysis.projection import costs
from analysis.projection.assumptions import load_assumptions
from analysis.projection.extrapolate import todays_best, todays_best_results
from analysis.projection.inputs import BookInputs
from analysis.testing import SimulatedFit
from analysis.vocab.series import IMAGENET
from tests.frontier_standin import stand_in_headline

ID_COLUMNS = {"data/papers.csv": "paper_id", "data/results.csv": "result_id"}


@pytest.fixture(scope="module")
def values(tables) -> dict[str, landing.Traced]:
    a = load_assumptions().with_changes(max_draws=500)
    table = fit_table(tables, a.compute_measure)
    results = primary_results(tables)
    results = results[results["year"].notna() & results["error"].notna()]
    fits = {
        "polynomial": SimulatedFit("polynomial", 20.0, {IMAGENET: (np.log10(20.0), -0.12)}),
        "exponential": SimulatedFit("exponential", 20.0, {IMAGENET: (20.0, -3.0)}),
    }
    inputs = BookInputs(
        assumptions=a,
        cost_model=costs.build_cost_model(a),
        measure=a.compute_measure,
        rows=table.rows,
        excluded=table.excluded,
        results=results,
        today=todays_best(results, a.today_through),
        fits=fits,
        n_papers=len(tables.papers),
    )
    imagenet = results[results["series"] == IMAGENET]
    best = imagenet.loc[imagenet["error"].idxmin(), "result_id"]
    headline = stand_in_headline(
        rows=tuple(map(str, imagenet["result_id"].head(20))), best_result=str(best)
    )
    backtest = landing.RecordBacktest(
        {
            "records-coverage_90": 81.0, "records-coverage_50": 59.0,
            "crps-verdict": "does not beat ols",
        },
        tuple(map(str, imagenet["result_id"].head(5))),
        ("ols",),
        "Every cutoff could be fitted and is scored.",
    )  # fmt: skip
    return landing.landing_values(tables, inputs, headline, backtest)


def test_every_glue_key_of_the_page_is_traced(values) -> None:
    page = (BOOK_DIR / "index.md").read_text(encoding="utf-8")
    glued = set(re.findall(r"\{glue:(?:text|md)\}`([^`:]+)", page))
    assert glued, "the landing page glues no numbers?"
    assert glued <= set(values), f"untraced: {sorted(glued - set(values))}"


def test_each_trace_names_a_function_and_existing_rows(values, tables) -> None:
    ids = {
        "data/papers.csv": set(tables.papers["paper_id"]),
        "data/results.csv": set(tables.results["result_id"]),
    }
    assumptions = yaml.safe_load((CONFIG_DIR / "assumptions.yaml").read_text(encoding="utf-8"))
    for key, traced in values.items():
        module, name = traced.function.rsplit(".", 1)
        assert callable(getattr(importlib.import_module(module), name)), key
        assert traced.rows, f"{key}: no rows"
        if traced.source in ids:
            missing = set(traced.rows) - ids[traced.source]
            assert not missing, f"{key}: ids not in {traced.source}: {sorted(missing)[:3]}"
        else:
            assert traced.source == landing.ASSUMPTIONS, key
            section, _, name = traced.rows[0].partition(".")
            assert name in assumptions[section], f"{key}: no key {traced.rows[0]}"


def test_todays_best_names_the_result_it_came_from(values, tables) -> None:
    traced = values["home-imagenet-today"]
    (result_id,) = traced.rows
    results = primary_results(tables).set_index("result_id")
    assert results.loc[result_id, "error"] == pytest.approx(traced.value)
    assert results.loc[result_id, "series"] == IMAGENET
    best = todays_best_results(primary_results(tables).dropna(subset=["year", "error"]), 2100.0)
    assert best.loc[IMAGENET, "error"] <= traced.value


def test_the_headline_findings_come_from_the_frontier(values) -> None:
    page = (BOOK_DIR / "index.md").read_text(encoding="utf-8")
    for key in ("home-frontier-halving", "home-frontier-flop", "home-frontier-usd"):
        assert f"{{glue:md}}`{key}:myst`" in page
        assert values[key].function == "analysis.book.headline.frontier_headline"
    assert values["home-frontier-best"].function == "analysis.book.pages.frontier.todays_best"


def test_the_backtest_finding_traces_to_the_records_it_scored(values) -> None:
    traced = values["home-backtest-cov90"]
    assert traced.function == "analysis.book.pages.frontier.record_verdicts"
    assert traced.value == 81.0 and len(traced.rows) == 5
    assert values["home-backtest-target-90"].value == "85–95%"
    assert values["home-backtest-crps"].value == "does not beat the study's least squares"
