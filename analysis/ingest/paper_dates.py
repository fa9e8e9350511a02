"""A paper's date: the day it first became public, with the rule that chose it.

Precedence (documented in ``data/README.md`` and ``CONTRIBUTING.md``):

* **Paper with an arXiv id** (new-style ``yymm.nnnnn``): the arXiv v1 date wins over venue and
  Epoch AI dates. In order: a hand-entered v1 date (``data/manual/paper_dates.csv``, with its
  source); else the first full date, by :data:`DATE_PRIORITY`, that *agrees with the identifier's
  month* (arXiv gives the identifier when it announces a submission, so v1 lies in that month or
  up to :data:`ON_HOLD_DAYS` before it, never after); else the identifier's month itself.
  A source date outside that window is a venue or later-version date and is not used.
* **Paper without an arXiv id**: the first full date by :data:`DATE_PRIORITY` (earliest within
  the source); else a month from free text; else a leaderboard submission date.

Papers whose sources' publication dates (identifier month included, leaderboard submission dates
not) spread over more than :data:`CONFLICT_DAYS` days are listed by :func:`date_conflicts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.paths import DATA_DIR

MANUAL_DATES_FILE = DATA_DIR / "manual" / "paper_dates.csv"
MANUAL_DATES_COLUMNS = ("arxiv_id", "date", "source_url", "source_location", "note")
"""Columns of ``data/manual/paper_dates.csv``: hand-entered arXiv v1 dates with their source."""

HAND = "manual_dates"
"""Source name of a hand-entered date."""

DATE_PRIORITY: tuple[str, ...] = (HAND, "pwc_2020", "manual_results", "epoch-ai-models")
"""Sources whose full dates are preferred, in order (Papers with Code gives the arXiv v1 date;
the others follow; e.g. OpenAI's "AI and Efficiency" table dates ResNet 2015-01-10, ten months
before its arXiv submission, and is used only when nothing else has a date)."""

DATE_FROM_SUBMISSION = ("squad_leaderboard",)
"""Sources whose ``paper_date`` is a leaderboard submission date, used only when nothing better."""

ON_HOLD_DAYS = 7
"""How far before its identifier's month an arXiv v1 submission date may lie (papers on hold)."""

CONFLICT_DAYS = 90
"""Sources disagreeing by more than this many days put the paper in the conflict report."""

RULE_HAND = "hand-entered arXiv v1 date"
RULE_AGREES = "full date agreeing with the arXiv identifier month (arXiv v1)"
RULE_ID_MONTH = "arXiv identifier month (no source date agrees with it)"
RULE_DAY = "no arXiv id: first full date by source priority"
RULE_MONTH = "no arXiv id: earliest published month"
RULE_SUBMISSION = "no arXiv id: leaderboard submission date"

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


@dataclass(frozen=True)
class DateChoice:
    """A paper's chosen date, its precision (day/month), provenance text and rule."""

    date: str | None = None
    precision: str | None = None
    source: str | None = None
    rule: str | None = None


def arxiv_month(arxiv_id: object) -> str | None:
    """``YYYY-MM`` of a new-style arXiv identifier (``2006.03654`` -> ``2020-06``), else None."""
    if isinstance(arxiv_id, str) and re.fullmatch(r"\d{4}\.\d{4,5}", arxiv_id):
        year, month = 2000 + int(arxiv_id[:2]), int(arxiv_id[2:4])
        if 1 <= month <= 12:
            return f"{year:04d}-{month:02d}"
    return None


