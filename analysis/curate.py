"""Build the curated dataset in ``data/`` from the raw public sources.

Run ``.venv/bin/python -m analysis.curate`` to rebuild every table, report and ``references.bib``;
``--check`` only validates the committed tables (``analysis.dataset.load_tables``).

Steps: read leaderboard records (:mod:`analysis.leaderboards`) and compute-source records
(``analysis.sources.read_all_records``, helper D2), give every paper one id (arXiv id first, then
normalised title, ambiguous matches listed and not merged), keep one row per result, split compute
facts into long rows, attach them to results, derive the training-compute measures and write
``papers.csv``, ``results.csv``, ``compute.csv``, ``hardware.csv``, the reports and the descriptor.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import re
import sys
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import leaderboards
from analysis.benchmarks import (
    METRICS,
    PRIMARY_BENCHMARKS,
    TASKS,
    error_of,
    is_primary,
    same_training,
    within_bounds,
)
from analysis.datapackage_check import validate_datapackage
from analysis.dataset import Tables
from analysis.paper_dates import (
    MANUAL_DATES_FILE,
    choose_date,
    conflict_columns,
    conflict_row,
    read_manual_dates,
)
from analysis.paths import DATA_DIR, REPO_ROOT, sources_dir
from analysis.schema import FIELD_DESCRIPTIONS

log = logging.getLogger("analysis.curate")

SOURCE_PRIORITY: tuple[str, ...] = (
    "pwc_2020",
    "squad_leaderboard",
    "nlp_progress_2024",
    "nlp_progress_2020",
    "wer_are_we",
    "manual_results",
)
"""Leaderboard sources in order of preference when the same result appears twice; the compute
sources (helper D2) follow in the order ``read_all_records`` returns them."""

COMPUTE_QUANTITIES: dict[str, str] = {
    "flops_per_pass": "FLOP",
    "parameters": "count",
    "epochs": "count",
    "training_examples": "count",
    "chip_count": "count",
    "training_hours": "hours",
    "training_flops": "FLOP",
}
"""Compute columns of a record -> unit of the long ``compute.csv`` row."""

DERIVED_MEASURES = ("hardware_burden", "network_operations")
MEASURES: tuple[str, ...] = (
    "hardware_burden",
    "network_operations",
    "flops_per_pass",
    "epoch_estimate",
)

_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "of",
        "for",
        "in",
        "to",
        "with",
        "and",
        "by",
        "from",
        "at",
        "via",
        "is",
        "are",
        "towards",
        "toward",
        "using",
    ]
)

# --------------------------------------------------------------------------- pure helpers


def normalise_title(title: object) -> str | None:
    """Casefolded title without accents, punctuation or whitespace; None when empty.

    >>> normalise_title("Deep Residual Learning for Image Recognition.")
    'deepresiduallearningforimagerecognition'
    """
    if not isinstance(title, str):
        return None
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    text = re.sub(r"[\W_]+", "", text.casefold())
    return text or None


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.findall(r"[a-z0-9]+", folded)


def title_words(title: object) -> list[str]:
    """Significant lower-case ASCII words of a title (stopwords and pure numbers dropped)."""
    if not isinstance(title, str):
        return []
    return [w for w in _ascii_words(title) if w not in _STOPWORDS and not w.isdigit()]


def first_author_surname(authors: object) -> str | None:
    """Lower-case ASCII surname of the first author of ``"Kaiming He, Xiangyu Zhang"`` text."""
    if not isinstance(authors, str) or not authors.strip():
        return None
    first = re.split(r",|;| and ", authors.strip())[0].strip()
    if not first:
        return None
    words = _ascii_words(first)
    return words[-1] if words else None


def base_paper_key(title: object, year: object, authors: object = None) -> str:
    """BibTeX key stem: surname + year + first significant title word (``he2016deep``).

    Without authors (Papers with Code has none) the first significant title word stands in for
    the surname and the second follows the year (``deep2016residual``). Missing year -> ``nd``.
    """
    words = title_words(title) or ["untitled"]
    year_text = "nd" if year is None or pd.isna(year) else str(int(year))
    surname = first_author_surname(authors)
    if surname:
        return f"{surname}{year_text}{words[0]}"
    second = words[1] if len(words) > 1 else "paper"
    return f"{words[0]}{year_text}{second}"


def _suffix(index: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    text = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        text = letters[rem] + text
    return text


def assign_paper_ids(papers: pd.DataFrame) -> pd.Series:
    """Unique, deterministic BibTeX keys; colliding stems get a, b, c... by (date, arXiv, title)."""
    stems = pd.Series(
        [
            base_paper_key(t, y, a)
            for t, y, a in zip(papers["title"], papers["year"], papers["authors"], strict=True)
        ],
        index=papers.index,
    )
    order = papers.assign(
        _stem=stems,
        _date=papers["date"].fillna(""),
        _arxiv=papers["arxiv_id"].fillna(""),
        _title=papers["title"].fillna("").map(lambda t: normalise_title(t) or ""),
    ).sort_values(["_stem", "_date", "_arxiv", "_title", "paper_key"])
    ids = pd.Series(index=papers.index, dtype=object)
    for stem, group in order.groupby("_stem", sort=False):
        if len(group) == 1:
            ids[group.index[0]] = stem
        else:
            for i, idx in enumerate(group.index):
                ids[idx] = f"{stem}{_suffix(i)}"
    return ids


def stable_id(prefix: str, *parts: object) -> str:
    """Short deterministic id from the given parts (sha1 of their text)."""
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:12]}"


def unique_ids(prefix: str, parts: Iterable[tuple[object, ...]]) -> list[str]:
    """:func:`stable_id` per tuple; repeated tuples get their occurrence number hashed in."""
    seen: dict[tuple[object, ...], int] = {}
    ids = []
    for key in parts:
        n = seen.get(key, 0)
        seen[key] = n + 1
        ids.append(stable_id(prefix, *key) if n == 0 else stable_id(prefix, *key, n))
    return ids


def _clean(value: object) -> object:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


# --------------------------------------------------------------------------- paper identity


@dataclass
class PaperIdentity:
    """Result of de-duplication: a paper key per record and the ambiguous matches."""

    record_paper: pd.Series
    ambiguous: pd.DataFrame
    excluded_index: pd.Index = field(default_factory=pd.Index)


def identify_papers(records: pd.DataFrame) -> PaperIdentity:
    """One paper key per record: arXiv id first, then normalised title, then URL.

    A record without an arXiv id joins the arXiv paper with the same normalised title only when
    exactly one arXiv paper has that title; titles shared by several arXiv ids are listed as
    ambiguous and left unmerged. Records with neither title nor URL get no key (excluded).
    """
    arxiv = [_clean(a) for a in records["arxiv_id"].tolist()]
    titles = [normalise_title(clean_title(t)) for t in records["paper_title"].tolist()]
    urls = [_clean(u) for u in records["paper_url"].tolist()]
    title_to_arxiv: dict[str, set[str]] = {}
    for a, t in zip(arxiv, titles, strict=True):
        if a and t:
            title_to_arxiv.setdefault(t, set()).add(a)
    keys = pd.Series(index=records.index, dtype=object)
    ambiguous_rows: list[dict[str, object]] = []
    for idx, a, t, u in zip(records.index, arxiv, titles, urls, strict=True):
        if a:
            keys[idx] = f"arxiv:{a}"
            continue
        candidates = title_to_arxiv.get(t, set()) if t else set()
        if len(candidates) == 1:
            keys[idx] = f"arxiv:{next(iter(candidates))}"
        elif t:
            keys[idx] = f"title:{t}"
            if len(candidates) > 1:
                ambiguous_rows.append(
                    {
                        "kind": "title matches several arXiv ids (record kept as its own paper)",
                        "normalised_title": t,
                        "arxiv_ids": ";".join(sorted(candidates)),
                        "source": records.at[idx, "source"],
                        "source_record": records.at[idx, "source_record"],
                    }
                )
        elif u:
            keys[idx] = f"url:{u}"
    for t, ids in sorted(title_to_arxiv.items()):
        if len(ids) > 1:
            ambiguous_rows.append(
                {
                    "kind": "same normalised title, different arXiv ids (not merged)",
                    "normalised_title": t,
                    "arxiv_ids": ";".join(sorted(ids)),
                    "source": "",
                    "source_record": "",
                }
            )
    ambiguous_rows += _arxiv_title_conflicts(arxiv, titles)
    ambiguous = pd.DataFrame(
        ambiguous_rows, columns=["kind", "normalised_title", "arxiv_ids", "source", "source_record"]
    )
    return PaperIdentity(keys, ambiguous, records.index[keys.isna()])


def titles_conflict(titles: list[str], prefix: int = 20) -> bool:
    """Whether normalised titles disagree beyond one being a prefix-variant of another."""
    first = titles[0]
    return any(
        not (t.startswith(first[:prefix]) or first.startswith(t[:prefix])) for t in titles[1:]
    )


def _arxiv_title_conflicts(arxiv: list, titles: list) -> list[dict[str, object]]:
    by_id: dict[str, set[str]] = {}
    for a, t in zip(arxiv, titles, strict=True):
        if a and t:
            by_id.setdefault(a, set()).add(t)
    return [
        {
            "kind": "same arXiv id, different titles (merged by arXiv id; check)",
            "normalised_title": " | ".join(sorted(ts)),
            "arxiv_ids": a,
            "source": "",
            "source_record": "",
        }
        for a, ts in sorted(by_id.items())
        if len(ts) > 1 and titles_conflict(sorted(ts))
    ]


def _source_rank(sources: Iterable[str]) -> dict[str, int]:
    ranks = {s: i for i, s in enumerate(SOURCE_PRIORITY)}
    for s in sources:
        ranks.setdefault(s, len(ranks))
    return ranks


def _first(values: pd.Series) -> object:
    for v in values:
        v = _clean(v)
        if v is not None:
            return v
    return None


TITLE_PRIORITY: tuple[str, ...] = (
    "pwc_2020",
    "manual_results",
    "epoch-ai-models",
    "compute-facts",
    "nlp_progress_2024",
    "wer_are_we",
)
"""Sources whose paper titles are preferred, in order; model zoos often give only an
architecture name ("ConvNeXt") and are used when nothing better exists (longest first)."""


def clean_title(title: object) -> str | None:
    """The title, or None when empty or a URL (the SQuAD leaderboard puts links there)."""
    title = _clean(title)
    if not isinstance(title, str) or re.match(r"^\s*(https?://|www\.)", title):
        return None
    return re.sub(r"\s+", " ", title).strip()


def best_title(group: pd.DataFrame) -> str | None:
    """Title from the first source of :data:`TITLE_PRIORITY`, else the longest title."""
    titles = group.assign(title=group["paper_title"].map(clean_title)).dropna(subset=["title"])
    if titles.empty:
        return None
    rank = titles["source"].map(lambda s: TITLE_PRIORITY.index(s) if s in TITLE_PRIORITY else 99)
    titles = titles.assign(_rank=rank, _length=-titles["title"].str.len())
    return str(titles.sort_values(["_rank", "_length"], kind="stable")["title"].iloc[0])


def _paper_groups(records: pd.DataFrame, keys: pd.Series) -> Iterable[tuple[str, pd.DataFrame]]:
    ranks = _source_rank(records["source"].unique())
    frame = records.assign(paper_key=keys, _rank=records["source"].map(ranks))
    frame = frame[frame["paper_key"].notna()].sort_values(["_rank", "source_record"], kind="stable")
    return frame.groupby("paper_key", sort=True)


def _arxiv_of(key: str) -> str | None:
    return key.removeprefix("arxiv:") if key.startswith("arxiv:") else None


def build_papers(
    records: pd.DataFrame, keys: pd.Series, hand_dates: dict[str, str] | None = None
) -> pd.DataFrame:
    """One row per paper key (records ordered by source priority); ``hand_dates`` maps arXiv
    ids to hand-entered v1 dates (:mod:`analysis.paper_dates` gives the date precedence)."""
    hand_dates = hand_dates or {}
    rows: list[dict[str, object]] = []
    for key, group in _paper_groups(records, keys):
        arxiv = _arxiv_of(key)
        choice = choose_date(group, arxiv, hand_dates.get(arxiv))
        date, precision, date_source = choice.date, choice.precision, choice.source
        year_values = pd.to_numeric(group["year"], errors="coerce").dropna()
        year = int(date[:4]) if date else (int(year_values.min()) if len(year_values) else None)
        url = _first(group["paper_url"]) or (f"https://arxiv.org/abs/{arxiv}" if arxiv else None)
        doi = _first(group["doi"]) if "doi" in group else None
        rows.append(
            {
                "paper_key": key,
                "title": best_title(group),
                "authors": _first(group["authors"]),
                "year": year,
                "date": date,
                "date_precision": precision,
                "date_source": date_source,
                "venue": _first(group["venue"]) if "venue" in group else None,
                "arxiv_id": arxiv,
                "doi": doi,
                "url": url,
                "sources": ";".join(sorted(group["source"].unique())),
            }
        )
    papers = pd.DataFrame(rows)
    papers["year"] = papers["year"].astype("Int64")
    papers.insert(0, "paper_id", assign_paper_ids(papers))
    return papers


def date_conflicts(
    records: pd.DataFrame,
    keys: pd.Series,
    papers: pd.DataFrame,
    hand_dates: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Papers (of ``papers``, with ``paper_key``) whose sources' dates disagree by more than
    :data:`analysis.paper_dates.CONFLICT_DAYS` days: each source's dates, chosen date and rule."""
    hand_dates = hand_dates or {}
    paper_ids = papers.set_index("paper_key")["paper_id"]
    rows = []
    for key, group in _paper_groups(records, keys):
        if key not in paper_ids.index:
            continue
        arxiv = _arxiv_of(key)
        row = conflict_row(group, arxiv, hand_dates.get(arxiv))
        if row is not None:
            rows.append({"paper_id": paper_ids[key], **row})
    sources = [c for r in rows for c in r if c not in conflict_columns([])]
    out = pd.DataFrame(rows, columns=conflict_columns(sources))
    return out.sort_values(["spread_days", "paper_id"], ascending=[False, True], ignore_index=True)


