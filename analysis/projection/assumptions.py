"""Every assumption behind the projections, loaded from ONE file: config/assumptions.yaml.

A researcher edits the YAML file and reruns the projections; :func:`load_assumptions`
validates every key and stops with an :class:`AssumptionsError` naming the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from analysis.paths import CONFIG_DIR

ASSUMPTIONS_FILE = CONFIG_DIR / "assumptions.yaml"
PRICE_BASES = ("cloud_on_demand", "purchase")
PRECISIONS = ("fp32", "best16")
CARBON_SOURCES = ("mlco2_regions", "world_mix", "fixed")


class AssumptionsError(ValueError):
    """An assumption is missing or invalid; the message names the file and the key."""


@dataclass(frozen=True)
class Comparison:
    """A familiar quantity to compare projections with, and where it comes from."""

    value: float
    source: str


@dataclass(frozen=True)
class Assumptions:
    """The validated content of config/assumptions.yaml (see that file for the meaning of each)."""

    year: float
    today_through: float
    compute_measure: str
    max_draws: int
    seed: int
    interval: float
    targets: dict[str, tuple[float, ...]]
    relative_targets: tuple[float, ...]
    study_today: dict[str, float]
    utilisation_mean: float
    utilisation_concentration: float
    operation_count_measures: tuple[str, ...]
    price_basis: str
    amortisation_years: float
    precision: str
    dollar_year: int
    fit_years: tuple[int, int]
    include_scatter: bool
    power_fraction_of_tdp: float
    pue_low: float
    pue_high: float
    carbon_source: str
    fixed_g_per_kwh: float
    published_flop_per_usd: float
    published_flop_per_lb_co2e: float
    kg_per_lb: float
    comparisons: dict[str, Comparison] = field(default_factory=dict)
    source_file: str = str(ASSUMPTIONS_FILE)

    def with_changes(self, **changes: Any) -> Assumptions:
        """A copy with some assumptions changed (validated like the file)."""
        changed = replace(self, **changes)
        validate(changed)
        return changed

    @property
    def interval_bounds(self) -> tuple[float, float]:
        """Lower and upper quantile of the central interval."""
        tail = (1.0 - self.interval) / 2.0
        return tail, 1.0 - tail


class _Reader:
    """Reads typed values out of the nested YAML mapping, naming the key on error."""

    def __init__(self, content: dict[str, Any], path: Path) -> None:
        self.content = content
        self.path = path

    def fail(self, key: str, message: str) -> AssumptionsError:
        return AssumptionsError(f"{self.path}: key '{key}': {message}")

    def raw(self, key: str) -> Any:
        node: Any = self.content
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise self.fail(key, "missing")
            node = node[part]
        return node

    def number(self, key: str) -> float:
        value = self.raw(key)
        if isinstance(value, bool):
            raise self.fail(key, f"expected a number, got {value!r}")
        try:
            return float(value)
        except (TypeError, ValueError):
            raise self.fail(key, f"expected a number, got {value!r}") from None

    def integer(self, key: str) -> int:
        value = self.number(key)
        if value != int(value):
            raise self.fail(key, f"expected a whole number, got {value!r}")
        return int(value)

    def text(self, key: str, choices: tuple[str, ...] | None = None) -> str:
        value = self.raw(key)
        if not isinstance(value, str):
            raise self.fail(key, f"expected text, got {value!r}")
        if choices is not None and value not in choices:
            raise self.fail(key, f"expected one of {choices}, got {value!r}")
        return value

    def flag(self, key: str) -> bool:
        value = self.raw(key)
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {value!r}")
        return value

    def numbers(self, key: str) -> tuple[float, ...]:
        value = self.raw(key)
        if not isinstance(value, list) or not value:
            raise self.fail(key, f"expected a non-empty list of numbers, got {value!r}")
        out = []
        for position, item in enumerate(value):
            try:
                out.append(float(item))
            except (TypeError, ValueError):
                raise self.fail(f"{key}[{position}]", f"expected a number, got {item!r}") from None
        return tuple(out)

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.raw(key)
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a mapping, got {value!r}")
        return value


def load_assumptions(path: Path | str | None = None) -> Assumptions:
    """Load and validate the assumptions file (default config/assumptions.yaml)."""
    path = Path(path) if path is not None else ASSUMPTIONS_FILE
    if not path.exists():
        raise AssumptionsError(f"{path}: assumptions file not found")
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise AssumptionsError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(content, dict):
        raise AssumptionsError(f"{path}: expected a mapping at the top level")
    assumptions = _parse(_Reader(content, path))
    validate(assumptions)
    return assumptions


def _parse(read: _Reader) -> Assumptions:
    targets = {str(series): read.numbers(f"targets.{series}") for series in read.mapping("targets")}
    study_today = {
        str(series): read.number(f"study_today.{series}") for series in read.mapping("study_today")
    }
    comparisons = {
        str(name): Comparison(
            read.number(f"comparisons.{name}.value"), read.text(f"comparisons.{name}.source")
        )
        for name in read.mapping("comparisons")
    }
    fit_years = read.numbers("hardware.fit_years")
    if len(fit_years) != 2:
        raise read.fail("hardware.fit_years", f"expected [first, last], got {list(fit_years)}")
    return Assumptions(
        year=read.number("projection.year"),
        today_through=read.number("projection.today_through"),
        compute_measure=read.text("projection.compute_measure"),
        max_draws=read.integer("projection.max_draws"),
        seed=read.integer("projection.seed"),
        interval=read.number("projection.interval"),
        targets=targets,
        relative_targets=read.numbers("relative_targets"),
        study_today=study_today,
        utilisation_mean=read.number("utilisation.mean"),
        utilisation_concentration=read.number("utilisation.concentration"),
        operation_count_measures=tuple(
            str(m) for m in read.raw("utilisation.operation_count_measures") or ()
        ),
        price_basis=read.text("hardware.price_basis", PRICE_BASES),
        amortisation_years=read.number("hardware.amortisation_years"),
        precision=read.text("hardware.precision", PRECISIONS),
        dollar_year=read.integer("hardware.dollar_year"),
        fit_years=(int(fit_years[0]), int(fit_years[1])),
        include_scatter=read.flag("hardware.include_scatter"),
        power_fraction_of_tdp=read.number("hardware.power_fraction_of_tdp"),
        pue_low=read.number("energy.pue_low"),
        pue_high=read.number("energy.pue_high"),
        carbon_source=read.text("carbon.source", CARBON_SOURCES),
        fixed_g_per_kwh=read.number("carbon.fixed_g_per_kwh"),
        published_flop_per_usd=read.number("published.flop_per_usd"),
        published_flop_per_lb_co2e=read.number("published.flop_per_lb_co2e"),
        kg_per_lb=read.number("published.kg_per_lb"),
        comparisons=comparisons,
        source_file=str(read.path),
    )


def _check(condition: bool, assumptions: Assumptions, key: str, message: str) -> None:
    if not condition:
        raise AssumptionsError(f"{assumptions.source_file}: key '{key}': {message}")


def validate(a: Assumptions) -> None:
    """Raise :class:`AssumptionsError` if any assumption is out of its valid range."""
    _check(1990 <= a.year <= 2100, a, "projection.year", f"year {a.year} outside 1990-2100")
    _check(0 < a.interval < 1, a, "projection.interval", f"{a.interval} not in (0, 1)")
    _check(a.max_draws >= 10, a, "projection.max_draws", f"{a.max_draws} < 10")
    for series, values in a.targets.items():
        _check(all(v > 0 for v in values), a, f"targets.{series}", "targets must be > 0")
    _check(all(r > 0 for r in a.relative_targets), a, "relative_targets", "fractions must be > 0")
    _check(0 < a.utilisation_mean < 1, a, "utilisation.mean", f"{a.utilisation_mean} not in (0, 1)")
    _check(a.utilisation_concentration > 0, a, "utilisation.concentration", "must be > 0")
    _check(a.amortisation_years > 0, a, "hardware.amortisation_years", "must be > 0")
    _check(a.fit_years[0] < a.fit_years[1], a, "hardware.fit_years", "first must be < last")
    _check(
        0 < a.power_fraction_of_tdp <= 1.5, a, "hardware.power_fraction_of_tdp", "not in (0, 1.5]"
    )
    _check(1.0 <= a.pue_low <= a.pue_high, a, "energy.pue_low", "need 1 <= pue_low <= pue_high")
    _check(a.fixed_g_per_kwh >= 0, a, "carbon.fixed_g_per_kwh", "must be >= 0")
    _check(a.published_flop_per_usd > 0, a, "published.flop_per_usd", "must be > 0")
    _check(a.published_flop_per_lb_co2e > 0, a, "published.flop_per_lb_co2e", "must be > 0")
    _check(a.kg_per_lb > 0, a, "published.kg_per_lb", "must be > 0")
    _check(a.price_basis in PRICE_BASES, a, "hardware.price_basis", f"not one of {PRICE_BASES}")
    _check(a.precision in PRECISIONS, a, "hardware.precision", f"not one of {PRECISIONS}")
    _check(a.carbon_source in CARBON_SOURCES, a, "carbon.source", f"not one of {CARBON_SOURCES}")


def all_targets(a: Assumptions, series: str, todays_best: float | None) -> list[tuple[str, float]]:
    """(label, target error) pairs for one series: relative targets first, then absolute ones."""
    pairs: list[tuple[str, float]] = []
    if todays_best is not None:
        for fraction in a.relative_targets:
            label = "today's best" if fraction == 1.0 else f"{fraction:g} x today's best"
            pairs.append((label, todays_best * fraction))
    for value in a.targets.get(series, ()):
        pairs.append((f"{value:g}", value))
    return pairs


def assumptions_table(a: Assumptions) -> list[tuple[str, str]]:
    """(name, value) pairs of the scalar assumptions, for display."""
    skip = {"targets", "study_today", "comparisons", "source_file"}
    rows = []
    for name, value in vars(a).items():
        if name in skip:
            continue
        rows.append((name, ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)))
    return rows
