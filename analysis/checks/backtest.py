"""Backtest: refit on results published up to a cutoff and forecast the errors reached later.

For each cutoff (end of 2016, 2017, 2018; and mid-2020 for what happened after the study) and each
functional form, the model is refitted on the rows published before the cutoff and, for every later
row of a series seen before the cutoff, the posterior predictive distribution of its error at the
compute it actually used (and its year, for fits with a time trend) is compared with the error it
reported:

* coverage of the central 50% and 90% predictive intervals (nominal: 0.5 and 0.9);
* CRPS (continuous ranked probability score, lower is better), on the error scale (percentage
  points) so that the two forms are scored on the same scale; estimated from predictive draws as
  E|X - y| - E|X - X'| / 2.

Later rows of series with no row before the cutoff cannot be forecast: they are counted with that
reason, not dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.projection.extrapolate import FitLike, SeriesPosterior, log10_compute_draws
from analysis.vocab.forms import FORMS, Form, error_from_response, mean_response

FitFunction = Callable[[pd.DataFrame, Form], FitLike]
CUTOFFS: tuple[float, ...] = (2017.0, 2018.0, 2019.0)  # published up to the end of 2016/17/18
STUDY_CUTOFF = 2020.5  # the study's v1 (July 2020)


def cutoff_label(cutoff: float) -> str:
    """'≤2016' for 2017.0, '≤2020-06' for 2020.5."""
    if float(cutoff).is_integer():
        return f"≤{int(cutoff) - 1}"
    month = round((cutoff % 1) * 12)
    return f"≤{int(cutoff)}-{month:02d}"


def split_at(rows: pd.DataFrame, cutoff: float) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(training rows, test rows, excluded later rows with reason) for one cutoff year."""
    train = rows[rows["year"] < cutoff]
    later = rows[rows["year"] >= cutoff]
    known = later["series"].isin(set(train["series"]))
    excluded = later.loc[~known, ["result_id", "series"]].assign(
        reason=f"series has no result before {cutoff_label(cutoff)}"
    )
    return train.reset_index(drop=True), later[known].reset_index(drop=True), excluded


def predictive_error_draws(
    post: SeriesPosterior, x: np.ndarray, year: np.ndarray, n_draws: int, seed: int
) -> np.ndarray:
    """Posterior predictive errors, shape (len(x), n_draws), at compute ``x`` and ``year``."""
    rng = np.random.default_rng(seed)
    pick = np.linspace(0, len(post.draws) - 1, min(n_draws, len(post.draws))).round().astype(int)
    draws = post.draws.iloc[pick]
    intercept = draws["intercept"].to_numpy()[None, :]
    if post.has_trend:
        intercept = intercept + draws["trend"].to_numpy()[None, :] * (year[:, None] - post.year0)
    mean = mean_response(
        post.form, intercept, draws["slope"].to_numpy()[None, :], x[:, None], post.x0
    )
    sigma = draws["sigma"].to_numpy()[None, :]
    if "nu" in draws.columns:
        noise = sigma * rng.standard_t(draws["nu"].to_numpy()[None, :], size=mean.shape)
    else:
        noise = sigma * rng.standard_normal(mean.shape)
    return error_from_response(post.form, mean + noise)