# --------------------------------------------------------------------------- results


RESULT_COLUMNS = [
    "result_id",
    "paper_id",
    "task",
    "benchmark",
    "benchmark_role",
    "metric",
    "model",
    "value",
    "value_reported",
    "error",
    "higher_is_better",
    "source",
    "source_file",
    "source_record",
    "score_origin",
    "licence",
]


def plausible_score(metric: str, value: float) -> bool:
    """Within the metric's bounds, and above 1 % for a percent score where higher is better
    (such rows are fractions or typos in the source, e.g. an ImageNet top-1 of "0.95")."""
    spec = METRICS[metric]
    if not within_bounds(metric, value):
        return False
    return not (spec.unit == "percent" and spec.higher_is_better and value <= 1.0)


def duplicate_results(frame: pd.DataFrame) -> pd.Series:
    """Which score rows repeat a result already kept (frame sorted by source priority).

    Within one source a row is a duplicate when paper, benchmark, metric, value (2 decimals) and
    normalised model name repeat (library zoos list distinct models with equal scores). Across
    sources the model name is ignored (sources spell models differently): a row repeats a result
    when a higher-priority source has the same paper, benchmark, metric and value.
    """
    key = ["paper_id", "benchmark", "metric", "_value"]
    within = frame.duplicated([*key, "_model", "source"], keep="first")
    first_source = frame.groupby(key, sort=False)["source"].transform("first")
    across = frame["source"] != first_source
    return within | across


