"""Projections from the frontier model: what compute the state of the art needs, and when.

On every posterior draw of a :class:`~analysis.models.frontier.FrontierFit`:

* the compute at which the frontier in ``year`` reaches a target error,
  x* = x0 + (r(target) - a - g (year - t0)) / b (``+inf`` where the slope is not negative, or
  where the target lies at or below the draw's irreducible floor);
* the multiplier that halves today's best error, x*(best / 2) - x*(best), from the same draws,
  so the multiplier and the absolute compute are one consistent quantity;
* the error of a new result at a given compute and date (frontier + a new paper's gap + scatter),
  its density, and the probability that it beats a given best error.

Forms are combined by stacking weights (:func:`stacking_weights`) estimated from leave-future-out
predictive densities; :func:`mixture` draws the combined quantity.

May import: :mod:`analysis.vocab` and :mod:`analysis.models`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

from analysis.models.frontier import LN10, FrontierFit, FrontierForm, error_from_response, response


def frontier_response(draws: pd.DataFrame, x: float, year: float) -> np.ndarray:
    return (
        draws["intercept"].to_numpy()
        + draws["slope"].to_numpy() * (x - draws["x0"].to_numpy())
        + draws["trend"].to_numpy() * (year - draws["t0"].to_numpy())
    )


def frontier_log10_compute(
    draws: pd.DataFrame,
    form: FrontierForm,
    target_error: float,
    year: float,
    shift: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Per draw: log10 compute at which the frontier in ``year`` reaches ``target_error``;
    with ``shift`` (per draw, response units), at which the frontier plus that shift (a
    result's gap and noise) reaches it."""
    slope = draws["slope"].to_numpy()
    target = response(form, target_error, draws["floor"].to_numpy()) - shift
    level = draws["intercept"].to_numpy() + draws["trend"].to_numpy() * (
        year - draws["t0"].to_numpy()
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        x = draws["x0"].to_numpy() + (target - level) / slope
    unreachable = (slope >= 0) | ~np.isfinite(target)
    return np.where(unreachable, np.inf, x)


def halving_log10_multiplier(
    draws: pd.DataFrame, form: FrontierForm, best_error: float, year: float
) -> np.ndarray:
    """Per draw: log10 of the compute multiplier that halves ``best_error`` on the frontier."""
    start = frontier_log10_compute(draws, form, best_error, year)
    end = frontier_log10_compute(draws, form, best_error / 2.0, year)
    with np.errstate(invalid="ignore"):
        out = end - start
    return np.where(np.isfinite(end) & np.isfinite(start), out, np.inf)


def projection_draws(
    fits: Mapping[str, FrontierFit],
    series: str,
    year: float,
    best: float,
    targets: tuple[float, ...],
) -> dict[str, dict[str, np.ndarray]]:
    """Per quantity (``target-<error>``, ``today``, ``halving``) and form: draws of the log10
    compute at which the frontier of ``year`` reaches each target error and today's best error
    ``best``, and of the log10 multiplier that halves ``best``."""
    out: dict[str, dict[str, np.ndarray]] = {}
    for form, fit in fits.items():
        draws = fit.draws(series)
        for target in targets:
            out.setdefault(f"target-{target:g}", {})[form] = frontier_log10_compute(
                draws, form, target, year
            )
        out.setdefault("today", {})[form] = frontier_log10_compute(draws, form, best, year)
        out.setdefault("halving", {})[form] = halving_log10_multiplier(draws, form, best, year)
    return out


def predictive_response(
    draws: pd.DataFrame,
    x: float,
    year: float,
    rng: np.random.Generator,
    gap: np.ndarray | None = None,
) -> np.ndarray:
    """Per draw: the response of a new result (a known paper's ``gap`` draws, else a new gap)."""
    n = len(draws)
    if gap is None:
        gap = np.abs(rng.standard_normal(n)) * draws["sigma_u"].to_numpy()
    noise = rng.standard_normal(n) * draws["sigma_v"].to_numpy()
    return frontier_response(draws, x, year) + gap[:n] + noise


def predictive_error(
    fit: FrontierFit,
    series: str,
    x: float,
    year: float,
    rng: np.random.Generator,
    group: str | None = None,
) -> np.ndarray:
    """Per draw: the error of a result at log10 compute ``x`` in ``year``."""
    draws = fit.draws(series)
    gap = fit.group_gap(group) if group is not None else None
    value = predictive_response(draws, x, year, rng, gap)
    return error_from_response(fit.form, value, draws["floor"].to_numpy())


def log10_error_density(
    draws: pd.DataFrame, form: FrontierForm, x: float, year: float, error: float
) -> float:
    """Predictive density of log10(error) for a new paper's result, averaged over draws."""
    floor = draws["floor"].to_numpy()
    y = response(form, error, floor)
    mu = frontier_response(draws, x, year)
    sigma_u, sigma_v = draws["sigma_u"].to_numpy(), draws["sigma_v"].to_numpy()
    omega = np.sqrt(sigma_u**2 + sigma_v**2)
    density = stats.skewnorm.pdf(y, sigma_u / sigma_v, loc=mu, scale=omega)
    density = np.where(np.isfinite(y), density, 0.0)
    # Change of variables to log10(error): dy / dlog10(e).
    if form == "exponential":
        jacobian = error * LN10
    elif form == "floor":
        with np.errstate(divide="ignore", invalid="ignore"):
            jacobian = np.where(error > floor, error / (error - floor), 0.0)
    else:
        jacobian = 1.0
    return float(np.mean(density * jacobian))


def p_beats(draws_error: np.ndarray, best_error: float) -> float:
    """Probability that a predicted error is below ``best_error``."""
    return float(np.mean(np.asarray(draws_error) < best_error))


def stacking_weights(log_density: np.ndarray) -> np.ndarray:
    """Stacking weights (Yao et al. 2018) maximising the summed log of the mixed density.

    ``log_density``: observations x forms, each a leave-future-out log predictive density.
    """
    dens = np.exp(np.asarray(log_density, dtype=float))
    k = dens.shape[1]
    if dens.shape[0] == 0:
        return np.full(k, 1.0 / k)

    def loss(z: np.ndarray) -> float:
        w = np.exp(z - z.max())
        w = w / w.sum()
        return -float(np.sum(np.log(dens @ w + 1e-300)))

    best = optimize.minimize(loss, np.zeros(k), method="Nelder-Mead", options={"xatol": 1e-6})
    w = np.exp(best.x - best.x.max())
    return w / w.sum()


def mixture(
    values: Mapping[str, np.ndarray], weights: Mapping[str, float], seed: int
) -> np.ndarray:
    """Draws of a quantity under the stacked mixture: each form's draws in proportion to weight."""
    rng = np.random.default_rng(seed)
    n = min(len(v) for v in values.values())
    counts = {form: round(weights.get(form, 0.0) * n) for form in values}
    parts = [
        rng.permutation(np.asarray(values[form]))[:count]
        for form, count in counts.items()
        if count > 0
    ]
    return np.concatenate(parts) if parts else np.array([])


HEADLINE_MEASURE = "training_compute"
"""The headline fits' compute: per result its hardware burden where known, else its training
FLOP (stated or estimated), else its network operations; the model puts all in hardware-burden
units with fitted offsets (:data:`analysis.models.frontier.MEASURES`)."""


@dataclass(frozen=True)
class HeadlineTable:
    """Rows of the headline fits (one per result, with the measure used) and the exclusions."""

    rows: pd.DataFrame
    excluded: pd.DataFrame


def headline_table(tables: object | None = None) -> HeadlineTable:
    """Default-population results (papers' own, one row per run) with a training-compute measure.

    Every primary result left out is in ``excluded`` with its reason: no training compute (the
    reasons of the hardware-burden fit table), a re-training or duplicate, or too few papers on
    its series.
    """
    from analysis import data
    from analysis.models.frontier import MEASURES, eligible

    tables = tables if tables is not None else data.load_tables()
    parts, excluded = [], []
    for measure in MEASURES:
        split = data.split_population(data.fit_table(tables, measure), tables).default
        parts.append(split.rows)
        excluded.append(split.excluded)
    rows = pd.concat(parts, ignore_index=True).drop_duplicates("result_id", keep="first")
    left = pd.concat(excluded, ignore_index=True)
    left = left[~left["result_id"].isin(rows["result_id"])].drop_duplicates("result_id")
    kept, few = eligible(rows)
    out_rows = kept.sort_values(["series", "year", "result_id"]).reset_index(drop=True)
    out_excluded = pd.concat([left, few], ignore_index=True)
    return HeadlineTable(rows=out_rows, excluded=out_excluded.reset_index(drop=True))


def fit_forms(rows: pd.DataFrame) -> tuple[dict[str, FrontierFit], dict[str, str]]:
    """Every frontier form fitted on ``rows`` (cached posteriors), and the forms that failed the
    diagnostics gate even after escalation, with the reason: the headline stacks the first and
    leaves the others out."""
    from analysis.models.diagnostics import DiagnosticsError
    from analysis.models.frontier import FRONTIER_FORMS, fit_frontier

    fits, failed = {}, {}
    for form in FRONTIER_FORMS:
        try:
            fits[form] = fit_frontier(rows, form)
        except DiagnosticsError as error:
            failed[form] = str(error).splitlines()[-1]
    return fits, failed


def headline_rows(tables: object | None = None) -> tuple[pd.DataFrame, str]:
    """Rows of the headline frontier fits and the name of their compute measure."""
    return headline_table(tables).rows, HEADLINE_MEASURE