def crps_from_draws(draws: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Sample CRPS per row: E|X - y| - E|X - X'| / 2 (draws: rows x samples)."""
    draws = np.sort(np.asarray(draws, dtype=float), axis=1)
    m = draws.shape[1]
    first = np.mean(np.abs(draws - observed[:, None]), axis=1)
    weights = (2 * np.arange(1, m + 1) - m - 1) / (m * m)
    spread = 2 * np.sum(weights[None, :] * draws, axis=1)  # = E|X - X'|
    return first - spread / 2


def score_rows(
    fit: FitLike, test: pd.DataFrame, n_draws: int = 1000, seed: int = 2020
) -> pd.DataFrame:
    """Per test row: observed error, predictive median, 50%/90% interval hits, CRPS."""
    frames = []
    for series, group in test.groupby("series", sort=True):
        post = SeriesPosterior.from_fit(fit, str(series))
        draws = predictive_error_draws(
            post, group["log10_compute"].to_numpy(), group["year"].to_numpy(), n_draws, seed
        )
        observed = group["error"].to_numpy()
        q = np.quantile(draws, [0.05, 0.25, 0.5, 0.75, 0.95], axis=1)
        frames.append(
            group[["result_id", "series", "year", "log10_compute", "error"]].assign(
                form=fit.form,
                predicted_median=q[2],
                in_50=(q[1] <= observed) & (observed <= q[3]),
                in_90=(q[0] <= observed) & (observed <= q[4]),
                crps=crps_from_draws(draws, observed),
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


@dataclass(frozen=True)
class BacktestResult:
    """Scores per test row, their summary per (cutoff, form) and the later rows not forecast."""

    scores: pd.DataFrame
    summary: pd.DataFrame
    excluded: pd.DataFrame
    fits: dict[tuple[float, str], FitLike]
    failures: pd.DataFrame  # cutoff, form, message: refits that failed the diagnostics gate


def run_backtest(
    rows: pd.DataFrame,
    fit_function: FitFunction,
    cutoffs: Iterable[float] = CUTOFFS,
    forms: Iterable[Form] = FORMS,
    min_train_rows: int = 10,
    seed: int = 2020,
    record_failures: bool = False,
) -> BacktestResult:
    """Refit at each cutoff and form, score the later rows, summarise coverage and CRPS.

    With ``record_failures``, a refit that fails the model's diagnostics gate
    (:class:`analysis.models.diagnostics.DiagnosticsError`) or cannot be made (``ValueError``,
    e.g. no series with enough rows) is recorded in ``failures`` and its later rows are counted as
    excluded with that reason, instead of stopping the backtest.
    """
    from analysis.models.diagnostics import DiagnosticsError

    scores, excluded, fits, failures = [], [], {}, []
    for cutoff in cutoffs:
        train, test, not_forecast = split_at(rows, cutoff)
        excluded.append(not_forecast.assign(cutoff=cutoff))
        if len(train) < min_train_rows or test.empty:
            excluded.append(
                test[["result_id", "series"]].assign(
                    reason=f"only {len(train)} training rows before {cutoff_label(cutoff)}",
                    cutoff=cutoff,
                )
            )
            continue
        for form in forms:
            try:
                fit = fit_function(train, form)
            except (DiagnosticsError, ValueError) as error:
                if not record_failures:
                    raise
                failures.append({"cutoff": cutoff, "form": form, "message": str(error)})
                what = "failed the gate" if isinstance(error, DiagnosticsError) else "not fitted"
                excluded.append(
                    test[["result_id", "series"]].assign(
                        reason=f"{form} refit before {cutoff_label(cutoff)} {what}",
                        cutoff=cutoff,
                    )
                )
                continue
            fits[(cutoff, form)] = fit
            in_fit = test["series"].isin(set(fit.series))
            excluded.append(
                test.loc[~in_fit, ["result_id", "series"]].assign(
                    reason=f"series left out of the {form} refit before {cutoff_label(cutoff)}",
                    cutoff=cutoff,
                )
            )
            scores.append(score_rows(fit, test[in_fit], seed=seed).assign(cutoff=cutoff))
    all_scores = pd.concat(scores, ignore_index=True) if scores else pd.DataFrame()
    return BacktestResult(
        scores=all_scores,
        summary=summarise_scores(all_scores),
        excluded=pd.concat(excluded, ignore_index=True) if excluded else pd.DataFrame(),
        fits=fits,
        failures=pd.DataFrame(failures, columns=["cutoff", "form", "message"]),
    )


def summarise_scores(
    scores: pd.DataFrame, by: tuple[str, ...] = ("cutoff", "form")
) -> pd.DataFrame:
    """Coverage of the 50% and 90% intervals and mean CRPS per group."""
    if scores.empty:
        return pd.DataFrame(columns=[*by, "n", "coverage_50", "coverage_90", "mean_crps"])
    summary = (
        scores.groupby(list(by))
        .agg(
            n=("error", "size"),
            coverage_50=("in_50", "mean"),
            coverage_90=("in_90", "mean"),
            mean_crps=("crps", "mean"),
        )
        .reset_index()
    )
    summary["period"] = summary["cutoff"].map(cutoff_label) if "cutoff" in by else ""
    return summary


def better_form(summary: pd.DataFrame) -> pd.DataFrame:
    """Per cutoff: the form with the lower mean CRPS, and the CRPS ratio exponential/polynomial."""
    wide = summary.pivot(index="cutoff", columns="form", values="mean_crps")
    out = pd.DataFrame({"cutoff": wide.index, "period": [cutoff_label(c) for c in wide.index]})
    if {"polynomial", "exponential"} <= set(wide.columns):
        out["better"] = np.where(
            wide["polynomial"].to_numpy() <= wide["exponential"].to_numpy(),
            "polynomial",
            "exponential",
        )
        out["crps_ratio_exp_over_poly"] = (wide["exponential"] / wide["polynomial"]).to_numpy()
    return out.reset_index(drop=True)


def frontier_check(fit: FitLike, later: pd.DataFrame, interval: float = 0.9) -> pd.DataFrame:
    """For later results that set a new best in their series: projected vs actual compute.

    New bests are the rows flagged ``is_frontier`` (the fit table's flag: better than every
    earlier result of the series) or, without that column, running minima of ``later``.

    Uses the fit's mean-line posterior of the compute needed for the error the result reached
    (``kind="mean"``) and says whether the compute actually used lies inside the interval.
    """
    records = []
    tail = (1 - interval) / 2
    for series, group in later.groupby("series", sort=True):
        if series not in set(getattr(fit, "series", [series])):
            continue
        post = SeriesPosterior.from_fit(fit, str(series))
        best = group.sort_values("year")
        if "is_frontier" in best.columns:  # beat every earlier result, with or without compute
            best = best[best["is_frontier"].astype(bool)]
        else:
            best = best[best["error"] < best["error"].cummin().shift(fill_value=np.inf)]
        for row in best.itertuples():
            draws = log10_compute_draws(post, row.error, year=row.year, kind="predictive")
            lo, median, hi = np.quantile(draws, [tail, 0.5, 1 - tail], method="inverted_cdf")
            records.append(
                {
                    "series": series,
                    "result_id": row.result_id,
                    "year": row.year,
                    "error": row.error,
                    "log10_compute_used": row.log10_compute,
                    "log10_projected_median": median,
                    "log10_projected_lo": lo,
                    "log10_projected_hi": hi,
                    "inside": bool(lo <= row.log10_compute <= hi),
                }
            )
    columns = [
        "series",
        "result_id",
        "year",
        "error",
        "log10_compute_used",
        "log10_projected_median",
        "log10_projected_lo",
        "log10_projected_hi",
        "inside",
    ]
    return pd.DataFrame.from_records(records, columns=columns)


CALIBRATION_BAND = (0.8, 0.97)
"""Pooled coverage of the 90% predictive intervals judged "about right" (below: too narrow,
above: too wide)."""


def calibration(coverage_90: float) -> str:
    """Plain-words verdict on a pooled 90% coverage (:data:`CALIBRATION_BAND`)."""
    if not np.isfinite(coverage_90):
        return "not assessable"
    if coverage_90 < CALIBRATION_BAND[0]:
        return "too narrow"
    return "too wide" if coverage_90 > CALIBRATION_BAND[1] else "about right"


def hierarchical_fit(rows: pd.DataFrame, form: Form) -> FitLike:
    """The book's scaling model (analysis.models.fit_scaling, cached) refitted on ``rows``."""
    from analysis.models import fit_scaling

    return fit_scaling(rows, form, tag="backtest")


def coverage_long(summary: pd.DataFrame) -> pd.DataFrame:
    """Coverage in long form (one row per cutoff, form and interval) with the nominal level."""
    frames = []
    for level in (50, 90):
        frames.append(
            summary[["period", "form", "n"]].assign(
                interval=f"{level}%", coverage=summary[f"coverage_{level}"], nominal=level / 100
            )
        )
    return pd.concat(frames, ignore_index=True)
