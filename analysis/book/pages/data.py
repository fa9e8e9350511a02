"""Summaries, charts and the searchable results table of the data chapter (``book/data.md``)."""

from __future__ import annotations

import html
import json

import altair as alt
import pandas as pd

from analysis.data import MEASURES, Tables, compute_long, coverage, domain_counts, primary_results

MEASURE_LABELS: dict[str, str] = {
    "hardware_burden": "hardware burden",
    "network_operations": "network operations",
    "flops_per_pass": "FLOPs per pass",
    "epoch_estimate": "Epoch AI / reported",
}
TARGETS: dict[str, tuple[tuple[str, ...], int]] = {
    "ImageNet": (("imagenet",), 100),
    "COCO": (("coco_test_dev", "coco_minival"), 30),
    "SQuAD 1.1": (("squad11", "squad11_dev"), 30),
    "WMT 2014": (("wmt2014_en_fr", "wmt2014_en_de"), 30),
}
"""Compute-coverage targets of the dataset: results with at least one compute measure."""


def counts_by_task(tables: Tables) -> pd.DataFrame:
    """Papers, results, primary results and primary results with compute, per task family."""
    counts = domain_counts(tables)
    primary = primary_results(tables)
    measured = set(compute_long(tables)["result_id"])
    with_compute = primary[primary["result_id"].isin(measured)].groupby("task").size()
    counts["primary_with_compute"] = counts["task"].map(with_compute).fillna(0).astype(int)
    total = pd.DataFrame(
        {
            "task": ["all tasks"],
            "papers": [tables.papers["paper_id"].nunique()],
            "papers_with_results": [tables.results["paper_id"].nunique()],
            "results": [len(tables.results)],
            "results_primary": [int(counts["results_primary"].sum())],
            "primary_with_compute": [int(counts["primary_with_compute"].sum())],
        }
    )
    return pd.concat([counts, total], ignore_index=True)


def results_by_year(tables: Tables) -> pd.DataFrame:
    """Results per publication year and task (results of undated papers are left out)."""
    merged = tables.results.merge(tables.papers[["paper_id", "year"]], on="paper_id")
    merged = merged[merged["year"].notna()]
    out = merged.groupby(["year", "task"]).size().rename("results").reset_index()
    out["year"] = out["year"].astype(int)
    return out


def year_chart(counts: pd.DataFrame) -> alt.Chart:
    """Stacked bars: results per publication year, coloured by task family."""
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="publication year"),
            y=alt.Y("results:Q", title="results", stack=True),
            color=alt.Color("task:N", title="task family"),
            tooltip=["year:O", "task:N", "results:Q"],
        )
        .properties(width=560, height=260)
    )


def coverage_long(tables: Tables) -> pd.DataFrame:
    """Per primary benchmark and measure: results and the share of them with that measure."""
    table = coverage(tables)
    rows = []
    for _, row in table.iterrows():
        for measure in (*MEASURES, "any_measure"):
            rows.append(
                {
                    "benchmark": row["benchmark"],
                    "measure": MEASURE_LABELS.get(measure, "any measure"),
                    "results": int(row["results"]),
                    "with_measure": int(row[f"with_{measure}"]),
                }
            )
    out = pd.DataFrame(rows)
    out["share"] = out["with_measure"] / out["results"]
    return out


def coverage_chart(long: pd.DataFrame) -> alt.Chart:
    """Heat map: share of each primary benchmark's results that have each compute measure."""
    base = alt.Chart(long).encode(
        x=alt.X(
            "measure:N",
            title="compute measure",
            sort=[*MEASURE_LABELS.values(), "any measure"],
            axis=alt.Axis(labelAngle=-30),
        ),
        y=alt.Y("benchmark:N", title=None, sort="ascending"),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("share:Q", title="share with measure", scale=alt.Scale(domain=[0, 1])),
        tooltip=["benchmark:N", "measure:N", "with_measure:Q", "results:Q"],
    )
    text = base.mark_text(fontSize=9).encode(text=alt.Text("with_measure:Q"))
    return (cells + text).properties(width=420, height=alt.Step(14))


