"""Build the curated dataset in ``data/`` from the raw public sources: :func:`curate` runs the
steps in order and :func:`write_outputs` writes tables, reports and the descriptor.

Steps: read leaderboard records (:mod:`analysis.ingest.leaderboards`) and compute-source
records (:func:`analysis.ingest.compute.read_all_records`), give every paper one id
(:mod:`analysis.curate.identity`), keep one row per result (:mod:`analysis.curate.results`),
split compute facts into long rows and attach them to results
(:mod:`analysis.curate.matching`), derive the training-compute measures and write
``papers.csv``, ``results.csv``, ``compute.csv``, ``hardware.csv``, the reports and the
descriptor (:mod:`analysis.curate.publish`).

Part of the curate stage; imports vocab, ingest and data only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.curate.authors import MANUAL_AUTHORS_FILE, fill_authors, read_manual_authors
from analysis.curate.cost_tables import build_cost_tables, write_cost_tables
from analysis.curate.identity import (
    PaperIdentity,
    build_papers,
    date_conflicts,
    identify_papers,
    log,
    normalise_title,
)
from analysis.curate.manual_check import display_name, scope_lines
from analysis.curate.matching import WITHHELD_COLUMNS, build_compute
from analysis.curate.publish import ensemble_report, write_data_dictionary, write_datapackage
from analysis.curate.result_columns import add_result_columns
from analysis.curate.results import build_results
from analysis.data import coverage, domain_counts, duplicate_pairs
from analysis.ingest import _common, leaderboards
from analysis.ingest.compute_search import SEARCH_COLUMNS, read_search_log, search_report
from analysis.ingest.paper_dates import (
    MANUAL_DATES_FILE,
    read_manual_dates,
)
from analysis.paths import DATA_DIR, REFERENCES_FILE
from analysis.vocab.measures import DERIVED_MEASURES

# --------------------------------------------------------------------------- orchestration


@dataclass
class CurationResult:
    """Everything the curation writes."""

    papers: pd.DataFrame
    results: pd.DataFrame
    compute: pd.DataFrame
    hardware: pd.DataFrame
    exclusions: pd.DataFrame
    ambiguous: pd.DataFrame
    ensemble_withheld: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=WITHHELD_COLUMNS)
    )
    date_conflicts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["paper_id"]))
    compute_search: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(SEARCH_COLUMNS))
    )
    cost_tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    """data/prices.csv, price_index.csv, accelerator_efficiency.csv, carbon_intensity.csv."""
    author_conflicts: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["paper_id"])
    )


def read_compute_records(
    root: Path, known_papers: tuple[set[str], set[str]] = (set(), set())
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """Helper D2's records (plus :func:`epoch_supplement`), hardware table and derived measures
    (empty when not available). ``known_papers``: arXiv ids and normalised titles of papers with
    leaderboard results."""
    try:
        from analysis.ingest.compute import read_all_records
    except ImportError as exc:
        log.warning("compute-source readers not available: %s", exc)
        return (
            pd.DataFrame(columns=_common.RECORD_COLUMNS),
            pd.DataFrame(columns=["chip"]),
            None,
        )
    records = read_all_records(root)
    records = _with_epoch_supplement(records, root, known_papers)
    try:
        from analysis.ingest.hardware import build_hardware_table
        from analysis.vocab.measures import derive_measures
    except ImportError as exc:
        log.warning("hardware/compute modules not available: %s", exc)
        return records, pd.DataFrame(columns=["chip"]), None
    hardware = build_hardware_table(root)
    measures = derive_measures(records, hardware)
    return records, hardware, measures


EPOCH_OUTSIDE_REASON = "epoch-ai-models: task outside the nine families"


def epoch_supplement(root: Path, known_arxiv: set[str], known_titles: set[str]) -> pd.DataFrame:
    """Epoch AI systems whose task label lies outside the nine families but whose paper has
    leaderboard results here (e.g. T5, DistilBERT: "Text autocompletion"), as paper-level
    records without a task, built exactly as the Epoch AI reader
    (:mod:`analysis.ingest.compute.epoch_models`) builds its records."""
    from analysis.ingest._common import records_frame
    from analysis.ingest.compute import epoch_models

    frame = pd.read_csv(root / epoch_models.SOURCE / epoch_models.FILE)
    rows = []
    for index, system in frame.iterrows():
        if epoch_models._study_tasks(system["Task"]):
            continue
        base = epoch_models._base_record(index, system)
        arxiv = base["arxiv_id"] if isinstance(base["arxiv_id"], str) else None
        if arxiv in known_arxiv or normalise_title(base["paper_title"]) in known_titles:
            rows.append({**base, "task": np.nan})
    return records_frame(rows, epoch_models.SOURCE, epoch_models.LICENCE)


def _with_epoch_supplement(
    records: pd.DataFrame, root: Path, known_papers: tuple[set[str], set[str]]
) -> pd.DataFrame:
    try:
        extra = epoch_supplement(root, *known_papers)
    except (ImportError, AttributeError, KeyError) as exc:
        log.warning("Epoch supplement not available: %s", exc)
        return records
    excluded = dict(records.attrs.get("excluded") or {})
    if EPOCH_OUTSIDE_REASON in excluded:
        excluded[EPOCH_OUTSIDE_REASON] -= len(extra)
    combined = pd.concat([records, extra.reindex(columns=records.columns)], ignore_index=True)
    combined.attrs["excluded"] = excluded
    log.info(
        "Epoch supplement: %d systems outside the nine families kept as paper facts", len(extra)
    )
    return combined


def _excluded_from_attrs(records: pd.DataFrame) -> pd.DataFrame:
    counts = records.attrs.get("excluded") or {}
    rows = [
        {
            "source": "compute sources",
            "source_file": "",
            "source_record": "",
            "reason": str(reason),
            "rows": int(n),
        }
        for reason, n in counts.items()
    ]
    return pd.DataFrame(rows, columns=["source", "source_file", "source_record", "reason", "rows"])


SCOPE_FILE = DATA_DIR / "manual" / "compute_scope.csv"
"""Compute records whose source says which benchmark their compute belongs to (see file)."""
FLAGS_FILE = DATA_DIR / "manual" / "source_flags.csv"
"""Source values kept as the source gives them but flagged with a finding (see file)."""


def apply_compute_scope(records: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Set ``benchmark`` of the records listed in ``path`` (source, source_record, benchmark).

    A listed record that is missing from the records raises ValueError naming the file and line.
    """
    if not path.exists():
        return records
    scope = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = records.copy()
    out.attrs = dict(records.attrs)
    for line, row in zip(scope_lines(path), scope.itertuples(index=False), strict=True):
        hit = (out["source"] == row.source) & (out["source_record"] == row.source_record)
        if not hit.any():
            raise ValueError(
                f"{display_name(path)}, line {line}, column source_record: no record "
                f"{row.source_record!r} in source {row.source!r}"
            )
        out.loc[hit, "benchmark"] = row.benchmark
    return out


