"""Atomic curation: every output is built in a temporary directory, validated together, and only
then copied over ``data/`` and ``references.bib``.

:func:`publish` copies the data directory into a staging directory outside the repository,
writes every table, report, the descriptor, the data dictionary and the bibliography there
(:func:`analysis.curate.pipeline.write_outputs`), validates them all together
(:func:`validate_outputs`: the schemas, keys and cross-table references of
:func:`analysis.data.load_tables`, the cost inputs of :func:`analysis.data.load_cost_inputs`,
the data package of
:func:`analysis.curate.datapackage_check.validate_datapackage`, and one BibTeX entry per
paper), and only then replaces the files whose bytes changed, each by an atomic rename. On any
failure the staging directory is removed and nothing in the repository has changed. The
hand-edited inputs (``data/manual/``) are never written.

Part of the curate stage.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from analysis.curate.datapackage_check import validate_datapackage
from analysis.data import DataValidationError, load_cost_inputs, load_tables
from analysis.paths import REFERENCES_FILE

INPUTS = ("manual",)
"""Sub-directories of the data directory that the curation reads and never writes."""


def validate_outputs(data_dir: Path, references: Path, manual_dir: Path | None = None) -> None:
    """Validate a built data directory and its bibliography together; raise
    :class:`DataValidationError` naming the generated file, line, column and value.

    Also, as ``--check`` does: every derived compute row equals what its ingredients give
    (:func:`analysis.curate.derived_check.check_derived`) and every row of the hand-edited
    tables about results (``manual_dir``, default ``data_dir/manual``) matches a built result
    (:func:`analysis.curate.manual_check.unmatched_rows`), so a curation that would leave
    either wrong writes nothing."""
    import bibtexparser

    from analysis.curate.derived_check import check_derived
    from analysis.curate.manual_check import check_unmatched, validate_manual

    tables = load_tables(data_dir)
    load_cost_inputs(data_dir)
    validate_datapackage(data_dir)
    check_derived(tables.compute, tables.hardware, "data/compute.csv")
    manual_dir = manual_dir or data_dir / "manual"
    if manual_dir.is_dir():
        texts = validate_manual(manual_dir, data_dir / "papers.csv")
        check_unmatched(data_dir / "results.csv", texts, manual_dir)
    library = bibtexparser.parse_string(references.read_text(encoding="utf-8"))
    keys = {entry.key for entry in library.entries}
    missing = tables.papers.loc[~tables.papers["paper_id"].isin(keys), "paper_id"]
    if len(missing):
        index = missing.index[0]
        raise DataValidationError(
            "papers.csv", int(index) + 2, "paper_id", missing.iloc[0], "no entry in references.bib"
        )


def publish(result: object, data_dir: Path, references: Path = REFERENCES_FILE) -> list[Path]:
    """Build every output of ``result`` in a staging copy, validate, then replace the changed
    files of ``data_dir`` and ``references``; returns the files replaced."""
    from analysis.curate.pipeline import write_outputs

    data_dir, references = Path(data_dir), Path(references)
    with tempfile.TemporaryDirectory(prefix="complim-curate-") as tmp:
        staged_data = Path(tmp) / "data"
        staged_refs = Path(tmp) / "references.bib"
        shutil.copytree(data_dir, staged_data)
        if references.exists():
            shutil.copy2(references, staged_refs)
        write_outputs(result, staged_data, staged_refs)
        validate_outputs(staged_data, staged_refs, data_dir / "manual")
        pairs = [(staged_refs, references)]
        for staged in sorted(staged_data.rglob("*")):
            relative = staged.relative_to(staged_data)
            if staged.is_file() and relative.parts[0] not in INPUTS:
                pairs.append((staged, data_dir / relative))
        changed = [(s, t) for s, t in pairs if not t.exists() or s.read_bytes() != t.read_bytes()]
        for staged, target in changed:
            _replace(staged, target)
    return [target for _, target in changed]


def _replace(staged: Path, target: Path) -> None:
    """Copy ``staged`` beside ``target`` and rename it over ``target`` (atomic per file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.curate-partial")
    shutil.copyfile(staged, partial)
    os.replace(partial, target)
