"""The projection stage: from posteriors to compute, dollars and CO2 at a target error.

:mod:`~analysis.projection.extrapolate` (compute needed per posterior draw, today's best),
:mod:`~analysis.projection.costs` (the cost model and the study's "as published" scenario),
:mod:`~analysis.projection.trends` (exact Bayesian linear trends) and
:mod:`~analysis.projection.assumptions` (``config/assumptions.yaml``, validated).

May import: :mod:`analysis.vocab`, :mod:`analysis.ingest`, :mod:`analysis.data`,
:mod:`analysis.models` and :mod:`analysis.paths`.
"""
