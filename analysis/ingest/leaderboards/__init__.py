"""Readers for the leaderboard sources (results only, no compute).

* Papers with Code evaluation tables, 2020-08-28 dump (``pwc-2020-evaluation-tables``);
* the official SQuAD leaderboard scrape and NLP-progress 2020 JSON
  (``sota-extractor-leaderboards``);
* "WER are we?" README tables (``wer-are-we``);
* NLP-progress pages as of 2024-06 (``nlp-progress-2024``);
* the hand-read results in ``data/manual/results.csv``.

Each reader returns ``(records, excluded)``: tidy records in the shared record format (see
:data:`analysis.ingest._common.RECORD_COLUMNS`) and a table of raw rows that were not kept,
each with a reason.

Part of the ingest stage; imports vocab only.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.ingest.leaderboards._common import MANUAL_RESULTS_FILE
from analysis.ingest.leaderboards.manual import read_manual_results
from analysis.ingest.leaderboards.markdown import read_nlp_progress_2024, read_wer_are_we
from analysis.ingest.leaderboards.sota_extractor import (
    read_nlp_progress_2020,
    read_pwc,
    read_squad_leaderboard,
)

LEADERBOARD_READERS = (
    read_pwc,
    read_squad_leaderboard,
    read_nlp_progress_2020,
    read_wer_are_we,
    read_nlp_progress_2024,
)


def read_leaderboards(sources_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All leaderboard records (and hand-read results) and exclusions, in reader order."""
    parts = [reader(sources_dir) for reader in LEADERBOARD_READERS]
    parts.append(read_manual_results(MANUAL_RESULTS_FILE))
    records = pd.concat([p[0] for p in parts], ignore_index=True)
    excluded = pd.concat([p[1] for p in parts], ignore_index=True)
    return records, excluded
