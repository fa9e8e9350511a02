"""The book context: the one place a chapter's data, fits and projection inputs are kept.

Each chapter runs in its own kernel and calls :func:`book_context`; everything it needs is loaded
or fitted once per process and shared by every page function: the curated tables, the fit table
of each measure, the book's fits (per measure, form and trend; cached on disk by
:mod:`analysis.models.cache`), the measurement-error fits and the projection inputs
(:func:`analysis.projection.inputs.book_inputs`), which the checks receive as an argument.

Part of the book stage; imports every stage below it.
"""

from __future__ import annotations

from functools import cache, cached_property
from typing import TYPE_CHECKING

import pandas as pd

from analysis import models
from analysis.data import compute_long, default_fit_table, load_tables
from analysis.models.diagnostics import DiagnosticsError
from analysis.projection.assumptions import Assumptions, load_assumptions
from analysis.projection.inputs import BookInputs, book_inputs
from analysis.vocab.forms import FORMS, Form

if TYPE_CHECKING:
    from analysis.data import FitTable, Tables

LATENT = "latent (all measures)"
"""The ``measure`` label of the measurement-error fits, which use every measure at once."""


class BookContext:
    """Tables, fit tables, fits and projection inputs, each made once and then reused."""

    def __init__(self, assumptions: Assumptions | None = None) -> None:
        self.assumptions = assumptions or load_assumptions()
        self._fit_tables: dict[str, FitTable] = {}
        self._fits: dict[tuple[str, Form, bool], models.BookFit] = {}
        self._measurement: dict[Form, models.ScalingFit] = {}
        self._projections: dict[tuple[str, ...], BookInputs] = {}

    @cached_property
    def tables(self) -> Tables:
        """The curated tables of ``data/`` (validated on load)."""
        return load_tables()

    def fit_table(self, measure: str) -> FitTable:
        """The fit table of one compute measure, default population (``data.default_fit_table``)."""
        if measure not in self._fit_tables:
            self._fit_tables[measure] = default_fit_table(self.tables, measure)
        return self._fit_tables[measure]

    def fit(self, measure: str, form: Form, trend: bool = False) -> models.BookFit:
        """The book's fit of one measure, form and trend (passes the diagnostics gate or raises)."""
        key = (measure, form, trend)
        if key not in self._fits:
            self._fits[key] = models.fit_book(self.fit_table(measure), measure, form, trend)
        return self._fits[key]

    def scaling_fit(self, measure: str, form: str, trend: bool) -> models.ScalingFit:
        """:meth:`fit` as a bare :class:`analysis.models.ScalingFit`."""
        return self.fit(measure, form, trend).fit

    def fits(self) -> list[models.BookFit]:
        """Every per-measure fit of the book, in the order of ``models.book_fit_specs``."""
        return [self.fit(m, f, t) for m, f, t in models.book_fit_specs()]

    def measurement_fit(self, form: Form) -> models.ScalingFit:
        """The measurement-error model over every measure."""
        if form not in self._measurement:
            rows = pd.concat(
                [self.fit_table(m).rows for m in models.BOOK_MEASURES], ignore_index=True
            )
            compute = compute_long(self.tables, usable_only=True)
            self._measurement[form] = models.fit_measurement_error(rows, compute, form)
        return self._measurement[form]

    def measurement_failure(self, form: Form) -> str | None:
        """Why the measurement-error model of ``form`` failed the gate (None when it passed)."""
        try:
            self.measurement_fit(form)
        except DiagnosticsError as error:
            return str(error).splitlines()[-1]
        return None

    def all_fits(self) -> tuple[models.BookFit, ...]:
        """Every fit of the book: per measure, form and trend, then the measurement-error fits
        that passed the gate (a failed one is reported by :meth:`measurement_failure`)."""
        fits = list(self.fits())
        for form in FORMS:
            if self.measurement_failure(form) is None:
                fit = self.measurement_fit(form)
                fits.append(models.BookFit(LATENT, fit, fit.rows, fit.excluded))
        return tuple(fits)

    def projection(self, fit_keys: tuple[str, ...] = ("polynomial", "exponential")) -> BookInputs:
        """The projection inputs (fit table of the assumptions' measure, fits, cost model)."""
        if fit_keys not in self._projections:
            self._projections[fit_keys] = book_inputs(
                self.assumptions,
                fit_keys,
                tables=self.tables,
                fit_table_of=self.fit_table,
                book_fit_of=self.scaling_fit,
            )
        return self._projections[fit_keys]


@cache
def book_context() -> BookContext:
    """The context of this process (one chapter's kernel), with ``config/assumptions.yaml``."""
    return BookContext()
