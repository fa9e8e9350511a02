"""Check ``data/datapackage.json`` against the Frictionless Data Package and Table Schema specs
and against the CSV files it describes (no Frictionless library needed).

``package_problems(data_dir)`` lists every problem found; ``validate_datapackage(data_dir)``
raises :class:`DatapackageError` (a :class:`~analysis.schema.DataValidationError`) naming the
file, CSV line, column and value of the first one. Checked: the descriptor has a name, licences
and resources; every resource has a name, an existing path, licences, sources and a schema whose
field names equal the CSV header in order; field types are Table Schema types and every value
parses as its type; ``required``, ``unique``, ``enum``, ``pattern``, ``minimum`` and ``maximum``
constraints hold; primary keys are present and unique; foreign keys resolve.

Run ``.venv/bin/python -m analysis.curate.datapackage_check [data_dir]``.
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from analysis.paths import DATA_DIR
from analysis.schema import DataValidationError

DESCRIPTOR = "datapackage.json"
TABLE_SCHEMA_TYPES = frozenset(
    [
        "string",
        "number",
        "integer",
        "boolean",
        "object",
        "array",
        "date",
        "time",
        "datetime",
        "year",
        "yearmonth",
        "duration",
        "geopoint",
        "geojson",
        "any",
    ]
)
"""Field types defined by the Table Schema specification (v1)."""
TRUE_VALUES = frozenset(["true", "True", "TRUE", "1"])
FALSE_VALUES = frozenset(["false", "False", "FALSE", "0"])
"""Table Schema's default boolean representations."""
MISSING_VALUES = ("",)
"""Table Schema's default missing-value marker (an empty cell)."""


class DatapackageError(DataValidationError):
    """The descriptor or a described CSV breaks the Data Package / Table Schema rules."""


@dataclass(frozen=True)
class Problem:
    """One problem: file, CSV line (header = 1; None for the descriptor), column, value, what."""

    file: str
    line: int | None
    column: str | None
    value: object
    problem: str

    def __str__(self) -> str:
        return str(DatapackageError(self.file, self.line, self.column, self.value, self.problem))


@dataclass(frozen=True)
class Table:
    """A described CSV: its header and rows of text cells."""

    name: str
    file: str
    header: list[str]
    rows: list[list[str]]


# --------------------------------------------------------------------------- values


def _parse_number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if text.strip() == text and text not in ("", "nan") else None


def _parse_integer(text: str) -> float | None:
    return float(int(text)) if re.fullmatch(r"[+-]?\d+", text) else None


def _parse_boolean(text: str) -> bool | None:
    if text in TRUE_VALUES:
        return True
    if text in FALSE_VALUES:
        return False
    return None


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def _parse_year(text: str) -> float | None:
    return float(text) if re.fullmatch(r"\d{4}", text) else None


def _parse_yearmonth(text: str) -> str | None:
    match = re.fullmatch(r"\d{4}-(\d{2})", text)
    return text if match and 1 <= int(match.group(1)) <= 12 else None


def _parse_json(kind: type) -> Callable[[str], object]:
    def parse(text: str) -> object:
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return value if isinstance(value, kind) else None

    return parse


PARSERS: dict[str, Callable[[str], object]] = {
    "string": lambda text: text,
    "any": lambda text: text,
    "number": _parse_number,
    "integer": _parse_integer,
    "boolean": _parse_boolean,
    "date": _parse_date,
    "year": _parse_year,
    "yearmonth": _parse_yearmonth,
    "object": _parse_json(dict),
    "array": _parse_json(list),
}
"""Value parsers per type (None = does not parse); other Table Schema types are not checked."""


# --------------------------------------------------------------------------- descriptor


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, list) else []


def descriptor_problems(descriptor: object, data_dir: Path) -> list[Problem]:
    """Problems of the descriptor itself (top level and each resource's metadata)."""
    if not isinstance(descriptor, dict):
        return [Problem(DESCRIPTOR, None, None, type(descriptor).__name__, "not a JSON object")]
    problems = []
    if not isinstance(descriptor.get("name"), str) or not descriptor.get("name"):
        problems.append(Problem(DESCRIPTOR, None, "name", descriptor.get("name"), "missing name"))
    problems += _licence_problems(descriptor.get("licenses"), "licenses")
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        return [*problems, Problem(DESCRIPTOR, None, "resources", resources, "no resources")]
    for i, resource in enumerate(resources):
        problems += _resource_problems(resource, f"resources[{i}]", data_dir)
    return problems


