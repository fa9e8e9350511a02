"""load_tables on the committed data, and on deliberately corrupted small copies of it.

Each corruption test writes a small, valid, self-consistent subset of the committed tables to
``tmp_path``, breaks one thing, and checks that the DataValidationError names the file, the
CSV line, the column and the value.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.data import DataValidationError, load_tables
from analysis.paths import DATA_DIR

TABLES = ("papers.csv", "results.csv", "compute.csv", "hardware.csv")


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def small_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A consistent subset: papers with compute rows on a chip, and some without compute."""
    papers, results, compute, hardware = (_read(n) for n in TABLES)
    with_chip = compute[compute["chip"] != ""]["paper_id"].drop_duplicates().head(5)
    others = results[~results["paper_id"].isin(compute["paper_id"])]["paper_id"]
    chosen = set(with_chip) | set(others.drop_duplicates().head(15))
    out = tmp_path_factory.mktemp("small")
    papers[papers["paper_id"].isin(chosen)].to_csv(out / "papers.csv", index=False)
    results[results["paper_id"].isin(chosen)].to_csv(out / "results.csv", index=False)
    compute[compute["paper_id"].isin(chosen)].to_csv(out / "compute.csv", index=False)
    hardware.to_csv(out / "hardware.csv", index=False)
    return out


@pytest.fixture
def data(small_dir: Path, tmp_path: Path) -> Path:
    for name in TABLES:
        shutil.copy(small_dir / name, tmp_path / name)
    return tmp_path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> None:
    header = header or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _set(data: Path, file: str, row: int, column: str, value: str) -> int:
    """Set one cell (0-based data row); returns the CSV line number of that row."""
    rows = _rows(data / file)
    rows[row][column] = value
    _write(data / file, rows)
    return row + 2


def _expect(data: Path, file: str, line: int | None, column: str | None, value: str) -> str:
    with pytest.raises(DataValidationError) as info:
        load_tables(data)
    message = str(info.value)
    assert message.startswith(file), message
    if line is not None:
        assert f"line {line}" in message, message
    if column is not None:
        assert f"column {column!r}" in message, message
    assert value in message, message
    return message


def _row_where(data: Path, file: str, column: str, predicate) -> int:
    rows = _rows(data / file)
    return next(i for i, r in enumerate(rows) if predicate(r[column]))


# --------------------------------------------------------------------------- the real data


def test_committed_tables_validate():
    tables = load_tables()
    assert len(tables.papers) >= 1058
    assert tables.results["result_id"].is_unique


def test_small_copy_is_valid(data):
    tables = load_tables(data)
    assert len(tables.papers) >= 10
    assert len(tables.compute) > 0


# --------------------------------------------------------------------------- file-level problems


def test_empty_file(data):
    (data / "results.csv").write_text("", encoding="utf-8")
    _expect(data, "results.csv", 1, None, "")
    with pytest.raises(DataValidationError, match="empty"):
        load_tables(data)


def test_header_only(data):
    header = (data / "papers.csv").read_text(encoding="utf-8").splitlines()[0]
    (data / "papers.csv").write_text(header + "\n", encoding="utf-8")
    with pytest.raises(
        DataValidationError, match=re.escape("papers.csv, line 2: file has a header but no rows")
    ):
        load_tables(data)


def test_missing_file(data):
    (data / "compute.csv").unlink()
    with pytest.raises(DataValidationError, match=re.escape("compute.csv: file is missing")):
        load_tables(data)


def test_wrong_header_renamed_column(data):
    rows = _rows(data / "results.csv")
    renamed = [{("score" if k == "value" else k): v for k, v in r.items()} for r in rows]
    _write(data / "results.csv", renamed)
    message = _expect(data, "results.csv", 1, None, "score")
    assert "missing ['value']" in message and "unexpected ['score']" in message


def test_wrong_header_column_order(data):
    rows = _rows(data / "papers.csv")
    header = list(rows[0])
    header[1], header[2] = header[2], header[1]
    _write(data / "papers.csv", rows, header)
    with pytest.raises(
        DataValidationError,
        match=re.escape("papers.csv, line 1: wrong header: columns out of order"),
    ):
        load_tables(data)


def test_hardware_without_peak_column(data):
    rows = _rows(data / "hardware.csv")
    header = [c for c in rows[0] if c != "peak_fp32_flops"]
    _write(data / "hardware.csv", rows, header)
    with pytest.raises(DataValidationError, match=r"missing \['peak_fp32_flops'\]"):
        load_tables(data)


def test_not_utf8(data):
    path = data / "papers.csv"
    path.write_bytes(path.read_bytes() + "café".encode("latin-1") + b"\n")
    with pytest.raises(DataValidationError, match="not UTF-8"):
        load_tables(data)


# --------------------------------------------------------------------------- cell-level problems


def test_value_not_a_number(data):
    line = _set(data, "results.csv", 3, "value", "eighty")
    _expect(data, "results.csv", line, "value", "eighty")


def test_value_outside_metric_bounds(data):
    index = _row_where(
        data, "results.csv", "metric", lambda m: m in {"top1_accuracy", "box_ap", "f1"}
    )
    line = _set(data, "results.csv", index, "value", "130")
    message = _expect(data, "results.csv", line, "value", "130")
    assert "bounds" in message


def test_error_inconsistent_with_value(data):
    index = _row_where(
        data, "results.csv", "metric", lambda m: m in {"top1_accuracy", "box_ap", "f1"}
    )
    line = _set(data, "results.csv", index, "error", "1.5")
    _expect(data, "results.csv", line, "error", "1.5")


def test_unknown_metric(data):
    line = _set(data, "results.csv", 1, "metric", "vibes")
    _expect(data, "results.csv", line, "metric", "vibes")


