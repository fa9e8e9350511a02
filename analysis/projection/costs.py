"""Dollars, energy and CO2e of a training run, with uncertainty carried through.

Per posterior draw of the compute needed (log10 FLOP, in the units of a compute measure):

* price of compute in the projection year: a Bayesian linear trend of log10(FLOP per US$)
  against the date of the price (Epoch AI hardware-price and chip tables), in constant
  dollars of ``dollar_year`` via the US PPI for data processing and hosting (FRED
  PCU518210518210);
* energy: a Bayesian linear trend of log10(peak FLOP per joule at TDP) against chip release
  year (Epoch AI ML-hardware table), times power drawn as a fraction of TDP, times the PUE;
* CO2e: energy times a grid carbon intensity drawn from ML CO2 Impact cloud regions or the
  world mix;
* utilisation (achieved / peak throughput): a Beta prior, applied only to measures that count
  operations; ``hardware_burden`` is already peak rate x time, so chip-hours = burden / peak.

The study's constants form the separate "as published" scenario (:func:`as_published`).
The trends are fitted by :mod:`analysis.projection.trends`; the inputs are the committed tables
``data/prices.csv``, ``data/price_index.csv``, ``data/accelerator_efficiency.csv`` and
``data/carbon_intensity.csv`` (:mod:`analysis.projection.cost_inputs`), never the raw sources.

Part of the projection stage; imports vocab, data and models only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data import CostInputs, load_cost_inputs
from analysis.intervals import interval_of
from analysis.projection.assumptions import Assumptions
from analysis.projection.cost_inputs import (
    carbon_intensity_pool,
    efficiency_observations,
    price_observations,
)
from analysis.projection.extrapolate import (
    Kind,
    SeriesPosterior,
    Target,
    log10_compute_draws,
    log10_multiplier_draws,
)
from analysis.projection.trends import LinearTrend, fit_linear_trend
from analysis.vocab.measures import JOULES_PER_KWH, kg_from_lb

# --- "as published" scenario --------------------------------------------------------------------


def as_published(log10_flop: np.ndarray | float, assumptions: Assumptions) -> pd.DataFrame:
    """US$, lb CO2e and kg CO2e with the study's own constants (no uncertainty)."""
    flop = 10.0 ** np.atleast_1d(np.asarray(log10_flop, dtype=float))
    lb = flop / assumptions.published_flop_per_lb_co2e
    return pd.DataFrame(
        {
            "flop": flop,
            "usd": flop / assumptions.published_flop_per_usd,
            "lb_co2e": lb,
            "kg_co2e": kg_from_lb(lb, assumptions.kg_per_lb),
        }
    )


def as_published_log10(log10_flop: np.ndarray | float, assumptions: Assumptions) -> pd.DataFrame:
    """log10 US$ and log10 t CO2e with the study's constants (safe for astronomical compute)."""
    x = np.atleast_1d(np.asarray(log10_flop, dtype=float))
    return pd.DataFrame(
        {
            "log10_usd": x - np.log10(assumptions.published_flop_per_usd),
            "log10_t_co2e": x
            - np.log10(assumptions.published_flop_per_lb_co2e)
            + np.log10(assumptions.kg_per_lb / 1000.0),
        }
    )


