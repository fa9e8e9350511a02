"""The reproduction claims on small frames and stand-in frontier draws (no fits)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.checks import reproduction as rp
from analysis.projection.assumptions import load_assumptions
from analysis.projection.frontier_headline import LOG10_KG_PER_LB, derived_quantities
from tests.frontier_standin import StandInCosts, StandInFrontier, stand_in_headline


def inputs_with(headline=None, compute=None, papers=None) -> rp.ReproductionInputs:
    return rp.ReproductionInputs(
        rows=pd.DataFrame({"series": pd.Series(dtype=str)}),
        fits={},
        cost_model=StandInCosts(load_assumptions()),
        today=pd.Series(dtype=float),
        measure="hardware_burden",
        frontier=headline,
        compute=compute,
        papers=papers,
    )


# --- the headline's derived quantities ----------------------------------------------------------


def test_multiplier_is_target_minus_today_and_never_reached_stays_infinite() -> None:
    per_form = {
        "target-5": {"a": np.array([23.0, np.inf, 24.0])},
        "today": {"a": np.array([20.0, 20.0, np.inf])},
        "halving": {"a": np.array([3.0, 2.0, np.inf])},
    }
    out = derived_quantities(per_form)
    assert out["multiplier-5"]["a"].tolist() == [3.0, np.inf, np.inf]
    assert out["halving-compute"]["a"].tolist() == [23.0, 22.0, np.inf]


def test_stacked_quantities_come_from_the_same_draws() -> None:
    fits = {
        "polynomial": StandInFrontier(seed=1),
        "exponential": StandInFrontier(slope=-0.2, seed=2),
    }
    h = stand_in_headline(fits, {"polynomial": 0.3, "exponential": 0.7})
    assert len(h.stacked["today"]) == 2000
    np.testing.assert_allclose(
        h.stacked["multiplier-5"], h.stacked["target-5"] - h.stacked["today"]
    )
    np.testing.assert_allclose(
        h.stacked["halving-compute"], h.stacked["today"] + h.stacked["halving"]
    )


def test_costs_carry_pounds_and_tonnes() -> None:
    h = stand_in_headline()
    cost = h.costs["target-5"]
    np.testing.assert_allclose(
        10 ** cost["log10_lb_co2e"], 10 ** cost["log10_kg_co2e"] / 0.45359237, rtol=1e-12
    )
    np.testing.assert_allclose(cost["log10_t_co2e"], cost["log10_kg_co2e"] - 3.0)
    assert pytest.approx(2.20462, rel=1e-5) == 10**-LOG10_KG_PER_LB


# --- verdict rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lo", "hi", "verdict"), [(9.5, 12, "yes"), (9, 9.1, "yes"), (5, 10, "partly"), (2, 8, "no")]
)
def test_bound_verdict(lo: float, hi: float, verdict: str) -> None:
    assert rp.bound_verdict(lo, hi, 9.0) == verdict


def test_compound_verdict() -> None:
    assert rp.compound_verdict(["yes", "yes"]) == "yes"
    assert rp.compound_verdict(["yes", "no"]) == "partly"
    assert rp.compound_verdict(["partly", "yes"]) == "partly"
    assert rp.compound_verdict(["no", "no"]) == "no"


# --- frontier claims ----------------------------------------------------------------------------


def test_ninth_power_from_the_halving_multiplier() -> None:
    steep = rp._ninth_power(
        inputs_with(stand_in_headline({"polynomial": StandInFrontier(slope=-0.03)}))
    )
    # power = 1 / 0.03 ≈ 33: the whole interval is above the ninth power
    assert steep.agree == "yes"
    shallow = rp._ninth_power(
        inputs_with(stand_in_headline({"polynomial": StandInFrontier(slope=-0.3)}))
    )
    assert shallow.agree == "no"  # power ≈ 3.3
    assert "improvement^" in shallow.ours


def test_imagenet_multiplier_agrees_when_10_to_the_5_is_inside() -> None:
    # from 10% to 5%: log10(2) / 0.06 ≈ 5.0 decades
    h = stand_in_headline({"polynomial": StandInFrontier(slope=-0.0602, spread=0.003)})
    verdict = rp._imagenet_multiplier(inputs_with(h))
    assert verdict.agree == "yes"
    h = stand_in_headline({"polynomial": StandInFrontier(slope=-0.1)})  # 10^3
    assert rp._imagenet_multiplier(inputs_with(h)).agree == "no"


def test_one_percent_bound_in_dollars_and_pounds() -> None:
    # target 1%: x = 20 + 1 / 0.02 = 70 -> US$ 10^53, far above 10^20
    assert (
        rp._one_percent(
            inputs_with(stand_in_headline({"polynomial": StandInFrontier(slope=-0.02)}))
        ).agree
        == "yes"
    )
    # slope -0.2: x = 25 -> US$ 10^8 and lb 10^7.3, both below
    shallow = rp._one_percent(
        inputs_with(stand_in_headline({"polynomial": StandInFrontier(slope=-0.2)}))
    )
    assert shallow.agree == "no"
    assert "lb CO2e" in shallow.ours


def test_one_percent_reports_draws_that_never_reach_it() -> None:
    fits = {
        "polynomial": StandInFrontier(slope=-0.02),
        "floor": StandInFrontier(slope=-0.02, floor=2.0),
    }
    verdict = rp._one_percent(inputs_with(stand_in_headline(fits)))
    assert "never reached in 50% of draws" in verdict.ours


def test_training_costs_compare_today_and_the_next_halving() -> None:
    # today: x = 20 + 0 -> US$ 10^3 (below millions); halving: + 3 decades -> 10^6
    verdict = rp._training_costs(inputs_with(stand_in_headline()))
    assert verdict.agree == "no"
    assert "below" in verdict.reason
    # x0 = 24: today US$ 10^7, halving (slope -0.3, one decade) 10^8
    h = stand_in_headline({"polynomial": StandInFrontier(x0=24.0, slope=-0.3)})
    assert rp._training_costs(inputs_with(h)).agree == "yes"


def test_progress_and_form_weights_from_the_frontier() -> None:
    fits = {
        "polynomial": StandInFrontier(slope=-0.09),
        "exponential": StandInFrontier(slope=-0.09, seed=3),
    }
    h = stand_in_headline(fits, {"polynomial": 0.6, "exponential": 0.4})
    progress = rp._years_per_10x(inputs_with(h))  # slope / trend = 0.09 / 0.03 = 3 years
    assert progress.agree == "yes" and progress.ours.startswith("3.0")
    slow = stand_in_headline({"polynomial": StandInFrontier(slope=-0.3)})  # 10 years
    assert rp._years_per_10x(inputs_with(slow)).agree == "no"
    assert rp._polynomial_best(inputs_with(h)).agree == "yes"
    flipped = stand_in_headline(
        {"polynomial": StandInFrontier(), "exponential": StandInFrontier(seed=3)},
        {"polynomial": 0.2, "exponential": 0.8},
    )
    assert rp._polynomial_best(inputs_with(flipped)).agree == "partly"


def test_claims_without_the_frontier_are_not_evaluated_but_keep_the_mean_line() -> None:
    for evaluate in (rp._imagenet_multiplier, rp._ninth_power, rp._cost_and_carbon):
        verdict = evaluate(inputs_with())
        assert verdict.agree == "n/a"
        assert verdict.mean_line  # the mean-line side says why it has no value either
    assert rp._one_percent(inputs_with()).agree == "n/a"


# --- training-compute records -------------------------------------------------------------------


def systems_frames(rate: float = 1.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Eight record-setting systems growing ``rate`` decades a year, each with a smaller
    follower, and a system outside the window."""
    papers, compute = [], []
    for i, year in enumerate(range(2012, 2020)):
        for kind, offset in (("lead", 0.0), ("follow", -2.0)):
            pid = f"{kind}{i}"
            papers.append((pid, f"{year}-07-01" if kind == "lead" else f"{year}-09-01"))
            compute.append(
                (
                    f"c{pid}",
                    pid,
                    "training_flops",
                    10 ** (17 + rate * (year - 2012) + offset),
                    "epoch_estimate",
                    "x",
                )
            )
    papers.append(("late", "2022-01-01"))
    compute.append(("clate", "late", "training_flops", 1e30, "epoch_estimate", "x"))
    p = pd.DataFrame(papers, columns=["paper_id", "date"])
    c = pd.DataFrame(
        compute, columns=["compute_id", "paper_id", "quantity", "value", "method", "source"]
    )
    return c, p