def date_span(text: object) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last day covered by ``YYYY-MM-DD`` or ``YYYY-MM``; None if not a date."""
    if not isinstance(text, str):
        return None
    if _DAY.match(text):
        day = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        return None if pd.isna(day) else (day, day)
    if _MONTH.match(text):
        first = pd.to_datetime(f"{text}-01", format="%Y-%m-%d", errors="coerce")
        return None if pd.isna(first) else (first, first + pd.offsets.MonthEnd(0))
    return None


def agrees_with_arxiv_id(date: str, arxiv_id: object) -> bool:
    """Whether a full date can be the v1 date of ``arxiv_id``: in the identifier's month or up
    to :data:`ON_HOLD_DAYS` days before it."""
    month, day = date_span(arxiv_month(arxiv_id)), date_span(date)
    if month is None or day is None:
        return False
    return month[0] - pd.Timedelta(days=ON_HOLD_DAYS) <= day[0] <= month[1]


def gap_days(a: str, b: str) -> int:
    """Days between two dates (0 when a month contains the other date)."""
    span_a, span_b = date_span(a), date_span(b)
    if span_a is None or span_b is None:
        raise ValueError(f"not a date: {a!r} or {b!r}")
    return max(0, (span_b[0] - span_a[1]).days, (span_a[0] - span_b[1]).days)


def source_dates(group: pd.DataFrame, hand_date: str | None = None) -> pd.DataFrame:
    """(source, paper_date) pairs of a paper's records that are dates, hand date first."""
    dates = group[["source", "paper_date"]].dropna()
    is_date = [date_span(str(d)) is not None for d in dates["paper_date"]]
    dates = dates.loc[is_date]
    dates = dates.assign(paper_date=dates["paper_date"].astype(str))
    if hand_date:
        hand = pd.DataFrame({"source": [HAND], "paper_date": [hand_date]})
        dates = pd.concat([hand, dates], ignore_index=True)
    return dates.reset_index(drop=True)


def _rank(source: str) -> int:
    return DATE_PRIORITY.index(source) if source in DATE_PRIORITY else len(DATE_PRIORITY)


def _first_by_priority(days: pd.DataFrame) -> pd.Series:
    ranked = days.assign(_rank=days["source"].map(_rank))
    return ranked.sort_values(["_rank", "paper_date"], kind="stable").iloc[0]


def _label(source: str) -> str:
    return "data/manual/paper_dates.csv" if source == HAND else f"{source} paper_date"


def choose_date(group: pd.DataFrame, arxiv_id: object, hand_date: str | None = None) -> DateChoice:
    """The paper's date by the module's precedence (see the module docstring)."""
    dates = source_dates(group, hand_date)
    publication = dates[~dates["source"].isin(DATE_FROM_SUBMISSION)]
    days = publication[publication["paper_date"].str.match(_DAY)]
    month = arxiv_month(arxiv_id)
    if month:
        agreeing = days.loc[[agrees_with_arxiv_id(d, arxiv_id) for d in days["paper_date"]]]
        if len(agreeing):
            row = _first_by_priority(agreeing)
            rule = RULE_HAND if row["source"] == HAND else RULE_AGREES
            return DateChoice(row["paper_date"], "day", _label(row["source"]), rule)
        return DateChoice(month, "month", "arXiv identifier (submission month)", RULE_ID_MONTH)
    if len(days):
        row = _first_by_priority(days)
        return DateChoice(row["paper_date"], "day", _label(row["source"]), RULE_DAY)
    months = publication[publication["paper_date"].str.match(_MONTH)]
    if len(months):
        row = months.sort_values("paper_date", kind="stable").iloc[0]
        return DateChoice(
            row["paper_date"], "month", f"{row['source']} published month", RULE_MONTH
        )
    submitted = dates[dates["source"].isin(DATE_FROM_SUBMISSION)]
    submitted = submitted[submitted["paper_date"].str.match(_DAY)]
    if len(submitted):
        row = submitted.sort_values("paper_date", kind="stable").iloc[0]
        source = f"{row['source']} submission date"
        return DateChoice(row["paper_date"], "day", source, RULE_SUBMISSION)
    return DateChoice()


def paper_date(
    group: pd.DataFrame, arxiv_id: object, hand_date: str | None = None
) -> tuple[str | None, str | None, str | None]:
    """(date, precision, provenance) of a paper from its records (:func:`choose_date`)."""
    choice = choose_date(group, arxiv_id, hand_date)
    return choice.date, choice.precision, choice.source


