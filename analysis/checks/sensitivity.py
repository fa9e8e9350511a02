"""Sensitivity of the headline projection to every modelling and costing choice.

The headline: the compute, US$ and t CO2e needed to reach one target (by default ImageNet 5% top-1
error) under the baseline fit and assumptions. Each :class:`Variant` changes one thing (the fit's
form, likelihood, time trend, priors, compute measure or rows; or a price, carbon or utilisation
assumption) and the tornado table ranks the factors by how far their settings move the headline
(log10 US$ by default: orders of magnitude).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.projection.assumptions import Assumptions
from analysis.projection.costs import CostModel, build_cost_model, projection_row
from analysis.projection.extrapolate import Kind, SeriesPosterior, log10_compute_draws


@dataclass(frozen=True)
class Variant:
    """One setting of one factor: a posterior, the assumptions and the measure to cost it with."""

    factor: str
    setting: str
    posterior: SeriesPosterior
    assumptions: Assumptions
    measure: str
    kind: Kind = "mean"
    published_costs: bool = False  # cost with the study's constants instead of the cost model


def headline(
    post: SeriesPosterior,
    target_error: float,
    model: CostModel,
    *,
    measure: str,
    kind: Kind = "mean",
    published_costs: bool = False,
) -> dict[str, float]:
    """Median and interval of log10 FLOP, US$ and t CO2e for one target (plus wrong-sign count)."""
    a = model.assumptions
    compute = log10_compute_draws(post, target_error, year=a.year, kind=kind, seed=a.seed)
    row = projection_row(compute, model, a.year, measure, a.seed)
    if published_costs:
        for name in ("usd", "t_co2e"):
            for stat in ("median", "lo", "hi"):
                row[f"log10_{name}_{stat}"] = row[f"log10_{name}_published_{stat}"]
    row["n_wrong_sign"] = int(post.wrong_sign.sum())
    row["n_draws"] = len(compute)
    return row


def cost_variants(base: Assumptions, post: SeriesPosterior, measure: str) -> list[Variant]:
    """One variant per alternative price, energy, carbon, year and utilisation assumption."""
    changes: list[tuple[str, str, dict[str, object]]] = [
        ("price basis", "hardware purchase, amortised", {"price_basis": "purchase"}),
        ("peak precision", "best 16-bit peak", {"precision": "best16"}),
        ("chip scatter", "chip-to-chip scatter included", {"include_scatter": True}),
        ("carbon intensity", "world electricity mix", {"carbon_source": "world_mix"}),
        ("carbon intensity", "US average (Strubell et al.)", {"carbon_source": "fixed"}),
        ("PUE", "hyperscale (1.1)", {"pue_low": 1.1, "pue_high": 1.1}),
        ("PUE", "industry average (1.58)", {"pue_low": 1.58, "pue_high": 1.58}),
        ("projection year", str(int(base.year) + 5), {"year": base.year + 5}),
        ("projection year", str(int(base.year) + 10), {"year": base.year + 10}),
        ("utilisation", "low (mean 0.2)", {"utilisation_mean": 0.2}),
        ("utilisation", "high (mean 0.6)", {"utilisation_mean": 0.6}),
    ]
    variants = [
        Variant(factor, setting, post, base.with_changes(**change), measure)
        for factor, setting, change in changes
    ]
    variants.append(Variant("cost constants", "as published", post, base, measure, "mean", True))
    return variants


def run_variants(
    variants: Iterable[Variant],
    target_error: float,
    models: dict[str, CostModel] | None = None,
) -> pd.DataFrame:
    """The headline under every variant; cost models are built once per distinct assumptions.

    ``models`` caches cost models by ``repr(assumptions)``; pass a dict to share it.
    """
    models = {} if models is None else models
    records = []
    for variant in variants:
        key = repr(variant.assumptions)
        if key not in models:
            models[key] = build_cost_model(variant.assumptions)
        row = headline(
            variant.posterior,
            target_error,
            models[key],
            measure=variant.measure,
            kind=variant.kind,
            published_costs=variant.published_costs,
        )
        records.append({"factor": variant.factor, "setting": variant.setting} | row)
    return pd.DataFrame.from_records(records)


def tornado_table(
    results: pd.DataFrame, baseline: dict[str, float], quantity: str = "log10_usd_median"
) -> pd.DataFrame:
    """Per factor: lowest and highest headline across its settings, as shifts from the baseline.

    Sorted by the span (largest first). Infinite medians (most draws never reach the target)
    stay infinite and sort first.
    """
    base = baseline[quantity]
    records = []
    for factor, group in results.groupby("factor", sort=False):
        shifts = group[quantity].to_numpy(dtype=float) - base
        low, high = int(np.argmin(shifts)), int(np.argmax(shifts))
        records.append(
            {
                "factor": factor,
                "low_shift": min(0.0, float(shifts[low])),
                "high_shift": max(0.0, float(shifts[high])),
                "low_setting": group["setting"].iloc[low] if shifts[low] < 0 else "",
                "high_setting": group["setting"].iloc[high] if shifts[high] > 0 else "",
            }
        )
    table = pd.DataFrame.from_records(records)
    table["span"] = table["high_shift"] - table["low_shift"]
    return table.sort_values("span", ascending=False, ignore_index=True)


OTHER_MEASURES: tuple[str, ...] = ("network_operations", "epoch_estimate")
PRIOR_MULTIPLIERS: tuple[float, ...] = (0.5, 2.0)
"""Every prior scale of the scaling model halved and doubled (the prior-sensitivity variants)."""


@dataclass(frozen=True)
class Refit:
    """A variant that needs its own fit: which rows, fit key, measure and prior multiplier."""

    factor: str
    setting: str
    rows: pd.DataFrame
    key: str
    measure: str
    prior_multiplier: float = 1.0
    whole_table: bool = False  # the rows are a measure's whole fit table (the book's own fit)


def measured_frontier(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows that beat every earlier row of their series among the rows given (compute known).

    The dataset's ``is_frontier`` asks whether a result beat every earlier result, with or
    without compute; few such records report their compute. This frontier is the one a reader
    of the compute-reporting papers would have seen.
    """
    from analysis.data import frontier_flags

    return rows[frontier_flags(rows).to_numpy(bool)]


