"""Reader tables: a DataFrame as a reader should see it in the book.

:func:`reader_frame` turns a DataFrame into display text: human column names with units from
:mod:`analysis.book.labels`, no index, integers as integers, a few significant figures, intervals
as ``median (lo–hi)``, log10 quantities as powers of ten and series, measure, form, task and
benchmark ids replaced by their names. :func:`reader_table` wraps that in an object whose HTML is
a static table: every table sorts by a click on its header, and a long one (more than
:data:`LONG_ROWS` rows) also gets a filter box, a row count and a CSV download of its data, the
way every figure has one. The small script that sorts and filters is ``_static/complim-tables.js``
(no network, no library); the table scrolls inside its own box and never widens the page.

Intervals are found by column names: ``x`` (or ``x_median``) with ``x_lo`` and ``x_hi``.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.book import labels
from analysis.book.theme import superscript
from analysis.paths import FIGURES_DIR

TABLES_DIR = FIGURES_DIR.parent / "tables"
"""Where each labelled table's CSV is written; the site serves it under ``tables/``."""
ROOT_PLACEHOLDER = "@complim-root@"
"""Stands for the relative path to the site root in table HTML; the Sphinx extension fills it."""
LONG_ROWS = 12
"""Tables with more rows than this are long: filter box, row count and CSV download."""
LABEL_PATTERN = re.compile(r"^tab-[a-z0-9]+(-[a-z0-9]+)*$")
MISSING = "—"
SIG_FIGS = 3
INTERVAL_SIG_FIGS = 2
"""Intervals are uncertain by construction: two significant figures of the median are enough."""


@dataclass(frozen=True)
class Cell:
    """One displayed cell: its HTML and the value it sorts by (a number or text)."""

    html: str
    sort: float | str

    def text(self) -> str:
        """The cell as plain text (superscripts as Unicode)."""
        return _html_to_text(self.html)


def _html_to_text(markup: str) -> str:
    text = re.sub(r"<sup>([^<]*)</sup>", lambda m: superscript(m.group(1)), markup)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


# --- numbers ----------------------------------------------------------------------------------


def _is_missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def decimals_for(values: Iterable[float], sig: int = SIG_FIGS) -> int:
    """Decimals that give ``sig`` significant figures to the column's typical (median) value."""
    finite = [abs(v) for v in values if np.isfinite(v) and v != 0]
    if not finite:
        return 0
    magnitude = math.floor(math.log10(float(np.median(finite))))
    return int(min(4, max(0, sig - 1 - magnitude)))


def number_html(value: float, decimals: int) -> str:
    """A number for a table: fixed decimals, thousands separated, huge/tiny as ``a×10ⁿ``."""
    if _is_missing(value):
        return MISSING
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value != 0 and (abs(value) >= 1e7 or abs(value) < 10 ** -(decimals + 1)):
        exponent = math.floor(math.log10(abs(value)))
        mantissa = value / 10**exponent
        text = f"{mantissa:.{max(0, SIG_FIGS - 1)}f}".rstrip("0").rstrip(".")
        prefix = "" if text == "1" else f"{text}×"
        return f"{prefix}10<sup>{exponent}</sup>".replace("-", "−")
    return f"{value:,.{decimals}f}".replace("-", "−")


def power_html(log10_value: float, digits: int = 1) -> str:
    """``10<sup>23.4</sup>`` for a log10 value (``∞`` and ``0`` at the infinities)."""
    if _is_missing(log10_value):
        return MISSING
    if math.isinf(log10_value):
        return "∞" if log10_value > 0 else "0"
    exponent = f"{log10_value:.{digits}f}".replace("-", "−")
    return f"10<sup>{exponent}</sup>"


def interval_html(median: str, lo: str, hi: str) -> str:
    """``median (lo–hi)``; ``median (lo to hi)`` when a bound is negative."""
    if median == MISSING:
        return MISSING
    joint = " to " if "−" in lo + hi else "–"
    return f"{median} ({lo}{joint}{hi})"


# --- columns ----------------------------------------------------------------------------------


def _interval_groups(columns: Sequence[str]) -> dict[str, tuple[str, str, str]]:
    """``base -> (median column, lo column, hi column)`` for every interval trio."""
    groups = {}
    for column in columns:
        if not column.endswith("_lo"):
            continue
        base = column[: -len("_lo")]
        if f"{base}_hi" not in columns:
            continue
        for median in (f"{base}_median", base):
            if median in columns:
                groups[base] = (median, column, f"{base}_hi")
                break
    return groups


def _is_integral(series: pd.Series) -> bool:
    values = pd.to_numeric(series, errors="coerce").dropna()
    values = values[np.isfinite(values)]
    return bool(len(values)) and bool(np.all(values == np.round(values)))


