"""Readers of the cost inputs in the raw sources, as tidy tables for the curation: hardware
prices with the peak rates of their chips (Epoch AI), the US PPI for data processing and hosting
(FRED PCU518210518210), ML-accelerator peak rates and power (Epoch AI ML hardware) and grid
carbon intensity (ML CO2 Impact cloud regions, the CodeCarbon world mix).

Only ``python -m analysis.curate`` calls these: it writes ``data/prices.csv``,
``data/price_index.csv``, ``data/accelerator_efficiency.csv`` and ``data/carbon_intensity.csv``,
and the cost model (:mod:`analysis.projection.cost_inputs`) reads those committed tables, never
the raw files. Every row keeps its source, source file, record and licence. Values are kept as the
sources give them (parsed exactly as the cost model parsed the raw files before), dates as
YYYY-MM-DD (empty where the source's date does not parse).

Part of the ingest stage; imports vocab and paths only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

EPOCH_DIR = "epoch-ai-models"
PRICES_FILE = "Hardware prices.csv"
CHIPS_FILE = "Chip dataset-Grid view.csv"
PPI_FILE = "PCU518210518210.csv"
PPI_SERIES = "PCU518210518210"
ML_HARDWARE_FILE = Path("epoch-ml-hardware") / "Chip dataset-ML Hardware.csv"
MLCO2_IMPACT_FILE = Path("mlco2-impact") / "impact.csv"
WORLD_MIX_FILE = Path("codecarbon-energy-mix") / "global_energy_mix.json"

EPOCH_LICENCE = "CC BY 4.0 (Epoch AI)"
PPI_LICENCE = "public domain (US Bureau of Labor Statistics, via FRED)"
MLCO2_LICENCE = "MIT (mlco2/impact; values compiled from EPA eGRID, Electricity Map and others)"
WORLD_MIX_LICENCE = "CC BY 4.0 (Our World in Data / Ember, via CodeCarbon, MIT)"

CHIP_PEAK_COLUMNS = {
    "peak_fp32_flops": "FP32 (single precision) performance (FLOP/s)",
    "peak_fp16_flops": "FP16 (half precision) performance (FLOP/s)",
    "peak_tensor_flops": "Tensor-FP16/BF16 performance (FLOP/s)",
}
"""Peak-rate columns of Epoch AI's chip table, by their name in ``prices.csv``."""
ML_PEAK_COLUMNS = {
    "peak_fp32_flops": "FP32 (single precision) performance (FLOP/s)",
    "peak_fp16_flops": "FP16 (half precision) performance (FLOP/s)",
    "peak_tensor_flops": "Tensor-FP16 performance (FLOP/s)",
}
"""Peak-rate columns of Epoch AI's ML-hardware table, by their name in
``accelerator_efficiency.csv``."""


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise FileNotFoundError(f"{path}: source file not found (set COMPLIM_SOURCES?)")
    return pd.read_csv(path, encoding="utf-8-sig")


def _iso_dates(dates: pd.Series) -> pd.Series:
    """YYYY-MM-DD of every date that parses (as the cost model parsed them), else empty."""
    parsed = pd.to_datetime(dates, errors="coerce")
    return parsed.dt.strftime("%Y-%m-%d").where(parsed.notna(), None).astype(object)


def _numbers(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column, errors="coerce").astype(float)


def _text(column: pd.Series) -> pd.Series:
    return column.astype(object).where(column.notna(), None)


def _rows(frame: pd.DataFrame) -> pd.Series:
    """``row N``: N is the data row's position plus one for the header (the CSV line when no
    cell spans lines), the convention of the other readers."""
    return pd.Series([f"row {i + 2}" for i in range(len(frame))], index=frame.index, dtype=object)


def read_prices(root: Path) -> pd.DataFrame:
    """One row per row of Epoch AI's hardware-price table, with the peak rates of its chip
    from Epoch AI's chip table (the first value given for that chip name, per column)."""
    prices = _read_csv(root / EPOCH_DIR / PRICES_FILE)
    chips = _read_csv(root / EPOCH_DIR / CHIPS_FILE).groupby("Hardware name").first()
    chip = prices["Hardware model"]
    table = pd.DataFrame(
        {
            "chip": _text(chip),
            "manufacturer": _text(prices["Manufacturer"]),
            "vendor": _text(prices["Vendor"]),
            "price_date": _iso_dates(prices["Price date"]),
            "price_per_chip_hour_usd": _numbers(prices["Price per chip-hour (on-demand)"]),
            "purchase_price_usd": _numbers(prices["Price (hardware purchase)"]),
        }
    )
    for name, column in CHIP_PEAK_COLUMNS.items():
        table[name] = chip.map(pd.to_numeric(chips[column], errors="coerce")).astype(float)
    return table.assign(
        price_source=_text(prices["Price source"]),
        source=EPOCH_DIR,
        source_file=f"{EPOCH_DIR}/{PRICES_FILE}",
        source_record=_rows(prices),
        licence=EPOCH_LICENCE,
    )


