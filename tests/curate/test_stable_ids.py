"""Ids of hand-curated rows follow their keys (result_key, fact_id), not their line numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.curate.matching import build_compute
from analysis.curate.results import build_results
from analysis.ingest.compute import compute_facts
from analysis.ingest.compute.compute_facts import FactsError, validate_facts
from analysis.ingest.hardware import build_hardware_table
from analysis.ingest.leaderboards._common import MANUAL_RESULTS_FILE
from analysis.ingest.leaderboards.manual import read_manual_results
from analysis.paths import sources_dir
from analysis.vocab.measures import derive_measures

SEED = 20261125


@pytest.fixture(scope="module")
def hardware() -> pd.DataFrame:
    return build_hardware_table(sources_dir())


def _curated_ids(results_file, facts_file, hardware) -> tuple[dict, dict]:
    """The results and compute steps of curate on the two hand-curated files alone.

    Returns result_key -> result_id and (fact ids, quantity, method, result_key) -> compute_id.
    """
    results_records, _ = read_manual_results(results_file)
    facts_records = compute_facts.read(sources_dir(), facts_file=facts_file)
    records = pd.concat([results_records, facts_records], ignore_index=True)
    paper_of = records["arxiv_id"]
    results, _ = build_results(records, paper_of)
    compute = build_compute(records, paper_of, results, derive_measures(records, hardware))
    key_of = results.set_index("result_id")["source_record"]
    result_ids = dict(zip(key_of, key_of.index, strict=True))
    compute_ids = {
        (row.source_record, row.quantity, row.method, key_of.get(row.result_id)): row.compute_id
        for row in compute.itertuples()
    }
    return result_ids, compute_ids


def _reordered_copy(path, tmp_path, inserted: dict[str, str]):
    """A copy of ``path`` with its rows shuffled and ``inserted`` put in the middle."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    shuffled = frame.sample(frac=1, random_state=SEED).reset_index(drop=True)
    middle = len(shuffled) // 2
    new_row = pd.DataFrame([{**frame.iloc[0].to_dict(), **inserted}])
    out = pd.concat([shuffled.iloc[:middle], new_row, shuffled.iloc[middle:]], ignore_index=True)
    copy = tmp_path / path.name
    out.to_csv(copy, index=False)
    assert not out.iloc[: len(frame)].equals(frame), "the copy must change line numbers"
    return copy


@pytest.mark.needs_sources
def test_shuffling_and_inserting_rows_keeps_every_id(tmp_path, hardware):
    before_results, before_compute = _curated_ids(
        MANUAL_RESULTS_FILE, compute_facts.FACTS_FILE, hardware
    )
    results_copy = _reordered_copy(
        MANUAL_RESULTS_FILE,
        tmp_path,
        {"result_key": "inserted-squad11-dev-f1", "model": "Inserted", "value": "50.5"},
    )
    facts_copy = _reordered_copy(
        compute_facts.FACTS_FILE,
        tmp_path,
        {"fact_id": "inserted-hours", "model": "Inserted", "quantity": "training_hours",
         "unit": "hours", "chip": "", "value": "3"},
    )  # fmt: skip
    after_results, after_compute = _curated_ids(results_copy, facts_copy, hardware)

    assert len(before_results) == len(pd.read_csv(MANUAL_RESULTS_FILE))
    assert len(before_compute) > len(before_results)
    assert {k: after_results[k] for k in before_results} == before_results
    assert {k: after_compute.get(k) for k in before_compute} == before_compute
    assert len(after_results) == len(before_results) + 1


def _results_with_keys(tmp_path, keys: list[str]):
    frame = pd.read_csv(MANUAL_RESULTS_FILE, dtype=str, keep_default_na=False).head(len(keys))
    frame["result_key"] = keys
    path = tmp_path / "results.csv"
    frame.to_csv(path, index=False)
    return path


def test_duplicate_result_key_names_file_lines_and_column(tmp_path):
    path = _results_with_keys(tmp_path, ["a-key", "b-key", "a-key"])
    with pytest.raises(ValueError, match="duplicate 'a-key'") as error:
        read_manual_results(path)
    assert "results.csv, line 4, column 'result_key'" in str(error.value)
    assert "also on line 2" in str(error.value)


def test_missing_result_key_names_file_line_and_column(tmp_path):
    path = _results_with_keys(tmp_path, ["a-key", ""])
    with pytest.raises(ValueError, match="required") as error:
        read_manual_results(path)
    assert "results.csv, line 3, column 'result_key'" in str(error.value)


def _facts_with_ids(tmp_path, ids: list[str]):
    frame = pd.read_csv(compute_facts.FACTS_FILE, dtype=str, keep_default_na=False)
    frame = frame.head(len(ids)).assign(fact_id=ids)
    path = tmp_path / "compute_facts.csv"
    frame.to_csv(path, index=False)
    return path


def test_duplicate_fact_id_names_file_lines_and_column(tmp_path):
    with pytest.raises(FactsError, match="duplicate 'x-1'") as error:
        validate_facts(_facts_with_ids(tmp_path, ["x-1", "x-2", "x-1"]))
    assert "compute_facts.csv: line 4, column fact_id" in str(error.value)
    assert "also on line 2" in str(error.value)


def test_missing_fact_id_names_file_line_and_column(tmp_path):
    with pytest.raises(FactsError, match="line 3, column fact_id: required"):
        validate_facts(_facts_with_ids(tmp_path, ["x-1", " "]))


def test_two_values_of_one_quantity_in_a_record_are_rejected(tmp_path):
    frame = pd.read_csv(compute_facts.FACTS_FILE, dtype=str, keep_default_na=False).head(1)
    twice = pd.concat([frame, frame.assign(fact_id="second", value="9")], ignore_index=True)
    path = tmp_path / "compute_facts.csv"
    twice.to_csv(path, index=False)
    with pytest.raises(FactsError, match="line 3, column quantity") as error:
        compute_facts.read(sources_dir(), facts_file=path)
    assert "on line 2" in str(error.value)


def test_committed_keys_are_the_record_names():
    records, _ = read_manual_results(MANUAL_RESULTS_FILE)
    assert records["source_record"].str.startswith("result_key ").all()
    assert records["source_record"].is_unique
    facts = compute_facts.read(sources_dir())
    assert facts["source_record"].str.startswith("fact_id ").all()
    assert not facts["source_record"].str.contains(r"\bline \d", regex=True).any()