def _column_cells(name: str, series: pd.Series, sig: int) -> list[Cell]:
    """Display cells of one column (ids named, numbers rounded, log10 values as powers)."""
    if name in labels.VALUE_NAMERS:
        names = [None if _is_missing(v) else str(labels.value_label(name, v)) for v in series]
        return [Cell(MISSING, "") if n is None else Cell(html.escape(n), n) for n in names]
    if pd.api.types.is_bool_dtype(series):
        return [Cell("yes" if v else "no", int(bool(v))) for v in series]
    if pd.api.types.is_numeric_dtype(series):
        values = series.astype(float)
        if name.startswith("log10_"):
            return [Cell(power_html(v), _sort_number(v)) for v in values]
        if any(word in name.lower() for word in YEAR_WORDS):
            decimals = 0 if _is_integral(values) else 1
            return [Cell(_year_html(v, decimals), _sort_number(v)) for v in values]
        decimals = 0 if _is_integral(values) else decimals_for(values, sig)
        return [Cell(number_html(v, decimals), _sort_number(v)) for v in values]
    cells = []
    for v in series:
        if _is_missing(v):
            cells.append(Cell(MISSING, ""))
        else:
            text = labels.replace_ids(str(v))
            cells.append(Cell(_no_e_notation(html.escape(text)), text.casefold()))
    return cells


YEAR_WORDS = ("year", "cutoff", "date", "period")
"""Numeric columns whose name holds one of these are years: no thousands separator."""


def _year_html(value: float, decimals: int) -> str:
    if _is_missing(value) or not np.isfinite(value):
        return MISSING
    return f"{value:.{decimals}f}"


_E_NOTATION = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?)[eE]([+-]?\d+)\b")


def _no_e_notation(text: str) -> str:
    """Numbers written like ``6.874e+16`` inside text become ``6.874×10<sup>16</sup>``."""

    def power(match: re.Match[str]) -> str:
        mantissa, exponent = match.group(1), int(match.group(2))
        prefix = "" if float(mantissa) == 1 else f"{mantissa}×"
        return f"{prefix}10<sup>{exponent}</sup>".replace("-", "−")

    return _E_NOTATION.sub(power, text)


def _sort_number(value: float) -> float:
    return float("-inf") if _is_missing(value) else float(value)


def _interval_cells(frame: pd.DataFrame, trio: tuple[str, str, str], sig: int) -> list[Cell]:
    median, lo, hi = (frame[c].astype(float) for c in trio)
    if trio[0].startswith("log10_"):
        parts = [[power_html(v) for v in col] for col in (median, lo, hi)]
    else:
        decimals = decimals_for(median, min(sig, INTERVAL_SIG_FIGS))
        parts = [[number_html(v, decimals) for v in col] for col in (median, lo, hi)]
    return [
        Cell(interval_html(m, a, b), _sort_number(v))
        for m, a, b, v in zip(*parts, median, strict=True)
    ]


def reader_cells(
    frame: pd.DataFrame, *, sig: int = SIG_FIGS, rename: dict[str, str] | None = None
) -> tuple[list[str], list[list[Cell]]]:
    """Headers and cells of a reader table (see the module docstring)."""
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        frame = frame.reset_index()
    rename = rename or {}
    groups = _interval_groups(list(frame.columns))
    in_group = {c: base for base, trio in groups.items() for c in trio}
    headers, columns = [], []
    for column in frame.columns:
        column = str(column)
        base = in_group.get(column)
        if base is not None:
            if column != groups[base][0]:
                continue
            headers.append(rename.get(base) or labels.column_label(base))
            columns.append(_interval_cells(frame, groups[base], sig))
            continue
        headers.append(rename.get(column) or labels.column_label(column))
        columns.append(_column_cells(column, frame[column], sig))
    rows = [list(row) for row in zip(*columns, strict=True)] if columns else []
    return headers, rows


def reader_frame(
    frame: pd.DataFrame, *, sig: int = SIG_FIGS, rename: dict[str, str] | None = None
) -> pd.DataFrame:
    """The reader table as a DataFrame of plain text (for tests and the console)."""
    headers, rows = reader_cells(frame, sig=sig, rename=rename)
    return pd.DataFrame([[c.text() for c in row] for row in rows], columns=headers)


# --- HTML -------------------------------------------------------------------------------------


def check_label(label: str) -> str:
    """Return ``label`` if it is a stable table label (``tab-<words>``), else raise."""
    if not LABEL_PATTERN.match(label):
        raise ValueError(
            f"table label {label!r} must look like 'tab-chapter-what' "
            "(lower-case letters, digits and single hyphens)"
        )
    return label


