"""Summaries, charts and the searchable results table of the data chapter (``book/data.md``)."""

from __future__ import annotations

import html
import json
from types import SimpleNamespace

import altair as alt
import pandas as pd
from IPython.display import HTML

from analysis.book import labels
from analysis.book.context import book_context
from analysis.book.figures import publish_figure
from analysis.book.glue import glue_value, setup_chapter
from analysis.book.tables import ROOT_PLACEHOLDER, Cell, glue_table, number_html
from analysis.data import (
    MEASURES,
    Tables,
    compute_long,
    coverage,
    date_rules,
    default_fit_table,
    domain_counts,
    primary_results,
    results_by_origin_year,
)
from analysis.ingest.paper_dates import CONFLICT_DAYS
from analysis.paths import DATA_DIR
from analysis.vocab.tasks import PRIMARY_BENCHMARKS, TASKS

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


def stacked_year_chart(
    counts: pd.DataFrame, colour: str, colour_title: str, x_title: str, y_title: str
) -> alt.Chart:
    """Stacked bars of ``results`` per ``year``, coloured by ``colour``."""
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=x_title),
            y=alt.Y("results:Q", title=y_title, stack=True),
            color=alt.Color(f"{colour}:N", title=colour_title),
            tooltip=["year:O", f"{colour}:N", "results:Q"],
        )
        .properties(width=560, height=260)
    )


def year_chart(counts: pd.DataFrame) -> alt.Chart:
    """Stacked bars: results per publication year, coloured by task family."""
    return stacked_year_chart(counts, "task", "task family", "publication year", "results")


def origin_year_chart(counts: pd.DataFrame) -> alt.Chart:
    """Stacked bars: primary results per year their score became public, by score origin."""
    x_title = "year the score became public (result date)"
    return stacked_year_chart(
        counts, "score_origin", "origin of the score", x_title, "primary results"
    )


def population_exclusions(tables: Tables) -> pd.DataFrame:
    """Per compute measure: rows of the fit table, rows of the default fits, and the rows left
    out of the default fits for their population (re-trainings, duplicate training runs)."""
    from analysis.data import DUPLICATE_REASON, RETRAINING_REASON, fit_table, split_population

    rows = []
    for measure in MEASURES:
        whole = fit_table(tables, measure)
        split = split_population(whole, tables)
        reasons = split.default.excluded["reason"].value_counts()
        rows.append(
            {
                "measure": measure,
                "rows with the measure": len(whole.rows),
                "in the default fits": len(split.default.rows),
                "left out: re-training": int(reasons.get(RETRAINING_REASON, 0)),
                "left out: same training run twice": int(reasons.get(DUPLICATE_REASON, 0)),
            }
        )
    return pd.DataFrame(rows)


DUPLICATE_DISPLAY = {
    "series": "series",
    "paper_model": "paper's model",
    "paper_value": "paper's score",
    "zoo_model": "zoo's model",
    "zoo_value": "zoo's score",
    "zoo_source": "zoo",
}


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


def _value_text(value: float) -> str:
    """A reported value with four significant figures, never in e-notation."""
    text = f"{value:.4g}"
    return Cell(number_html(value, 2), value).text() if "e" in text else text


