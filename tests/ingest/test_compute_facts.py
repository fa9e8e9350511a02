"""The hand-facts reader: strict validation on corrupted inputs, and record assembly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.ingest.compute import compute_facts
from analysis.ingest.compute.compute_facts import FactsError, validate_facts
from analysis.paths import sources_dir

HEADER = (
    "fact_id,arxiv_id,paper_title,paper_url,model,benchmark,quantity,value,unit,chip,"
    "source_url,source_location,note"
)
GOOD_ROWS = [
    "a-gpus,1706.03762,Attention,https://arxiv.org/abs/1706.03762,Big,wmt2014_en_de,chip_count,8,"
    "count,NVIDIA Tesla P100,https://arxiv.org/abs/1706.03762,Section 5.2,",
    "a-hours,1706.03762,Attention,https://arxiv.org/abs/1706.03762,Big,wmt2014_en_de,"
    "training_hours,84,hours,,https://arxiv.org/abs/1706.03762,Section 5.2,3.5 days",
    "a-macs,1706.03762,Attention,https://arxiv.org/abs/1706.03762,,wmt2014_en_de,flops_per_pass,"
    "5e9,multiply-adds,,https://arxiv.org/abs/1706.03762,Table 2,shared by all models",
]


def _write(tmp_path, rows):
    path = tmp_path / "compute_facts.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_good_facts_combine_into_one_record(tmp_path):
    records = compute_facts.read(sources_dir(), facts_file=_write(tmp_path, GOOD_ROWS))
    assert len(records) == 1
    record = records.iloc[0]
    assert record["chip"] == "NVIDIA P100"
    assert record["chip_count"] == 8
    assert record["training_hours"] == 84
    assert record["flops_per_pass"] == 1e10
    assert record["flops_convention"] == "multiply-adds"
    assert record["task"] == "machine_translation"


@pytest.mark.parametrize(
    ("column", "bad", "message"),
    [
        ("arxiv_id", "1706.03762v2", "arxiv_id"),
        ("quantity", "gpu_hours", "quantity"),
        ("unit", "days", "unit"),
        ("value", "eight", "value"),
        ("value", "-8", "value"),
        ("benchmark", "wmt14", "benchmark"),
        ("source_url", "", "source_url"),
        ("source_location", " ", "source_location"),
        ("chip", "", "chip"),
    ],
)
def test_corrupted_fact_is_rejected_naming_line_and_column(tmp_path, column, bad, message):
    frame = pd.read_csv(_write(tmp_path, GOOD_ROWS), dtype=str, keep_default_na=False)
    frame.loc[0, column] = bad
    path = tmp_path / "corrupted.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(FactsError) as error:
        validate_facts(path)
    text = str(error.value)
    assert "corrupted.csv" in text
    assert "line 2" in text
    assert f"column {message}" in text


def test_chip_on_a_non_count_row_is_rejected(tmp_path):
    rows = [GOOD_ROWS[0], GOOD_ROWS[1].replace(",hours,,", ",hours,NVIDIA V100,")]
    with pytest.raises(FactsError, match=r"line 3, column chip"):
        validate_facts(_write(tmp_path, rows))


def test_missing_column_and_duplicate_id_are_rejected(tmp_path):
    path = _write(tmp_path, GOOD_ROWS)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns=["unit"]).to_csv(path, index=False)
    with pytest.raises(FactsError, match="missing column"):
        validate_facts(path)
    with pytest.raises(FactsError, match="line 3, column fact_id"):
        validate_facts(_write(tmp_path, [GOOD_ROWS[0], GOOD_ROWS[0]]))


def test_missing_file_gives_an_empty_frame_with_the_schema(tmp_path):
    records = compute_facts.read(sources_dir(), facts_file=tmp_path / "absent.csv")
    assert records.empty
    assert "training_flops_method" in records.columns


def test_committed_facts_file_validates():
    if not compute_facts.FACTS_FILE.exists():
        pytest.fail("data/manual/compute_facts.csv is expected in the repository")
    facts = validate_facts(compute_facts.FACTS_FILE)
    assert len(facts) > 0
    assert np.isfinite(facts["value"]).all()


def test_unmapped_facts_chips_stay_missing(tmp_path):
    rows = [GOOD_ROWS[0].replace("NVIDIA Tesla P100", "GPU (model not stated)")]
    records = compute_facts.read(sources_dir(), facts_file=_write(tmp_path, rows))
    assert pd.isna(records.iloc[0]["chip"])
    assert records.iloc[0]["chip_count"] == 8


def test_a_fact_cited_from_another_paper_is_its_own_record(tmp_path):
    estimate = (
        "a-estimate,1706.03762,Attention,https://arxiv.org/abs/1706.03762,Big,wmt2014_en_de,"
        "training_flops,2.3e19,FLOPs,,https://arxiv.org/abs/2003.10555,Table 4,later estimate"
    )
    records = compute_facts.read(sources_dir(), facts_file=_write(tmp_path, [*GOOD_ROWS, estimate]))
    assert len(records) == 2
    by_url = records.set_index("source_url")
    own = by_url.loc["https://arxiv.org/abs/1706.03762"]
    assert own["chip_count"] == 8 and own["flops_per_pass"] == 1e10
    assert np.isnan(own["training_flops"])
    later = by_url.loc["https://arxiv.org/abs/2003.10555"]
    assert later["training_flops"] == 2.3e19 and np.isnan(later["chip_count"])
