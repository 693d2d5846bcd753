r"""The sign an even power forgets: a kink that no `|...|` or `\max` shows.

`\sqrt{(x y)^2} = x y` is wrong only where x y < 0, and the three trials can all draw x y > 0. So
when a claim raises a scalar to an even power (`t^2`, `t^{4}`), the sign of that scalar is a
branch, to be seen on both sides as a kink is (evaluation/trace.py), unless it cannot be negative
as written: a norm, an absolute value, an exponential, a square root, a softmax, an indicator, a
size, a label, a number or leaf that is not negative (`\lambda > 0`, `p \in (0, 1)`),
`\max(0, z)`, an even power, and sums, products and quotients of those, through the definitions
they name. Without that exception `\|W\|_F^2`, `(1 + e^{-z})^2` and `N^2` would draw further
instances for a side that does not exist, and be listed as seen on one side only.

>>> from formulacheck.tex.parser import ExpressionParser
>>> from formulacheck.tex.tokens import tokenize
>>> def read(tex): return ExpressionParser(tokenize(tex)).parse_expr()
>>> [even_exponent(read(tex)) for tex in ("(x y)^{4}", "x^{-2}", "x^3", "x^{1/2}")]
[4, -2, 0, 0]
>>> [nonnegative_as_written(read(tex), scope=None)
...  for tex in (r"1 + e^{-z}", r"\|W\|_F", r"\max(0, x)", r"x - y", r"x y", r"\log x")]
[True, True, True, False, False, False]
"""

from __future__ import annotations

from ..tex.syntax import (Add, Annotated, Call, Elementwise, Fraction, Indicator, MaxOver, Name,
                          Neg, Norm, Number, Power, Product, Subscripted, Sum, Transpose)
from .scope import SymbolKind

# Functions whose value is never negative (`\max` and `\min` are read from their arguments).
NONNEGATIVE_FUNCTIONS = frozenset({"exp", "sqrt", "abs", "softmax"})

# How deep definitions are followed (a definition never uses itself; this only bounds the work).
DEFINITION_DEPTH = 8


def even_exponent(power: Power) -> int:
    """The exponent of `power` when it is written as an even whole number (`^2`, `^{4}`,
    `^{-2}`), else 0."""
    exponent, sign = power.exponent, 1
    if isinstance(exponent, Neg):
        exponent, sign = exponent.operand, -1
    if isinstance(exponent, Number) and float(exponent.value).is_integer():
        whole = int(exponent.value)
        return sign * whole if whole % 2 == 0 else 0
    return 0


def nonnegative_as_written(node, scope, depth: int = 0) -> bool:
    """Whether `node` cannot be negative by how it is written (see the module's docstring);
    `scope` (or None) tells the declared leaves and the definitions' bodies."""
    def each(nodes) -> bool:
        return all(nonnegative_as_written(part, scope, depth) for part in nodes)

    if isinstance(node, Number):
        return node.value >= 0
    if isinstance(node, (Norm, Indicator)):
        return True
    if isinstance(node, Call):
        if node.func in NONNEGATIVE_FUNCTIONS:
            return True
        if node.func == "max":
            return any(nonnegative_as_written(argument, scope, depth) for argument in node.args)
        return node.func == "min" and each(node.args)
    if isinstance(node, Power):
        return bool(even_exponent(node)) or nonnegative_as_written(node.base, scope, depth)
    if isinstance(node, Add):
        return all(sign > 0 for sign, _ in node.terms) and each(term for _, term in node.terms)
    if isinstance(node, Product):
        return each(node.factors)
    if isinstance(node, Fraction):
        return each((node.numerator, node.denominator))
    if isinstance(node, Elementwise):
        return node.op == "odot" and each((node.left, node.right))
    if isinstance(node, (Transpose, Annotated)):
        return nonnegative_as_written(node.operand, scope, depth)
    if isinstance(node, (Sum, MaxOver)):
        return nonnegative_as_written(node.body, scope, depth)
    if isinstance(node, (Name, Subscripted)):
        return _nonnegative_symbol(node.name if isinstance(node, Name) else node.base, scope, depth)
    return False


def _nonnegative_symbol(name: str, scope, depth: int) -> bool:
    """A size (N), a label or labels (c, y_i: 1..K), a leaf drawn positive or in a range that is
    not negative, or a definition whose body is not negative as written."""
    if scope is None:
        return False
    if scope.is_size(name):
        return True
    symbol = scope.lookup(name, 0)
    if symbol is None:  # an argument of a function the page defines: its sign is not known
        return False
    if symbol.kind in (SymbolKind.LABEL, SymbolKind.LABELS):
        return True
    if symbol.kind == SymbolKind.LEAF:
        return symbol.positive or (bool(symbol.draw) and (symbol.draw[0] == "binary"
                                                         or symbol.draw[1] >= 0))
    if symbol.kind == SymbolKind.DEFINED and symbol.body is not None and depth < DEFINITION_DEPTH:
        return nonnegative_as_written(symbol.body, scope, depth + 1)
    return False
