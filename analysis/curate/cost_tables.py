"""The curated cost-input tables: ``data/prices.csv``, ``data/price_index.csv``,
``data/accelerator_efficiency.csv`` and ``data/carbon_intensity.csv``, written from the raw
sources (:mod:`analysis.ingest.cost_inputs`), with their Frictionless resources and their data
dictionary. The cost model reads only these tables (:func:`analysis.data.load_cost_inputs`), so
the book builds from the repository alone.

Part of the curate stage; imports vocab, ingest and data only.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data import (
    CARBON_POOLS,
    COST_COLUMNS,
    COST_FLOAT_COLUMNS,
    COST_REQUIRED,
    load_cost_inputs,
)
from analysis.ingest import cost_inputs

_PROVENANCE_FIELDS = {
    "source": "Folder of the raw source (../shared/sources/<source>/) the row comes from.",
    "source_file": "File of the raw source, relative to the sources folder.",
    "source_record": "The row in that file: 'row N' (N: data row position + 1 for the header, "
    "the CSV line when no cell spans lines), or 'key K' for a JSON object's key.",
    "licence": "Licence of the row's source (see LICENSE-DATA.md).",
}
_PEAKS = {
    "peak_fp32_flops": "Peak FP32 throughput of the chip, FLOP/s; empty if the source gives none.",
    "peak_fp16_flops": "Peak FP16 (non-tensor) throughput, FLOP/s; empty if none.",
    "peak_tensor_flops": "Peak tensor-core FP16/BF16 throughput, FLOP/s; empty if none.",
}
FIELDS: dict[str, dict[str, str]] = {
    "prices.csv": {
        "chip": "Hardware model as Epoch AI's price table names it.",
        "manufacturer": "Chip manufacturer.",
        "vendor": "Cloud provider or retailer of the price; empty for launch prices.",
        "price_date": "Date of the price, YYYY-MM-DD; empty when the source's date is missing.",
        "price_per_chip_hour_usd": "On-demand cloud price per chip-hour, nominal US$.",
        "purchase_price_usd": "Hardware purchase price per chip, nominal US$.",
        **{
            name: f"{text} From Epoch AI's chip table (the first value given for the chip name)."
            for name, text in _PEAKS.items()
        },
        "price_source": "Where Epoch AI read the price (URL).",
        **_PROVENANCE_FIELDS,
    },
    "price_index.csv": {
        "month": "First day of the month, YYYY-MM-DD.",
        "series": "FRED series id: PCU518210518210, US producer price index for data processing, "
        "hosting and related services (Dec 2000 = 100).",
        "value": "Index value of the month.",
        **_PROVENANCE_FIELDS,
    },
    "accelerator_efficiency.csv": {
        "chip": "Accelerator as Epoch AI's ML-hardware table names it.",
        "manufacturer": "Manufacturer.",
        "type": "GPU, TPU or Other.",
        "release_date": "Release date, YYYY-MM-DD; empty when the source gives none.",
        **_PEAKS,
        "tdp_watts": "Thermal design power (board power), W; empty if none.",
        **_PROVENANCE_FIELDS,
    },
    "carbon_intensity.csv": {
        "pool": "mlco2_regions (ML CO2 Impact cloud regions, equally weighted) or world_mix "
        "(CodeCarbon's countries, weighted by their generation).",
        "region": "provider/region of a cloud region (provider/city where the source names no "
        "region), or the country's ISO-3 code.",
        "name": "Region name (else its city) or country name.",
        "country": "Country of the region.",
        "year": "Year of the country's figures (world_mix); empty for cloud regions.",
        "g_co2e_per_kwh": "Grid carbon intensity, gCO2e per kWh.",
        "total_twh": "The country's electricity generation, TWh (the world_mix weight); empty "
        "for cloud regions.",
        **_PROVENANCE_FIELDS,
    },
}
"""Column descriptions of the cost-input tables (descriptor and data dictionary)."""

TITLES = {
    "prices.csv": "Hardware prices (cloud on-demand per chip-hour and purchase) with the peak "
    "rates of their chips: the price-of-compute trend.",
    "price_index.csv": "US PPI for data processing and hosting, monthly: constant dollars.",
    "accelerator_efficiency.csv": "ML accelerators' peak rates, power and release dates: the "
    "energy-efficiency trend.",
    "carbon_intensity.csv": "Grid carbon intensities of cloud regions and countries: the "
    "carbon pools.",
}
_EPOCH = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 (Epoch AI)",
}
LICENCES: dict[str, list[dict[str, str]]] = {
    "prices.csv": [_EPOCH],
    "price_index.csv": [
        {
            "name": "public-domain",
            "path": "https://www.bls.gov/opub/copyright-information.htm",
            "title": "US public domain (Bureau of Labor Statistics data, via FRED)",
        }
    ],
    "accelerator_efficiency.csv": [_EPOCH],
    "carbon_intensity.csv": [
        {
            "name": "MIT",
            "path": "https://opensource.org/licenses/MIT",
            "title": "MIT (ML CO2 Impact repository: the cloud regions)",
        },
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 (Our World in Data / Ember via "
            "CodeCarbon: the countries)",
        },
    ],
}
SOURCES: dict[str, list[dict[str, str]]] = {
    "prices.csv": [
        {
            "title": "Epoch AI, hardware prices and chip tables (epoch-research/"
            "training-cost-trends)",
            "path": "https://github.com/epoch-research/training-cost-trends",
        }
    ],
    "price_index.csv": [
        {
            "title": "US BLS via FRED, PCU518210518210",
            "path": "https://fred.stlouisfed.org/series/PCU518210518210",
        }
    ],
    "accelerator_efficiency.csv": [
        {
            "title": "Epoch AI, Machine Learning Hardware",
            "path": "https://epoch.ai/data/machine-learning-hardware",
        }
    ],
    "carbon_intensity.csv": [
        {"title": "ML CO2 Impact (mlco2/impact)", "path": "https://github.com/mlco2/impact"},
        {
            "title": "CodeCarbon global energy mix",
            "path": "https://github.com/mlco2/codecarbon",
        },
    ],
}
KEYS: dict[str, dict[str, object]] = {
    "prices.csv": {"primaryKey": "source_record"},
    "price_index.csv": {"primaryKey": "month"},
    "accelerator_efficiency.csv": {"primaryKey": "source_record"},
    "carbon_intensity.csv": {"primaryKey": ["pool", "region"]},
}
_DAY = r"\d{4}-\d{2}-\d{2}"


def _constraints(file: str, column: str) -> dict[str, object]:
    out: dict[str, object] = {}
    if column in COST_REQUIRED[file]:
        out["required"] = True
    if column in COST_FLOAT_COLUMNS[file]:
        out["minimum"] = 0
    if column in ("price_date", "month", "release_date"):
        out["pattern"] = _DAY
    if KEYS[file]["primaryKey"] == column:
        out["unique"] = True
    if file == "carbon_intensity.csv" and column == "pool":
        out["enum"] = list(CARBON_POOLS)
    if column == "year":
        out |= {"minimum": 2000, "maximum": 2026}
    if file == "price_index.csv" and column == "series":
        out["enum"] = [cost_inputs.PPI_SERIES]
    return out


def build_cost_tables(root: Path) -> dict[str, pd.DataFrame]:
    """The four tables from the raw sources in ``root``, with the columns of
    :data:`analysis.data.COST_COLUMNS`."""
    tables = cost_inputs.read_cost_tables(root)
    for file, frame in tables.items():
        if list(frame.columns) != list(COST_COLUMNS[file]):
            raise ValueError(f"{file}: built columns {list(frame.columns)} are not the schema's")
    return tables


def write_cost_tables(tables: dict[str, pd.DataFrame], data_dir: Path) -> None:
    """Write the tables into ``data_dir`` (floats as their shortest exact text, so the cost
    model reads back the very numbers the sources gave)."""
    for file, frame in tables.items():
        frame.to_csv(Path(data_dir) / file, index=False)


def _field_type(file: str, column: str) -> str:
    """number for the values, integer for a year, string for the rest (dates as YYYY-MM-DD
    text, checked by pattern)."""
    if column in COST_FLOAT_COLUMNS[file]:
        return "number"
    return "integer" if column == "year" else "string"


def cost_resources() -> list[dict[str, object]]:
    """Frictionless resources of the four tables (types, constraints, keys, licences)."""
    resources = []
    for file, columns in COST_COLUMNS.items():
        fields = []
        for column in columns:
            constraints = _constraints(file, column)
            fields.append(
                {
                    "name": column,
                    "type": _field_type(file, column),
                    "description": FIELDS[file][column],
                    **({"constraints": constraints} if constraints else {}),
                }
            )
        resources.append(
            {
                "name": file.removesuffix(".csv"),
                "path": file,
                "description": TITLES[file],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "licenses": LICENCES[file],
                "sources": SOURCES[file],
                "schema": {"fields": fields, **KEYS[file]},
            }
        )
    return resources


DICTIONARY_INTRO = """
## Cost inputs