def results_search_html(tables: Tables, page_size: int = 100, model_chars: int = 60) -> str:
    """A self-contained HTML table of all results with a text filter (no external scripts).

    The data are embedded once as JSON; the script shows the first ``page_size`` rows matching
    every word typed in the filter box.
    """
    merged = tables.results.merge(tables.papers[["paper_id", "year"]], on="paper_id", how="left")
    merged["model"] = merged["model"].fillna("").str.slice(0, model_chars)
    merged["year"] = merged["year"].map(lambda y: "" if pd.isna(y) else str(int(y)))
    merged["value"] = merged["value"].map(_value_text)
    merged = merged.sort_values(["benchmark", "metric", "year"])
    merged["task"] = merged["task"].map(labels.task_name)
    merged["benchmark"] = merged["benchmark"].map(labels.benchmark_name)
    merged["metric"] = merged["metric"].map(lambda m: labels.METRIC_SHORT.get(m, m))
    rows = merged[list(SEARCH_COLUMNS)].to_numpy()
    cells = [["" if pd.isna(cell) else str(cell) for cell in row] for row in rows.tolist()]
    payload = json.dumps(cells, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    payload = payload.replace("</", "<\\/")
    header = "".join(f"<th>{html.escape(labels.column_label(c))}</th>" for c in SEARCH_COLUMNS)
    return _SEARCH_TEMPLATE.format(
        header=header, payload=payload, page=page_size, total=len(rows), root=ROOT_PLACEHOLDER
    )


_SEARCH_TEMPLATE = """
<div class="complim-search">
<label for="complim-filter">Filter results (all words must match):</label>
<input id="complim-filter" type="search" placeholder="e.g. imagenet 2019 resnet" style="width:60%">
<p><span id="complim-count" aria-live="polite"></span> ·
<a href="{root}data/results.csv" download>Data CSV (every result, with its source)</a></p>
<div class="complim-table-scroll"><table class="table" id="complim-results">
<thead><tr>{header}</tr></thead><tbody></tbody></table></div>
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


def publish() -> SimpleNamespace:
    """Glue the data chapter's counts and tables and publish its figures."""
    setup_chapter()
    page_items: dict[str, object] = {}
    tables = book_context().tables
    counts = counts_by_task(tables)
    targets = targets_table(tables).set_index("benchmarks")
    exclusions = pd.read_csv(DATA_DIR / "reports" / "exclusions.csv")
    ambiguous = pd.read_csv(DATA_DIR / "reports" / "dedup_ambiguous.csv")

    glue_value("data-papers", len(tables.papers))
    glue_value("data-results", len(tables.results))
    glue_value("data-compute-rows", len(tables.compute))
    glue_value("data-chips", len(tables.hardware))
    glue_value("data-tasks", len(TASKS))
    glue_value("data-primary-benchmarks", len(PRIMARY_BENCHMARKS))
    glue_value("data-primary-results", int(counts.iloc[-1]["results_primary"]))
    glue_value("data-primary-with-compute", int(counts.iloc[-1]["primary_with_compute"]))
    glue_value(
        "data-sources",
        tables.results["source"].nunique()
        + tables.compute["source"].nunique()
        - len(set(tables.results["source"]) & set(tables.compute["source"])),
    )
    glue_value("data-papers-undated", int(tables.papers["date"].isna().sum()))
    glue_value("data-papers-with-authors", int(tables.papers["authors"].notna().sum()))
    glue_value("data-excluded-rows", int(exclusions["rows"].sum()))
    glue_value("data-ambiguous", len(ambiguous))
    for name, key in (
        ("ImageNet", "imagenet"),
        ("COCO", "coco"),
        ("SQuAD 1.1", "squad"),
        ("WMT 2014", "wmt"),
    ):
        glue_value(f"data-target-{key}", int(targets.loc[name, "with_compute"]))

    coverage = pd.read_csv(DATA_DIR / "reports" / "coverage.csv").set_index("benchmark")
    withheld = pd.read_csv(DATA_DIR / "reports" / "ensemble_withheld.csv")
    date_conflicts = pd.read_csv(DATA_DIR / "reports" / "date_conflicts.csv")
    hand_dates = pd.read_csv(DATA_DIR / "manual" / "paper_dates.csv")
    id_month = tables.papers["date_source"] == "arXiv identifier (submission month)"
    glue_value("data-date-conflicts", len(date_conflicts))
    glue_value("data-date-conflict-days", CONFLICT_DAYS)
    glue_value("data-dates-hand", len(hand_dates))
    glue_value("data-dates-id-month", int(id_month.sum()))
    flagged = pd.read_csv(DATA_DIR / "reports" / "flagged_values.csv")
    scope = pd.read_csv(DATA_DIR / "manual" / "compute_scope.csv")
    source_flags = pd.read_csv(DATA_DIR / "manual" / "source_flags.csv")
    manual = tables.results[tables.results["source"] == "manual_results"]
    facts = tables.compute[tables.compute["source"] == "compute-facts"]
    glue_value("data-squad-test-with-compute", int(coverage.loc["squad11", "with_any_measure"]))
    glue_value("data-squad-dev-with-compute", int(coverage.loc["squad11_dev", "with_any_measure"]))
    squad_in_fits = coverage.loc[["squad11", "squad11_dev"], "with_any_measure_in_fits"]
    glue_value("data-squad-test-in-fits", int(squad_in_fits["squad11"]))
    glue_value("data-squad-dev-in-fits", int(squad_in_fits["squad11_dev"]))
    glue_value("data-squad-in-fits", int(squad_in_fits.sum()))
    glue_value(
        "data-in-fits-lost",
        int((coverage["with_any_measure"] - coverage["with_any_measure_in_fits"]).sum()),
    )
    glue_value("data-manual-results", len(manual))
    glue_value("data-manual-result-papers", manual["paper_id"].nunique())
    glue_value("data-fact-papers", facts["paper_id"].nunique())
    glue_value("data-ensemble-withheld", withheld["result_id"].nunique())
    glue_value("data-scoped-records", len(scope))
    glue_value("data-source-flags", len(source_flags))
    glue_value("data-flagged-rows", len(flagged))

    glue_value(
        "data-counts-table",
        counts.rename(
            columns={
                "task": "task family",
                "papers": "papers",
                "papers_with_results": "papers with results",
                "results": "results",
                "results_primary": "primary results",
                "primary_with_compute": "primary with compute",
            }
        ).set_index("task family"),
    )

    per_year = results_by_year(tables)
    publish_figure(
        year_chart(per_year),
        "fig-data-years",
        per_year,
        alt_text="Stacked bars of results per publication year, coloured by task family; most "
        "results date from 2015 to 2020.",
    )

    cover = coverage_long(tables)
    publish_figure(
        coverage_chart(cover),
        "fig-data-coverage",
        cover,
        alt_text="Heat map of the share of each primary benchmark's results that have each compute "
        "measure; ImageNet and COCO are well covered, speech, face detection and "
        "generation hardly.",
    )

    glue_value("data-targets", targets_table(tables).set_index("benchmarks"))
    _glue_training_targets(tables)

    _glue_result_dates(tables)

    fits = (
        pd.DataFrame(
            {m: default_fit_table(tables, m).rows.groupby("series").size() for m in MEASURES}
        )
        .fillna(0)
        .astype(int)
    )
    glue_value("data-fit-table", fits)

    glue_value("data-provenance", provenance_table(tables).set_index(["source", "licence"]))

    page_items["results_search"] = HTML(results_search_html(tables))
    return SimpleNamespace(**page_items)


def _glue_result_dates(tables: Tables) -> None:
    """Glue the time-true dating: results by origin and result-date year, the dating rules,
    the population split of the fits and the duplicate report."""
    primary = primary_results(tables)
    origins = primary["score_origin"].value_counts()
    glue_value("data-origin-paper", int(origins.get("paper", 0)))
    glue_value("data-origin-reevaluation", int(origins.get("library re-evaluation", 0)))
    glue_value("data-origin-retraining", int(origins.get("library re-training", 0)))
    populations = primary["population"].value_counts()
    for population in ("paper", "same_weights", "retraining"):
        key = population.replace("_", "-")
        glue_value(f"data-population-{key}", int(populations.get(population, 0)))
    per_year = results_by_origin_year(tables)
    publish_figure(
        origin_year_chart(per_year),
        "fig-data-origin-years",
        per_year,
        alt_text="Stacked bars of primary results per year their score became public, coloured "
        "by origin: the papers' own results up to 2020, model-zoo re-evaluations and "
        "re-trainings spread over the years their weights were released.",
    )
    rules = date_rules(tables)
    glue_value("data-dates-moved", int(rules["moved"].sum()))
    glue_value("data-dates-flagged", int(rules["flagged"].sum()))
    glue_value("data-dates-zoo-rules", int(rules["rule"].str.startswith("first appearance").sum()))
    glue_table("data-date-rules", rules)
    glue_table("data-populations", population_exclusions(tables))
    duplicates = pd.read_csv(DATA_DIR / "reports" / "duplicates.csv")
    glue_value("data-duplicates", len(duplicates))
    glue_table(
        "data-duplicates-table",
        duplicates[list(DUPLICATE_DISPLAY)].rename(columns=DUPLICATE_DISPLAY),
        label="tab-data-duplicates",
    )


TARGET_DISPLAY = {
    "target_group": "benchmark or domain",
    "paper_results": "papers' own results",
    "with_training_compute": "with training compute",
    "papers_with_training_compute": "from papers",
    "target": "target",
    "met": "target met",
    "searched_without_compute": "papers searched without finding compute",
    "search_log_complete": "target met or search logged",
}


def _glue_training_targets(tables: Tables) -> None:
    """Glue the training-compute coverage against its targets (original benchmarks, domains)."""
    from analysis.data import (
        MIN_SEARCHED,
        ORIGINAL_SHARE,
        ORIGINAL_SMALL,
        ORIGINAL_TARGET,
        OTHER_TARGET,
        coverage_targets,
    )

    search = pd.read_csv(DATA_DIR / "reports" / "compute_search.csv")
    frame = coverage_targets(tables, search)
    glue_value("data-training-targets-met", int(frame["met"].sum()))
    glue_value("data-training-targets", len(frame))
    glue_value("data-training-min-searched", MIN_SEARCHED)
    glue_value("data-training-target-original", ORIGINAL_TARGET)
    glue_value("data-training-target-share", round(100 * ORIGINAL_SHARE))
    glue_value("data-training-target-small", ORIGINAL_SMALL)
    glue_value("data-training-target-other", OTHER_TARGET)

    def name(group: str) -> str:
        return labels.task_name(group).lower() if group in TASKS else group

    missed = frame.loc[~frame["met"], "target_group"].map(name)
    glue_value("data-training-targets-missed", ", ".join(missed) or "none")
    shown = frame.assign(target_group=frame["target_group"].map(name)).drop(columns="kind")
    glue_table("data-training-targets-table", shown.rename(columns=TARGET_DISPLAY))
