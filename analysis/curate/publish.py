"""Reports, the Frictionless descriptor ``data/datapackage.json`` and the data dictionary
``data/README.md``, written from the curated tables.

Part of the curate stage; imports vocab, ingest and data only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.curate.cost_tables import cost_dictionary, cost_resources
from analysis.curate.datapackage_check import validate_datapackage
from analysis.curate.identity import COMPUTE_QUANTITIES
from analysis.data import Tables
from analysis.schema import FIELD_DESCRIPTIONS
from analysis.vocab.tasks import (
    METRICS,
    TASKS,
)


def ensemble_report(withheld: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """Ensemble results not given a single-model compute record (one row per pair), with the
    benchmark and metric of the result and how the record would have been attached."""
    info = results.set_index("result_id")[["benchmark", "metric", "model"]]
    out = withheld.drop_duplicates().merge(
        info.rename(columns={"model": "result_model"}),
        left_on="result_id",
        right_index=True,
        how="left",
    )
    return out.rename(columns={"model": "record_model", "match": "would_match"}).sort_values(
        ["benchmark", "paper_id", "result_id", "source", "source_record"]
    )[
        [
            "benchmark", "metric", "paper_id", "result_id", "result_model", "source",
            "source_record", "record_model", "would_match",
        ]
    ]  # fmt: skip


_FRICTIONLESS_TYPES = {"str": "string", "float64": "number", "Int64": "integer", "bool": "boolean"}
LICENCES = [
    {
        "name": "CC-BY-SA-4.0",
        "path": "https://creativecommons.org/licenses/by-sa/4.0/",
        "title": "Creative Commons Attribution Share-Alike 4.0 (rows derived from Papers with Code,"
        " "
        "SQuAD leaderboard; share-alike applies to the tables as a whole)",
    },
    {
        "name": "CC-BY-4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "Creative Commons Attribution 4.0 (rows derived from Epoch AI)",
    },
]
SOURCES = [
    {
        "title": "Papers with Code evaluation tables (2020-08-28 dump)",
        "path": "https://paperswithcode.com/",
    },
    {"title": "SQuAD leaderboard", "path": "https://rajpurkar.github.io/SQuAD-explorer/"},
    {"title": "NLP-progress", "path": "https://github.com/sebastianruder/NLP-progress"},
    {"title": "WER are we?", "path": "https://github.com/syhw/wer_are_we"},
    {
        "title": "Epoch AI, Data on Notable AI Models",
        "path": "https://epoch.ai/data/notable-ai-models",
    },
    {
        "title": "Epoch AI, Machine Learning Hardware",
        "path": "https://epoch.ai/data/machine-learning-hardware",
    },
    {
        "title": "timm (PyTorch Image Models)",
        "path": "https://github.com/huggingface/pytorch-image-models",
    },
    {
        "title": "OpenMMLab model zoos (MMPretrain, MMDetection, MMYOLO, MMPose)",
        "path": "https://github.com/open-mmlab",
    },
    {"title": "pycls model zoo", "path": "https://github.com/facebookresearch/pycls"},
    {
        "title": "Detectron / Detectron2 / maskrcnn-benchmark model zoos",
        "path": "https://github.com/facebookresearch/detectron2",
    },
    {"title": "convnet-burden", "path": "https://github.com/albanie/convnet-burden"},
    {"title": "DAWNBench", "path": "https://dawn.cs.stanford.edu/benchmark/"},
    {"title": "OpenAI, AI and Efficiency", "path": "https://openai.com/research/ai-and-efficiency"},
    {
        "title": "Hand-read compute facts (data/manual/compute_facts.csv)",
        "path": "data/manual/compute_facts.csv",
    },
    {
        "title": "Hand-read results (data/manual/results.csv)",
        "path": "data/manual/results.csv",
    },
]


SOURCE_TITLES: dict[str, str] = {
    "pwc_2020": "Papers with Code evaluation tables (2020-08-28 dump)",
    "squad_leaderboard": "SQuAD leaderboard",
    "nlp_progress_2020": "NLP-progress",
    "nlp_progress_2024": "NLP-progress",
    "wer_are_we": "WER are we?",
    "epoch-ai-models": "Epoch AI, Data on Notable AI Models",
    "epoch-ml-hardware": "Epoch AI, Machine Learning Hardware",
    "timm-results": "timm (PyTorch Image Models)",
    "timm-model-index-2021": "timm (PyTorch Image Models)",
    "mmpretrain-model-index": "OpenMMLab model zoos (MMPretrain, MMDetection, MMYOLO, MMPose)",
    "mmpose-model-index": "OpenMMLab model zoos (MMPretrain, MMDetection, MMYOLO, MMPose)",
    "mmyolo-model-index": "OpenMMLab model zoos (MMPretrain, MMDetection, MMYOLO, MMPose)",
    "pycls-model-zoo": "pycls model zoo",
    "detection-model-zoos": "Detectron / Detectron2 / maskrcnn-benchmark model zoos",
    "convnet-burden": "convnet-burden",
    "dawnbench-entries": "DAWNBench",
    "openai-ai-and-efficiency": "OpenAI, AI and Efficiency",
    "compute-facts": "Hand-read compute facts (data/manual/compute_facts.csv)",
    "manual_results": "Hand-read results (data/manual/results.csv)",
}
"""Source slug (``source`` column; for hardware the folder of ``source``) -> SOURCES title."""

FIELD_CONSTRAINTS: dict[str, dict[str, dict[str, object]]] = {
    "papers": {
        "paper_id": {"required": True, "unique": True},
        "title": {"required": True},
        "year": {"minimum": 1950, "maximum": 2026},
        "date": {"pattern": r"\d{4}-\d{2}(-\d{2})?"},
        "date_precision": {"enum": ["day", "month"]},
        "sources": {"required": True},
    },
    "results": {
        "result_id": {"required": True, "unique": True},
        "paper_id": {"required": True},
        "task": {"required": True, "enum": sorted(TASKS)},
        "benchmark": {"required": True},
        "benchmark_role": {"required": True, "enum": ["primary", "secondary"]},
        "metric": {"required": True, "enum": sorted(METRICS)},
        "value": {"required": True},
        "higher_is_better": {"required": True},
        "source": {"required": True},
        "score_origin": {
            "required": True,
            "enum": ["paper", "library re-evaluation", "library re-training"],
        },
        "result_date": {"pattern": r"\d{4}-\d{2}(-\d{2})?"},
        "result_date_flag": {"enum": ["upper_bound", "snapshot_date"]},
        "architecture_date": {"pattern": r"\d{4}-\d{2}(-\d{2})?"},
        "population": {"required": True, "enum": ["paper", "same_weights", "retraining"]},
        "compute_includes_pretraining": {"enum": ["yes", "no", "n/a (no pre-training)", "unknown"]},
    },
    "compute": {
        "compute_id": {"required": True, "unique": True},
        "paper_id": {"required": True},
        "match": {
            "required": True,
            "enum": ["same-record", "model", "architecture", "paper-best", "paper"],
        },
        "task": {"enum": sorted(TASKS)},
        "quantity": {"required": True, "enum": list(COMPUTE_QUANTITIES)},
        "value": {"required": True, "minimum": 0},
        "unit": {"required": True, "enum": sorted(set(COMPUTE_QUANTITIES.values()))},
        "method": {
            "required": True,
            "enum": ["reported", "hardware_burden", "network_operations", "epoch_estimate"],
        },
        "source": {"required": True},
    },
    "hardware": {
        "chip": {"required": True, "unique": True},
        "peak_fp32_flops": {"minimum": 0},
        "peak_fp16_flops": {"minimum": 0},
        "peak_tensor_flops": {"minimum": 0},
    },
}
"""Table Schema constraints written into the descriptor (checked by analysis.datapackage_check;
analysis.schema checks more, e.g. positive compute values and scores within metric bounds)."""


def _resource_sources(frame: pd.DataFrame) -> list[dict[str, str]]:
    """The SOURCES entries whose rows appear in a table (by its ``source``/``sources`` column)."""
    column = "sources" if "sources" in frame else "source"
    slugs = frame[column].dropna().astype(str).str.split(";").explode().str.split("/").str[0]
    titles = {SOURCE_TITLES.get(slug, slug) for slug in slugs}
    known = [source for source in SOURCES if source["title"] in titles]
    unknown = sorted(titles - {source["title"] for source in known})
    return known + [{"title": title} for title in unknown]


def _field_type(frame: pd.DataFrame, column: str) -> str:
    dtype = str(frame[column].dtype)
    if dtype in ("object", "string", "str"):
        return "string"
    return _FRICTIONLESS_TYPES.get(dtype, "number" if dtype.startswith("float") else "string")


def _resource(name: str, frame: pd.DataFrame, keys: dict[str, object]) -> dict[str, object]:
    descriptions = FIELD_DESCRIPTIONS.get(f"{name}.csv", {})
    constraints = FIELD_CONSTRAINTS.get(name, {})
    fields = [
        {
            "name": c,
            "type": _field_type(frame, c),
            "description": descriptions.get(c, "See analysis/hardware.py."),
            **({"constraints": constraints[c]} if c in constraints else {}),
        }
        for c in frame.columns
    ]
    return {
        "name": name,
        "path": f"{name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "licenses": LICENCES,
        "sources": _resource_sources(frame),
        "schema": {"fields": fields, **keys},
    }


REPORT_FIELDS: dict[str, dict[str, str]] = {
    "compute_search": {
        "paper_id": "Paper searched (papers.csv), by arXiv id else normalised title; empty when "
        "the paper has no row in papers.csv.",
        "arxiv_id": "arXiv identifier of the paper, without version; empty if none.",
        "paper_title": "Title of the paper (or of the repositories read, for a search without "
        "a paper).",
        "task": "Task family (or families, ';'-separated) of the benchmark(s).",
        "benchmark": "Primary benchmark slug(s) the compute was looked for, ';'-separated.",
        "looked_for": "What was looked for (chip type and count, training time, steps, epochs, "
        "a stated training FLOP count, FLOPs per pass).",
        "where": "Where it was looked for: stored copies of the paper's text (search index ids), "
        "the official repository at a named commit, its README, configs or logs.",
        "outcome": "What was found, as written by the reader (found, partial, not found, not "
        "usable, ... and why); the fact ids of what was found.",
        "outcome_kind": "The outcome's first words: found, partial, not found, not usable, not "
        "used, not attached, not attachable, or other.",
        "pass": "The reading pass that made the search (data/manual/README.md).",
    },
    "duplicates": {
        "series": "Benchmark and metric of the pair (benchmark/metric).",
        "paper_id": "Paper whose result and whose released weights the pair share.",
        "paper_result_id": "The paper's own result (kept in the default fits).",
        "paper_model": "Model name of the paper's result.",
        "paper_value": "Score of the paper's result.",
        "zoo_result_id": "The zoo re-evaluation of the same released weights (left out of the "
        "default fits when the paper's result is in the same fit).",
        "zoo_model": "Model name in the zoo.",
        "zoo_value": "Score of the zoo re-evaluation.",
        "zoo_source": "The zoo source.",
        "difference": "Absolute difference of the two scores (points).",
        "candidates": "Paper results of the same paper, benchmark, metric and model size within "
        "the tolerance (the nearest is paired).",
    },
}
"""Reports described in the descriptor (``reports/<name>.csv``), column -> description."""
REPORT_TITLES: dict[str, str] = {
    "compute_search": "Searches for training compute in papers and official repositories "
    "(hand-curated in data/manual/compute_search.csv), found or not.",
    "duplicates": "Pairs of a paper's own result and a zoo re-evaluation of the paper authors' "
    "released weights: one training run, counted once (analysis.data.duplicate_pairs).",
}
REPORT_INPUTS: dict[str, str] = {
    "compute_search": "manual/compute_search.csv",
    "duplicates": "manual/same_weights.csv",
}


def _report_resources(data_dir: Path) -> list[dict[str, object]]:
    """Descriptor resources of the reports in :data:`REPORT_FIELDS` that exist."""
    resources = []
    for name, descriptions in REPORT_FIELDS.items():
        path = Path(data_dir) / "reports" / f"{name}.csv"
        if not path.exists():
            continue
        frame = pd.read_csv(path, dtype=str, nrows=0)
        fields = [
            {"name": c, "type": "string", "description": descriptions.get(c, "")}
            for c in frame.columns
        ]
        resources.append(
            {
                "name": name,
                "path": f"reports/{name}.csv",
                "description": REPORT_TITLES.get(name, ""),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "licenses": LICENCES,
                "sources": [{"title": f"data/{REPORT_INPUTS[name]}", "path": REPORT_INPUTS[name]}],
                "schema": {"fields": fields},
            }
        )
    return resources


def write_datapackage(tables: Tables, data_dir: Path) -> None:
    """Frictionless data-package descriptor for the four tables."""
    descriptor = {
        "name": "computational-limits-data",
        "title": "Computational Limits: deep-learning results and training compute",
        "description": "Benchmark results of papers in nine task families, with training-compute"
        " facts, "
        "assembled from public sources with per-value provenance. See README.md.",
        "version": "1.0.0",
        "licenses": LICENCES,
        "sources": SOURCES,
        "resources": [
            _resource("papers", tables.papers, {"primaryKey": "paper_id"}),
            _resource(
                "results",
                tables.results,
                {
                    "primaryKey": "result_id",
                    "foreignKeys": [
                        {
                            "fields": "paper_id",
                            "reference": {"resource": "papers", "fields": "paper_id"},
                        }
                    ],
                },
            ),
            _resource(
                "compute",
                tables.compute,
                {
                    "primaryKey": "compute_id",
                    "foreignKeys": [
                        {
                            "fields": "paper_id",
                            "reference": {"resource": "papers", "fields": "paper_id"},
                        },
                        {
                            "fields": "result_id",
                            "reference": {"resource": "results", "fields": "result_id"},
                        },
                        {"fields": "chip", "reference": {"resource": "hardware", "fields": "chip"}},
                    ],
                },
            ),
            _resource("hardware", tables.hardware, {"primaryKey": "chip"}),
            *cost_resources(),
            *_report_resources(data_dir),
        ],
    }
    (data_dir / "datapackage.json").write_text(
        json.dumps(descriptor, indent=2) + "\n", encoding="utf-8"
    )
    validate_datapackage(data_dir)


def write_data_dictionary(tables: Tables, path: Path) -> None:
    """data/README.md: what the tables are and every column of every table."""
    lines = [DATA_README_INTRO.strip(), ""]
    for name, frame in (
        ("papers.csv", tables.papers),
        ("results.csv", tables.results),
        ("compute.csv", tables.compute),
        ("hardware.csv", tables.hardware),
    ):
        descriptions = FIELD_DESCRIPTIONS.get(name, {})
        lines += [
            f"## `{name}` ({len(frame):,} rows)",
            "",
            "| column | type | description |",
            "|---|---|---|",
        ]
        for column in frame.columns:
            text = descriptions.get(
                column, "See `analysis/hardware.py` (helper-built hardware table)."
            )
            lines.append(f"| `{column}` | {_field_type(frame, column)} | {text} |")
        lines.append("")
    lines += [*cost_dictionary(path.parent), DATA_README_REPORTS.strip(), ""]
    path.write_text("\n".join(lines), encoding="utf-8")


DATA_README_INTRO = """
# Data

