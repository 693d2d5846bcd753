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
from pathlib import Path

import numpy as np

from .blocks import BlockChecker
from .code_ties import evaluate_code, parse_code
from ..evaluation.compare import tolerance, trace_of
from ..errors import FormulaError, fail_at
from ..evaluation.evaluate import Context, family_as_whole
from .inline import NOT_CLAIMS, classify, find_spans
from ..limits import MAX_TRIALS, NESTING_FRAMES
from ..evaluation.named_arrays import Tensor
from .markdown import RawBlock, ScopeMark, in_page_order, read_blocks
from .notebook import Notebook
from .results import BlockResult, PageResult, problem_message
from ..evaluation.scope import SIZE_ASSIGNMENTS, Scope
from ..tex.statements import parsed_block


BOM = "\ufeff"


def check_trials(trials: int) -> None:
    """Raise ValueError unless 1 <= trials <= MAX_TRIALS."""
    if not 1 <= trials <= MAX_TRIALS:
        raise ValueError(f"trials must be between 1 and {MAX_TRIALS}, got {trials}")


def check_markdown(text: str, name: str, *, trials: int = 3, seed: int = 0) -> PageResult:
    """Check every display block of Markdown `text`; `name` is used in messages.

    >>> page = "$$\\nx \\\\in \\\\mathbb{R}\\n$$\\n\\n$$\\n(x + 1)^2 = x^2 + 2 x + 1\\n$$\\n"
    >>> [(b.line, b.status, b.links) for b in check_markdown(page, "p.md").blocks]
    [(2, 'declared', 0), (6, 'checked', 1)]
    """
    check_trials(trials)
    text = text.removeprefix(BOM)
    page_lines = text.splitlines()
    return check_items(page_items(text), name, page_lines, trials=trials, seed=seed)


def check_items(items: list, name: str, page_lines: list, *, trials: int, seed: int,
                check=None) -> PageResult:
    """Check blocks and spans (`items`, in page order) under every size assignment
    (scope.SIZE_ASSIGNMENTS), one pass per assignment, and merge the passes.

    A formula passes when it passes under all of them; otherwise its result is the first
    assignment's problem, or the second's, whose message then names the sizes it was found with. The
    result of a formula that passes is the first assignment's (its marks name sizes, not values).
    """
    check = check or check_item
    runs = [_check_run(items, name, page_lines, trials, seed, check, assignment)
            for assignment in range(len(SIZE_ASSIGNMENTS))]
    result = PageResult(name)
    result.blocks = _merge_runs([blocks for blocks, _ in runs])
    result.spans = _merge_runs([spans for _, spans in runs])
    return result


def _check_run(items, name, page_lines, trials, seed, check, assignment):
    """One pass over the page under one size assignment: ([(block, scope)], [(span, scope)]).

    One scope per `ScopeMark`. An inline span that cannot be read at its place and declares nothing
    (a summary before the derivation, naming symbols declared further down) is checked again at the
    end of the scope, where every name of the scope is known; an error there stands."""
    blocks, spans = [], []
    scope, waiting = Scope(seed, assignment), []
    for item in items + [ScopeMark(0, "")]:
        if isinstance(item, ScopeMark):
            for index, raw in waiting:
                span = check(raw, scope, name, page_lines, trials)
                span.after_scope = True
                spans[index] = (span, scope)
            scope, waiting = Scope(seed, assignment), []
            continue
        known = len(scope.symbols)
        checked = check(item, scope, name, page_lines, trials)
        if item.kind != "inline":
            blocks.append((checked, scope))
            continue
        if checked.status == "error" and len(scope.symbols) == known:
            # a summary before the derivation: its names (`b`, read as an index letter until it
            # is declared) are known at the end of the scope
            waiting.append((len(spans), item))
        spans.append((checked, scope))
    return blocks, spans


def _merge_runs(runs: list) -> list:
    """Per formula, the first assignment's result unless a later assignment's failed."""
    merged = []
    for first, *others in zip(*runs):
        chosen = first[0]
        for assignment, (other, scope) in enumerate(others, start=1):
            if chosen.ok and not other.ok:
                head, marker, formula = other.message.partition("\n  formula:\n")
                other.message = (f"{head}\n    sizes: {scope.sizes_text()} (size assignment "
                                 f"{assignment + 1}; the formula passes with "
                                 f"{first[1].sizes_text()}){marker}{formula}")
                chosen = other
        merged.append(chosen)
    return merged


