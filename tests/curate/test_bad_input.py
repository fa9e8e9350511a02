"""Bad input never changes the data silently (issue 15): every case below fails with a
non-zero exit status (or the raised error) whose first line names the exact locator, and no file
changes.

Four families, all on temporary copies (the repository's ``data/`` and ``references.bib`` are
never written; the module checks their digests before and after):

* hand-edited files (``data/manual/*.csv``): ``python -m analysis.curate``'s :func:`main` on a
  copied data directory; the validation runs before any source is read, so each case takes
  milliseconds (the curation itself is replaced by a stand-in that fails the test if reached);
* committed tables: ``python -m analysis.curate --check --data-dir DIR`` on a copied directory
  (also the hand-edited files against the tables: rows of the tables about results that match
  no result, and derived compute rows that their ingredients no longer give);
* the assumptions file: :func:`analysis.projection.assumptions.load_assumptions` on a copy
  (targets checked against today's best errors of the committed data);
* one full curation in a subprocess (``COMPLIM_DATA_DIR`` and ``COMPLIM_SOURCES`` pointing at
  copies), for a mistake found only after the sources are read (about a minute).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import analysis.curate.__main__ as cli
from analysis.curate.manual_check import ManualInputError
from analysis.paths import DATA_DIR, REFERENCES_FILE, REPO_ROOT, sources_dir
from analysis.projection.assumptions import (
    ASSUMPTIONS_FILE,
    AssumptionsError,
    committed_todays_best,
    load_assumptions,
)
from analysis.schema import DATE_MAX

MANUAL = DATA_DIR / "manual"
BUILD_DAY = dt.date.fromisoformat(DATE_MAX)  # the build date the schema fixed on import
TOMORROW = (BUILD_DAY + dt.timedelta(days=1)).isoformat()
R = "roberta-squad11-dev-f1"  # a primary SQuAD 1.1 dev F1 result, data/manual/results.csv
F = "vaswani2017-base-ende-gpu-count"  # a chip_count fact, data/manual/compute_facts.csv
H = "vaswani2017-base-ende-hours"  # a training_hours fact of the same record
VIT = "dosovitskiy2020-vit-b32-jft7ep-imagenet-top1"  # an ImageNet top-1 result
DETR = "carion2020-detr-coco-minival-box-ap"  # a COCO minival box AP result


def digest(*roots: Path) -> dict[str, str]:
    out = {}
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(autouse=True)
def one_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every check in a case sees the build date its cases were written for, even when the
    run crosses midnight (the schema fixes its date on import, the manual checks per call)."""
    noon = dt.datetime.combine(BUILD_DAY, dt.time(12), tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(noon.timestamp())))


@pytest.fixture(scope="module", autouse=True)
def repository_unchanged():
    """No case writes the repository's data or bibliography."""
    before = digest(*written())
    yield
    assert digest(*written()) == before


def written() -> list[Path]:
    """What a curation may write: the tables, reports, descriptor, dictionary, bibliography."""
    files = [p for p in DATA_DIR.iterdir() if p.is_file()] + [DATA_DIR / "reports"]
    return [*files, REFERENCES_FILE]


# --------------------------------------------------------------------------- editing helpers


