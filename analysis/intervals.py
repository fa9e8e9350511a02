"""Summaries of posterior draws and their text: the one set every stage uses.

A summary is the median and a central interval of draws. Quantiles are actual draws
(``inverted_cdf``) unless asked otherwise, so a draw of +inf (a target never reached) stays +inf
instead of being averaged away. In text, +inf prints as ∞, -inf as −∞ (and 10^-inf as 0), and
-0.0 as 0.0.

Sits beside :mod:`analysis.paths`: imports nothing from the package, may be imported anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def interval_of(
    values: np.ndarray,
    interval: float = 0.9,
    *,
    quantiles: Sequence[float] | None = None,
    method: str = "inverted_cdf",
) -> tuple[float, float, float]:
    """(median, lo, hi) of draws: the central ``interval`` (or the given lower and upper
    ``quantiles``), computed with numpy's quantile ``method``."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        raise ValueError("no draws to summarise")
    if quantiles is None:
        tail = (1.0 - interval) / 2.0
        lo, median, hi = np.quantile(values, [tail, 0.5, 1.0 - tail], method=method)
    else:  # the median as numpy computes it (np.median for the default linear method)
        median = (
            np.median(values) if method == "linear" else np.quantile(values, 0.5, method=method)
        )
        lo, hi = np.quantile(values, list(quantiles), method=method)
    return float(median), float(lo), float(hi)


def summarise(values: np.ndarray, interval: float = 0.9) -> dict[str, float]:
    """Median and central interval of draws with the number of draws and of infinite draws."""
    values = np.asarray(values, dtype=float)
    median, lo, hi = interval_of(values, interval)
    return {
        "median": median,
        "lo": lo,
        "hi": hi,
        "n_draws": float(values.size),
        "n_infinite": float(np.isinf(values).sum()),
    }


def number_text(value: float, digits: int = 1) -> str:
    """``value`` to ``digits`` decimals; ∞ and −∞ for infinities; never "-0.0"."""
    if np.isposinf(value):
        return "∞"
    if np.isneginf(value):
        return "−∞"
    return f"{round(value, digits) + 0.0:.{digits}f}"  # + 0.0 turns -0.0 into 0.0


def format_interval(median: float, lo: float, hi: float, digits: int = 1, unit: str = "") -> str:
    """'25.8 (24.5–28.1)'; infinite bounds print as ∞ or −∞ (see :func:`number_text`)."""
    return (
        f"{number_text(median, digits)}{unit} ({number_text(lo, digits)}–{number_text(hi, digits)})"
    )


def power_of_ten_text(log10_value: float, digits: int = 1) -> str:
    """'10^3.2' from a log10 value; ∞ for +inf and 0 for -inf (10^-inf)."""
    if np.isposinf(log10_value):
        return "∞"
    if np.isneginf(log10_value):
        return "0"
    return f"10^{number_text(log10_value, digits)}"


def format_power_of_ten(median: float, lo: float, hi: float, digits: int = 1) -> str:
    """'10^3.2 (10^2.9–10^3.6)' from log10 values (see :func:`power_of_ten_text`)."""
    return (
        f"{power_of_ten_text(median, digits)} "
        f"({power_of_ten_text(lo, digits)}–{power_of_ten_text(hi, digits)})"
    )
