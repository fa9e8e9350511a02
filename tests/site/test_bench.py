"""Benchmark appendix: per-task times and the nutpie sentence (from a report, no sampling)."""

from __future__ import annotations

from analysis.book.pages import appendix_benchmark


def _result(wall_ratio: float) -> dict:
    return {
        "pymc_nuts": {"fit": "hardware_burden / polynomial / False"},
        "nutpie_vs_pymc_ess_per_s": 6.8,
        "nutpie_vs_pymc_wall": wall_ratio,
    }


def test_per_task_times_count_each_joint_fit_for_every_task_it_covers() -> None:
    fits = [
        {"wall_s": 10.0, "task_names": ["a", "b"]},
        {"wall_s": 5.0, "task_names": ["a"]},
    ]
    table = appendix_benchmark.per_task_times(fits).set_index("task")
    assert table.loc["a", "fits"] == 2 and table.loc["a", "wall_s_of_those_fits"] == 15.0
    assert table.loc["b", "fits"] == 1 and table.loc["b", "wall_s_of_those_fits"] == 10.0


def test_per_task_times_of_an_old_report_without_task_names_is_empty() -> None:
    assert appendix_benchmark.per_task_times([{"wall_s": 1.0}]).empty


def test_nutpie_sentence_reads_right_either_way_round() -> None:
    assert "finishes 2.0 times faster" in appendix_benchmark.nutpie_sentence(_result(2.0))
    slower = appendix_benchmark.nutpie_sentence(_result(0.5))
    assert "takes 2.0 times as long" in slower and "faster" not in slower


def test_the_build_benchmark_copies_every_file_a_chapter_declares_as_input() -> None:
    from analysis.paths import REPO_ROOT
    from analysis.site.bench_build import ROOT_ONLY_IGNORED
    from analysis.site.sphinx_ext import chapter_inputs

    declared = {
        pattern.split("/")[0]
        for chapter in sorted((REPO_ROOT / "book").glob("*.md"))
        for pattern in chapter_inputs(chapter.read_text(encoding="utf-8"))
    }
    assert "reports" in declared  # the benchmark appendix reads reports/benchmark.json
    assert not declared & ROOT_ONLY_IGNORED, f"not copied: {sorted(declared & ROOT_ONLY_IGNORED)}"