def test_systems_prefer_operation_counts_and_take_the_paper_date() -> None:
    compute = pd.DataFrame(
        [
            ("c1", "a", "training_flops", 1e22, "hardware_burden", "s"),
            ("c2", "a", "training_flops", 1e21, "epoch_estimate", "s"),
            ("c3", "a", "training_flops", 3e21, "reported", "s"),
            ("c4", "b", "training_flops", 1e20, "hardware_burden", "s"),
            ("c5", "b", "parameters", 1e9, "reported", "s"),
            ("c6", "c", "training_flops", 1e20, "reported", "s"),  # no date: dropped
        ],
        columns=["compute_id", "paper_id", "quantity", "value", "method", "source"],
    )
    papers = pd.DataFrame({"paper_id": ["a", "b", "c"], "date": ["2018-01-01", "2019-07-02", None]})
    systems = rp.training_compute_systems(compute, papers).set_index("paper_id")
    assert list(systems.index) == ["a", "b"]
    assert systems.loc["a", "compute_id"] == "c3"  # the largest operation count, not the burden
    assert systems.loc["b", "method"] == "hardware_burden"  # burden only when nothing else
    assert systems.loc["a", "year"] == pytest.approx(2018.0)
    assert systems.loc["b", "year"] == pytest.approx(2019.5, abs=0.01)