def _licence_problems(licences: object, where: str) -> list[Problem]:
    if not isinstance(licences, list) or not licences:
        return [Problem(DESCRIPTOR, None, where, licences, "no licences")]
    return [
        Problem(DESCRIPTOR, None, f"{where}[{i}]", licence, "licence without name or path")
        for i, licence in enumerate(licences)
        if not isinstance(licence, dict) or not (licence.get("name") or licence.get("path"))
    ]


def _resource_problems(resource: object, where: str, data_dir: Path) -> list[Problem]:
    if not isinstance(resource, dict):
        return [Problem(DESCRIPTOR, None, where, resource, "resource is not an object")]
    problems = []
    if not resource.get("name"):
        problems.append(Problem(DESCRIPTOR, None, f"{where}.name", None, "missing name"))
    path = resource.get("path")
    if not isinstance(path, str) or not (data_dir / path).is_file():
        problems.append(Problem(DESCRIPTOR, None, f"{where}.path", path, "file does not exist"))
    problems += _licence_problems(resource.get("licenses"), f"{where}.licenses")
    sources = resource.get("sources")
    if not isinstance(sources, list) or not sources:
        problems.append(Problem(DESCRIPTOR, None, f"{where}.sources", sources, "no sources"))
    fields = (resource.get("schema") or {}).get("fields")
    if not isinstance(fields, list) or not fields:
        return [*problems, Problem(DESCRIPTOR, None, f"{where}.schema", None, "no fields")]
    for j, spec in enumerate(fields):
        kind = spec.get("type", "string") if isinstance(spec, dict) else None
        if kind not in TABLE_SCHEMA_TYPES:
            problems.append(
                Problem(DESCRIPTOR, None, f"{where}.fields[{j}]", kind, "not a Table Schema type")
            )
    return problems


# --------------------------------------------------------------------------- tables


