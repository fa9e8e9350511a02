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
The trend fits use a flat prior, so the posterior of (intercept, slope, sigma) is the textbook
normal-inverse-chi-squared one and is drawn exactly (no MCMC).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.assumptions import Assumptions
from analysis.extrapolate import (
    Kind,
    SeriesPosterior,
    Target,
    log10_compute_draws,
    log10_multiplier_draws,
)
from analysis.paths import sources_dir

SECONDS_PER_DAY = 86_400.0
SECONDS_PER_YEAR = 365.25 * SECONDS_PER_DAY
JOULES_PER_KWH = 3.6e6
FLOP_PER_MULTIPLY_ADD = 2.0
PETAFLOP = 1e15

EPOCH_DIR = "epoch-ai-models"
PRICES_FILE = "Hardware prices.csv"
CHIPS_FILE = "Chip dataset-Grid view.csv"
PPI_FILE = "PCU518210518210.csv"
ML_HARDWARE_FILE = Path("epoch-ml-hardware") / "Chip dataset-ML Hardware.csv"
MLCO2_IMPACT_FILE = Path("mlco2-impact") / "impact.csv"
WORLD_MIX_FILE = Path("codecarbon-energy-mix") / "global_energy_mix.json"


# --- unit conversions -------------------------------------------------------------------------


def flop_from_multiply_adds(multiply_adds: float | np.ndarray) -> float | np.ndarray:
    """FLOP from multiply-accumulate operations (1 multiply-add = 2 FLOP)."""
    return np.asarray(multiply_adds, dtype=float) * FLOP_PER_MULTIPLY_ADD


def flop_from_petaflop_s_days(days: float | np.ndarray) -> float | np.ndarray:
    """FLOP from petaflop/s-days (1e15 FLOP/s sustained for one day)."""
    return np.asarray(days, dtype=float) * PETAFLOP * SECONDS_PER_DAY


def petaflop_s_days_from_flop(flop: float | np.ndarray) -> float | np.ndarray:
    """Petaflop/s-days from FLOP."""
    return np.asarray(flop, dtype=float) / (PETAFLOP * SECONDS_PER_DAY)


def kg_from_lb(lb: float | np.ndarray, kg_per_lb: float = 0.45359237) -> float | np.ndarray:
    """Kilograms from pounds (international avoirdupois pound)."""
    return np.asarray(lb, dtype=float) * kg_per_lb


def lb_from_kg(kg: float | np.ndarray, kg_per_lb: float = 0.45359237) -> float | np.ndarray:
    """Pounds from kilograms."""
    return np.asarray(kg, dtype=float) / kg_per_lb


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


# --- source tables ----------------------------------------------------------------------------


