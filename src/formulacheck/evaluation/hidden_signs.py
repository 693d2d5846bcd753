r"""What a formula tells as written: the signs the trials may not show (the sign an even power
forgets, the domain of a function), and how exactly a value is computed (`cancels_as_written`,
`exact_as_written`, `relative_as_written`: what the tolerance needs, evaluation/compare.py).

The sign an even power forgets is a kink that no `|...|` or `\max` shows.

`\sqrt{(x y)^2} = x y` is wrong only where x y < 0, and the three trials can all draw x y > 0. So
when a claim raises a scalar to an even power (`t^2`, `t^{4}`), the sign of that scalar is a
branch, to be seen on both sides as a kink is (evaluation/trace.py), unless it cannot be negative
as written: a norm, an absolute value, an exponential, a square root, a softmax, an indicator, a
size, a label, a number or leaf that is not negative (`\lambda > 0`, `p \in (0, 1)`),
`\max(0, z)`, an even power, and sums, products and quotients of those, through the definitions
they name. Without that exception `\|W\|_F^2`, `(1 + e^{-z})^2` and `N^2` would draw further
instances for a side that does not exist, and be listed as seen on one side only.

The domain of a function: `e^{\log(x + y)} = x + y` holds only where x + y > 0, and the three
trials can all draw x + y > 0. So the argument of `\log`, `\sqrt` or a fractional power, when it
is one number that can be negative as written, is a branch labelled `domain of ...`
(`DOMAIN_OF`): further instances are drawn until one leaves the domain (then the block is an error
at that function, pages/further_instances.py) or the bound is reached (the page keeps the argument inside, as
`\log(1 - \sigma(z))` does; a domain seen on one side only is not listed, that side is the domain).

>>> from formulacheck.tex.parser import ExpressionParser
>>> from formulacheck.tex.tokens import tokenize
>>> def read(tex): return ExpressionParser(tokenize(tex)).parse_expr()
>>> [even_exponent(read(tex)) for tex in ("(x y)^{4}", "x^{-2}", "x^3", "x^{1/2}")]
[4, -2, 0, 0]
>>> [fractional_exponent(read(tex)) for tex in ("x^{1/2}", "x^{0.5}", "x^2", "x^{-1}", "x^{y}")]
[True, True, False, False, False]
>>> [nonnegative_as_written(read(tex), scope=None)
...  for tex in (r"1 + e^{-z}", r"\|W\|_F", r"\max(0, x)", r"x - y", r"x y", r"\log x")]
[True, True, True, False, False, False]
>>> [relative_as_written(read(tex), scope=None) for tex in (
...     r"\frac{e^{a - b}}{1 + e^{c}}", r"\frac{2}{3^2}", r"1 - e^{x}", r"(1 + e^{x})^{3}", r"\log 2")]
[True, True, False, False, False]
"""

from __future__ import annotations

import numpy as np

from ..tex.syntax import (Add, Annotated, Call, Elementwise, Fraction, Indicator, MaxOver, Name,
                          Neg, Norm, Number, Power, Product, Subscripted, Sum, Transpose)
from .indices import subscripted_meaning
from .named_arrays import Tensor
from .scope import SymbolKind
from .trace import DOMAIN_OF

# Functions whose value is never negative (`\max` and `\min` are read from their arguments).
NONNEGATIVE_FUNCTIONS = frozenset({"exp", "sqrt", "abs", "softmax"})

# Functions whose relative error is the absolute error of their argument, n u M at most, whatever
# cancelled in it (`e^{F_{ij}}` after `F \coloneqq X W + b`).
SMOOTHING_FUNCTIONS = frozenset({"exp", "softmax", "tanh"})

# Functions whose value is exact on either side of their kink (-1, 0 or 1): no error to cancel or
# to carry, as an indicator's.
EXACT_FUNCTIONS = frozenset({"sign"})

# What `written_symbol` returns for a size: not a Symbol of the scope, never negative, exact.
SIZE = "size"

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


def fractional_exponent(power: Power) -> bool:
    """Whether the exponent of `power` is written as a number that is not whole (`^{1/2}`,
    `^{0.5}`): a negative base has no real power there."""
    exponent = power.exponent
    if isinstance(exponent, Neg):
        exponent = exponent.operand
    if isinstance(exponent, Fraction):
        numerator, denominator = exponent.numerator, exponent.denominator
        return (isinstance(numerator, Number) and isinstance(denominator, Number)
                and not (numerator.value / denominator.value).is_integer())
    return isinstance(exponent, Number) and not float(exponent.value).is_integer()


