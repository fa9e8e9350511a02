"""The book stage: what the chapters call, and the only place that glues numbers.

:mod:`~analysis.book.glue` (the
chapter preamble and glue helpers), :mod:`~analysis.book.formats` (interval and number
formatting), :mod:`~analysis.book.charts`, :mod:`~analysis.book.figures`,
:mod:`~analysis.book.theme`, :mod:`~analysis.book.labels` and one page module per chapter in
:mod:`analysis.book.pages`.

May import: every stage below it (vocab, ingest, data, curate, models, projection, checks).
"""