def _row_text(record: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(record)  # "\n" makes newlines quoted
    return buffer.getvalue()[:-1]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _find(lines: list[str], key: str) -> int:
    """0-based index of the (single-line) record whose first cell is ``key`` or that contains it."""
    for index, line in enumerate(lines):
        if line.startswith(key + ",") or (index and f",{key}," in line):
            return index
    raise AssertionError(f"no line with {key!r}")


def set_cell(path: Path, key: str, column: str, value: str) -> int:
    """Set one cell of the record found by ``key``; returns its physical line."""
    lines = _lines(path)
    header = next(csv.reader([lines[0]]))
    index = _find(lines, key)
    record = next(csv.reader([lines[index]]))
    record[header.index(column)] = value
    lines[index] = _row_text(record)
    path.write_text("\n".join(lines), encoding="utf-8")
    return index + 1


Expected = tuple[str, int | None, str | None, object]
"""(file name, line, column, value) of the first error."""
Mutation = Callable[[Path], Expected]


def cell(file: str, key: str, column: str, value: str) -> Mutation:
    def mutate(data: Path) -> Expected:
        return file, set_cell(data / file, key, column, value), column, value

    return mutate


def raw(
    file: str, edit: Callable[[bytes], bytes], line: int | None, column=None, value=""
) -> Mutation:
    def mutate(data: Path) -> Expected:
        path = data / file
        path.write_bytes(edit(path.read_bytes()))
        return file, line, column, value

    return mutate


def then(first: Mutation, edit: Callable[[Path, Expected], Expected]) -> Mutation:
    def mutate(data: Path) -> Expected:
        return edit(data, first(data))

    return mutate


def blank_line_after_header(data: Path, expected: Expected) -> Expected:
    path = data / expected[0]
    lines = _lines(path)
    path.write_text("\n".join([lines[0], "", *lines[1:]]), encoding="utf-8")
    return expected[0], expected[1] + 1, expected[2], expected[3]


def multiline_note_before(data: Path, expected: Expected) -> Expected:
    """A quoted note spanning three lines in the record just above the bad one."""
    path = data / expected[0]
    lines = _lines(path)
    header = next(csv.reader([lines[0]]))
    index = expected[1] - 2  # the record above (0-based)
    record = next(csv.reader([lines[index]]))
    record[header.index("note")] = "first line\nsecond line\nthird line"
    lines[index] = _row_text(record)
    path.write_text("\n".join(lines), encoding="utf-8")
    return expected[0], expected[1] + 2, expected[2], expected[3]


def header_only(data_file: str) -> Mutation:
    return raw(data_file, lambda b: b.split(b"\n")[0] + b"\n", 2)


def duplicate_of_line_2(file: str, key_column: str) -> Mutation:
    def mutate(data: Path) -> Expected:
        lines = _lines(data / file)
        first = next(csv.reader([lines[1]]))[0]
        record = next(csv.reader([lines[2]]))
        record[0] = first
        lines[2] = _row_text(record)
        (data / file).write_text("\n".join(lines), encoding="utf-8")
        return file, 3, key_column, first

    return mutate


def extra_field(file: str) -> Mutation:
    def mutate(data: Path) -> Expected:
        lines = _lines(data / file)
        lines[1] += ",surplus"
        (data / file).write_text("\n".join(lines), encoding="utf-8")
        return file, 2, None, lines[1][:80]

    return mutate


def missing_field(file: str) -> Mutation:
    def mutate(data: Path) -> Expected:
        lines = _lines(data / file)
        record = next(csv.reader([lines[1]]))[:-1]
        lines[1] = _row_text(record)
        (data / file).write_text("\n".join(lines), encoding="utf-8")
        return file, 2, None, lines[1][:80]

    return mutate


def second_value(data: Path) -> Expected:
    """A second training_hours fact for the same paper, model and benchmark."""
    path = data / "compute_facts.csv"
    lines = _lines(path)
    index = _find(lines, H)
    record = next(csv.reader([lines[index]]))
    record[0] = H + "-again"
    record[7] = "13"
    lines.insert(index + 1, _row_text(record))
    path.write_text("\n".join(lines), encoding="utf-8")
    return "compute_facts.csv", index + 2, "quantity", "training_hours"


def unclosed_quote(file: str) -> Mutation:
    def mutate(data: Path) -> Expected:
        path = data / file
        text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
        path.write_text(text + 'x-y,,"unclosed\n', encoding="utf-8")
        return file, text.count("\n") + 1, None, ""

    return mutate


def prepend_bom(b: bytes) -> bytes:
    return b"\xef\xbb\xbf" + b


def deleted(file: str) -> Mutation:
    def mutate(data: Path) -> Expected:
        (data / file).unlink()
        return file, None, None, ""

    return mutate


def score_twice(file: str) -> Mutation:
    """The first score of a table about results listed again right below it."""

    def mutate(data: Path) -> Expected:
        lines = _lines(data / file)
        lines.insert(2, lines[1])
        (data / file).write_text("\n".join(lines), encoding="utf-8")
        return file, 3, "model", next(csv.reader([lines[1]]))[2]

    return mutate


def with_papers(first: Mutation) -> Mutation:
    """The committed ``papers.csv`` beside the copied hand-edited files (``authors.csv`` ids are
    checked against it)."""

    def mutate(data: Path) -> Expected:
        shutil.copy2(DATA_DIR / "papers.csv", data.parent / "papers.csv")
        return first(data)

    return mutate


# --------------------------------------------------------------------------- hand-edited files

MANUAL_CASES = [
    # results.csv: scores
    pytest.param(cell("results.csv", R, "value", "0"), "fraction", id="MR value 0"),
    pytest.param(cell("results.csv", R, "value", "0.946"), "percent", id="MR fraction"),
    pytest.param(cell("results.csv", R, "value", "94.6%"), "plain number", id="MR 94.6%"),
    pytest.param(cell("results.csv", R, "value", "94.6*"), "plain number", id="MR 94.6*"),
    pytest.param(cell("results.csv", R, "value", "1,000"), "plain number", id="MR 1,000"),
    pytest.param(cell("results.csv", R, "value", "ninety"), "plain number", id="MR ninety"),
    pytest.param(cell("results.csv", R, "value", "-94.6"), "bounds", id="MR negative"),
    pytest.param(cell("results.csv", R, "value", "120"), "bounds", id="MR above 100"),
    pytest.param(cell("results.csv", R, "value", "nan"), "plain number", id="MR nan"),
    pytest.param(cell("results.csv", R, "value", " 94.6 "), "space", id="MR padded value"),
    # results.csv: vocabulary
    pytest.param(cell("results.csv", R, "benchmark", "squad11_dve"), "did you mean squad11_dev",
                 id="MR misspelt benchmark"),
    pytest.param(cell("results.csv", R, "metric", "f1_scor"), "unknown metric",
                 id="MR unknown metric"),
    pytest.param(cell("results.csv", R, "metric", "top1_accuracy"),
                 "not a metric of benchmark squad11_dev (its metrics: em, f1)",
                 id="MR metric of another benchmark (squad11_dev top1_accuracy)"),
    pytest.param(cell("results.csv", VIT, "metric", "bleu"),
                 "not a metric of benchmark imagenet (its metrics: top1_accuracy, top5_accuracy)",
                 id="MR metric of another benchmark (imagenet bleu)"),
    pytest.param(cell("results.csv", DETR, "metric", "ap"), "did you mean ap75, ap50?",
                 id="MR metric of another benchmark, nearest suggested (coco_minival ap)"),
    pytest.param(cell("results.csv", R, "task", "question_answer"),
                 "did you mean question_answering", id="MR unknown task"),
    pytest.param(cell("results.csv", R, "task", "image_classification"),
                 "belongs to task question_answering", id="MR task of another benchmark"),
    # results.csv: dates
    pytest.param(cell("results.csv", R, "paper_date", "2021-02-30"), "not a calendar date",
                 id="MR impossible date"),
    pytest.param(cell("results.csv", R, "paper_date", "2027-06-01"), "after the build date",
                 id="MR date 2027"),
    pytest.param(cell("results.csv", R, "paper_date", TOMORROW), "after the build date",
                 id="MR date tomorrow"),
    pytest.param(cell("results.csv", R, "paper_date", "2020/06/01"), "YYYY-MM-DD",
                 id="MR malformed date"),
    pytest.param(cell("results.csv", R, "paper_date", "2020-13"), "not a calendar date",
                 id="MR month 13"),
    # results.csv: provenance and keys
    pytest.param(cell("results.csv", R, "source_url", ""), "required", id="MR no source_url"),
    pytest.param(cell("results.csv", R, "source_url", "not a url"), "URL", id="MR bad source_url"),
    pytest.param(cell("results.csv", R, "paper_url", "ftp//x"), "URL", id="MR bad paper_url"),
    pytest.param(cell("results.csv", R, "paper_url", "https://arxiv.org/abs/1810.04805"),
                 "but arxiv_id is 1907.11692", id="MR paper_url of another paper"),
    pytest.param(cell("results.csv", R, "source_location", ""), "required",
                 id="MR no source_location"),
    pytest.param(cell("results.csv", R, "model", ""), "required", id="MR no model"),
    pytest.param(cell("results.csv", R, "arxiv_id", "abc"), "arXiv", id="MR bad arxiv_id"),
    pytest.param(cell("results.csv", R, "result_key", "RoBERTa F1"), "slug", id="MR key not slug"),
    pytest.param(duplicate_of_line_2("results.csv", "result_key"), "also on line 2",
                 id="MR duplicate key"),
    # results.csv: file structure and physical lines
    pytest.param(then(cell("results.csv", R, "value", "ninety"), blank_line_after_header),
                 "plain number", id="MR blank line before the bad row"),
    pytest.param(then(cell("results.csv", R, "value", "ninety"), multiline_note_before),
                 "plain number", id="MR multi-line note before the bad row"),
    pytest.param(header_only("results.csv"), "header but no rows", id="MR header only"),
    pytest.param(raw("results.csv", lambda b: b"", 1), "empty", id="MR empty file"),
    pytest.param(extra_field("results.csv"), "malformed CSV", id="MR too many fields"),
    pytest.param(missing_field("results.csv"), "malformed CSV", id="MR too few fields"),
    pytest.param(raw("results.csv", lambda b: b.replace(b"RoBERTa: A", b"RoB\xe9RTa: A", 1), 2,
                     "paper_title", b"\xe9"), "not UTF-8", id="MR non-UTF-8 byte"),
    pytest.param(raw("results.csv", lambda b: b.replace(b"result_key,", b"key,", 1), 1, None,
                     None), "header must be", id="MR renamed column"),
    pytest.param(unclosed_quote("results.csv"), "malformed CSV", id="MR unclosed quote"),
    # compute_facts.csv
    pytest.param(cell("compute_facts.csv", F, "chip", "NVIDIA Tesla Q900"), "unknown chip",
                 id="CF unknown chip"),
    pytest.param(cell("compute_facts.csv", F, "chip", "NVIDIA V100 and A100 GPUs"), "ambiguous",
                 id="CF ambiguous chip"),
    pytest.param(cell("compute_facts.csv", H, "chip", "NVIDIA P100"), "only given on chip_count",
                 id="CF chip on a time"),
    pytest.param(cell("compute_facts.csv", F, "chip", ""), "required", id="CF count without chip"),
    pytest.param(cell("compute_facts.csv", F, "value", "0.5"), "whole number",
                 id="CF half a chip"),
    pytest.param(cell("compute_facts.csv", H, "value", "twelve"), "not a number",
                 id="CF not a number"),
    pytest.param(cell("compute_facts.csv", H, "value", "-12"), "positive", id="CF negative"),
    pytest.param(cell("compute_facts.csv", H, "value", "0"), "positive", id="CF zero"),
    pytest.param(cell("compute_facts.csv", H, "value", "1e400"), "positive", id="CF infinite"),
    pytest.param(cell("compute_facts.csv", H, "unit", "days"), "expected one of",
                 id="CF wrong unit"),
    pytest.param(cell("compute_facts.csv", H, "quantity", "training_hour"),
                 "did you mean training_hours", id="CF unknown quantity"),
    pytest.param(cell("compute_facts.csv", H, "benchmark", "wmt2014_ende"),
                 "did you mean wmt2014_en_de", id="CF misspelt benchmark"),
    pytest.param(cell("compute_facts.csv", H, "fact_id", "Vaswani-Hours"), "slug",
                 id="CF fact_id not slug"),
    pytest.param(duplicate_of_line_2("compute_facts.csv", "fact_id"), "also on line 2",
                 id="CF duplicate fact_id"),
    pytest.param(cell("compute_facts.csv", H, "source_url", ""), "required",
                 id="CF no source_url"),
    pytest.param(cell("compute_facts.csv", H, "paper_url", "https://arxiv.org/abs/1810.04805"),
                 "but arxiv_id is 1706.03762", id="CF paper_url of another paper"),
    pytest.param(cell("compute_facts.csv", H, "arxiv_id", "1706.03762v5"), "without version",
                 id="CF versioned arxiv_id"),
    pytest.param(second_value, "already given", id="CF two values of one quantity"),
    pytest.param(then(cell("compute_facts.csv", H, "value", "twelve"), multiline_note_before),
                 "not a number", id="CF multi-line note before the bad row"),
    pytest.param(header_only("compute_facts.csv"), "header but no rows", id="CF header only"),
    pytest.param(raw("compute_facts.csv", lambda b: b"", 1), "empty", id="CF empty file"),
    pytest.param(raw("compute_facts.csv", lambda b: b.replace(b"Attention Is", b"Attenti\xe9n Is",
                     1), 2, "paper_title", b"\xe9"), "not UTF-8", id="CF non-UTF-8 byte"),
    pytest.param(extra_field("compute_facts.csv"), "malformed CSV", id="CF too many fields"),
    # chips.csv, compute_scope.csv, source_flags.csv, paper_dates.csv
    pytest.param(cell("chips.csv", "NVIDIA V100", "pattern", "v100("), "regular expression",
                 id="chips bad pattern"),
    pytest.param(cell("chips.csv", "NVIDIA V100", "vendor", ""), "required", id="chips no vendor"),
    pytest.param(duplicate_of_line_2("chips.csv", "name"), "also on line 2",
                 id="chips duplicate name"),
    pytest.param(cell("compute_scope.csv", "row 1621: BIDAF", "source", "epoch-ai-model"),
                 "did you mean epoch-ai-models", id="scope unknown source"),
    pytest.param(cell("compute_scope.csv", "row 1621: BIDAF", "benchmark", "CNN DailyMail"),
                 "slug", id="scope benchmark not slug"),
    pytest.param(cell("source_flags.csv", "row 1460: RoBERTa Large", "in_fits", "No"),
                 "yes or no", id="flags in_fits No"),
    pytest.param(cell("source_flags.csv", "row 1460: RoBERTa Large", "quantity", "training_hour"),
                 "did you mean training_hours", id="flags unknown quantity"),
    pytest.param(cell("source_flags.csv", "row 1460: RoBERTa Large", "value", "abc"),
                 "not a number", id="flags value not a number"),
    pytest.param(cell("source_flags.csv", "row 1460: RoBERTa Large", "evidence", ""), "required",
                 id="flags no evidence"),
    pytest.param(cell("paper_dates.csv", "2006.03654", "date", "2020-06-31"),
                 "not a calendar date", id="dates impossible"),
    pytest.param(cell("paper_dates.csv", "2006.03654", "date", "2021-06-10"),
                 "cannot be the v1 date", id="dates outside the arXiv month"),
    pytest.param(cell("paper_dates.csv", "2006.03654", "source_url", ""), "required",
                 id="dates no source_url"),
    pytest.param(duplicate_of_line_2("paper_dates.csv", "arxiv_id"), "also on line 2",
                 id="dates arxiv id twice"),
    # authors.csv
    pytest.param(cell("authors.csv", "2d2017driven", "paper_id", "2D 2017"), "not a paper id",
                 id="authors paper_id not an id"),
    pytest.param(cell("authors.csv", "2d2017driven", "authors", "Jean Lahoud and Bernard Ghanem"),
                 "is not 'Family, Given'", id="authors not BibTeX names"),
    pytest.param(cell("authors.csv", "2d2017driven", "source", "mlanthology"), "not an http(s) URL",
                 id="authors source not a URL"),
    pytest.param(cell("authors.csv", "2d2017driven", "source",
                      "github:rbnyng/mlanthology@main:data/papers/iccv-2017.json.gz"),
                 "40-hex commit", id="authors source without a commit"),
    pytest.param(cell("authors.csv", "2d2017driven", "match", "titel"), "did you mean title",
                 id="authors unknown match"),
    pytest.param(cell("authors.csv", "2d2017driven", "authors", ""), "required",
                 id="authors no authors"),
    pytest.param(duplicate_of_line_2("authors.csv", "paper_id"), "also on line 2",
                 id="authors paper twice"),
    pytest.param(header_only("authors.csv"), "header but no rows", id="authors header only"),
    pytest.param(deleted("authors.csv"), "missing", id="authors file deleted"),
    # result_dates.csv
    pytest.param(cell("result_dates.csv", "densenet121", "result_date", TOMORROW),
                 "after the build date", id="RD date tomorrow"),
    pytest.param(cell("result_dates.csv", "densenet121", "result_date", "2017-02-30"),
                 "not a calendar date", id="RD impossible date"),
    pytest.param(cell("result_dates.csv", "densenet121", "result_date", "2017-12"),
                 "YYYY-MM-DD", id="RD month only"),
    pytest.param(cell("result_dates.csv", "densenet121", "result_date_flag", "upper-bound"),
                 "did you mean upper_bound", id="RD unknown flag"),
    pytest.param(cell("result_dates.csv", "densenet121", "result_date_source", "the README"),
                 "must name the commit", id="RD evidence without a commit"),
    pytest.param(cell("result_dates.csv", "densenet121", "source", "convnet-burdn"),
                 "did you mean convnet-burden", id="RD unknown source"),
    pytest.param(cell("result_dates.csv", "densenet121", "metric", "top1_acc"), "unknown metric",
                 id="RD unknown metric"),
    pytest.param(cell("result_dates.csv", "densenet121", "metric", "bleu"),
                 "not a metric of benchmark imagenet", id="RD metric of another benchmark"),
    pytest.param(score_twice("result_dates.csv"), "listed twice (also on line 2)",
                 id="RD score twice"),
    pytest.param(header_only("result_dates.csv"), "header but no rows", id="RD header only"),
    # same_weights.csv
    pytest.param(cell("same_weights.csv", "resnet-101", "evidence", ""), "required",
                 id="SW no evidence"),
    pytest.param(cell("same_weights.csv", "resnet-101", "benchmark", "image net"),
                 "not a benchmark slug", id="SW benchmark not a slug"),
    pytest.param(cell("same_weights.csv", "resnet-101", "value_reported", ""), "required",
                 id="SW no score"),
    pytest.param(score_twice("same_weights.csv"), "listed twice (also on line 2)",
                 id="SW score twice"),
    pytest.param(deleted("same_weights.csv"), "missing", id="SW file deleted"),
    # extra_data.csv
    pytest.param(cell("extra_data.csv", "SE-BN-Inception", "extra_data", "ImageNet21k"),
                 "must start with one of", id="ED unknown extra data"),
    pytest.param(cell("extra_data.csv", "SE-BN-Inception", "compute_includes_pretraining", "Yes"),
                 "did you mean yes", id="ED pretraining Yes"),
    pytest.param(cell("extra_data.csv", "SE-BN-Inception", "benchmark", "coco_minival"),
                 "belongs to task object_detection", id="ED not image classification"),
    pytest.param(cell("extra_data.csv", "SE-BN-Inception", "rule_or_source", ""), "required",
                 id="ED no rule"),
    pytest.param(header_only("extra_data.csv"), "header but no rows", id="ED header only"),
    # compute_search.csv
    pytest.param(cell("compute_search.csv", "2010.11929", "benchmark", "imagenet;coco_minval"),
                 "did you mean coco_minival", id="search unknown benchmark"),
    pytest.param(cell("compute_search.csv", "2010.11929", "arxiv_id", "2010.11929v2"),
                 "without version", id="search versioned arxiv_id"),
    pytest.param(cell("compute_search.csv", "2010.11929", "outcome", ""), "required",
                 id="search no outcome"),
]  # fmt: skip


def _not_reached(*args, **kwargs):
    raise AssertionError("the manual-file validation should have stopped the curation")


def _copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    return data


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def _assert_locator(message: str, path: Path, line, column, value, phrase: str) -> None:
    where = f"error: {path}"
    if line is not None:
        where += f", line {line}"
    if column is not None:
        where += f", column {column!r}"
    assert message.startswith(where + ": "), message
    if value is not None:
        assert message.endswith(f"(value: {value!r})"), message
    assert phrase in message, message


@pytest.mark.parametrize(("mutate", "phrase"), MANUAL_CASES)
def test_bad_hand_edited_input_stops_before_anything_is_read(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    mutate: Mutation,
    phrase: str,
) -> None:
    data = tmp_path / "data"  # the hand-edited files only: nothing else is read before them
    shutil.copytree(MANUAL, data / "manual")
    file, line, column, value = mutate(data / "manual")
    before = digest(data)
    monkeypatch.setattr(cli, "MANUAL_DIR", data / "manual")
    monkeypatch.setattr(cli, "curate", _not_reached)
    with caplog.at_level(logging.ERROR):
        status = cli.main(["--data-dir", str(data)])
    assert status == 1
    errors = _errors(caplog)
    assert errors and not any("Traceback" in e for e in errors)
    _assert_locator(errors[0], data / "manual" / file, line, column, value, phrase)
    assert digest(data) == before


def test_the_committed_hand_edited_files_are_valid() -> None:
    from analysis.curate.manual_check import validate_manual

    texts = validate_manual(MANUAL)
    assert {"results.csv", "compute_facts.csv", "chips.csv"} <= set(texts)


# --------------------------------------------------------------------------- committed tables


def _line_of_record(path: Path, number: int) -> int:
    """Physical first line of the ``number``-th record (header = 0)."""
    reader = csv.reader(path.open(encoding="utf-8", newline=""))
    end = 0
    for index, _ in enumerate(reader):
        if index == number:
            return end + 1
        end = reader.line_num
    raise AssertionError(number)


def table_cell(file: str, number: int, column: str, value: str, shown: object = None) -> Mutation:
    """Set a cell of the ``number``-th record of a committed table (1 = first data row);
    ``shown``: the value as the error shows it, when typed (default the text written)."""

    def mutate(data: Path) -> Expected:
        path = data / file
        line = _line_of_record(path, number)
        text = path.read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        rows[number][rows[0].index(column)] = value
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
        return file, line, column, value if shown is None else shown

    return mutate


def _first_with(file: str, column: str, predicate: Callable[[str], bool]) -> int:
    rows = list(csv.reader((DATA_DIR / file).open(encoding="utf-8", newline="")))
    index = rows[0].index(column)
    return next(n for n, row in enumerate(rows) if n and predicate(row[index]))


def _after_multiline_title() -> int:
    """Number of the first papers.csv record that follows a record spanning several lines."""
    path = DATA_DIR / "papers.csv"
    reader = csv.reader(path.open(encoding="utf-8", newline=""))
    end = 0
    for index, _ in enumerate(reader):
        start, end = end + 1, reader.line_num
        if end > start:
            return index + 1
    raise AssertionError("no multi-line record in papers.csv")


def _compute_records() -> list[dict[str, str]]:
    return list(csv.DictReader((DATA_DIR / "compute.csv").open(encoding="utf-8", newline="")))


def stale_ingredient(method: str, quantity: str, factor: float = 2.0) -> Mutation:
    """Multiply the ``quantity`` ingredient of the first ``method`` row of ``compute.csv`` by
    ``factor``, as a hand edit would; the error names the first derived row built from it."""

    def mutate(data: Path) -> Expected:
        records = _compute_records()
        number = {r["compute_id"]: n for n, r in enumerate(records, start=1)}
        row = next(r for r in records if r["method"] == method and r["derived_from"])
        parent = next(
            p
            for p in row["derived_from"].split(";")
            if records[number[p] - 1]["quantity"] == quantity
        )
        children = [
            n for n, r in enumerate(records, start=1) if parent in r["derived_from"].split(";")
        ]
        first = min(children)
        value = repr(float(records[number[parent] - 1]["value"]) * factor)
        table_cell("compute.csv", number[parent], "value", value)(data)
        return (
            "compute.csv",
            _line_of_record(data / "compute.csv", first),
            "value",
            float(records[first - 1]["value"]),
        )

    return mutate


def edited_derived(method: str) -> Mutation:
    """Change the value of the first derived row of ``method`` itself."""

    def mutate(data: Path) -> Expected:
        records = _compute_records()
        number = next(
            n for n, r in enumerate(records, start=1) if r["method"] == method and r["derived_from"]
        )
        value = float(records[number - 1]["value"]) * 1.5
        return table_cell("compute.csv", number, "value", repr(value), value)(data)

    return mutate


def unmatched_key(file: str, model: str) -> Mutation:
    """Misspell the model of the first row of a table about results (it then matches nothing)."""

    def mutate(data: Path) -> Expected:
        line = set_cell(data / "manual" / file, model, "model", model + "x")
        return f"manual/{file}", line, "model", model + "x"

    return mutate


def manual_in_check(first: Mutation) -> Mutation:
    """A mistake in a hand-edited file, found by ``--check`` on a copied data directory."""

    def mutate(data: Path) -> Expected:
        file, line, column, value = first(data / "manual")
        return f"manual/{file}", line, column, value

    return mutate


DERIVED = _first_with("compute.csv", "derived_from", bool)
CHIP_ROW = _first_with("compute.csv", "chip", bool)
AFTER_MULTILINE = _after_multiline_title()
PRICED = _first_with("hardware.csv", "launch_price_usd", bool)

TABLE_CASES = [
    pytest.param(table_cell("results.csv", 1, "value", "abc"), "not a number", id="CT value abc"),
    pytest.param(table_cell("results.csv", 1, "value", "1,000"), "not a number", id="CT 1,000"),
    pytest.param(table_cell("results.csv", 1, "value", "inf"), "not finite", id="CT value inf"),
    pytest.param(table_cell("results.csv", 1, "higher_is_better", "yes"), "True/False",
                 id="CT boolean yes"),
    pytest.param(table_cell("results.csv", 1, "benchmark_role", "tertiary"), "",
                 id="CT unknown role"),
    pytest.param(table_cell("compute.csv", DERIVED, "derived_from", "c000000000000"),
                 "is not a compute_id", id="CT dangling derived_from"),
    pytest.param(table_cell("compute.csv", CHIP_ROW, "chip", "NVIDIA Tesla Q900"),
                 "chip not in hardware.csv", id="CT unknown chip"),
    pytest.param(table_cell("compute.csv", 1, "unit", "days"), "", id="CT unit days"),
    pytest.param(table_cell("compute.csv", 1, "value", "-5", -5.0), "greater_than",
                 id="CT negative compute"),
    pytest.param(table_cell("papers.csv", AFTER_MULTILINE, "date", "2021-02-30"),
                 "not a calendar date", id="CT impossible date after a multi-line title"),
    pytest.param(table_cell("papers.csv", 1, "date", TOMORROW), "outside",
                 id="CT date after the build date"),
    pytest.param(table_cell("hardware.csv", 1, "peak_fp32_flops", "-1e12", -1e12), "",
                 id="CT negative peak"),
    pytest.param(table_cell("hardware.csv", PRICED, "launch_price_usd", "-999", -999.0),
                 "must be positive", id="CT negative launch price"),
    pytest.param(duplicate_of_line_2("results.csv", "result_id"), "duplicate (also on line 2)",
                 id="CT duplicate result_id"),
    pytest.param(raw("results.csv", prepend_bom, 1, None, "\ufeff"), "byte-order mark",
                 id="CT BOM"),
    pytest.param(raw("compute.csv", lambda b: b.replace(b"\n", b"\n\n", 2).replace(
                     b"\n\n", b"\n", 1), 3, None, ""), "blank line", id="CT blank line"),
    pytest.param(header_only("results.csv"), "header but no rows", id="CT header only"),
    pytest.param(raw("results.csv", lambda b: b"", 1), "empty", id="CT empty"),
    pytest.param(raw("results.csv", lambda b: b.replace(b"\n", b"\n\xe9", 1), 2, "result_id",
                     b"\xe9"), "not UTF-8", id="CT non-UTF-8"),
    pytest.param(extra_field("results.csv"), "malformed CSV", id="CT too many fields"),
    # derived compute rows that their ingredients no longer give
    pytest.param(stale_ingredient("hardware_burden", "chip_count"), "stale hardware_burden",
                 id="CT chip_count edited under its hardware burden"),
    pytest.param(stale_ingredient("hardware_burden", "training_hours", 0.5),
                 "stale hardware_burden", id="CT training_hours edited under its hardware burden"),
    pytest.param(stale_ingredient("network_operations", "epochs", 3.0),
                 "stale network_operations", id="CT epochs edited under its network operations"),
    pytest.param(edited_derived("hardware_burden"), "stale hardware_burden",
                 id="CT hardware burden edited"),
    pytest.param(edited_derived("network_operations"), "stale network_operations",
                 id="CT network operations edited"),
    pytest.param(edited_derived("reported"), "stale copy", id="CT architecture FLOPs copy edited"),
    # hand-edited files, checked against the committed tables
    pytest.param(unmatched_key("same_weights.csv", "resnet-101"),
                 "no result of results.csv has this", id="CT same_weights row matching nothing"),
    pytest.param(unmatched_key("result_dates.csv", "densenet121"),
                 "no result of results.csv has this", id="CT result_dates row matching nothing"),
    pytest.param(manual_in_check(cell("authors.csv", "2d2017driven", "paper_id", "2d2017drivn")),
                 "no such paper in", id="CT authors row of no paper"),
    pytest.param(manual_in_check(cell("results.csv", R, "metric", "top1_accuracy")),
                 "not a metric of benchmark squad11_dev",
                 id="CT manual metric of another benchmark"),
]  # fmt: skip


@pytest.mark.parametrize(("mutate", "phrase"), TABLE_CASES)
def test_bad_committed_table_fails_the_check(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, mutate: Mutation, phrase: str
) -> None:
    data = _copy_data(tmp_path)
    file, line, column, value = mutate(data)
    before = digest(data)
    with caplog.at_level(logging.ERROR):
        status = cli.main(["--check", "--data-dir", str(data)])
    assert status == 1
    errors = _errors(caplog)
    # load_tables names a table by its file name; the later checks by its path, as a person
    # finds the file they edited (data/manual/..., data/compute.csv)
    named = Path(file) if errors[0].startswith(f"error: {file}") else data / file
    _assert_locator(errors[0], named, line, column, value, phrase)
    assert digest(data) == before


def test_a_dangling_resource_path_fails_the_data_package_check(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = _copy_data(tmp_path)
    descriptor = (data / "datapackage.json").read_text(encoding="utf-8")
    (data / "datapackage.json").write_text(
        descriptor.replace('"path": "hardware.csv"', '"path": "hardwre.csv"', 1), encoding="utf-8"
    )
    before = digest(data)
    with caplog.at_level(logging.ERROR):
        assert cli.main(["--check", "--data-dir", str(data)]) == 1
    message = _errors(caplog)[0]
    assert message.startswith("error: datapackage.json, column 'resources[")
    assert message.endswith("file does not exist (value: 'hardwre.csv')")
    assert digest(data) == before


# --------------------------------------------------------------------------- flags after ingest


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        pytest.param("source_record", "row 1460: RoBERTa Larg", "the flag would flag nothing",
                     id="flags misspelt record"),
        pytest.param("quantity", "epochs", "the flag would flag nothing",
                     id="flags quantity the record lacks"),
        pytest.param("value", "96", "the source now gives 120", id="flags stale value"),
    ],
)  # fmt: skip
def test_a_flag_must_match_a_source_value(
    tmp_path: Path, tables, column: str, value: str, problem: str
) -> None:
    from analysis.curate.pipeline import check_flags

    flags = tmp_path / "source_flags.csv"
    shutil.copy2(MANUAL / "source_flags.csv", flags)
    line = set_cell(flags, "row 1460: RoBERTa Large", column, value)
    with pytest.raises(ValueError) as error:
        check_flags(tables.compute, flags)
    message = str(error.value)
    assert message.startswith(f"{flags}, line {line}, column {column}: "), message
    assert problem in message


