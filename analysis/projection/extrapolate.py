"""Compute needed to reach a target error, as a posterior distribution (never a plug-in mean).

Two definitions, both computed on every posterior draw with
:func:`analysis.vocab.forms.log10_compute_for`:

* ``kind="mean"``: the compute at which the *mean* response of the fitted line reaches the target
  (uncertainty of the line only). This is what the study's projections are, but with intervals.
* ``kind="predictive"``: the compute at which a *new result* reaches the target, i.e. the line plus
  one draw of the residual noise (Normal(0, sigma), or sigma * Student-t(nu) for the robust
  likelihood): x = x0 + (target - a - eps) / b. Wider, since papers scatter around the line.

A draw whose slope is not negative (error not falling with compute) never reaches a lower target:
its compute is +inf. Such draws are counted (``n_wrong_sign``) and kept, so they push upper
quantiles to infinity instead of being dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import pandas as pd

from analysis.intervals import summarise
from analysis.vocab.forms import Form, log10_compute_for, response

Kind = Literal["mean", "predictive"]
KINDS: tuple[Kind, ...] = ("mean", "predictive")


class FitLike(Protocol):
    """What this module needs from a fit (``analysis.models.ScalingFit`` satisfies it)."""

    form: Form
    x0: float
    year0: float | None
    series: list[str]

    def series_draws(self, series: str) -> pd.DataFrame: ...


@dataclass(frozen=True)
class SeriesPosterior:
    """Posterior draws of one series' line: intercept, slope, sigma, (trend), (nu)."""

    series: str
    form: Form
    x0: float
    year0: float | None
    draws: pd.DataFrame

    @classmethod
    def from_fit(cls, fit: FitLike, series: str, max_draws: int | None = None) -> SeriesPosterior:
        """Take (evenly thinned to at most ``max_draws``) draws of ``series`` from a fit."""
        draws = fit.series_draws(series)
        missing = {"intercept", "slope", "sigma"} - set(draws.columns)
        if missing:
            raise ValueError(f"series_draws({series!r}) lacks columns {sorted(missing)}")
        if max_draws is not None and len(draws) > max_draws:
            keep = np.linspace(0, len(draws) - 1, max_draws).round().astype(int)
            draws = draws.iloc[keep]
        return cls(series, fit.form, float(fit.x0), fit.year0, draws.reset_index(drop=True))

    @property
    def has_trend(self) -> bool:
        return "trend" in self.draws.columns

    def intercept_at(self, year: float | None) -> np.ndarray:
        """Intercept per draw, shifted by the time trend to ``year`` when the fit has one."""
        intercept = self.draws["intercept"].to_numpy(dtype=float)
        if not self.has_trend:
            return intercept
        if year is None or self.year0 is None:
            raise ValueError(f"{self.series}: a fit with a time trend needs a projection year")
        return intercept + self.draws["trend"].to_numpy(dtype=float) * (year - self.year0)

    def noise(self, rng: np.random.Generator) -> np.ndarray:
        """One residual draw per posterior draw (Student-t when the fit has ``nu``)."""
        sigma = self.draws["sigma"].to_numpy(dtype=float)
        if "nu" in self.draws.columns:
            return sigma * rng.standard_t(self.draws["nu"].to_numpy(dtype=float))
        return sigma * rng.standard_normal(len(sigma))

    @property
    def wrong_sign(self) -> np.ndarray:
        """Draws in which error does not fall as compute grows."""
        return self.draws["slope"].to_numpy(dtype=float) >= 0


def log10_compute_draws(
    post: SeriesPosterior,
    target_error: float,
    *,
    year: float | None = None,
    kind: Kind = "mean",
    seed: int = 2020,
) -> np.ndarray:
    """log10 compute needed to reach ``target_error``, one value per draw (+inf: never reached)."""
    if not target_error > 0:
        raise ValueError(f"target error must be > 0, got {target_error}")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    intercept = post.intercept_at(year)
    if kind == "predictive":
        intercept = intercept + post.noise(np.random.default_rng(seed))
    slope = post.draws["slope"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = log10_compute_for(post.form, intercept, slope, target_error, post.x0)
    return np.where(post.wrong_sign, np.inf, x)


def log10_multiplier_draws(post: SeriesPosterior, from_error: float, to_error: float) -> np.ndarray:
    """log10 of the compute multiplier to go from ``from_error`` to ``to_error`` (per draw).

    The intercept (and any time trend) cancels: log10 multiplier = (r(to) - r(from)) / slope.
    Wrong-sign draws give +inf.
    """
    slope = post.draws["slope"].to_numpy(dtype=float)
    step = float(response(post.form, to_error) - response(post.form, from_error))
    with np.errstate(divide="ignore", invalid="ignore"):
        value = step / slope
    return np.where(post.wrong_sign, np.inf, value)


def todays_best_results(rows: pd.DataFrame, through_year: float) -> pd.DataFrame:
    """The result behind today's best error of each series: the lowest-error row published up to
    ``through_year`` (the first such row on ties), indexed by series, with its ``result_id``."""
    for column in ("series", "error", "year", "result_id"):
        if column not in rows.columns:
            raise ValueError(f"rows lack column {column!r}")
    published = rows[rows["year"] <= through_year]
    best = published.loc[published.groupby("series")["error"].idxmin()]
    return best.set_index("series")[["result_id", "error", "year"]]


def todays_best(rows: pd.DataFrame, through_year: float) -> pd.Series:
    """Lowest error per series among rows published up to ``through_year`` (NaN if none); which
    result each comes from: :func:`todays_best_results`."""
    for column in ("series", "error", "year"):
        if column not in rows.columns:
            raise ValueError(f"rows lack column {column!r}")
    published = rows[rows["year"] <= through_year]
    return published.groupby("series")["error"].min()


@dataclass(frozen=True)
class Target:
    """One target error of one series."""

    series: str
    label: str
    error: float


def halving_table(
    posteriors: Iterable[SeriesPosterior],
    today: pd.Series,
    task_of: dict[str, str] | None = None,
    interval: float = 0.9,
) -> pd.DataFrame:
    """Per series: the compute multiplier to halve today's best error (log10, with interval).

    Under the polynomial form the multiplier does not depend on the level (2^(-1/slope));
    under the exponential form it does, so it is evaluated at today's best error.
    """
    records = []
    for post in posteriors:
        today_error = today.get(post.series)
        if today_error is None or not np.isfinite(today_error):
            continue
        summary = summarise(log10_multiplier_draws(post, today_error, today_error / 2), interval)
        records.append(
            {
                "task": (task_of or {}).get(post.series, ""),
                "series": post.series,
                "form": post.form,
                "today_error": float(today_error),
                "log10_multiplier_median": summary["median"],
                "log10_multiplier_lo": summary["lo"],
                "log10_multiplier_hi": summary["hi"],
                "n_wrong_sign": int(post.wrong_sign.sum()),
                "n_draws": int(summary["n_draws"]),
            }
        )
    return pd.DataFrame.from_records(records)
