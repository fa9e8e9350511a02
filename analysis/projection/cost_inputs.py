"""The cost model's observations, from the committed cost-input tables of ``data/``.

Prices (``data/prices.csv``: Epoch AI hardware prices with their chips' peak rates) become log10
FLOP per constant US$ via the US PPI (``data/price_index.csv``, FRED PCU518210518210); ML
accelerators (``data/accelerator_efficiency.csv``, Epoch AI ML hardware) become log10 peak FLOP
per joule at TDP; grid carbon intensities (``data/carbon_intensity.csv``: ML CO2 Impact cloud
regions, the CodeCarbon world mix) become a sampling pool. Every row left out is listed with its
reason. The tables are read through :func:`analysis.data.load_cost_inputs` (they are written by
``python -m analysis.curate`` from the raw sources, which the book never reads).

Part of the projection stage; imports vocab and data only (assumptions only as a type).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.data import CostInputs, load_cost_inputs
from analysis.vocab.measures import SECONDS_PER_YEAR

if TYPE_CHECKING:
    from analysis.projection.assumptions import Assumptions

PRICES_FILE = "Hardware prices.csv"
"""The raw price table the rows of ``data/prices.csv`` come from (named in exclusions)."""
CHIPS_FILE = "Chip dataset-Grid view.csv"
"""The raw chip table the peak rates of ``data/prices.csv`` come from."""


def _decimal_year(dates: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(dates, errors="coerce")
    return parsed.dt.year + (parsed.dt.day_of_year - 1) / 365.25


def _peak_flops(table: pd.DataFrame, precision: str) -> pd.Series:
    """FP32 peak, or for best16 the best of FP32, FP16 and tensor FP16/BF16 peaks."""
    if precision == "fp32":
        return table["peak_fp32_flops"]
    candidates = [table["peak_fp32_flops"], table["peak_fp16_flops"], table["peak_tensor_flops"]]
    return pd.concat(candidates, axis=1).max(axis=1, skipna=True)


def _line(records: pd.Series) -> pd.Series:
    """The row number N of ``row N`` (data row position plus one for the header)."""
    return records.str.removeprefix("row ").astype(int)


def ppi_by_month(inputs: CostInputs) -> pd.Series:
    """The price index by month (a PeriodIndex), sorted."""
    ppi = inputs.price_index
    index = pd.to_datetime(ppi["month"]).dt.to_period("M")
    return pd.Series(ppi["value"].to_numpy(dtype=float), index=index).sort_index()


def inflation_factor(
    dates: pd.Series, dollar_year: int, inputs: CostInputs | None = None
) -> pd.Series:
    """Multiply nominal US$ at ``dates`` by this to get US$ of ``dollar_year`` (PPI ratio).

    Dates after the last PPI month use the last month (the PPI table ends 2025-06).
    """
    ppi = ppi_by_month(inputs or load_cost_inputs())
    in_year = ppi[ppi.index.year == dollar_year]
    if in_year.empty:
        raise ValueError(f"price_index.csv: no PPI values for dollar_year {dollar_year}")
    months = pd.to_datetime(dates).dt.to_period("M").clip(upper=ppi.index.max())
    return float(in_year.mean()) / months.map(ppi).astype(float)


def price_observations(
    assumptions: Assumptions, inputs: CostInputs | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """log10 FLOP per constant US$ for each usable price row, and the excluded rows with reasons."""
    inputs = inputs or load_cost_inputs()
    prices = inputs.prices
    cloud = assumptions.price_basis == "cloud_on_demand"
    column = "Price per chip-hour (on-demand)" if cloud else "Price (hardware purchase)"
    table = pd.DataFrame(
        {
            "row": _line(prices["source_record"]).to_numpy(),  # the source's row
            "chip": prices["chip"],
            "date": pd.to_datetime(prices["price_date"], errors="coerce"),
            "price": prices["price_per_chip_hour_usd" if cloud else "purchase_price_usd"],
        }
    )
    table["peak_flops"] = _peak_flops(prices, assumptions.precision)
    table["year"] = _decimal_year(table["date"])
    reasons = _price_exclusions(table, column, assumptions)
    used = table[reasons.isna()].copy()
    used["price_real"] = used["price"] * inflation_factor(
        used["date"], assumptions.dollar_year, inputs
    )
    seconds = 3600.0 if cloud else (assumptions.amortisation_years * SECONDS_PER_YEAR)
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
    assumptions: Assumptions, inputs: CostInputs | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """log10 peak FLOP per joule at TDP per ML accelerator (Epoch ML hardware), and exclusions."""
    chips = (inputs or load_cost_inputs()).efficiency
    peak = _peak_flops(chips, assumptions.precision)
    tdp = chips["tdp_watts"]
    year = _decimal_year(chips["release_date"])
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
        {"chip": chips["chip"][ok], "year": year[ok], "y": np.log10(peak / tdp)[ok]}
    )
    excluded = pd.DataFrame({"what": chips["chip"], "reason": reasons}).dropna()
    return data.reset_index(drop=True), excluded.reset_index(drop=True)


def carbon_intensity_pool(
    assumptions: Assumptions, inputs: CostInputs | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Grid carbon intensities (gCO2e/kWh) and their sampling weights for the chosen source:
    the cloud regions equally weighted, or the countries weighted by their generation."""
    if assumptions.carbon_source == "fixed":
        return np.array([assumptions.fixed_g_per_kwh]), np.array([1.0])
    carbon = (inputs or load_cost_inputs()).carbon
    pool = carbon[carbon["pool"] == assumptions.carbon_source]
    if assumptions.carbon_source == "mlco2_regions":
        values = pool["g_co2e_per_kwh"].to_numpy(dtype=float)
        return values, np.full(len(values), 1.0 / len(values))
    weighted = pool[pool["total_twh"].notna() & (pool["total_twh"] != 0)]
    values = weighted["g_co2e_per_kwh"].to_numpy(dtype=float)
    weights = weighted["total_twh"].to_numpy(dtype=float)
    return values, weights / weights.sum()
