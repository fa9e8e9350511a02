"""Sphinx extension of the book: offline Vega, figure download lines, data files, footer.

* writes Vega, Vega-Lite and Vega-Embed (from ``vl_convert.javascript_bundle()``) into the
  site's ``_static`` and loads it on every page, so no chart needs a CDN;
* under every figure whose files were exported, adds "Download · Data · Cite";
* points reader tables' CSV links at ``tables/`` and loads their sort-and-filter script;
* copies the curated tables into the site under ``data/``;
* puts the version and the build date in the footer;
* reads (and so executes) the chapters in parallel processes (:func:`build_jobs`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes
from sphinx.application import Sphinx

from analysis import __version__
from analysis.book.figures import figure_bibtex, figure_citation_text
from analysis.paths import DATA_DIR, FIGURES_DIR, GENERATED_DIR, REPO_ROOT

DEFAULT_INPUTS = ("data/*.csv", "data/manual/*.csv", "analysis/**/*.py", "reports/backtest-run/*")
"""Files every executed chapter depends on: the curated data, the analysis code and the
committed backtest run (:mod:`analysis.checks.backtest_store`)."""
INPUTS_KEY = re.compile(r"^complim_inputs:\s*\[(?P<files>[^\]]*)\]\s*$", re.M)
TASK_KEY = re.compile(r"^complim_task:\s*(?P<task>[a-z_]+)\s*$", re.M)
NO_PPC_FIGURE_KEY = re.compile(r"^complim_ppc_figure:\s*false\s*$", re.M)
TASK_MARKER = "<!-- complim: task chapter body -->\n"
TASK_BODY = Path("book") / "_task_body.md"
"""The body the nine task chapters share (placeholders @@TASK@@, @@SLUG@@, @@NAME@@)."""
_LEADING_COMMENT = re.compile(r"\A<!--.*?-->\n", re.S)
_PPC_FIGURE = re.compile(r"<!-- ppc-figure -->\n(.*?)<!-- /ppc-figure -->\n", re.S)
DIGEST_CELL = (
    "\n```{{code-cell}} ipython3\n:tags: [remove-cell]\n"
    "# inputs digest: this chapter re-executes when its data, code or assumptions change\n"
    "# {digest}\n```\n"
)
VEGA_BUNDLE = "complim-vega.js"
STATIC_DIR = GENERATED_DIR / "static"
SITE_DIR = GENERATED_DIR / "site"
DATA_SUFFIXES = (".csv", ".json", ".bib")
JOBS_VARIABLE = "COMPLIM_BUILD_JOBS"
PARALLEL_SAFE_EXTENSIONS = (
    "sphinx_multitoc_numbering",
    "sphinx_jupyterbook_latex",
    "sphinx-mathjax-offline",
)
"""Extensions Jupyter Book loads that do not declare ``parallel_read_safe`` but keep no state per
document: section numbers are assigned after reading, from the merged tables of contents; the
LaTeX settings are fixed when the builder starts, before any reading process forks; the MathJax
files are static paths."""


def write_vega_bundle(static_dir: Path = STATIC_DIR) -> Path:
    """Write the Vega/Vega-Lite/Vega-Embed bundle once per vl-convert version."""
    import vl_convert as vlc

    static_dir.mkdir(parents=True, exist_ok=True)
    target = static_dir / VEGA_BUNDLE
    stamp = static_dir / f"{VEGA_BUNDLE}.version"
    version = f"{vlc.get_vega_version()}|{vlc.get_vegalite_versions()[-1]}"
    if not target.exists() or not stamp.exists() or stamp.read_text() != version:
        # Wrapped in a function so its top-level names cannot clash with the theme's scripts.
        bundle = "(function(){\n" + vlc.javascript_bundle() + "\n})();\n"
        target.write_text(bundle, encoding="utf-8")
        stamp.write_text(version)
    return target


def copy_data_files(site_dir: Path = SITE_DIR, data_dir: Path = DATA_DIR) -> list[Path]:
    """Copy the curated tables (CSV, datapackage) into the site's ``data/`` folder."""
    target = site_dir / "data"
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in sorted(data_dir.glob("*")):
        if source.suffix in DATA_SUFFIXES and source.is_file():
            shutil.copy2(source, target / source.name)
            copied.append(target / source.name)
    return copied


def chapter_inputs(source: str) -> list[str]:
    """Glob patterns of the files a chapter depends on: the defaults plus its front matter's
    ``complim_inputs: [config/assumptions.yaml, ...]``. A YAML file may be narrowed to one
    top-level section (``config/assumptions.yaml#projection``, one entry per section): the
    chapter then re-executes only when a value of that section changes."""
    match = INPUTS_KEY.search(front_matter(source))
    extra = [f.strip().strip("'\"") for f in match["files"].split(",")] if match else []
    return [*DEFAULT_INPUTS, *[f for f in extra if f]]