def test_records_grow_at_the_simulated_rate_and_followers_do_not_count() -> None:
    compute, papers = systems_frames(rate=1.0)
    systems = rp.training_compute_systems(compute, papers)
    growth = rp.compute_growth(systems, n=200)
    assert growth.n_records == 8 and growth.n_systems == 16
    assert all(pid.startswith("lead") for pid in growth.record_ids)
    assert growth.records[0] == pytest.approx(1.0, abs=0.01)  # leap years
    assert growth.records[1] <= 1.0 <= growth.records[2]
    verdict = rp._compute_growth(inputs_with(compute=compute, papers=papers))
    assert verdict.agree == "yes" and verdict.ours.startswith("records: 10.0x")


def test_slower_records_disagree_with_ten_times_a_year() -> None:
    compute, papers = systems_frames(rate=0.5)
    verdict = rp._compute_growth(inputs_with(compute=compute, papers=papers))
    assert verdict.agree == "no"
    assert verdict.ours.startswith("records: 3.2x")


def test_running_records_keep_only_new_maxima() -> None:
    systems = pd.DataFrame(
        {
            "paper_id": list("abcd"),
            "date": pd.to_datetime(["2012-01-01", "2013-01-01", "2014-01-01", "2015-01-01"]),
            "log10_flop": [18.0, 17.0, 18.0, 19.0],
        }
    )
    assert list(rp.running_records(systems)["paper_id"]) == ["a", "d"]


# --- BERT-Large and the Evolved Transformer -----------------------------------------------------


def bert_facts(chips: float = 64) -> pd.DataFrame:
    rows = [
        ("parameters", 340e6, None, "reported"),
        ("chip_count", chips, "Google TPU v2", "reported"),
        ("training_hours", 96, None, "reported"),
        ("training_flops", 1.0e21, "Google TPU v2", "hardware_burden"),
    ]
    frame = pd.DataFrame(rows, columns=["quantity", "value", "chip", "method"])
    return frame.assign(paper_id=rp.BERT_PAPER, model="BERT-Large")


def test_bert_large_facts_agree_and_a_wrong_count_does_not() -> None:
    verdict = rp._bert_large(inputs_with(compute=bert_facts()))
    assert verdict.agree == "yes"
    assert "chip count 64" in verdict.ours and "Google TPU v2" in verdict.ours
    assert rp._bert_large(inputs_with(compute=bert_facts(chips=16))).agree == "partly"
    base = bert_facts().assign(model="BERT-Base")  # only Large counts
    assert rp._bert_large(inputs_with(compute=base)).agree == "n/a"


def test_evolved_transformer_without_facts_is_not_evaluated() -> None:
    verdict = rp._evolved_transformer(inputs_with(compute=bert_facts()))
    assert verdict.agree == "n/a" and verdict.ours == "not in the data"


def test_table_has_a_mean_line_column_and_unique_keys(monkeypatch) -> None:
    keys = [c.key for c in rp.CLAIMS]
    assert len(keys) == len(set(keys))
    for key in ("compute-growth", "imagenet-1pc", "training-costs", "bert-large"):
        assert key in keys
    chosen = tuple(c for c in rp.CLAIMS if c.key in ("ninth-power", "bert-large"))
    monkeypatch.setattr(rp, "CLAIMS", chosen)
    table = rp.reproduction_table(inputs_with(stand_in_headline(), compute=bert_facts()))
    assert list(table.columns) == [
        "key",
        "claim",
        "tag",
        "study",
        "ours",
        "mean_line",
        "agree",
        "reason",
    ]
    assert table.set_index("key").loc["ninth-power", "mean_line"] != ""