def read_price_index(root: Path) -> pd.DataFrame:
    """The monthly US PPI for data processing, hosting and related services (Dec 2000 = 100)."""
    ppi = _read_csv(root / EPOCH_DIR / PPI_FILE)
    return pd.DataFrame(
        {
            "month": _iso_dates(ppi["observation_date"]),
            "series": PPI_SERIES,
            "value": ppi[PPI_SERIES].to_numpy(dtype=float),
            "source": EPOCH_DIR,
            "source_file": f"{EPOCH_DIR}/{PPI_FILE}",
            "source_record": _rows(ppi).to_numpy(),
            "licence": PPI_LICENCE,
        }
    )


def read_accelerators(root: Path) -> pd.DataFrame:
    """One row per accelerator of Epoch AI's ML-hardware table: peak rates, TDP, release date."""
    chips = _read_csv(root / ML_HARDWARE_FILE)
    table = pd.DataFrame(
        {
            "chip": _text(chips["Name of the hardware"]),
            "manufacturer": _text(chips["Manufacturer"]),
            "type": _text(chips["Type"]),
            "release_date": _iso_dates(chips["Release date"]),
        }
    )
    for name, column in ML_PEAK_COLUMNS.items():
        table[name] = _numbers(chips[column])
    return table.assign(
        tdp_watts=_numbers(chips["TDP (W)"]),
        source=ML_HARDWARE_FILE.parts[0],
        source_file=ML_HARDWARE_FILE.as_posix(),
        source_record=_rows(chips),
        licence=EPOCH_LICENCE,
    )


def read_carbon_intensity(root: Path) -> pd.DataFrame:
    """Grid carbon intensities: the ML CO2 Impact cloud regions with a number, in file order,
    then the CodeCarbon countries with one, in file order (with their generation, the world
    mix's weight)."""
    impact = _read_csv(root / MLCO2_IMPACT_FILE)
    value = pd.to_numeric(impact["impact"], errors="coerce")
    keep = value.notna()
    place = impact["region"].fillna(impact["regionName"]).fillna(impact["city"])  # scaleway Paris
    regions = pd.DataFrame(
        {
            "pool": "mlco2_regions",
            "region": (impact["provider"].astype(str) + "/" + place.astype(str))[keep],
            "name": _text(impact["regionName"].fillna(impact["city"]))[keep],
            "country": _text(impact["country"])[keep],
            "year": None,
            "g_co2e_per_kwh": value[keep].astype(float),
            "total_twh": float("nan"),
            "source": MLCO2_IMPACT_FILE.parts[0],
            "source_file": MLCO2_IMPACT_FILE.as_posix(),
            "source_record": _rows(impact)[keep],
            "licence": MLCO2_LICENCE,
        }
    )
    path = root / WORLD_MIX_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path}: source file not found (set COMPLIM_SOURCES?)")
    countries = json.loads(path.read_text(encoding="utf-8"))
    mix = pd.DataFrame.from_records(
        [
            {
                "pool": "world_mix",
                "region": code,
                "name": c.get("country_name"),
                "country": c.get("country_name"),
                "year": None if c.get("year") is None else str(int(c["year"])),
                "g_co2e_per_kwh": float(c["carbon_intensity"]),
                "total_twh": float("nan") if c.get("total_TWh") is None else float(c["total_TWh"]),
                "source": WORLD_MIX_FILE.parts[0],
                "source_file": WORLD_MIX_FILE.as_posix(),
                "source_record": f"key {code}",
                "licence": WORLD_MIX_LICENCE,
            }
            for code, c in countries.items()
            if c.get("carbon_intensity") is not None
        ]
    )
    return pd.concat([regions, mix], ignore_index=True)


def read_cost_tables(root: Path) -> dict[str, pd.DataFrame]:
    """The four cost-input tables by their file name in ``data/``."""
    return {
        "prices.csv": read_prices(root),
        "price_index.csv": read_price_index(root),
        "accelerator_efficiency.csv": read_accelerators(root),
        "carbon_intensity.csv": read_carbon_intensity(root),
    }
