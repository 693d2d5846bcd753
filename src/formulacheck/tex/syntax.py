"""The small syntax tree the parser builds. Every node keeps the token it started at (`tok`).

Expressions: `Number`, `Name` (a bare symbol or index letter), `Subscripted` (`X_{id}`, `W_1`,
`P_{i y_i}`: whether the subscript is part of the name or a list of indices is decided when the
scope is known), `Neg`, `Add`, `Product` (juxtaposition), `Elementwise` (`\\odot`, `\\otimes`),
`IndexArithmetic` (`h-P` in a subscript), `Fraction`, `Power`, `Transpose`, `Sum`, `MaxOver`,
`Call` (exp, log, abs, tr, vec, diag, max), `Indicator`, `Ones`, `Norm`, `Derivative`, `Differential`, `Matrix`, `Annotated` (a shape label).
Statements: `Chain` (expressions joined by `=`, `\\coloneqq`, `\\in`, `>`), with `RealSpace` and
`LabelSet` as the right side of `\\in`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .tokens import Token


@dataclass
class Node:
    """`tok` is the token the node starts at. The keyword fields record how the node was written,
    for the rules that depend on it: `parenthesized` (inside `( )` or `{ }`), `open_paren` (the
    `(` that opened it, for `\\sigma(z)` after a scalar \\sigma), `entry_paren` (the `(` of
    `(Z)_{ij}`, an entry of a symbol written in parentheses, for `\\sigma(Z)_{ij}`), `after_cdot`
    (a factor written after `\\cdot`)."""

    tok: Token
    parenthesized: bool = field(default=False, kw_only=True, compare=False)
    open_paren: Token | None = field(default=None, kw_only=True, compare=False)
    entry_paren: Token | None = field(default=None, kw_only=True, compare=False)
    after_cdot: bool = field(default=False, kw_only=True, compare=False)


@dataclass
class Number(Node):
    value: float


@dataclass
class Name(Node):
    name: str


@dataclass
class Subscripted(Node):
    """`base_{sub}`: `text` is the subscript as written (`ij`, `1`, `iy_i`), `items` its parse."""

    base: str
    items: list
    text: str
    # The letter written directly after a one-letter subscript without braces (`X_ij`, which TeX
    # typesets as X_i j), for the message that names X_{ij}.
    glued: Token | None = field(default=None, kw_only=True, compare=False)


@dataclass
class IndexArithmetic(Node):
    """An arithmetic subscript item, `S(i-1)+p` of `X_{n,c,S(i-1)+p,S(j-1)+q}`: `expr` is its
    parse (sums and differences of index letters, sizes and whole numbers, products of a size or
    a whole number with such an expression); `text` the item as written. Checked and evaluated by
    evaluation/index_arithmetic.py."""

    expr: Node
    text: str


@dataclass
class Neg(Node):
    operand: Node


@dataclass
class Add(Node):
    terms: list  # list of (sign +1/-1, Node)


@dataclass
class Product(Node):
    factors: list


@dataclass
class Elementwise(Node):
    op: str  # "odot" or "otimes"
    left: Node
    right: Node


@dataclass
class Fraction(Node):
    numerator: Node
    denominator: Node


@dataclass
class Power(Node):
    base: Node
    exponent: Node


@dataclass
class Transpose(Node):
    operand: Node


@dataclass
class Sum(Node):
    index: str
    index_tok: Token
    lower: int
    # a size name or a number; None for `\sum_{j \neq y_i}`, and for `\sum_j` (range unwritten:
    # the axis j indexes in the body, as for `\max_k`)
    upper: Node | None
    body: Node
    # `\sum_{j \neq y_i}`: the Indicator j != y_i; the range of j then comes from y_i's labels
    condition: Node | None = None


@dataclass
class MaxOver(Node):
    """`\\max_{k} body`; with a range written, `\\max_{1 \\le p \\le k_h,\\, 1 \\le q \\le k_w}`, one
    node per letter (the first outermost), `upper` the end of the letter's range (tex/constructs.py)."""

    index: str
    body: Node
    upper: Node | None = None
    index_tok: Token | None = None


@dataclass
class Call(Node):
    """`bare`: a function written without parentheses (`\\log x`), whose argument is one factor;
    `open_ended`: that factor is a sum or a max, whose body runs to the next + or -."""

    func: str  # exp, log, abs, tr, vec, diag, max, min, sqrt
    args: list
    bare: bool = field(default=False, kw_only=True, compare=False)
    open_ended: bool = field(default=False, kw_only=True, compare=False)


@dataclass
class Indicator(Node):
    op: str  # "=", "!=", ">", "<", ">=", "<="
    left: Node
    right: Node


@dataclass
class Ones(Node):
    size: str


@dataclass
class Norm(Node):
    operand: Node  # squared via Power
    # "F": Frobenius (`\\|W\\|_F`); "2": Euclidean, of a vector (`\\|v\\|`, `\\|v\\|_2`); "1": L1, of a
    # vector (`\\|v\\|_1`)
    kind: str = "F"


@dataclass
class Derivative(Node):
    numerator: Node
    denominator: Node
    # `\frac{d s}{d z}` with an italic d: its token (tex/derivative_forms.py)
    plain_d: Token | None = field(default=None, kw_only=True, compare=False)


@dataclass
class Differential(Node):
    name: str  # `\mathrm{d}W` has name "W"


@dataclass
class Matrix(Node):
    rows: list  # list of lists of Node; `Dots` entries for \cdots, \vdots


@dataclass
class Dots(Node):
    kind: str


@dataclass
class Annotated(Node):
    operand: Node
    shape: tuple | None  # tuple of size expressions, each a tuple of factor names/ints


@dataclass
class RealSpace(Node):
    shape: tuple  # () for R, (("K",),) for R^K, ...


@dataclass
class LabelSet(Node):
    upper: str
    power: str | tuple[str, str] | None  # N labels, or an N x T grid (tex/label_grids.py)


@dataclass
class Chain(Node):
    """`items[0] rel[0] items[1] rel[1] ...`; `names` holds extra names of a list `a, b \\in S`."""

    items: list
    relations: list  # list of Token
    names: list = field(default_factory=list)
    starts: list = field(default_factory=list)  # the first token of each item (to quote it)
    end: Token | None = None  # the separator after the statement, where a quote of it stops
    # `\quad \text{for } 1 \le i \le H'` after it: (letter token, upper bound, first value)
    # (tex/statements.py), the ranges of index letters nothing else in the statement gives
    ranges: list = field(default_factory=list)
    # `\text{for }`, `\text{if }` before it: words that make it read as a condition of the
    # statement before, which it is not (a claim of its own; pages/blocks.py says so)
    condition_words: Token | None = None