def one_number(value: Tensor) -> bool:
    """Whether a value is one real number: a scalar, or one stepped along the derivative's axis "@"
    (evaluation/derivatives.py), whose copies share their real part (`\\frac{\\partial \\sqrt{x^2}}
    {\\partial x} = 1` is wrong for x < 0 only). Not a value with index letters: its many entries
    take both signs in one trial, almost surely."""
    return not value.pos and set(value.names) <= {"@"} and (
        value.data.size == 1 or bool(np.all(np.real(value.data) == np.real(value.data).flat[0])))


def outside_domain_seen(evaluator, argument, value: Tensor, tok, function: str) -> None:
    """Record the sign of `value`, the argument of `function` (`\\log`, `\\sqrt`, `(...)^{1/2}`)
    written as the node `argument`, as a branch `domain of ...`, unless it is many numbers or
    cannot be negative as written (see the module's docstring)."""
    if one_number(value) and not nonnegative_as_written(argument, evaluator.scope):
        evaluator.trace.branch(tok, DOMAIN_OF + function, value.data)


def cancels_as_written(node, scope, depth: int = 0) -> bool:
    """Whether computing `node` may subtract nearly equal values: a sum whose terms are not all
    nonnegative as written, anywhere in it, through the definitions it names. Products, quotients,
    powers and exponentials keep a relative error of a few rounding steps; only such a sum can
    make it large (1 - sigma(z) near sigma(z) = 1), which a logarithm or a square root of the value
    turns into an absolute error (evaluation/functions.py); inside an exponential it does not (its
    absolute error stays n u M). Unknown nodes and functions count as cancelling.

    >>> from formulacheck.tex.parser import ExpressionParser
    >>> from formulacheck.tex.tokens import tokenize
    >>> def read(tex): return ExpressionParser(tokenize(tex)).parse_expr()
    >>> [cancels_as_written(read(tex), scope=None) for tex in (
    ...     r"1 - \\frac{1}{1 + e^{-z}}", r"\\frac{e^{x - y}}{1 + e^{g}}", r"(x + y)^2", r"2 x", r"1 + x^2")]
    [True, False, True, False, False]
    """
    def any_of(nodes) -> bool:
        return any(cancels_as_written(part, scope, depth) for part in nodes)

    if isinstance(node, Number):
        return False
    if isinstance(node, Add):
        return not nonnegative_as_written(node, scope, depth) or any_of(t for _, t in node.terms)
    if isinstance(node, (Sum, MaxOver)):
        return not nonnegative_as_written(node.body, scope, depth) or any_of((node.body,))
    if isinstance(node, Product):
        return any_of(node.factors)
    if isinstance(node, Fraction):
        return any_of((node.numerator, node.denominator))
    if isinstance(node, Elementwise):
        return any_of((node.left, node.right))
    if isinstance(node, Power):  # an exponent's absolute error is the power's relative one
        return any_of((node.base,))
    if isinstance(node, (Neg, Transpose, Annotated, Norm)):
        return any_of((node.operand,))
    if isinstance(node, Call):  # e^{a} turns the absolute error of a into its relative error
        return node.func not in SMOOTHING_FUNCTIONS | EXACT_FUNCTIONS and any_of(node.args)
    if isinstance(node, Indicator):
        return False
    if isinstance(node, (Name, Subscripted)):
        return _cancelling_symbol(node, scope, depth)
    return True


def relative_as_written(node, scope, depth: int = 0) -> bool:
    """Whether `node` is computed with a relative error of a few rounding steps, plus the absolute
    errors of the exponents it takes, wherever its values lie: numbers, sizes, labels and random
    leaves (exact), exponentials (e^{a} turns the absolute error of a into its relative error),
    products, quotients, entrywise products and negations of such values, powers of one with a
    number exponent of at most 2, sums of such values that are not negative as written (no
    cancellation), through the definitions they name. A quotient of two such values is then off by
    a few rounding steps of its own size (evaluation/evaluate.py, `relative_quotient`), whatever the
    sizes of its numerator and denominator: a softmax entry written out, whose exponentials reach
    e^{34}, or a sigmoid at z = -34 (examples in the module's docstring)."""
    def each(nodes) -> bool:
        return all(relative_as_written(part, scope, depth) for part in nodes)

    if isinstance(node, Number):
        return True
    if isinstance(node, Call):
        return node.func == "exp" or node.func in EXACT_FUNCTIONS
    if _factors(node) is not None:
        return each(_factors(node))
    if isinstance(node, (Neg, Transpose, Annotated)):
        return relative_as_written(node.operand, scope, depth)
    if isinstance(node, Power):
        exponent = node.exponent.operand if isinstance(node.exponent, Neg) else node.exponent
        return (isinstance(exponent, Number) and abs(exponent.value) <= 2
                and relative_as_written(node.base, scope, depth))
    if isinstance(node, Add):
        return nonnegative_as_written(node, scope, depth) and each(term for _, term in node.terms)
    if isinstance(node, Sum):
        return nonnegative_as_written(node.body, scope, depth) and each((node.body,))
    if isinstance(node, (Name, Subscripted)):
        symbol = written_symbol(node, scope)
        if symbol is None or symbol is SIZE:  # an argument of a function the page defines: unknown
            return symbol is SIZE
        if symbol.kind in (SymbolKind.LEAF, SymbolKind.LABEL, SymbolKind.LABELS):
            return True
        return (symbol.kind == SymbolKind.DEFINED and symbol.body is not None
                and depth < DEFINITION_DEPTH and relative_as_written(symbol.body, scope, depth + 1))
    return False


