"""Benchmark of the book's fits: ``python -m analysis.site.bench_fits``.

Times every fit from a cold posterior cache (a fresh temporary directory, fresh process state),
records wall time, compile and sampling time and the smallest bulk ESS per second, then samples
one model again with PyMC's default NUTS (``pm.sample``) for the nutpie speed ratio. Writes
``reports/benchmark.json`` and ``reports/benchmark.md``, which
:mod:`analysis.book.pages.appendix_benchmark` shows in the appendix.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time
from typing import Any

import pandas as pd

from analysis.paths import REPO_ROOT

REPORT_DIR = REPO_ROOT / "reports"
JSON_PATH = REPORT_DIR / "benchmark.json"
MD_PATH = REPORT_DIR / "benchmark.md"
COMPARED = ("hardware_burden", "polynomial", False)
"""The fit sampled again with PyMC's default NUTS."""


def compared_label() -> str:
    """The label of the compared fit, as the book's fits name it."""
    from analysis.models import fit_label

    measure, form, trend = COMPARED
    return fit_label(form, trend, "normal", tag=measure)


def _fit_record(book: Any, wall: float) -> dict[str, Any]:
    diag = book.fit.diagnostics.iloc[0]
    sample_s = float(book.fit.timings.get("sample_s", float("nan")))
    return {
        "fit": str(diag["fit"]),
        "measure": book.measure,
        "tasks": len(book.fit.tasks),
        "task_names": list(book.fit.tasks),
        "series": len(book.fit.series),
        "n_obs": int(diag["n_obs"]),
        "wall_s": wall,
        "compile_s": float(book.fit.timings.get("compile_s", 0.0)),
        "sample_s": sample_s,
        "min_ess_bulk": float(diag["min_ess_bulk"]),
        "min_ess_per_s": float(diag["min_ess_bulk"]) / sample_s if sample_s > 0 else None,
        "target_accept": float(diag["target_accept"]),
    }


def time_book_fits() -> list[dict[str, Any]]:
    """Fit every book model, one after another in a fresh context, timing each."""
    from analysis import models
    from analysis.book.context import LATENT, BookContext

    context = BookContext()
    records = []
    for measure, form, trend in models.book_fit_specs():
        start = time.perf_counter()
        book = context.fit(measure, form, trend)
        records.append(_fit_record(book, time.perf_counter() - start))
    for form in ("polynomial", "exponential"):
        start = time.perf_counter()
        fit = context.measurement_fit(form)
        book = models.BookFit(LATENT, fit, fit.rows, fit.excluded)
        records.append(_fit_record(book, time.perf_counter() - start))
    return records


def time_pymc_nuts() -> dict[str, Any]:
    """Sample the compared model with ``pm.sample`` (same chains, draws, tuning, target)."""
    import arviz as az
    import pymc as pm

    from analysis import models
    from analysis.data import default_fit_table, load_tables
    from analysis.models.scaling import _data_updates

    measure, form, trend = COMPARED
    rows, _ = models.eligible_rows(default_fit_table(load_tables(), measure).rows, trend)
    design = models.make_design(rows, form)
    n_series, n_tasks = models.slot_sizes(design)
    model = models.build_model(n_series, n_tasks, trend, "normal")
    updates = _data_updates(design, n_series, n_tasks)
    settings = models.DEFAULT_SETTINGS
    start = time.perf_counter()
    with model:
        pm.set_data({k: v for k, v in updates.items() if k in model.named_vars})
        idata = pm.sample(
            draws=settings.draws,
            tune=settings.tune,
            chains=settings.chains,
            cores=settings.cores,
            target_accept=settings.target_accept,
            random_seed=2020,
            progressbar=False,
            compute_convergence_checks=False,
        )
    wall = time.perf_counter() - start
    sampling = float(idata.posterior.attrs.get("sampling_time", wall))
    names = [v for v in idata.posterior.data_vars if not v.endswith(("_raw", "_z"))]
    ess = az.ess(idata, var_names=names, method="bulk")
    min_ess = float(min(float(ess[v].min()) for v in names))
    return {
        "fit": compared_label(),
        "wall_s": wall,
        "sample_s": sampling,
        "min_ess_bulk": min_ess,
        "min_ess_per_s": min_ess / sampling,
        "divergences": int(idata.sample_stats["diverging"].sum()),
    }


