"""`<!-- code: EXPR -->`: evaluate a reference-implementation call on the formula's instance.

EXPR is a restricted Python expression: a call of a dotted function path whose arguments are page
symbols (LaTeX names without backslash, subscripts joined by `_`, a Python keyword with a trailing
`_`: `W_1`, `lambda_`), numbers, strings, tuples, lists and dicts of those, optionally followed by
`[0]` / `["W"]` selections. The module is imported with importlib from the path itself; nothing
else is ever executed. Labels are passed 0-based, column vectors as shape (K,), scalars as float.
"""

from __future__ import annotations

import ast
import importlib
import keyword

from dataclasses import dataclass

import numpy as np

from ..errors import fail_at
from ..evaluation.compare import (beyond_tolerance, refuse_vacuous, tolerance, trace_of,
                                  worst_entry)
from ..evaluation.evaluate import Context, family_as_whole
from ..evaluation.named_arrays import Tensor
from ..evaluation.scope import SymbolKind
from .evidence import EvidenceLog


@dataclass(frozen=True)
class Where:
    """A place in the page (a marker's line), where a problem of the `code:` marker is reported."""

    line: int
    col: int


def parse_code(expr: str, tok):
    """Validate EXPR; returns its AST (an `ast.Expression`).

    >>> parse_code("pkg.mod.f(X, (W, b))[1]", None).body.__class__.__name__
    'Subscript'
    """
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError as problem:
        raise fail_at(tok, f"the code: marker is not a Python expression ({problem.msg}); expected "
                           "a call such as pkg.module.function(X, W)") from None
    node = tree.body
    while isinstance(node, ast.Subscript):
        if not isinstance(node.slice, ast.Constant):
            raise fail_at(tok, "only constant selections such as [0] or [\"W\"] may follow the call")
        node = node.value
    if not isinstance(node, ast.Call) or _dotted(node.func) is None:
        raise fail_at(tok, "the code: marker must call a dotted function path, such as "
                           "pkg.module.function(X, W)")
    for arg in list(node.args) + [k.value for k in node.keywords]:
        _check_argument(arg, tok)
    return tree


def _dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def _check_argument(node, tok) -> None:
    if isinstance(node, (ast.Name, ast.Constant)):
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(
            node.operand, ast.Constant):
        return
    if isinstance(node, (ast.Tuple, ast.List)):
        for element in node.elts:
            _check_argument(element, tok)
        return
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values):
            if not isinstance(key, ast.Constant):
                raise fail_at(tok, "dict keys in a code: marker must be constants")
            _check_argument(value, tok)
        return
    if any(isinstance(inner, ast.Call) for inner in ast.walk(node)):
        # The checker can only hand over values the page names; an inner call has no page value.
        raise fail_at(tok, f"the argument {ast.unparse(node)!r} is itself a call; a code: marker "
                           "makes one call, so expected page symbols (pass a cache as a tuple of "
                           "quantities the page names, such as (X, W))")
    raise fail_at(tok, f"unsupported argument {ast.unparse(node)!r} in the code: marker; expected "
                       "page symbols, numbers, tuples, lists or dicts of those")


def resolve_function(path: str, tok):
    """Import the longest module prefix of `path` and walk the rest as attributes."""
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            target = importlib.import_module(module_name)
        except ModuleNotFoundError as problem:
            if problem.name and module_name.startswith(problem.name):
                continue
            raise fail_at(tok, f"importing {module_name} failed: {problem}") from None
        except Exception as problem:  # an import that crashes is the code's problem, shown as such
            raise fail_at(tok, f"importing {module_name} failed: {type(problem).__name__}: "
                               f"{problem}") from None
        for attr in parts[cut:]:
            if not hasattr(target, attr):
                raise fail_at(tok, f"{module_name} has no attribute {'.'.join(parts[cut:])}; "
                                   f"expected a function at {path}")
            target = getattr(target, attr)
        if not callable(target):
            raise fail_at(tok, f"{path} is not callable")
        return target
    raise fail_at(tok, f"cannot import any module of {path}; expected an importable dotted path")


def symbol_for(identifier: str) -> list:
    """Page symbol names a code identifier can mean: `lambda_` -> ["lambda"], `W_1` -> ["W_1"]."""
    name = identifier[:-1] if identifier.endswith("_") and keyword.iskeyword(identifier[:-1]) else identifier
    return [name]


