r"""Applying a function the page defined (tex/definitions.py): `\sigma(Z_{ij})`, `f(a, b)`,
`\sigma(Z)` on a whole matrix, and the prime `\sigma'(z)`.

A function's body is evaluated with its parameters bound to the values of the arguments, in the
context of the caller (so a derivative through an application differentiates the body too).

On arguments that are all scalars (entries such as `Z_{ij}` included) there is one reading, and
so for a body that transposes, takes a norm, tr, vec or diag (`f(\mathbf{x}) = \mathbf{x}^\top
\mathbf{x}`: written for whole values). Otherwise, on a matrix or vector, there are two: the body
applied to the whole value or entry by entry (`\sigma(Z)`, the way the sources apply an
activation). Both are tried: a reading that cannot be evaluated (`1 + e^{-Z}` adds a scalar and
a matrix, which the grammar never broadcasts) leaves the other; when both can and their values
differ, the application is refused, naming both readings and what to write (`f(Z_{ij})` for the
entries). A prime is the derivative of a function of one variable, taken entry by entry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import named_arrays as na
from ..errors import FormulaError, fail_at
from .named_arrays import Tensor
from .indices import walk
from .scope import SymbolKind
from ..tex.definitions import Arguments, FunctionArgument, Primed
from ..tex.named_operators import EntryOf
from ..tex.syntax import Call, Name, Node, Norm, Power, Subscripted, Transpose
from ..tex.tokens import Token
from ..tex.vocabulary import tex_name

#: The complex step of a prime, as for derivatives (evaluation/derivatives.py).
STEP = 1e-20
#: Named axes that carry a matrix argument's rows and columns while the body sees its entries.
ENTRY_AXES = ("%row", "%col")
#: Operators of whole matrices: a body with one is never applied entry by entry.
WHOLE_CALLS = frozenset({"tr", "vec", "diag"})


@dataclass
class Application(Node):
    """`f(args)` (or `f'(x)` when `primed`), made by `group_applications` from a product."""

    symbol: object
    args: list
    primed: bool


def function_symbol(scope, node):
    """The function symbol `node` (a `Name`, or a `Primed` name) names, or None."""
    name = node.operand if isinstance(node, Primed) else node
    if not isinstance(name, Name):
        return None
    symbol = scope.lookup(name.name, 0)
    return symbol if symbol is not None and symbol.kind == SymbolKind.FUNCTION else None


def group_applications(evaluator, factors: list) -> list:
    """The factors of a product, with each function and the group after it made one
    `Application`; a function not directly followed by its parenthesised arguments is an error."""
    grouped, index = [], 0
    while index < len(factors):
        factor = factors[index]
        symbol = function_symbol(evaluator.scope, factor)
        if symbol is None:
            if isinstance(factor, Arguments):
                raise loose_arguments(factor)
            grouped.append(factor)
            index += 1
            continue
        following = factors[index + 1] if index + 1 < len(factors) else None
        # `\sigma(z)^2`, `f(x)^\top`: TeX binds the power to the group `(z)`, a reader to the value
        # `\sigma(z)`, as every source writes it; a power of the argument is written inside it.
        outer = following if isinstance(following, (Power, Transpose)) else None
        group = _power_base(outer) if outer is not None else following
        entry_paren = _entry_in_parentheses(following)
        if entry_paren is not None:  # `\sigma(Z W)_{ij}`, `\sigma(Z)_{ij}`; not `\sigma((Z)_{ij})`
            shown = _shown(factor)
            raise fail_at(entry_paren, f"{shown}(...)_{{{following.text}}} could be an entry of "
                                       f"the value of {shown} or {shown} of an entry; expected "
                                       f"({shown}(...))_{{{following.text}}} for an entry of "
                                       f"its value, or {shown}((...)_{{{following.text}}}) for "
                                       f"{shown} of an entry")
        if group is None or group.open_paren is None or following.after_cdot:
            shown = _shown(factor)
            raise fail_at(factor.tok, f"{shown} is a function (line {symbol.line}); expected it "
                                      f"applied to arguments in parentheses, as in {shown}(z)")
        args = group.items if isinstance(group, Arguments) else [group]
        applied = Application(factor.tok, symbol, args, isinstance(factor, Primed))
        if isinstance(outer, Power):
            applied = Power(outer.tok, applied, outer.exponent)
        elif isinstance(outer, Transpose):
            applied = Transpose(outer.tok, applied)
        grouped.append(applied)
        index += 2
    return grouped


def apply_in_call(evaluator, node: FunctionArgument) -> Tensor:
    """`\\log \\sigma(z)`: the application, when the symbol names a function of the page."""
    symbol = function_symbol(evaluator.scope, node.function)
    if symbol is None:
        call = node.call.text
        raise fail_at(node.group.tok, f"a factor after an unparenthesised {call} could belong to its "
                                      f"argument; expected {call}(...)")
    args = node.group.items if isinstance(node.group, Arguments) else [node.group]
    return apply_function(evaluator, Application(node.tok, symbol, args,
                                                 isinstance(node.function, Primed)))


def _entry_in_parentheses(node) -> Token | None:
    """The `(` of an entry taken of a value in parentheses, `(Z W)_{ij}` or `(Z)_{ij}`, written
    directly after a function (not inside its own parentheses, `\\sigma((Z)_{ij})`), else None."""
    if node is None or node.open_paren is not None:
        return None
    if isinstance(node, EntryOf) and not isinstance(node.operand, Call):
        return node.tok
    return node.entry_paren if isinstance(node, Subscripted) else None


def _power_base(node):
    return node.base if isinstance(node, Power) else node.operand


def loose_arguments(node):
    return fail_at(node.tok, "a list (a, b) in parentheses is read only as the arguments of a "
                             "function defined on the page, as in f(a, b) after f(x, y) = x y")


def _shown(node) -> str:
    if isinstance(node, Primed):
        return _shown(node.operand) + "'"
    return tex_name(node.name)


def loose_function(node, symbol):
    """The error for a function named without its arguments."""
    shown = tex_name(symbol.name)
    return fail_at(node.tok, f"{shown} is a function (line {symbol.line}); expected it applied to "
                             f"arguments in parentheses, as in {shown}(z)")


def loose_prime(scope, node: Primed):
    """The error for a prime that is not the derivative of a page function applied to arguments."""
    symbol = function_symbol(scope, node)
    if symbol is not None:
        return loose_function(node, symbol)
    shown = _shown(node)
    return fail_at(node.tok, f"{shown}: a prime is read only on a function defined on the page and "
                             "applied, as in \\sigma'(z) after \\sigma(z) = ...; expected a "
                             "derivative written \\frac{\\partial A}{\\partial B}")


def apply_function(evaluator, node: Application) -> Tensor:
    definition = node.symbol.body
    shown = tex_name(definition.name) + ("'" if node.primed else "")
    if node.primed and len(definition.params) != 1:
        raise fail_at(node.tok, f"{shown} is a function of {len(definition.params)} variables; a "
                                "prime is the derivative of a function of one variable")
    if len(node.args) != len(definition.params):
        raise fail_at(node.tok, f"{shown} is applied to {len(node.args)} arguments but defined "
                                f"with {len(definition.params)} parameters (line {definition.line})")
    values = [evaluator.eval(arg) for arg in node.args]
    evaluator.used.add(node.symbol.key)
    if node.primed:
        return _prime(evaluator, node, definition, values, shown)
    if all(value.is_scalar for value in values) or written_for_whole_values(definition.body):
        return _run(evaluator, definition, values)
    readings = {}
    for reading, run in (("whole", _run), ("entries", _run_entrywise)):
        try:
            readings[reading] = run(evaluator, definition, values, dry=True)
        except FormulaError as problem:
            readings[reading] = problem
    whole, entries = readings["whole"], readings["entries"]
    if isinstance(whole, FormulaError) and isinstance(entries, FormulaError):
        raise entries
    if isinstance(whole, FormulaError):
        return _run_entrywise(evaluator, definition, values)
    if isinstance(entries, FormulaError) or _same(whole, entries):
        return _run(evaluator, definition, values)
    raise fail_at(node.tok, f"{shown} applied to a {na.shape_text(whole.pos)} value could be "
                            f"applied to the whole value or entry by entry, and the two differ "
                            f"here; expected {shown} applied to entries, as in {shown}(Z_{{ij}}), "
                            f"or a definition for the whole value with \\coloneqq")


def written_for_whole_values(body) -> bool:
    r"""Whether a body uses what only a matrix or vector has (a transpose, a norm, tr, vec, diag):
    it is then applied to the whole value, never entry by entry (`\mathbf{v}^\top \mathbf{v}`).

    >>> from formulacheck.tex.parser import ExpressionParser
    >>> from formulacheck.tex.tokens import tokenize
    >>> [written_for_whole_values(ExpressionParser(tokenize(body)).parse_expr())
    ...  for body in (r"v^\top A v", r"\frac{1}{1 + e^{-z}}", r"\|v\|_F^2")]
    [True, False, True]
    """
    return any(isinstance(node, (Transpose, Norm)) or isinstance(node, Call) and node.func in WHOLE_CALLS
               for node in walk(body))


def _same(left: Tensor, right: Tensor) -> bool:
    if left.pos != right.pos or set(left.names) != set(right.names):
        return False
    order = tuple(left.names)
    return bool(np.allclose(na.to_matrix(left, order), na.to_matrix(right, order),
                            rtol=1e-12, atol=1e-12))


def _run(evaluator, definition, values, *, dry: bool = False) -> Tensor:
    """The body with each parameter bound to its argument's value."""
    body = type(evaluator)(evaluator.context, definition.ranges)  # an Evaluator (evaluate.py)
    body.bindings = dict(zip(definition.params, values))
    result = body.eval(definition.body)
    if not dry:
        evaluator.trace.merge(body.trace)
        evaluator.used |= body.used
        evaluator.shape_checks += body.shape_checks
    return result


