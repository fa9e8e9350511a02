"""The benchmark appendix (``book/appendix-benchmark.md``): the fit timings of ``make bench``.

Reads ``reports/benchmark.json``, written by :mod:`analysis.site.bench_fits`, and
``reports/build-times.json``, written by :mod:`analysis.site.bench_build`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.book.glue import glue_value, setup_chapter
from analysis.paths import REPO_ROOT

JSON_PATH = REPO_ROOT / "reports" / "benchmark.json"
BUILD_TIMES_PATH = REPO_ROOT / "reports" / "build-times.json"
BUILD_STEPS = (
    ("cold_build_s", "cold_executed", "cold build (empty caches)", 360.0),
    ("warm_rebuild_s", "warm_executed", "warm rebuild (nothing changed)", 10.0),
    ("one_chapter_edited_s", "one_chapter_executed", "rebuild after editing one chapter", None),
    ("assumptions_edited_s", "assumptions_executed", "rebuild after an assumptions edit", 30.0),
)
"""Per build of ``make bench-build``: its seconds and chapters keys, its name and the project's
target in seconds (None: no target)."""


def publish(path: Path = JSON_PATH, build_times: Path = BUILD_TIMES_PATH) -> None:
    """Glue the appendix's items from the JSON reports, or say how to produce them."""
    setup_chapter()
    from IPython.display import Markdown

    table = build_table(build_times)
    glue_value("appendix-build-status", Markdown(build_status(build_times)))
    glue_value("appendix-build-table", table)
    glue_value("appendix-build-answer", Markdown(build_answer(table)))

    if not path.exists():
        glue_value(
            "appendix-benchmark-status",
            Markdown(
                "The benchmark report `reports/benchmark.json` is not present in this build. "
                "Produce it with `make bench` (`.venv/bin/python -m analysis.site.bench_fits`)."
            ),
        )
        glue_value("appendix-benchmark-table", pd.DataFrame())
        glue_value("appendix-benchmark-answer", Markdown("Not measured in this build."))
        return
    result = json.loads(path.read_text(encoding="utf-8"))
    table = pd.DataFrame(result["fits"])[
        ["fit", "n_obs", "wall_s", "compile_s", "sample_s", "min_ess_bulk", "min_ess_per_s"]
    ].round(2)
    cpus = result["machine"]["cpus"]
    latent = table["fit"].str.startswith("measurement-error")
    glue_value(
        "appendix-benchmark-status",
        Markdown(
            f"Measured on {cpus} CPUs: {len(table)} fits from a cold cache took "
            f"{result['cold_total_s']:.0f} s in all (data loading included): "
            f"{table.loc[~latent, 'wall_s'].sum():.0f} s for the {int((~latent).sum())} fits of "
            f"one compute measure each and {table.loc[latent, 'wall_s'].sum():.0f} s for the "
            f"{int(latent.sum())} measurement-error fits. A rebuild with the cache warm took "
            f"{result['warm_total_s']:.1f} s. Per fit, wall time, compile and sampling time and "
            "the smallest bulk ESS per second of sampling:"
        ),
    )
    glue_value("appendix-benchmark-table", table)
    glue_value("appendix-benchmark-tasks", per_task_times(result["fits"]))
    glue_value("appendix-benchmark-answer", Markdown(nutpie_sentence(result)))


def per_task_times(fits: list[dict[str, Any]]) -> pd.DataFrame:
    """Per task: how many fits contain it and their summed wall time (a joint fit covers several
    tasks at once, so its time counts for each of them; the column does not add up)."""
    records = [
        {"task": task, "wall_s": fit["wall_s"]}
        for fit in fits
        for task in fit.get("task_names", [])
    ]
    if not records:
        return pd.DataFrame(columns=["task", "fits", "wall_s_of_those_fits"])
    frame = pd.DataFrame.from_records(records)
    grouped = frame.groupby("task")["wall_s"]
    out = pd.DataFrame({"fits": grouped.size(), "wall_s_of_those_fits": grouped.sum().round(1)})
    return out.reset_index()


def nutpie_sentence(result: dict[str, Any]) -> str:
    """nutpie against PyMC's default NUTS, in words that stay true either way round."""
    ess_ratio = result["nutpie_vs_pymc_ess_per_s"]
    wall_ratio = result["nutpie_vs_pymc_wall"]
    speed = (
        f"finishes {wall_ratio:.1f} times faster in wall time"
        if wall_ratio >= 1
        else f"takes {1 / wall_ratio:.1f} times as long in wall time"
    )
    return (
        f"On the {readable_fit(result['pymc_nuts']['fit'])} fit, nutpie reaches "
        f"{ess_ratio:.1f} times the effective samples per second of PyMC's default NUTS and "
        f"{speed} (compilation included: nutpie "
        "compiles each model structure once per process and reuses it for every fit of that "
        "structure, which the per-fit times above show)."
    )


def build_table(path: Path = BUILD_TIMES_PATH) -> pd.DataFrame:
    """The book's build times (``reports/build-times.json``) against the targets; empty when
    the report is absent."""
    columns = ["build", "wall time (s)", "chapters executed", "target (s)", "target met"]
    if not path.exists():
        return pd.DataFrame(columns=columns)
    result = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for seconds_key, executed_key, name, target in BUILD_STEPS:
        seconds = float(result[seconds_key])
        met = "" if target is None else ("yes" if seconds <= target else "no")
        if executed_key != "warm_executed" and not result[executed_key]:
            met = "not measured: the edit re-executed no chapter"
        shown_target = "" if target is None else f"{target:.0f}"
        rows.append([name, round(seconds, 1), len(result[executed_key]), shown_target, met])
    return pd.DataFrame(rows, columns=columns)


def build_status(path: Path = BUILD_TIMES_PATH) -> str:
    """Where and when the build times were measured, or how to measure them."""
    if not path.exists():
        return (
            "The build-time report `reports/build-times.json` is not present in this build. "
            "Produce it with `make bench-build`."
        )
    result = json.loads(path.read_text(encoding="utf-8"))
    return (
        f"Measured by `make bench-build` on {result['cpu_count']} CPUs "
        f"({result['measured_at'][:10]}), each build strict, on a fresh copy of the repository "
        "with empty execution and posterior caches:"
    )


def build_answer(table: pd.DataFrame) -> str:
    """The build times against their targets, in words (empty table: not measured)."""
    if table.empty:
        return "The book's build times were not measured for this build."
    parts = []
    for _, row in table[table["target (s)"] != ""].iterrows():
        if row["target met"] not in ("yes", "no"):
            parts.append(f"the {row['build']} was not measured")
            continue
        verdict = "met" if row["target met"] == "yes" else "missed"
        parts.append(
            f"the {row['build']} took {_duration(row['wall time (s)'])} "
            f"(target {_duration(float(row['target (s)']))}: {verdict})"
        )
    return "Of the book's builds, " + "; ".join(parts) + "."


def _duration(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 120 else f"{seconds:.0f} s"


def readable_fit(name: str) -> str:
    """A benchmark's fit label in words: ``hardware_burden / polynomial / False`` reads
    "hardware burden, polynomial, no trend"."""
    words = {"False": "no trend", "True": "trend", "no-trend": "no trend"}
    parts = [words.get(p.strip(), p.strip().replace("_", " ")) for p in name.split("/")]
    return ", ".join(parts)