def test_unknown_task(data):
    line = _set(data, "results.csv", 2, "task", "astrology")
    _expect(data, "results.csv", line, "task", "astrology")


def test_primary_benchmark_in_wrong_task(data):
    index = _row_where(data, "results.csv", "benchmark", lambda b: b == "imagenet")
    line = _set(data, "results.csv", index, "task", "speech_recognition")
    message = _expect(data, "results.csv", line, "task", "speech_recognition")
    assert "belongs to image_classification" in message


def test_wrong_benchmark_role(data):
    index = _row_where(data, "results.csv", "benchmark_role", lambda r: r == "secondary")
    line = _set(data, "results.csv", index, "benchmark_role", "primary")
    _expect(data, "results.csv", line, "benchmark_role", "primary")


def test_bad_bool(data):
    line = _set(data, "results.csv", 0, "higher_is_better", "maybe")
    _expect(data, "results.csv", line, "higher_is_better", "maybe")


def test_duplicate_result_id(data):
    rows = _rows(data / "results.csv")
    rows[4]["result_id"] = rows[1]["result_id"]
    _write(data / "results.csv", rows)
    _expect(data, "results.csv", None, "result_id", rows[1]["result_id"])


def test_duplicate_paper_id(data):
    rows = _rows(data / "papers.csv")
    rows.append(dict(rows[0]))
    _write(data / "papers.csv", rows)
    _expect(data, "papers.csv", None, "paper_id", rows[0]["paper_id"])


def test_result_with_unknown_paper(data):
    line = _set(data, "results.csv", 2, "paper_id", "nobody2099nothing")
    message = _expect(data, "results.csv", line, "paper_id", "nobody2099nothing")
    assert "not in papers.csv" in message


def test_compute_with_unknown_result(data):
    index = _row_where(data, "compute.csv", "result_id", lambda r: r != "")
    line = _set(data, "compute.csv", index, "result_id", "r000000000000")
    _expect(data, "compute.csv", line, "result_id", "r000000000000")


def test_compute_with_unknown_chip(data):
    index = _row_where(data, "compute.csv", "chip", lambda c: c != "")
    line = _set(data, "compute.csv", index, "chip", "Abacus 3000")
    message = _expect(data, "compute.csv", line, "chip", "Abacus 3000")
    assert "hardware.csv" in message


def test_negative_flops(data):
    index = _row_where(
        data, "compute.csv", "quantity", lambda q: q in {"flops_per_pass", "training_flops"}
    )
    line = _set(data, "compute.csv", index, "value", "-1e18")
    _expect(data, "compute.csv", line, "value", "-1e+18")


def test_infinite_compute(data):
    line = _set(data, "compute.csv", 0, "value", "inf")
    _expect(data, "compute.csv", line, "value", "inf")


def test_unknown_quantity(data):
    line = _set(data, "compute.csv", 0, "quantity", "vibes_per_second")
    _expect(data, "compute.csv", line, "quantity", "vibes_per_second")


def test_date_out_of_range(data):
    line = _set(data, "papers.csv", 0, "date", "2031-01-01")
    _expect(data, "papers.csv", line, "date", "2031-01-01")


def test_impossible_calendar_date(data):
    index = _row_where(data, "papers.csv", "date", lambda d: len(d) == 10)
    line = _set(data, "papers.csv", index, "date", "2019-02-30")
    _expect(data, "papers.csv", line, "date", "2019-02-30")


def test_malformed_date(data):
    line = _set(data, "papers.csv", 1, "date", "March 2019")
    _expect(data, "papers.csv", line, "date", "March 2019")


def test_year_disagrees_with_date(data):
    index = _row_where(data, "papers.csv", "date", lambda d: d.startswith("20"))
    rows = _rows(data / "papers.csv")
    wrong = str(int(rows[index]["year"]) - 3)
    line = _set(data, "papers.csv", index, "year", wrong)
    _expect(data, "papers.csv", line, "year", wrong)


def test_fractional_year(data):
    line = _set(data, "papers.csv", 0, "year", "2019.5")
    _expect(data, "papers.csv", line, "year", "2019.5")


def test_bad_arxiv_id(data):
    line = _set(data, "papers.csv", 0, "arxiv_id", "arXiv:1512.03385v2")
    _expect(data, "papers.csv", line, "arxiv_id", "arXiv:1512.03385v2")


def test_missing_title(data):
    line = _set(data, "papers.csv", 2, "title", "")
    _expect(data, "papers.csv", line, "title", "")


def test_paper_without_results_or_compute(data):
    rows = _rows(data / "papers.csv")
    orphan = {**rows[0], "paper_id": "orphan2020paper", "arxiv_id": "", "title": "Orphan"}
    rows.append(orphan)
    _write(data / "papers.csv", rows)
    _expect(data, "papers.csv", len(rows) + 1, "paper_id", "orphan2020paper")


def test_unicode_titles_are_accepted(data):
    title = "Réseaux profonds: Ünïcödé ☃ 深度学习 — “quotes”, commas"
    _set(data, "papers.csv", 0, "title", title)
    tables = load_tables(data)
    assert title in set(tables.papers["title"])


def test_hardware_non_positive_peak(data):
    rows = _rows(data / "hardware.csv")
    index = next(i for i, r in enumerate(rows) if r["peak_fp32_flops"])
    line = _set(data, "hardware.csv", index, "peak_fp32_flops", "0")
    _expect(data, "hardware.csv", line, "peak_fp32_flops", "0")


def test_no_email_addresses_in_published_tables():
    pattern = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
    for name in (*TABLES, "README.md", "datapackage.json"):
        text = (DATA_DIR / name).read_text(encoding="utf-8")
        assert not pattern.search(text), f"{name} contains an e-mail address"