def split_section(pattern: str) -> tuple[str, str | None]:
    """``'config/assumptions.yaml#projection'`` → ``('config/assumptions.yaml', 'projection')``."""
    path, _, section = pattern.partition("#")
    return path, section or None


def input_files(patterns: list[str], root: Path = REPO_ROOT) -> list[Path]:
    """Every file matching ``patterns`` under ``root``, pattern by pattern, sorted."""
    return [path for _, path in _matched(patterns, root)]


def _matched(patterns: list[str], root: Path) -> list[tuple[str | None, Path]]:
    """(section, file) for every file each pattern matches, pattern by pattern."""
    found = []
    for pattern in patterns:
        glob, section = split_section(pattern)
        found += [(section, p) for p in sorted(root.glob(glob)) if p.is_file()]
    return found


def inputs_digest(patterns: list[str], root: Path = REPO_ROOT) -> str:
    """SHA-256 over the names and contents (or named sections) of the files of ``patterns``."""
    return _digest(_matched(patterns, root), root)


def _digest(matched: list[tuple[str | None, Path]], root: Path) -> str:
    digest = hashlib.sha256()
    for section, path in matched:
        digest.update(path.relative_to(root).as_posix().encode())
        if section is not None:
            digest.update(f"#{section}".encode())
        digest.update(file_content(path, section))
    return digest.hexdigest()


def file_content(path: Path, section: str | None = None) -> bytes:
    """What a chapter reads of ``path``: a YAML file's parsed values (only ``section``'s, when
    given) as canonical JSON (its bytes when it does not parse, so the chapter runs and reports
    the error), any other file's bytes. A section the file lacks is an error."""
    raw = path.read_bytes()
    if path.suffix not in (".yaml", ".yml"):
        if section is not None:
            raise ValueError(f"{path.name}#{section}: only a YAML file has sections")
        return raw
    try:
        values = yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw
    if section is not None:
        if not isinstance(values, dict) or section not in values:
            raise ValueError(f"{path.name}#{section}: the file has no top-level '{section}'")
        values = values[section]
    return json.dumps(values, sort_keys=True, default=str).encode()


def front_matter(source: str) -> str:
    """The YAML front matter of a chapter's text ('' when it has none)."""
    return source.split("\n---", 2)[0] if source.startswith("---") else ""


def task_body(task: str, ppc_figure: bool = True, root: Path = REPO_ROOT) -> str:
    """The shared task-chapter body (:data:`TASK_BODY`) filled in for ``task``, without its
    posterior predictive figure when ``ppc_figure`` is false (tasks with no fitted series)."""
    text = _LEADING_COMMENT.sub("", (root / TASK_BODY).read_text(encoding="utf-8"))
    text = _PPC_FIGURE.sub(lambda m: m.group(1) if ppc_figure else "", text)
    slug = task.replace("_", "-")
    return (
        text.replace("@@TASK@@", task)
        .replace("@@SLUG@@", slug)
        .replace("@@NAME@@", task.replace("_", " "))
    )


def expand_task_chapter(app: Sphinx, docname: str, source: list[str]) -> None:
    """Put the shared body into a task chapter where its marker stands.

    A task chapter's front matter names its task (``complim_task: image_classification``); the
    chapter keeps its title and any prose of its own around :data:`TASK_MARKER`.
    """
    text = source[0]
    match = TASK_KEY.search(front_matter(text))
    if match is None or TASK_MARKER not in text:
        return
    root = Path(app.srcdir) if app is not None else REPO_ROOT
    if not (root / TASK_BODY).exists():  # a one-page build (make chapter) has srcdir book/
        root = REPO_ROOT
    ppc_figure = NO_PPC_FIGURE_KEY.search(front_matter(text)) is None
    source[0] = text.replace(TASK_MARKER, task_body(match["task"], ppc_figure, root), 1)
    env = getattr(app, "env", None)
    if env is not None:
        env.note_dependency(str(root / TASK_BODY))


def add_inputs_digest(app: Sphinx, docname: str, source: list[str]) -> None:
    """Append a hidden cell naming the digest of an executed chapter's inputs.

    Jupyter Book's execution cache keys on a notebook's code only; with the digest in the
    code, changing the data, the analysis code or a chapter's declared assumptions makes
    exactly the chapters that depend on them execute again.
    Each input is also noted as a Sphinx dependency of the chapter: without that, an incremental
    build would not even re-read a chapter whose own file is unchanged.
    """
    text = source[0]
    if "```{code-cell}" not in text:
        return
    root = Path(app.srcdir) if app is not None else REPO_ROOT
    matched = _matched(chapter_inputs(text), root)
    source[0] = text + DIGEST_CELL.format(digest=_digest(matched, root))
    env = getattr(app, "env", None)
    if env is not None:
        for path in dict.fromkeys(path for _, path in matched):
            env.note_dependency(str(path))


