"""The Frictionless descriptor check: the committed package is valid, and corrupted copies of a
small package (in temporary directories) fail with messages naming file, line, column, value."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from analysis.curate.datapackage_check import (
    DatapackageError,
    package_problems,
    validate_datapackage,
)
from analysis.paths import DATA_DIR
from analysis.schema import DataValidationError

PAPERS = (
    "paper_id,title,year\n"
    "he2016deep,Deep Residual Learning,2016\n"
    "vaswani2017attention,Attention,2017\n"
)
RESULTS = (
    "result_id,paper_id,value,higher_is_better,role\n"
    "r1,he2016deep,76.1,True,primary\n"
    "r2,vaswani2017attention,28.4,False,secondary\n"
)


def _descriptor() -> dict:
    licences = [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}]
    sources = [{"title": "test source"}]
    papers = {
        "name": "papers",
        "path": "papers.csv",
        "licenses": licences,
        "sources": sources,
        "schema": {
            "fields": [
                {"name": "paper_id", "type": "string", "constraints": {"required": True}},
                {"name": "title", "type": "string"},
                {"name": "year", "type": "integer", "constraints": {"minimum": 1950}},
            ],
            "primaryKey": "paper_id",
        },
    }
    results = {
        "name": "results",
        "path": "results.csv",
        "licenses": licences,
        "sources": sources,
        "schema": {
            "fields": [
                {"name": "result_id", "type": "string", "constraints": {"unique": True}},
                {"name": "paper_id", "type": "string", "constraints": {"required": True}},
                {"name": "value", "type": "number", "constraints": {"maximum": 100}},
                {"name": "higher_is_better", "type": "boolean"},
                {
                    "name": "role",
                    "type": "string",
                    "constraints": {"enum": ["primary", "secondary"]},
                },
            ],
            "primaryKey": ["result_id"],
            "foreignKeys": [
                {"fields": "paper_id", "reference": {"resource": "papers", "fields": "paper_id"}}
            ],
        },
    }
    return {"name": "test", "licenses": licences, "resources": [papers, results]}


def _package(
    tmp_path: Path,
    *,
    papers: str = PAPERS,
    results: str = RESULTS,
    edit: Callable[[dict], None] | None = None,
) -> Path:
    descriptor = _descriptor()
    if edit is not None:
        edit(descriptor)
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (tmp_path / "papers.csv").write_text(papers, encoding="utf-8")
    (tmp_path / "results.csv").write_text(results, encoding="utf-8")
    return tmp_path


def _messages(data_dir: Path) -> list[str]:
    return [str(p) for p in package_problems(data_dir)]


def test_committed_package_is_valid():
    assert package_problems(DATA_DIR) == []
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        assert resource["licenses"] and resource["sources"]
    keys = {r["name"]: r["schema"].get("foreignKeys", []) for r in descriptor["resources"]}
    assert {"fields": "paper_id", "reference": {"resource": "papers", "fields": "paper_id"}} in (
        keys["results"]
    )
    assert any(k["reference"]["resource"] == "results" for k in keys["compute"])


def test_small_package_is_valid(tmp_path: Path):
    assert _messages(_package(tmp_path)) == []
    validate_datapackage(tmp_path)


def test_value_that_does_not_parse_as_its_type(tmp_path: Path):
    bad = RESULTS.replace("76.1", "seventy")
    assert _messages(_package(tmp_path, results=bad)) == [
        "results.csv, line 2, column 'value': not a valid number (value: 'seventy')"
    ]


def test_boolean_and_integer_types(tmp_path: Path):
    papers = PAPERS.replace(",2016", ",2016.5")
    results = RESULTS.replace("True", "yes")
    messages = _messages(_package(tmp_path, papers=papers, results=results))
    assert "papers.csv, line 2, column 'year': not a valid integer (value: '2016.5')" in messages
    assert (
        "results.csv, line 2, column 'higher_is_better': not a valid boolean (value: 'yes')"
        in messages
    )


def test_header_must_equal_schema_fields_in_order(tmp_path: Path):
    swapped = RESULTS.replace("result_id,paper_id,", "paper_id,result_id,", 1)
    (message,) = _messages(_package(tmp_path, results=swapped))
    assert message.startswith("results.csv, line 1: header differs from the schema's fields")
    assert "paper_id,result_id,value" in message


def test_duplicate_primary_key_and_unique_constraint(tmp_path: Path):
    duplicated = RESULTS + "r1,he2016deep,70.0,True,primary\n"
    messages = _messages(_package(tmp_path, results=duplicated))
    assert "results.csv, line 4, column 'result_id': not unique (also on line 2) (value: 'r1')" in (
        messages
    )
    assert (
        "results.csv, line 4, column 'result_id': primary key repeats line 2 (value: ('r1',))"
        in (messages)
    )


def test_dangling_foreign_key(tmp_path: Path):
    dangling = RESULTS.replace("r2,vaswani2017attention", "r2,nobody2020none")
    assert _messages(_package(tmp_path, results=dangling)) == [
        "results.csv, line 3, column 'paper_id': not found in papers.csv column(s) paper_id "
        "(value: 'nobody2020none')"
    ]


def test_enum_minimum_maximum_and_required(tmp_path: Path):
    results = RESULTS.replace("primary\n", "main\n").replace("28.4", "128.4")
    results = results.replace("r1,he2016deep", "r1,")
    papers = PAPERS.replace(",2017", ",1900")
    messages = _messages(_package(tmp_path, papers=papers, results=results))
    assert (
        "results.csv, line 2, column 'role': not one of ['primary', 'secondary'] (value: 'main')"
        in (messages)
    )
    assert "results.csv, line 3, column 'value': above 100 (value: '128.4')" in messages
    assert "results.csv, line 2, column 'paper_id': required value is missing (value: '')" in (
        messages
    )
    assert "papers.csv, line 3, column 'year': below 1950 (value: '1900')" in messages


def test_descriptor_needs_name_licences_sources_and_known_types(tmp_path: Path):
    def edit(descriptor: dict) -> None:
        del descriptor["licenses"]
        descriptor["name"] = ""
        del descriptor["resources"][0]["sources"]
        descriptor["resources"][1]["schema"]["fields"][2]["type"] = "float"

    messages = _messages(_package(tmp_path, edit=edit))
    assert "datapackage.json, column 'name': missing name (value: '')" in messages
    assert "datapackage.json, column 'licenses': no licences (value: None)" in messages
    assert "datapackage.json, column 'resources[0].sources': no sources (value: None)" in messages
    assert (
        "datapackage.json, column 'resources[1].fields[2]': "
        "not a Table Schema type (value: 'float')" in messages
    )


def test_resource_path_must_exist(tmp_path: Path):
    def edit(descriptor: dict) -> None:
        descriptor["resources"][1]["path"] = "missing.csv"

    assert _messages(_package(tmp_path, edit=edit)) == [
        "datapackage.json, column 'resources[1].path': file does not exist (value: 'missing.csv')"
    ]


def test_validate_raises_the_first_problem_and_counts_the_rest(tmp_path: Path):
    bad = RESULTS.replace("76.1", "x").replace("28.4", "y")
    _package(tmp_path, results=bad)
    with pytest.raises(DatapackageError, match=r"line 2, column 'value'.*1 more problem") as info:
        validate_datapackage(tmp_path)
    assert isinstance(info.value, DataValidationError)
    (tmp_path / "datapackage.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DatapackageError, match="not valid JSON"):
        validate_datapackage(tmp_path)
