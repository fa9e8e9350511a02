"""The frontier projection table: multipliers from the same draws as the compute, monotone in the
target, costs for the stacked quantities, unreachable draws counted."""

import numpy as np
import pandas as pd

from analysis.intervals import interval_of
from analysis.projection.frontier_headline import build_headline, projection_rows


class FlatCost:
    """A stand-in cost model: 10^-17 US$ and 10^-18 kg CO2e per FLOP."""

    def cost_draws(self, log10_flop, year, measure, seed):
        x = np.asarray(log10_flop, dtype=float)
        return pd.DataFrame({"log10_usd": x - 17.0, "log10_kg_co2e": x - 18.0})


def _per_form(n: int = 2000, seed: int = 1) -> dict[str, dict[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    out: dict[str, dict[str, np.ndarray]] = {}
    for form, shift in (("polynomial", 1.0), ("exponential", 0.0)):
        today = 22 + 0.3 * rng.standard_normal(n)
        slope = 0.5 + 0.1 * rng.standard_normal(n)
        out.setdefault("today", {})[form] = today
        out.setdefault("halving", {})[form] = slope * 4 + shift
        out.setdefault("target-5", {})[form] = today + slope * 2 + shift
        target_1 = today + slope * 6 + shift
        target_1[:100] = np.inf  # draws that never reach the lowest target
        out.setdefault("target-1", {})[form] = target_1
    return out


def _headline():
    return build_headline(
        "imagenet/top1_accuracy", _per_form(), {"polynomial": 0.25, "exponential": 0.75},
        best_error=10.0, best_result="r0", year=2026.0, cost_model=FlatCost(), seed=3,
    )  # fmt: skip


def test_rows_per_target_and_form_with_costs_for_the_stack() -> None:
    rows = projection_rows(_headline(), (5.0, 1.0))
    assert list(rows["target"].unique()) == ["today's best", "half of today's best", "5", "1"]
    assert set(rows["form"]) == {"stacked", "polynomial", "exponential"}
    stacked = rows[rows["form"] == "stacked"].set_index("target")
    assert stacked["log10_usd_median"].notna().all()
    assert rows.loc[rows["form"] != "stacked", "log10_usd_median"].isna().all()
    # the cost stand-in is compute - 17 on every draw, so the medians differ by exactly 17
    np.testing.assert_allclose(
        stacked["log10_flop_median"] - stacked["log10_usd_median"], 17.0, atol=1e-9
    )


def test_multiplier_is_target_compute_minus_todays_compute_on_the_same_draws() -> None:
    h = _headline()
    rows = projection_rows(h, (5.0, 1.0)).set_index(["target", "form"])
    ratio = h.draws("target-5", "polynomial") - h.draws("today", "polynomial")
    median = interval_of(ratio, h.level)[0]
    assert rows.loc[("5", "polynomial"), "log10_multiplier_median"] == median
    assert rows.loc[("today's best", "stacked"), "log10_multiplier_median"] == 0.0


def test_lower_targets_never_need_less_compute_and_unreachable_draws_are_counted() -> None:
    rows = projection_rows(_headline(), (5.0, 1.0))
    for _, group in rows.groupby("form"):
        ordered = group.set_index("target").loc[["today's best", "5", "1"], "log10_flop_median"]
        assert ordered.is_monotonic_increasing
    polynomial = rows[(rows["form"] == "polynomial") & (rows["target"] == "1")]
    assert polynomial["unreachable"].iloc[0] == 100 / 2000
