"""Exact Bayesian linear regression of y on x (flat prior), used for the price and efficiency
trends: the posterior of (intercept, slope, sigma) is the textbook normal-inverse-chi-squared
one and is drawn exactly (no MCMC).

Part of the projection stage; imports nothing from the package.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# --- trend fits -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinearTrend:
    """Posterior draws of y = intercept + slope * (year - year_mean) + Normal(0, sigma)."""

    name: str
    year_mean: float
    draws: pd.DataFrame  # intercept, slope, sigma
    data: pd.DataFrame  # year, y (the observations fitted)
    excluded: pd.DataFrame  # what, reason

    def mean_at(self, year: float) -> np.ndarray:
        """Posterior draws of the trend line at ``year``."""
        return (self.draws["intercept"] + self.draws["slope"] * (year - self.year_mean)).to_numpy()

    def sample_at(
        self, year: float, n: int, rng: np.random.Generator, include_scatter: bool
    ) -> np.ndarray:
        """``n`` draws of the value at ``year`` (trend uncertainty, plus scatter if asked)."""
        picks = rng.integers(0, len(self.draws), size=n)
        values = self.mean_at(year)[picks]
        if include_scatter:
            values = values + rng.normal(0.0, self.draws["sigma"].to_numpy()[picks])
        return values

    def summary(self) -> dict[str, float]:
        """Posterior medians and the doubling time of the quantity, in years."""
        slope = self.draws["slope"].to_numpy()
        return {
            "n": float(len(self.data)),
            "slope_median": float(np.median(slope)),
            "slope_lo": float(np.quantile(slope, 0.05)),
            "slope_hi": float(np.quantile(slope, 0.95)),
            "doubling_years_median": float(np.median(np.log10(2.0) / slope)),
            "sigma_median": float(np.median(self.draws["sigma"])),
        }


def fit_linear_trend(
    name: str,
    data: pd.DataFrame,
    excluded: pd.DataFrame,
    n_draws: int = 4000,
    seed: int = 2020,
) -> LinearTrend:
    """Exact posterior draws of a simple linear regression of ``data.y`` on ``data.year``.

    Flat prior on (intercept, slope, log sigma): sigma^2 ~ scaled inverse chi^2(n - 2, s^2),
    (intercept, slope) | sigma ~ Normal(OLS estimate, sigma^2 (X'X)^-1).
    """
    if len(data) < 3:
        raise ValueError(f"{name}: need at least 3 observations for a trend, got {len(data)}")
    rng = np.random.default_rng(seed)
    year_mean = float(data["year"].mean())
    X = np.column_stack([np.ones(len(data)), data["year"].to_numpy() - year_mean])
    y = data["y"].to_numpy()
    xtx_inv = np.linalg.inv(X.T @ X)
    beta_hat = xtx_inv @ X.T @ y
    dof = len(y) - 2
    s2 = float(np.sum((y - X @ beta_hat) ** 2) / dof)
    sigma2 = dof * s2 / rng.chisquare(dof, size=n_draws)
    chol = np.linalg.cholesky(xtx_inv)
    z = rng.standard_normal((n_draws, 2))
    beta = beta_hat + np.sqrt(sigma2)[:, None] * (z @ chol.T)
    draws = pd.DataFrame({"intercept": beta[:, 0], "slope": beta[:, 1], "sigma": np.sqrt(sigma2)})
    return LinearTrend(name, year_mean, draws, data.reset_index(drop=True), excluded)
