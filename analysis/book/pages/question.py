"""The question chapter (``book/question.md``): what its code cell calls."""

from __future__ import annotations

from analysis.book.context import book_context
from analysis.book.figures import publish_figure
from analysis.book.glue import glue_value, setup_chapter
from analysis.book.pages.overview import (
    HEADLINE_SERIES,
    frontier_chart,
    frontier_over_time,
    scaling_chart,
    scaling_points,
    scope_counts,
)


def publish() -> None:
    """Glue the scope counts and publish the frontier and ImageNet scaling figures."""
    setup_chapter()
    tables = book_context().tables
    scope = scope_counts(tables)
    for key, value in scope.items():
        glue_value(f"question-{key}", value)

    frontier = frontier_over_time(tables)
    glue_value("question-frontier-series", len(HEADLINE_SERIES))
    publish_figure(
        frontier_chart(frontier),
        "fig-question-frontier",
        frontier,
        alt_text="Best error reached so far over time on the study's five original benchmarks, log "
        "scale.",
    )

    imagenet = scaling_points(tables, "imagenet/top1_accuracy", "flops_per_pass")
    glue_value("question-imagenet-points", len(imagenet))
    publish_figure(
        scaling_chart(imagenet, "flops_per_pass"),
        "fig-question-imagenet-scaling",
        imagenet,
        alt_text="ImageNet top-1 error against compute per forward pass, both on log scales, "
        "coloured by year.",
    )
