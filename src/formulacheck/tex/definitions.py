r"""Functions a page defines, as the sources write them: `f(x, y) = x y`,
`\sigma(z) = \frac{1}{1 + e^{-z}}`, then applied, `\sigma(Z_{ij})`, `f(a, b)`, and their
derivative written with a prime, `\sigma'(z)` (also `\sigma^\prime(z)`).

The parser knows no page, so it writes what it sees: a symbol, then a parenthesised group (a
product, as `W (x + y)` is) or a list of arguments `(a, b)` (an `Arguments` node); a prime after a
symbol is a `Primed` node. Whether the symbol names a function is decided where the page is known:
a statement whose left side is a new symbol before `(parameters)` defines a function
(`function_head`, pages/blocks.py), and a product whose factor names a defined function applies it
(evaluation/user_functions.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import fail_at
from .syntax import Name, Node, Product
from .tokens import Token


@dataclass
class Arguments(Node):
    """`(a, b)`: two or more expressions in parentheses; only a function's arguments."""

    items: list


@dataclass
class Primed(Node):
    """`f'`: the derivative of a function of one variable (`operand` is its `Name`)."""

    operand: Node


@dataclass
class FunctionArgument(Node):
    """`\\log \\sigma(z)`: a symbol and a parenthesised group as the argument of a function written
    without parentheses; it is `\\log(\\sigma(z))` when the symbol is a function of the page, and
    refused otherwise, as any factor after an unparenthesised `\\log` (`call` is the `\\log`)."""

    function: Node
    group: Node
    call: Token


@dataclass
class FunctionDefinition:
    """A function of the page: its parameter names, its body, the ranges of the body's own index
    letters (its sums), and the line it was defined at."""

    name: str
    params: tuple
    body: Node
    ranges: dict
    line: int


def function_head(node):
    r"""(name token, name, parameter names) when `node` is written `f(x)` or `f(x, y)` with plain
    symbols as parameters, else None.

    >>> from formulacheck.tex.parser import ExpressionParser
    >>> from formulacheck.tex.tokens import tokenize
    >>> head = function_head(ExpressionParser(tokenize(r"f(x, \mathbf{y})")).parse_expr())
    >>> head[1], head[2]
    ('f', ('x', 'y'))
    >>> function_head(ExpressionParser(tokenize(r"W (x + y)")).parse_expr()) is None
    True
    """
    if not (isinstance(node, Product) and len(node.factors) == 2 and isinstance(node.factors[0], Name)):
        return None
    name, group = node.factors
    if group.open_paren is None:
        return None
    items = group.items if isinstance(group, Arguments) else [group]
    if not all(isinstance(item, Name) for item in items):
        return None
    return name.tok, name.name, tuple(item.name for item in items)


def parse_arguments(p, first, open_tok):
    """`(a, b, ...)` after its first expression `first` (the `,` next): an `Arguments` node."""
    items = [first]
    while p.tok.is_(","):
        p.take()
        items.append(p.parse_expr())
    p.expect(")", f"to close the arguments opened at {open_tok.line}:{open_tok.col}")
    return Arguments(open_tok, items, parenthesized=True, open_paren=open_tok)


def read_prime(p, node):
    r"""`node` with the prime written after it (`'`, `^\prime`, `^{\prime}`) as a `Primed` node,
    or `node` itself; a second prime is refused (higher derivatives are not read).

    >>> from formulacheck.tex.parser import ExpressionParser
    >>> from formulacheck.tex.tokens import tokenize
    >>> [type(ExpressionParser(tokenize(t)).parse_factor()).__name__
    ...  for t in ("f'", r"f^\prime", r"f^{\prime}", "f^2")]
    ['Primed', 'Primed', 'Primed', 'Power']
    """
    if not isinstance(node, Name):
        return node
    primes = []
    while True:
        if p.tok.is_("'"):
            primes.append(p.take())
        elif p.tok.is_("^") and p.peek().is_("\\prime"):
            primes.append(p.take())
            p.take()
        elif p.tok.is_("^") and p.peek().is_("{") and p.peek(2).is_("\\prime") and p.peek(3).is_("}"):
            primes.append(p.take())
            p.take(), p.take(), p.take()
        else:
            break
    if len(primes) > 1:
        raise fail_at(primes[1], "a second prime is a higher derivative, which is not read; expected "
                                 "the first derivative named, as in g(z) = ..., then g'(z)")
    if primes and primes[0].is_("'") and is_primed_size(node.name) and not p.tok.is_("("):
        return Name(node.tok, node.name + "'")  # `H'`: a size of its own (tex/shapes.py)
    return Primed(primes[0], node) if primes else node


def is_primed_size(letter: str) -> bool:
    """Whether `letter'` names a size (`H'`, `W'`, the output height and width of a convolution):
    an uppercase Latin letter, primed with `'`, and not applied to an argument."""
    return len(letter) == 1 and letter.isascii() and letter.isupper()
