"""The two functional forms linking error to training compute, defined once.

``x`` is log10 of training compute in FLOP, ``x0`` the centring constant of a fit.

* polynomial:  log10(error) = intercept + slope * (x - x0)
  (compute proportional to error ** (1 / slope); slope < 0)
* exponential: error = intercept + slope * (x - x0)
  (error falls linearly in log compute, so compute grows exponentially as error falls)
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

Form = Literal["polynomial", "exponential"]
FORMS: tuple[Form, ...] = ("polynomial", "exponential")


def response(form: Form, error: ArrayLike) -> np.ndarray:
    """The modelled response for an error: log10(error) or error itself."""
    error = np.asarray(error, dtype=float)
    if form == "polynomial":
        return np.log10(error)
    if form == "exponential":
        return error
    raise ValueError(f"unknown functional form {form!r}; expected one of {FORMS}")


def error_from_response(form: Form, value: ArrayLike) -> np.ndarray:
    """Inverse of :func:`response`."""
    value = np.asarray(value, dtype=float)
    if form == "polynomial":
        return 10.0**value
    if form == "exponential":
        return value
    raise ValueError(f"unknown functional form {form!r}; expected one of {FORMS}")


def mean_response(
    form: Form, intercept: ArrayLike, slope: ArrayLike, x: ArrayLike, x0: float
) -> np.ndarray:
    """Expected response at log10 compute ``x`` (form only checked for validity)."""
    if form not in FORMS:
        raise ValueError(f"unknown functional form {form!r}; expected one of {FORMS}")
    return np.asarray(intercept) + np.asarray(slope) * (np.asarray(x) - x0)


def log10_compute_for(
    form: Form, intercept: ArrayLike, slope: ArrayLike, target_error: ArrayLike, x0: float
) -> np.ndarray:
    """log10 compute at which the mean response reaches ``target_error``."""
    target = response(form, target_error)
    return x0 + (target - np.asarray(intercept)) / np.asarray(slope)
