"""The frontier chapter's per-benchmark halving text."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.book.pages.frontier import halving_gap_text


def _wide(rows: list[tuple[str, float, float, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["series", "best_error", "polynomial", "exponential"])
    return frame.set_index(["series", "best_error"])


def test_the_text_names_the_series_whose_exponential_multiplier_is_smallest_next_to_the_other():
    wide = _wide(
        [
            ("imagenet/top1_accuracy", 11.5, 4.4, 2.0),
            ("cifar10/accuracy", 0.63, 4.4, 0.1),
            ("ffhq_generation/fid", 2.8, np.inf, np.inf),
        ]
    )
    text = halving_gap_text(wide)
    assert "CIFAR-10" in text and "0.63" in text
    assert "10^0.1" in text and "10^4.4" in text


def test_the_text_says_so_when_a_form_is_missing_or_nothing_is_finite():
    wide = _wide([("cifar10/accuracy", 0.63, 4.4, 0.1)])
    assert "Only one" in halving_gap_text(wide.drop(columns="exponential"))
    assert "No series" in halving_gap_text(wide.assign(polynomial=np.inf))


def _pooled(crps: dict[str, float]) -> pd.DataFrame:
    rows = [
        {"target": "records", "model": m, "crps": v, "coverage_90": 0.9, "coverage_50": 0.5}
        for m, v in crps.items()
    ]
    return pd.DataFrame(rows)


def test_the_crps_verdict_names_each_baseline_the_headline_does_not_beat() -> None:
    from analysis.book.pages import frontier

    pooled = _pooled({"headline": 0.10, "ols": 0.08, "mean_line": 0.20, "no_progress": 0.10})
    assert frontier.crps_not_beaten(pooled) == ("ols", "no_progress")  # a tie is not a win
    verdicts = frontier.record_verdicts(pooled)
    assert verdicts["crps-verdict"] == (
        "does not beat the study's least squares or a forecast of no further progress"
    )
    assert verdicts["targets-met"] == "missed"
    names = {"ols": "least squares", "no_progress": "no progress"}
    assert frontier.crps_verdict(("ols", "mean_line", "no_progress"), names) == (
        "does not beat least squares, mean_line or no progress"
    )
    assert frontier.crps_verdict(("ols", "no_progress"), names) == (
        "does not beat least squares or no progress"
    )
    better = _pooled({"headline": 0.05, "ols": 0.08, "mean_line": 0.20, "no_progress": 0.10})
    assert frontier.record_verdicts(better)["targets-met"] == "met"
    unscored = _pooled({"ols": 0.08})
    assert frontier.crps_not_beaten(unscored) is None
    assert frontier.record_verdicts(unscored)["targets-met"] == "missed"


def test_the_chance_sentence_says_whether_each_coverage_is_inside_the_calibrated_range() -> None:
    from analysis.book.pages import frontier

    n = 40
    scores = pd.DataFrame(
        {"target": "records", "model": "headline", "cutoff": 2019.0, "paper_id": range(n)}
    )
    pooled = _pooled({"headline": 0.05})
    verdicts = frontier.record_verdicts(pooled)
    text = frontier.chance_sentence(scores, verdicts)
    assert f"rest on {n} cutoff-paper units" in text
    assert text.count("measured: inside") == 2
    wide = frontier.record_verdicts(pooled.assign(coverage_50=0.95))
    assert "(95% measured: outside)" in frontier.chance_sentence(scores, wide)
    assert "no sampling range" in frontier.chance_sentence(scores.iloc[:0], verdicts)