Generated by `.venv/bin/python -m analysis.curate` from the raw public sources (never copied here);
validated on every load by `analysis.dataset.load_tables`
(`.venv/bin/python -m analysis.curate --check`).
Do not edit the CSVs by hand: see `CONTRIBUTING.md`, "Adding a paper".

* `papers.csv`: one row per paper; `paper_id` is its BibTeX key in `references.bib`.
* `results.csv`: one row per reported score (paper, benchmark, metric, value).
* `compute.csv`: one row per compute value (long format), attached to results.
* `hardware.csv`: accelerators with peak throughput, for hardware burden.
* `prices.csv`, `price_index.csv`, `accelerator_efficiency.csv`, `carbon_intensity.csv`: the
  cost inputs of the projections (hardware prices, the US PPI, ML accelerators' peak rates and
  power, grid carbon intensities), see "Cost inputs" below.
* `datapackage.json`: Frictionless descriptor (types, constraints, primary and foreign keys,
  licences and sources per table), checked against the CSVs on every rebuild and `--check` by
  `analysis/datapackage_check.py` (`.venv/bin/python -m analysis.datapackage_check`).
* `LICENSE-DATA.md`: licences and attributions. `literature.bib`: hand-written literature.
* `manual/compute_facts.csv`: compute facts read by hand from papers (with location);
  `manual/results.csv`: results read by hand from papers (see `CONTRIBUTING.md`).