def _factors(node):
    """The parts of a product, a quotient or an entrywise product (`\\odot`), which keeps a sign
    or a relative error when every part does; None for any other node (a Kronecker product too)."""
    if isinstance(node, Product):
        return node.factors
    if isinstance(node, Fraction):
        return (node.numerator, node.denominator)
    if isinstance(node, Elementwise) and node.op == "odot":
        return (node.left, node.right)
    return None


def written_symbol(node, scope):
    """What a Name or Subscripted node names, as the evaluator resolves it (a subscripted one by
    `subscripted_meaning`, evaluation/indices.py): `SIZE` for a size (`N`, `d_k`), the Symbol (`x`;
    `p_c`, an entry of the family p_k; `W_{ij}`, of the whole W), or None (an argument of a
    function the page defines, the identity `I_N` or the Kronecker delta, or no scope)."""
    if scope is None:
        return None
    if isinstance(node, Name):
        return SIZE if scope.is_size(node.name) else scope.lookup(node.name, 0)
    kind, payload = subscripted_meaning(scope, node) or (None, None)
    return SIZE if kind == "size" else payload if kind in ("symbol", "entry") else None


def exact_as_written(node, scope) -> bool:
    """Whether `node` is computed without rounding: a number, a size, a label or a random leaf (or
    its entry), negated or not. The exponential of such a value is off by its own rounding only."""
    if isinstance(node, Neg):
        return exact_as_written(node.operand, scope)
    if isinstance(node, Number):
        return True
    if isinstance(node, (Name, Subscripted)):
        symbol = written_symbol(node, scope)
        return symbol is SIZE or (symbol is not None and symbol.kind in (
            SymbolKind.LEAF, SymbolKind.LABEL, SymbolKind.LABELS))
    return False


def _cancelling_symbol(node, scope, depth: int) -> bool:
    """A definition whose body cancels as written; a leaf, a size or a label does not."""
    symbol = written_symbol(node, scope)
    return (symbol not in (None, SIZE) and symbol.kind == SymbolKind.DEFINED
            and symbol.body is not None
            and (depth >= DEFINITION_DEPTH or cancels_as_written(symbol.body, scope, depth + 1)))


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
    if _factors(node) is not None:
        return each(_factors(node))
    if isinstance(node, (Transpose, Annotated)):
        return nonnegative_as_written(node.operand, scope, depth)
    if isinstance(node, (Sum, MaxOver)):
        return nonnegative_as_written(node.body, scope, depth)
    if isinstance(node, (Name, Subscripted)):  # `d_k` (a size), `p_c` (an entry of the family p_k)
        return _nonnegative_symbol(written_symbol(node, scope), scope, depth)
    return False


def _nonnegative_symbol(symbol, scope, depth: int) -> bool:
    """A size (N), a label or labels (c, y_i: 1..K), a leaf drawn positive or in a range that is
    not negative, or a definition whose body is not negative as written (`written_symbol`)."""
    if symbol is None:  # an argument of a function the page defines: its sign is not known
        return False
    if symbol is SIZE or symbol.kind in (SymbolKind.LABEL, SymbolKind.LABELS):
        return True
    if symbol.kind == SymbolKind.LEAF:
        return symbol.positive or (bool(symbol.draw) and (symbol.draw[0] == "binary"
                                                         or symbol.draw[1] >= 0))
    if symbol.kind == SymbolKind.DEFINED and symbol.body is not None and depth < DEFINITION_DEPTH:
        return nonnegative_as_written(symbol.body, scope, depth + 1)
    return False