def test_flagged_values_lists_derived_rows_under_their_ingredients_flags(tables) -> None:
    """Every row built from a flagged value is listed with that value's flag (RoBERTa-Large's
    hardware burden under its training-hours flag); a derived measure is never matched to a
    flag on the source's own training FLOP (Megatron-BERT's hardware burden is listed under its
    chip-count and training-hours flags, not under the FLOP estimate's)."""
    from analysis.curate.pipeline import flagged_values

    report = flagged_values(tables.compute, MANUAL / "source_flags.csv")
    derived = report[report["method"].isin(["hardware_burden", "network_operations"])]
    assert len(derived) > 0
    parents = tables.compute.set_index("compute_id")["derived_from"]
    listed = set(zip(report["compute_id"], report["finding"], strict=True))
    for row in derived.itertuples(index=False):
        assert any((p, row.finding) in listed for p in parents[row.compute_id].split(";"))
    flop_flags = report[(report["method"] != "hardware_burden")
                        & (report["quantity"] == "training_flops")]["finding"]  # fmt: skip
    assert not set(derived["finding"]) & set(flop_flags)


# --------------------------------------------------------------------------- assumptions


def _yaml_line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


ASSUMPTION_CASES = [
    # (old text, new text, key path, phrase); the line is where the new text starts
    ("  mean: 0.38\n", "  mean: 0.38\n  meen: 0.9\n", "utilisation.meen", "did you mean mean"),
    ("energy:\n", "energi:\n", "energi", "did you mean energy"),
    ("imagenet/top1_accuracy: [5.0", "imagenet/top1_acuracy: [5.0",
     "targets.imagenet/top1_acuracy", "did you mean imagenet/top1_accuracy"),
    ("[network_operations, epoch_estimate]", "[network_operation, epoch_estimate]",
     "utilisation.operation_count_measures[0]", "network_operation"),
    ("compute_measure: hardware_burden", "compute_measure: hardware_burdn",
     "projection.compute_measure", "hardware_burdn"),
    ("  pue_high: 1.58\n", "  pue_high: 1.58\n  pue_high: 9.0\n", "energy.pue_high",
     "duplicate key"),
    ("imagenet/top1_accuracy: [5.0", "imagenet/top1_accuracy: [50.0",
     "targets.imagenet/top1_accuracy[0]", "not below today's best"),
    ("imagenet/top1_accuracy: [5.0", "imagenet/top1_accuracy: [11.5",
     "targets.imagenet/top1_accuracy[0]", "not below today's best"),
    ("pue_high: 1.58", "pue_high: '1.58'", "energy.pue_high", "valid number"),
    ("max_draws: 4000", "max_draws: 4,000", "projection.max_draws", "valid integer"),
    ("  year: 2020\n", "  year: yes\n", "projection.year", "valid number"),
    ("relative_targets: [1.0, 0.5]", "relative_targets: [true, 0.5]", "relative_targets[0]",
     "valid number"),
    ("relative_targets: [1.0, 0.5]", "relative_targets: [1.0, 2.0]", "relative_targets[1]",
     "less than or equal to 1"),
    ("fit_years: [2010, 2025]", "fit_years: [2010.7, 2025]", "hardware.fit_years[0]",
     "valid integer"),
    ("fit_years: [2010, 2025]", "fit_years: [2025, 2010]", "hardware.fit_years", "before"),
    ("dollar_year: 2020", "dollar_year: 1850", "hardware.dollar_year", "greater than"),
    ("  seed: 2020", "  seed: -5", "projection.seed", "greater than or equal to 0"),
    ("fixed_g_per_kwh: 432.7", "fixed_g_per_kwh: 0", "carbon.fixed_g_per_kwh", "greater than"),
    ("amortisation_years: 3.0", "amortisation_years: .inf", "hardware.amortisation_years",
     "finite"),
    ("  pue_low: 1.1", "  pue_low: 1.7", "energy.pue_low", "must not exceed pue_high"),
    ("  squad11/f1: 4.6", "  squad11/f: 4.6", "study_today.squad11/f", "unknown series"),
    ("interval: 0.9", "interval: 1.5", "projection.interval", "less than 1"),
    ("price_basis: cloud_on_demand", "price_basis: cloud", "hardware.price_basis",
     "cloud_on_demand"),
    ("include_scatter: false", "include_scatter: maybe", "hardware.include_scatter",
     "valid boolean"),
]  # fmt: skip