def page_items(text: str, *, notebook: bool = False) -> list:
    """Display blocks, inline spans and scope marks of a page, in page order."""
    items = read_blocks(text)
    return in_page_order(items + find_spans(text, items, notebook=notebook))


def check_item(raw: RawBlock, scope: Scope, page: str, page_lines: list, trials: int) -> BlockResult:
    """A display block (check_block), or an inline span: classified by a rule, or checked."""
    if raw.kind != "inline":
        return check_block(raw, scope, page, page_lines, trials)
    rule = None if "unchecked" in raw.markers else classify(raw.text, scope)
    if rule is None:
        result = check_block(raw, scope, page, page_lines, trials)
    else:
        result = BlockResult(page, raw.line, raw.text, "classified", rule=rule,
                             reason=NOT_CLAIMS[rule], opening_line=raw.start_index + 1)
    result.kind, result.start_col = "inline", raw.col
    result.message = result.message if not result.ok else result.summary()
    return result


def check_page(path, *, trials: int = 3, seed: int = 0) -> PageResult:
    """Check the Markdown (`.md`) or notebook (`.ipynb`, see pages/notebook.py) file at `path`.

    Raises ValueError for any other suffix, and `notebook.NotebookError` (a ValueError) for a
    notebook whose lines cannot be located.
    """
    check_trials(trials)
    path = Path(path)
    if path.suffix not in (".md", ".ipynb"):
        raise ValueError(f"{path}: expected a Markdown (.md) or notebook (.ipynb) file")
    text = path.read_text(encoding="utf-8-sig")  # a byte-order mark is not part of the page
    if path.suffix == ".ipynb":
        return check_notebook(text, str(path), trials=trials, seed=seed)
    return check_markdown(text, str(path), trials=trials, seed=seed)


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
    check_trials(trials)
    notebook = Notebook(text, name)

    def check(item, scope, page, page_lines, trials):
        block = check_item(item, scope, page, page_lines, trials)
        padded, clean = item.text, notebook.clean(item)
        block.source = clean
        head, marker, _ = block.message.partition("\n  formula:\n")
        if marker and padded.strip():
            block.message = head + marker + "\n".join("    " + line for line in
                                                      clean.strip().splitlines())
        return block

    return check_items(notebook.items(), name, notebook.json_lines, trials=trials, seed=seed,
                       check=check)


def check_block(raw: RawBlock, scope: Scope, page: str, page_lines: list, trials: int) -> BlockResult:
    """Check one block against `scope` (which it extends with its declarations and definitions)."""
    result = BlockResult(page, raw.line, raw.text, "checked", code=raw.markers.get("code"),
                         opening_line=raw.start_index + 1)
    if "unchecked" in raw.markers:
        reason = raw.markers["unchecked"].strip()
        result.status, result.reason = "unchecked", reason or "no reason given"
        result.message = f"{page}:{raw.line}:{raw.col}: unchecked: {result.reason}"
        if not reason:
            result.status = "error"
            result.message = (f"{page}:{raw.line}:{raw.col}: error: an unchecked: marker needs a "
                              "reason, as in <!-- unchecked: REASON -->")
        return result
    checker = BlockChecker(scope, trials, _source_slicer(raw))
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
    try:
        if raw.problems:
            raise FormulaError(raw.problems[0], line=raw.line, col=raw.col)
        parsed = parsed_block(raw.text, raw.line, raw.col)
        result.label = parsed.label
        with np.errstate(all="ignore"):  # NaN and infinity are reported per formula, not warned
            checker.run(parsed.statements)
            if result.code is not None:
                _check_code(checker, scope, raw, result.code, trials)
    except FormulaError as problem:
        result.status = problem.kind
        result.col, result.problem_line = problem.col, problem.line
        result.message = problem_message(page, page_lines, problem, raw.text)
    except RecursionError:
        result.status = "error"
        result.message = (f"{page}:{raw.line}:{raw.col}: error: the formula is too deeply nested "
                          "to read (RecursionError)")
    except MemoryError:  # the element budget (limits.py) should refuse such a formula first
        result.status = "error"
        result.message = (f"{page}:{raw.line}:{raw.col}: error: the formula needs more memory than "
                          "this machine has; expected fewer free index letters, smaller sums or "
                          "smaller sizes")
    else:
        result.links = checker.links
        result.trials = trials
        result.extra_trials, result.one_sided = checker.extra_trials, checker.one_sided
        if checker.links:
            result.status = "checked"
        elif checker.defined:
            result.status = "defined"
        elif checker.declared:
            result.status = "declared"
        else:
            result.status = "error"
            result.message = (f"{page}:{raw.line}:{raw.col}: error: the block holds no formula; "
                              "expected math, or remove the empty block")
        if result.status != "error":
            result.message = result.summary()
    result.uses = sorted(_shown_name(scope, k) for k in checker.used - checker.own
                         if k in scope.symbols and scope.symbols[k].kind in ("defined", "alias"))
    result.defines = [_shown_name(scope, k) for k in scope.symbols if k in checker.own]
    result.shapes = checker.shapes
    result.evidence = checker.evidence.links()
    result.shape_checks = checker.evidence.shapes
    return result


