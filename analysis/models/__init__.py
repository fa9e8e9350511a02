"""The models stage: Bayesian hierarchical scaling models of error against training compute.

:mod:`~analysis.models.scaling` holds the PyMC model and its design (the source hashed into
every posterior cache key), :mod:`~analysis.models.fit` compiles, samples and checks a fit,
:mod:`~analysis.models.measurement` is the measurement-error model,
:mod:`~analysis.models.diagnostics` the gate every fit must pass, :mod:`~analysis.models.checks`
model comparison, :mod:`~analysis.models.cache` the posterior cache and
:mod:`~analysis.models.ols` the study's per-series least squares. This module re-exports the
public names so that ``from analysis import models; models.fit_scaling(...)`` reads as before.

May import: :mod:`analysis.vocab`, :mod:`analysis.data` and :mod:`analysis.paths`.
"""

from analysis.models.checks import log10_error_loglik, task_loo
from analysis.models.fit import (
    BOOK_MEASURES,
    DEFAULT_SETTINGS,
    LOW_RANK_SETTINGS,
    MIN_SERIES_ROWS,
    MIN_SERIES_SPAN,
    MIN_YEAR_SPAN,
    STRICT_SETTINGS,
    BookFit,
    SamplerSettings,
    ScalingFit,
    book_fit_specs,
    compiled_model,
    eligible_rows,
    fit_book,
    fit_label,
    fit_scaling,
    reported_parameters,
)
from analysis.models.measurement import (
    REFERENCE_MEASURE,
    calibrated_observations,
    fit_measurement_error,
    measure_offsets,
    provisional_compute,
)
from analysis.models.scaling import (
    LATENT_PRIOR,
    LIKELIHOODS,
    PRIOR_SCALES,
    SD_PRIOR_SHAPE,
    Design,
    Likelihood,
    PriorScale,
    build_measurement_model,
    build_model,
    make_design,
    model_source,
    slot_sizes,
    validate_rows,
)

__all__ = [
    "BOOK_MEASURES",
    "DEFAULT_SETTINGS",
    "LATENT_PRIOR",
    "LIKELIHOODS",
    "LOW_RANK_SETTINGS",
    "MIN_SERIES_ROWS",
    "MIN_SERIES_SPAN",
    "MIN_YEAR_SPAN",
    "PRIOR_SCALES",
    "REFERENCE_MEASURE",
    "SD_PRIOR_SHAPE",
    "STRICT_SETTINGS",
    "BookFit",
    "Design",
    "Likelihood",
    "PriorScale",
    "SamplerSettings",
    "ScalingFit",
    "book_fit_specs",
    "build_measurement_model",
    "build_model",
    "calibrated_observations",
    "compiled_model",
    "eligible_rows",
    "fit_book",
    "fit_label",
    "fit_measurement_error",
    "fit_scaling",
    "log10_error_loglik",
    "make_design",
    "measure_offsets",
    "model_source",
    "provisional_compute",
    "reported_parameters",
    "slot_sizes",
    "task_loo",
    "validate_rows",
]
