"""Every assumption behind the projections, loaded from ONE file: config/assumptions.yaml.

A researcher edits the YAML file and reruns the projections. :func:`load_assumptions` reads it
with a loader that rejects duplicate keys, validates it against a typed pydantic schema
(:class:`AssumptionsFile`: unknown keys forbidden, strict types, ranges, series names from
:mod:`analysis.vocab`, measures from :data:`analysis.vocab.measures.MEASURES`) and stops with an
:class:`AssumptionsError` whose every line names the file, the key path and its line, e.g.
``config/assumptions.yaml, line 23, key targets.imagenet/top1_acuracy: unknown series``.
:func:`check_targets` rejects absolute targets at or above today's best error (the projection
inputs call it once today's best is known; ``python -m analysis.projection.assumptions [FILE]``
checks a file against the committed data).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr
from pydantic import ValidationError as PydanticValidationError

from analysis.paths import CONFIG_DIR
from analysis.vocab.measures import MEASURES
from analysis.vocab.tasks import PRIMARY_BENCHMARKS

ASSUMPTIONS_FILE = CONFIG_DIR / "assumptions.yaml"
PRICE_BASES = ("cloud_on_demand", "purchase")
PRECISIONS = ("fp32", "best16")
CARBON_SOURCES = ("mlco2_regions", "world_mix", "fixed")
SERIES: tuple[str, ...] = tuple(f"{b.slug}/{b.primary_metric}" for b in PRIMARY_BENCHMARKS.values())
"""The series a target may name: ``benchmark/metric`` of each primary benchmark."""
THIS_YEAR = dt.date.today().year


class AssumptionsError(ValueError):
    """An assumption is missing or invalid; each line names the file, the line and the key."""


# --------------------------------------------------------------------------- the typed schema

Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Positive = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0)]
Year = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=1990, le=2100)]
PastYear = Annotated[StrictInt, Field(ge=1990, le=THIS_YEAR)]
Measure = Literal[MEASURES]  # type: ignore[valid-type]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProjectionSection(_Strict):
    year: Year
    today_through: Annotated[
        float, Field(strict=True, allow_inf_nan=False, ge=1990, le=THIS_YEAR + 1)
    ]
    compute_measure: Measure
    max_draws: Annotated[StrictInt, Field(ge=10, le=1_000_000)]
    seed: Annotated[StrictInt, Field(ge=0)]
    interval: Annotated[float, Field(strict=True, gt=0, lt=1)]


class UtilisationSection(_Strict):
    mean: Annotated[float, Field(strict=True, gt=0, lt=1)]
    concentration: Positive
    operation_count_measures: Annotated[list[Measure], Field(max_length=len(MEASURES))]


class HardwareSection(_Strict):
    price_basis: Literal[PRICE_BASES]  # type: ignore[valid-type]
    amortisation_years: Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=30)]
    precision: Literal[PRECISIONS]  # type: ignore[valid-type]
    dollar_year: PastYear
    fit_years: Annotated[
        list[Annotated[StrictInt, Field(ge=1990, le=2100)]], Field(min_length=2, max_length=2)
    ]
    include_scatter: StrictBool
    power_fraction_of_tdp: Annotated[float, Field(strict=True, gt=0, le=1.5)]


class EnergySection(_Strict):
    pue_low: Annotated[float, Field(strict=True, ge=1.0, le=3.0)]
    pue_high: Annotated[float, Field(strict=True, ge=1.0, le=3.0)]


class CarbonSection(_Strict):
    source: Literal[CARBON_SOURCES]  # type: ignore[valid-type]
    fixed_g_per_kwh: Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=2000)]


class PublishedSection(_Strict):
    flop_per_usd: Positive
    flop_per_lb_co2e: Positive
    kg_per_lb: Positive


class ComparisonEntry(_Strict):
    value: Positive
    source: Annotated[StrictStr, Field(min_length=1)]


Target = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0)]


class AssumptionsFile(_Strict):
    """The schema of config/assumptions.yaml: every section and key, with its type and range."""

    projection: ProjectionSection
    targets: dict[StrictStr, Annotated[list[Target], Field(min_length=1)]]
    relative_targets: Annotated[
        list[Annotated[float, Field(strict=True, gt=0, le=1)]], Field(min_length=1)
    ]
    study_today: dict[StrictStr, Positive]
    utilisation: UtilisationSection
    hardware: HardwareSection
    energy: EnergySection
    carbon: CarbonSection
    published: PublishedSection
    comparisons: dict[StrictStr, ComparisonEntry]


# --------------------------------------------------------------------------- the loaded object


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
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    """Line of each key path in the file (``targets.imagenet/top1_accuracy`` → 23)."""

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


# --------------------------------------------------------------------------- reading the file


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader that also reads YAML 1.2 floats such as ``6.874e16`` (YAML 1.1,
    PyYAML's default, reads them as text)."""


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