@pytest.fixture(scope="module")
def tables():
    from analysis.data import load_tables

    return load_tables()


@pytest.fixture(scope="module")
def today() -> dict[str, float]:
    return committed_todays_best(load_assumptions())


@pytest.mark.parametrize(
    ("old", "new", "key", "phrase"),
    [pytest.param(*case, id=f"AS {case[2]} {case[3]}") for case in ASSUMPTION_CASES],
)
def test_bad_assumption_names_file_line_and_key(
    tmp_path: Path, today: dict[str, float], old: str, new: str, key: str, phrase: str
) -> None:
    text = ASSUMPTIONS_FILE.read_text(encoding="utf-8")
    assert old in text
    edited = text.replace(old, new, 1)
    path = tmp_path / "assumptions.yaml"
    path.write_text(edited, encoding="utf-8")
    before = digest(path)
    with pytest.raises(AssumptionsError) as error:
        load_assumptions(path, today=today)
    first = str(error.value).splitlines()
    line = _yaml_line(edited, new.strip().splitlines()[-1])
    matching = [m for m in first if f", key {key}: " in m]
    assert matching, first
    assert matching[0].startswith(f"{path}, line {line}, key {key}: "), matching[0]
    assert phrase in matching[0]
    assert digest(path) == before


@pytest.mark.parametrize(
    ("content", "line", "phrase"),
    [
        pytest.param("targets: [\n  a: 1\n", 3, "not valid YAML", id="AS syntax error"),
        pytest.param("projection:\n\tyear: 2020\n", 2, "not valid YAML", id="AS tab indent"),
        pytest.param("", 1, "expected a mapping", id="AS empty file"),
    ],
)
def test_unreadable_assumptions_file(tmp_path: Path, content: str, line: int, phrase: str):
    path = tmp_path / "assumptions.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AssumptionsError) as error:
        load_assumptions(path)
    assert str(error.value).startswith(f"{path}, line {line}")
    assert phrase in str(error.value)


