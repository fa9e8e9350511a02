"""The reproduction chapter (``book/reproduction.md``): what its code cell calls."""

from __future__ import annotations

from types import SimpleNamespace

from analysis.book import tables
from analysis.book.context import book_context
from analysis.book.glue import glue_value, setup_chapter
from analysis.book.headline import frontier_headline
from analysis.checks import reproduction as rp

VERDICT_KEYS = (
    "imagenet-5pc",
    "ninth-power",
    "cost-co2",
    "polynomial-best",
    "progress",
    "compute-growth",
    "imagenet-1pc",
    "training-costs",
    "bert-large",
    "evolved-transformer",
)
COLUMNS = ["claim", "tag", "study", "ours", "mean_line", "agree", "reason"]


def publish() -> SimpleNamespace:
    """Compare each claim of the study with ours (the frontier headline, and the mean-line
    model beside it) and glue the verdicts."""
    setup_chapter()
    page_items: dict[str, object] = {}
    ctx = book_context()
    headline = frontier_headline()
    inputs = rp.reproduction_inputs(ctx.projection(rp.FIT_KEYS), headline, ctx.tables)
    table = rp.reproduction_table(inputs)
    counts = table["agree"].value_counts()
    for verdict in ("yes", "partly", "no", "n/a"):
        glue_value(f"reproduction-n-{verdict.replace('/', '')}", int(counts.get(verdict, 0)))
    glue_value("reproduction-n-claims", len(table))
    glue_value("reproduction-measure", inputs.measure.replace("_", " "))
    glue_value("reproduction-n-rows", len(inputs.rows))
    glue_value("reproduction-min-rows", inputs.min_rows)
    glue_value("reproduction-frontier-best", headline.best_error)
    glue_value("reproduction-frontier-year", int(headline.year))
    glue_value("reproduction-frontier-weights", rp.weights_text(headline))
    verdicts = table.set_index("key")["agree"]
    for key in VERDICT_KEYS:
        glue_value(f"reproduction-verdict-{key}", verdicts.get(key, "n/a"))

    claims = table[COLUMNS].rename(columns={"ours": "ours (frontier)", "mean_line": "mean line"})
    page_items["claims"] = tables.reader_table(claims, "tab-reproduction-claims")
    page_items["table"] = table
    return SimpleNamespace(**page_items)
