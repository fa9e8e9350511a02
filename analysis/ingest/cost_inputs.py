"""Readers of the cost inputs in the raw sources: hardware prices and chips (Epoch AI), the US PPI
for data processing and hosting (FRED PCU518210518210), ML-accelerator efficiency (Epoch AI ML
hardware) and grid carbon intensity (ML CO2 Impact regions, the CodeCarbon world mix).

Part of the ingest stage; imports vocab only (assumptions only as a type).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.paths import sources_dir
from analysis.vocab.measures import SECONDS_PER_YEAR

if TYPE_CHECKING:
    from analysis.projection.assumptions import Assumptions

EPOCH_DIR = "epoch-ai-models"
PRICES_FILE = "Hardware prices.csv"
CHIPS_FILE = "Chip dataset-Grid view.csv"
PPI_FILE = "PCU518210518210.csv"
ML_HARDWARE_FILE = Path("epoch-ml-hardware") / "Chip dataset-ML Hardware.csv"
MLCO2_IMPACT_FILE = Path("mlco2-impact") / "impact.csv"
WORLD_MIX_FILE = Path("codecarbon-energy-mix") / "global_energy_mix.json"

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