def time_frontier_fits() -> list[dict[str, Any]]:
    """Fit the three headline frontier forms (cold when the cache is empty), timing each; a
    form that fails the diagnostics gate (the book leaves it out) is timed, ``passed`` false."""
    from analysis.models import frontier as fm
    from analysis.models.diagnostics import DiagnosticsError
    from analysis.projection.frontier import headline_rows

    rows, measure = headline_rows()
    records = []
    for form in fm.FRONTIER_FORMS:
        start = time.perf_counter()
        try:
            fit = fm.fit_frontier(rows, form, label="bench-frontier")
        except DiagnosticsError:
            wall = time.perf_counter() - start
            nan = float("nan")
            records.append({"fit": f"frontier / {form}", "measure": measure, "n_obs": len(rows),
                            "wall_s": wall, "min_ess_bulk": nan, "min_ess_per_s": nan,
                            "cache_hit": False, "passed": False})  # fmt: skip
            continue
        wall = time.perf_counter() - start
        diag = fit.diagnostics.iloc[0]
        records.append(
            {
                "fit": f"frontier / {form}", "measure": measure, "n_obs": len(rows),
                "wall_s": wall, "min_ess_bulk": float(diag["min_ess_bulk"]),
                "min_ess_per_s": float(diag["min_ess_bulk"]) / wall, "cache_hit": fit.cache_hit,
                "passed": True,
            }
        )  # fmt: skip
    return records


def time_frontier_pymc_nuts() -> dict[str, Any]:
    """The polynomial frontier sampled with PyMC's default NUTS (same chains, draws, target)."""
    import arviz as az
    import pymc as pm

    from analysis.models import frontier as fm
    from analysis.projection.frontier import headline_rows

    rows, _ = headline_rows()
    design = fm.make_design(rows, "polynomial")
    n_series, n_tasks, n_groups = fm.slot_sizes(design)
    model = fm.build_frontier_model(
        n_series, n_tasks, n_groups, "polynomial", fm.PRIORS["polynomial"]
    )
    updates = fm.data_updates(design, n_series, n_groups)
    settings = fm.DEFAULT_SETTINGS
    start = time.perf_counter()
    with model:
        pm.set_data({k: v for k, v in updates.items() if k in model.named_vars})
        idata = pm.sample(
            draws=settings.draws, tune=settings.tune, chains=settings.chains, cores=2,
            target_accept=settings.target_accept, random_seed=settings.seed, progressbar=False,
            compute_convergence_checks=False,
        )  # fmt: skip
    wall = time.perf_counter() - start
    names = ["intercept", "slope_task", "trend_task", "spread", "gap_share"]
    ess = az.ess(idata, var_names=names, method="bulk")
    min_ess = float(min(float(ess[v].min()) for v in names))
    return {
        "fit": "frontier / polynomial", "wall_s": wall, "min_ess_bulk": min_ess,
        "min_ess_per_s": min_ess / wall, "divergences": int(idata.sample_stats["diverging"].sum()),
    }  # fmt: skip


