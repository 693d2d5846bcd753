r"""Structures of other sources: piecewise definitions (`\begin{cases}`), the inner product
`\langle A, B \rangle`, and sets of binary and bounded data (`\{0, 1\}^{N \times K}`, `[0, 1]`).

- `\begin{cases} v_1 & \text{if } c_1 \\ v_2 & \text{otherwise} \end{cases}` is a `Piecewise`:
  each row a value and its condition (a comparison, after optional words `\text{if }`, `\text{for }`,
  `\text{when }`), the last one may be `\text{otherwise}` (or `\text{else}`). Where two conditions
  hold at once, or none, the value could be either or nothing: the evaluator refuses it there
  (evaluation/piecewise.py).
- `\langle A, B \rangle` is the sum of the entries of `A \odot B` (equal shapes): the Frobenius inner
  product of matrices, the dot product of vectors. With one argument it could be a mean or an
  expectation: refused.
- After `\in`: `\{0, 1\}` (with a shape, `\{0, 1\}^{N \times K}`) holds entries that are 0 or 1,
  drawn at random; `[a, b]` (or `(a, b)`, numbers a < b) entries drawn uniformly between a and b.
  A set that starts at 0 and runs further, `\{0, \dots, K\}`, could be 0-based labels or whole
  values: refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import fail_at
from .syntax import Call, Indicator, Node, Product
from .shapes import parse_shape_label, shape_from_tokens
from .tokens import Token
from .vocabulary import RELATIONS, TEXT_COMMANDS

#: Words before the condition of a case, and the words of a last case that holds otherwise.
CASE_WORDS = frozenset({"if", "for", "when", "where"})
OTHERWISE_WORDS = frozenset({"otherwise", "else", "if otherwise", "in all other cases"})
#: Between two conditions of one case, besides the words `\text{ and }`: both hold.
CONJUNCTIONS = frozenset({"\\land", "\\wedge"})


@dataclass
class Piecewise(Node):
    """`cases`: a list of (value, condition) pairs; the condition of an `\\text{otherwise}` row is
    None (it holds where no other does)."""

    cases: list


@dataclass
class BinarySet(Node):
    """`\\{0, 1\\}^{shape}`: entries 0 or 1; `shape` as `RealSpace.shape` (() for one number)."""

    shape: tuple


@dataclass
class Interval(Node):
    """`[low, high]^{shape}`: entries drawn uniformly between the bounds."""

    low: float
    high: float
    shape: tuple


def parse_cases(p, token: Token) -> Piecewise:
    r"""`\begin{cases} ... \end{cases}` (the `\begin` token already read)."""
    cases = []
    while True:
        if p.tok.is_("\\end"):
            closing = p.take()
            if (closing.arg or "").strip() != "cases":
                raise fail_at(closing, f"\\end{{{closing.arg}}} closes \\begin{{cases}}")
            break
        if p.at_end():
            raise fail_at(token, "\\begin{cases} is never closed; expected \\end{cases}")
        row_start = p.tok
        value = p.parse_expr()
        if p.tok.is_(","):
            p.take()
        if not p.tok.is_("&"):
            raise fail_at(p.tok, f"expected '&' and the condition of case {len(cases) + 1}, as in "
                                 "v & \\text{if } z > 0, found " + str(p.tok))
        p.take()
        cases.append((value, _case_condition(p, len(cases) + 1, row_start)))
        while p.tok.is_(",") or p.tok.is_("."):
            p.take()
        if p.tok.is_("\\\\"):
            p.take()
    if len(cases) < 2:
        raise fail_at(token, "\\begin{cases} needs at least two cases")
    for number, (_, condition) in enumerate(cases[:-1], start=1):
        if condition is None:
            raise fail_at(token, f"case {number} holds otherwise, but is not the last case; expected "
                                 "\\text{otherwise} on the last case only")
    return Piecewise(token, cases)


def _case_condition(p, number: int, row_start: Token):
    """The condition after `&`: optional words, then a comparison; or `\\text{otherwise}`."""
    if p.tok.text in TEXT_COMMANDS:
        words = (p.take().arg or "").strip().rstrip(",").strip()
        if words in OTHERWISE_WORDS:
            return None
        if words not in CASE_WORDS:
            raise fail_at(row_start, f"the words of case {number}, {words!r}, are not a condition; "
                                     "expected \\text{if } and a comparison, or \\text{otherwise}")
    if p.tok.is_("\\\\") or p.tok.is_("\\end"):
        raise fail_at(row_start, f"case {number} has no condition: it could hold everywhere or "
                                 "where no other case holds; expected a comparison, or "
                                 "\\text{otherwise} on the last case")
    condition = _chained_condition(p)
    while p.tok.text in CONJUNCTIONS or p.tok.text in TEXT_COMMANDS and (
            p.tok.arg or "").strip() == "and":
        p.take()
        condition = Product(condition.tok, [condition, _chained_condition(p)])
    return condition


def _chained_condition(p):
    r"""A comparison, or a chain of them (`P < h \le P + H`: both hold), as one condition: the
    product of the indicators of its links."""
    first = p.parse_condition()
    links = [first]
    while p.tok.text in RELATIONS:
        relation = p.take()
        right = p.parse_expr()
        links.append(Indicator(relation, RELATIONS[relation.text], links[-1].right, right))
    return first if len(links) == 1 else Product(first.tok, links)


def parse_inner_product(p) -> Call:
    r"""`\langle A, B \rangle`: the sum of the entries of A ⊙ B."""
    token = p.take()
    first = p.parse_expr()
    if p.tok.text in ("\\rangle",):
        raise fail_at(token, "\\langle A \\rangle with one argument could be a mean or an "
                             "expectation; expected \\langle A, B \\rangle for the inner product, "
                             "or the mean written out, \\frac{1}{N} \\sum_{i=1}^{N} a_i")
    p.expect(",", "between the two arguments of \\langle A, B \\rangle")
    second = p.parse_expr()
    p.expect("\\rangle", "to close \\langle A, B \\rangle")
    return Call(token, "inner", [first, second])


def parse_bounded_set(parser):
    r"""After `\in`: `\{0, 1\}` with an optional shape, or an interval `[a, b]`; None when the
    set is something else (a label set `\{1, \dots, K\}`, `\mathbb{R}`)."""
    token = parser.tok
    if token.is_("\\{") and parser.peek().is_("0"):
        parser.take(), parser.take()
        if parser.tok.is_(",") and parser.peek().is_("1") and parser.peek(2).is_("\\}"):
            parser.take(), parser.take(), parser.take()
            return BinarySet(token, _power(parser))
        raise fail_at(token, "a set from 0 could hold 0-based labels or whole values from 0; "
                             "expected \\{1, \\dots, K\\} for labels (1-based on pages), or "
                             "\\{0, 1\\} for binary entries")
    if token.is_("[") or token.is_("("):
        parser.take()
        low = _bound(parser)
        parser.expect(",", "between the bounds of the interval [a, b]")
        high = _bound(parser)
        if not (parser.tok.is_("]") or parser.tok.is_(")")):
            raise fail_at(parser.tok, f"expected ']' or ')' to close the interval, found {parser.tok}")
        parser.take()
        if not low < high:
            raise fail_at(token, f"the interval from {low:g} to {high:g} is empty; expected a "
                                 "lower bound below the upper one")
        return Interval(token, low, high, _power(parser))
    return None


def _bound(parser) -> float:
    sign = -1.0 if parser.tok.is_("-") and parser.take() else 1.0
    number = parser.take()
    if number.kind != "number":
        raise fail_at(number, f"the bounds of an interval are numbers, as in [0, 1]; found {number}")
    return sign * float(number.text)


def _power(parser) -> tuple:
    if not parser.tok.is_("^"):
        return ()
    parser.take()
    if parser.tok.is_("{"):
        return parse_shape_label(parser)
    return shape_from_tokens([parser.take()])