def read_table(name: str, path: Path) -> Table:
    """Header and rows of a CSV, every cell as text."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0] if rows else []
    return Table(name=name, file=path.name, header=header, rows=rows[1:])


def table_problems(table: Table, schema: dict) -> list[Problem]:
    """Header, types and constraints of one table against its schema."""
    names = [spec.get("name") for spec in schema["fields"]]
    if table.header != names:
        problem = f"header differs from the schema's fields {names}"
        return [Problem(table.file, 1, None, ",".join(table.header), problem)]
    problems = []
    for index, spec in enumerate(schema["fields"]):
        column = [row[index] if index < len(row) else "" for row in table.rows]
        problems += _column_problems(table.file, spec, column)
    problems += _key_problems(table, _as_list(schema.get("primaryKey")), "primary key")
    return problems


def _column_problems(file: str, spec: dict, column: list[str]) -> list[Problem]:
    name, kind = spec["name"], spec.get("type", "string")
    constraints = spec.get("constraints") or {}
    parse = PARSERS.get(kind, PARSERS["any"])
    problems = []
    seen: dict[str, int] = {}
    for line, text in enumerate(column, start=2):
        if text in MISSING_VALUES:
            if constraints.get("required"):
                problems.append(Problem(file, line, name, text, "required value is missing"))
            continue
        value = parse(text)
        if value is None:
            problems.append(Problem(file, line, name, text, f"not a valid {kind}"))
            continue
        problems += _value_problems(file, line, name, text, value, constraints)
        if constraints.get("unique"):
            if text in seen:
                problems.append(
                    Problem(file, line, name, text, f"not unique (also on line {seen[text]})")
                )
            seen.setdefault(text, line)
    return problems


def _value_problems(
    file: str, line: int, name: str, text: str, value: object, constraints: dict
) -> list[Problem]:
    problems = []
    if "enum" in constraints and text not in [str(v) for v in constraints["enum"]]:
        problems.append(Problem(file, line, name, text, f"not one of {constraints['enum']}"))
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
        problems.append(
            Problem(file, line, name, text, f"does not match pattern {constraints['pattern']}")
        )
    if isinstance(value, float) and not math.isnan(value):
        if "minimum" in constraints and value < constraints["minimum"]:
            problems.append(Problem(file, line, name, text, f"below {constraints['minimum']}"))
        if "maximum" in constraints and value > constraints["maximum"]:
            problems.append(Problem(file, line, name, text, f"above {constraints['maximum']}"))
    return problems


def _key_values(table: Table, fields: list[str]) -> Iterable[tuple[int, tuple[str, ...]]]:
    positions = [table.header.index(f) for f in fields]
    for line, row in enumerate(table.rows, start=2):
        yield line, tuple(row[p] if p < len(row) else "" for p in positions)


def _key_problems(table: Table, fields: list[str], what: str) -> list[Problem]:
    if not fields:
        return []
    missing = [f for f in fields if f not in table.header]
    if missing:
        return [Problem(table.file, 1, ",".join(missing), None, f"{what} field not in header")]
    problems = []
    seen: dict[tuple[str, ...], int] = {}
    column = ",".join(fields)
    for line, key in _key_values(table, fields):
        if any(v in MISSING_VALUES for v in key):
            problems.append(Problem(table.file, line, column, key, f"{what} is missing"))
        elif key in seen:
            problems.append(
                Problem(table.file, line, column, key, f"{what} repeats line {seen[key]}")
            )
        else:
            seen[key] = line
    return problems


def foreign_key_problems(table: Table, schema: dict, tables: dict[str, Table]) -> list[Problem]:
    """Values of each foreign key that are absent from the referenced resource's fields."""
    problems = []
    for key in schema.get("foreignKeys") or []:
        fields = _as_list(key.get("fields"))
        reference = key.get("reference") or {}
        target = tables.get(reference.get("resource") or table.name)
        ref_fields = _as_list(reference.get("fields"))
        column = ",".join(fields)
        if target is None or any(f not in target.header for f in ref_fields):
            problem = f"foreign key refers to unknown resource or field {reference}"
            problems.append(Problem(table.file, 1, column, None, problem))
            continue
        if any(f not in table.header for f in fields) or len(fields) != len(ref_fields):
            problem = "foreign key fields not in header"
            problems.append(Problem(table.file, 1, column, None, problem))
            continue
        known = {values for _, values in _key_values(target, ref_fields)}
        for line, values in _key_values(table, fields):
            if all(v in MISSING_VALUES for v in values) or values in known:
                continue
            value = values[0] if len(values) == 1 else values
            problem = f"not found in {target.file} column(s) {','.join(ref_fields)}"
            problems.append(Problem(table.file, line, column, value, problem))
    return problems


# --------------------------------------------------------------------------- entry points


def package_problems(data_dir: Path = DATA_DIR) -> list[Problem]:
    """Every problem of the data package in ``data_dir`` (empty list: valid)."""
    path = Path(data_dir) / DESCRIPTOR
    if not path.is_file():
        return [Problem(DESCRIPTOR, None, None, str(path), "descriptor is missing")]
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return [Problem(DESCRIPTOR, None, None, str(exc), "not valid JSON")]
    problems = descriptor_problems(descriptor, Path(data_dir))
    if problems:
        return problems
    resources = descriptor["resources"]
    tables = {r["name"]: read_table(r["name"], Path(data_dir) / r["path"]) for r in resources}
    for resource in resources:
        problems += table_problems(tables[resource["name"]], resource["schema"])
    if problems:
        return problems
    for resource in resources:
        problems += foreign_key_problems(tables[resource["name"]], resource["schema"], tables)
    return problems


def validate_datapackage(data_dir: Path = DATA_DIR) -> None:
    """Raise :class:`DatapackageError` for the first problem (the message counts the rest)."""
    problems = package_problems(data_dir)
    if problems:
        first = problems[0]
        more = f" [{len(problems) - 1} more problem(s)]" if len(problems) > 1 else ""
        raise DatapackageError(first.file, first.line, first.column, first.value,
                               first.problem + more)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Print every problem; exit status 1 if there is any."""
    args = sys.argv[1:] if argv is None else argv
    problems = package_problems(Path(args[0]) if args else DATA_DIR)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
