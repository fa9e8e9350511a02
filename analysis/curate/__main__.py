"""Build the curated dataset in ``data/`` from the raw public sources.

Run ``.venv/bin/python -m analysis.curate`` to rebuild every table, report and ``references.bib``;
``--check`` only validates what is committed: the hand-edited files, the tables
(:func:`analysis.data.load_tables` and the data package), that every row of the tables about
results still matches a result (:func:`analysis.curate.manual_check.unmatched_rows`) and that
every derived compute row still equals what its ingredients give
(:func:`analysis.curate.derived_check.check_derived`). The hand-edited files in
``data/manual/`` are validated first
(:func:`analysis.curate.manual_check.validate_manual`); every error is printed as one line
naming the file, line, column and value, without a traceback unless ``--debug``. The outputs
are built and validated in a staging directory and replace ``data/`` and ``references.bib``
only when all of them are valid (:mod:`analysis.curate.staging`): on failure nothing changes.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from analysis.curate.datapackage_check import validate_datapackage
from analysis.curate.derived_check import check_derived
from analysis.curate.identity import log
from analysis.curate.manual_check import (
    MANUAL_DIR,
    ManualInputError,
    check_unmatched,
    display_name,
    validate_manual,
)
from analysis.curate.pipeline import curate
from analysis.curate.staging import publish
from analysis.data import DataValidationError, load_cost_inputs, load_tables
from analysis.paths import DATA_DIR, sources_dir


def main(argv: list[str] | None = None) -> int:
    """Command line: rebuild (default) or ``--check`` the committed tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only validate data/ and exit")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        return _run(args)
    except (DataValidationError, ManualInputError, ValueError) as exc:
        if args.debug:
            raise
        for line in str(exc).splitlines():
            log.error("error: %s", line)
        return 1
    except Exception as exc:  # an unexpected error: one line without --debug, never a traceback
        if args.debug:
            raise
        log.error("error: %s: %s (run with --debug for the traceback)", type(exc).__name__, exc)
        return 1


def _run(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    if not args.check:
        validate_manual(MANUAL_DIR, check_papers=False)  # papers are checked once curated
        result = curate(sources_dir())
        replaced = publish(result, args.data_dir)
        log.info(
            "wrote %d papers, %d results, %d compute rows, %d chips; %d file(s) changed (%.1f s)",
            len(result.papers), len(result.results), len(result.compute), len(result.hardware),
            len(replaced), time.perf_counter() - start,
        )  # fmt: skip
        return 0
    texts = validate_manual(args.data_dir / "manual")
    tables = load_tables(args.data_dir)
    load_cost_inputs(args.data_dir)
    validate_datapackage(args.data_dir)
    check_unmatched(args.data_dir / "results.csv", texts, args.data_dir / "manual")
    check_derived(tables.compute, tables.hardware, display_name(args.data_dir / "compute.csv"))
    log.info(
        "valid: %d papers, %d results, %d compute rows (%.1f s)",
        len(tables.papers), len(tables.results), len(tables.compute), time.perf_counter() - start,
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
