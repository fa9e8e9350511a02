"""The site stage: building, checking and timing the book, not science.

:mod:`~analysis.site.sphinx_ext` (the Sphinx extension: chapter inputs, figures, version),
:mod:`~analysis.site.linkcheck`, :mod:`~analysis.site.prose_check` (hand-typed numbers),
:mod:`~analysis.site.bench_fits` (``make bench``) and
:mod:`~analysis.site.bench_build` (``make bench-build``).

May import: anything in the package.
"""