def _shown_name(scope: Scope, key) -> str:
    """`G`, or `P_{ij}` for a family (the form `uses` and `defines` share)."""
    name, arity = key
    symbol = scope.symbols[key]
    if arity and symbol.kind == "defined":
        return f"{name}_{{{''.join(symbol.indices)}}}"
    return name


_SIZED_OPENER = re.compile(r"\\(?:left|[bB]igg?l?)\s*$")


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
        shown = re.sub(r"&|\\\\", " ", shown)  # alignment marks of `aligned` lines, not math
        return " ".join(shown.split()).rstrip(",.")
    return source_of


def _code_argument(scope: Scope, trial: int, name: str, tok):
    symbol = scope.lookup(name, 0)
    if symbol is None:
        families = [s for s in scope.any_arity(name) if s.kind == "defined" and s.arity in (1, 2)]
        if not families:
            raise fail_at(tok, f"the code: marker uses {name}, which is not a symbol of this page; "
                               "expected page symbols such as W_1 or lambda_")
        value = family_as_whole(Context(scope, trial).value(families[0].key, tok), families[0])
    else:
        value = Context(scope, trial).value(symbol.key, tok)
    data = np.real(value.data)
    if symbol is not None and symbol.kind in ("labels", "label"):
        return (data.astype(np.int64) - 1).reshape(-1) if symbol.kind == "labels" else int(data) - 1
    if value.pos == ():
        return float(data)
    if value.pos[1] == 1:
        return np.array(data.reshape(-1), dtype=float)
    return np.array(data, dtype=float)


def _check_code(checker: BlockChecker, scope: Scope, raw: RawBlock, expr: str, trials: int):
    tok = type("Where", (), {"line": max(raw.start_index, 1), "col": 1})()
    tree = parse_code(expr, tok)
    if checker.tie_values is None:
        raise fail_at(tok, "a code: marker needs a formula (a definition or a claim) to compare with")
    for trial in range(trials):
        formula = checker.tie_value(trial)
        expected = np.real(formula.data)
        if formula.pos and formula.pos[1] == 1 and not formula.names:
            expected = expected.reshape(-1)
        actual = evaluate_code(tree, tok, lambda name, where: _code_argument(scope, trial, name, where))
        if actual.shape != expected.shape:
            raise fail_at(tok, f"the code returned shape {actual.shape} but the formula's value has "
                               f"shape {expected.shape}", kind="failed")
        if not np.all(np.isfinite(actual)):
            raise fail_at(tok, "the code returned NaN or infinity", kind="failed")
        # The code computes the same value by its own route, of about the formula's length: the
        # formula's trace counts twice, with the code's own largest value as a magnitude.
        code_trace = trace_of(Tensor(actual, (), ()))
        excess = np.abs(actual - expected) - tolerance(trace_of(formula), trace_of(formula), code_trace)
        if np.any(excess > 0):
            worst = np.unravel_index(int(np.argmax(excess)), excess.shape)
            raise fail_at(tok, f"the code {expr} disagrees with the formula", kind="failed",
                          details=(f"at position {tuple(int(w) for w in worst)} (0-based): code = "
                                   f"{actual[worst]:.10g}, formula = {expected[worst]:.10g}",
                                   f"random instance: trial {trial}"))
        checker.evidence.observe(tok, trial, expected, actual, "=", "", expr, kind="code")
    checker.links += 1
