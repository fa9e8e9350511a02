"""The preamble every chapter runs first, and small helpers for computed prose."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from analysis.book import tables, theme


def setup_chapter() -> None:
    """Switch on the book's Altair theme and offline renderer, and fix display options."""
    theme.enable()
    tables.use_reader_tables()
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.width", 120)
    np.set_printoptions(precision=4, suppress=True)


def page_namespace(prefix: str, items: dict[str, object]) -> SimpleNamespace:
    """What a page function returns to its chapter: DataFrames become reader tables.

    Each DataFrame item ``name`` becomes a reader table labelled ``tab-<prefix>-<name>`` (with
    its CSV download when it is long); every other item is returned as it is.
    """
    shown = {}
    for name, value in items.items():
        if isinstance(value, pd.DataFrame):
            label = f"tab-{prefix}-{name}".replace("_", "-")
            value = tables.reader_table(value, label if len(value) > tables.LONG_ROWS else None)
        shown[name] = value
    return SimpleNamespace(**shown)


def glue_value(key: str, value: object) -> object:
    """Glue a value for prose (``{glue:text}`key```) without displaying it here.

    A DataFrame is glued as a reader table (:mod:`analysis.book.tables`); a long one is labelled
    ``tab-<key>`` and gets its CSV download.
    """
    from myst_nb import glue

    shown = value
    if isinstance(value, pd.DataFrame):
        label = f"tab-{key}" if len(value) > tables.LONG_ROWS else None
        shown = tables.reader_table(value, label)
    glue(key, shown, display=False)
    return value
