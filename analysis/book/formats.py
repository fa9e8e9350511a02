"""Presentation of projections: interval text, powers of ten, display tables, chart data.

Part of the book stage.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.intervals import format_interval, number_text, power_of_ten_text
from analysis.projection.costs import CostModel, projection_table, target_grid
from analysis.projection.inputs import BookInputs

# --- presentation helpers (used by the chapters) ----------------------------------------------


def display_projection_table(table: pd.DataFrame) -> pd.DataFrame:
    """The projection table as readable strings (log10 values, median and interval)."""

    def interval(name: str) -> pd.Series:
        return pd.Series(
            [
                format_interval(m, lo, hi)
                for m, lo, hi in zip(
                    table[f"{name}_median"], table[f"{name}_lo"], table[f"{name}_hi"], strict=True
                )
            ],
            index=table.index,
        )

    return pd.DataFrame(
        {
            "series": table["series"],
            "target": table["target"],
            "target error": table["target_error"].round(2),
            "form": table["form"],
            "log10 multiplier vs today": interval("log10_multiplier"),
            "log10 FLOP": interval("log10_flop"),
            "log10 US$": interval("log10_usd"),
            "log10 t CO2e": interval("log10_t_co2e"),
            "log10 US$ (study's constant)": interval("log10_usd_published"),
            "log10 t CO2e (study's constant)": interval("log10_t_co2e_published"),
            "wrong-sign draws": table["n_wrong_sign"].astype(str)
            + " / "
            + table["n_draws"].astype(str),
        }
    )


def reader_projection_table(table: pd.DataFrame) -> pd.DataFrame:
    """The projection table's columns as :func:`analysis.book.tables.reader_table` shows them.

    Series and forms stay ids (the reader table names them), each log10 quantity keeps its
    median, lo and hi columns (shown as one interval of powers of ten), and the wrong-sign count
    becomes ``n / draws``.
    """
    quantities = [
        "log10_multiplier",
        "log10_flop",
        "log10_usd",
        "log10_t_co2e",
        "log10_usd_published",
        "log10_t_co2e_published",
    ]
    columns = ["series", "target", "target_error", "form"]
    columns += [f"{q}_{part}" for q in quantities for part in ("median", "lo", "hi")]
    out = table[columns].copy()
    wrong, draws = (table[c].astype(int).astype(str) for c in ("n_wrong_sign", "n_draws"))
    out["wrong_sign_draws"] = wrong + " / " + draws
    return out.reset_index(drop=True)


def trend_figure_data(model: CostModel, years: np.ndarray | None = None) -> pd.DataFrame:
    """Observations and the fitted trends (median, 90% band) of FLOP per US$ and per joule."""
    years = np.arange(2010, 2031, 0.5) if years is None else years
    frames = []
    for panel, trend in (("FLOP per US$", model.price), ("FLOP per joule", model.efficiency)):
        frames.append(
            pd.DataFrame(
                {
                    "panel": panel,
                    "part": "observation",
                    "year": trend.data["year"],
                    "y": trend.data["y"],
                }
            )
        )
        bands = np.array([np.quantile(trend.mean_at(y), [0.05, 0.5, 0.95]) for y in years])
        frames.append(
            pd.DataFrame(
                {
                    "panel": panel,
                    "part": "trend",
                    "year": years,
                    "y": bands[:, 1],
                    "lo": bands[:, 0],
                    "hi": bands[:, 2],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def whatif_grid(inputs: BookInputs, series: str, errors: np.ndarray) -> pd.DataFrame:
    """Quantiles of compute, US$ and t CO2e over ``errors`` for one series, both forms."""
    posteriors = inputs.posteriors("polynomial", [series]) + inputs.posteriors(
        "exponential", [series]
    )
    a = inputs.assumptions
    grid = target_grid(
        posteriors, {series: errors}, inputs.cost_model, year=a.year, measure=inputs.measure
    )
    return grid.replace([np.inf, -np.inf], np.nan)


def power_of_ten_markdown(
    median: float, lo: float | None = None, hi: float | None = None, digits: int = 1
) -> object:
    """MyST markdown '10^m (10^lo–10^hi)' with superscripts, for ``{glue:md}`key:myst```."""
    from IPython.display import Markdown

    return Markdown(power_of_ten_myst(median, lo, hi, digits))


def power_of_ten_myst(
    median: float, lo: float | None = None, hi: float | None = None, digits: int = 1
) -> str:
    """The text of :func:`power_of_ten_markdown`, to build longer MyST sentences with."""

    def one(value: float) -> str:
        if np.isinf(value):
            return power_of_ten_text(value)
        return f"10{{sup}}`{number_text(value, digits)}`"

    text = one(median)
    if lo is not None and hi is not None:
        text += f" ({one(lo)}–{one(hi)})"
    return text


def main(argv: list[str] | None = None) -> None:
    """Print the projection table for the assumptions file (``python -m analysis.book.formats``)."""
    import argparse

    from analysis.book.context import BookContext
    from analysis.projection.assumptions import load_assumptions

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--config", default=None, help="assumptions YAML (default: config/)")
    parser.add_argument("--kind", default="mean", choices=["mean", "predictive"])
    args = parser.parse_args(argv)
    inputs = BookContext(load_assumptions(args.config)).projection()
    a = inputs.assumptions
    posteriors = inputs.posteriors("polynomial") + inputs.posteriors("exponential")
    table = projection_table(
        posteriors,
        inputs.targets(),
        inputs.today,
        inputs.cost_model,
        year=a.year,
        measure=inputs.measure,
        kind=args.kind,
    )
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print(display_projection_table(table).to_string(index=False))


if __name__ == "__main__":
    main()
