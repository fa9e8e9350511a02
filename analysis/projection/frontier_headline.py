"""The frontier headline as one set of draws: every headline quantity per form and stacked, and
the dollars and CO2 of the stacked compute.

:func:`build_headline` takes the per-form draws of the frontier projections (log10 compute at
each target and at today's best error in the projection year, and the log10 multiplier that
halves today's best: ``analysis.book.pages.frontier.projection_draws``), the forms' stacking
weights and a cost model, and derives from the *same* draws

* ``multiplier-<target>``: log10 of the compute multiplier from today's best to the target
  (compute at the target minus compute at today's best, per draw);
* ``halving-compute``: log10 compute at which the frontier halves today's best error;
* ``years-per-10x`` (when the fits' parameter draws are given): years of the frontier's time
  trend worth a tenfold increase of compute (slope / trend per draw);

then stacks each quantity with :func:`analysis.projection.frontier.mixture`. One seed for every
quantity draws the same posterior draws for each, so stacked quantities stay consistent with one
another (the stacked multiplier is the stacked target compute minus the stacked today's compute).

May import: :mod:`analysis.vocab`, :mod:`analysis.models` and the rest of
:mod:`analysis.projection`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.intervals import format_power_of_ten, interval_of
from analysis.projection.frontier import mixture

LOG10_KG_PER_LB = float(np.log10(0.45359237))
"""log10 of the kilograms in one (avoirdupois) pound."""

COSTED = ("today", "halving-compute")
"""The stacked compute quantities whose dollars and CO2 are drawn, besides every target's."""


def costed(quantities: Mapping[str, object]) -> list[str]:
    """The quantities whose dollars and CO2 are drawn: every ``target-<error>`` and
    :data:`COSTED`, those present."""
    return [q for q in quantities if q.startswith("target-") or q in COSTED]


def _difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a - b per draw, +inf where either is not finite (a target never reached)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(invalid="ignore"):
        out = a - b
    return np.where(np.isfinite(a) & np.isfinite(b), out, np.inf)


