"""The library entry points: check the display blocks of a Markdown page, block by block.

Blocks are checked in page order in one scope (reset by `<!-- scope: NAME -->`), so a definition is
visible to every later block. A block that errors or fails does not stop the page: the next block
is checked, and anything depending on a failed definition says so.
"""

from __future__ import annotations

import json
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable
from pathlib import Path

import numpy as np

from .blocks import BlockChecker
from .code_ties import check_code
from .definitions import names_written_in_heads
from .incremental import PageMemo, ScopeTrack
from ..errors import FormulaError
from .inline import NOT_CLAIMS, classify, find_spans, names_a_defined_number
from ..limits import MAX_TRIALS, NESTING_FRAMES
from .markdown import RawBlock, ScopeMark, in_page_order, read_blocks
from .notebook import Notebook
from .results import BlockResult, PageResult, Problem, ProblemKind, Status
from .size_plan import scope_plans
from ..evaluation.scope import SIZE_ASSIGNMENTS, Scope, SymbolKind
from ..tex.vocabulary import tex_name
from ..tex.statements import parsed_block


BOM = "\ufeff"


def check_trials(trials: int) -> None:
    """Raise ValueError unless 1 <= trials <= MAX_TRIALS."""
    if not 1 <= trials <= MAX_TRIALS:
        raise ValueError(f"trials must be between 1 and {MAX_TRIALS}, got {trials}")


def check_markdown(text: str, name: str, *, trials: int = 3, seed: int = 0,
                   memo: PageMemo | None = None) -> PageResult:
    """Check every display block of Markdown `text`; `name` is used in messages. With a `memo`
    (pages/incremental.py) of an earlier check of the page, only what an edit changed is checked.

    >>> page = "$$\\nx \\\\in \\\\mathbb{R}\\n$$\\n\\n$$\\n(x + 1)^2 = x^2 + 2 x + 1\\n$$\\n"
    >>> [(b.line, b.status, b.links) for b in check_markdown(page, "p.md").blocks]
    [(2, 'declared', 0), (6, 'checked', 1)]
    """
    return check_reading(read_markdown(text), name, trials=trials, seed=seed, memo=memo)


def check_items(items: list, name: str, page_lines: list, *, trials: int, seed: int,
                clean=None, memo: PageMemo | None = None) -> PageResult:
    """The page loop, for Markdown pages and notebooks alike: check blocks and spans (`items`, in
    page order) under every size assignment (scope.SIZE_ASSIGNMENTS), one pass per assignment,
    and merge the passes. `page_lines` are the lines problems point into (a notebook's JSON
    lines); `clean(item)` gives an item's TeX as the author wrote it (a notebook's without the
    padding that places it on its JSON line), shown as its source.

    A formula passes when it passes under all of them; otherwise its result is the first
    assignment's problem, or the second's, whose message then names the sizes it was found with. The
    result of a formula that passes is the first assignment's (its marks name sizes, not values).

    `memo`, kept by the caller for one page, name and setting of `trials` and `seed`, makes the
    check incremental (pages/incremental.py): its results equal a check without it.
    """
    check_trials(trials)
    clean = clean or (lambda item: item.text)

    def check(item, scope):
        return check_item(item, scope, name, page_lines, trials, source=clean(item))

    if memo is not None:
        memo.begin()
    # sizes that satisfy each scope's size relations (size_plan.py), solved once for both passes
    plans = scope_plans(items, memo.plans if memo is not None else None)
    runs = [_check_run(items, seed, check, assignment, plans, memo, page_lines)
            for assignment in range(len(SIZE_ASSIGNMENTS))]
    if memo is not None:
        memo.end()
    result = PageResult(name)
    result.blocks = _merge_runs([blocks for blocks, _ in runs])
    result.spans = _merge_runs([spans for _, spans in runs])
    return result


