"""Measure book build times: cold, warm (nothing changed) and after editing one chapter.

Run as ``python -m analysis.site.bench_build``; works on a copy of the repository in a temporary
directory (fresh execution and posterior caches), and writes ``reports/build-times.{json,md}``.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.paths import REPO_ROOT

REPORT_DIR = REPO_ROOT / "reports"
ROOT_ONLY_IGNORED = {".venv", "_build", ".cache", "_generated", ".git"}
"""Caches and builds, skipped at the top of the copy; the committed reports stay, since chapters
read them (the benchmark appendix reads ``reports/benchmark.json``)."""


def _ignore_at_root(directory: str, names: list[str]) -> set[str]:
    """Skip caches and builds at the top of the repository only."""
    return ROOT_ONLY_IGNORED & set(names) if Path(directory) == REPO_ROOT else set()


EDITED_CHAPTER = "book/question.md"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"


def _build(root: Path, env: dict[str, str]) -> float:
    """Build the book at ``root`` strictly; return the wall time in seconds."""
    start = time.perf_counter()
    command = [str(JUPYTER_BOOK), "build", str(root), "--builder", "html", "-W", "-n"]
    completed = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"build failed:\n{completed.stdout[-4000:]}\n{completed.stderr[-2000:]}")
    return time.perf_counter() - start


CODE_CELL = "```{code-cell} ipython3\n"
EDIT_COMMENT = "# edited by the build benchmark\n"


def edited_chapter_text(text: str) -> str:
    """``text`` with a comment added to the end of its first code cell (a change of the
    chapter's code, so that chapter re-executes); a chapter without code raises."""
    start = text.find(CODE_CELL)
    end = text.find("\n```", start + len(CODE_CELL)) if start >= 0 else -1
    if end < 0:
        raise ValueError(f"{EDITED_CHAPTER} has no code cell to edit")
    return text[: end + 1] + EDIT_COMMENT + text[end + 1 :]


def _edit_one_chapter(root: Path) -> None:
    """Change the code of one chapter (a comment), so only that chapter re-executes."""
    chapter = root / EDITED_CHAPTER
    chapter.write_text(edited_chapter_text(chapter.read_text(encoding="utf-8")), encoding="utf-8")


EDITED_ASSUMPTION = re.compile(r"^  pue_high: (?P<value>[0-9.]+)$", re.M)
"""The assumption the benchmark changes: the upper end of the data centres' PUE."""


def edited_assumptions_text(text: str) -> str:
    """``text`` with the upper PUE raised by 0.01, as a researcher trying a scenario would (a
    change of value: editing a comment re-executes no chapter); raises when the key is missing."""
    match = EDITED_ASSUMPTION.search(text)
    if match is None:
        raise ValueError("config/assumptions.yaml has no 'pue_high' line to edit")
    value = f"{float(match['value']) + 0.01:.2f}"
    return text[: match.start("value")] + value + text[match.end("value") :]


def _edit_assumptions(root: Path) -> None:
    """Change one value of the assumptions file."""
    config = root / "config" / "assumptions.yaml"
    config.write_text(edited_assumptions_text(config.read_text(encoding="utf-8")), encoding="utf-8")


def _executed_since(root: Path, since: float) -> list[str]:
    """Chapters the execution cache recorded after ``since`` (seconds since the epoch)."""
    from jupyter_cache import get_cache

    cache = get_cache(root / "_build" / ".jupyter_cache")
    return sorted(
        Path(record.uri).name
        for record in cache.list_cache_records()
        if record.created.timestamp() >= since
    )


def _timed_step(root: Path, env: dict[str, str]) -> tuple[float, list[str]]:
    start = time.time()
    seconds = _build(root, env)
    return seconds, _executed_since(root, start)


def measure() -> dict[str, object]:
    """Cold, warm and one-chapter rebuild times on a fresh copy of the repository."""
    with tempfile.TemporaryDirectory(prefix="complim-bench-") as tmp:
        root = Path(tmp) / "repo"
        shutil.copytree(REPO_ROOT, root, ignore=_ignore_at_root)
        env = {
            **os.environ,
            "COMPLIM_POSTERIOR_CACHE": str(Path(tmp) / "posteriors"),
            # the copy's own code and data, not the editable install's checkout
            "PYTHONPATH": str(root),
            "COMPLIM_DATA_DIR": str(root / "data"),
        }
        cold, cold_executed = _timed_step(root, env)
        warm, warm_executed = _timed_step(root, env)
        _edit_one_chapter(root)
        edited, edited_executed = _timed_step(root, env)
        _edit_assumptions(root)
        assumed, assumed_executed = _timed_step(root, env)
    return {
        "cold_build_s": round(cold, 1),
        "cold_executed": cold_executed,
        "warm_rebuild_s": round(warm, 1),
        "warm_executed": warm_executed,
        "one_chapter_edited_s": round(edited, 1),
        "one_chapter_executed": edited_executed,
        "assumptions_edited_s": round(assumed, 1),
        "assumptions_executed": assumed_executed,
        "edited_chapter": EDITED_CHAPTER,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def write_report(result: dict[str, object], out_dir: Path = REPORT_DIR) -> Path:
    """Write the JSON report and a short Markdown table beside it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "build-times.json").write_text(json.dumps(result, indent=2) + "\n")
    rows = [
        ("cold build (empty caches)", result["cold_build_s"]),
        ("warm rebuild, nothing changed", result["warm_rebuild_s"]),
        (f"rebuild after editing {result['edited_chapter']}", result["one_chapter_edited_s"]),
        ("rebuild after editing config/assumptions.yaml", result["assumptions_edited_s"]),
    ]
    executed = [
        len(result[k])  # type: ignore[arg-type]
        for k in ("cold_executed", "warm_executed", "one_chapter_executed", "assumptions_executed")
    ]
    table = "| build | seconds | chapters executed |\n| --- | ---: | ---: |\n" + "".join(
        f"| {a} | {b} | {n} |\n" for (a, b), n in zip(rows, executed, strict=True)
    )
    path = out_dir / "build-times.md"
    path.write_text(f"# Book build times ({result['cpu_count']} cores)\n\n{table}")
    return path


if __name__ == "__main__":
    print(write_report(measure()).read_text())
