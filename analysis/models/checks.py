"""Model checks: PSIS-LOO on the log10(error) scale (comparable across forms) and the priors
as the model defines them (:func:`prior_table`, shown by the methods chapter).

Part of the models stage; imports vocab and data only.
"""

from __future__ import annotations

import logging
from typing import Any

import arviz as az
import numpy as np
import pandas as pd
import xarray as xr

from analysis.models import scaling
from analysis.models.fit import ScalingFit
from analysis.vocab.forms import FORMS


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


PRIOR_PARAMETERS: tuple[tuple[str, str], ...] = (
    ("intercept_local_series", "series intercept (at series' mean compute)"),
    ("slope_field", "field slope (per decade)"),
    ("slope_task_sd", "task and series slope sd"),
    ("trend_field", "field trend (per year)"),
    ("trend_task_sd", "task and series trend sd"),
    ("sigma", "residual sd per series"),
    ("nu", "Student-t degrees of freedom"),
)
"""The model's free parameters the priors table shows (a series sd has its task sd's prior)."""


def _value(parameter: Any) -> float:
    """The one value of an evaluated prior parameter (equal in every slot)."""
    values = np.unique(np.asarray(parameter.eval(), dtype=float))
    if values.size != 1:
        raise ValueError(f"prior parameter takes several values: {values}")
    return float(values[0])


def _prior_text(rv: Any, centre: Any) -> str:
    """'Normal(0, 0.5)' from a PyMC random variable, its parameters evaluated; a parameter
    computed from the data ``prior_center`` prints as 'median response'; a Gamma whose shape is
    the sd priors' shape prints its rate as shape/mean."""
    from pytensor.graph.basic import ancestors

    op = rv.owner.op
    params = op.dist_params(rv.owner)
    name = {"normal": "Normal", "halfnormal": "HalfNormal", "gamma": "Gamma"}[op.name]
    if name == "Gamma":
        shape, scale = (_value(p) for p in params)  # PyMC keeps Gamma(alpha, 1/beta)
        if shape == scaling.SD_PRIOR_SHAPE:
            return f"Gamma({shape:g}, {shape:g}/{shape * scale:g})"
        return f"Gamma({shape:g}, {1 / scale:g})"
    if name == "HalfNormal":
        params = params[1:]  # HalfNormal(loc=0, sigma)
    values = [
        "median response" if centre in set(ancestors([p])) else f"{_value(p):g}" for p in params
    ]
    return f"{name}({', '.join(values)})"


def prior_table() -> pd.DataFrame:
    """The priors of the scaling model as :func:`analysis.models.scaling.build_model` defines
    them, with each form's prior scale (:data:`analysis.models.scaling.PRIOR_SCALES`) set."""
    import pymc as pm

    rows = []
    for form in FORMS:
        prior = scaling.PRIOR_SCALES[form]
        model = scaling.build_model(1, 1, trend=True, likelihood="student")
        with model:
            pm.set_data({"prior_scale": prior.scale})
        variables = {rv.name: rv for rv in model.free_RVs}
        centre = model["prior_center"]
        for name, label in PRIOR_PARAMETERS:
            rows.append((form, label, _prior_text(variables[name], centre)))
        rows.append((form, "response unit", prior.unit))
    return pd.DataFrame(rows, columns=["form", "parameter", "prior"])


PRIOR_GRID = np.linspace(-3.0, 3.0, 25)
"""Decades of compute around a series' centre at which :func:`prior_predictive` draws."""
PRIOR_ERROR_CENTRE = 20.0
"""A typical error (%) taken as the prior centre of the intercept in :func:`prior_predictive`."""


def prior_predictive(form: str, n_draws: int = 400, seed: int = 2020) -> pd.DataFrame:
    """Error quantiles along ±3 decades of compute under the priors alone: draws from the
    scaling model itself (:func:`analysis.models.scaling.build_model`, one series of a task with
    siblings, no trend), so the check cannot drift from the model's priors."""
    import pymc as pm

    from analysis.vocab.forms import error_from_response, response

    n = PRIOR_GRID.size
    model = scaling.build_model(1, 1, trend=False, likelihood="normal")
    with model:
        pm.set_data(
            {
                "x_local": PRIOR_GRID,
                "y": np.zeros(n),
                "year_local": np.zeros(n),
                "series_index": np.zeros(n, dtype="int64"),
                "has_siblings": np.ones(1),
                "centred": np.ones(1),
                "centred_task": np.ones(1),
                "prior_center": float(response(form, PRIOR_ERROR_CENTRE)),
                "prior_scale": scaling.PRIOR_SCALES[form].scale,
            }
        )
        logger = logging.getLogger("pymc")
        level = logger.level
        logger.setLevel(logging.WARNING)  # no "Sampling: [...]" line in a chapter's output
        try:
            idata = pm.sample_prior_predictive(draws=n_draws, random_seed=seed)
        finally:
            logger.setLevel(level)
    value = np.asarray(idata.prior_predictive["obs"]).reshape(-1, n)
    error = error_from_response(form, value)
    quantiles = {"q05": 0.05, "q25": 0.25, "median": 0.5, "q75": 0.75, "q95": 0.95}
    columns = {k: np.quantile(error, q, axis=0) for k, q in quantiles.items()}
    return pd.DataFrame({"form": form, "decades_from_centre": PRIOR_GRID} | columns)
