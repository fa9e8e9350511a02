"""The ingest stage: raw public sources to tidy records (nothing here writes ``data/``).

:mod:`~analysis.ingest.leaderboards` (results), :mod:`~analysis.ingest.compute` (compute facts,
one reader per source), :mod:`~analysis.ingest.hardware` (the chip table),
:mod:`~analysis.ingest.paper_dates` (date precedence) and :mod:`~analysis.ingest.cost_inputs`
(prices, PPI, accelerator efficiency, carbon intensity), sharing
:mod:`~analysis.ingest._common` (the record format and parsing helpers).

May import: :mod:`analysis.vocab` and :mod:`analysis.paths`.
"""
