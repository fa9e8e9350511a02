"""Check ``data/datapackage.json`` and the CSV files it describes with the Frictionless
reference implementation (``frictionless validate``), plus the project's own rules.

``package_problems(data_dir)`` lists every problem; ``validate_datapackage(data_dir)`` raises
:class:`DatapackageError` (a :class:`~analysis.schema.DataValidationError`) naming the file, the
physical CSV line, the column and the value of the first one.

**Checked by Frictionless** (:func:`frictionless_problems`, ``frictionless.validate``): the
descriptor against the Data Package and Table Schema specifications (field types included);
that every resource's file exists and is UTF-8; that the CSV header equals the schema's fields
in order; that every value parses as its field's type; the ``required``, ``unique``, ``enum``,
``pattern``, ``minimum`` and ``maximum`` constraints; primary keys (present, unique); foreign
keys (resolve in the referenced resource); blank rows. Its errors are re-worded here in one
line each, with Frictionless's record numbers turned into the file's physical lines (a quoted
cell may span lines).

**Kept here, because Frictionless does not check them** (:func:`descriptor_problems`, run
first): the package must have a ``name`` and licences, and every resource a name, licences
and sources (the specifications make these optional; the published data must carry them); and
locators inside the descriptor (``resources[1].fields[2]``, ``resources[1].path``) for an
unknown field type or a missing file, which Frictionless reports without saying where.

Run ``.venv/bin/python -m analysis.curate.datapackage_check [data_dir]`` (or
``frictionless validate data/datapackage.json`` for Frictionless's own report).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
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


# --------------------------------------------------------------------------- tables (Frictionless)


def record_lines(path: Path) -> list[int]:
    """Physical first line of every CSV record, blank ones included (Frictionless numbers
    records, the header being 1; an editor numbers lines, and a quoted cell may span several)."""
    lines: list[int] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        end = 0
        try:
            for _ in reader:
                lines.append(end + 1)
                end = reader.line_num
        except csv.Error:
            pass
    return lines


def frictionless_problems(descriptor_path: Path) -> list[Problem]:
    """Every table problem the Frictionless reference implementation finds (header, types,
    constraints, primary and foreign keys, blank rows, encoding), as one-line problems naming
    the CSV file, its physical line, the column and the value."""
    from frictionless import validate

    report = validate(str(descriptor_path))
    problems = [Problem(DESCRIPTOR, None, None, None, e.note or e.title) for e in report.errors]
    resources = {}
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor.get("resources", []):
        resources[resource.get("name")] = resource
    for task in report.tasks:
        resource = resources.get(task.name, {})
        path = descriptor_path.parent / str(resource.get("path", task.name))
        lines = record_lines(path) if path.is_file() else []
        problems += _task_problems(task.errors, path.name, lines, resource.get("schema") or {})
    return problems


def _task_problems(errors: list, file: str, lines: list[int], schema: dict) -> list[Problem]:
    def line_of(row: int | None) -> int | None:
        if row is None:
            return None
        return lines[row - 1] if 0 < row <= len(lines) else row

    names = [spec.get("name") for spec in schema.get("fields", [])]
    problems: list[Problem] = []
    labels = [e for e in errors if e.type in ("incorrect-label", "missing-label", "extra-label",
                                               "duplicate-label", "blank-label")]  # fmt: skip
    if labels:
        header = _header(file, lines, errors)
        problem = f"header differs from the schema's fields {names}"
        problems.append(Problem(file, 1, None, header, problem))
    for error in errors:
        if error in labels:
            continue
        row = getattr(error, "row_number", None)
        field = getattr(error, "field_name", None)
        cell = getattr(error, "cell", None)
        if error.type == "primary-key":
            key = _as_list(schema.get("primaryKey"))
            cells = getattr(error, "cells", []) or []
            field = ",".join(key)
            cell = tuple(
                cells[names.index(k)] for k in key if k in names and names.index(k) < len(cells)
            )
        elif error.type == "foreign-key":
            field = ",".join(getattr(error, "field_names", []) or [])
            cells = getattr(error, "field_cells", []) or []
            cell = cells[0] if len(cells) == 1 else tuple(cells)
        problems.append(Problem(file, line_of(row), field, cell, _problem(error, schema, line_of)))
    return problems


def _header(file: str, lines: list[int], errors: list) -> str:
    for error in errors:
        labels = getattr(error, "labels", None)
        if labels:
            return ",".join(labels)
    return ""


def _problem(error: object, schema: dict, line_of: Callable[[int | None], int | None]) -> str:
    """Frictionless's error in this package's words (the checks' tests name them)."""
    kind, note = error.type, error.note  # type: ignore[attr-defined]
    if kind == "type-error":
        match = re.match(r'type is "(\w+)', note)
        return f"not a valid {match.group(1)}" if match else note
    if kind == "constraint-error":
        match = re.match(r'constraint "(\w+)" is "(.*)"', note)
        if match:
            name, value = match.groups()
            return {
                "required": "required value is missing",
                "enum": f"not one of {value}",
                "pattern": f"does not match pattern {value}",
                "minimum": f"below {value}",
                "maximum": f"above {value}",
            }.get(name, f"fails constraint {name} {value}")
    if kind in ("unique-error", "primary-key"):
        match = re.search(r"position (\d+)", note)
        other = line_of(int(match.group(1))) if match else None
        return f"not unique (also on line {other})" if kind == "unique-error" else (
            f"primary key repeats line {other}")  # fmt: skip
    if kind == "foreign-key":
        reference = getattr(error, "reference_name", "")
        fields = ", ".join(getattr(error, "reference_field_names", []) or [])
        return f"not found in {reference}.csv column(s) {fields}"
    if kind == "blank-row":
        return "blank line"
    return f"{kind}: {note}" if note else kind


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
    return frictionless_problems(path)


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