def _check_run(items, seed, check, assignment, plans, memo, page_lines):
    r"""One pass over the page under one size assignment: ([(block, track)], [(span, track)]),
    each paired with the `ScopeTrack` of its scope (which names the scope's sizes).

    One scope per `ScopeMark`. An inline span that cannot be read at its place and declares nothing
    (a summary before the derivation, naming symbols declared further down) is checked again at the
    end of the scope, where every name of the scope is known; an error there stands. So is a span
    read as a value or an index condition at its place whose letter the scope goes on to define as
    a number (a summary's `$\lambda = 10^{-2}$` before `\lambda \coloneqq 10^{-3}`, or `$k = 3$`
    before `k \coloneqq 2`, where `k` was still an index letter): there it is a claim."""
    blocks, spans = [], []
    plans = iter(plans)
    scope, waiting, comparisons = ScopeTrack(memo, seed, assignment, next(plans)), [], []
    for item in items + [ScopeMark(0, "")]:
        if isinstance(item, ScopeMark):
            waiting += [(index, raw) for index, raw in comparisons
                        if names_a_defined_number(raw.text, scope.view())]
            for index, raw in sorted(waiting, key=lambda pair: pair[0]):
                span, _ = scope.check(raw, check, page_lines)
                span.after_scope = True
                spans[index] = (span, scope)
            scope = ScopeTrack(memo, seed, assignment, next(plans, None))
            waiting, comparisons = [], []
            continue
        checked, added = scope.check(item, check, page_lines)
        if item.kind != "inline":
            blocks.append((checked, scope))
            continue
        if checked.status == Status.ERROR and not added:
            # a summary before the derivation: its names (`b`, read as an index letter until it
            # is declared) are known at the end of the scope
            waiting.append((len(spans), item))
        elif checked.status == Status.CLASSIFIED and checked.rule in ("value", "index condition"):
            comparisons.append((len(spans), item))
        spans.append((checked, scope))
    return blocks, spans


def _merge_runs(runs: list) -> list:
    """Per formula, the first assignment's result unless a later assignment's failed."""
    merged = []
    for first, *others in zip(*runs):
        chosen = first[0]
        for assignment, (other, scope) in enumerate(others, start=1):
            if chosen.ok and not other.ok:
                other.problem.details.append(
                    f"sizes: {scope.sizes_text()} (size assignment {assignment + 1}; the formula "
                    f"passes with {first[1].sizes_text()})")
                chosen = other
        merged.append(chosen)
    return merged


def page_items(text: str, *, notebook: bool = False) -> list:
    """Display blocks, inline spans and scope marks of a page, in page order."""
    items = read_blocks(text)
    return in_page_order(items + find_spans(text, items, notebook=notebook))


def check_item(raw: RawBlock, scope: Scope, page: str, page_lines: list, trials: int, *,
               source: str | None = None) -> BlockResult:
    """A display block (check_block), or an inline span: classified by a rule, or checked.
    `source` is the TeX as the author wrote it (default: the item's own)."""
    source = raw.text if source is None else source
    if raw.kind != "inline":
        return check_block(raw, scope, page, page_lines, trials, source)
    rule = None if "unchecked" in raw.markers else classify(raw.text, scope)
    if rule is None:
        result = check_block(raw, scope, page, page_lines, trials, source)
    else:
        result = BlockResult(page, raw.line, source, Status.CLASSIFIED, rule=rule,
                             reason=NOT_CLAIMS[rule], opening_line=raw.start_index + 1)
    result.kind, result.start_col = "inline", raw.col
    if result.ok:
        result.problem = None  # an inline span marked unchecked shows its summary
    return result


@dataclass
class Reading:
    """A page as the page loop reads it: its items (blocks, inline spans, scope marks, in page
    order), the lines problems point into, and `clean(item)`, an item's TeX as the author wrote
    it (a notebook's without the padding that places it on its JSON line)."""

    items: list
    lines: list
    clean: Callable = field(default=lambda item: item.text)


def read_markdown(text: str) -> Reading:
    text = text.removeprefix(BOM)
    return Reading(page_items(text), text.splitlines())


def read_notebook(text: str, name: str) -> Reading:
    """Raises `NotebookError` for a notebook whose lines cannot be located."""
    notebook = Notebook(text, name)
    return Reading(notebook.items(), notebook.json_lines, notebook.clean)


def read_page(path) -> Reading:
    """The Markdown (`.md`) or notebook (`.ipynb`) file at `path`, read; ValueError for any other
    suffix, `NotebookError` (a ValueError) for a notebook whose lines cannot be located."""
    path = Path(path)
    if path.suffix not in (".md", ".ipynb"):
        raise ValueError(f"{path}: expected a Markdown (.md) or notebook (.ipynb) file")
    text = path.read_text(encoding="utf-8-sig")  # a byte-order mark is not part of the page
    return read_notebook(text, str(path)) if path.suffix == ".ipynb" else read_markdown(text)