def build_date() -> str:
    """The build date, or ``SOURCE_DATE_EPOCH``'s for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return when.date().isoformat()


def figure_links_html(label: str, prefix: str) -> str:
    """The "Download · Data · Cite" line under one figure."""
    base = f"{prefix}figures/{label}"
    bibtex = html.escape(figure_bibtex(label))
    text = html.escape(figure_citation_text(label))
    return (
        '<div class="complim-figure-links">Download '
        f'<a href="{base}.svg" download>SVG</a> · <a href="{base}.png" download>PNG</a> · '
        f'<a href="{base}.pdf" download>PDF</a> · Data <a href="{base}.csv" download>CSV</a> · '
        f'<a href="{base}.json" download>Vega-Lite</a> · '
        f'<details class="complim-cite"><summary>Cite</summary><p>{text}</p>'
        f'<pre>{bibtex}</pre><a href="{base}.bib" download>BibTeX file</a></details></div>'
    )


def add_figure_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Append the download line inside every figure that has exported files."""
    prefix = "../" * docname.count("/")
    for figure in doctree.findall(nodes.figure):
        for label in figure.get("ids", []):
            if (FIGURES_DIR / f"{label}.svg").exists():
                figure += nodes.raw("", figure_links_html(label, prefix), format="html")
                break


def fill_table_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Point reader tables' CSV links at the site root (``tables/<label>.csv``)."""
    from analysis.book.tables import ROOT_PLACEHOLDER

    prefix = "../" * docname.count("/")
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        if ROOT_PLACEHOLDER in text:
            filled = nodes.raw("", text.replace(ROOT_PLACEHOLDER, prefix), format="html")
            raw.replace_self(filled)


def _script_key(script: Any) -> tuple[str, str]:
    filename = str(getattr(script, "filename", script) or "")
    attributes = getattr(script, "attributes", {}) or {}
    return filename, str(sorted(attributes.items()))


def _is_thebe(script: Any) -> bool:
    key = " ".join(_script_key(script))
    return "thebe" in key.lower()


def tidy_page_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Drop scripts registered twice and Thebe's, which points at a CDN the book never uses."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for script in context.get("script_files", []):
        key = _script_key(script)
        if key in seen or _is_thebe(script):
            continue
        seen.add(key)
        kept.append(script)
    context["script_files"] = kept


def build_jobs(environ: dict[str, str] | None = None) -> int:
    """Processes that read the chapters: ``COMPLIM_BUILD_JOBS`` (1 = serial), else up to two,
    one per core. Jupyter Book 1 has no ``-j`` option, so the extension sets it."""
    value = (os.environ if environ is None else environ).get(JOBS_VARIABLE, "").strip()
    if not value:
        return max(1, min(2, os.cpu_count() or 1))
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{JOBS_VARIABLE}={value!r}: give a whole number of processes, 1 or more")
    return int(value)


def enable_parallel_reading(app: Sphinx, jobs: int) -> None:
    """Read with ``jobs`` processes, vouching for :data:`PARALLEL_SAFE_EXTENSIONS`."""
    for name in PARALLEL_SAFE_EXTENSIONS:
        if name in app.extensions:
            app.extensions[name].parallel_read_safe = True
    app.parallel = jobs


def on_config_inited(app: Sphinx, config: Any) -> None:
    """Register the generated static and extra paths, the Vega bundle and the footer, and set
    the number of reading processes."""
    enable_parallel_reading(app, build_jobs())
    write_vega_bundle()
    copy_data_files()
    FIGURES_DIR.mkdir(parents=True, exist_ok=True)
    config.html_static_path = [*config.html_static_path, str(STATIC_DIR)]
    config.html_extra_path = [*config.html_extra_path, str(SITE_DIR)]
    footer = f"Computational Limits · version {__version__} · built {build_date()}"
    config.html_theme_options = {**config.html_theme_options, "extra_footer": footer}
    config.html_context = {**config.html_context, "default_mode": "light"}


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point."""
    app.connect("config-inited", on_config_inited)
    app.connect("doctree-resolved", add_figure_links)
    app.connect("doctree-resolved", fill_table_links)
    app.connect("source-read", expand_task_chapter)  # before the digest: the body has the code
    app.connect("source-read", add_inputs_digest)
    app.connect("html-page-context", tidy_page_scripts, priority=900)
    app.add_js_file(VEGA_BUNDLE, priority=200)
    app.add_css_file("complim.css")
    app.add_js_file("complim-tables.js")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