def _refits(inputs: object) -> list[Refit]:
    """The refits of the sensitivity analysis (priors, likelihood, trend, rows, measure)."""
    from analysis.data import default_fit_table, fit_table, load_tables

    measure, rows = inputs.measure, inputs.rows
    tables = inputs.tables if inputs.tables is not None else load_tables()
    if inputs.fit_table_of is not None:
        fit_table_of = inputs.fit_table_of
    else:

        def fit_table_of(other: str) -> object:
            return default_fit_table(tables, other)

    refits = [
        Refit("functional form", "exponential", rows, "exponential", measure, whole_table=True),
        Refit("likelihood", "Student-t", rows, "polynomial_student", measure, whole_table=True),
        Refit("time trend", "with time trend", rows, "polynomial_trend", measure, whole_table=True),
        Refit("rows", "record results only", rows[rows["is_frontier"]], "polynomial", measure),
        Refit(
            "rows",
            "records among results with compute",
            measured_frontier(rows),
            "polynomial",
            measure,
        ),
        Refit(
            "rows",
            "with library re-trainings",
            fit_table(tables, measure).rows,
            "polynomial",
            measure,
        ),
    ]
    for multiplier in PRIOR_MULTIPLIERS:
        setting = f"prior scales x{multiplier:g}"
        refits.append(Refit("priors", setting, rows, "polynomial", measure, multiplier))
    for other in OTHER_MEASURES:
        if other != measure:
            table = fit_table_of(other).rows  # the rows of the book's own fit of that measure
            setting = other.replace("_", " ")
            refits.append(Refit("compute measure", setting, table, "polynomial", other, 1.0, True))
    return refits


def _refit(inputs: object, refit: Refit) -> object:
    """The fit of one refit, reusing the book's fits where they are the same."""
    from analysis.projection.inputs import scaling_fit

    if refit.whole_table and refit.rows is inputs.rows and refit.key in inputs.fits:
        return inputs.fits[refit.key]
    if refit.whole_table:
        return scaling_fit(refit.rows, refit.key, refit.measure, book_fit_of=inputs.book_fit_of)
    return scaling_fit(refit.rows, refit.key, prior_multiplier=refit.prior_multiplier)


def book_variants(inputs: object, series: str) -> tuple[list[Variant], list[str], pd.DataFrame]:
    """Model variants of the book's headline (refitting where needed), notes on skipped ones and
    the diagnostics of every fit behind a variant (one row per variant).

    ``inputs`` is a :class:`analysis.projection.inputs.BookInputs`; the fits it lacks are fitted
    (cached) here: Student-t likelihood, time trend, frontier rows, halved and doubled priors and
    the other compute measures.
    """
    from analysis.models.diagnostics import DiagnosticsError

    a = inputs.assumptions
    variants, notes, diagnostics = [], [], []
    for refit in _refits(inputs):
        name = f"{refit.factor} = {refit.setting}"
        if series not in set(refit.rows["series"]):
            notes.append(f"{name}: no {series} rows")
            continue
        try:
            fit = _refit(inputs, refit)
        except DiagnosticsError:
            notes.append(f"{name}: the refit failed the diagnostics gate")
            continue
        except ValueError as error:  # e.g. no series with enough rows for a slope
            notes.append(f"{name}: not fitted ({error})")
            continue
        if series not in fit.series:
            notes.append(f"{name}: {series} not in the fit")
            continue
        post = SeriesPosterior.from_fit(fit, series, a.max_draws)
        variants.append(Variant(refit.factor, refit.setting, post, a, refit.measure))
        diagnostics.append(fit.diagnostics.assign(factor=refit.factor, setting=refit.setting))
    base = inputs.posteriors("polynomial", [series])[0]
    variants.append(
        Variant("projection", "predictive (new paper)", base, a, inputs.measure, "predictive")
    )
    table = pd.concat(diagnostics, ignore_index=True) if diagnostics else pd.DataFrame()
    return variants, notes, table


def notes_text(notes: list[str]) -> str:
    """The skipped variants as one sentence for the chapter."""
    return "; ".join(notes) + "." if notes else "none; every variant was fitted."


def tornado_long(
    results: pd.DataFrame, baseline: dict[str, float], quantities: Iterable[str]
) -> pd.DataFrame:
    """Tornado tables for several quantities stacked, with the factor order of the first."""
    frames = []
    for quantity in quantities:
        table = tornado_table(results, baseline, quantity)
        frames.append(table.assign(quantity=quantity))
    out = pd.concat(frames, ignore_index=True)
    first = frames[0]["factor"].tolist()
    out["rank"] = out["factor"].map({f: i for i, f in enumerate(first)})
    return out
