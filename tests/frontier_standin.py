"""A stand-in for the frontier fits (known parameters, no sampling) and a stand-in cost model,
for the tests of the headline, the reproduction claims and the landing page."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.book.pages.frontier import projection_draws
from analysis.projection.frontier_headline import FrontierHeadline, build_headline

SERIES = "imagenet/top1_accuracy"


@dataclass
class StandInFrontier:
    """Draws Normal around a known intercept (log10 error at x0, t0), slope and trend."""

    form: str = "polynomial"
    intercept: float = 1.0  # log10(10% error) at x0 in t0
    slope: float = -0.1
    trend: float = -0.03
    x0: float = 20.0
    t0: float = 2020.0
    spread: float = 0.005
    floor: float = 0.0  # the floor form's irreducible error
    n: int = 2000
    seed: int = 1
    rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"series": [SERIES]}))

    def draws(self, series: str) -> pd.DataFrame:
        rng = np.random.default_rng(self.seed)
        return pd.DataFrame(
            {
                "intercept": rng.normal(self.intercept, self.spread, self.n),
                "slope": rng.normal(self.slope, self.spread, self.n),
                "trend": rng.normal(self.trend, self.spread / 10, self.n),
                "sigma_v": np.full(self.n, 0.02),
                "sigma_u": np.full(self.n, 0.05),
                "floor": np.full(self.n, self.floor),
                "x0": self.x0,
                "t0": self.t0,
            }
        )


class StandInCosts:
    """US$ = FLOP / 10^17, kg CO2e = FLOP / 10^18, exactly (no factor uncertainty)."""

    def __init__(self, assumptions: object | None = None) -> None:
        self.assumptions = assumptions

    def cost_draws(
        self, log10_flop: np.ndarray, year: float, measure: str, seed: int | None = None
    ) -> pd.DataFrame:
        x = np.asarray(log10_flop, dtype=float)
        return pd.DataFrame({"log10_flop": x, "log10_usd": x - 17.0, "log10_kg_co2e": x - 18.0})


def stand_in_headline(
    fits: dict[str, StandInFrontier] | None = None,
    weights: dict[str, float] | None = None,
    best: float = 10.0,
    year: float = 2020.0,
    assumptions: object | None = None,
    rows: tuple[str, ...] = (),
    best_result: str = "r-best",
) -> FrontierHeadline:
    fits = fits or {"polynomial": StandInFrontier()}
    weights = weights or {form: 1.0 / len(fits) for form in fits}
    per_form = projection_draws(fits, SERIES, year, best)
    return build_headline(
        SERIES,
        per_form,
        weights,
        best_error=best,
        best_result=best_result,
        year=year,
        cost_model=StandInCosts(assumptions),
        seed=2020,
        fit_draws={form: fit.draws(SERIES) for form, fit in fits.items()},
        rows=rows,
        fit_rows=rows,
    )