def check_reading(reading: Reading, name: str, *, trials: int, seed: int,
                  memo: PageMemo | None = None) -> PageResult:
    return check_items(reading.items, name, reading.lines, trials=trials, seed=seed,
                       clean=reading.clean, memo=memo)


def check_page(path, *, trials: int = 3, seed: int = 0) -> PageResult:
    """Check the Markdown (`.md`) or notebook (`.ipynb`, see pages/notebook.py) file at `path`.

    Raises ValueError for any other suffix, and `notebook.NotebookError` (a ValueError) for a
    notebook whose lines cannot be located.
    """
    check_trials(trials)
    return check_reading(read_page(path), str(path), trials=trials, seed=seed)


def check_notebook(text: str, name: str, *, trials: int = 3, seed: int = 0):
    r"""Check the display math of the Markdown cells of a notebook (JSON `text`).

    >>> declare = {"cell_type": "markdown", "metadata": {},
    ...            "source": ["$$\n", "x \\in \\mathbb{R}\n", "$$"]}
    >>> claim = {"cell_type": "markdown", "metadata": {},
    ...          "source": ["$$\n", "(x + 1)^2 = x^2 + 2 x + 1\n", "$$"]}
    >>> notebook = json.dumps({"cells": [declare, claim], "metadata": {}, "nbformat": 4,
    ...                        "nbformat_minor": 5}, indent=1)
    >>> [(b.line, b.status, b.source) for b in check_notebook(notebook, "n.ipynb").blocks]
    [(8, 'declared', 'x \\in \\mathbb{R}'), (17, 'checked', '(x + 1)^2 = x^2 + 2 x + 1')]
    """
    check_trials(trials)  # before the notebook is read: a bad setting is the first thing to say
    return check_reading(read_notebook(text, name), name, trials=trials, seed=seed)


def check_block(raw: RawBlock, scope: Scope, page: str, page_lines: list, trials: int,
                source: str) -> BlockResult:
    """Check one block against `scope` (which it extends with its declarations and definitions);
    `source` is its TeX as written, shown with a problem."""
    result = BlockResult(page, raw.line, source, Status.CHECKED, code=raw.markers.get("code"),
                         opening_line=raw.start_index + 1)
    if "unchecked" in raw.markers:
        reason = raw.markers["unchecked"].strip()
        result.status, result.reason = Status.UNCHECKED, reason or "no reason given"
        result.problem = Problem(page, raw.line, raw.col, ProblemKind.UNCHECKED, result.reason)
        if not reason:
            result.status = Status.ERROR
            result.problem = Problem(page, raw.line, raw.col, ProblemKind.ERROR,
                                     "an unchecked: marker needs a reason, as in "
                                     "<!-- unchecked: REASON -->")
        return result
    checker = BlockChecker(scope, trials, _source_slicer(raw))
    checker.equals_defines = raw.kind != "inline"  # pages/definitions.py
    checker.conventions = raw.markers.get("convention")  # evaluation/conventions.py
    with _nesting_budget():
        return _run_block(raw, scope, page, page_lines, trials, checker, result)


