"""Paper identity: one id per paper (arXiv id first, then normalised title; ambiguous matches
listed, never merged), and the text helpers the curation steps share.

Part of the curate stage; imports vocab, ingest and data only.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.ingest.paper_dates import (
    choose_date,
    conflict_columns,
    conflict_row,
)

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
sources follow in the order ``read_all_records`` returns them."""

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
    ids to hand-entered v1 dates (:mod:`analysis.ingest.paper_dates` gives the date precedence)."""
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
    :data:`analysis.ingest.paper_dates.CONFLICT_DAYS` days: each source's dates, chosen date and
    rule."""
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