def years_per_10x(draws: pd.DataFrame) -> np.ndarray:
    """Per draw: years of the frontier's time trend worth ten times the compute (slope / trend);
    +inf where the trend is zero."""
    slope, trend = draws["slope"].to_numpy(dtype=float), draws["trend"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(trend != 0, slope / trend, np.inf)


def derived_quantities(
    per_form: Mapping[str, Mapping[str, np.ndarray]],
    fit_draws: Mapping[str, pd.DataFrame] | None = None,
) -> dict[str, dict[str, np.ndarray]]:
    """The projection draws with the multipliers, the halving compute and (given the fits'
    parameter draws) the years per tenfold compute added, per form."""
    out = {q: dict(v) for q, v in per_form.items()}
    today = out.get("today", {})
    for quantity in list(out):
        if quantity.startswith("target-") and today:
            key = "multiplier-" + quantity.removeprefix("target-")
            out[key] = {f: _difference(v, today[f]) for f, v in out[quantity].items() if f in today}
    if today and "halving" in out:
        out["halving-compute"] = {
            f: np.where(np.isfinite(v), today[f] + v, np.inf)
            for f, v in out["halving"].items()
            if f in today
        }
    if fit_draws:
        out["years-per-10x"] = {f: years_per_10x(d) for f, d in fit_draws.items()}
    return out


@dataclass(frozen=True)
class FrontierHeadline:
    """The headline quantities of one series, per form and stacked, with costs and provenance."""

    series: str
    year: float
    best_error: float
    best_result: str
    weights: Mapping[str, float]
    per_form: Mapping[str, Mapping[str, np.ndarray]]
    stacked: Mapping[str, np.ndarray]
    costs: Mapping[str, pd.DataFrame]
    level: float = 0.9
    measure: str = "hardware_burden"
    rows: tuple[str, ...] = field(default=())
    """``result_id`` of the fitted rows of the series and of today's best result."""
    fit_rows: tuple[str, ...] = field(default=())
    """``result_id`` of every row of the fits (all series: the stacking weights use them all)."""

    def draws(self, quantity: str, form: str = "stacked") -> np.ndarray:
        if form == "stacked":
            return np.asarray(self.stacked[quantity])
        return np.asarray(self.per_form[quantity][form])

    def summary(self, quantity: str, form: str = "stacked") -> tuple[float, float, float]:
        """(median, lo, hi) of a quantity at the headline's interval level."""
        return interval_of(self.draws(quantity, form), self.level)

    def unreachable(self, quantity: str, form: str = "stacked") -> float:
        """Share of draws in which the quantity is infinite (a target never reached)."""
        return float(np.mean(np.isinf(self.draws(quantity, form))))

    def cost_summary(self, quantity: str, column: str) -> tuple[float, float, float]:
        """(median, lo, hi) of a cost column (``log10_usd``, ``log10_kg_co2e``, ``log10_lb_co2e``,
        ``log10_t_co2e``) of a stacked compute quantity."""
        return interval_of(self.costs[quantity][column].to_numpy(), self.level)

    def text(self, quantity: str, form: str = "stacked") -> str:
        """'10^a (10^b–10^c)' of a log10 quantity."""
        return format_power_of_ten(*self.summary(quantity, form))

    @property
    def forms(self) -> list[str]:
        return list(self.weights)


def cost_columns(cost: pd.DataFrame) -> pd.DataFrame:
    """The cost draws with CO2e also in pounds and tonnes (log10)."""
    kg = cost["log10_kg_co2e"].to_numpy()
    return cost.assign(log10_lb_co2e=kg - LOG10_KG_PER_LB, log10_t_co2e=kg - 3.0)


def build_headline(
    series: str,
    per_form: Mapping[str, Mapping[str, np.ndarray]],
    weights: Mapping[str, float],
    best_error: float,
    best_result: str,
    year: float,
    cost_model: object,
    seed: int,
    *,
    level: float = 0.9,
    measure: str = "hardware_burden",
    fit_draws: Mapping[str, pd.DataFrame] | None = None,
    rows: tuple[str, ...] = (),
    fit_rows: tuple[str, ...] = (),
) -> FrontierHeadline:
    """Stack every headline quantity by ``weights`` and draw the costs of the stacked compute
    (``cost_model.cost_draws(log10_flop, year, measure, seed)``)."""
    quantities = derived_quantities(per_form, fit_draws)
    stacked = {q: mixture(v, weights, seed) for q, v in quantities.items()}
    costs = {
        q: cost_columns(cost_model.cost_draws(stacked[q], year, measure, seed))
        for q in costed(stacked)
        if len(stacked[q])
    }
    return FrontierHeadline(
        series=series,
        year=float(year),
        best_error=float(best_error),
        best_result=str(best_result),
        weights=dict(weights),
        per_form=quantities,
        stacked=stacked,
        costs=costs,
        level=level,
        measure=measure,
        rows=tuple(rows),
        fit_rows=tuple(fit_rows),
    )


PROJECTION_QUANTITIES = {"target": "log10_flop", "multiplier": "log10_multiplier"}
"""Per target error, the log10 quantities of :func:`projection_rows` (compute, multiplier)."""


def _summary_columns(name: str, values: np.ndarray, level: float) -> dict[str, float]:
    med, lo, hi = interval_of(values, level)
    return {f"{name}_median": med, f"{name}_lo": lo, f"{name}_hi": hi}


def projection_rows(h: FrontierHeadline, targets: tuple[float, ...]) -> pd.DataFrame:
    """One row per target error (today's best, half of it, then ``targets``) and form (stacked
    first): the log10 compute at which the frontier of the headline's year reaches it, the log10
    multiplier from today's best, the share of draws that never reach it and, stacked, its log10
    US dollars and tonnes of CO2e, each as median, lo and hi at the headline's level."""
    wanted = [
        ("today's best", "today", None, h.best_error),
        ("half of today's best", "halving-compute", None, h.best_error / 2),
    ]
    wanted += [(f"{t:g}", f"target-{t:g}", f"multiplier-{t:g}", float(t)) for t in targets]
    rows = []
    for label, quantity, multiplier, error in wanted:
        for form in ("stacked", *h.forms):
            compute = h.draws(quantity, form)
            if not len(compute):
                continue
            if multiplier is not None:
                ratio = h.draws(multiplier, form)
            elif quantity == "today":
                ratio = np.zeros(len(compute))
            else:
                ratio = h.draws("halving", form)
            row = {"series": h.series, "target": label, "target_error": error, "form": form,
                   "weight": 1.0 if form == "stacked" else float(h.weights[form])}  # fmt: skip
            row |= _summary_columns("log10_flop", compute, h.level)
            row |= _summary_columns("log10_multiplier", ratio, h.level)
            row["unreachable"] = float(np.mean(np.isinf(compute)))
            if form == "stacked" and quantity in h.costs:
                for column in ("log10_usd", "log10_t_co2e"):
                    row |= _summary_columns(column, h.costs[quantity][column].to_numpy(), h.level)
            rows.append(row)
    return pd.DataFrame(rows)