def targets_table(tables: Tables) -> pd.DataFrame:
    """Results with at least one compute measure on the target benchmarks, against the targets."""
    primary = primary_results(tables)
    measured = set(compute_long(tables)["result_id"])
    rows = []
    for name, (benchmarks, target) in TARGETS.items():
        subset = primary[primary["benchmark"].isin(benchmarks)]
        with_compute = int(subset["result_id"].isin(measured).sum())
        rows.append(
            {
                "benchmarks": name,
                "results": len(subset),
                "with_compute": with_compute,
                "target": target,
                "met": with_compute >= target,
            }
        )
    return pd.DataFrame(rows)


def provenance_table(tables: Tables) -> pd.DataFrame:
    """Rows per source and licence in results.csv and compute.csv, and the papers they touch."""
    results = tables.results.groupby(["source", "licence"]).agg(
        results=("result_id", "size"), result_papers=("paper_id", "nunique")
    )
    compute = tables.compute.groupby(["source", "licence"], dropna=False).agg(
        compute_rows=("compute_id", "size"), compute_papers=("paper_id", "nunique")
    )
    out = results.join(compute, how="outer").fillna(0).astype(int).reset_index()
    return out.sort_values(["results", "compute_rows"], ascending=False).reset_index(drop=True)


SEARCH_COLUMNS = ("paper_id", "year", "task", "benchmark", "metric", "model", "value", "source")


def results_search_html(tables: Tables, page_size: int = 100, model_chars: int = 60) -> str:
    """A self-contained HTML table of all results with a text filter (no external scripts).

    The data are embedded once as JSON; the script shows the first ``page_size`` rows matching
    every word typed in the filter box.
    """
    merged = tables.results.merge(tables.papers[["paper_id", "year"]], on="paper_id", how="left")
    merged["model"] = merged["model"].fillna("").str.slice(0, model_chars)
    merged["year"] = merged["year"].map(lambda y: "" if pd.isna(y) else str(int(y)))
    merged["value"] = merged["value"].map(lambda v: f"{v:.4g}")
    rows = merged[list(SEARCH_COLUMNS)].sort_values(["benchmark", "metric", "year"]).to_numpy()
    cells = [["" if pd.isna(cell) else str(cell) for cell in row] for row in rows.tolist()]
    payload = json.dumps(cells, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    payload = payload.replace("</", "<\\/")
    header = "".join(f"<th>{html.escape(c)}</th>" for c in SEARCH_COLUMNS)
    return _SEARCH_TEMPLATE.format(header=header, payload=payload, page=page_size, total=len(rows))


_SEARCH_TEMPLATE = """
<div class="complim-search">
<label for="complim-filter">Filter results (all words must match):</label>
<input id="complim-filter" type="search" placeholder="e.g. imagenet 2019 resnet" style="width:60%">
<p id="complim-count" aria-live="polite"></p>
<table class="table" id="complim-results"><thead><tr>{header}</tr></thead><tbody></tbody></table>
<script type="application/json" id="complim-data">{payload}</script>
<script>
(function () {{
  var rows = JSON.parse(document.getElementById("complim-data").textContent);
  var text = rows.map(function (r) {{ return r.join(" ").toLowerCase(); }});
  var body = document.querySelector("#complim-results tbody");
  var count = document.getElementById("complim-count");
  function cell(value) {{
    var td = document.createElement("td"); td.textContent = value; return td;
  }}
  function show() {{
    var words = document.getElementById("complim-filter").value.toLowerCase().split(/\\s+/)
      .filter(Boolean);
    var shown = 0, matched = 0;
    body.textContent = "";
    for (var i = 0; i < rows.length; i++) {{
      if (!words.every(function (w) {{ return text[i].indexOf(w) >= 0; }})) continue;
      matched++;
      if (shown >= {page}) continue;
      var tr = document.createElement("tr");
      rows[i].forEach(function (v) {{ tr.appendChild(cell(v)); }});
      body.appendChild(tr);
      shown++;
    }}
    count.textContent = matched + " of {total} results match; showing " + shown + ".";
  }}
  document.getElementById("complim-filter").addEventListener("input", show);
  show();
}})();
</script>
</div>
"""