def _as_entries(value: Tensor, pos: tuple) -> Tensor:
    """A matrix argument as a family of scalars over ENTRY_AXES (a scalar is left as it is)."""
    if value.is_scalar:
        return value
    if value.pos != pos:
        raise ValueError
    return Tensor(value.data, value.names + ENTRY_AXES, ())


def _run_entrywise(evaluator, definition, values, *, dry: bool = False) -> Tensor:
    shapes = {value.pos for value in values if not value.is_scalar}
    if len(shapes) > 1:
        raise fail_at(definition.body.tok, "the arguments of an entry-by-entry application have "
                                           "different shapes: " + ", ".join(
                                               na.shape_text(s) for s in sorted(shapes)))
    [pos] = shapes
    result = _run(evaluator, definition, [_as_entries(v, pos) for v in values], dry=dry)
    if not result.is_scalar:
        raise fail_at(definition.body.tok, "applied entry by entry, the body must give a scalar "
                                           "for each entry")
    order = tuple(n for n in result.names if n not in ENTRY_AXES)
    data = na.to_matrix(result, order + ENTRY_AXES)
    data = np.broadcast_to(data, data.shape[:len(order)] + pos).copy()
    return Tensor(data, order, pos)


def _prime(evaluator, node, definition, values, shown) -> Tensor:
    """`f'(x)`: the derivative of a function of one variable at x, entry by entry (complex step)."""
    if evaluator.context.perturbed:
        raise fail_at(node.tok, f"{shown}(...) inside the numerator of a derivative is not "
                                "supported; name its value first")
    [value] = values
    stepped = Tensor(value.data + 1j * STEP, value.names, value.pos)
    if value.is_scalar:
        result = _run(evaluator, definition, [stepped])
    else:
        whole = None
        try:
            whole = _run(evaluator, definition, [value], dry=True)
        except FormulaError:
            pass
        entries = _run_entrywise(evaluator, definition, [value], dry=True)
        if whole is not None and not _same(whole, entries):
            raise fail_at(node.tok, f"{shown} of a {na.shape_text(value.pos)} value: "
                                    f"{definition.name} is not applied entry by entry there, so its "
                                    "derivative has no layout here; expected a derivative written "
                                    "\\frac{\\partial A}{\\partial B}")
        result = _run_entrywise(evaluator, definition, [stepped])
    return Tensor(np.imag(result.data) / STEP, result.names, result.pos)
