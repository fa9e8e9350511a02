"""Convergence diagnostics and the gate every reported fit must pass.

Gate: R-hat <= 1.01 and bulk ESS >= 400 for every reported parameter, and no divergent transition.
A fit that fails raises :class:`DiagnosticsError`, which fails the build and the tests.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import arviz as az
import numpy as np
import pandas as pd

MAX_RHAT = 1.01
MIN_ESS_BULK = 400.0


class DiagnosticsError(RuntimeError):
    """A posterior failed the diagnostics gate."""


def parameter_diagnostics(idata: az.InferenceData, var_names: Sequence[str]) -> pd.DataFrame:
    """R-hat, bulk and tail ESS of every element of ``var_names`` (one row per scalar)."""
    summary = az.summary(
        idata,
        var_names=list(var_names),
        kind="diagnostics",
        round_to="none",
    )
    table = summary.loc[:, ["r_hat", "ess_bulk", "ess_tail"]].copy()
    table.index.name = "parameter"
    return table.reset_index()


def divergences(idata: az.InferenceData) -> int:
    """Number of divergent transitions after tuning."""
    return int(np.asarray(idata.sample_stats["diverging"]).sum())


def fit_diagnostics(idata: az.InferenceData, var_names: Sequence[str], label: str) -> pd.DataFrame:
    """A one-row summary of a fit: worst R-hat, smallest ESS, divergences and whether it passes.

    A parameter whose draws are not finite (R-hat or ESS undefined) counts as the worst: R-hat
    infinite, ESS zero, so such a fit fails the gate instead of raising."""
    table = parameter_diagnostics(idata, var_names)
    table["r_hat"] = table["r_hat"].astype(float).fillna(np.inf)
    table["ess_bulk"] = table["ess_bulk"].astype(float).fillna(0.0)
    table["ess_tail"] = table["ess_tail"].astype(float).fillna(0.0)
    worst_rhat = table.loc[table["r_hat"].idxmax()]
    smallest_ess = table.loc[table["ess_bulk"].idxmin()]
    n_div = divergences(idata)
    passed = (
        bool(table["r_hat"].le(MAX_RHAT).all())
        and bool(table["ess_bulk"].ge(MIN_ESS_BULK).all())
        and n_div == 0
    )
    return pd.DataFrame(
        {
            "fit": [label],
            "parameters": [len(table)],
            "max_rhat": [float(worst_rhat["r_hat"])],
            "worst_rhat_parameter": [worst_rhat["parameter"]],
            "min_ess_bulk": [float(smallest_ess["ess_bulk"])],
            "min_ess_parameter": [smallest_ess["parameter"]],
            "min_ess_tail": [float(table["ess_tail"].min())],
            "divergences": [n_div],
            "chains": [int(idata.posterior.sizes["chain"])],
            "draws": [int(idata.posterior.sizes["draw"])],
            "passed": [passed],
        }
    )


def check_gate(diagnostics: pd.DataFrame) -> None:
    """Raise :class:`DiagnosticsError` naming every fit in ``diagnostics`` that fails the gate."""
    failed = diagnostics.loc[~diagnostics["passed"].astype(bool)]
    if failed.empty:
        return
    lines = [
        f"{row.fit}: max R-hat {row.max_rhat:.3f} ({row.worst_rhat_parameter}), "
        f"min bulk ESS {row.min_ess_bulk:.0f} ({row.min_ess_parameter}), "
        f"{row.divergences} divergences"
        for row in failed.itertuples()
    ]
    raise DiagnosticsError(
        f"fit failed the diagnostics gate (R-hat <= {MAX_RHAT}, bulk ESS >= {MIN_ESS_BULK:.0f}, "
        "no divergences):\n" + "\n".join(lines)
    )


def stored_fit_diagnostics(
    idata: az.InferenceData, var_names: Sequence[str], label: str
) -> pd.DataFrame:
    """:func:`fit_diagnostics`, computed once and kept in the posterior's attributes, so a
    posterior cached after sampling carries its diagnostics and loading it does not recompute
    them (about 0.5 s a frontier posterior)."""
    stored = idata.posterior.attrs.get("diagnostics")
    if stored is None:
        table = fit_diagnostics(idata, var_names, label)
        idata.posterior.attrs["diagnostics"] = table.drop(columns="fit").to_json(orient="records")
        return table
    record = json.loads(stored)[0]
    return pd.DataFrame([{"fit": label, **record}])
