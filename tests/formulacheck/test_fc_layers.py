"""The checker's sub-packages form layers, and imports point one way: down.

    errors, limits  <  tex  <  evaluation  <  pages  <  mutation  <  faces

(tex: tokens, vocabulary, syntax, parser; evaluation: named arrays, scope, indices, evaluation,
derivatives, comparison; pages: Markdown and notebook reading, block checking, code ties,
results; mutation: the mutants of a page's formulas and the record of equivalent ones; faces:
command line, pytest, MkDocs, coverage, page template.) A module may import from its own layer or
a lower one, never a higher one, and never inside a function: an import hidden in a function is
how a cycle is dodged rather than removed.

The only function-level imports allowed are the two that keep `formulacheck new` and `--help`
from loading numpy (tests/formulacheck/faces/test_fc_new_page.py proves that they do): the package's
lazy public names (`formulacheck.check_page`, ...) and the command line's checking commands. Both
import downwards.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "formulacheck"
LAYERS = {"errors": 0, "limits": 0, "tex": 1, "evaluation": 2, "pages": 3, "mutation": 4,
          "faces": 5}
#: Modules above every layer: the package's entry points.
TOP = {("__init__",), ("__main__",)}
#: Function-level imports kept so that the command line starts without numpy (see the docstring).
TOP |= {("testing",)}
LAZY_FOR_STARTUP = {("__init__",), ("faces", "cli")}
MODULES = sorted(PACKAGE.rglob("*.py"))


def module_parts(path: Path) -> tuple:
    """('pages', 'check') for src/formulacheck/pages/check.py; a package is its `__init__`."""
    return path.relative_to(PACKAGE).with_suffix("").parts


def is_module(parts: list) -> bool:
    where = PACKAGE.joinpath(*parts)
    return where.with_suffix(".py").is_file() or (where / "__init__.py").is_file()


def imported_modules(path: Path):
    """(line, dotted parts inside formulacheck, inside a function?) for every formulacheck import.

    >>> [(parts, inner) for _, parts, inner in imported_modules(PACKAGE / "__main__.py")]
    [(('faces', 'cli'), False)]
    """
    parts = module_parts(path)
    package = list(parts[:-1])
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside = {id(node) for function in ast.walk(tree)
              if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
              for node in ast.walk(function) if node is not function}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                dotted = base + (node.module.split(".") if node.module else [])
            elif (node.module or "").split(".")[0] == "formulacheck":
                dotted = node.module.split(".")[1:]
            else:
                continue
            # `from ..pages import check` names a module; `from .check import x` names objects
            targets = [tuple(dotted + [alias.name]) if is_module(dotted + [alias.name])
                       else tuple(dotted) for alias in node.names]
        elif isinstance(node, ast.Import):
            targets = [tuple(alias.name.split(".")[1:]) for alias in node.names
                       if alias.name.split(".")[0] == "formulacheck"]
        else:
            continue
        for target in targets:
            yield node.lineno, target, id(node) in inside


def layer_of(parts: tuple):
    return None if parts in TOP or not parts else LAYERS[parts[0]]


def test_every_module_is_in_a_layer():
    loose = [str(p) for p in MODULES if layer_of(module_parts(p)) is None and module_parts(p) not in TOP]
    assert not loose, f"modules outside the layers {sorted(LAYERS)}: {loose}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: "/".join(module_parts(p)))
def test_imports_point_down(path):
    here = layer_of(module_parts(path))
    upward = [f"{path.name}:{line} imports {'.'.join(target)}"
              for line, target, _ in imported_modules(path)
              if target and here is not None and layer_of(target) is not None
              and layer_of(target) > here]
    assert not upward, "a lower layer imports a higher one: " + "; ".join(upward)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: "/".join(module_parts(p)))
def test_no_import_inside_a_function(path):
    if module_parts(path) in LAZY_FOR_STARTUP:
        return
    hidden = [f"{path.name}:{line} imports {'.'.join(target)} inside a function"
              for line, target, inner in imported_modules(path) if inner]
    assert not hidden, "; ".join(hidden) + " (import it at the top; if that makes a cycle, the " \
                                           "code is in the wrong layer)"


def test_the_walk_sees_imports_at_every_depth():
    """The two tests above would pass vacuously if the walk found nothing."""
    found = {target for path in MODULES for _, target, _ in imported_modules(path)}
    assert {("tex", "vocabulary"), ("evaluation", "evaluate"), ("pages", "check")} <= found
    inner = {(module_parts(path), target) for path in MODULES
             for _, target, hidden in imported_modules(path) if hidden}
    assert (("faces", "cli"), ("pages", "check")) in inner