def _decimal_year(dates: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(dates, errors="coerce")
    return parsed.dt.year + (parsed.dt.day_of_year - 1) / 365.25


def _peak_flops(table: pd.DataFrame, precision: str, tensor_column: str) -> pd.Series:
    fp32 = pd.to_numeric(table["FP32 (single precision) performance (FLOP/s)"], errors="coerce")
    if precision == "fp32":
        return fp32
    candidates = [
        fp32,
        pd.to_numeric(table["FP16 (half precision) performance (FLOP/s)"], errors="coerce"),
        pd.to_numeric(table[tensor_column], errors="coerce"),
    ]
    return pd.concat(candidates, axis=1).max(axis=1, skipna=True)


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise FileNotFoundError(f"{path}: source file not found (set COMPLIM_SOURCES?)")
    return pd.read_csv(path, encoding="utf-8-sig")


@lru_cache(maxsize=4)
def _ppi_by_month(root: Path) -> pd.Series:
    ppi = _read_csv(root / EPOCH_DIR / PPI_FILE)
    index = pd.to_datetime(ppi["observation_date"]).dt.to_period("M")
    return pd.Series(ppi["PCU518210518210"].to_numpy(dtype=float), index=index).sort_index()


def inflation_factor(dates: pd.Series, dollar_year: int, root: Path | None = None) -> pd.Series:
    """Multiply nominal US$ at ``dates`` by this to get US$ of ``dollar_year`` (PPI ratio).

    Dates after the last PPI month use the last month (the PPI file ends 2025-06).
    """
    ppi = _ppi_by_month(root or sources_dir())
    in_year = ppi[ppi.index.year == dollar_year]
    if in_year.empty:
        raise ValueError(f"{PPI_FILE}: no PPI values for dollar_year {dollar_year}")
    months = pd.to_datetime(dates).dt.to_period("M").clip(upper=ppi.index.max())
    return float(in_year.mean()) / months.map(ppi).astype(float)


def price_observations(
    assumptions: Assumptions, root: Path | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """log10 FLOP per constant US$ for each usable price row, and the excluded rows with reasons."""
    root = root or sources_dir()
    prices = _read_csv(root / EPOCH_DIR / PRICES_FILE)
    chips = _read_csv(root / EPOCH_DIR / CHIPS_FILE).groupby("Hardware name").first()
    peak = _peak_flops(chips, assumptions.precision, "Tensor-FP16/BF16 performance (FLOP/s)")
    column = (
        "Price per chip-hour (on-demand)"
        if assumptions.price_basis == "cloud_on_demand"
        else "Price (hardware purchase)"
    )
    table = pd.DataFrame(
        {
            "row": np.arange(2, len(prices) + 2),  # 1-based CSV line
            "chip": prices["Hardware model"],
            "date": pd.to_datetime(prices["Price date"], errors="coerce"),
            "price": pd.to_numeric(prices[column], errors="coerce"),
        }
    )
    table["peak_flops"] = table["chip"].map(peak)
    table["year"] = _decimal_year(table["date"])
    reasons = _price_exclusions(table, column, assumptions)
    used = table[reasons.isna()].copy()
    used["price_real"] = used["price"] * inflation_factor(
        used["date"], assumptions.dollar_year, root
    )
    seconds = (
        3600.0
        if assumptions.price_basis == "cloud_on_demand"
        else (assumptions.amortisation_years * SECONDS_PER_YEAR)
    )
    used["y"] = np.log10(used["peak_flops"] * seconds / used["price_real"])
    excluded = pd.DataFrame(
        {
            "what": table["chip"] + " (" + PRICES_FILE + " line " + table["row"].astype(str) + ")",
            "reason": reasons,
        }
    ).dropna(subset=["reason"])
    return used.reset_index(drop=True), excluded.reset_index(drop=True)


def _price_exclusions(table: pd.DataFrame, column: str, a: Assumptions) -> pd.Series:
    reasons = pd.Series(pd.NA, index=table.index, dtype="object")
    first, last = a.fit_years
    checks = [
        (table["price"].isna() | (table["price"] <= 0), f"no '{column}'"),
        (table["date"].isna(), "no price date"),
        (table["peak_flops"].isna(), f"chip has no {a.precision} peak FLOP/s in {CHIPS_FILE}"),
        (
            (table["year"] < first) | (table["year"] >= last + 1),
            f"outside fit_years {first}-{last}",
        ),
    ]
    for mask, reason in reversed(checks):  # the first failing check wins
        reasons[mask.fillna(False)] = reason
    return reasons


def efficiency_observations(
    assumptions: Assumptions, root: Path | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """log10 peak FLOP per joule at TDP per ML accelerator (Epoch ML hardware), and exclusions."""
    root = root or sources_dir()
    chips = _read_csv(root / ML_HARDWARE_FILE)
    peak = _peak_flops(chips, assumptions.precision, "Tensor-FP16 performance (FLOP/s)")
    tdp = pd.to_numeric(chips["TDP (W)"], errors="coerce")
    year = _decimal_year(chips["Release date"])
    first, last = assumptions.fit_years
    reasons = pd.Series(pd.NA, index=chips.index, dtype="object")
    for mask, reason in reversed(
        [
            (peak.isna(), f"no {assumptions.precision} peak FLOP/s"),
            (tdp.isna() | (tdp <= 0), "no TDP"),
            (year.isna(), "no release date"),
            ((year < first) | (year >= last + 1), f"released outside {first}-{last}"),
        ]
    ):
        reasons[mask.fillna(False)] = reason
    ok = reasons.isna()
    data = pd.DataFrame(
        {"chip": chips["Name of the hardware"][ok], "year": year[ok], "y": np.log10(peak / tdp)[ok]}
    )
    excluded = pd.DataFrame({"what": chips["Name of the hardware"], "reason": reasons}).dropna()
    return data.reset_index(drop=True), excluded.reset_index(drop=True)


def carbon_intensity_pool(
    assumptions: Assumptions, root: Path | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Grid carbon intensities (gCO2e/kWh) and their sampling weights for the chosen source."""
    root = root or sources_dir()
    if assumptions.carbon_source == "fixed":
        return np.array([assumptions.fixed_g_per_kwh]), np.array([1.0])
    if assumptions.carbon_source == "mlco2_regions":
        impact = pd.to_numeric(_read_csv(root / MLCO2_IMPACT_FILE)["impact"], errors="coerce")
        values = impact.dropna().to_numpy()
        return values, np.full(len(values), 1.0 / len(values))
    path = root / WORLD_MIX_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path}: source file not found (set COMPLIM_SOURCES?)")
    countries = json.loads(path.read_text(encoding="utf-8"))
    pairs = [
        (c["carbon_intensity"], c["total_TWh"])
        for c in countries.values()
        if c.get("carbon_intensity") is not None and c.get("total_TWh")
    ]
    values, weights = (np.array(v, dtype=float) for v in zip(*pairs, strict=True))
    return values, weights / weights.sum()


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


def build_cost_model(assumptions: Assumptions, root: Path | None = None) -> CostModel:
    """Fit the price and efficiency trends and load the carbon pool for these assumptions."""
    n_draws = max(assumptions.max_draws, 1000)
    prices, price_excluded = price_observations(assumptions, root)
    efficiency, efficiency_excluded = efficiency_observations(assumptions, root)
    carbon_values, carbon_weights = carbon_intensity_pool(assumptions, root)
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


def summarise_draws(values: np.ndarray, interval: float) -> tuple[float, float, float]:
    """(median, lo, hi) of draws; quantiles are actual draws, so +inf is kept as +inf."""
    tail = (1.0 - interval) / 2.0
    lo, median, hi = np.quantile(
        np.asarray(values, dtype=float), [tail, 0.5, 1.0 - tail], method="inverted_cdf"
    )
    return float(median), float(lo), float(hi)


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
        median, lo, hi = summarise_draws(values.to_numpy(), interval)
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
    median, lo, hi = summarise_draws(
        log10_multiplier_draws(post, today_error, target_error), interval
    )
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
        from analysis.assumptions import all_targets

        out = []
        for s in self.projected_series if series is None else series:
            best = self.today.get(s)
            best = float(best) if best is not None and np.isfinite(best) else None
            out += [
                Target(s, label, error) for label, error in all_targets(self.assumptions, s, best)
            ]
        return out


def scaling_fit(
    rows: pd.DataFrame, key: str, measure: str | None = None, prior_multiplier: float = 1.0
) -> object:
    """The cached scaling fit ``key`` (see FIT_KEYS) of ``rows``.

    With ``measure`` given, a normal likelihood and default priors, the book's own fit
    (``analysis.models.book_fit``; ``rows`` must then be that measure's fit-table rows), else
    ``analysis.models.fit_scaling`` on ``rows`` (same settings, so the same posterior cache).
    """
    from analysis import models

    form, trend, likelihood = FIT_KEYS[key]
    if measure is not None and likelihood == "normal" and prior_multiplier == 1.0:
        return models.book_fit(measure, form, trend).fit
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
) -> BookInputs:
    """Load the data, fit (or load cached) the scaling models and build the cost model."""
    from analysis.assumptions import load_assumptions
    from analysis.dataset import fit_table, load_tables, primary_results
    from analysis.extrapolate import todays_best

    a = assumptions or load_assumptions()
    tables = load_tables()
    table = fit_table(tables, a.compute_measure)
    results = primary_results(tables)
    results = results[results["year"].notna() & results["error"].notna()]
    return BookInputs(
        assumptions=a,
        cost_model=build_cost_model(a),
        measure=a.compute_measure,
        rows=table.rows,
        excluded=table.excluded,
        results=results,
        today=todays_best(results, a.today_through),
        fits={key: scaling_fit(table.rows, key, a.compute_measure) for key in fit_keys},
        n_papers=len(tables.papers),
    )


# --- presentation helpers (used by the chapters) ----------------------------------------------


def format_interval(median: float, lo: float, hi: float, digits: int = 1) -> str:
    """'25.8 (24.5–28.1)'; infinite bounds print as ∞ (target never reached in those draws)."""

    def one(value: float) -> str:
        if np.isposinf(value):
            return "∞"
        if np.isneginf(value):
            return "−∞"
        return f"{round(value, digits) + 0.0:.{digits}f}"  # + 0.0 turns -0.0 into 0.0

    return f"{one(median)} ({one(lo)}–{one(hi)})"


def display_projection_table(table: pd.DataFrame) -> pd.DataFrame:
    """The projection table as readable strings (log10 values, median and interval)."""

    def interval(name: str) -> pd.Series:
        return pd.Series(
            [
                format_interval(m, lo, hi)
                for m, lo, hi in zip(
                    table[f"{name}_median"], table[f"{name}_lo"], table[f"{name}_hi"], strict=True
                )
            ],
            index=table.index,
        )

    return pd.DataFrame(
        {
            "series": table["series"],
            "target": table["target"],
            "target error": table["target_error"].round(2),
            "form": table["form"],
            "log10 multiplier vs today": interval("log10_multiplier"),
            "log10 FLOP": interval("log10_flop"),
            "log10 US$": interval("log10_usd"),
            "log10 t CO2e": interval("log10_t_co2e"),
            "log10 US$ (study's constant)": interval("log10_usd_published"),
            "log10 t CO2e (study's constant)": interval("log10_t_co2e_published"),
            "wrong-sign draws": table["n_wrong_sign"].astype(str)
            + " / "
            + table["n_draws"].astype(str),
        }
    )


def trend_figure_data(model: CostModel, years: np.ndarray | None = None) -> pd.DataFrame:
    """Observations and the fitted trends (median, 90% band) of FLOP per US$ and per joule."""
    years = np.arange(2010, 2031, 0.5) if years is None else years
    frames = []
    for panel, trend in (("FLOP per US$", model.price), ("FLOP per joule", model.efficiency)):
        frames.append(
            pd.DataFrame(
                {
                    "panel": panel,
                    "part": "observation",
                    "year": trend.data["year"],
                    "y": trend.data["y"],
                }
            )
        )
        bands = np.array([np.quantile(trend.mean_at(y), [0.05, 0.5, 0.95]) for y in years])
        frames.append(
            pd.DataFrame(
                {
                    "panel": panel,
                    "part": "trend",
                    "year": years,
                    "y": bands[:, 1],
                    "lo": bands[:, 0],
                    "hi": bands[:, 2],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def whatif_grid(inputs: BookInputs, series: str, errors: np.ndarray) -> pd.DataFrame:
    """Quantiles of compute, US$ and t CO2e over ``errors`` for one series, both forms."""
    posteriors = inputs.posteriors("polynomial", [series]) + inputs.posteriors(
        "exponential", [series]
    )
    a = inputs.assumptions
    grid = target_grid(
        posteriors, {series: errors}, inputs.cost_model, year=a.year, measure=inputs.measure
    )
    return grid.replace([np.inf, -np.inf], np.nan)


def main(argv: list[str] | None = None) -> None:
    """Print the projection table for the assumptions file (``python -m analysis.costs``)."""
    import argparse

    from analysis.assumptions import load_assumptions

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--config", default=None, help="assumptions YAML (default: config/)")
    parser.add_argument("--kind", default="mean", choices=["mean", "predictive"])
    args = parser.parse_args(argv)
    inputs = book_inputs(load_assumptions(args.config))
    a = inputs.assumptions
    posteriors = inputs.posteriors("polynomial") + inputs.posteriors("exponential")
    table = projection_table(
        posteriors,
        inputs.targets(),
        inputs.today,
        inputs.cost_model,
        year=a.year,
        measure=inputs.measure,
        kind=args.kind,
    )
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print(display_projection_table(table).to_string(index=False))


if __name__ == "__main__":
    main()


def power_of_ten_markdown(
    median: float, lo: float | None = None, hi: float | None = None, digits: int = 1
) -> object:
    """MyST markdown '10^m (10^lo–10^hi)' with superscripts, for ``{glue:md}`key:myst```."""
    from IPython.display import Markdown

    def one(value: float) -> str:
        if np.isposinf(value):
            return "∞"
        if np.isneginf(value):
            return "0"
        return f"10{{sup}}`{round(value, digits) + 0.0:.{digits}f}`"

    text = one(median)
    if lo is not None and hi is not None:
        text += f" ({one(lo)}–{one(hi)})"
    return Markdown(text)
