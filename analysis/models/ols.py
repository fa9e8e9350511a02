"""The study's frequentist fits: OLS per benchmark series, with and without a time trend."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.vocab.forms import Form, response


def _ols(design: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Coefficients, standard errors and R² of y on design (design includes the constant)."""
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    dof = len(y) - design.shape[1]
    sigma2 = float(resid @ resid) / dof
    cov = sigma2 * np.linalg.inv(design.T @ design)
    r2 = 1.0 - float(resid @ resid) / float(((y - y.mean()) ** 2).sum())
    return coef, np.sqrt(np.diag(cov)), r2


def ols_per_series(rows: pd.DataFrame, form: Form, year0: float = 2017.0) -> pd.DataFrame:
    """Per series: slope, SE, R² and N of response on log10 compute; with a year term, the
    extra R² from adding it (the study's "time trend explains a further x%")."""
    records = []
    for (task, series), group in rows.groupby(["task", "series"], sort=True):
        y = response(form, group["error"].to_numpy(float))
        x = group["log10_compute"].to_numpy(float)
        year = group["year"].to_numpy(float) - year0
        n = len(y)
        record = {"task": task, "series": series, "n": n}
        if n < 3 or np.ptp(x) == 0:
            records.append(record)
            continue
        coef, se, r2 = _ols(np.column_stack([np.ones(n), x]), y)
        record.update(slope=coef[1], slope_se=se[1], r2=r2)
        if n >= 4 and np.ptp(year) > 0:
            coef_t, se_t, r2_t = _ols(np.column_stack([np.ones(n), x, year]), y)
            record.update(
                slope_with_trend=coef_t[1],
                slope_with_trend_se=se_t[1],
                trend=coef_t[2],
                trend_se=se_t[2],
                r2_with_trend=r2_t,
                extra_r2_from_trend=r2_t - r2,
            )
        records.append(record)
    return pd.DataFrame.from_records(records)
