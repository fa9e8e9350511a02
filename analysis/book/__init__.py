"""The book stage: what the chapters call, and the only place that glues numbers.

:mod:`~analysis.book.context` (the one per-process context: tables, fit tables, fits and
projection inputs), :mod:`~analysis.book.glue` (the chapter preamble and the glue helper),
:mod:`~analysis.book.formats` (projection tables and powers of ten for prose; intervals come
from :mod:`analysis.intervals`), :mod:`~analysis.book.charts`, :mod:`~analysis.book.figures`,
:mod:`~analysis.book.citation`, :mod:`~analysis.book.theme`, :mod:`~analysis.book.labels` and
one page module per chapter in :mod:`analysis.book.pages`: a chapter's code cell calls
``analysis.book.pages.<chapter>.publish()`` (the task, methods and cross-task chapters call
:mod:`analysis.book.pages.tasks`).

May import: every stage below it (vocab, ingest, data, curate, models, projection, checks).
"""