@dataclass(repr=False)
class ReaderTable:
    """A table for readers; displays (and glues) as static, sortable HTML."""

    headers: list[str]
    rows: list[list[Cell]]
    label: str | None = None
    caption: str | None = None

    @property
    def long(self) -> bool:
        """Whether the table gets a filter box, a row count and a CSV download."""
        return len(self.rows) > LONG_ROWS

    def to_frame(self) -> pd.DataFrame:
        """The displayed text as a DataFrame."""
        return pd.DataFrame([[c.text() for c in r] for r in self.rows], columns=self.headers)

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        return f"<reader table {self.label or ''}: {len(self.rows)} rows x {len(self.headers)}>"

    def html(self) -> str:
        """The table's HTML: tools line (long tables), scroll box, table."""
        numeric = [
            all(isinstance(row[i].sort, float | int) for row in self.rows)
            for i in range(len(self.headers))
        ]
        head = "".join(
            f'<th scope="col" aria-sort="none" data-type="{"num" if num else "text"}">'
            f'<button type="button" class="complim-sort">{html.escape(h)}</button></th>'
            for h, num in zip(self.headers, numeric, strict=True)
        )
        body = "\n".join(
            "<tr>"
            + "".join(
                f'<td data-sort="{html.escape(_sort_text(c.sort), quote=True)}"'
                + (f' class="num{" wrap" if "(" in c.html else ""}"' if num else "")
                + f">{c.html}</td>"
                for c, num in zip(row, numeric, strict=True)
            )
            + "</tr>"
            for row in self.rows
        )
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        ident = f' id="{self.label}"' if self.label else ""
        tools = ""
        if self.long:
            csv = (
                f' · <a class="complim-table-csv" href="{ROOT_PLACEHOLDER}tables/{self.label}.csv"'
                " download>Data CSV</a>"
                if self.label
                else ""
            )
            tools = (
                '<div class="complim-table-tools">'
                '<input type="search" class="complim-table-filter" '
                'placeholder="Filter rows (every word must match)" aria-label="Filter rows">'
                f' <span class="complim-table-count" aria-live="polite">{len(self.rows)} rows'
                f"</span>{csv}</div>"
            )
        kind = " complim-table-long" if self.long else ""
        return (
            f'<div class="complim-table{kind}"{ident}>{tools}'
            f'<div class="complim-table-scroll"><table class="table">{caption}'
            f"<thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></div></div>"
        )


def _sort_text(value: float | str) -> str:
    if isinstance(value, str):
        return value
    if math.isinf(value):
        return "-1e308" if value < 0 else "1e308"
    return repr(float(value))


def reader_table(
    frame: pd.DataFrame,
    label: str | None = None,
    *,
    caption: str | None = None,
    sig: int = SIG_FIGS,
    rename: dict[str, str] | None = None,
    csv_dir: Path | None = None,
    require_label: bool = True,
) -> ReaderTable:
    """A DataFrame as a reader table; a long one needs a ``label`` (its CSV is written).

    The CSV holds the data as given (ids and full precision), like a figure's data file.
    ``require_label=False`` lets a long table go without its CSV (the display fallback).
    """
    headers, rows = reader_cells(frame, sig=sig, rename=rename)
    table = ReaderTable(headers, rows, label=check_label(label) if label else None, caption=caption)
    if table.long and label is None and require_label:
        raise ValueError(f"a table of {len(rows)} rows needs a label for its CSV download")
    if label is not None:
        out = csv_dir or TABLES_DIR
        out.mkdir(parents=True, exist_ok=True)
        data = frame.reset_index() if not isinstance(frame.index, pd.RangeIndex) else frame
        data.to_csv(out / f"{label}.csv", index=False)
    return table


def glue_table(key: str, frame: pd.DataFrame, **kwargs: object) -> ReaderTable:
    """Glue a DataFrame under ``key`` as a reader table (labelled ``tab-<key>`` when long)."""
    from myst_nb import glue

    label = kwargs.pop("label", None) or (f"tab-{key}" if len(frame) > LONG_ROWS else None)
    table = reader_table(frame, label, **kwargs)  # type: ignore[arg-type]
    glue(key, table, display=False)
    return table


def use_reader_tables() -> bool:
    """Show every DataFrame a chapter displays or glues as a reader table (in a kernel only).

    Registers :func:`reader_table` as IPython's HTML formatter of ``pandas.DataFrame``, so a
    table no page function converted still reaches the reader with names, no index and rounded
    numbers (long ones without a CSV: give them a label with :func:`glue_table`).
    """
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, lambda f: reader_table(f, require_label=False).html())
    return True
