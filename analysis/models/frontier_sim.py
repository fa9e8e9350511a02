"""Simulated frontier data: papers with gaps above a drifting frontier, for calibration tests.

Each paper publishes one or more results on one series; its gap is HalfNormal(sigma_u) above
a frontier that falls with log compute (``slope``) and with time (``trend``); results scatter
Normal(0, sigma_v) around the paper's level. Compute grows with the date, so later papers
extrapolate, and the papers that set records are selected by their outcome, as in the data.

May import: :mod:`analysis.models.frontier`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class FrontierTruth:
    """Parameters of one simulated series (polynomial form: response = log10 error)."""

    intercept: float = 1.2
    slope: float = -0.08
    trend: float = -0.03
    sigma_u: float = 0.15
    sigma_v: float = 0.04
    x0: float = 20.0
    t0: float = 2017.0


def simulate(
    seed: int,
    truth: FrontierTruth = FrontierTruth(),
    n_papers: int = 30,
    years: tuple[float, float] = (2013.0, 2021.0),
    series: str = "sim/top1_accuracy",
) -> pd.DataFrame:
    """Rows in the columns of a frontier fit table (one measure: hardware burden)."""
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(n_papers):
        year = rng.uniform(*years)
        gap = abs(rng.normal()) * truth.sigma_u
        n_results = int(rng.choice([1, 1, 1, 2, 3]))
        base = truth.x0 + 0.35 * (year - truth.t0) + rng.normal(0.0, 0.8)
        for r in range(n_results):
            x = base + rng.normal(0.0, 0.4)
            y = (
                truth.intercept
                + truth.slope * (x - truth.x0)
                + truth.trend * (year - truth.t0)
                + gap
                + rng.normal(0.0, truth.sigma_v)
            )
            rows.append(
                {
                    "result_id": f"r{seed}-{p}-{r}", "paper_id": f"p{seed}-{p}",
                    "source": "simulated", "task": "image_classification", "series": series,
                    "error": 10.0**y, "year": year, "log10_compute": x,
                    "measure": "hardware_burden",
                }
            )  # fmt: skip
    frame = pd.DataFrame(rows).sort_values(["year", "result_id"]).reset_index(drop=True)
    frame["is_frontier"] = frame["error"].lt(frame["error"].cummin().shift(1).fillna(np.inf))
    return frame