The projection chapters' prices, price index, accelerator efficiency and carbon intensities are
the four tables below, written by `make curate` from the raw sources and read by the cost model
(`analysis.projection.cost_inputs`, through `analysis.data.load_cost_inputs`); the book never
reads the raw sources. Every source row is kept (a price row without a price, date or chip peak
rate is left out of the trend by the cost model, which lists it with its reason), except cloud
regions without a number and countries without a carbon intensity.
"""


def cost_dictionary(data_dir: Path) -> list[str]:
    """Markdown lines of the data dictionary for the four tables (row counts from ``data_dir``)."""
    inputs = load_cost_inputs(data_dir)
    frames = {
        "prices.csv": inputs.prices,
        "price_index.csv": inputs.price_index,
        "accelerator_efficiency.csv": inputs.efficiency,
        "carbon_intensity.csv": inputs.carbon,
    }
    lines = [DICTIONARY_INTRO.strip(), ""]
    for file, frame in frames.items():
        lines += [
            f"### `{file}` ({len(frame):,} rows)",
            "",
            TITLES[file],
            "",
            "| column | type | description |",
            "|---|---|---|",
        ]
        lines += [
            f"| `{c}` | {_field_type(file, c)} | {FIELDS[file][c]} |" for c in COST_COLUMNS[file]
        ]
        lines.append("")
    return lines