def evaluate_code(tree, tok, lookup):
    """Run the validated call; `lookup(name, tok)` gives a page symbol as a plain Python value."""
    def build(node):
        if isinstance(node, ast.Name):
            return lookup(symbol_for(node.id)[0], tok)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.UnaryOp):
            return -node.operand.value
        if isinstance(node, ast.Tuple):
            return tuple(build(e) for e in node.elts)
        if isinstance(node, ast.List):
            return [build(e) for e in node.elts]
        if isinstance(node, ast.Dict):
            return {k.value: build(v) for k, v in zip(node.keys, node.values)}
        if isinstance(node, ast.Call):
            function = resolve_function(_dotted(node.func), tok)
            args = [build(a) for a in node.args]
            kwargs = {k.arg: build(k.value) for k in node.keywords}
            try:
                return function(*args, **kwargs)
            except Exception as problem:
                raise fail_at(tok, f"{_dotted(node.func)} raised {type(problem).__name__}: "
                                   f"{problem}") from None
        if isinstance(node, ast.Subscript):
            value = build(node.value)
            try:
                return value[node.slice.value]
            except (KeyError, IndexError, TypeError) as problem:
                raise fail_at(tok, f"cannot select [{node.slice.value!r}] from the result of the "
                                   f"code: {type(problem).__name__}: {problem}") from None
        raise fail_at(tok, "unsupported code expression")
    result = build(tree.body)
    try:
        return np.asarray(result, dtype=float)
    except (TypeError, ValueError):
        raise fail_at(tok, f"the code returned {type(result).__name__}, not numbers; expected an "
                           "array or a float (add a selection such as [0])") from None


def check_code(tie, scope, raw, expr: str, trials: int) -> list:
    """Compare the value of `code: EXPR` with the formula's (`tie`, pages/blocks.py) on every
    trial; the evidence of the comparison (one link), or a FormulaError at the marker's line."""
    tok = Where(max(raw.start_index, 1), 1)
    tree = parse_code(expr, tok)
    if tie is None:
        raise fail_at(tok, "a code: marker needs a formula (a definition or a claim) to compare with")
    evidence = EvidenceLog(scope)
    for trial in range(trials):
        formula = tie.values.get(trial)
        expected = np.real(formula.data)
        if formula.pos and formula.pos[1] == 1 and not formula.names:
            expected = expected.reshape(-1)
        actual = evaluate_code(tree, tok, lambda name, where: code_argument(scope, trial, name, where))
        if actual.shape != expected.shape:
            raise fail_at(tok, f"the code returned shape {actual.shape} but the formula's value has "
                               f"shape {expected.shape}", kind="failed")
        if not np.all(np.isfinite(actual)):
            raise fail_at(tok, "the code returned NaN or infinity", kind="failed")
        # The code computes the same value by its own route, of about the formula's length: the
        # formula's trace counts twice, with the code's own largest value as a magnitude.
        traces = (trace_of(formula), trace_of(formula), trace_of(Tensor(actual, (), ())))
        worst = worst_entry(beyond_tolerance(actual, expected, *traces))
        if worst is None:
            refuse_vacuous(actual, expected, tolerance(*traces), traces, trial, tok,
                           f"the code {expr}", (f"random instance: trial {trial}",))
        else:
            raise fail_at(tok, f"the code {expr} disagrees with the formula", kind="failed",
                          details=(f"at position {tuple(int(w) for w in worst)} (0-based, as the "
                                   f"code indexes; {tuple(int(w) + 1 for w in worst)} 1-based, as on "
                                   f"the page): code = "
                                   f"{actual[worst]:.10g}, formula = {expected[worst]:.10g}",
                                   f"random instance: trial {trial}"))
        evidence.observe(tok, trial, expected, actual, "=", "", expr, kind="code")
    return evidence.links()


def code_argument(scope, trial: int, name: str, tok):
    """The page symbol `name` on instance `trial`, as the code takes it: labels 0-based, a column
    vector flat, a scalar a float, a size (`S`, `k_h`: a stride, a window) an int."""
    symbol = scope.lookup(name, 0)
    if symbol is None and scope.is_size(name):
        return int(scope.sizes[name])
    if symbol is None:
        tensors = [s for s in scope.any_arity(name) if s.kind == SymbolKind.DEFINED and s.arity > 2]
        if tensors:  # a family of more indices (A_{hij}: a stack of matrices) as its array, axes in order
            value = Context(scope, trial).value(tensors[0].key, tok)
            axes = [value.names.index(index) for index in tensors[0].indices]
            return np.array(np.real(np.transpose(value.data, axes)), dtype=float)
        families = [s for s in scope.any_arity(name) if s.kind == SymbolKind.DEFINED and s.arity in (1, 2)]
        if not families:
            raise fail_at(tok, f"the code: marker uses {name}, which is not a symbol of this page; "
                               "expected page symbols such as W_1 or lambda_")
        value = family_as_whole(Context(scope, trial).value(families[0].key, tok), families[0])
    else:
        value = Context(scope, trial).value(symbol.key, tok)
    data = np.real(value.data)
    if symbol is not None and symbol.kind in (SymbolKind.LABELS, SymbolKind.LABEL):
        if symbol.kind == SymbolKind.LABEL:
            return int(data) - 1
        labels = data.astype(np.int64) - 1  # a column of labels flat, a grid (N, T) as it is
        return labels.reshape(-1) if labels.shape[1] == 1 else labels
    if value.pos == ():
        return float(data)
    if value.pos[1] == 1:
        return np.array(data.reshape(-1), dtype=float)
    return np.array(data, dtype=float)
