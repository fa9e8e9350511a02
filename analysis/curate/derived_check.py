"""Derived compute rows still equal what their ingredients give (``--check``).

A row of ``compute.csv`` with ``derived_from`` holds a value computed from other rows of the
table: ``hardware_burden`` (chips x peak FLOP/s x hours) and ``network_operations`` (epochs x
FLOPs per pass x examples x 3) from its ingredient rows and the chip's peak in
``hardware.csv``; an ``architecture`` copy of FLOPs per pass equals the row it copies. When
someone edits an ingredient by hand (a ``chip_count``, a ``training_hours``, a chip's peak) or
the derived value itself, the table no longer agrees with itself and the fits would use a value
nothing supports. :func:`check_derived` recomputes every derived value with the project's own
derivation (:func:`analysis.vocab.measures.derive_measures`, on records rebuilt from the
ingredient rows exactly as :func:`analysis.curate.matching.build_compute` splits them) and
reports each row that differs, naming the file, its physical line, the column ``value`` and the
value found, with the value expected.

Part of the curate stage; imports vocab and data only.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.schema import DataValidationError, line_of
from analysis.vocab.measures import DERIVED_MEASURES, derive_measures

RELATIVE_TOLERANCE = 1e-8
"""``compute.csv`` stores ten significant digits: a recomputed value within this relative
difference is the same value."""
INGREDIENTS = ("chip_count", "training_hours", "flops_per_pass", "epochs", "training_examples")
"""Quantities a derived measure is computed from (see :func:`derive_measures`)."""


class StaleDerivedError(ValueError):
    """Derived compute rows that their ingredients no longer give; one line per row."""

    def __init__(self, errors: list[DataValidationError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def _records(derived: pd.DataFrame, by_id: pd.DataFrame) -> pd.DataFrame:
    """One record per derived row, with the ingredients its ``derived_from`` names."""
    rows = []
    for row in derived.itertuples():
        record: dict[str, object] = {q: np.nan for q in INGREDIENTS}
        record.update(
            chip=row.chip,
            benchmark=row.benchmark,
            training_flops=np.nan,
            training_flops_method=None,
        )
        for ingredient in str(row.derived_from).split(";"):
            parent = by_id.loc[ingredient]
            record[parent["quantity"]] = parent["value"]
            if parent["quantity"] == "chip_count" and isinstance(parent["chip"], str):
                record["chip"] = parent["chip"]
        rows.append(record)
    return pd.DataFrame(rows, index=derived.index)


def stale_rows(
    compute: pd.DataFrame, hardware: pd.DataFrame, file: str = "compute.csv"
) -> list[DataValidationError]:
    """Every derived row of ``compute`` (validated, as :func:`analysis.data.load_tables` gives
    it) whose value differs from what its ingredients give, in table order."""
    has_parents = compute["derived_from"].notna()
    by_id = compute.set_index("compute_id")
    problems: list[tuple[int, DataValidationError]] = []

    measured = compute[has_parents & compute["method"].isin(DERIVED_MEASURES)]
    if len(measured):
        measures = derive_measures(_records(measured, by_id), hardware)
        for index, row in measured.iterrows():
            expected = float(measures.at[index, row["method"]])
            if math.isnan(expected):
                why = measures.at[index, "missing"] or "an ingredient is missing"
                problem = f"{row['method']} cannot be derived from {row['derived_from']}: {why}"
            elif _same(expected, row["value"]):
                continue
            else:
                problem = (
                    f"stale {row['method']}: its ingredients ({row['derived_from']}) give "
                    f"{expected:.10g}, the row holds {row['value']:.10g}"
                )
            problems.append((index, _error(file, index, row["value"], problem)))

    copies = compute[has_parents & ~compute["method"].isin(DERIVED_MEASURES)]
    for index, row in copies.iterrows():
        parent = by_id.loc[row["derived_from"]]
        if parent["quantity"] == row["quantity"] and _same(parent["value"], row["value"]):
            continue
        problem = (
            f"stale copy: its ingredient {row['derived_from']} holds {parent['quantity']} "
            f"{parent['value']:.10g}, the row holds {row['quantity']} {row['value']:.10g}"
        )
        problems.append((index, _error(file, index, row["value"], problem)))
    return [error for _, error in sorted(problems, key=lambda pair: pair[0])]


def _same(expected: float, found: float) -> bool:
    return math.isclose(expected, found, rel_tol=RELATIVE_TOLERANCE, abs_tol=0.0)


def _error(file: str, index: object, value: float, problem: str) -> DataValidationError:
    return DataValidationError(file, line_of(index, "compute.csv"), "value", value, problem)


def check_derived(compute: pd.DataFrame, hardware: pd.DataFrame, path: Path | str) -> None:
    """Raise :class:`StaleDerivedError` listing every stale derived row of ``compute``
    (``path``: how the file is named in the errors)."""
    problems = stale_rows(compute, hardware, str(path))
    if problems:
        raise StaleDerivedError(problems)