def date_spread(group: pd.DataFrame, arxiv_id: object, hand_date: str | None = None) -> int:
    """Largest gap in days between any two publication dates of a paper (identifier month
    included, leaderboard submission dates not); 0 with fewer than two dates."""
    dates = source_dates(group, hand_date)
    values = dates.loc[~dates["source"].isin(DATE_FROM_SUBMISSION), "paper_date"].tolist()
    if arxiv_month(arxiv_id):
        values.append(arxiv_month(arxiv_id))
    spans = [date_span(v) for v in sorted(set(values))]
    if len(spans) < 2:
        return 0
    latest_start = max(s[0] for s in spans)
    earliest_end = min(s[1] for s in spans)
    return max(0, (latest_start - earliest_end).days)


def conflict_row(
    group: pd.DataFrame, arxiv_id: object, hand_date: str | None = None
) -> dict[str, object] | None:
    """Report row (each source's dates, chosen date, rule, spread) when the paper's sources
    disagree by more than :data:`CONFLICT_DAYS` days, else None."""
    spread = date_spread(group, arxiv_id, hand_date)
    if spread <= CONFLICT_DAYS:
        return None
    choice = choose_date(group, arxiv_id, hand_date)
    dates = source_dates(group, hand_date)
    by_source = dates.groupby("source")["paper_date"].agg(lambda s: ";".join(sorted(set(s))))
    return {
        "arxiv_id": arxiv_id,
        "arxiv_id_month": arxiv_month(arxiv_id),
        **by_source.to_dict(),
        "chosen_date": choice.date,
        "date_source": choice.source,
        "rule": choice.rule,
        "spread_days": spread,
    }


def conflict_columns(sources: list[str]) -> list[str]:
    """Report columns: ids, one column per date source (priority order, submission last)."""
    ordered = sorted(
        set(sources),
        key=lambda s: (s in DATE_FROM_SUBMISSION, _rank(s), s),
    )
    return [
        "paper_id",
        "arxiv_id",
        "arxiv_id_month",
        *ordered,
        "chosen_date",
        "date_source",
        "rule",
        "spread_days",
    ]


def read_manual_dates(path: Path = MANUAL_DATES_FILE) -> dict[str, str]:
    """arXiv id -> hand-entered v1 date. Each row needs a new-style arXiv id (once), a real
    ``YYYY-MM-DD`` date agreeing with the identifier's month, a source URL and location.

    Raises ``ValueError`` naming file, line and column on bad input.
    """
    if not path.exists():
        return {}
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if tuple(frame.columns) != MANUAL_DATES_COLUMNS:
        raise ValueError(f"{path.name}, line 1: header must be {','.join(MANUAL_DATES_COLUMNS)}")
    dates: dict[str, str] = {}
    for index, row in frame.iterrows():
        _check_manual_date(path.name, index + 2, row, dates)
        dates[row["arxiv_id"]] = row["date"]
    return dates


def _check_manual_date(file: str, line: int, row: pd.Series, seen: dict[str, str]) -> None:
    def fail(column: str, problem: str) -> None:
        raise ValueError(
            f"{file}, line {line}, column {column!r}: {problem} (value: {row[column]!r})"
        )

    if not arxiv_month(row["arxiv_id"]):
        fail("arxiv_id", "not a new-style arXiv identifier (yymm.nnnnn, no version)")
    if row["arxiv_id"] in seen:
        fail("arxiv_id", "entered twice")
    if not (_DAY.match(row["date"]) and date_span(row["date"])):
        fail("date", "not a calendar date YYYY-MM-DD")
    if not agrees_with_arxiv_id(row["date"], row["arxiv_id"]):
        month = arxiv_month(row["arxiv_id"])
        fail(
            "date",
            f"cannot be the v1 date of {row['arxiv_id']} (must lie in {month}"
            f" or up to {ON_HOLD_DAYS} days before it)",
        )
    for column in ("source_url", "source_location"):
        if not row[column].strip():
            fail(column, "required")