GENERAL_PURPOSE_REASON = (
    "paper-level compute row repeated for another task family of a general-purpose system "
    "(task left empty, kept once)"
)


def general_purpose_records(root: Path) -> set[tuple[str, str]]:
    """(source, source_record) of Epoch AI systems whose ``Task`` cell also lists labels outside
    the nine families (language modelling, chat, code ...): general-purpose systems."""
    from analysis.ingest.compute import epoch_models

    path = root / epoch_models.SOURCE / epoch_models.FILE
    if not path.exists():
        return set()
    frame = pd.read_csv(path, usecols=["Model", "Task"])
    general = set()
    for index, system in frame.iterrows():
        labels = [t.strip() for t in str(system["Task"]).split(",") if t.strip()]
        if any(label not in epoch_models.TASKS for label in labels):
            general.add((epoch_models.SOURCE, f"row {index + 2}: {system['Model']}"))
    return general


def honest_tasks(
    compute: pd.DataFrame, results: pd.DataFrame, general: set[tuple[str, str]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``task`` of each compute row, from the paper's results where there are any.

    A row attached to a result takes that result's task. A paper-level row keeps its record's
    task when the paper has a result in that task; of a paper without results, only when the
    source labels the system with the study's task families alone (a general-purpose system
    in ``general``, e.g. a language model for which Epoch AI lists "Question answering" among
    chat and code generation, gets no task). Rows that then repeat another row of the same
    record (one per task family in the source) are kept once; returns (compute, dropped counts).
    """
    task_of_result = results.set_index("result_id")["task"]
    paper_tasks = results.groupby("paper_id")["task"].agg(set).to_dict()
    out = compute.copy()
    attached = out["result_id"].notna()
    out.loc[attached, "task"] = out.loc[attached, "result_id"].map(task_of_result)
    for index in out.index[~attached]:
        task, paper = out.at[index, "task"], out.at[index, "paper_id"]
        if paper in paper_tasks:
            keep = task in paper_tasks[paper]
        else:
            keep = (out.at[index, "source"], out.at[index, "source_record"]) not in general
        if not keep:
            out.at[index, "task"] = None
    key = ["source", "source_record", "quantity", "result_id", "task", "value", "method"]
    repeated = out[~attached & out["task"].isna()].duplicated(key, keep="first")
    repeated = repeated.reindex(out.index, fill_value=False)
    dropped = out[repeated]
    counts = pd.DataFrame(
        {
            "source": dropped["source"],
            "source_file": dropped["source_file"],
            "source_record": dropped["source_record"],
            "reason": GENERAL_PURPOSE_REASON,
            "rows": 1,
        }
    )
    kept = out[~repeated].reset_index(drop=True)
    return _repoint_derived_from(kept, dropped, key), counts


def _repoint_derived_from(
    kept: pd.DataFrame, dropped: pd.DataFrame, key: list[str]
) -> pd.DataFrame:
    """A derived row whose ingredient was dropped as a repeat names the kept copy instead (the
    copies are equal in every column of ``key``), so that ``derived_from`` never dangles."""
    if dropped.empty or "derived_from" not in kept:
        return kept

    def keys(frame: pd.DataFrame) -> list[tuple]:
        return list(
            frame[key]
            .astype(object)
            .where(frame[key].notna(), None)
            .itertuples(index=False, name=None)
        )

    first_kept: dict[tuple, str] = {}
    for k, cid in zip(keys(kept), kept["compute_id"], strict=True):
        first_kept.setdefault(k, cid)
    replacement = {
        old: first_kept[k]
        for k, old in zip(keys(dropped), dropped["compute_id"], strict=True)
        if k in first_kept
    }
    if not replacement:
        return kept
    kept = kept.copy()
    kept["derived_from"] = [
        ";".join(replacement.get(i, i) for i in ids.split(";")) if isinstance(ids, str) else ids
        for ids in kept["derived_from"]
    ]
    return kept


def check_flags(compute: pd.DataFrame, path: Path) -> None:
    """Every flag names a value of the built compute table (source, record and quantity), so
    that a misspelt record cannot leave a value in the fits that was meant to leave them."""
    if not path.exists():
        return
    flags = pd.read_csv(path, dtype=str, keep_default_na=False)
    present = set(
        zip(compute["source"], compute["source_record"], compute["quantity"], strict=True)
    )
    records = {key[:2] for key in present}
    source_values: dict[tuple[str, str, str], set[float]] = {}
    given = compute[~compute["method"].isin(DERIVED_MEASURES)]
    for key in zip(given["source"], given["source_record"], given["quantity"], given["value"],
                   strict=True):  # fmt: skip
        source_values.setdefault(key[:3], set()).add(float(key[3]))
    for line, row in zip(scope_lines(path), flags.itertuples(index=False), strict=True):
        if (row.source, row.source_record, row.quantity) not in present:
            column = "quantity" if (row.source, row.source_record) in records else "source_record"
            raise ValueError(
                f"{display_name(path)}, line {line}, column {column}: no "
                f"{row.quantity} value of record {row.source_record!r} in source "
                f"{row.source!r} (the flag would flag nothing)"
            )
        values = source_values.get((row.source, row.source_record, row.quantity), set())
        if not any(math.isclose(float(row.value), v, rel_tol=1e-9) for v in values):
            raise ValueError(
                f"{display_name(path)}, line {line}, column value: the source now gives "
                f"{', '.join(f'{v:g}' for v in sorted(values))}, not {row.value!r} (re-read the "
                "source: the finding may no longer hold)"
            )


def flagged_values(compute: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Compute rows carrying a value flagged in ``path``, and every row derived from one (through
    ``derived_from``, at any depth), with the flag's ``in_fits``, finding and evidence.

    A flag is on a value the source gives (method reported or the source's own estimate); a
    measure derived here from other quantities (hardware burden, network operations) is listed
    once per flagged ingredient, never matched to a flag on the source's own training FLOP."""
    flags = pd.read_csv(path, dtype=str).drop(columns=["value"])
    given = compute[~compute["method"].isin(DERIVED_MEASURES)]
    rows = given.merge(flags, on=["source", "source_record", "quantity"])
    columns = ["compute_id", "paper_id", "result_id", "source", "source_record", "quantity"]
    columns = [*columns, "value", "method", "in_fits", "finding", "evidence"]
    listed = rows[columns]
    children = (
        compute[compute["derived_from"].notna()]
        .assign(_parent=lambda frame: frame["derived_from"].str.split(";"))
        .explode("_parent")
    )
    out, newest = [listed], listed
    seen = set(zip(listed["compute_id"], listed["finding"], strict=True))
    while not newest.empty:
        flag = newest[["compute_id", "in_fits", "finding", "evidence"]].rename(
            columns={"compute_id": "_parent"}
        )
        hit = children.merge(flag, on="_parent")[columns].drop_duplicates(["compute_id", "finding"])
        keep = [key not in seen for key in zip(hit["compute_id"], hit["finding"], strict=True)]
        newest = hit[pd.Series(keep, index=hit.index, dtype=bool)]
        seen.update(zip(newest["compute_id"], newest["finding"], strict=True))
        out.append(newest)
    return pd.concat(out, ignore_index=True).sort_values(["compute_id", "quantity", "finding"])


def curate(root: Path) -> CurationResult:
    """Run the whole curation in memory."""
    board_records, board_excluded = leaderboards.read_leaderboards(root)
    known = (
        {a for a in board_records["arxiv_id"].dropna() if isinstance(a, str)},
        {t for t in board_records["paper_title"].map(normalise_title).dropna()},
    )
    compute_records, hardware, measures = read_compute_records(root, known)
    offset = len(board_records)
    compute_records = apply_compute_scope(compute_records.reset_index(drop=True), SCOPE_FILE)
    compute_records.index = compute_records.index + offset
    if measures is not None:
        measures = measures.reset_index(drop=True)
        measures.index = measures.index + offset
    records = pd.concat(
        [
            board_records,
            compute_records.reindex(
                columns=board_records.columns.union(compute_records.columns, sort=False)
            ),
        ],
        ignore_index=False,
    )
    identity = identify_papers(records)
    hand_dates = read_manual_dates(MANUAL_DATES_FILE)
    search_log = read_search_log()
    papers = build_papers(records, identity.record_paper, hand_dates)
    untitled = papers[papers["title"].isna()]
    papers = papers[papers["title"].notna()]
    paper_of = identity.record_paper.map(papers.set_index("paper_key")["paper_id"])
    no_title = records[identity.record_paper.isin(untitled["paper_key"])]
    results, duplicates = build_results(records, paper_of)
    compute = build_compute(records, paper_of, results, measures)
    withheld = compute.attrs["ensemble_withheld"]
    compute, task_dropped = honest_tasks(compute, results, general_purpose_records(root))
    used = set(results["paper_id"]) | set(compute["paper_id"])
    unused = papers[~papers["paper_id"].isin(used)]
    papers = papers[papers["paper_id"].isin(used)]
    conflicts = date_conflicts(records, identity.record_paper, papers, hand_dates)
    papers = papers.drop(columns=["paper_key"])
    papers, author_conflicts = fill_authors(papers, read_manual_authors(MANUAL_AUTHORS_FILE))
    results = add_result_columns(results, papers)
    exclusions = _exclusions(records, identity, board_excluded, duplicates, unused, compute_records)
    exclusions = pd.concat(
        [
            exclusions,
            pd.DataFrame(
                {
                    "source": no_title["source"],
                    "source_file": no_title["source_file"],
                    "source_record": no_title["source_record"],
                    "reason": "paper has no title in any source (URL only)",
                    "rows": 1,
                }
            ),
        ],
        ignore_index=True,
    )
    exclusions = pd.concat([exclusions, task_dropped], ignore_index=True)
    check_flags(compute, FLAGS_FILE)
    return CurationResult(
        papers=papers.sort_values("paper_id").reset_index(drop=True),
        results=results,
        compute=compute,
        hardware=hardware,
        exclusions=exclusions,
        ambiguous=identity.ambiguous,
        ensemble_withheld=withheld,
        date_conflicts=conflicts,
        compute_search=search_log,
        cost_tables=build_cost_tables(root),
        author_conflicts=author_conflicts,
    )


def _exclusions(
    records: pd.DataFrame,
    identity: PaperIdentity,
    board_excluded: pd.DataFrame,
    duplicates: pd.DataFrame,
    unused: pd.DataFrame,
    compute_records: pd.DataFrame,
) -> pd.DataFrame:
    no_paper = records.loc[identity.excluded_index]
    parts = [
        board_excluded.assign(rows=1),
        pd.DataFrame(
            {
                "source": no_paper["source"],
                "source_file": no_paper["source_file"],
                "source_record": no_paper["source_record"],
                "reason": "no paper (no title, URL or arXiv id)",
                "rows": 1,
            }
        ),
        duplicates[["source", "source_file", "source_record", "reason"]].assign(rows=1),
        pd.DataFrame(
            {
                "source": "papers",
                "source_file": "",
                "source_record": unused["paper_key"],
                "reason": "paper without a kept result or compute row",
                "rows": 1,
            }
        ),
        _excluded_from_attrs(compute_records),
    ]
    return pd.concat(parts, ignore_index=True)


def exclusion_summary(exclusions: pd.DataFrame) -> pd.DataFrame:
    """Counts of excluded rows per source and reason (duplicate ids collapsed)."""
    reasons = (
        exclusions["reason"]
        .str.replace(r"duplicate of result \S+", "duplicate of a kept result", regex=True)
        .str.replace(r"^value \S+ outside", "value outside", regex=True)
    )
    return (
        exclusions.assign(reason=reasons)
        .groupby(["source", "reason"], as_index=False)["rows"]
        .sum()
        .sort_values(["source", "rows"], ascending=[True, False])
    )


def write_outputs(result: CurationResult, data_dir: Path, references: Path | None = None) -> None:
    """Write tables, bibliography (``references``, default :data:`REFERENCES_FILE`), reports,
    data dictionary and descriptor into ``data_dir``. ``python -m analysis.curate`` calls it on
    a staging copy (:func:`analysis.curate.staging.publish`), never on ``data/`` itself."""
    from analysis.curate import bibliography
    from analysis.data import load_tables

    reports = data_dir / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    result.papers.to_csv(data_dir / "papers.csv", index=False)
    result.results.to_csv(data_dir / "results.csv", index=False, float_format="%.10g")
    result.compute.to_csv(data_dir / "compute.csv", index=False, float_format="%.10g")
    result.hardware.to_csv(data_dir / "hardware.csv", index=False, float_format="%.10g")
    write_cost_tables(result.cost_tables, data_dir)
    result.ambiguous.to_csv(reports / "dedup_ambiguous.csv", index=False)
    exclusion_summary(result.exclusions).to_csv(reports / "exclusions.csv", index=False)
    ensemble_report(result.ensemble_withheld, result.results).to_csv(
        reports / "ensemble_withheld.csv", index=False
    )
    result.date_conflicts.to_csv(reports / "date_conflicts.csv", index=False)
    result.author_conflicts.to_csv(reports / "author_conflicts.csv", index=False)
    flagged_values(result.compute, FLAGS_FILE).to_csv(
        reports / "flagged_values.csv", index=False, float_format="%.10g"
    )
    bibliography.write_references(
        data_dir / "papers.csv", data_dir / "literature.bib", references or REFERENCES_FILE
    )
    tables = load_tables(data_dir)
    domain_counts(tables).to_csv(reports / "counts_by_domain.csv", index=False)
    coverage(tables).to_csv(reports / "coverage.csv", index=False)
    search_report(result.compute_search, tables.papers, normalise_title).to_csv(
        reports / "compute_search.csv", index=False
    )
    duplicate_pairs(tables).to_csv(reports / "duplicates.csv", index=False, float_format="%.10g")
    write_datapackage(tables, data_dir)
    write_data_dictionary(tables, data_dir / "README.md")
