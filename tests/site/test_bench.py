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


def _build_report(tmp_path, cold: float, warm: float, assumptions: float):
    import json

    path = tmp_path / "build-times.json"
    report = {
        "cold_build_s": cold, "cold_executed": ["a.md", "b.md"],
        "warm_rebuild_s": warm, "warm_executed": [],
        "one_chapter_edited_s": 12.0, "one_chapter_executed": ["a.md"],
        "assumptions_edited_s": assumptions, "assumptions_executed": ["a.md", "b.md"],
        "cpu_count": 2, "measured_at": "2026-12-02T06:00:00Z",
    }  # fmt: skip
    path.write_text(json.dumps(report))
    return path


def test_build_times_are_shown_against_their_targets(tmp_path) -> None:
    table = appendix_benchmark.build_table(_build_report(tmp_path, 1700.0, 6.0, 74.0))
    met = dict(zip(table["build"], table["target met"], strict=True))
    assert met["cold build (empty caches)"] == "no"
    assert met["warm rebuild (nothing changed)"] == "yes"
    assert met["rebuild after an assumptions edit"] == "no"
    assert met["rebuild after editing one chapter"] == ""  # no target
    assert table["chapters executed"].tolist() == [2, 0, 1, 2]
    answer = appendix_benchmark.build_answer(table)
    assert "28.3 min (target 6.0 min: missed)" in answer and "6 s (target 10 s: met)" in answer


def test_a_missing_build_report_is_said_not_measured(tmp_path) -> None:
    table = appendix_benchmark.build_table(tmp_path / "absent.json")
    assert table.empty
    assert "not measured" in appendix_benchmark.build_answer(table)
    assert "make bench-build" in appendix_benchmark.build_status(tmp_path / "absent.json")


def test_the_one_chapter_edit_changes_that_chapter_s_code() -> None:
    from analysis.paths import REPO_ROOT
    from analysis.site.bench_build import EDIT_COMMENT, EDITED_CHAPTER, edited_chapter_text
    from analysis.site.sphinx_ext import front_matter

    text = (REPO_ROOT / EDITED_CHAPTER).read_text(encoding="utf-8")
    edited = edited_chapter_text(text)
    cell = edited.split("```{code-cell} ipython3\n", 1)[1].split("\n```", 1)[0]
    assert cell.endswith(EDIT_COMMENT.rstrip("\n")) and EDIT_COMMENT not in text
    assert front_matter(edited) == front_matter(text)


def test_the_assumptions_edit_changes_a_value_the_chapters_read(tmp_path) -> None:
    import pytest

    from analysis.paths import REPO_ROOT
    from analysis.projection.assumptions import load_assumptions
    from analysis.site.bench_build import edited_assumptions_text
    from analysis.site.sphinx_ext import file_content

    config = REPO_ROOT / "config" / "assumptions.yaml"
    text = config.read_text(encoding="utf-8")
    edited = tmp_path / "assumptions.yaml"
    edited.write_text(edited_assumptions_text(text), encoding="utf-8")
    before, after = load_assumptions(config), load_assumptions(edited)
    assert after.pue_high == pytest.approx(before.pue_high + 0.01)
    assert len(edited.read_text(encoding="utf-8").splitlines()) == len(text.splitlines())
    assert file_content(edited) != file_content(config), "a value edit re-executes chapters"
    with pytest.raises(ValueError, match="pue_high"):
        edited_assumptions_text("energy:\n  pue_low: 1.1\n")


def test_an_edit_step_that_re_executed_nothing_is_not_reported_as_measured(tmp_path) -> None:
    import json

    path = _build_report(tmp_path, 1700.0, 6.0, 74.0)
    report = json.loads(path.read_text())
    report["assumptions_executed"] = []
    path.write_text(json.dumps(report))
    table = appendix_benchmark.build_table(path)
    row = table.set_index("build").loc["rebuild after an assumptions edit"]
    assert row["target met"].startswith("not measured")
    assert "assumptions edit was not measured" in appendix_benchmark.build_answer(table)


def test_a_fit_label_reads_in_words() -> None:
    assert appendix_benchmark.readable_fit("hardware_burden / polynomial / False") == (
        "hardware burden, polynomial, no trend"
    )
    assert appendix_benchmark.readable_fit("hardware_burden / polynomial / no-trend") == (
        "hardware burden, polynomial, no trend"
    )
