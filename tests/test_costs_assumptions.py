"""config/assumptions.yaml loads, validates, and bad values fail naming the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis.projection.assumptions import (
    ASSUMPTIONS_FILE,
    AssumptionsError,
    all_targets,
    load_assumptions,
)


def _write(tmp_path: Path, change) -> Path:
    content = yaml.safe_load(ASSUMPTIONS_FILE.read_text(encoding="utf-8"))
    change(content)
    path = tmp_path / "assumptions.yaml"
    path.write_text(yaml.safe_dump(content), encoding="utf-8")
    return path


def test_default_file_loads() -> None:
    a = load_assumptions()
    assert a.targets["imagenet/top1_accuracy"] == (5.0, 1.0)
    low, high = a.interval_bounds
    assert high - low == pytest.approx(a.interval)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("projection.year", "soon", "valid number"),
        ("projection.interval", 1.5, "less than 1"),
        ("utilisation.mean", 0.0, "greater than 0"),
        ("hardware.price_basis", "barter", "Input should be"),
        ("carbon.source", "moon", "Input should be"),
        ("energy.pue_low", 0.5, "pue_low"),
        ("hardware.include_scatter", "yes", "valid boolean"),
    ],
)
def test_bad_value_names_file_and_key(tmp_path: Path, key: str, value, message: str) -> None:
    section, name = key.split(".")

    def change(content):
        content[section][name] = value

    path = _write(tmp_path, change)
    with pytest.raises(AssumptionsError) as error:
        load_assumptions(path)
    assert str(path) in str(error.value)
    assert key.split(".")[0] in str(error.value)
    assert message in str(error.value)


def test_missing_key_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda c: c["hardware"].pop("dollar_year"))
    with pytest.raises(AssumptionsError, match=r"key hardware\.dollar_year: missing"):
        load_assumptions(path)


def test_negative_target_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda c: c["targets"].update({"imagenet/top1_accuracy": [5, -1]}))
    with pytest.raises(AssumptionsError, match=r"targets\.imagenet/top1_accuracy"):
        load_assumptions(path)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(AssumptionsError, match="not found"):
        load_assumptions(tmp_path / "nope.yaml")


def test_with_changes_validates() -> None:
    a = load_assumptions()
    assert a.with_changes(year=2030).year == 2030
    with pytest.raises(AssumptionsError):
        a.with_changes(interval=2.0)


def test_all_targets_relative_then_absolute() -> None:
    a = load_assumptions()
    pairs = all_targets(a, "imagenet/top1_accuracy", 11.5)
    errors = [e for _, e in pairs]
    assert errors[: len(a.relative_targets)] == [11.5 * f for f in a.relative_targets]
    assert errors[len(a.relative_targets) :] == [5.0, 1.0]


def _edit(tmp_path: Path, old: str, new: str) -> Path:
    text = ASSUMPTIONS_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "assumptions.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_duplicate_and_unknown_keys_are_errors_with_their_line(tmp_path: Path) -> None:
    path = _edit(tmp_path, "  pue_high: 1.58", "  pue_high: 1.58\n  pue_high: 9.0\n  pue_hihg: 2")
    with pytest.raises(AssumptionsError) as error:
        load_assumptions(path)
    lines = str(error.value).splitlines()
    assert lines == [
        f"{path}, line 73, key energy.pue_high: duplicate key (first given on line 72)"
    ]


def test_unknown_series_is_named_with_a_suggestion(tmp_path: Path) -> None:
    path = _edit(tmp_path, "imagenet/top1_accuracy: [5.0", "imagenet/top1_acuracy: [5.0")
    with pytest.raises(AssumptionsError, match=r"line 23, key targets\.imagenet/top1_acuracy: "
                       r"unknown series \(did you mean imagenet/top1_accuracy\?\)"):  # fmt: skip
        load_assumptions(path)


def test_target_at_or_above_todays_best_is_rejected(tmp_path: Path) -> None:
    path = _edit(tmp_path, "imagenet/top1_accuracy: [5.0", "imagenet/top1_accuracy: [11.5")
    with pytest.raises(
        AssumptionsError, match=r"line 23, key targets\.imagenet/top1_accuracy\[0\]"
    ):
        load_assumptions(path, today={"imagenet/top1_accuracy": 11.5})
