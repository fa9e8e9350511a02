"""The book's theme, offline renderer, figure exports and Sphinx helpers."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from analysis.book import theme
from analysis.book.figures import check_label, export_figure, figure_bibtex
from analysis.site.sphinx_ext import copy_data_files, figure_links_html, write_vega_bundle

DATA = pd.DataFrame({"compute": [1e18, 1e19, 1e20], "error": [30.0, 20.0, 15.0]})


def _chart() -> alt.Chart:
    theme.enable()
    return alt.Chart(DATA).mark_point().encode(x="compute:Q", y="error:Q")


def test_renderer_emits_no_network_reference() -> None:
    bundle = _chart()._repr_mimebundle_()
    html = bundle["text/html"] if isinstance(bundle, dict) else bundle[0]["text/html"]
    assert "vegaEmbed(" in html
    assert "<script src" not in html and "cdn." not in html


def test_renderer_ids_are_deterministic_and_distinct() -> None:
    spec_a, spec_b = _chart().to_dict(), _chart().mark_line().to_dict()
    assert theme.offline_html(spec_a) == theme.offline_html(spec_a)
    assert theme._chart_id(spec_a) != theme._chart_id(spec_b)


def test_theme_uses_the_colour_blind_safe_palette() -> None:
    spec = _chart().to_dict()
    assert spec["config"]["range"]["category"] == list(theme.OKABE_ITO)


@pytest.mark.parametrize("label", ["fig-data-counts", "fig-a1"])
def test_good_labels_pass(label: str) -> None:
    assert check_label(label) == label


@pytest.mark.parametrize("label", ["Fig-data", "fig_data", "figure-1", "fig--x", "fig-"])
def test_bad_labels_are_refused(label: str) -> None:
    with pytest.raises(ValueError, match="figure label"):
        check_label(label)


def test_export_writes_every_file(tmp_path: Path) -> None:
    paths = export_figure(_chart(), "fig-test-export", DATA, out_dir=tmp_path)
    assert sorted(paths) == ["bib", "csv", "json", "pdf", "png", "svg"]
    assert paths["svg"].read_text().lstrip().startswith("<svg")
    assert paths["png"].read_bytes()[:4] == b"\x89PNG"
    assert paths["pdf"].read_bytes()[:4] == b"%PDF"
    assert pd.read_csv(paths["csv"]).equals(DATA)
    assert "@misc{complim_fig_test_export" in paths["bib"].read_text()


def test_export_refuses_empty_data(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="empty"):
        export_figure(_chart(), "fig-test-empty", DATA.iloc[0:0], out_dir=tmp_path)


def test_png_is_300_ppi(tmp_path: Path) -> None:
    import struct
    import zlib

    png = export_figure(_chart(), "fig-test-ppi", DATA, out_dir=tmp_path)["png"].read_bytes()
    at = png.find(b"pHYs")
    assert at > 0, "PNG carries no resolution chunk"
    x_ppm, y_ppm, unit = struct.unpack(">IIB", png[at + 4 : at + 13])
    assert unit == 1 and round(x_ppm * 0.0254) == 300 == round(y_ppm * 0.0254)
    assert (
        zlib.crc32(png[at : at + 13]) & 0xFFFFFFFF == struct.unpack(">I", png[at + 13 : at + 17])[0]
    )


def test_figure_links_point_at_every_export() -> None:
    html = figure_links_html("fig-x-y", "../")
    for suffix in ("svg", "png", "pdf", "csv", "json", "bib"):
        assert f'href="../figures/fig-x-y.{suffix}"' in html
    assert figure_bibtex("fig-x-y").split("\n")[0] in html


def test_vega_bundle_written_once(tmp_path: Path) -> None:
    first = write_vega_bundle(tmp_path)
    stamp = first.stat().st_mtime_ns
    second = write_vega_bundle(tmp_path)
    assert second == first and second.stat().st_mtime_ns == stamp
    assert "window.vegaEmbed" in first.read_text()


def test_data_files_copied(tmp_path: Path) -> None:
    source = tmp_path / "data"
    source.mkdir()
    (source / "results.csv").write_text("a\n1\n")
    (source / "notes.md").write_text("not a table")
    copied = copy_data_files(tmp_path / "site", source)
    assert [p.name for p in copied] == ["results.csv"]


def test_chapter_inputs_read_front_matter() -> None:
    from analysis.site.sphinx_ext import DEFAULT_INPUTS, chapter_inputs

    text = "---\nkernelspec: {}\ncomplim_inputs: [config/assumptions.yaml, 'x/*.csv']\n---\n# T\n"
    assert chapter_inputs(text) == [*DEFAULT_INPUTS, "config/assumptions.yaml", "x/*.csv"]
    assert chapter_inputs("# no front matter\ncomplim_inputs: [y]\n") == list(DEFAULT_INPUTS)


def test_inputs_digest_follows_contents(tmp_path: Path) -> None:
    from analysis.site.sphinx_ext import inputs_digest

    (tmp_path / "data").mkdir()
    table = tmp_path / "data" / "results.csv"
    table.write_text("a\n1\n")
    before = inputs_digest(["data/*.csv"], tmp_path)
    assert inputs_digest(["data/*.csv"], tmp_path) == before
    table.write_text("a\n2\n")
    assert inputs_digest(["data/*.csv"], tmp_path) != before
    assert inputs_digest(["config/*.yaml"], tmp_path) != before


def test_a_yaml_input_counts_by_its_values_not_its_comments(tmp_path: Path) -> None:
    from analysis.site.sphinx_ext import inputs_digest

    (tmp_path / "config").mkdir()
    config = tmp_path / "config" / "assumptions.yaml"
    config.write_text("energy:\n  pue_high: 1.58\n")
    before = inputs_digest(["config/*.yaml"], tmp_path)
    config.write_text("# why 1.58\nenergy:\n    pue_high: 1.58  # Strubell et al.\n")
    assert inputs_digest(["config/*.yaml"], tmp_path) == before
    config.write_text("energy:\n  pue_high: 1.59\n")
    assert inputs_digest(["config/*.yaml"], tmp_path) != before
    config.write_text("energy: [unclosed\n")
    broken = inputs_digest(["config/*.yaml"], tmp_path)
    config.write_text("energy: [unclosed  \n")
    assert inputs_digest(["config/*.yaml"], tmp_path) != broken, "unparsable: counted by bytes"


def test_digest_cell_only_in_executed_chapters() -> None:
    from analysis.site.sphinx_ext import add_inputs_digest

    executed = ["# A\n```{code-cell} ipython3\nx = 1\n```\n"]
    static = ["# B\nJust prose.\n"]
    add_inputs_digest(None, "a", executed)  # type: ignore[arg-type]
    add_inputs_digest(None, "b", static)  # type: ignore[arg-type]
    assert executed[0].count("```{code-cell}") == 2 and "inputs digest" in executed[0]
    assert static == ["# B\nJust prose.\n"]


def test_digest_reads_the_book_being_built(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from analysis.site.sphinx_ext import add_inputs_digest

    (tmp_path / "config").mkdir()
    config = tmp_path / "config" / "assumptions.yaml"
    text = "---\ncomplim_inputs: [config/assumptions.yaml]\n---\n```{code-cell} ipython3\nx\n```\n"
    app = SimpleNamespace(srcdir=str(tmp_path))
    config.write_text("year: 2020\n")
    first = [text]
    add_inputs_digest(app, "a", first)  # type: ignore[arg-type]
    config.write_text("year: 2030\n")
    second = [text]
    add_inputs_digest(app, "a", second)  # type: ignore[arg-type]
    assert first[0] != second[0], "editing the assumptions must change the chapter's code"


def test_inputs_are_sphinx_dependencies_of_the_chapter(tmp_path: Path) -> None:
    """An incremental build re-reads a chapter when a declared input changes."""
    from types import SimpleNamespace

    from analysis.site.sphinx_ext import add_inputs_digest

    (tmp_path / "config").mkdir()
    config = tmp_path / "config" / "assumptions.yaml"
    config.write_text("year: 2020\n")
    noted: list[str] = []
    env = SimpleNamespace(note_dependency=noted.append)
    app = SimpleNamespace(srcdir=str(tmp_path), env=env)
    text = "---\ncomplim_inputs: [config/assumptions.yaml]\n---\n```{code-cell} ipython3\nx\n```\n"
    add_inputs_digest(app, "a", [text])  # type: ignore[arg-type]
    assert str(config) in noted
    add_inputs_digest(app, "b", ["# prose only\n"])  # type: ignore[arg-type]
    assert noted.count(str(config)) == 1


def test_a_yaml_section_input_counts_only_that_section(tmp_path: Path) -> None:
    from analysis.site.sphinx_ext import inputs_digest

    (tmp_path / "config").mkdir()
    config = tmp_path / "config" / "assumptions.yaml"
    config.write_text("energy:\n  pue_high: 1.58\nprojection:\n  year: 2020\n")
    section = ["config/assumptions.yaml#projection"]
    before = inputs_digest(section, tmp_path)
    whole = inputs_digest(["config/assumptions.yaml"], tmp_path)
    config.write_text("energy:\n  pue_high: 1.7\nprojection:\n  year: 2020\n")
    assert inputs_digest(section, tmp_path) == before, "another section's edit re-executes"
    assert inputs_digest(["config/assumptions.yaml"], tmp_path) != whole
    config.write_text("energy:\n  pue_high: 1.7\nprojection:\n  year: 2030\n")
    assert inputs_digest(section, tmp_path) != before


def test_a_missing_section_or_a_section_of_a_table_is_an_error(tmp_path: Path) -> None:
    from analysis.site.sphinx_ext import inputs_digest

    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "assumptions.yaml").write_text("energy:\n  pue_high: 1.58\n")
    (tmp_path / "config" / "rows.csv").write_text("a\n1\n")
    with pytest.raises(ValueError, match=r"assumptions.yaml#projection: the file has no"):
        inputs_digest(["config/assumptions.yaml#projection"], tmp_path)
    with pytest.raises(ValueError, match=r"rows.csv#a: only a YAML file has sections"):
        inputs_digest(["config/rows.csv#a"], tmp_path)


def test_every_section_a_chapter_declares_exists() -> None:
    from analysis.site.sphinx_ext import REPO_ROOT, chapter_inputs, inputs_digest

    sections = [
        pattern
        for chapter in sorted((REPO_ROOT / "book").glob("*.md"))
        for pattern in chapter_inputs(chapter.read_text(encoding="utf-8"))
        if "#" in pattern
    ]
    assert sections, "the backtest chapter declares assumption sections"
    for pattern in sections:
        inputs_digest([pattern])


def test_build_jobs_reads_the_variable_and_refuses_nonsense() -> None:
    from analysis.site.sphinx_ext import JOBS_VARIABLE, build_jobs

    assert build_jobs({JOBS_VARIABLE: "1"}) == 1
    assert build_jobs({JOBS_VARIABLE: " 3 "}) == 3
    assert 1 <= build_jobs({}) <= 2
    for bad in ("0", "two", "-1"):
        with pytest.raises(ValueError, match=JOBS_VARIABLE):
            build_jobs({JOBS_VARIABLE: bad})


def test_parallel_reading_vouches_only_for_the_listed_extensions() -> None:
    from types import SimpleNamespace

    from analysis.site.sphinx_ext import enable_parallel_reading

    listed = SimpleNamespace(parallel_read_safe=None)
    other = SimpleNamespace(parallel_read_safe=None)
    app = SimpleNamespace(
        extensions={"sphinx_multitoc_numbering": listed, "someone_else": other}, parallel=0
    )
    enable_parallel_reading(app, 2)  # type: ignore[arg-type]
    assert app.parallel == 2 and listed.parallel_read_safe is True
    assert other.parallel_read_safe is None