def build_results(records: pd.DataFrame, paper_of: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Result rows (one per paper, benchmark, metric and value) and the duplicates left out.

    Returns ``(results, dropped)``; ``dropped`` has the record index, the kept ``result_id``
    and a reason; the record -> result mapping is in ``results.attrs["record_result"]``.
    """
    has_score = records["value"].notna() & records["metric"].notna() & records["benchmark"].notna()
    frame = records[has_score].assign(paper_id=paper_of[has_score.index[has_score]])
    frame = frame[frame["paper_id"].notna()]
    in_bounds = pd.Series(
        [
            plausible_score(m, float(v))
            for m, v in zip(frame["metric"], frame["value"], strict=True)
        ],
        index=frame.index,
        dtype=bool,
    )
    out_of_bounds = frame[~in_bounds]
    frame = frame[in_bounds]
    ranks = _source_rank(records["source"].unique())
    frame = frame.assign(
        _rank=frame["source"].map(ranks),
        _value=pd.to_numeric(frame["value"]).round(2),
        result_id=unique_ids(
            "r",
            zip(
                frame["source"],
                frame["source_file"],
                frame["source_record"],
                frame["benchmark"],
                frame["metric"],
                strict=True,
            ),
        ),
    ).sort_values(["_rank", "source_file", "source_record"], kind="stable")
    frame = frame.assign(_model=frame["model"].map(lambda m: _norm_model(m) or ""))
    duplicate = duplicate_results(frame)
    kept = frame[~duplicate]
    dup = frame[duplicate]
    key = ["paper_id", "benchmark", "metric", "_value"]
    first_of_key = frame.drop_duplicates(key, keep="first").set_index(key)["result_id"]
    winner = [first_of_key[tuple(k)] for k in dup[key].itertuples(index=False)]
    dropped = pd.DataFrame(
        {
            "record_index": dup.index,
            "source": dup["source"].to_numpy(),
            "source_file": dup["source_file"].to_numpy(),
            "source_record": dup["source_record"].to_numpy(),
            "reason": [f"duplicate of result {w}" for w in winner],
            "kept_result_id": winner,
        }
    )
    dropped = pd.concat(
        [
            dropped,
            pd.DataFrame(
                {
                    "record_index": out_of_bounds.index,
                    "source": out_of_bounds["source"].to_numpy(),
                    "source_file": out_of_bounds["source_file"].to_numpy(),
                    "source_record": out_of_bounds["source_record"].to_numpy(),
                    "reason": [
                        f"value {v} outside the bounds of metric {m} or implausible (<= 1 %)"
                        for v, m in zip(
                            out_of_bounds["value"], out_of_bounds["metric"], strict=True
                        )
                    ],
                    "kept_result_id": None,
                }
            ),
        ],
        ignore_index=True,
    )
    record_result = pd.concat([kept["result_id"], pd.Series(winner, index=dup.index, dtype=object)])
    results = kept.assign(
        benchmark_role=kept["benchmark"].map(lambda b: "primary" if is_primary(b) else "secondary"),
        value=pd.to_numeric(kept["value"]),
        error=[
            error_of(m, v)
            for m, v in zip(kept["metric"], pd.to_numeric(kept["value"]), strict=True)
        ],
        higher_is_better=kept["metric"].map(lambda m: METRICS[m].higher_is_better),
        score_origin=kept["score_origin"].fillna("paper"),
    )
    if "value_reported" not in results:
        results["value_reported"] = None
    results["value_reported"] = results["value_reported"].where(
        results["value_reported"].notna(), results["value"].map(lambda v: f"{v:g}")
    )
    results = results[RESULT_COLUMNS].sort_values("result_id").reset_index(drop=True)
    results.attrs["record_result"] = record_result
    return results, dropped


# --------------------------------------------------------------------------- compute

COMPUTE_COLUMNS = [
    "compute_id",
    "paper_id",
    "result_id",
    "match",
    "task",
    "model",
    "benchmark",
    "quantity",
    "value",
    "unit",
    "chip",
    "convention",
    "method",
    "derived_from",
    "source",
    "source_file",
    "source_record",
    "source_url",
    "source_location",
    "licence",
]


def _norm_model(text: object) -> str | None:
    return normalise_title(text) if isinstance(text, str) else None


_SINGLE_MODEL_TAG = re.compile(r"\(\s*single(?:[\s-]+model)?\s*\)", re.IGNORECASE)
_CITATION_TAG = re.compile(r"\([^()]*\bet al\.?,?\s*\d{4}\)")
"""NLP-progress appends the citation to model names: "LUKE (Yamada et al., 2020)"."""


def model_key(text: object) -> str | None:
    """Normalised model name for attaching compute, without a "(single model)" tag.

    Leaderboards tag a paper's single model ("BERT large (single)", "XLNet (single model)") or
    append its citation ("LUKE (Yamada et al., 2020)"); compute sources name the model plainly
    ("BERT-Large", "XLNet", "LUKE"). Neither tag names a different model once ensembles are told
    apart by :func:`is_ensemble`.

    >>> model_key("BERT large (single)") == model_key("BERT-Large")
    True
    """
    if not isinstance(text, str):
        return None
    return normalise_title(_CITATION_TAG.sub(" ", _SINGLE_MODEL_TAG.sub(" ", text)))


def is_ensemble(model: object) -> bool:
    """Whether a model name says it is an ensemble ("BiDAF (ensemble)", "GNMT+RL Ensemble")."""
    return isinstance(model, str) and "ensemble" in model.casefold()


def _best_results(results: pd.DataFrame) -> pd.DataFrame:
    """Each paper's best result per primary benchmark (lowest error of its primary metric)."""
    primary = results[results["benchmark_role"] == "primary"].copy()
    if primary.empty:
        return primary
    primary = primary[
        primary["metric"]
        == primary["benchmark"].map(lambda b: PRIMARY_BENCHMARKS[b].primary_metric)
    ]
    primary = primary[primary["error"].notna()].sort_values(["error", "result_id"])
    return primary.drop_duplicates(["paper_id", "benchmark"], keep="first")


def match_compute(
    record: pd.Series,
    paper_id: str,
    own_result: str | None,
    results_by_paper: dict,
    best: dict,
    *,
    ensemble_best: dict | None = None,
    ensemble_rule: bool = True,
) -> list[tuple[str | None, str]]:
    """(result_id, match) pairs a compute record attaches to.

    ``same-record`` (the record is itself a result); ``model`` (the results of the same paper
    and model name, on the record's benchmark or a benchmark sharing its training set, see
    :func:`analysis.benchmarks.same_training`, or on any benchmark when the record names none);
    ``paper-best`` (only when no result has the record's model name: the paper's best result on
    each of those benchmarks, or, when the record names no benchmark, on each primary benchmark
    of its task, or of any task when the paper has none in its task); ``paper`` (no result: a
    paper-level fact). A record whose model is found is never also given to another model's
    result as the paper's best (e.g. BERT-Base's compute to the BERT-Large test result).

    Ensembles (:func:`is_ensemble`): with ``ensemble_rule``, a record that does not name an
    ensemble never attaches to an ensemble result (``best`` then holds each paper's best
    single-model results), and a record naming an ensemble attaches only to ensemble results
    (``ensemble_best``). Model names are compared by :func:`model_key`.
    """
    if own_result:
        return [(own_result, "same-record")]
    paper_results = results_by_paper.get(paper_id)
    benchmark = _clean(record.get("benchmark"))
    model = model_key(record.get("model"))
    ensemble = is_ensemble(record.get("model"))
    if ensemble_rule and paper_results is not None and "_ensemble" in paper_results:
        paper_results = paper_results[paper_results["_ensemble"] == ensemble]
    bests = ((ensemble_best or {}) if ensemble and ensemble_rule else best).get(paper_id, {})

    def same_model(benchmarks: tuple[str, ...] | None) -> list[str]:
        if paper_results is None or not model:
            return []
        hits = paper_results[paper_results["_model"] == model]
        if benchmarks is not None:
            hits = hits[hits["benchmark"].isin(benchmarks)]
        return sorted(hits["result_id"].unique())

    if not benchmark:
        hits = same_model(None)
        if hits:
            return [(rid, "model") for rid in hits]
        task = _clean(record.get("task"))
        in_task = {b: r for b, r in bests.items() if PRIMARY_BENCHMARKS[b].task == task}
        bests = in_task or bests
        return [(rid, "paper-best") for _, rid in sorted(bests.items())] or [(None, "paper")]
    candidates = same_training(benchmark)
    hits = same_model(candidates)
    if hits:
        return [(rid, "model") for rid in hits]
    matches = [(bests[c], "paper-best") for c in candidates if c in bests]
    return matches or [(None, "paper")]


def build_compute(
    records: pd.DataFrame,
    paper_of: pd.Series,
    results: pd.DataFrame,
    measures: pd.DataFrame | None,
) -> pd.DataFrame:
    """Long compute rows (reported quantities and derived training-compute measures)."""
    quantity_cols = [c for c in COMPUTE_QUANTITIES if c in records]
    has_compute = records[quantity_cols].notna().any(axis=1)
    if measures is not None:
        derived_cols = [c for c in DERIVED_MEASURES if c in measures]
        has_compute |= measures.reindex(records.index)[derived_cols].notna().any(axis=1)
    frame = records[has_compute & paper_of.notna()]
    record_result = results.attrs.get("record_result", pd.Series(dtype=object))
    by_paper = {
        p: g.assign(_model=g["model"].map(model_key), _ensemble=g["model"].map(is_ensemble))
        for p, g in results.groupby("paper_id")
    }
    ensemble = results["model"].map(is_ensemble)
    best = _best_map(results[~ensemble])
    ensemble_best = _best_map(results[ensemble])
    best_any = _best_map(results)
    rows: list[dict[str, object]] = []
    withheld: list[dict[str, object]] = []
    for idx, record in frame.iterrows():
        paper_id = paper_of[idx]
        own = record_result.get(idx)
        targets = match_compute(record, paper_id, own, by_paper, best, ensemble_best=ensemble_best)
        withheld += _withheld_from_ensembles(record, paper_id, own, by_paper, best_any, targets)
        base = {
            "paper_id": paper_id,
            "task": _clean(record.get("task")),
            "model": _clean(record.get("model")),
            "benchmark": _clean(record.get("benchmark")),
            "source": record["source"],
            "source_file": record["source_file"],
            "source_record": record["source_record"],
            "source_url": _clean(record.get("source_url")),
            "source_location": _clean(record.get("source_location")),
            "licence": _clean(record.get("licence")),
        }
        ingredient_ids: dict[str, str] = {}
        for result_id, match in targets:
            for quantity in quantity_cols:
                value = record[quantity]
                if pd.isna(value):
                    continue
                cid = stable_id("c", record["source"], record["source_record"], quantity, result_id)
                ingredient_ids[quantity] = cid
                method = "reported"
                if quantity == "training_flops":
                    method = _clean(record.get("training_flops_method")) or "reported"
                rows.append(
                    {
                        **base,
                        "compute_id": cid,
                        "result_id": result_id,
                        "match": match,
                        "quantity": quantity,
                        "value": float(value),
                        "unit": COMPUTE_QUANTITIES[quantity],
                        "chip": _clean(record.get("chip")) if quantity == "chip_count" else None,
                        "convention": _clean(record.get("flops_convention"))
                        if quantity == "flops_per_pass"
                        else None,
                        "method": method,
                        "derived_from": None,
                    }
                )
            if measures is None or idx not in measures.index:
                continue
            for measure in DERIVED_MEASURES:
                value = measures.at[idx, measure] if measure in measures else np.nan
                if pd.isna(value):
                    continue
                inputs = _measure_inputs(measure)
                rows.append(
                    {
                        **base,
                        "compute_id": stable_id(
                            "c", record["source"], record["source_record"], measure, result_id
                        ),
                        "result_id": result_id,
                        "match": match,
                        "quantity": "training_flops",
                        "value": float(value),
                        "unit": "FLOP",
                        "chip": _clean(record.get("chip"))
                        if measure == "hardware_burden"
                        else None,
                        "convention": None,
                        "method": measure,
                        "derived_from": ";".join(
                            ingredient_ids[q] for q in inputs if q in ingredient_ids
                        )
                        or None,
                    }
                )
    compute = pd.DataFrame(rows, columns=COMPUTE_COLUMNS)
    compute["compute_id"] = unique_ids("c", zip(compute["compute_id"], strict=True))
    compute = pd.concat([compute, architecture_flops(compute, results)], ignore_index=True)
    compute = compute.sort_values("compute_id").reset_index(drop=True)
    compute.attrs["ensemble_withheld"] = pd.DataFrame(withheld, columns=WITHHELD_COLUMNS)
    return compute


WITHHELD_COLUMNS = ["source", "source_record", "model", "paper_id", "result_id", "match"]


def _best_map(results: pd.DataFrame) -> dict[str, dict[str, str]]:
    """paper_id -> {primary benchmark: result_id of the paper's best result there}."""
    best: dict[str, dict[str, str]] = {}
    frame = _best_results(results)
    for p, b, r in zip(frame["paper_id"], frame["benchmark"], frame["result_id"], strict=True):
        best.setdefault(p, {})[b] = r
    return best


def _withheld_from_ensembles(
    record: pd.Series,
    paper_id: str,
    own_result: str | None,
    by_paper: dict,
    best_any: dict,
    targets: list[tuple[str | None, str]],
) -> list[dict[str, object]]:
    """Ensemble results the record would reach without the ensemble rule (for the report)."""
    if own_result or is_ensemble(record.get("model")):
        return []
    paper_results = by_paper.get(paper_id)
    if paper_results is None or not paper_results["_ensemble"].any():
        return []
    old = match_compute(record, paper_id, None, by_paper, best_any, ensemble_rule=False)
    ensembles = set(paper_results.loc[paper_results["_ensemble"], "result_id"])
    kept = {rid for rid, _ in targets}
    return [
        {
            "source": record["source"],
            "source_record": record["source_record"],
            "model": _clean(record.get("model")),
            "paper_id": paper_id,
            "result_id": rid,
            "match": match,
        }
        for rid, match in old
        if rid in ensembles and rid not in kept
    ]


def architecture_keys(model: object, source: object = None) -> set[str]:
    """Normalised names under which a model-zoo entry may match a paper's model name.

    The full name, the name before timm's pretrained-weight tag (``resnet152.a1h_in1k`` ->
    ``resnet152``) and, for MMPretrain, the name before its config suffix
    (``resnet50_8xb32_in1k`` -> ``resnet50``).
    """
    if not isinstance(model, str) or not model.strip():
        return set()
    names = {model}
    if " " not in model.strip():
        names.add(model.split(".")[0])
        if source == "mmpretrain-model-index":
            names.add(model.split("_")[0])
    return {k for k in (normalise_title(n) for n in names) if k}


def architecture_flops(compute: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """FLOPs per pass of zoo models carried over to the same paper's own results.

    FLOPs of one forward pass are a property of the architecture (at the zoo's input size), not
    of a training run, so a zoo's value is attached (``match = architecture``) to a result of
    the same paper and benchmark whose model name equals the zoo model's architecture name and
    which has no FLOPs of its own. Training-time quantities are never carried over.
    """
    zoo = compute[(compute["quantity"] == "flops_per_pass") & (compute["match"] == "same-record")]
    has_own = set(zoo["result_id"])
    if zoo.empty:
        return pd.DataFrame(columns=COMPUTE_COLUMNS)
    keyed = zoo.assign(
        _keys=[architecture_keys(m, s) for m, s in zip(zoo["model"], zoo["source"], strict=True)]
    ).explode("_keys")
    keyed = keyed[keyed["_keys"].notna()]
    targets = results[
        ~results["result_id"].isin(has_own) & (results["benchmark_role"] == "primary")
    ]
    targets = targets.assign(_keys=targets["model"].map(_norm_model)).dropna(subset=["_keys"])
    pairs = targets[["result_id", "paper_id", "benchmark", "_keys"]].merge(
        keyed.drop(columns=["result_id"]), on=["paper_id", "benchmark", "_keys"]
    )
    pairs = pairs.drop_duplicates(["result_id", "compute_id"])
    out = pairs.assign(
        derived_from=pairs["compute_id"],
        compute_id=[
            stable_id("c", cid, rid)
            for cid, rid in zip(pairs["compute_id"], pairs["result_id"], strict=True)
        ],
        match="architecture",
    )
    return out[COMPUTE_COLUMNS]


def _measure_inputs(measure: str) -> tuple[str, ...]:
    if measure == "hardware_burden":
        return ("chip_count", "training_hours")
    return ("flops_per_pass", "epochs", "training_examples")


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


def read_compute_records(
    root: Path, known_papers: tuple[set[str], set[str]] = (set(), set())
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """Helper D2's records (plus :func:`epoch_supplement`), hardware table and derived measures
    (empty when not available). ``known_papers``: arXiv ids and normalised titles of papers with
    leaderboard results."""
    try:
        from analysis.sources import read_all_records
    except ImportError as exc:
        log.warning("compute-source readers not available: %s", exc)
        return (
            pd.DataFrame(columns=leaderboards.RECORD_COLUMNS),
            pd.DataFrame(columns=["chip"]),
            None,
        )
    records = read_all_records(root)
    records = _with_epoch_supplement(records, root, known_papers)
    try:
        from analysis.compute import derive_measures
        from analysis.hardware import build_hardware_table
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
    records without a task, built exactly as helper D2's Epoch reader builds its records."""
    from analysis.sources import epoch_models
    from analysis.sources._common import records_frame

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
    scope = pd.read_csv(path, dtype=str)
    out = records.copy()
    out.attrs = dict(records.attrs)
    for line, row in zip(range(2, len(scope) + 2), scope.itertuples(index=False), strict=True):
        hit = (out["source"] == row.source) & (out["source_record"] == row.source_record)
        if not hit.any():
            raise ValueError(
                f"{path.name}, line {line}, column source_record: no record "
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
    from analysis.sources import epoch_models

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
    return out[~repeated].reset_index(drop=True), counts


def flagged_values(compute: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Compute rows carrying a value flagged in ``path``: compute_id, result_id and the finding."""
    flags = pd.read_csv(path, dtype=str).drop(columns=["value"])
    rows = compute.merge(flags, on=["source", "source_record", "quantity"])
    columns = ["compute_id", "paper_id", "result_id", "source", "source_record", "quantity"]
    return rows[[*columns, "value", "method", "in_fits", "finding", "evidence"]].sort_values(
        "compute_id"
    )


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
    return CurationResult(
        papers=papers.sort_values("paper_id").reset_index(drop=True),
        results=results,
        compute=compute,
        hardware=hardware,
        exclusions=exclusions,
        ambiguous=identity.ambiguous,
        ensemble_withheld=withheld,
        date_conflicts=conflicts,
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


def write_outputs(result: CurationResult, data_dir: Path) -> None:
    """Write tables, bibliography, reports, data dictionary and descriptor."""
    from analysis import bibliography
    from analysis.dataset import load_tables

    reports = data_dir / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    result.papers.to_csv(data_dir / "papers.csv", index=False)
    result.results.to_csv(data_dir / "results.csv", index=False, float_format="%.10g")
    result.compute.to_csv(data_dir / "compute.csv", index=False, float_format="%.10g")
    result.hardware.to_csv(data_dir / "hardware.csv", index=False, float_format="%.10g")
    result.ambiguous.to_csv(reports / "dedup_ambiguous.csv", index=False)
    exclusion_summary(result.exclusions).to_csv(reports / "exclusions.csv", index=False)
    ensemble_report(result.ensemble_withheld, result.results).to_csv(
        reports / "ensemble_withheld.csv", index=False
    )
    result.date_conflicts.to_csv(reports / "date_conflicts.csv", index=False)
    flagged_values(result.compute, FLAGS_FILE).to_csv(
        reports / "flagged_values.csv", index=False, float_format="%.10g"
    )
    bibliography.write_references(
        data_dir / "papers.csv", data_dir / "literature.bib", REPO_ROOT / "references.bib"
    )
    tables = load_tables(data_dir)
    domain_counts(tables).to_csv(reports / "counts_by_domain.csv", index=False)
    coverage(tables).to_csv(reports / "coverage.csv", index=False)
    write_datapackage(tables, data_dir)
    write_data_dictionary(tables, data_dir / "README.md")


def ensemble_report(withheld: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """Ensemble results not given a single-model compute record (one row per pair), with the
    benchmark and metric of the result and how the record would have been attached."""
    info = results.set_index("result_id")[["benchmark", "metric", "model"]]
    out = withheld.drop_duplicates().merge(
        info.rename(columns={"model": "result_model"}),
        left_on="result_id",
        right_index=True,
        how="left",
    )
    return out.rename(columns={"model": "record_model", "match": "would_match"}).sort_values(
        ["benchmark", "paper_id", "result_id", "source", "source_record"]
    )[
        [
            "benchmark", "metric", "paper_id", "result_id", "result_model", "source",
            "source_record", "record_model", "would_match",
        ]
    ]  # fmt: skip


def domain_counts(tables: Tables) -> pd.DataFrame:
    """Papers and results per task family (a paper counts in every family it has a row in).

    ``papers`` counts papers with a result or a compute row in the family; ``papers_with_results``
    only those with a result (the rest are compute-only papers, mostly from Epoch AI).
    """
    results = tables.results
    compute_papers = tables.compute[["paper_id", "task"]].dropna()
    papers = pd.concat([results[["paper_id", "task"]], compute_papers]).drop_duplicates()
    out = (
        pd.DataFrame(
            {
                "papers": papers.groupby("task")["paper_id"].nunique(),
                "papers_with_results": results.groupby("task")["paper_id"].nunique(),
                "results": results.groupby("task").size(),
                "results_primary": results[results["benchmark_role"] == "primary"]
                .groupby("task")
                .size(),
            }
        )
        .fillna(0)
        .astype(int)
    )
    out.index.name = "task"
    return out.reset_index()


def coverage(tables: Tables) -> pd.DataFrame:
    """Per primary benchmark: primary-metric results, papers, results with each measure, and
    results with a measure a fit may use (none flagged ``in_fits`` = no nor derived from one)."""
    from analysis.dataset import compute_long, primary_results

    primary = primary_results(tables)
    measures = compute_long(tables)
    wide = measures.pivot_table(
        index="result_id", columns="measure", values="log10_flops", aggfunc="size"
    )
    primary = primary.merge(wide, left_on="result_id", right_index=True, how="left")
    in_fits = set(compute_long(tables, usable_only=True)["result_id"])
    primary["_in_fits"] = primary["result_id"].isin(in_fits)
    rows = []
    for benchmark, group in primary.groupby("benchmark"):
        row = {
            "benchmark": benchmark,
            "task": group["task"].iloc[0],
            "metric": group["metric"].iloc[0],
            "results": len(group),
            "papers": group["paper_id"].nunique(),
            "dated": int(group["year"].notna().sum()),
        }
        present = [m for m in MEASURES if m in group]
        for m in MEASURES:
            row[f"with_{m}"] = int(group[m].notna().sum()) if m in group else 0
        row["with_any_measure"] = int(group[present].notna().any(axis=1).sum()) if present else 0
        row["with_any_measure_in_fits"] = int(group["_in_fits"].sum())
        rows.append(row)
    return pd.DataFrame(rows)


_FRICTIONLESS_TYPES = {"str": "string", "float64": "number", "Int64": "integer", "bool": "boolean"}
LICENCES = [
    {
        "name": "CC-BY-SA-4.0",
        "path": "https://creativecommons.org/licenses/by-sa/4.0/",
        "title": "Creative Commons Attribution Share-Alike 4.0 (rows derived from Papers with Code,"
        " "
        "SQuAD leaderboard; share-alike applies to the tables as a whole)",
    },
    {
        "name": "CC-BY-4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "Creative Commons Attribution 4.0 (rows derived from Epoch AI)",
    },
]
SOURCES = [
    {
        "title": "Papers with Code evaluation tables (2020-08-28 dump)",
        "path": "https://paperswithcode.com/",
    },
    {"title": "SQuAD leaderboard", "path": "https://rajpurkar.github.io/SQuAD-explorer/"},
    {"title": "NLP-progress", "path": "https://github.com/sebastianruder/NLP-progress"},
    {"title": "WER are we?", "path": "https://github.com/syhw/wer_are_we"},
    {
        "title": "Epoch AI, Data on Notable AI Models",
        "path": "https://epoch.ai/data/notable-ai-models",
    },
    {
        "title": "Epoch AI, Machine Learning Hardware",
        "path": "https://epoch.ai/data/machine-learning-hardware",
    },
    {
        "title": "timm (PyTorch Image Models)",
        "path": "https://github.com/huggingface/pytorch-image-models",
    },
    {
        "title": "OpenMMLab model zoos (MMPretrain, MMDetection, MMYOLO, MMPose)",
        "path": "https://github.com/open-mmlab",
    },
    {"title": "pycls model zoo", "path": "https://github.com/facebookresearch/pycls"},
    {
        "title": "Detectron / Detectron2 / maskrcnn-benchmark model zoos",
        "path": "https://github.com/facebookresearch/detectron2",
    },
    {"title": "convnet-burden", "path": "https://github.com/albanie/convnet-burden"},
    {"title": "DAWNBench", "path": "https://dawn.cs.stanford.edu/benchmark/"},
    {"title": "OpenAI, AI and Efficiency", "path": "https://openai.com/research/ai-and-efficiency"},
    {
        "title": "Hand-read compute facts (data/manual/compute_facts.csv)",
        "path": "data/manual/compute_facts.csv",
    },
    {
        "title": "Hand-read results (data/manual/results.csv)",
        "path": "data/manual/results.csv",
    },
]


SOURCE_TITLES: dict[str, str] = {
    "pwc_2020": "Papers with Code evaluation tables (2020-08-28 dump)",
    "squad_leaderboard": "SQuAD leaderboard",
    "nlp_progress_2020": "NLP-progress",
    "nlp_progress_2024": "NLP-progress",
    "wer_are_we": "WER are we?",
    "epoch-ai-models": "Epoch AI, Data on Notable AI Models",
    "epoch-ml-hardware": "Epoch AI, Machine Learning Hardware",
    "timm-results": "timm (PyTorch Image Models)",
    "timm-model-index-2021": "timm (PyTorch Image Models)",
    "mmpretrain-model-index": "OpenMMLab model zoos (MMPretrain, MMDetection, MMYOLO, MMPose)",
    "mmpose-model-index": "OpenMMLab model zoos (MMPretrain, MMDetection, MMYOLO, MMPose)",
    "mmyolo-model-index": "OpenMMLab model zoos (MMPretrain, MMDetection, MMYOLO, MMPose)",
    "pycls-model-zoo": "pycls model zoo",
    "detection-model-zoos": "Detectron / Detectron2 / maskrcnn-benchmark model zoos",
    "convnet-burden": "convnet-burden",
    "dawnbench-entries": "DAWNBench",
    "openai-ai-and-efficiency": "OpenAI, AI and Efficiency",
    "compute-facts": "Hand-read compute facts (data/manual/compute_facts.csv)",
    "manual_results": "Hand-read results (data/manual/results.csv)",
}
"""Source slug (``source`` column; for hardware the folder of ``source``) -> SOURCES title."""

FIELD_CONSTRAINTS: dict[str, dict[str, dict[str, object]]] = {
    "papers": {
        "paper_id": {"required": True, "unique": True},
        "title": {"required": True},
        "year": {"minimum": 1950, "maximum": 2026},
        "date": {"pattern": r"\d{4}-\d{2}(-\d{2})?"},
        "date_precision": {"enum": ["day", "month"]},
        "sources": {"required": True},
    },
    "results": {
        "result_id": {"required": True, "unique": True},
        "paper_id": {"required": True},
        "task": {"required": True, "enum": sorted(TASKS)},
        "benchmark": {"required": True},
        "benchmark_role": {"required": True, "enum": ["primary", "secondary"]},
        "metric": {"required": True, "enum": sorted(METRICS)},
        "value": {"required": True},
        "higher_is_better": {"required": True},
        "source": {"required": True},
        "score_origin": {
            "required": True,
            "enum": ["paper", "library re-evaluation", "library re-training"],
        },
    },
    "compute": {
        "compute_id": {"required": True, "unique": True},
        "paper_id": {"required": True},
        "match": {
            "required": True,
            "enum": ["same-record", "model", "architecture", "paper-best", "paper"],
        },
        "task": {"enum": sorted(TASKS)},
        "quantity": {"required": True, "enum": list(COMPUTE_QUANTITIES)},
        "value": {"required": True, "minimum": 0},
        "unit": {"required": True, "enum": sorted(set(COMPUTE_QUANTITIES.values()))},
        "method": {
            "required": True,
            "enum": ["reported", "hardware_burden", "network_operations", "epoch_estimate"],
        },
        "source": {"required": True},
    },
    "hardware": {
        "chip": {"required": True, "unique": True},
        "peak_fp32_flops": {"minimum": 0},
        "peak_fp16_flops": {"minimum": 0},
        "peak_tensor_flops": {"minimum": 0},
    },
}
"""Table Schema constraints written into the descriptor (checked by analysis.datapackage_check;
analysis.schema checks more, e.g. positive compute values and scores within metric bounds)."""


def _resource_sources(frame: pd.DataFrame) -> list[dict[str, str]]:
    """The SOURCES entries whose rows appear in a table (by its ``source``/``sources`` column)."""
    column = "sources" if "sources" in frame else "source"
    slugs = frame[column].dropna().astype(str).str.split(";").explode().str.split("/").str[0]
    titles = {SOURCE_TITLES.get(slug, slug) for slug in slugs}
    known = [source for source in SOURCES if source["title"] in titles]
    unknown = sorted(titles - {source["title"] for source in known})
    return known + [{"title": title} for title in unknown]


def _field_type(frame: pd.DataFrame, column: str) -> str:
    dtype = str(frame[column].dtype)
    if dtype in ("object", "string", "str"):
        return "string"
    return _FRICTIONLESS_TYPES.get(dtype, "number" if dtype.startswith("float") else "string")


def _resource(name: str, frame: pd.DataFrame, keys: dict[str, object]) -> dict[str, object]:
    descriptions = FIELD_DESCRIPTIONS.get(f"{name}.csv", {})
    constraints = FIELD_CONSTRAINTS.get(name, {})
    fields = [
        {
            "name": c,
            "type": _field_type(frame, c),
            "description": descriptions.get(c, "See analysis/hardware.py."),
            **({"constraints": constraints[c]} if c in constraints else {}),
        }
        for c in frame.columns
    ]
    return {
        "name": name,
        "path": f"{name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "licenses": LICENCES,
        "sources": _resource_sources(frame),
        "schema": {"fields": fields, **keys},
    }


def write_datapackage(tables: Tables, data_dir: Path) -> None:
    """Frictionless data-package descriptor for the four tables."""
    descriptor = {
        "name": "computational-limits-data",
        "title": "Computational Limits: deep-learning results and training compute",
        "description": "Benchmark results of papers in nine task families, with training-compute"
        " facts, "
        "assembled from public sources with per-value provenance. See README.md.",
        "version": "1.0.0",
        "licenses": LICENCES,
        "sources": SOURCES,
        "resources": [
            _resource("papers", tables.papers, {"primaryKey": "paper_id"}),
            _resource(
                "results",
                tables.results,
                {
                    "primaryKey": "result_id",
                    "foreignKeys": [
                        {
                            "fields": "paper_id",
                            "reference": {"resource": "papers", "fields": "paper_id"},
                        }
                    ],
                },
            ),
            _resource(
                "compute",
                tables.compute,
                {
                    "primaryKey": "compute_id",
                    "foreignKeys": [
                        {
                            "fields": "paper_id",
                            "reference": {"resource": "papers", "fields": "paper_id"},
                        },
                        {
                            "fields": "result_id",
                            "reference": {"resource": "results", "fields": "result_id"},
                        },
                        {"fields": "chip", "reference": {"resource": "hardware", "fields": "chip"}},
                    ],
                },
            ),
            _resource("hardware", tables.hardware, {"primaryKey": "chip"}),
        ],
    }
    (data_dir / "datapackage.json").write_text(
        json.dumps(descriptor, indent=2) + "\n", encoding="utf-8"
    )
    validate_datapackage(data_dir)


def write_data_dictionary(tables: Tables, path: Path) -> None:
    """data/README.md: what the tables are and every column of every table."""
    lines = [DATA_README_INTRO.strip(), ""]
    for name, frame in (
        ("papers.csv", tables.papers),
        ("results.csv", tables.results),
        ("compute.csv", tables.compute),
        ("hardware.csv", tables.hardware),
    ):
        descriptions = FIELD_DESCRIPTIONS.get(name, {})
        lines += [
            f"## `{name}` ({len(frame):,} rows)",
            "",
            "| column | type | description |",
            "|---|---|---|",
        ]
        for column in frame.columns:
            text = descriptions.get(
                column, "See `analysis/hardware.py` (helper-built hardware table)."
            )
            lines.append(f"| `{column}` | {_field_type(frame, column)} | {text} |")
        lines.append("")
    lines += [DATA_README_REPORTS.strip(), ""]
    path.write_text("\n".join(lines), encoding="utf-8")


DATA_README_INTRO = """
# Data

Generated by `.venv/bin/python -m analysis.curate` from the raw public sources (never copied here);
validated on every load by `analysis.dataset.load_tables`
(`.venv/bin/python -m analysis.curate --check`).
Do not edit the CSVs by hand: see `CONTRIBUTING.md`, "Adding a paper".

* `papers.csv`: one row per paper; `paper_id` is its BibTeX key in `references.bib`.
* `results.csv`: one row per reported score (paper, benchmark, metric, value).
* `compute.csv`: one row per compute value (long format), attached to results.
* `hardware.csv`: accelerators with peak throughput, for hardware burden.
* `datapackage.json`: Frictionless descriptor (types, constraints, primary and foreign keys,
  licences and sources per table), checked against the CSVs on every rebuild and `--check` by
  `analysis/datapackage_check.py` (`.venv/bin/python -m analysis.datapackage_check`).
* `LICENSE-DATA.md`: licences and attributions. `literature.bib`: hand-written literature.
* `manual/compute_facts.csv`: compute facts read by hand from papers (with location);
  `manual/results.csv`: results read by hand from papers (see `CONTRIBUTING.md`).

Papers are identified across sources by arXiv id (version stripped), else by normalised title
(case, accents, punctuation and spaces ignored); titles shared by different arXiv ids are listed
in `reports/dedup_ambiguous.csv`, never merged. The same score (paper, benchmark, metric, value
to two decimals) from two sources is kept once, from the higher-priority source.

Validation (`analysis/schema.py`) checks types, unique ids, scores within their metric's bounds,
errors consistent with the metric, dates that exist and lie in 1950-01-01 to 2026-12-31 (Epoch AI
lists classic systems from 1960), positive compute values, chips present in `hardware.csv`, and
that every result and compute row points to an existing paper (and result).

Error (what the models fit) is defined per metric in `analysis/benchmarks.py`: `100 - value` for
percent scores where higher is better, the value itself for WER, error rates and FID; none for
the inception score and other scores without a natural zero (kept, never fitted).
"""

DATA_README_REPORTS = """
## Reports (`reports/`)

* `exclusions.csv`: every source row not kept, counted per source and reason.
* `dedup_ambiguous.csv`: title matches between different arXiv ids, listed and not merged.
* `counts_by_domain.csv`: papers and results per task family.
* `coverage.csv`: per primary benchmark, results of its primary metric and how many have
  each compute measure; `with_any_measure_in_fits` counts those with at least one measure a
  fit may use (not flagged `in_fits` = no in `manual/source_flags.csv`, nor derived from
  such a value).
* `ensemble_withheld.csv`: ensemble results that a single-model compute record would have
  reached by model name or as the paper's best result, and was not attached to (a paper's
  single-model compute is never attached to its ensemble; ensemble records attach only to
  ensembles).
* `flagged_values.csv`: compute rows whose source value is kept as the source gives it but
  looks wrong (`manual/source_flags.csv` gives the finding and evidence).
* `date_conflicts.csv`: papers whose sources' publication dates (arXiv identifier month
  included) disagree by more than 90 days: one column per source with its date(s), the
  chosen date, where it comes from, the rule that chose it and the spread in days.

## Paper dates

`papers.date` is the day the paper first became public (`analysis/paper_dates.py`).
For a paper with an arXiv id, its arXiv v1 date outranks venue and Epoch AI dates:

1. a hand-entered v1 date from `manual/paper_dates.csv` (with its source; rejected unless it
   lies in the identifier's month or up to 7 days before it);
2. else the first full date, by source priority (Papers with Code, hand-read results, Epoch
   AI, then the rest; earliest within a source), that lies in that window: arXiv numbers a
   paper when it announces it, so v1 is in the identifier's month or a few days before, never
   after, and a date outside the window is a venue or later-version date;
3. else the identifier's month (`date_precision` month).

A paper without an arXiv id takes the first full date by the same source priority, else a
month from free text, else a SQuAD leaderboard submission date. Leaderboard submission dates
never count as publication dates and are shown in the conflict report for information only.
The year in `paper_id` follows the chosen date.

Compute attachment: model names are compared without a "(single model)" tag; records that
`manual/compute_scope.csv` scopes to another benchmark (with the source's own evidence) attach
only there. The `task` of a compute row is its result's task; a paper-level row keeps its
record's task when the paper has results in that task, and for a paper without results only
when the source labels the system with study task families alone (Epoch AI lists
"Question answering" for many general-purpose language models: those rows have no task).
"""


def main(argv: list[str] | None = None) -> int:
    """Command line: rebuild (default) or ``--check`` the committed tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only validate data/ and exit")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from analysis.dataset import DataValidationError, load_tables

    start = time.perf_counter()
    if not args.check:
        result = curate(sources_dir())
        try:
            write_outputs(result, args.data_dir)
        except DataValidationError as exc:
            log.error("validation failed: %s", exc)
            return 1
        log.info(
            "wrote %d papers, %d results, %d compute rows, %d chips",
            len(result.papers), len(result.results), len(result.compute), len(result.hardware),
        )  # fmt: skip
    try:
        tables = load_tables(args.data_dir)
        validate_datapackage(args.data_dir)
    except DataValidationError as exc:
        log.error("validation failed: %s", exc)
        return 1
    log.info(
        "valid: %d papers, %d results, %d compute rows (%.1f s)",
        len(tables.papers), len(tables.results), len(tables.compute), time.perf_counter() - start,
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
