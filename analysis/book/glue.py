"""The preamble every chapter runs first, and small helpers for computed prose."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.book import theme


def setup_chapter() -> None:
    """Switch on the book's Altair theme and offline renderer, and fix display options."""
    theme.enable()
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.width", 120)
    np.set_printoptions(precision=4, suppress=True)


def glue_value(key: str, value: object) -> object:
    """Glue a value for prose (``{glue:text}`key```) without displaying it here."""
    from myst_nb import glue

    glue(key, value, display=False)
    return value