@contextmanager
def _nesting_budget():
    """The recursion limit, for one block: the caller's depth plus NESTING_FRAMES (limits.py)."""
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, depth + NESTING_FRAMES))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def _run_block(raw, scope, page, page_lines, trials, checker, result) -> BlockResult:
    code_evidence = []
    try:
        if raw.problems:
            raise FormulaError(raw.problems[0], line=raw.line, col=raw.col)
        parsed = parsed_block(raw.text, raw.line, raw.col)
        result.label = parsed.label
        with np.errstate(all="ignore"):  # NaN and infinity are reported per formula, not warned
            outcome = checker.run(parsed.statements)
            if result.code is not None:
                code_evidence = check_code(outcome.tie, scope, raw, result.code, trials)
    except FormulaError as problem:
        result.status = Status(problem.kind)
        heads = names_written_in_heads(raw.text, equals_defines=raw.kind != "inline")
        for name, verb in heads.items():  # for the message of a later use
            scope.broken.setdefault(name, (raw.line, verb))
        shown = (page_lines[problem.line - 1].rstrip("\n")
                 if 1 <= problem.line <= len(page_lines) else None)
        result.problem = Problem(page, problem.line, problem.col, ProblemKind(problem.kind),
                                 problem.message, list(problem.details), source_line=shown,
                                 formula=result.source)
    except RecursionError:
        result.status = Status.ERROR
        result.problem = Problem(page, raw.line, raw.col, ProblemKind.ERROR,
                                 "the formula is too deeply nested to read (RecursionError)")
    except MemoryError:  # the element budget (limits.py) should refuse such a formula first
        result.status = Status.ERROR
        result.problem = Problem(page, raw.line, raw.col, ProblemKind.ERROR,
                                 "the formula needs more memory than this machine has; expected "
                                 "fewer free index letters, smaller sums or smaller sizes")
    else:
        result.links = outcome.links + len(code_evidence)
        result.trials = trials
        result.extra_trials, result.one_sided = outcome.extra_trials, outcome.one_sided
        result.unusable_trials, result.drawn_for = outcome.unusable_trials, outcome.drawn_for
        result.reads_random = outcome.reads_random
        if result.links:
            result.status = Status.CHECKED
        elif outcome.defined:
            result.status = Status.DEFINED
        elif outcome.declared:
            result.status = Status.DECLARED
        else:
            result.status = Status.ERROR
            result.problem = Problem(page, raw.line, raw.col, ProblemKind.ERROR,
                                     "the block holds no formula; expected math, or remove the "
                                     "empty block")
    found = checker.outcome()  # after a problem too: what the block read and introduced so far
    result.uses = sorted(_shown_name(scope, k) for k in found.used - found.own
                         if k in scope.symbols and scope.symbols[k].kind in (SymbolKind.DEFINED, SymbolKind.ALIAS))
    result.defines = [_shown_name(scope, k) for k in scope.symbols if k in found.own]
    result.read_from_equals = [tex_name(checker.plain_name(node) or node.base)
                               for node in checker.from_equals]
    result.read_as_sizes = checker.as_sizes
    result.shapes = found.shapes
    result.evidence = found.evidence + code_evidence
    result.shape_checks = found.shape_checks
    return result


def _shown_name(scope: Scope, key) -> str:
    """`G`, or `P_{ij}` for a family (the form `uses` and `defines` share)."""
    name, arity = key
    symbol = scope.symbols[key]
    if arity and symbol.kind == SymbolKind.DEFINED:
        return f"{name}_{{{''.join(symbol.indices)}}}"
    return name


_SIZED_OPENER = re.compile(r"\\(?:left|[bB]igg?l?)\s*$")
_LAYOUT_MARKS = re.compile(r"&|\\\\|\\q?quad(?![A-Za-z])")
# Environments whose `&` and `\\` are part of the math (the split keeps each whole, at odd places).
_ENTRY_ENVIRONMENT = re.compile(r"(\\begin\{(?:cases|bmatrix|pmatrix|matrix)\}.*?"
                                r"\\end\{(?:cases|bmatrix|pmatrix|matrix)\})", re.DOTALL)


def _source_slicer(raw: RawBlock):
    lines = raw.text.split("\n")

    def offset(line: int, col: int) -> int:
        row = line - raw.line
        if row < 0:
            return 0
        if row >= len(lines):
            return len(raw.text)
        start = sum(len(l) + 1 for l in lines[:row])
        column = col - (raw.col if row == 0 else 1)
        return start + max(0, min(column, len(lines[row])))

    def source_of(start, end) -> str:
        begin = offset(start.line, start.col)
        # The tokenizer drops \left and \bigl as presentation, so a side that starts with
        # `\left(` starts at its `(`: take the command back, or the message would show `( ... \right)`.
        opener = _SIZED_OPENER.search(raw.text, 0, begin)
        begin = opener.start() if opener else begin
        finish = offset(end.line, end.col) if end is not None else raw.text.find("\n", begin)
        finish = len(raw.text) if finish == -1 else finish
        shown = re.sub(r"\\(label|tag)\{[^}]*\}", "", raw.text[begin:finish])
        # alignment marks of `aligned` lines and the indent of a continued line, not math; inside
        # a `cases` or a matrix, `&` and `\\` separate its entries and stay
        parts = _ENTRY_ENVIRONMENT.split(shown)
        shown = "".join(part if index % 2 else _LAYOUT_MARKS.sub(" ", part)
                        for index, part in enumerate(parts))
        return " ".join(shown.split()).rstrip(",.")
    return source_of
