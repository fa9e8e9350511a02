"""Publish a figure: glue it into the book and export it in citable, downloadable files.

Every figure gets ``figures/<label>.{svg,png,pdf,csv,json,bib}`` in the built site: the three
images, exactly the data plotted, the Vega-Lite spec (as drawn: after
:func:`analysis.book.theme.readable`) and a BibTeX entry citing the figure.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert as vlc

from analysis import __version__
from analysis.book.theme import readable
from analysis.paths import FIGURES_DIR

LABEL_PATTERN = re.compile(r"^fig-[a-z0-9]+(-[a-z0-9]+)*$")
PNG_PPI = 300
BOOK_TITLE = "Computational Limits"
BOOK_AUTHOR = "Computational Limits contributors"
EXPORT_SUFFIXES = ("svg", "png", "pdf", "csv", "json", "bib")


def check_label(label: str) -> str:
    """Return ``label`` if it is a stable figure label (``fig-<words>``), else raise."""
    if not LABEL_PATTERN.match(label):
        raise ValueError(
            f"figure label {label!r} must look like 'fig-chapter-what' "
            "(lower-case letters, digits and single hyphens)"
        )
    return label


def figure_bibtex(label: str, caption: str = "") -> str:
    """A BibTeX entry that cites one figure of the book, its version and its label."""
    year = dt.date.today().year
    key = label.replace("-", "_")
    note = f"Figure {label}, version {__version__}"
    title = caption or f"Figure {label}"
    return (
        f"@misc{{complim_{key},\n"
        f"  author = {{{BOOK_AUTHOR}}},\n"
        f"  title = {{{BOOK_TITLE}: {title}}},\n"
        f"  year = {{{year}}},\n"
        f"  note = {{{note}}},\n"
        f"  howpublished = {{{BOOK_TITLE}, figures/{label}.svg}}\n"
        "}\n"
    )


def figure_citation_text(label: str) -> str:
    """A plain-text citation of one figure."""
    year = dt.date.today().year
    return f"{BOOK_AUTHOR} ({year}). {BOOK_TITLE}, version {__version__}, figure {label}."


def export_figure(
    chart: alt.TopLevelMixin, label: str, data: pd.DataFrame, out_dir: Path = FIGURES_DIR
) -> dict[str, Path]:
    """Write the SVG, 300-ppi PNG, PDF, data CSV, spec JSON and BibTeX of one figure."""
    check_label(label)
    if data.empty:
        raise ValueError(f"figure {label}: the data behind it are empty")
    out_dir.mkdir(parents=True, exist_ok=True)
    spec = readable(chart.to_dict())
    paths = {suffix: out_dir / f"{label}.{suffix}" for suffix in EXPORT_SUFFIXES}
    paths["svg"].write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
    paths["png"].write_bytes(vlc.vegalite_to_png(spec, ppi=PNG_PPI))
    paths["pdf"].write_bytes(vlc.vegalite_to_pdf(spec))
    data.to_csv(paths["csv"], index=False)
    paths["json"].write_text(json.dumps(spec, indent=1, ensure_ascii=False), encoding="utf-8")
    title = str(spec.get("description", "")).split(".")[0]
    paths["bib"].write_text(figure_bibtex(label, title), encoding="utf-8")
    return paths


def publish_figure(
    chart: alt.TopLevelMixin, label: str, data: pd.DataFrame, *, alt_text: str
) -> alt.TopLevelMixin:
    """Export a chart's files and glue it under ``label`` for a ``{glue:figure}`` directive."""
    from myst_nb import glue

    if not alt_text.strip():
        raise ValueError(f"figure {label}: alt_text must describe the chart for screen readers")
    chart = chart.properties(description=alt_text)
    export_figure(chart, label, data)
    glue(label, chart, display=False)
    return chart