# --- the cost model ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CostModel:
    """Everything needed to turn compute draws into US$, kWh and kg CO2e draws."""

    assumptions: Assumptions
    price: LinearTrend
    efficiency: LinearTrend
    carbon_values: np.ndarray
    carbon_weights: np.ndarray

    def utilisation_applies(self, measure: str) -> bool:
        """True when ``measure`` counts operations (so chips ran below peak)."""
        return measure in self.assumptions.operation_count_measures

    def factor_draws(self, n: int, year: float, measure: str, seed: int) -> pd.DataFrame:
        """``n`` joint draws of the cost factors for a run in ``year`` measured by ``measure``."""
        a = self.assumptions
        rng = np.random.default_rng(seed)
        if self.utilisation_applies(measure):
            k = a.utilisation_concentration
            utilisation = rng.beta(a.utilisation_mean * k, (1 - a.utilisation_mean) * k, size=n)
        else:
            utilisation = np.ones(n)
        return pd.DataFrame(
            {
                "log10_flop_per_usd": self.price.sample_at(year, n, rng, a.include_scatter),
                "log10_flop_per_joule": self.efficiency.sample_at(year, n, rng, a.include_scatter),
                "utilisation": utilisation,
                "pue": rng.uniform(a.pue_low, a.pue_high, size=n),
                "g_co2e_per_kwh": rng.choice(self.carbon_values, size=n, p=self.carbon_weights),
            }
        )

    def cost_draws(
        self, log10_flop: np.ndarray, year: float, measure: str, seed: int | None = None
    ) -> pd.DataFrame:
        """Per compute draw: US$, kWh and kg CO2e, each paired with one draw of every factor.

        Infinite compute (the target is never reached in that draw) gives infinite costs.
        """
        log10_flop = np.asarray(log10_flop, dtype=float)
        seed = self.assumptions.seed if seed is None else seed
        f = self.factor_draws(len(log10_flop), year, measure, seed)
        log10_chip_flop = log10_flop - np.log10(f["utilisation"].to_numpy())
        log10_usd = log10_chip_flop - f["log10_flop_per_usd"].to_numpy()
        log10_kwh = (
            log10_chip_flop
            - f["log10_flop_per_joule"].to_numpy()
            + np.log10(
                self.assumptions.power_fraction_of_tdp * f["pue"].to_numpy() / JOULES_PER_KWH
            )
        )
        carbon = f["g_co2e_per_kwh"].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            # a region claiming 0 gCO2e/kWh emits nothing, even for a never-reached target
            log10_kg = np.where(carbon > 0, log10_kwh + np.log10(carbon / 1000.0), -np.inf)
        with np.errstate(over="ignore"):  # astronomically large draws overflow to +inf
            linear = {"usd": 10.0**log10_usd, "kwh": 10.0**log10_kwh, "kg_co2e": 10.0**log10_kg}
        return f.assign(
            log10_flop=log10_flop,
            log10_usd=log10_usd,
            log10_kwh=log10_kwh,
            log10_kg_co2e=log10_kg,
            **linear,
        )


def build_cost_model(assumptions: Assumptions, inputs: CostInputs | None = None) -> CostModel:
    """Fit the price and efficiency trends and load the carbon pool for these assumptions, from
    the committed cost-input tables (``inputs``, else :func:`analysis.data.load_cost_inputs`)."""
    n_draws = max(assumptions.max_draws, 1000)
    inputs = inputs or load_cost_inputs()
    prices, price_excluded = price_observations(assumptions, inputs)
    efficiency, efficiency_excluded = efficiency_observations(assumptions, inputs)
    carbon_values, carbon_weights = carbon_intensity_pool(assumptions, inputs)
    return CostModel(
        assumptions=assumptions,
        price=fit_linear_trend(
            "log10 FLOP per US$", prices, price_excluded, n_draws, assumptions.seed
        ),
        efficiency=fit_linear_trend(
            "log10 FLOP per J", efficiency, efficiency_excluded, n_draws, assumptions.seed + 1
        ),
        carbon_values=carbon_values,
        carbon_weights=carbon_weights,
    )


# --- projection tables ------------------------------------------------------------------------


def projection_row(
    log10_compute: np.ndarray, model: CostModel, year: float, measure: str, seed: int
) -> dict[str, float]:
    """Median and interval of compute, US$, t CO2e (ours) and the as-published US$ and t CO2e."""
    interval = model.assumptions.interval
    draws = model.cost_draws(log10_compute, year, measure, seed)
    published = as_published_log10(log10_compute, model.assumptions)
    quantities = {
        "log10_flop": draws["log10_flop"],
        "log10_usd": draws["log10_usd"],
        "log10_t_co2e": draws["log10_kg_co2e"] - 3.0,
        "log10_usd_published": published["log10_usd"],
        "log10_t_co2e_published": published["log10_t_co2e"],
    }
    row: dict[str, float] = {}
    for name, values in quantities.items():
        median, lo, hi = interval_of(values.to_numpy(), interval)
        row |= {f"{name}_median": median, f"{name}_lo": lo, f"{name}_hi": hi}
    return row