class _LineTracker:
    """Walks the composed YAML node tree: the line of every key path, and duplicate keys."""

    def __init__(self) -> None:
        self.lines: dict[str, int] = {}
        self.duplicates: list[tuple[str, int, int]] = []

    def walk(self, node: yaml.Node, path: str = "") -> None:
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                line = key_node.start_mark.line + 1
                child = f"{path}.{key}" if path else key
                if key in seen:
                    self.duplicates.append((child, line, seen[key]))
                else:
                    seen[key] = line
                    self.lines[child] = line
                self.walk(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for position, item in enumerate(node.value):
                self.lines[f"{path}[{position}]"] = item.start_mark.line + 1
                self.walk(item, f"{path}[{position}]")


def _key_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = f"{path}.{part}" if path else str(part)
    return path


class _Problems:
    """Collects one-line problems, each naming the file, the line and the key path."""

    def __init__(self, path: Path | str, lines: Mapping[str, int]) -> None:
        self.path = path
        self.lines = lines
        self.items: list[str] = []

    def line_of(self, key: str) -> int | None:
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rsplit(".", 1)[0] if "." in key else key.rsplit("[", 1)[0]
            if "[" not in key and "." not in key and key not in self.lines:
                break
        return self.lines.get(key)

    def add(self, key: str, message: str, line: int | None = None) -> None:
        line = line if line is not None else self.line_of(key)
        where = f", line {line}" if line else ""
        self.items.append(f"{self.path}{where}, key {key}: {message}")

    def raise_if_any(self) -> None:
        if self.items:
            raise AssumptionsError("\n".join(self.items))


def _suggest(name: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def load_assumptions(
    path: Path | str | None = None, today: Mapping[str, float] | None = None
) -> Assumptions:
    """Load and validate the assumptions file (default config/assumptions.yaml).

    ``today``: today's best error per series; when given, absolute targets at or above it are
    rejected too (:func:`check_targets`)."""
    path = Path(path) if path is not None else ASSUMPTIONS_FILE
    if not path.exists():
        raise AssumptionsError(f"{path}: assumptions file not found")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise AssumptionsError(
            f"{path}: not UTF-8 ({error.reason} at byte {error.start})"
        ) from None
    try:
        root = yaml.compose(text, Loader=_Loader)
        content = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise AssumptionsError(f"{path}{where}: not valid YAML: {problem}") from None
    tracker = _LineTracker()
    if root is not None:
        tracker.walk(root)
    problems = _Problems(path, tracker.lines)
    for key, line, first in tracker.duplicates:
        problems.add(key, f"duplicate key (first given on line {first})", line)
    problems.raise_if_any()
    if not isinstance(content, dict):
        raise AssumptionsError(f"{path}, line 1: expected a mapping of sections at the top level")
    try:
        parsed = AssumptionsFile.model_validate(content)
    except PydanticValidationError as error:
        for item in error.errors():
            key = _key_path(item["loc"])
            message = item["msg"]
            if item["type"] == "missing":
                message = "missing"
            elif item["type"] == "extra_forbidden":
                parent = key.rsplit(".", 1)[0] if "." in key else ""
                allowed = _allowed_keys(parent)
                message = "unknown key" + _suggest(key.rsplit(".", 1)[-1], allowed)
            value = item.get("input")
            if item["type"] != "missing" and not isinstance(value, dict):
                message = f"{message} (value: {value!r})"
            problems.add(key, message)
        problems.raise_if_any()
    _check_consistency(parsed, problems)
    problems.raise_if_any()
    assumptions = _to_assumptions(parsed, path, tracker.lines)
    if today is not None:
        check_targets(assumptions, today)
    return assumptions


def _allowed_keys(section: str) -> tuple[str, ...]:
    model: type[BaseModel] = AssumptionsFile
    if section:
        annotation = AssumptionsFile.model_fields[section].annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
        elif section.startswith("comparisons."):
            model = ComparisonEntry
    return tuple(model.model_fields)


def _check_consistency(parsed: AssumptionsFile, problems: _Problems) -> None:
    """What one key's type cannot say: series names, orderings."""
    for section in ("targets", "study_today"):
        for series in getattr(parsed, section):
            if series not in SERIES:
                problems.add(f"{section}.{series}", "unknown series" + _suggest(series, SERIES))
    low, high = parsed.energy.pue_low, parsed.energy.pue_high
    if low > high:
        problems.add("energy.pue_low", f"must not exceed pue_high {high} (value: {low})")
    first, last = parsed.hardware.fit_years
    if first >= last:
        problems.add("hardware.fit_years", f"first year must be before the last ({first}, {last})")
    repeated = {m for m in parsed.utilisation.operation_count_measures
                if parsed.utilisation.operation_count_measures.count(m) > 1}  # fmt: skip
    for measure in sorted(repeated):
        problems.add("utilisation.operation_count_measures", f"{measure!r} listed twice")


def _to_assumptions(p: AssumptionsFile, path: Path, lines: dict[str, int]) -> Assumptions:
    return Assumptions(
        year=float(p.projection.year),
        today_through=float(p.projection.today_through),
        compute_measure=p.projection.compute_measure,
        max_draws=p.projection.max_draws,
        seed=p.projection.seed,
        interval=float(p.projection.interval),
        targets={series: tuple(float(v) for v in values) for series, values in p.targets.items()},
        relative_targets=tuple(float(v) for v in p.relative_targets),
        study_today={series: float(v) for series, v in p.study_today.items()},
        utilisation_mean=float(p.utilisation.mean),
        utilisation_concentration=float(p.utilisation.concentration),
        operation_count_measures=tuple(p.utilisation.operation_count_measures),
        price_basis=p.hardware.price_basis,
        amortisation_years=float(p.hardware.amortisation_years),
        precision=p.hardware.precision,
        dollar_year=p.hardware.dollar_year,
        fit_years=(p.hardware.fit_years[0], p.hardware.fit_years[1]),
        include_scatter=p.hardware.include_scatter,
        power_fraction_of_tdp=float(p.hardware.power_fraction_of_tdp),
        pue_low=float(p.energy.pue_low),
        pue_high=float(p.energy.pue_high),
        carbon_source=p.carbon.source,
        fixed_g_per_kwh=float(p.carbon.fixed_g_per_kwh),
        published_flop_per_usd=float(p.published.flop_per_usd),
        published_flop_per_lb_co2e=float(p.published.flop_per_lb_co2e),
        kg_per_lb=float(p.published.kg_per_lb),
        comparisons={
            name: Comparison(float(c.value), c.source) for name, c in p.comparisons.items()
        },
        source_file=str(path),
        key_lines=dict(lines),
    )


def check_targets(a: Assumptions, today: Mapping[str, float]) -> None:
    """Reject absolute targets at or above today's best error of their series (a target must be
    an improvement: otherwise the compute multiplier is below 1 and its sign meaningless)."""
    problems = _Problems(a.source_file, a.key_lines)
    for series, values in a.targets.items():
        best = today.get(series)
        if best is None or best != best:
            continue
        for position, value in enumerate(values):
            if value >= best:
                problems.add(
                    f"targets.{series}[{position}]",
                    f"target {value:g} is not below today's best error {best:g} "
                    f"(best published up to {a.today_through:g})",
                )
    problems.raise_if_any()


def _check(condition: bool, assumptions: Assumptions, key: str, message: str) -> None:
    if not condition:
        problems = _Problems(assumptions.source_file, assumptions.key_lines)
        problems.add(key, message)
        problems.raise_if_any()


def validate(a: Assumptions) -> None:
    """Raise :class:`AssumptionsError` if any assumption is out of its valid range (used by
    :meth:`Assumptions.with_changes`; the file itself is checked by :class:`AssumptionsFile`)."""
    _check(1990 <= a.year <= 2100, a, "projection.year", f"year {a.year} outside 1990-2100")
    _check(0 < a.interval < 1, a, "projection.interval", f"{a.interval} not in (0, 1)")
    _check(a.max_draws >= 10, a, "projection.max_draws", f"{a.max_draws} < 10")
    _check(a.compute_measure in MEASURES, a, "projection.compute_measure", f"not one of {MEASURES}")
    for series, values in a.targets.items():
        _check(series in SERIES, a, f"targets.{series}", "unknown series")
        _check(all(v > 0 for v in values), a, f"targets.{series}", "targets must be > 0")
    _check(
        all(0 < r <= 1 for r in a.relative_targets), a, "relative_targets", "fractions in (0, 1]"
    )
    _check(0 < a.utilisation_mean < 1, a, "utilisation.mean", f"{a.utilisation_mean} not in (0, 1)")
    _check(a.utilisation_concentration > 0, a, "utilisation.concentration", "must be > 0")
    _check(
        all(m in MEASURES for m in a.operation_count_measures),
        a,
        "utilisation.operation_count_measures",
        f"not all in {MEASURES}",
    )
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
    skip = {"targets", "study_today", "comparisons", "source_file", "key_lines"}
    rows = []
    for name, value in vars(a).items():
        if name in skip:
            continue
        rows.append((name, ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)))
    return rows


def committed_todays_best(a: Assumptions) -> dict[str, float]:
    """Today's best error per series in the committed tables (as the projections compute it)."""
    from analysis.data import load_tables, primary_results
    from analysis.projection.extrapolate import todays_best

    results = primary_results(load_tables())
    results = results[results["year"].notna() & results["error"].notna()]
    return todays_best(results, a.today_through).to_dict()


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.projection.assumptions [FILE]``: validate a file, one line per error."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else ASSUMPTIONS_FILE
    try:
        a = load_assumptions(path)
        check_targets(a, committed_todays_best(a))
    except AssumptionsError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{path}: valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
