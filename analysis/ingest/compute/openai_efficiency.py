"""OpenAI "AI and Efficiency" (Hernandez & Brown 2020, arXiv 2005.04305): training compute to reach
a fixed ImageNet or WMT-14 EN-FR level.

Source folder ``openai-ai-and-efficiency``. ``value`` is the fixed *target level* the model reached
(AlexNet-level 79.1 % and ResNet-50-level 92.9 % ImageNet top-5; Seq2Seq-level 34.8 and GNMT-level
39.92 BLEU), not the model's best score; ``training_flops`` is the compute to reach it
(teraflop/s-days × 8.64e16), ``training_flops_method = "reported"`` as published by OpenAI.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.ingest._common import (
    attach_exclusions,
    normalise_arxiv_id,
    records_frame,
    require_columns,
)
from analysis.vocab.measures import teraflop_s_days_to_flop

SOURCE = "openai-ai-and-efficiency"
LICENCE = "none stated (cite Hernandez & Brown 2020)"
FILE = "efficiency_sota.csv"
TARGETS = {
    "AlexNet": ("image_classification", "imagenet", "top5_accuracy", 79.1),
    "ResNet-50": ("image_classification", "imagenet", "top5_accuracy", 92.9),
    "Seq2Seq": ("machine_translation", "wmt2014_en_fr", "bleu", 34.8),
    "GNMT": ("machine_translation", "wmt2014_en_fr", "bleu", 39.92),
}
"""Target group → (task, benchmark, metric, target level) as the PROVENANCE/README define them."""
COLUMNS = (
    "Metric",
    "Publication Date",
    "Publication",
    "Publication link",
    "Compute (teraflops-s/days)",
    "Analysis",
)


def read(sources_dir: Path) -> pd.DataFrame:
    """One record per row: the compute a model needed to reach its group's target level."""
    path = sources_dir / SOURCE / FILE
    frame = pd.read_csv(path)
    require_columns(frame, COLUMNS, path)
    rows = []
    for index, row in frame.iterrows():
        if row["Metric"] not in TARGETS:
            raise ValueError(f"{path}, row {index + 2}, column Metric: unknown {row['Metric']!r}")
        task, benchmark, metric, target = TARGETS[row["Metric"]]
        date = datetime.strptime(row["Publication Date"], "%m/%d/%Y").date()
        rows.append(
            {
                "source_file": f"{SOURCE}/{FILE}",
                "source_record": f"row {index + 2}: {row['Publication']}",
                "paper_title": np.nan,
                "paper_url": row["Publication link"],
                "arxiv_id": normalise_arxiv_id(row["Publication link"]),
                "paper_date": date.isoformat(),
                "year": float(date.year),
                "model": row["Publication"],
                "task": task,
                "benchmark": benchmark,
                "metric": metric,
                "value": target,
                "score_origin": "paper",
                "training_flops": teraflop_s_days_to_flop(row["Compute (teraflops-s/days)"]),
                "training_flops_method": "reported",
                "source_url": "https://github.com/openai/ai-and-efficiency",
                "source_location": (
                    f"compute to reach the {row['Metric']}-level target ({target}); "
                    f"{row['Compute (teraflops-s/days)']} teraflop/s-days; "
                    f"analysis: {row['Analysis']}"
                ),
            }
        )
    return attach_exclusions(records_frame(rows, SOURCE, LICENCE), Counter())
