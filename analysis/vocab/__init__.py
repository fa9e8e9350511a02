"""The vocab stage: the fixed vocabulary every other stage speaks.

:mod:`~analysis.vocab.tasks` (tasks, benchmarks, metrics, ``error_of``),
:mod:`~analysis.vocab.measures` (the one tuple of compute measures, training-set sizes, unit
conversions), :mod:`~analysis.vocab.forms` (the two functional forms) and
:mod:`~analysis.vocab.series` (named benchmark series the chapters and checks refer to).

May import: nothing from the package.
"""
