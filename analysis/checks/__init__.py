"""The checks stage: does the analysis hold up?

:mod:`~analysis.checks.backtest` (fit on the past, score the later results),
:mod:`~analysis.checks.sensitivity` (what each assumption and modelling choice moves) and
:mod:`~analysis.checks.reproduction` (each claim of the study beside ours).

May import: every stage below it (vocab, ingest, data, curate, models, projection) and
:mod:`analysis.paths`.
"""