def frontier_benchmark() -> dict[str, Any]:
    """Cold frontier fits, a warm reload, and nutpie against PyMC's NUTS on the polynomial form."""
    with tempfile.TemporaryDirectory() as cache_dir:
        os.environ["COMPLIM_POSTERIOR_CACHE"] = cache_dir
        cold = time_frontier_fits()
        warm = time_frontier_fits()
    pymc = time_frontier_pymc_nuts()
    nutpie = cold[0]
    return {
        "frontier_fits": cold,
        "frontier_cold_total_s": sum(f["wall_s"] for f in cold),
        "frontier_warm_total_s": sum(f["wall_s"] for f in warm),
        "frontier_pymc_nuts": pymc,
        "frontier_nutpie_vs_pymc_ess_per_s": nutpie["min_ess_per_s"] / pymc["min_ess_per_s"],
        "frontier_nutpie_vs_pymc_wall": pymc["wall_s"] / nutpie["wall_s"],
    }


def run() -> dict[str, Any]:
    """The whole benchmark, from a cold cache in a temporary directory."""
    with tempfile.TemporaryDirectory() as cache_dir:
        os.environ["COMPLIM_POSTERIOR_CACHE"] = cache_dir
        start = time.perf_counter()
        fits = time_book_fits()
        cold_total = time.perf_counter() - start
        start = time.perf_counter()
        time_book_fits()
        warm_total = time.perf_counter() - start
    nutpie_fit = next(f for f in fits if f["fit"] == compared_label())
    pymc = time_pymc_nuts()
    return {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "cold_total_s": cold_total,
        "warm_total_s": warm_total,
        "fits": fits,
        "pymc_nuts": pymc,
        "nutpie_vs_pymc_ess_per_s": nutpie_fit["min_ess_per_s"] / pymc["min_ess_per_s"],
        "nutpie_vs_pymc_wall": pymc["wall_s"] / nutpie_fit["wall_s"],
        **frontier_benchmark(),
    }


def write_reports(result: dict[str, Any]) -> None:
    """reports/benchmark.json and a Markdown table beside it."""
    REPORT_DIR.mkdir(exist_ok=True)
    JSON_PATH.write_text(json.dumps(result, indent=1), encoding="utf-8")
    table = (
        pd.DataFrame(result["fits"])
        .round(2)
        .assign(target_accept=[f["target_accept"] for f in result["fits"]])
    )
    lines = [
        "# Benchmark of the book's fits",
        "",
        f"Cold cache: {result['cold_total_s']:.1f} s for {len(table)} fits; "
        f"warm rebuild: {result['warm_total_s']:.1f} s.",
        f"nutpie vs PyMC NUTS on {result['pymc_nuts']['fit']}: "
        f"{result['nutpie_vs_pymc_ess_per_s']:.1f}x ESS per second, "
        f"{result['nutpie_vs_pymc_wall']:.1f}x wall time.",
        *_frontier_lines(result),
        "",
        table.to_markdown(index=False) if _has_tabulate() else table.to_string(index=False),
    ]
    MD_PATH.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _frontier_lines(result: dict[str, Any]) -> list[str]:
    if "frontier_fits" not in result:
        return []
    fits = ", ".join(
        f"{f['fit']} {f['wall_s']:.0f} s" + ("" if f.get("passed", True) else " (failed the gate)")
        for f in result["frontier_fits"]
    )
    return [
        f"Frontier (headline) fits, cold: {result['frontier_cold_total_s']:.1f} s ({fits}); "
        f"warm: {result['frontier_warm_total_s']:.1f} s.",
        f"nutpie vs PyMC NUTS on the polynomial frontier: "
        f"{result['frontier_nutpie_vs_pymc_ess_per_s']:.1f}x ESS per second, "
        f"{result['frontier_nutpie_vs_pymc_wall']:.1f}x wall time "
        f"({result['frontier_pymc_nuts']['divergences']} divergences under PyMC's NUTS).",
    ]


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> None:
    """Run the benchmark and write the reports (``--frontier``: only the frontier part, merged
    into the existing report)."""
    import sys

    if "--frontier" in sys.argv[1:] and JSON_PATH.exists():
        result = json.loads(JSON_PATH.read_text(encoding="utf-8")) | frontier_benchmark()
    else:
        result = run()
    write_reports(result)
    print(MD_PATH.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