# --------------------------------------------------------------------------- full curation


@pytest.mark.skipif(not sources_dir().exists(), reason="needs the raw sources")
def test_a_flag_on_a_misspelt_record_stops_the_curation_and_changes_nothing(tmp_path: Path):
    """Found only after the sources are read: the flagged record does not exist. The full
    curation runs in a subprocess on copies of the data directory and the sources."""
    data = _copy_data(tmp_path)
    shutil.copy2(REFERENCES_FILE, tmp_path / "references.bib")
    sources = tmp_path / "sources"
    shutil.copytree(sources_dir(), sources)
    line = set_cell(data / "manual" / "source_flags.csv", "row 1460: RoBERTa Large",
                    "source_record", "row 1460: RoBERTa Larg")  # fmt: skip
    before = digest(data, tmp_path / "references.bib")
    env = {**os.environ, "COMPLIM_DATA_DIR": str(data), "COMPLIM_SOURCES": str(sources)}
    run = subprocess.run(
        [sys.executable, "-m", "analysis.curate"],
        capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=900,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: {data / 'manual' / 'source_flags.csv'}, line {line}, column source_record: no "
        "training_hours value of record 'row 1460: RoBERTa Larg' in source 'epoch-ai-models' "
        "(the flag would flag nothing)"
    ]
    assert digest(data, tmp_path / "references.bib") == before


def test_an_authors_row_naming_no_curated_paper_stops_the_curation(tmp_path: Path) -> None:
    """An ``authors.csv`` paper is checked against the *curated* ``papers.csv`` (new authors may
    give a paper a new id), so the check runs on the staged tables before anything is replaced."""
    from analysis.curate.staging import validate_outputs

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    file, line, column, value = with_papers(
        cell("authors.csv", "2d2017driven", "paper_id", "2d2017drivn")
    )(data / "manual")
    with pytest.raises(ManualInputError) as raised:
        validate_outputs(data, REFERENCES_FILE)
    first = "error: " + str(raised.value).splitlines()[0]
    _assert_locator(first, data / "manual" / file, line, column, value, "no such paper in")
