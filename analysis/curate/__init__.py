"""The curate stage: raw-source records to the published tables in ``data/``.

``python -m analysis.curate`` runs :func:`analysis.curate.pipeline.curate` and writes the
tables, reports, ``references.bib``, the descriptor and the data dictionary. Modules, in the
order the pipeline uses them: :mod:`~analysis.curate.identity` (paper ids),
:mod:`~analysis.curate.results` (one row per result), :mod:`~analysis.curate.matching`
(compute attached to results), :mod:`~analysis.curate.pipeline` (the steps in order),
:mod:`~analysis.curate.publish` (reports, descriptor, data dictionary),
:mod:`~analysis.curate.bibliography` and :mod:`~analysis.curate.datapackage_check`.

May import: :mod:`analysis.vocab`, :mod:`analysis.ingest`, :mod:`analysis.data` (the schema and
the reader, to validate what it wrote) and :mod:`analysis.paths`.
"""
