"""The book's headline numbers from the frontier model, shared by the landing page, the
reproduction chapter and any chapter that quotes the headline.

:func:`frontier_headline` fits (or loads from the posterior cache) the three frontier forms of
``analysis.book.pages.frontier``, takes their stacking weights and today's best result from
there, draws the projections with its :func:`~analysis.book.pages.frontier.projection_draws`
and stacks them (:func:`analysis.projection.frontier_headline.build_headline`); cached per
process, so every chapter of one kernel shares one set of draws.

:func:`headline_values` turns a :class:`~analysis.projection.frontier_headline.FrontierHeadline`
into the landing page's texts, each with the function it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import numpy as np
import pandas as pd

from analysis.book import formats
from analysis.projection import frontier as fp
from analysis.projection.costs import build_cost_model
from analysis.projection.frontier_headline import FrontierHeadline, build_headline

HEADLINE_SERIES = "imagenet/top1_accuracy"
HEADLINE_TARGET = 5.0
"""The study's ImageNet target the landing page quotes (% top-1 error)."""


@cache
def frontier_headline(series: str = HEADLINE_SERIES) -> FrontierHeadline:
    """The stacked frontier headline of ``series`` at the assumptions' year and interval, with
    the series' study targets of the assumptions (``targets``)."""
    from analysis.book.context import book_context
    from analysis.book.pages import frontier as page
    from analysis.models.frontier import MEASURES

    ctx = book_context()
    a = ctx.assumptions
    fits = page.headline_fits()
    weights = page.headline_weights()
    best = page.todays_best(series, a.today_through)
    year = float(a.year)
    targets = tuple(a.targets.get(series, ()))
    per_form = fp.projection_draws(fits, series, year, float(best["error"]), targets)
    fitted = next(iter(fits.values())).rows
    rows = (*map(str, fitted.loc[fitted["series"] == series, "result_id"]), str(best["result_id"]))
    return build_headline(
        series,
        per_form,
        weights,
        best_error=float(best["error"]),
        best_result=str(best["result_id"]),
        year=year,
        cost_model=build_cost_model(a),
        seed=a.seed,
        level=a.interval,
        measure=MEASURES[0],
        fit_draws={form: fit.draws(series) for form, fit in fits.items()},
        rows=rows,
        fit_rows=tuple(map(str, fitted["result_id"])),
    )


FAN_QUANTILES = {"q05": 0.05, "q25": 0.25, "q50": 0.5, "q75": 0.75, "q95": 0.95}


def fan_table(
    fits: Mapping[str, object],
    weights: Mapping[str, float],
    series: str,
    year: float,
    errors: np.ndarray,
    seed: int,
) -> pd.DataFrame:
    """Quantiles of the log10 compute at which the frontier of ``year`` reaches each error, per
    form and stacked (``form`` = "stacked"); never-reached quantiles are NaN (not drawn)."""
    records = []
    for error in errors:
        per_form = {
            form: fp.frontier_log10_compute(fit.draws(series), form, float(error), year)
            for form, fit in fits.items()
        }
        per_form["stacked"] = fp.mixture(per_form, weights, seed)
        for form, values in per_form.items():
            q = np.quantile(values, list(FAN_QUANTILES.values()), method="inverted_cdf")
            row = {"series": series, "form": form, "target_error": float(error)}
            records.append(row | dict(zip(FAN_QUANTILES, q, strict=True)))
    fan = pd.DataFrame(records)
    return fan.replace([np.inf, -np.inf], np.nan)


def headline_fan(series: str = HEADLINE_SERIES, points: int = 16) -> pd.DataFrame:
    """The frontier's fan from today's best error of ``series`` down to its lowest study
    target (or half of today's best, if lower)."""
    from analysis.book.context import book_context
    from analysis.book.pages import frontier as page

    a = book_context().assumptions
    h = frontier_headline(series)
    lowest = min([*a.targets.get(series, ()), h.best_error / 2])
    errors = np.geomspace(h.best_error, lowest, points)
    return fan_table(page.headline_fits(), page.headline_weights(), series, h.year, errors, a.seed)


def power_markdown(summary: tuple[float, float, float]) -> str:
    """The landing page's power-of-ten text of a (median, lo, hi) summary."""
    return formats.power_of_ten_markdown(*summary)


HEADLINE_FUNCTION = "analysis.book.headline.frontier_headline"
Traced = tuple[object, str, tuple[str, ...]]
"""(value, dotted path of the function that computed it, result_ids behind it)."""


def forms_markdown(h: FrontierHeadline, quantity: str) -> object:
    """MyST markdown of one quantity per fitted form: '10^a (10^b–10^c) polynomial, ...'."""
    from IPython.display import Markdown

    parts = [f"{power_markdown(h.summary(quantity, form)).data} ({form})" for form in h.forms]
    return Markdown(", ".join(parts))


def weights_text(h: FrontierHeadline) -> str:
    """'polynomial 57%, exponential 43%': the stacking weights of the fitted forms."""
    return ", ".join(f"{form} {100 * float(w):.0f}%" for form, w in h.weights.items())


def headline_values(h: FrontierHeadline, target: float = HEADLINE_TARGET) -> dict[str, Traced]:
    """The landing page's frontier numbers (glue key -> value, function, result ids): today's
    best, the halving multiplier and the multiplier and the compute, dollars and t CO2e of
    ``target``, stacked, the halving per form, and the forms' stacking weights."""
    key = f"target-{target:g}"
    stacked = {
        "home-frontier-halving": power_markdown(h.summary("halving")),
        "home-frontier-halving-forms": forms_markdown(h, "halving"),
        "home-frontier-flop": power_markdown(h.summary(key)),
        "home-frontier-multiplier": power_markdown(h.summary(f"multiplier-{target:g}")),
        "home-frontier-usd": power_markdown(h.cost_summary(key, "log10_usd")),
        "home-frontier-t-co2e": power_markdown(h.cost_summary(key, "log10_t_co2e")),
        "home-frontier-unreachable": round(100 * h.unreachable(key), 1),
    }
    values: dict[str, Traced] = {k: (v, HEADLINE_FUNCTION, h.rows) for k, v in stacked.items()}
    values["home-frontier-best"] = (
        h.best_error,
        "analysis.book.pages.frontier.todays_best",
        (h.best_result,),
    )
    values["home-frontier-weights"] = (
        weights_text(h),
        "analysis.book.pages.frontier.headline_weights",
        h.fit_rows or h.rows,
    )
    return values
