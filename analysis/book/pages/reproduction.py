"""The reproduction chapter (``book/reproduction.md``): what its code cell calls."""

from __future__ import annotations

from types import SimpleNamespace

from analysis.book.context import book_context
from analysis.book.glue import glue_value, setup_chapter
from analysis.checks import reproduction as rp


def publish() -> SimpleNamespace:
    """Compare each claim of the study with ours and glue the verdicts."""
    setup_chapter()
    page_items: dict[str, object] = {}
    inputs = rp.reproduction_inputs(book_context().projection(rp.FIT_KEYS))
    table = rp.reproduction_table(inputs)
    counts = table["agree"].value_counts()
    for verdict in ("yes", "partly", "no", "n/a"):
        glue_value(f"reproduction-n-{verdict.replace('/', '')}", int(counts.get(verdict, 0)))
    glue_value("reproduction-n-claims", len(table))
    glue_value("reproduction-measure", inputs.measure.replace("_", " "))
    glue_value("reproduction-n-rows", len(inputs.rows))
    glue_value("reproduction-min-rows", inputs.min_rows)
    verdicts = table.set_index("key")["agree"]
    for key in ("imagenet-5pc", "ninth-power", "cost-co2", "polynomial-best", "progress"):
        glue_value(f"reproduction-verdict-{key}", verdicts.get(key, "n/a"))

    page_items["claims"] = table[["claim", "tag", "study", "ours", "agree", "reason"]]
    return SimpleNamespace(**page_items)
