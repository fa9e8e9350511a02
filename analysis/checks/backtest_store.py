"""The frontier backtest's scored run, committed in ``reports/backtest-run/``.

Refitting the frontier forms at every cutoff takes about an hour on 2 cores, so the scored run
(every score, the weights per cutoff, the leave-future-out densities and the fit log) is kept
with the key of the rows, code and sampler settings that made it. The book reads the committed
run only while that key is the current one; after any change to the headline rows or to the
backtest's code it reruns the backtest (from the posterior cache, else by refitting), and a
test fails until ``python -m analysis.checks.backtest_store`` has refreshed the committed run.

May import: :mod:`analysis.checks.frontier_backtest`, :mod:`analysis.models`,
:mod:`analysis.projection`, :mod:`analysis.paths`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.checks import frontier_backtest as bt
from analysis.models import cache
from analysis.models import frontier as fm
from analysis.paths import REPO_ROOT

RUN_DIR = REPO_ROOT / "reports" / "backtest-run"
SCORES = "scores.csv"
DENSITIES = "densities.csv"
META = "run.json"

__all__ = ["RUN_DIR", "committed_or_cached", "load_run", "run_key", "save_run"]


def run_key(
    rows: pd.DataFrame,
    cutoffs: Iterable[float] = bt.CUTOFFS,
    forms: Iterable[fm.FrontierForm] = fm.FRONTIER_FORMS,
    settings: fm.FrontierSettings = bt.SETTINGS,
) -> str:
    """The key :func:`~analysis.checks.frontier_backtest.cached_run` stores a run under."""
    return cache.cache_key(
        rows,
        cache.source_digest(bt._code_modules()),
        {"cutoffs": tuple(cutoffs), "forms": tuple(forms), **settings.key()},
    )


def save_run(run: bt.BacktestRun, key: str, directory: Path = RUN_DIR) -> Path:
    """Write ``run`` and its ``key`` as two CSV tables and a JSON file in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    run.scores.to_csv(directory / SCORES, index=False)
    run.densities.to_csv(directory / DENSITIES, index=False)
    meta = {
        "key": key,
        "weights": run.weights,
        "final_weights": run.final_weights,
        "fits": run.fits,
        "seconds": run.seconds,
    }
    (directory / META).write_text(json.dumps(meta, indent=1) + "\n")
    return directory


def load_run(directory: Path = RUN_DIR) -> tuple[str, bt.BacktestRun] | None:
    """The committed run in ``directory`` and its key, or None when there is none."""
    if not (directory / META).exists():
        return None
    meta = json.loads((directory / META).read_text())
    run = bt.BacktestRun(
        scores=pd.read_csv(directory / SCORES),
        weights=meta["weights"],
        final_weights=meta["final_weights"],
        densities=pd.read_csv(directory / DENSITIES),
        fits=meta["fits"],
        seconds=meta["seconds"],
    )
    return meta["key"], run


def committed_or_cached(rows: pd.DataFrame, directory: Path = RUN_DIR) -> bt.BacktestRun:
    """The committed run when it was made from these ``rows`` by this code, else
    :func:`~analysis.checks.frontier_backtest.cached_run`'s."""
    stored = load_run(directory)
    if stored is not None and stored[0] == run_key(rows):
        return stored[1]
    return bt.cached_run(rows)[0]


def main(argv: list[str] | None = None) -> int:
    """Run (or read from the posterior cache) the backtest on the headline rows and commit it."""
    from analysis.projection.frontier import headline_rows

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=RUN_DIR)
    args = parser.parse_args(argv)
    rows, _ = headline_rows()
    run, hit = bt.cached_run(rows)
    save_run(run, run_key(rows), args.output)
    source = "the posterior cache" if hit else f"{run.seconds:.0f} s of refits"
    print(f"wrote {args.output} ({len(run.scores)} scores, from {source})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