* `manual/authors.csv`: hand-curated authors (BibTeX form; an organisation that published a
  model announcement as a braced name such as `{OpenAI}`) and venue of papers whose sources give
  none, each with the page or record it was read from; they fill an empty `authors` / `venue`
  of `papers.csv` and never overwrite a source's value (see `manual/README.md`).
* `manual/result_dates.csv`, `manual/same_weights.csv`, `manual/extra_data.csv`: hand-curated
  tables about results, keyed by the score itself (source, source_file, model, benchmark,
  metric, value_reported; never a result_id or a line): the day each model-zoo score became
  public (the zoo commit that first lists those weights with that score), the zoo scores that
  re-evaluate the paper authors' own released weights, and the extra training data of every
  image-classification result (see `manual/README.md`).

Time and population (`results.csv`): `result_date` is the day a score became public (a paper's
own result: the paper's date; a zoo score: its commit in `manual/result_dates.csv`, never the
architecture's date; a zoo score without a row stops the rebuild), `architecture_date` the date
of the paper that introduced the architecture. `analysis.data.primary_results` and every fit
table take `date` and `year` from `result_date`. `population` is paper, same_weights (a zoo
re-evaluation of the authors' released weights) or retraining (library re-trainings and other
re-evaluations): the default rows are paper + same_weights, one row per training run
(`reports/duplicates.csv`), the sensitivity rows retraining (`analysis.data.split_population`).

Papers are identified across sources by arXiv id (version stripped), else by normalised title
(case, accents, punctuation and spaces ignored); titles shared by different arXiv ids are listed
in `reports/dedup_ambiguous.csv`, never merged. The same score (paper, benchmark, metric, value
to two decimals) from two sources is kept once, from the higher-priority source.

Validation (`analysis/schema.py`) checks types, unique ids, scores within their metric's bounds,
errors consistent with the metric, dates that exist and lie in 1950-01-01 to 2026-12-31 (Epoch AI
lists classic systems from 1960), positive compute values, chips present in `hardware.csv`, and
that every result and compute row points to an existing paper (and result).

Error (what the models fit) is defined per metric in `analysis/benchmarks.py`: `100 - value` for
percent scores where higher is better, the value itself for WER, error rates and FID; none for
the inception score and other scores without a natural zero (kept, never fitted).
"""

DATA_README_REPORTS = """
## Reports (`reports/`)

* `exclusions.csv`: every source row not kept, counted per source and reason.
* `dedup_ambiguous.csv`: title matches between different arXiv ids, listed and not merged.
* `author_conflicts.csv`: papers whose authors (compared by surname) or venue in
  `manual/authors.csv` disagree with what a source gives: the source's value is kept, the
  hand-curated one listed with its source.
* `counts_by_domain.csv`: papers and results per task family.
* `coverage.csv`: per primary benchmark, results of its primary metric and how many have
  each compute measure; `with_any_measure_in_fits` counts those with at least one measure a
  fit may use (not flagged `in_fits` = no in `manual/source_flags.csv`, nor derived from
  such a value).
* `ensemble_withheld.csv`: ensemble results that a single-model compute record would have
  reached by model name or as the paper's best result, and was not attached to (a paper's
  single-model compute is never attached to its ensemble; ensemble records attach only to
  ensembles).