def projection_table(
    posteriors: list[SeriesPosterior],
    targets: list[Target],
    today: pd.Series,
    model: CostModel,
    *,
    year: float,
    measure: str,
    kind: Kind = "mean",
) -> pd.DataFrame:
    """The study's projection table with intervals: one row per (series, form, target).

    Columns: series, form, kind, target, target_error, today_error, n_draws, n_wrong_sign,
    log10 multiplier vs today's best and, each as median/lo/hi, log10 FLOP, log10 US$ and
    log10 t CO2e (ours) and the same US$ and t CO2e with the study's constants.
    """
    a = model.assumptions
    by_series: dict[str, list[Target]] = {}
    for target in targets:
        by_series.setdefault(target.series, []).append(target)
    records = []
    for post in posteriors:
        today_error = today.get(post.series)
        for target in by_series.get(post.series, []):
            compute = log10_compute_draws(post, target.error, year=year, kind=kind, seed=a.seed)
            row: dict[str, object] = {
                "series": post.series,
                "form": post.form,
                "kind": kind,
                "target": target.label,
                "target_error": target.error,
                "today_error": np.nan if today_error is None else float(today_error),
                "n_draws": len(compute),
                "n_wrong_sign": int(post.wrong_sign.sum()),
            }
            row |= _multiplier_columns(post, today_error, target.error, a.interval)
            row |= projection_row(compute, model, year, measure, a.seed)
            records.append(row)
    return pd.DataFrame.from_records(records)


def _multiplier_columns(
    post: SeriesPosterior, today_error: float | None, target_error: float, interval: float
) -> dict[str, float]:
    if today_error is None or not np.isfinite(today_error):
        return {f"log10_multiplier_{k}": np.nan for k in ("median", "lo", "hi")}
    median, lo, hi = interval_of(log10_multiplier_draws(post, today_error, target_error), interval)
    return {"log10_multiplier_median": median, "log10_multiplier_lo": lo, "log10_multiplier_hi": hi}


def target_grid(
    posteriors: list[SeriesPosterior],
    errors: dict[str, np.ndarray],
    model: CostModel,
    *,
    year: float,
    measure: str,
    kind: Kind = "mean",
) -> pd.DataFrame:
    """Long table over a grid of target errors: quantiles of log10 FLOP, US$ and t CO2e.

    One row per series x form x target x quantity with columns q05, q25, q50, q75, q95
    (+inf where most draws never reach the target) and the share of draws that reach it.
    Small by design, for fan charts and the what-if page.
    """
    a = model.assumptions
    levels = [0.05, 0.25, 0.5, 0.75, 0.95]
    names = ["q05", "q25", "q50", "q75", "q95"]
    records = []
    for post in posteriors:
        for error in errors.get(post.series, ()):
            compute = log10_compute_draws(post, float(error), year=year, kind=kind, seed=a.seed)
            draws = model.cost_draws(compute, year, measure, a.seed)
            quantities = {
                "log10_flop": compute,
                "log10_usd": draws["log10_usd"].to_numpy(),
                "log10_t_co2e": draws["log10_kg_co2e"].to_numpy() - 3.0,
            }
            for quantity, values in quantities.items():
                q = np.quantile(values, levels, method="inverted_cdf")
                records.append(
                    {
                        "series": post.series,
                        "form": post.form,
                        "target_error": float(error),
                        "quantity": quantity,
                        **dict(zip(names, q.astype(float), strict=True)),
                        "share_reached": float(np.isfinite(compute).mean()),
                    }
                )
    return pd.DataFrame.from_records(records)
