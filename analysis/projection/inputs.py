"""What the projections share: the fit table, the fits, today's best errors and the cost model.

:func:`book_inputs` assembles them for the projection chapters and the checks
(:mod:`analysis.checks`); :data:`FIT_KEYS` names the fits a projection may use.

Part of the projection stage; imports vocab, ingest, data and models only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.projection.assumptions import Assumptions
from analysis.projection.costs import CostModel, build_cost_model
from analysis.projection.extrapolate import (
    SeriesPosterior,
    Target,
)

# --- inputs shared by the projection chapters -------------------------------------------------

FIT_KEYS: dict[str, tuple[str, bool, str]] = {
    "polynomial": ("polynomial", False, "normal"),
    "exponential": ("exponential", False, "normal"),
    "polynomial_trend": ("polynomial", True, "normal"),
    "exponential_trend": ("exponential", True, "normal"),
    "polynomial_student": ("polynomial", False, "student"),
}
"""The fits the projection chapters use: key -> (form, time trend, likelihood)."""


@dataclass(frozen=True)
class BookInputs:
    """Data, fits, today's best errors and the cost model for the projection chapters."""

    assumptions: Assumptions
    cost_model: CostModel
    measure: str
    rows: pd.DataFrame  # fit-table rows of ``measure``
    excluded: pd.DataFrame  # fit-table exclusions of ``measure``
    results: pd.DataFrame  # every primary result with a year (for today's best)
    today: pd.Series  # best error per series up to ``assumptions.today_through``
    fits: dict[str, object]  # FIT_KEYS key -> ScalingFit
    n_papers: int
    fit_table_of: Callable[[str], object] | None = None  # measure -> the book's FitTable
    book_fit_of: Callable[[str, str, bool], object] | None = None  # the book's ScalingFit
    tables: object | None = None  # the curated tables the inputs were made from

    def posteriors(self, key: str, series: list[str] | None = None) -> list[SeriesPosterior]:
        """Posteriors of the given (default: targeted) series present in fit ``key``."""
        fit = self.fits[key]
        wanted = self.projected_series if series is None else series
        return [
            SeriesPosterior.from_fit(fit, s, self.assumptions.max_draws)
            for s in wanted
            if s in fit.series
        ]

    @property
    def projected_series(self) -> list[str]:
        """Series with study targets that have rows in the fit."""
        present = set(self.rows["series"])
        return [s for s in self.assumptions.targets if s in present]

    def targets(self, series: list[str] | None = None) -> list[Target]:
        """Relative and absolute targets of each projected series."""
        from analysis.projection.assumptions import all_targets

        out = []
        for s in self.projected_series if series is None else series:
            best = self.today.get(s)
            best = float(best) if best is not None and np.isfinite(best) else None
            out += [
                Target(s, label, error) for label, error in all_targets(self.assumptions, s, best)
            ]
        return out


def scaling_fit(
    rows: pd.DataFrame,
    key: str,
    measure: str | None = None,
    prior_multiplier: float = 1.0,
    book_fit_of: Callable[[str, str, bool], object] | None = None,
) -> object:
    """The cached scaling fit ``key`` (see FIT_KEYS) of ``rows``.

    With ``measure`` and ``book_fit_of`` given, a normal likelihood and default priors, the
    book's own fit ``book_fit_of(measure, form, trend)`` (``rows`` must then be that measure's
    fit-table rows), else ``analysis.models.fit_scaling`` on ``rows`` (same settings, so the
    same posterior cache).
    """
    from analysis import models

    form, trend, likelihood = FIT_KEYS[key]
    default = likelihood == "normal" and prior_multiplier == 1.0
    if measure is not None and book_fit_of is not None and default:
        return book_fit_of(measure, form, trend)
    return models.fit_scaling(
        rows,
        form,
        trend=trend,
        likelihood=likelihood,
        tag=measure or "",
        prior_multiplier=prior_multiplier,
    )


def book_inputs(
    assumptions: Assumptions | None = None,
    fit_keys: tuple[str, ...] = ("polynomial", "exponential"),
    *,
    tables: object | None = None,
    fit_table_of: Callable[[str], object] | None = None,
    book_fit_of: Callable[[str, str, bool], object] | None = None,
) -> BookInputs:
    """The data, the fits (fitted or loaded from the posterior cache) and the cost model.

    :class:`analysis.book.context.BookContext` passes its tables and its per-process fit tables
    and fits, so that every chapter and check shares one copy; without them, they are loaded.
    """
    from analysis.data import default_fit_table, load_tables, primary_results
    from analysis.projection.assumptions import check_targets, load_assumptions
    from analysis.projection.extrapolate import todays_best

    a = assumptions or load_assumptions()
    tables = tables if tables is not None else load_tables()
    if fit_table_of is None:

        def fit_table_of(measure: str) -> object:
            return default_fit_table(tables, measure)

    table = fit_table_of(a.compute_measure)
    results = primary_results(tables)
    results = results[results["year"].notna() & results["error"].notna()]
    today = todays_best(results, a.today_through)
    check_targets(a, today.to_dict())
    fits = {
        key: scaling_fit(table.rows, key, a.compute_measure, book_fit_of=book_fit_of)
        for key in fit_keys
    }
    return BookInputs(
        assumptions=a,
        cost_model=build_cost_model(a),
        measure=a.compute_measure,
        rows=table.rows,
        excluded=table.excluded,
        results=results,
        today=today,
        fits=fits,
        n_papers=len(tables.papers),
        fit_table_of=fit_table_of,
        book_fit_of=book_fit_of,
        tables=tables,
    )
