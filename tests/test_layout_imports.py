"""Imports point down the pipeline: a stage imports only the stages below it.

vocab <- ingest <- data <- curate <- models <- projection <- checks <- book <- site

Every module's imports (module level and inside functions) are parsed with ``ast``; imports
under ``if TYPE_CHECKING:`` are types only and are not counted. ``analysis.paths``,
``analysis.intervals`` and the package root (the version) may be imported from anywhere;
``analysis.testing`` (stand-ins for the tests) sits above every stage and nothing in the package
imports it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "analysis"

STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("vocab", ("analysis.vocab",)),
    ("ingest", ("analysis.ingest",)),
    ("data", ("analysis.schema", "analysis.data")),
    ("curate", ("analysis.curate",)),
    ("models", ("analysis.models",)),
    ("projection", ("analysis.projection",)),
    ("checks", ("analysis.checks", "analysis.forecast")),
    ("book", ("analysis.book",)),
    ("site", ("analysis.site",)),
    ("testing", ("analysis.testing",)),
)
ANYWHERE = ("analysis", "analysis.paths", "analysis.intervals")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def stage_of(module: str) -> int | None:
    """Index of the stage a module belongs to (None for the modules allowed anywhere)."""
    for index, (_, prefixes) in enumerate(STAGES):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return index
    return None


def _type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imported_modules(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, module) of every import of the package, outside ``if TYPE_CHECKING:`` blocks."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if _type_checking_block(node):
            skipped |= {id(child) for child in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "analysis":
                found += [(node.lineno, f"analysis.{a.name}") for a in node.names]
            elif node.module.startswith("analysis."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("analysis")]
    return found


def upward_imports() -> list[str]:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        here = stage_of(module)
        if here is None:
            if module not in ANYWHERE:
                problems.append(f"{module}: belongs to no stage")
            continue
        for line, target in imported_modules(ast.parse(path.read_text(), str(path))):
            there = stage_of(target)
            if target in ANYWHERE or (there is None and target.startswith("analysis.__")):
                continue
            if there is None or there > here:
                where = f"{path.relative_to(PACKAGE.parent)}:{line}"
                stage = STAGES[there][0] if there is not None else "?"
                problems.append(f"{where}: {STAGES[here][0]} imports {target} ({stage})")
    return problems


def test_every_module_belongs_to_a_stage_and_imports_point_down() -> None:
    assert upward_imports() == []


def test_the_check_sees_an_upward_import() -> None:
    tree = ast.parse(
        "from analysis.book import glue\nif TYPE_CHECKING:\n    import analysis.site\n"
    )
    assert imported_modules(tree) == [(1, "analysis.book")]
    assert stage_of("analysis.book.glue") > stage_of("analysis.models.fit")
    assert stage_of("analysis.paths") is None


@pytest.mark.parametrize("stage", [name for name, _ in STAGES if name != "testing"])
def test_each_stage_says_what_it_owns_and_may_import(stage: str) -> None:
    init = PACKAGE / stage / "__init__.py"
    module = init if init.exists() else PACKAGE / f"{stage}.py"
    doc = ast.get_docstring(ast.parse(module.read_text())) or ""
    assert "May import" in doc or "may import" in doc.lower(), module