* `flagged_values.csv`: compute rows whose source value is kept as the source gives it but
  looks wrong (`manual/source_flags.csv` gives the finding and evidence).
* `date_conflicts.csv`: papers whose sources' publication dates (arXiv identifier month
  included) disagree by more than 90 days: one column per source with its date(s), the
  chosen date, where it comes from, the rule that chose it and the spread in days.
* `duplicates.csv`: pairs of a paper's own result and a zoo re-evaluation of the paper
  authors' released weights (`population` same_weights) of the same paper, benchmark and
  metric, model size (the numbers and size words of the names) and extra data, whose scores
  differ by at most 0.5 points (the nearest when several qualify): one training run. The
  default fits keep the paper's row and leave the zoo row out when both are in the same fit
  (`analysis.data.split_population`, reason counted in the fit table's `excluded`).
* `compute_search.csv`: every paper (and benchmark) read for training compute, what was
  looked for, where (stored copies of the text, the official repository at a commit) and the
  outcome, found or not, with its `paper_id` and task; written from the hand-curated
  `manual/compute_search.csv` so that the next reader does not repeat a search (described in
  `datapackage.json`).

## Paper dates

`papers.date` is the day the paper first became public (`analysis/paper_dates.py`).
For a paper with an arXiv id, its arXiv v1 date outranks venue and Epoch AI dates:

1. a hand-entered v1 date from `manual/paper_dates.csv` (with its source; rejected unless it
   lies in the identifier's month or up to 7 days before it);
2. else the first full date, by source priority (Papers with Code, hand-read results, Epoch
   AI, then the rest; earliest within a source), that lies in that window: arXiv numbers a
   paper when it announces it, so v1 is in the identifier's month or a few days before, never
   after, and a date outside the window is a venue or later-version date;
3. else the identifier's month (`date_precision` month).

A paper without an arXiv id takes the first full date by the same source priority, else a
month from free text, else a SQuAD leaderboard submission date. Leaderboard submission dates
never count as publication dates and are shown in the conflict report for information only.
The year in `paper_id` follows the chosen date.

Compute attachment: model names are compared without a "(single model)" tag; records that
`manual/compute_scope.csv` scopes to another benchmark (with the source's own evidence) attach
only there. The `task` of a compute row is its result's task; a paper-level row keeps its
record's task when the paper has results in that task, and for a paper without results only
when the source labels the system with study task families alone (Epoch AI lists
"Question answering" for many general-purpose language models: those rows have no task).
"""
