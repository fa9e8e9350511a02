"""Model comparison: PSIS-LOO on the log10(error) scale, comparable across forms.

Part of the models stage; imports vocab and data only.
"""

from __future__ import annotations

import arviz as az
import numpy as np
import pandas as pd
import xarray as xr

from analysis.models.fit import ScalingFit


def log10_error_loglik(fit: ScalingFit) -> xr.DataArray:
    """Pointwise log-likelihood on the log10(error) scale, comparable across forms.

    The polynomial model's response already is log10(error). The exponential model's is error,
    so its density is moved with the Jacobian: log p(log10 e) = log p(e) + log(e * ln 10).
    """
    loglik = fit.idata.log_likelihood["obs"]
    if fit.form == "polynomial":
        return loglik
    error = fit.idata.constant_data["error"]
    return loglik + np.log(error * np.log(10.0))


def task_loo(fits: dict[str, ScalingFit], task: str) -> pd.DataFrame:
    """PSIS-LOO comparison (ArviZ) of fits on the rows of one task, on the log10(error) scale.

    Only results of ``task`` present in every fit are compared (trend fits may leave out series
    with too short a span of years).
    """
    common: set[str] | None = None
    for fit in fits.values():
        ids = set(fit.rows.loc[fit.rows["task"] == task, "result_id"])
        common = ids if common is None else common & ids
    if not common:
        raise ValueError(f"no result of task {task!r} is in every fit")
    chosen = sorted(common)
    compared = {}
    for label, fit in fits.items():
        loglik = log10_error_loglik(fit).sel(result=chosen)
        compared[label] = az.InferenceData(
            posterior=fit.idata.posterior[["slope_series"]],
            log_likelihood=xr.Dataset({"obs": loglik}),
        )
    table = az.compare(compared, ic="loo")
    table.attrs["n"] = len(chosen)
    return table
